package jsonlog

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// TestSlogAllocs asserts that a record of primitive attributes, with and
// without context, costs no allocation in the handler, in every mode.
func TestSlogAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items on purpose under the race detector")
	}
	ctx := context.Background()
	attrs := []slog.Attr{
		slog.Int("int", 1), slog.Int64("int64", 2), slog.Uint64("uint64", 3), slog.Float64("float", 1.5),
		slog.String("string", "s\n\"<>"), slog.Bool("bool", true), slog.Time("time", time.Unix(5, 6)),
		slog.Duration("dur", time.Second), slog.Any("err", benchErr), slog.Any("ints", benchInts),
		slog.Group("g", slog.Int("a", 1), slog.String("b", "x")),
	}
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "message", 0)
	r.AddAttrs(attrs...)
	for _, flags := range []Flags{Compact, Deterministic, PrettySorted, Deterministic | TimeRFC3339Millis | DurationString | UTC} {
		for _, opts := range []*slog.HandlerOptions{nil, {ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr { return a }}} {
			var h slog.Handler = NewHandler(io.Discard, flags, opts)
			for _, name := range []string{"plain", "context"} {
				if name == "context" {
					h = h.WithAttrs(attrs).WithGroup("grp").WithAttrs(attrs[:3])
				}
				_ = h.Handle(ctx, r) // warm the pools
				n := testing.AllocsPerRun(200, func() { _ = h.Handle(ctx, r) })
				if n != 0 {
					t.Errorf("flags %#x, ReplaceAttr %v, %s: %v allocs per record, want 0", flags, opts != nil, name, n)
				}
			}
		}
	}
}
