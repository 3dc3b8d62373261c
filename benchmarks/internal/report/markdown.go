package report

import (
	"fmt"
	"io"
	"strconv"
)

// WriteMarkdown writes one Markdown table per scenario, in order of first
// appearance in results, each under a "### scenario" heading followed by
// doc(scenario) when doc is not nil. See WriteTable for the columns.
func WriteMarkdown(w io.Writer, results []Result, baseline string, doc func(string) string) error {
	for i, s := range scenarios(results) {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "### %s\n\n", s); err != nil {
			return err
		}
		if doc != nil {
			if d := doc(s); d != "" {
				if _, err := fmt.Fprintf(w, "%s\n\n", d); err != nil {
					return err
				}
			}
		}
		if err := WriteTable(w, of(results, s), baseline); err != nil {
			return err
		}
	}
	return nil
}

// WriteTable writes results as one Markdown table: row, ns/op, B/op,
// allocs/op, and ns/op divided by the ns/op of the baseline row among
// results ("–" when results has no baseline row).
func WriteTable(w io.Writer, results []Result, baseline string) error {
	var base float64
	for _, r := range results {
		if r.Row == baseline {
			base = r.NsPerOp
		}
	}
	if _, err := fmt.Fprintf(w, "| row | ns/op | B/op | allocs/op | ns/op ÷ %s |\n|---|---:|---:|---:|---:|\n", baseline); err != nil {
		return err
	}
	for _, r := range results {
		ratio := "–"
		if base > 0 {
			ratio = strconv.FormatFloat(r.NsPerOp/base, 'f', 2, 64)
		}
		if _, err := fmt.Fprintf(w, "| %s | %s | %d | %d | %s |\n",
			r.Row, FormatNs(r.NsPerOp), r.BytesPerOp, r.AllocsPerOp, ratio); err != nil {
			return err
		}
	}
	return nil
}

// FormatNs formats a time per operation in nanoseconds: one decimal below
// 100 ns, whole nanoseconds from there on.
func FormatNs(ns float64) string {
	if ns < 100 {
		return strconv.FormatFloat(ns, 'f', 1, 64)
	}
	return strconv.FormatFloat(ns, 'f', 0, 64)
}
