// Command hubblemetrics loads Hubble metric lists the way the Cilium v1.20.0 agent does, with
// Cilium's own code (pkg/hubble/metrics), and reads Helm values files with Helm's YAML library
// (sigs.k8s.io/yaml). The project's Helm values checker is compared with it by
// scripts/helm/check-against-cilium.ts.
//
// Input (stdin), one JSON object:
//
//	{"lists": [["dns:query", "drop"], ...], "valuesFiles": ["values.yaml text", ...]}
//
// Output (stdout): {"lists": [ListResult...], "valuesFiles": [parsed values or {"error": ...}...]}.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/yaml"

	"github.com/cilium/cilium/pkg/hubble/metrics/api"
	"github.com/cilium/cilium/pkg/logging/logfields"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/dns"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/drop"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/flow"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/flows-to-world"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/http"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/icmp"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/policy"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/port-distribution"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/sctp"
	_ "github.com/cilium/cilium/pkg/hubble/metrics/tcp"
)

type input struct {
	Lists       [][]string `json:"lists"`
	ValuesFiles []string   `json:"valuesFiles"`
}

// ListResult is what the agent makes of one hubble.metrics.enabled list.
type ListResult struct {
	// Error is set when the agent would fail to set up Hubble metrics (it then does not start).
	Error string `json:"error,omitempty"`
	// Skipped are the metric names the agent skips with "Skipping unknown hubble metric".
	Skipped  []string        `json:"skipped"`
	Handlers []HandlerResult `json:"handlers"`
}

type HandlerResult struct {
	Name    string          `json:"name"`
	Status  string          `json:"status"`
	Context *ContextResult  `json:"context,omitempty"`
	Metrics []MetricsResult `json:"metrics"`
}

// ContextResult is the parsed context options; identifier lists as Cilium prints them.
type ContextResult struct {
	Source             string `json:"sourceContext"`
	SourceEgress       string `json:"sourceEgressContext"`
	SourceIngress      string `json:"sourceIngressContext"`
	Destination        string `json:"destinationContext"`
	DestinationEgress  string `json:"destinationEgressContext"`
	DestinationIngress string `json:"destinationIngressContext"`
	Labels             string `json:"labelsContext"`
}

type MetricsResult struct {
	Desc string `json:"desc"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "hubblemetrics: cannot read input:", err)
		os.Exit(2)
	}
	out := struct {
		Lists       []ListResult `json:"lists"`
		ValuesFiles []any        `json:"valuesFiles"`
	}{Lists: []ListResult{}, ValuesFiles: []any{}}
	for _, list := range in.Lists {
		out.Lists = append(out.Lists, loadList(list))
	}
	for _, text := range in.ValuesFiles {
		// Helm's chartutil.ReadValues: sigs.k8s.io/yaml.Unmarshal into map[string]interface{}.
		var values map[string]any
		if err := yaml.Unmarshal([]byte(text), &values); err != nil {
			out.ValuesFiles = append(out.ValuesFiles, map[string]string{"error": err.Error()})
		} else {
			out.ValuesFiles = append(out.ValuesFiles, values)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "hubblemetrics:", err)
		os.Exit(2)
	}
}

// loadList follows the agent: the chart writes the list space-separated into hubble-metrics, the
// agent splits it with strings.Fields and configures the handlers from the default registry into
// a fresh Prometheus registry.
func loadList(list []string) (result ListResult) {
	result = ListResult{Skipped: []string{}, Handlers: []HandlerResult{}}
	capture := &warnings{}
	logger := slog.New(capture)
	defer func() {
		// A duplicate metric makes prometheus.MustRegister panic in the agent.
		if r := recover(); r != nil {
			result.Error = fmt.Sprintf("panic: %v", r)
			result.Handlers = []HandlerResult{}
		}
	}()
	config := api.ParseStaticMetricsConfig(strings.Fields(strings.Join(list, " ")))
	registry := prometheus.NewRegistry()
	handlers, err := api.DefaultRegistry().ConfigureHandlers(logger, registry, config)
	result.Skipped = capture.skipped()
	if err != nil {
		result.Error = err.Error()
		return result
	}
	for _, h := range *handlers {
		hr := HandlerResult{Name: h.Name, Status: h.Handler.Status(), Metrics: []MetricsResult{}}
		if c := h.Handler.Context(); c != nil {
			hr.Context = &ContextResult{
				Source: c.Source.String(), SourceEgress: c.SourceEgress.String(), SourceIngress: c.SourceIngress.String(),
				Destination: c.Destination.String(), DestinationEgress: c.DestinationEgress.String(), DestinationIngress: c.DestinationIngress.String(),
				Labels: c.Labels.String(),
			}
		}
		for _, vec := range h.Handler.ListMetricVec() {
			descs := make(chan *prometheus.Desc, 16)
			go func() { vec.Describe(descs); close(descs) }()
			for d := range descs {
				hr.Metrics = append(hr.Metrics, MetricsResult{Desc: d.String()})
			}
		}
		sort.Slice(hr.Metrics, func(i, j int) bool { return hr.Metrics[i].Desc < hr.Metrics[j].Desc })
		result.Handlers = append(result.Handlers, hr)
	}
	_ = context.Background()
	return result
}

// warnings records the names of the metrics the registry skips.
type warnings struct {
	mu    sync.Mutex
	names []string
}

func (w *warnings) Enabled(context.Context, slog.Level) bool { return true }
func (w *warnings) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "Skipping unknown hubble metric" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == logfields.Name {
			w.mu.Lock()
			w.names = append(w.names, a.Value.String())
			w.mu.Unlock()
		}
		return true
	})
	return nil
}
func (w *warnings) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w *warnings) WithGroup(string) slog.Handler      { return w }
func (w *warnings) skipped() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string{}, w.names...)
}
