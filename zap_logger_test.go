package jsonlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// lockedBuffer is a writer shared by many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := strings.SplitAfter(l.b.String(), "\n")
	return lines[:len(lines)-1] // after the last "\n"
}

// newTestLogger returns a logger writing through NewZapEncoder to buf, with
// the time key removed so that lines are fixed.
func newTestLogger(buf *lockedBuffer, flags Flags) *zap.Logger {
	cfg := zap.NewProductionEncoderConfig()
	cfg.TimeKey = ""
	core := zapcore.NewCore(NewZapEncoder(cfg, flags), zapcore.AddSync(buf), zapcore.DebugLevel)
	return zap.New(core)
}

// TestZapLoggerFieldConstructors logs every zap.Field constructor through
// zap.New(core), with With context and call fields, in both modes. Compact
// lines must equal zap's; sorted lines must hold the same members.
func TestZapLoggerFieldConstructors(t *testing.T) {
	ctx := []zapcore.Field{zap.String("service", "recorder"), zap.Int("shard", 3)}
	for _, tc := range zapDiffCases() {
		if tc.diverge != "" || tc.cfg != nil || tc.ent != nil || strings.Contains(tc.name, "stack") {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			var ours, sorted, theirs lockedBuffer
			cfg := zap.NewProductionEncoderConfig()
			cfg.TimeKey = ""
			zl := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(cfg), zapcore.AddSync(&theirs), zapcore.DebugLevel))
			for _, l := range []*zap.Logger{newTestLogger(&ours, Compact), newTestLogger(&sorted, Deterministic), zl} {
				l.With(append(ctx, tc.ctx...)...).Named("rec").Info("msg", tc.fields...)
			}
			if ours.b.String() != theirs.b.String() {
				t.Errorf("Compact differs from zap\n got %q\nwant %q", ours.b.String(), theirs.b.String())
			}
			checkLine(t, ours.b.Bytes(), false)
			checkLine(t, sorted.b.Bytes(), true)
			// Without duplicate keys, the sorted line holds the same data.
			var a, b any
			if err := json.Unmarshal(sorted.b.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(theirs.b.Bytes(), &b); err != nil {
				t.Fatal(err)
			}
			// Failing marshalers leave nothing behind when sorted (zap keeps
			// what they wrote); sorted reflection follows jsonlog's value
			// policies (NaN as "NaN", error texts that name the failing type).
			differs := map[string]bool{"duplicate keys": true, "reflect nan": true, "reflect json marshaler": true, "reflect unsupported": true}
			if !differs[tc.name] && !strings.Contains(tc.name, "fail") && fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("sorted line holds other data\n got %v\nwant %v", a, b)
			}
		})
	}
}

// TestZapConcurrentClones logs from many goroutines through With and Named
// clones of one logger into one writer: every line whole and valid, every
// line present. Run with -race.
func TestZapConcurrentClones(t *testing.T) {
	for _, flags := range []Flags{Compact, Deterministic} {
		var buf lockedBuffer
		root := newTestLogger(&buf, flags).With(zap.String("app", "x"), zap.Namespace("ctx"))
		const goroutines, perG = 16, 200
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l := root.Named(fmt.Sprint("g", g)).With(zap.Int("g", g), zap.Object("o", zObj{"n", g}))
				if g%2 == 0 {
					l = l.With(zap.Namespace("deeper"))
				}
				for i := range perG {
					l.Info("line", zap.Int("i", i), zap.Any("m", map[string]int{"i": i}), zap.Ints("is", []int{g, i}),
						zap.Error(errors.New("e")), zap.Duration("d", time.Duration(i)))
				}
			}()
		}
		wg.Wait()
		lines := buf.lines()
		if len(lines) != goroutines*perG {
			t.Fatalf("flags %v: %d lines, want %d", flags, len(lines), goroutines*perG)
		}
		for _, line := range lines {
			checkLine(t, []byte(line), flags.has(SortKeys))
		}
	}
}

// TestZapEncodeEntryAllocs: with fields that are primitives, times,
// durations and errors, EncodeEntry allocates nothing (once pools are warm).
func TestZapEncodeEntryAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("alloc counts (the race detector makes sync.Pool drop items)")
	}
	fields := benchPrimitiveFields()
	ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: benchTime, LoggerName: "n", Message: "m"}
	for _, flags := range []Flags{Compact, Deterministic, Deterministic | TimeRFC3339Millis | DurationString} {
		for _, withCtx := range []bool{false, true} {
			enc := NewZapEncoder(zap.NewProductionEncoderConfig(), flags)
			if withCtx {
				enc = enc.Clone()
				for _, f := range fields[:5] {
					f.AddTo(enc)
				}
			}
			allocs := testing.AllocsPerRun(200, func() {
				buf, err := enc.EncodeEntry(ent, fields)
				if err != nil {
					t.Fatal(err)
				}
				buf.Free()
			})
			if allocs != 0 {
				t.Errorf("flags %v context %v: %v allocs per EncodeEntry, want 0", flags, withCtx, allocs)
			}
		}
	}
}

// TestZapConfigBuild: zap.Config{Encoding: "jsonlog"} builds a logger with
// Deterministic flags.
func TestZapConfigBuild(t *testing.T) {
	cfg := zap.NewProductionConfig()
	cfg.Encoding = "jsonlog"
	cfg.EncoderConfig.TimeKey = ""
	cfg.OutputPaths = []string{"stdout"}
	if _, err := cfg.Build(); err != nil {
		t.Fatal(err)
	}
}
