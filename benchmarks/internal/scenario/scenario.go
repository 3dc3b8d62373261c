package scenario

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// logger is one row's logger, built for one writer, with one method per
// base scenario. Every method must be safe for concurrent use.
type logger interface {
	msg()
	fields10()
	context10()
	structField()
	orderbook()
}

// Scenario is one kind of log call, run serially or from parallel goroutines.
type Scenario struct {
	// Name is the scenario's name in tables, charts and filters.
	Name string
	// Bench is the name of its Go benchmark function, without "Benchmark".
	Bench string
	// Doc says what one operation logs.
	Doc string
	// Parallel runs the operation with b.RunParallel.
	Parallel bool

	call func(logger) func()
}

// base lists the serial scenarios; Scenarios adds a parallel twin to each.
var base = []Scenario{
	{Name: "msg", Bench: "Msg", Doc: "a message only", call: func(l logger) func() { return l.msg }},
	{Name: "fields10", Bench: "Fields10", Doc: "a message and 10 fields of 10 kinds", call: func(l logger) func() { return l.fields10 }},
	{Name: "context10", Bench: "Context10", Doc: "a message, with the 10 fields attached earlier by With", call: func(l logger) func() { return l.context10 }},
	{Name: "struct", Bench: "Struct", Doc: "a message and one struct field written by reflection", call: func(l logger) func() { return l.structField }},
	{Name: "orderbook", Bench: "Orderbook", Doc: "an order-book snapshot: symbol, sequence, time, 20+20 levels as []float64", call: func(l logger) func() { return l.orderbook }},
}

// Scenarios are all scenarios in report order: each serial one, then its parallel twin.
var Scenarios = func() []Scenario {
	var all []Scenario
	for _, s := range base {
		p := s
		p.Name += "-parallel"
		p.Bench += "Parallel"
		p.Doc += ", from GOMAXPROCS goroutines"
		p.Parallel = true
		all = append(all, s, p)
	}
	return all
}()

// Row is one logger set-up under test.
type Row struct {
	// Name is the row's name in tables, charts, filters and sub-benchmarks.
	Name string
	// Silent rows write nothing at all (the nop handler): they have no sample line.
	Silent bool

	build func(w io.Writer) logger
}

// Prepare builds r's logger over w and returns the function that runs one
// operation of s. Building (including any With) is not part of the operation.
func (r Row) Prepare(s Scenario, w io.Writer) func() {
	return s.call(r.build(w))
}

// Capture returns what r writes for one operation of s.
func (r Row) Capture(s Scenario) []byte {
	var buf bytes.Buffer
	r.Prepare(s, &buf)()
	return buf.Bytes()
}

// Bench measures r on s, writing to io.Discard. Both the Go benchmarks and
// cmd/compare run it.
func Bench(b *testing.B, r Row, s Scenario) {
	op := r.Prepare(s, io.Discard)
	b.ReportAllocs()
	if s.Parallel {
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				op()
			}
		})
		return
	}
	for b.Loop() {
		op()
	}
}

// Find returns the scenario called name; it panics if there is none.
func Find(name string) Scenario {
	for _, s := range Scenarios {
		if s.Name == name {
			return s
		}
	}
	panic("scenario: no scenario " + name)
}

// Select returns the items of all that filter names, in their order in all.
// filter is a comma-separated list; each entry selects the item whose name
// equals it (case-insensitively) or, when none does, every item whose name
// contains it. An empty filter selects everything; an entry that selects
// nothing is an error.
func Select[T any](all []T, name func(T) string, filter string) ([]T, error) {
	if strings.TrimSpace(filter) == "" {
		return all, nil
	}
	keep := make([]bool, len(all))
	for _, entry := range strings.Split(filter, ",") {
		entry = strings.ToLower(strings.TrimSpace(entry))
		if entry == "" {
			continue
		}
		picked := match(all, name, func(n string) bool { return n == entry })
		if len(picked) == 0 {
			picked = match(all, name, func(n string) bool { return strings.Contains(n, entry) })
		}
		if len(picked) == 0 {
			return nil, fmt.Errorf("%q selects nothing", entry)
		}
		for _, i := range picked {
			keep[i] = true
		}
	}
	var out []T
	for i, it := range all {
		if keep[i] {
			out = append(out, it)
		}
	}
	return out, nil
}

// match returns the indexes of the items whose lower-cased name satisfies ok.
func match[T any](all []T, name func(T) string, ok func(string) bool) []int {
	var idx []int
	for i, it := range all {
		if ok(strings.ToLower(name(it))) {
			idx = append(idx, i)
		}
	}
	return idx
}
