// Command oracle evaluates conformance vectors with Cilium's own policy code (v1.20.0): CNP/CCNP
// parsing and validation, the policy repository, identity selection and the policy-map lookup.
//
// Usage:
//
//	oracle [-compact] [file.json ...]   # each file holds a vector or an array of vectors
//	oracle [-compact] < vectors.json    # a vector, an array of vectors, or a stream of either
//
// It prints one JSON array with a result per vector, in input order (see conformance/README.md).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	compact := flag.Bool("compact", false, "print compact JSON (one line)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: oracle [-compact] [vector.json ...]   (reads stdin when no file is given)")
		flag.PrintDefaults()
	}
	flag.Parse()

	var results []VectorResult
	if flag.NArg() == 0 {
		rs, err := runStream(os.Stdin, "")
		if err != nil {
			fail(fmt.Errorf("stdin: %w", err))
		}
		results = rs
	}
	for _, path := range flag.Args() {
		f, err := os.Open(path)
		if err != nil {
			fail(err)
		}
		rs, err := runStream(f, path)
		f.Close()
		if err != nil {
			fail(fmt.Errorf("%s: %w", path, err))
		}
		results = append(results, rs...)
	}
	if results == nil {
		results = []VectorResult{}
	}

	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	if !*compact {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(results); err != nil {
		fail(err)
	}
	if err := out.Flush(); err != nil {
		fail(err)
	}
}

// runStream reads JSON values (vector objects or arrays of vectors) until EOF and evaluates each
// vector as soon as it is read.
func runStream(r io.Reader, file string) ([]VectorResult, error) {
	dec := json.NewDecoder(bufio.NewReader(r))
	var results []VectorResult
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if errors.Is(err, io.EOF) {
				return results, nil
			}
			return nil, err
		}
		vectors, err := decodeVectors(raw)
		if err != nil {
			return nil, err
		}
		for _, v := range vectors {
			res := runVector(v)
			res.File = file
			results = append(results, res)
		}
	}
}

func decodeVectors(raw json.RawMessage) ([]Vector, error) {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '[':
			var vs []Vector
			if err := json.Unmarshal(raw, &vs); err != nil {
				return nil, fmt.Errorf("vector array: %w", err)
			}
			return vs, nil
		}
		break
	}
	var v Vector
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("vector: %w", err)
	}
	return []Vector{v}, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "oracle:", err)
	os.Exit(2)
}
