package jsonlog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Hostile values: each must leave one valid line (or an error from
// Marshal), keep the rest of the record, and, where it fails, say so in its
// own field.

type (
	hPanicJSON   struct{}
	hFailJSON    struct{}
	hPanicText   struct{}
	hFailText    struct{}
	hPanicError  struct{}
	hPanicString struct{}
	hPanicLV     struct{}
	hSelfLV      struct{}
	hPanicObject struct{}
	hFailObject  struct{}
	hPanicArray  struct{}
	hNilPtrErr   struct{ msg string }
	hNilPtrStr   struct{ s string }
	hCycle       struct {
		Next *hCycle
		V    int
	}
)

func (hPanicJSON) MarshalJSON() ([]byte, error) { panic("boom-json") }
func (hFailJSON) MarshalJSON() ([]byte, error)  { return nil, errors.New("fail-json") }
func (hPanicText) MarshalText() ([]byte, error) { panic("boom-text") }
func (hFailText) MarshalText() ([]byte, error)  { return nil, errors.New("fail-text") }
func (hPanicError) Error() string               { panic("boom-error") }
func (hPanicString) String() string             { panic("boom-string") }
func (hPanicLV) LogValue() slog.Value           { panic("boom-logvalue") }
func (s hSelfLV) LogValue() slog.Value          { return slog.AnyValue(s) }
func (e *hNilPtrErr) Error() string             { return e.msg }
func (s *hNilPtrStr) String() string            { return s.s }
func (hPanicObject) MarshalLogObject(zapcore.ObjectEncoder) error {
	panic("boom-object")
}
func (hFailObject) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddInt("partial", 1)
	return errors.New("fail-object")
}
func (hPanicArray) MarshalLogArray(zapcore.ArrayEncoder) error { panic("boom-array") }

func deepSlice(n int) any {
	var v any = "bottom"
	for i := 0; i < n; i++ {
		v = []any{v}
	}
	return v
}

func deepMap(n int) any {
	var v any = "bottom"
	for i := 0; i < n; i++ {
		v = map[string]any{"d": v}
	}
	return v
}

type hostile struct {
	name string
	v    any
	says string // text the failing field must carry; "" when the value is fine
}

func hostileValues() []hostile {
	cycle := &hCycle{V: 1}
	cycle.Next = cycle
	var nilErr *hNilPtrErr
	var nilStr *hNilPtrStr
	var nilIface any
	var nilMap map[string]any
	var nilSlice []int
	var nilPtr *int
	// 16 MiB; under -race, whose instrumented checks of such a line take
	// seconds each, 2 MiB (.ci/run also runs these tests without -race).
	bigSize := 16 << 20
	if raceEnabled {
		bigSize = 2 << 20
	}
	big := strings.Repeat("x", bigSize)
	return []hostile{
		{"MarshalJSON panics", hPanicJSON{}, "boom-json"},
		{"MarshalJSON fails", hFailJSON{}, "fail-json"},
		{"MarshalText panics", hPanicText{}, "boom-text"},
		{"MarshalText fails", hFailText{}, "fail-text"},
		{"Error panics", hPanicError{}, ""},
		{"String panics", hPanicString{}, ""},
		{"pointer cycle", cycle, "cycle"},
		{"10000 levels of slices", deepSlice(10000), ""},
		{"10000 levels of maps", deepMap(10000), ""},
		{"16 MiB string", big, ""},
		{"invalid UTF-8", "a\xffb\xc0", ""},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"year -1", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"NaN", math.NaN(), ""},
		{"+Inf in a slice", []float64{1, math.Inf(1)}, ""},
		{"-Inf in a map", map[string]any{"x": math.Inf(-1)}, ""},
		{"NaN in a struct", struct{ F float64 }{math.NaN()}, ""},
		{"nil interface", nilIface, ""},
		{"nil pointer", nilPtr, ""},
		{"nil map", nilMap, ""},
		{"nil slice", nilSlice, ""},
		{"typed nil error", nilErr, ""},
		{"typed nil Stringer", nilStr, ""},
	}
}

const hostileKey = "h\xff"

func TestHostileValuesSlog(t *testing.T) {
	for _, flags := range []Flags{Compact, Deterministic} {
		for _, hv := range append(hostileValues(),
			hostile{"LogValue panics", hPanicLV{}, "LogValue panicked"},
			hostile{"LogValue returns itself", hSelfLV{}, "LogValue called too many times"}) {
			t.Run(fmt.Sprintf("%s/%x", hv.name, flags), func(t *testing.T) {
				var buf bytes.Buffer
				l := slog.New(NewHandler(&buf, flags, nil))
				require.NotPanics(t, func() {
					l.Info("m", "before", 1, hostileKey, hv.v, "after", 2)
					l.Info("m", slog.Group("g", slog.Any("v", hv.v)), "after", 2)
				})
				lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
				require.Len(t, lines, 3, "two records, two lines")
				for _, line := range lines[:2] {
					checkLine(t, line, flags.has(SortKeys))
					assert.Contains(t, string(line), `"after":2`, "the rest of the record is kept")
					if hv.says != "" {
						assert.Contains(t, string(line), hv.says, "the failing field says what failed")
					}
				}
			})
		}
	}
}

func TestHostileValuesZap(t *testing.T) {
	zapOnly := []hostile{
		{"MarshalLogObject panics", zap.Object("o", hPanicObject{}), "boom-object"},
		{"MarshalLogObject fails", zap.Object("o", hFailObject{}), "fail-object"},
		{"MarshalLogArray panics", zap.Array("a", hPanicArray{}), "boom-array"},
		{"Stringer panics", zap.Stringer("s", hPanicString{}), "boom-string"},
		{"typed nil Stringer field", zap.Stringer("s", (*hNilPtrStr)(nil)), "<nil>"},
		{"Error panics field", zap.NamedError("e", hPanicError{}), "boom-error"},
		{"typed nil error field", zap.NamedError("e", (*hNilPtrErr)(nil)), "<nil>"},
	}
	for _, flags := range []Flags{Compact, Deterministic} {
		for _, hv := range append(hostileValues(), zapOnly...) {
			t.Run(fmt.Sprintf("%s/%x", hv.name, flags), func(t *testing.T) {
				var buf bytes.Buffer
				core := zapcore.NewCore(NewZapEncoder(zap.NewProductionEncoderConfig(), flags), zapcore.AddSync(&buf), zap.DebugLevel)
				l := zap.New(core)
				field, ok := hv.v.(zap.Field)
				if !ok {
					field = zap.Any(hostileKey, hv.v)
				}
				require.NotPanics(t, func() {
					l.Info("m", zap.Int("before", 1), field, zap.Int("after", 2))
					l.With(field).Info("m", zap.Int("after", 2))
				})
				lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
				require.Len(t, lines, 3, "two records, two lines")
				for _, line := range lines[:2] {
					checkLine(t, line, flags.has(SortKeys))
					assert.Contains(t, string(line), `"after":2`, "the rest of the record is kept")
					if hv.says != "" {
						assert.Contains(t, string(line), hv.says, "the failing field says what failed")
					}
				}
			})
		}
	}
}

func TestHostileValuesMarshal(t *testing.T) {
	for _, flags := range []Flags{Compact, Standard, PrettySorted} {
		for _, hv := range hostileValues() {
			t.Run(fmt.Sprintf("%s/%x", hv.name, flags), func(t *testing.T) {
				var out []byte
				var err error
				require.NotPanics(t, func() { out, err = Marshal(map[string]any{"v": hv.v, "after": 2}, flags) })
				if err != nil {
					assert.Empty(t, out)
					if hv.says != "" {
						assert.Contains(t, err.Error(), hv.says, "the error says what failed")
					}
					return
				}
				assert.Empty(t, hv.says, "a failing value must fail Marshal")
				checkJSON(t, out, flags.has(SortKeys))
			})
		}
	}
}

// Writer faults.

type errWriter struct{ calls int }

func (w *errWriter) Write(p []byte) (int, error) { w.calls++; return 0, errors.New("disk full") }

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestWriterErrorsAreReturned(t *testing.T) {
	t.Run("slog", func(t *testing.T) {
		// No time (the general path), a time (a sorted handler's layout),
		// a time and attributes (the flat path, then a shape).
		withAttrs := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
		withAttrs.AddAttrs(slog.Int("a", 1))
		records := []slog.Record{slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0), slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0), withAttrs}
		for _, flags := range []Flags{Compact, Deterministic, PrettySorted} {
			for i, r := range records {
				w := &errWriter{}
				h := NewHandler(w, flags, nil)
				for range 3 {
					err := h.Handle(context.Background(), r)
					assert.EqualError(t, err, "disk full", "record %d", i)
				}
				assert.Equal(t, 3, w.calls, "one Write per record")
				err := NewHandler(shortWriter{}, flags, nil).Handle(context.Background(), r)
				assert.ErrorIs(t, err, io.ErrShortWrite, "record %d", i)
			}
		}
	})
	t.Run("zap", func(t *testing.T) {
		for _, flags := range []Flags{Compact, Deterministic} {
			w := &errWriter{}
			core := zapcore.NewCore(NewZapEncoder(zap.NewProductionEncoderConfig(), flags), zapcore.AddSync(w), zap.DebugLevel)
			err := core.Write(zapcore.Entry{Message: "m"}, []zapcore.Field{zap.Int("a", 1)})
			assert.ErrorContains(t, err, "disk full")
			assert.Equal(t, 1, w.calls, "one Write per record")
		}
	})
}

// blockingWriter holds the first Write until released and records every
// Write it is given.
type blockingWriter struct {
	mu      sync.Mutex
	release chan struct{}
	once    sync.Once
	writes  [][]byte
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { <-w.release })
	w.mu.Lock()
	w.writes = append(w.writes, bytes.Clone(p))
	w.mu.Unlock()
	return len(p), nil
}

func TestBlockedWriterGetsWholeRecords(t *testing.T) {
	w := &blockingWriter{release: make(chan struct{})}
	sl := slog.New(NewHandler(w, Deterministic, nil))
	zl := zap.New(zapcore.NewCore(NewZapEncoder(zap.NewProductionEncoderConfig(), Deterministic), zapcore.AddSync(w), zap.DebugLevel))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); sl.Info("slog", "i", i, "pad", strings.Repeat("p", 1000*i)) }()
		go func() {
			defer wg.Done()
			zl.Info("zap", zap.Int("i", i), zap.String("pad", strings.Repeat("p", 1000*i)))
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(w.release)
	wg.Wait()
	require.Len(t, w.writes, 16, "one Write per record")
	for _, p := range w.writes {
		checkLine(t, p, true)
	}
}

// lineCollector is a writer that keeps every Write for later checks.
type lineCollector struct {
	mu     sync.Mutex
	writes [][]byte
}

func (c *lineCollector) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.writes = append(c.writes, bytes.Clone(p))
	c.mu.Unlock()
	return len(p), nil
}

// TestConcurrentDerivedLoggers logs 16 goroutines x 10,000 records through
// loggers derived from one base into one writer: every line whole and
// valid, every record present.
func TestConcurrentDerivedLoggers(t *testing.T) {
	goroutines, records := 16, 10000
	if testing.Short() {
		records = 500
	}
	out := &lineCollector{}
	base := slog.New(NewHandler(out, Deterministic, nil)).With("app", "bot")
	zbase := zap.New(zapcore.NewCore(NewZapEncoder(zap.NewProductionEncoderConfig(), Deterministic), zapcore.AddSync(out), zap.DebugLevel)).With(zap.String("app", "bot"))
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sl := base.With("g", g).WithGroup("req")
			zl := zbase.With(zap.Int("g", g)).Named(fmt.Sprint("w", g))
			for i := 0; i < records; i++ {
				if i%2 == 0 {
					sl.Info("tick", "i", i)
				} else {
					zl.Info("tick", zap.Int("i", i))
				}
			}
		}()
	}
	wg.Wait()
	require.Len(t, out.writes, goroutines*records, "every record present, one Write each")
	seen := make(map[[2]int]bool, goroutines*records)
	for _, p := range out.writes {
		if lineProblem(p, true, true) != "" {
			checkLine(t, p, true)
			t.FailNow()
		}
		var rec struct {
			G   *int `json:"g"`
			I   *int `json:"i"`
			Req struct {
				I *int `json:"i"`
			} `json:"req"`
		}
		require.NoError(t, json.Unmarshal(p, &rec))
		i := rec.I
		if i == nil {
			i = rec.Req.I
		}
		require.NotNil(t, rec.G)
		require.NotNil(t, i)
		seen[[2]int{*rec.G, *i}] = true
	}
	assert.Len(t, seen, goroutines*records, "every (goroutine, record) pair exactly once")
}

type panicOnceWriter struct{ n int }

func (w *panicOnceWriter) Write(p []byte) (int, error) {
	w.n++
	if w.n == 1 {
		panic("writer boom")
	}
	return len(p), nil
}

// A writer that panics once must not leave the handler's lock held: the next
// record (through the handler or a clone) is written.
func TestWriterPanicDoesNotDeadlock(t *testing.T) {
	for _, flags := range []Flags{Compact, Deterministic} {
		w := &panicOnceWriter{}
		h := NewHandler(w, flags, nil)
		assert.Panics(t, func() { _ = h.Handle(context.Background(), slog.NewRecord(time.Time{}, slog.LevelInfo, "first", 0)) })
		done := make(chan error, 1)
		go func() {
			done <- h.WithAttrs([]slog.Attr{slog.Int("a", 1)}).Handle(context.Background(), slog.NewRecord(time.Time{}, slog.LevelInfo, "second", 0))
		}()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(5 * time.Second):
			t.Fatal("the second record blocked: the lock was not released")
		}
	}
}

// In Compact mode a value 1,500 levels deep is written as the peers write
// it (their line is valid JSON); 10,000 levels would make a line
// encoding/json cannot read, and become an error string.
func TestCompactDeepValues(t *testing.T) {
	for _, depth := range []int{1500, 10000} {
		v := deepSlice(depth)
		var want, got bytes.Buffer
		r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
		r.AddAttrs(slog.Any("v", v), slog.Int("after", 1))
		require.NoError(t, slog.NewJSONHandler(&want, nil).Handle(context.Background(), r))
		require.NoError(t, NewHandler(&got, Compact, nil).Handle(context.Background(), r))
		cfg := zap.NewProductionEncoderConfig()
		ent := zapcore.Entry{Message: "m"}
		zb, err := zapcore.NewJSONEncoder(cfg).EncodeEntry(ent, []zapcore.Field{zap.Reflect("v", v), zap.Int("after", 1)})
		require.NoError(t, err)
		jb, err := NewZapEncoder(cfg, Compact).EncodeEntry(ent, []zapcore.Field{zap.Reflect("v", v), zap.Int("after", 1)})
		require.NoError(t, err)
		for _, line := range [][]byte{got.Bytes(), jb.Bytes()} {
			var m map[string]any
			require.NoError(t, json.Unmarshal(line, &m), "depth %d", depth)
			require.Contains(t, m, "after")
		}
		if depth < maxCompactDepth {
			assert.Equal(t, want.String(), got.String(), "slog, depth %d", depth)
			assert.Equal(t, zb.String(), jb.String(), "zap, depth %d", depth)
		} else {
			assert.Contains(t, got.String(), "max depth")
			assert.Contains(t, jb.String(), "vError")
		}
	}
}
