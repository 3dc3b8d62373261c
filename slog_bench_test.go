package jsonlog

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"
)

// nopHandler is enabled and does nothing: it measures slog's front end
// alone (slog.DiscardHandler reports itself disabled, so slog would skip
// the record).
type nopHandler struct{}

func (nopHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (nopHandler) Handle(context.Context, slog.Record) error { return nil }
func (h nopHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h nopHandler) WithGroup(string) slog.Handler           { return h }

type slogBenchStruct struct {
	Name  string
	Count int
	Ok    bool
}

var (
	slogBenchTime = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	slogBenchErr  = errors.New("connection reset by peer")
	slogBenchInts = []int{1, 2, 3, 4, 5}
)

// tenFields are the ten mixed fields of the benchmark scenarios.
func tenFields() []slog.Attr {
	return []slog.Attr{
		slog.Int("int", 42),
		slog.Int64("int64", 1<<40),
		slog.Float64("float64", 3.14159),
		slog.String("string", "hello, world"),
		slog.Bool("bool", true),
		slog.Time("time", slogBenchTime),
		slog.Duration("duration", 1500*time.Millisecond),
		slog.Any("error", slogBenchErr),
		slog.Any("ints", slogBenchInts),
		slog.Any("struct", slogBenchStruct{"widget", 7, true}),
	}
}

func slogBenchRows() []struct {
	name string
	h    slog.Handler
} {
	return []struct {
		name string
		h    slog.Handler
	}{
		{"jsonlog-Deterministic", NewHandler(io.Discard, Deterministic, nil)},
		{"jsonlog-Compact", NewHandler(io.Discard, Compact, nil)},
		{"slog.JSONHandler", slog.NewJSONHandler(io.Discard, nil)},
		{"nop", nopHandler{}},
	}
}

func BenchmarkSlog(b *testing.B) {
	ctx := context.Background()
	fields := tenFields()
	scenarios := []struct {
		name     string
		parallel bool
		run      func(*slog.Logger)
		logger   func(*slog.Logger) *slog.Logger
	}{
		{name: "message", run: func(l *slog.Logger) { l.LogAttrs(ctx, slog.LevelInfo, "order book snapshot recorded") }},
		{name: "10fields", run: func(l *slog.Logger) { l.LogAttrs(ctx, slog.LevelInfo, "order book snapshot recorded", fields...) }},
		{name: "10context", run: func(l *slog.Logger) { l.LogAttrs(ctx, slog.LevelInfo, "order book snapshot recorded") },
			logger: func(l *slog.Logger) *slog.Logger { return slog.New(l.Handler().WithAttrs(fields)) }},
		{name: "parallel-message", parallel: true, run: func(l *slog.Logger) { l.LogAttrs(ctx, slog.LevelInfo, "order book snapshot recorded") }},
		{name: "parallel-10fields", parallel: true, run: func(l *slog.Logger) {
			l.LogAttrs(ctx, slog.LevelInfo, "order book snapshot recorded", fields...)
		}},
		{name: "parallel-10context", parallel: true, run: func(l *slog.Logger) { l.LogAttrs(ctx, slog.LevelInfo, "order book snapshot recorded") },
			logger: func(l *slog.Logger) *slog.Logger { return slog.New(l.Handler().WithAttrs(fields)) }},
	}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			for _, row := range slogBenchRows() {
				b.Run(row.name, func(b *testing.B) {
					l := slog.New(row.h)
					if sc.logger != nil {
						l = sc.logger(l)
					}
					b.ReportAllocs()
					if sc.parallel {
						b.RunParallel(func(pb *testing.PB) {
							for pb.Next() {
								sc.run(l)
							}
						})
						return
					}
					for b.Loop() {
						sc.run(l)
					}
				})
			}
		})
	}
}
