// Command derive reads Cilium's own source (the v1.20.0 module) and prints, as JSON, what the
// project's Helm values checker must follow:
//
//	derive hubble-metrics <cilium source dir>   Hubble metric handlers, their options and context options
//	derive chart-keys <chart dir>               the values key paths the chart's templates read
//
// It uses only the Go standard library (go/ast and text/template/parse, the parser Helm itself uses),
// so it builds without network access.
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fail("usage: derive hubble-metrics|chart-keys <dir>")
	}
	var out any
	var err error
	switch os.Args[1] {
	case "hubble-metrics":
		out, err = deriveHubbleMetrics(os.Args[2])
	case "chart-keys":
		out, err = deriveChartKeys(os.Args[2])
	default:
		fail("unknown subcommand " + os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "derive: "+msg)
	os.Exit(2)
}
