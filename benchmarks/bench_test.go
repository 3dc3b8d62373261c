package benchmarks

import (
	"testing"

	"github.com/jsonlog/jsonlog/benchmarks/internal/scenario"
)

// benchRows runs the scenario called name on every row, one sub-benchmark
// per row named after the row, so every Benchmark<Scenario> has the same
// sub-benchmark names and one benchstat table compares them.
func benchRows(b *testing.B, name string) {
	s := scenario.Find(name)
	for _, r := range scenario.Rows {
		b.Run(r.Name, func(b *testing.B) {
			b.ReportAllocs()
			scenario.Bench(b, r, s)
		})
	}
}

func BenchmarkMsg(b *testing.B)               { benchRows(b, "msg") }
func BenchmarkMsgParallel(b *testing.B)       { benchRows(b, "msg-parallel") }
func BenchmarkFields10(b *testing.B)          { benchRows(b, "fields10") }
func BenchmarkFields10Parallel(b *testing.B)  { benchRows(b, "fields10-parallel") }
func BenchmarkContext10(b *testing.B)         { benchRows(b, "context10") }
func BenchmarkContext10Parallel(b *testing.B) { benchRows(b, "context10-parallel") }
func BenchmarkStruct(b *testing.B)            { benchRows(b, "struct") }
func BenchmarkStructParallel(b *testing.B)    { benchRows(b, "struct-parallel") }
func BenchmarkOrderbook(b *testing.B)         { benchRows(b, "orderbook") }
func BenchmarkOrderbookParallel(b *testing.B) { benchRows(b, "orderbook-parallel") }

// TestBenchmarksCoverScenarios keeps the Benchmark functions above in step
// with scenario.Scenarios.
func TestBenchmarksCoverScenarios(t *testing.T) {
	want := map[string]bool{
		"Msg": true, "MsgParallel": true, "Fields10": true, "Fields10Parallel": true,
		"Context10": true, "Context10Parallel": true, "Struct": true, "StructParallel": true,
		"Orderbook": true, "OrderbookParallel": true,
	}
	for _, s := range scenario.Scenarios {
		if !want[s.Bench] {
			t.Errorf("scenario %s has no Benchmark%s", s.Name, s.Bench)
		}
		delete(want, s.Bench)
	}
	for name := range want {
		t.Errorf("Benchmark%s has no scenario", name)
	}
}
