// Command compare runs every row of the benchmark matrix on every scenario
// with testing.Benchmark and prints, as Markdown, the fields10 line that
// each row writes and one table per scenario. It can also write the results
// as JSON and as an SVG bar chart.
//
// Usage:
//
//	go -C benchmarks run ./cmd/compare [-scenarios s,...] [-rows r,...] [-benchtime 200ms] [-count 1] [-json FILE] [-svg FILE]
//
// Each filter entry selects the name equal to it, or else every name that
// contains it, ignoring case. Progress goes to standard error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jsonlog/jsonlog/benchmarks/internal/report"
	"github.com/jsonlog/jsonlog/benchmarks/internal/scenario"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return
	case err != nil:
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(2)
	}
}

// config is what the command line asks for.
type config struct {
	scenarios []scenario.Scenario
	rows      []scenario.Row
	benchtime string
	count     int
	jsonPath  string
	svgPath   string
	list      bool
}

func parse(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scen := fs.String("scenarios", "", "comma-separated scenario `filters` (default all)")
	rows := fs.String("rows", "", "comma-separated row `filters` (default all)")
	var c config
	fs.StringVar(&c.benchtime, "benchtime", "200ms", "`duration` of each benchmark, or Nx for N iterations (as go test -benchtime)")
	fs.IntVar(&c.count, "count", 1, "run each benchmark `n` times and report the median")
	fs.StringVar(&c.jsonPath, "json", "", "also write the results as JSON to `file`")
	fs.StringVar(&c.svgPath, "svg", "", "also write an SVG bar chart to `file`")
	fs.BoolVar(&c.list, "list", false, "list the rows and scenarios and exit")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if c.count < 1 {
		return c, errors.New("-count must be positive")
	}
	var err error
	if c.scenarios, err = scenario.Select(scenario.Scenarios, func(s scenario.Scenario) string { return s.Name }, *scen); err != nil {
		return c, fmt.Errorf("-scenarios: %w", err)
	}
	if c.rows, err = scenario.Select(scenario.Rows, func(r scenario.Row) string { return r.Name }, *rows); err != nil {
		return c, fmt.Errorf("-rows: %w", err)
	}
	return c, nil
}

func run(args []string, stdout, stderr io.Writer) error {
	c, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if c.list {
		for _, s := range c.scenarios {
			fmt.Fprintf(stdout, "scenario %-20s %s\n", s.Name, s.Doc)
		}
		for _, r := range c.rows {
			fmt.Fprintf(stdout, "row      %s\n", r.Name)
		}
		return nil
	}

	// testing.Benchmark reads its run time from the testing flags.
	testing.Init()
	if err := flag.Set("test.benchtime", c.benchtime); err != nil {
		return fmt.Errorf("-benchtime: %w", err)
	}
	env := report.CurrentEnv(c.benchtime, c.count)

	fmt.Fprintf(stdout, "# jsonlog benchmarks\n\n%s\n\n", env)
	writeSamples(stdout, c.rows)

	results := measure(c, stderr)

	fmt.Fprintf(stdout, "## Results\n\nEach figure is the median of %d run(s); the last column divides ns/op by that of %s.\n\n", c.count, scenario.Baseline)
	doc := func(name string) string { return scenario.Find(name).Doc + "." }
	if err := report.WriteMarkdown(stdout, results, scenario.Baseline, doc); err != nil {
		return err
	}
	if c.jsonPath != "" {
		if err := writeFile(c.jsonPath, func(w io.Writer) error { return report.WriteJSON(w, env, results) }); err != nil {
			return err
		}
	}
	if c.svgPath != "" {
		title := "jsonlog benchmarks: " + env.String()
		if err := writeFile(c.svgPath, func(w io.Writer) error { return report.WriteSVG(w, results, title) }); err != nil {
			return err
		}
	}
	return nil
}

// writeSamples prints the fields10 line of every row.
func writeSamples(w io.Writer, rows []scenario.Row) {
	fmt.Fprintf(w, "## What each row writes for fields10\n\n```text\n")
	s := scenario.Find("fields10")
	for _, r := range rows {
		line := strings.TrimSuffix(string(r.Capture(s)), "\n")
		if r.Silent {
			line = "(writes nothing by design)"
		} else if line == "" {
			line = "(wrote nothing)"
		}
		fmt.Fprintf(w, "%s:\n  %s\n", r.Name, line)
	}
	fmt.Fprintf(w, "```\n\n")
}

// measure runs every selected row on every selected scenario c.count times,
// round after round so that a slow spell of a noisy machine spreads over
// all rows, and returns the medians in scenario order, then row order.
func measure(c config, progress io.Writer) []report.Result {
	runs := make([][]report.Result, len(c.scenarios)*len(c.rows))
	total, done := len(runs)*c.count, 0
	start := time.Now()
	for round := 0; round < c.count; round++ {
		for i, s := range c.scenarios {
			for j, r := range c.rows {
				res := report.FromBenchmark(s.Name, r.Name, testing.Benchmark(func(b *testing.B) { scenario.Bench(b, r, s) }))
				k := i*len(c.rows) + j
				runs[k] = append(runs[k], res)
				done++
				fmt.Fprintf(progress, "[%3d/%d %5.1fs] %-18s %-28s %10s ns/op %6d B/op %4d allocs/op\n",
					done, total, time.Since(start).Seconds(), s.Name, r.Name,
					report.FormatNs(res.NsPerOp), res.BytesPerOp, res.AllocsPerOp)
			}
		}
	}
	results := make([]report.Result, len(runs))
	for k, rs := range runs {
		results[k] = report.Median(rs)
	}
	return results
}

// writeFile creates path and fills it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
