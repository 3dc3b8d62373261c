// Package report turns benchmark results into Markdown tables, JSON and an
// SVG chart. cmd/compare writes them; the tests check them.
package report

import (
	"encoding/json"
	"io"
	"slices"
	"testing"
)

// Result is the measurement of one row on one scenario.
type Result struct {
	Scenario    string  `json:"scenario"`
	Row         string  `json:"row"`
	Iterations  int     `json:"iterations"`
	NsPerOp     float64 `json:"ns_per_op"`
	BytesPerOp  int64   `json:"bytes_per_op"`
	AllocsPerOp int64   `json:"allocs_per_op"`
	// Runs is how many runs the result is the median of.
	Runs int `json:"runs"`
}

// FromBenchmark converts the result of testing.Benchmark.
func FromBenchmark(scenario, row string, r testing.BenchmarkResult) Result {
	ns := 0.0
	if r.N > 0 {
		ns = float64(r.T.Nanoseconds()) / float64(r.N)
	}
	return Result{
		Scenario: scenario, Row: row, Iterations: r.N,
		NsPerOp: ns, BytesPerOp: r.AllocedBytesPerOp(), AllocsPerOp: r.AllocsPerOp(),
		Runs: 1,
	}
}

// Median returns the run with the median ns/op (the lower middle one for an
// even count), with Runs set to len(runs). runs must not be empty.
func Median(runs []Result) Result {
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b Result) int {
		switch {
		case a.NsPerOp < b.NsPerOp:
			return -1
		case a.NsPerOp > b.NsPerOp:
			return 1
		}
		return 0
	})
	m := sorted[(len(sorted)-1)/2]
	m.Runs = len(runs)
	return m
}

// File is what WriteJSON writes: the environment and the results.
type File struct {
	Env     Env      `json:"environment"`
	Results []Result `json:"results"`
}

// WriteJSON writes env and results as one indented JSON object, a File.
func WriteJSON(w io.Writer, env Env, results []Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(File{Env: env, Results: results})
}

// scenarios returns the scenario names of results in order of first appearance.
func scenarios(results []Result) []string {
	return firsts(results, func(r Result) string { return r.Scenario })
}

// rows returns the row names of results in order of first appearance.
func rows(results []Result) []string {
	return firsts(results, func(r Result) string { return r.Row })
}

func firsts(results []Result, key func(Result) string) []string {
	var out []string
	for _, r := range results {
		if k := key(r); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// of returns the results of one scenario, in their order.
func of(results []Result, scenario string) []Result {
	var out []Result
	for _, r := range results {
		if r.Scenario == scenario {
			out = append(out, r)
		}
	}
	return out
}
