// Command soak logs at full speed through jsonlog's slog handler and zap
// encoder, with a realistic mix of records (1% of them carry a 1 to 8 MiB
// string), and watches the heap. Every second it samples runtime/metrics and
// prints a row: records per second, live heap, pooled buffer bytes, and the
// p50 / p99 / p99.9 latency of one record in that second.
//
// The heap is measured at rest: once a second the sampler holds the workers
// between two records and runs two full GCs. The first GC leaves what the
// process retains plus what sits in sync.Pools (a pool's items survive exactly
// one GC); the second empties the pools too. The difference between the two is
// printed as the pooled buffer bytes (jsonlog's, zap's and encoding/json's
// together), the figure after the second GC as the live heap: loggers, the
// shared 8 MiB payload, and any leak. The latency of a record does not include
// that pause.
//
// jsonlog's own pool never keeps a buffer past 64 KiB. zap's buffer pool, which
// an encoder must hand its records back to, does keep its largest buffers until
// the second GC, as it does under zap's own JSON encoder; so pooled bytes up to
// one largest record per worker are expected and bounded by -max-pooled.
//
// It exits with status 1 if, after the warm-up, the live heap stays past twice
// its first plateau (the largest live heap seen during the warm-up) for two
// samples in a row, or passes -max-heap, or if the pooled bytes stay past
// -max-pooled for two samples in a row. A leak grows from sample to sample;
// one sample that still sees a record's 8 MiB buffer, gone by the next, is
// not one, nor is a moment when sync.Pool's per-CPU slots happen to hold one
// more large buffer than there are workers (every sample's two GCs empty them).
//
// Usage:
//
//	go -C benchmarks run ./cmd/soak -duration 60s
//	go -C benchmarks run ./cmd/soak -duration 24h -quiet   # a day-long soak
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/bits"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jsonlog/jsonlog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func main() {
	duration := flag.Duration("duration", 60*time.Second, "how long to log")
	warmup := flag.Duration("warmup", 0, "warm-up before the heap is judged (default: a fifth of -duration, at least 2s)")
	maxHeap := flag.Int("max-heap", 64<<20, "fail if the live heap passes this many bytes after warm-up")
	maxPooled := flag.Int("max-pooled", 0, "fail if pooled buffers pass this many bytes (default: 9 MiB per worker, one largest record each)")
	bigShare := flag.Float64("big", 0.01, "share of records that carry a 1 to 8 MiB string")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "goroutines logging")
	quiet := flag.Bool("quiet", false, "print a row every minute instead of every second")
	flag.Parse()
	if *maxPooled == 0 {
		*maxPooled = *workers * 9 << 20
	}
	if *warmup == 0 {
		*warmup = max(*duration/5, 2*time.Second)
	}
	ok := run(os.Stdout, config{
		duration: *duration, warmup: *warmup, maxHeap: uint64(*maxHeap), maxPooled: uint64(*maxPooled),
		bigShare: *bigShare, workers: *workers, quiet: *quiet,
	})
	if !ok {
		os.Exit(1)
	}
}

type config struct {
	duration, warmup time.Duration
	maxHeap          uint64
	maxPooled        uint64
	bigShare         float64
	workers          int
	quiet            bool
}

// countingWriter discards what it is given and counts records and bytes.
type countingWriter struct{ writes, bytes atomic.Int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes.Add(1)
	w.bytes.Add(int64(len(p)))
	return len(p), nil
}

// histogram counts latencies in buckets of about 9% width: the bucket of n
// nanoseconds is 8*log2(n) plus the next three bits.
type histogram [64 * 8]atomic.Uint64

func bucketOf(ns int64) int {
	if ns < 8 {
		return int(max(ns, 0))
	}
	u := uint64(ns)
	exp := bits.Len64(u) - 1
	return exp*8 + int(u>>(exp-3)&7)
}

func bucketValue(b int) time.Duration {
	if b < 8 {
		return time.Duration(b)
	}
	exp, sub := b/8, b%8
	return time.Duration((uint64(8+sub) << (exp - 3)))
}

// quantiles returns the latencies at qs of the counts in d.
func quantiles(d []uint64, qs ...float64) []time.Duration {
	var total uint64
	for _, c := range d {
		total += c
	}
	out := make([]time.Duration, len(qs))
	for i, q := range qs {
		want := uint64(q * float64(total))
		var seen uint64
		for b, c := range d {
			seen += c
			if seen > want {
				out[i] = bucketValue(b)
				break
			}
		}
	}
	return out
}

type payload struct {
	Symbol string    `json:"symbol"`
	Bids   []float64 `json:"bids"`
	Asks   []float64 `json:"asks"`
	Seq    uint64    `json:"seq"`
}

func run(out io.Writer, cfg config) bool {
	w := &countingWriter{}
	slogger := slog.New(jsonlog.NewHandler(w, jsonlog.Deterministic, nil)).With("service", "soak", "pid", 4242)
	zcore := zapcore.NewCore(jsonlog.NewZapEncoder(zap.NewProductionEncoderConfig(), jsonlog.Deterministic), zapcore.AddSync(w), zap.DebugLevel)
	zlogger := zap.New(zcore).With(zap.String("service", "soak"), zap.Int("pid", 4242))

	big := strings.Repeat("0123456789abcdef", 8<<20/16) // 8 MiB, shared: slicing it allocates nothing
	book := payload{Symbol: "BTCUSDT", Bids: make([]float64, 20), Asks: make([]float64, 20)}
	for i := range book.Bids {
		book.Bids[i] = 50000 - float64(i)*0.5
		book.Asks[i] = 50000 + float64(i)*0.5
	}
	errStale := errors.New("stale order book")

	// gate lets the sampler stop every worker between two records.
	var gate sync.RWMutex
	hists := make([]histogram, cfg.workers)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.duration)
	defer cancel()
	var wg sync.WaitGroup
	for i := range cfg.workers {
		wg.Add(1)
		go func(h *histogram, seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 7))
			for n := uint64(0); ctx.Err() == nil; n++ {
				gate.RLock()
				start := time.Now()
				r := rng.Float64()
				switch {
				case r < cfg.bigShare:
					s := big[:(1+rng.IntN(8))<<20]
					if n%2 == 0 {
						slogger.Info("blob", "size", len(s), "data", s)
					} else {
						zlogger.Info("blob", zap.Int("size", len(s)), zap.String("data", s))
					}
				case r < 0.40:
					slogger.LogAttrs(ctx, slog.LevelInfo, "fill",
						slog.String("symbol", "ETHUSDT"), slog.Float64("price", 3000.25), slog.Float64("qty", 0.01),
						slog.Uint64("seq", n), slog.Time("ts", start), slog.Duration("lag", 1500*time.Microsecond))
				case r < 0.80:
					zlogger.Info("quote", zap.String("symbol", "SOLUSDT"), zap.Float64("bid", 99.99), zap.Float64("ask", 100.01),
						zap.Uint64("seq", n), zap.Time("ts", start), zap.Error(errStale))
				case r < 0.90:
					slogger.Info("snapshot", slog.Group("book", "seq", n, "levels", book))
				default:
					zlogger.Info("snapshot", zap.Namespace("book"), zap.Uint64("seq", n), zap.Any("levels", book))
				}
				h[bucketOf(int64(time.Since(start)))].Add(1)
				gate.RUnlock()
			}
		}(&hists[i], uint64(i))
	}

	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	fmt.Fprintf(out, "soak: %d workers, %s (warm-up %s), %.1f%% of records carry a 1-8 MiB string\n\n",
		cfg.workers, cfg.duration, cfg.warmup, 100*cfg.bigShare)
	fmt.Fprintln(out, "| t | records/s | live heap | pooled buffers | p50 | p99 | p99.9 |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|")

	start := time.Now()
	prevCounts := make([]uint64, len(hists[0]))
	prevWrites := int64(0)
	var plateau uint64
	overPlateau := 0 // samples in a row with the live heap past 2 x plateau
	overPooled := 0  // samples in a row with the pooled bytes past -max-pooled
	ok := true
	every := time.Second
	if cfg.quiet {
		every = time.Minute
	}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
			continue
		case <-ticker.C:
		}
		gate.Lock()
		runtime.GC()
		metrics.Read(samples)
		withPools := samples[0].Value.Uint64()
		runtime.GC()
		metrics.Read(samples)
		gate.Unlock()
		live := samples[0].Value.Uint64()
		pooled := withPools - min(withPools, live)
		counts := make([]uint64, len(prevCounts))
		for i := range hists {
			for b := range hists[i] {
				counts[b] += hists[i][b].Load()
			}
		}
		delta := make([]uint64, len(counts))
		for b := range counts {
			delta[b] = counts[b] - prevCounts[b]
		}
		prevCounts = counts
		writes := w.writes.Load()
		elapsed := time.Since(start)
		q := quantiles(delta, 0.50, 0.99, 0.999)
		fmt.Fprintf(out, "| %s | %d | %s | %s | %s | %s | %s |\n", elapsed.Round(time.Second),
			int64(float64(writes-prevWrites)/every.Seconds()), mib(live), mib(pooled), q[0], q[1], q[2])
		prevWrites = writes

		if elapsed <= cfg.warmup {
			plateau = max(plateau, live)
			continue
		}
		if plateau > 0 && live > 2*plateau {
			overPlateau++
		} else {
			overPlateau = 0
		}
		if live > cfg.maxHeap || overPlateau >= 2 {
			fmt.Fprintf(out, "\nFAIL: live heap %s passed min(2 x plateau %s, %s)\n", mib(live), mib(plateau), mib(cfg.maxHeap))
			ok = false
			cancel()
		}
		if pooled > cfg.maxPooled {
			overPooled++
		} else {
			overPooled = 0
		}
		if overPooled >= 2 {
			fmt.Fprintf(out, "\nFAIL: pooled buffers %s passed %s\n", mib(pooled), mib(cfg.maxPooled))
			ok = false
			cancel()
		}
	}
	wg.Wait()
	if ok {
		fmt.Fprintf(out, "\nPASS: %d records, live heap stayed under 2 x plateau (%s) and %s, pooled buffers under %s\n",
			w.writes.Load(), mib(plateau), mib(cfg.maxHeap), mib(cfg.maxPooled))
	}
	return ok
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
