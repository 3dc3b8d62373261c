package jsonlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// TestZapFastPathMatchesTree: the sorted encoder's fast path (built-ins
// merged by emitFast without tree members) writes what the general path
// writes: fields with a built-in's key, duplicates, namespaces (in the call
// and left open by the context), objects and With context.
func TestZapFastPathMatchesTree(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	fieldSets := [][]zapcore.Field{
		nil,
		{zap.Int("a", 1)},
		{zap.String("msg", "m"), zap.Int("level", 2), zap.String("ts", "t"), zap.String("caller", "c"), zap.String("stacktrace", "s")},
		{zap.String("fields.msg", "x"), zap.String("msg", "y")},
		{zap.Int("b", 1), zap.Int("a", 2), zap.Int("b", 3)},
		{zap.Namespace("ns"), zap.Int("a", 1), zap.String("msg", "inner")},
		{zap.Any("s", map[string]int{"b": 1, "a": 2}), zap.Any("s", map[string]int{"c": 3})},
		{zap.Object("o", zapcore.ObjectMarshalerFunc(func(e zapcore.ObjectEncoder) error { e.AddInt("z", 1); return nil })), zap.Int("o", 5)},
		{zap.Ints("ints", []int{1, 2}), zap.Error(benchErr), zap.Duration("d", time.Second), zap.Time("t", tm)},
		{zap.String("logger", "l"), zap.Int("c", 1), zap.String("level", "x")},
	}
	ctxSets := [][]zapcore.Field{
		nil,
		{zap.Int("c", 1)},
		{zap.String("msg", "ctx"), zap.String("a", "ctx")},
		{zap.Namespace("ctxns"), zap.Int("x", 1)},
		{zap.Any("s", map[string]int{"d": 4}), zap.String("fields.msg", "ctx")},
	}
	entries := []zapcore.Entry{
		{Level: zapcore.InfoLevel, Time: tm, Message: "hello"},
		{Level: zapcore.WarnLevel, Time: tm, LoggerName: "svc", Message: "m", Stack: "stack\ntrace",
			Caller: zapcore.NewEntryCaller(0, "/a/b/c.go", 12, true)},
		{Level: zapcore.ErrorLevel, Message: ""},
	}
	cfgs := []zapcore.EncoderConfig{zap.NewProductionEncoderConfig(), zap.NewDevelopmentEncoderConfig()}
	cfgs[1].FunctionKey = "func"
	for ci, cfg := range cfgs {
		for _, flags := range []Flags{Deterministic, PrettySorted} {
			fastEnc := NewZapEncoder(cfg, flags).(*zapEncoder)
			treeEnc := NewZapEncoder(cfg, flags).(*zapEncoder)
			if !fastEnc.c.fast {
				t.Fatalf("config %d: no fast path", ci)
			}
			treeEnc.c.fast = false
			for xi, ctx := range ctxSets {
				fe, te := fastEnc.Clone(), treeEnc.Clone()
				for _, f := range ctx {
					f.AddTo(fe)
					f.AddTo(te)
				}
				for fi, fields := range fieldSets {
					for ei, ent := range entries {
						a, err := fe.EncodeEntry(ent, fields)
						if err != nil {
							t.Fatal(err)
						}
						b, err := te.EncodeEntry(ent, fields)
						if err != nil {
							t.Fatal(err)
						}
						if a.String() != b.String() {
							t.Errorf("config %d flags %v context %d fields %d entry %d:\nfast %s\ntree %s", ci, flags, xi, fi, ei, a, b)
						}
						a.Free()
						b.Free()
					}
				}
			}
		}
	}
}

// TestZapDirectPathMatches: entries with no fields take encodeDirect (the
// rendered context's runs and the built-ins written in a fixed order); its
// bytes equal emitFast's and the tree's, across configs with renamed and
// omitted keys, logger names, callers, stack traces, zero times and
// contexts whose keys sort before, between and after the built-ins, collide
// with them, or are empty.
func TestZapDirectPathMatches(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	prod := zap.NewProductionEncoderConfig()
	renamed := prod
	renamed.LevelKey, renamed.TimeKey, renamed.MessageKey, renamed.NameKey = "L", "zz", "m", "n"
	renamed.CallerKey, renamed.FunctionKey, renamed.StacktraceKey = "c", "f", "s"
	omitted := prod
	omitted.TimeKey, omitted.CallerKey, omitted.StacktraceKey, omitted.LevelKey = zapcore.OmitKey, "", zapcore.OmitKey, ""
	dev := zap.NewDevelopmentEncoderConfig()
	dev.FunctionKey = "func"
	noop := prod
	noop.EncodeLevel = func(zapcore.Level, zapcore.PrimitiveArrayEncoder) {}
	noop.EncodeName = nil
	noop.EncodeTime = zapcore.ISO8601TimeEncoder
	nested := prod
	nested.EncodeLevel = func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
		_ = e.(zapcore.ArrayEncoder).AppendObject(zapcore.ObjectMarshalerFunc(func(o zapcore.ObjectEncoder) error {
			o.AddString("name", l.String())
			return nil
		}))
	}
	// A callback that adds a member: the direct path falls back after
	// writing the built-ins.
	adder := prod
	adder.EncodeLevel = func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
		e.AppendString(l.String())
		e.(zapcore.ObjectEncoder).AddString("added", "x")
	}
	cfgs := []zapcore.EncoderConfig{prod, renamed, omitted, dev, noop, nested, adder}
	ctxSets := [][]zapcore.Field{
		nil,
		{zap.Skip()},
		{zap.Int("a", 1)},
		{zap.Int("zzz", 1), zap.Int("~", 2)},
		{zap.Int("a", 1), zap.String("lev", "x"), zap.Int("m0", 2), zap.Int("t", 3), zap.Int("zzz", 4), zap.Int("caller0", 5)},
		benchFields(),
		{zap.String("msg", "ctx"), zap.String("a", "ctx")},
		{zap.String("level", "ctx")},
		{zap.Int("ts", 1), zap.Int("L", 2), zap.Int("m", 3)},
		{zap.Int("fields.msg", 1), zap.Int("n", 2), zap.Int("s", 3), zap.Int("f", 4)},
		{zap.Namespace("ns"), zap.Int("x", 1)},
		{zap.Any("obj", map[string]int{"b": 1, "a": 2}), zap.Int("obj2", 1)},
		{zap.Int("b", 1), zap.Int("b", 2)},
	}
	entries := []zapcore.Entry{
		{Level: zapcore.InfoLevel, Time: tm, Message: "hello"},
		{Level: zapcore.WarnLevel, Time: tm, LoggerName: "svc.sub", Message: "m", Stack: "stack\ntrace",
			Caller: zapcore.NewEntryCaller(0, "/a/b/c.go", 12, true)},
		{Level: zapcore.ErrorLevel, Message: ""},
		{Level: zapcore.DebugLevel, LoggerName: "x", Message: "<&>"},
		{Level: zapcore.InfoLevel, Time: tm, Message: "s", Stack: "only stack"},
	}
	for ci, cfg := range cfgs {
		for _, flags := range []Flags{Deterministic, Deterministic | EscapeHTML} {
			direct := NewZapEncoder(cfg, flags).(*zapEncoder)
			fast := NewZapEncoder(cfg, flags).(*zapEncoder)
			tree := NewZapEncoder(cfg, flags).(*zapEncoder)
			if !direct.c.direct {
				t.Fatalf("config %d: no direct path", ci)
			}
			fast.c.direct = false
			tree.c.fast = false
			for xi, ctx := range ctxSets {
				encs := []zapcore.Encoder{direct.Clone(), fast.Clone(), tree.Clone()}
				for _, enc := range encs {
					for _, f := range ctx {
						f.AddTo(enc)
					}
				}
				for ei, ent := range entries {
					var got [3]string
					for i, enc := range encs {
						b, err := enc.EncodeEntry(ent, nil)
						if err != nil {
							t.Fatal(err)
						}
						got[i] = b.String()
						b.Free()
					}
					if got[0] != got[1] || got[0] != got[2] && ci != len(cfgs)-1 {
						t.Errorf("config %d flags %v context %d entry %d:\ndirect %sfast   %stree   %s", ci, flags, xi, ei, got[0], got[1], got[2])
					}
				}
			}
		}
	}
}

// TestAppendZapFloat64: the zap front end's float shortcut writes what
// appendFloat writes, in every dialect, around and inside its range.
func TestAppendZapFloat64(t *testing.T) {
	vals := []float64{0, 1, -1, 50000.123, 1 << 30, -(1 << 30), 1<<30 - 0.5, 1<<30 + 0.5, 1714979289.123456789,
		1714979289.5, 1714979289, 2e9, 123456789012.25, 1e15, 1e20, 1e21, 9.999999999999999e20, -1e21,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, 1e-7}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		e := r.Float64() * 40
		v := math.Pow(2, e)
		if r.IntN(2) == 0 {
			v = math.Round(v*1000) / 1000
		}
		vals = append(vals, v, -v, float64(time.Now().UnixNano()+r.Int64N(1e15))/1e9)
	}
	for _, f := range []Flags{dialectZap, dialectLog, dialectSlog, 0, Deterministic | dialectLog} {
		for _, v := range vals {
			got, want := appendZapFloat64(nil, v, f), appendFloat(nil, v, 64, f)
			if string(got) != string(want) {
				t.Fatalf("flags %x, %v: got %s, want %s", f, v, got, want)
			}
		}
	}
}

// TestZapCallbackValues: an encoder callback that writes several values for
// one member (zap writes them bare, one after another: not JSON) gets them
// written as an array, in both modes and through every path (direct,
// shapes, emitFast, the tree); one that writes one value, or whose values
// sit in an array it appends, is written as zap writes it.
func TestZapCallbackValues(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	cfg := zap.NewProductionEncoderConfig()
	cfg.EncodeLevel = func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
		e.AppendString(l.String())
		e.AppendString(l.CapitalString())
	}
	cfg.EncodeTime = func(v time.Time, e zapcore.PrimitiveArrayEncoder) {
		e.AppendInt64(v.Unix())
		e.AppendInt64(int64(v.Nanosecond()))
	}
	cfg.EncodeDuration = func(d time.Duration, e zapcore.PrimitiveArrayEncoder) {
		e.AppendInt64(int64(d))
		e.AppendString(d.String())
	}
	cfg.EncodeName = func(n string, e zapcore.PrimitiveArrayEncoder) {
		_ = e.(zapcore.ArrayEncoder).AppendArray(zapcore.ArrayMarshalerFunc(func(a zapcore.ArrayEncoder) error {
			a.AppendString(n)
			a.AppendString(n)
			return nil
		}))
	}
	cfg.EncodeCaller = func(c zapcore.EntryCaller, e zapcore.PrimitiveArrayEncoder) {
		e.AppendString(c.File)
		e.AppendInt(c.Line)
	}
	ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: tm, LoggerName: "svc", Message: "m", Caller: zapcore.NewEntryCaller(0, "a.go", 3, true)}
	fields := []zapcore.Field{zap.Duration("d", time.Second), zap.Time("at", tm), zap.Int("a", 1),
		zap.Array("ts", zapcore.ArrayMarshalerFunc(func(a zapcore.ArrayEncoder) error { a.AppendTime(tm); a.AppendDuration(2); return nil }))}
	compact := `{"level":["info","INFO"],"ts":[1714979289,0],"logger":["svc","svc"],"caller":["a.go",3],"msg":"m",` +
		`"d":[1000000000,"1s"],"at":[1714979289,0],"a":1,"ts":[1714979289,0,2,"2ns"]}` + "\n"
	sorted := `{"a":1,"at":[1714979289,0],"caller":["a.go",3],"d":[1000000000,"1s"],"fields.ts":[1714979289,0,2,"2ns"],` +
		`"level":["info","INFO"],"logger":["svc","svc"],"msg":"m","ts":[1714979289,0]}` + "\n"
	for _, c := range []struct {
		flags Flags
		want  string
		path  func(*zapEncoder)
	}{
		{Compact, compact, func(*zapEncoder) {}},
		{Deterministic, sorted, func(*zapEncoder) {}},
		{Deterministic, sorted, func(e *zapEncoder) { e.c.direct = false }},
		{Deterministic, sorted, func(e *zapEncoder) { e.c.fast = false }},
	} {
		enc := NewZapEncoder(cfg, c.flags).(*zapEncoder)
		c.path(enc)
		for _, fs := range [][]zapcore.Field{fields, fields, fields, nil, nil, nil} {
			b, err := enc.EncodeEntry(ent, fs)
			if err != nil {
				t.Fatal(err)
			}
			checkLine(t, b.Bytes(), c.flags.has(SortKeys))
			if fs != nil && b.String() != c.want {
				t.Errorf("flags %v:\n got %s\nwant %s", c.flags, b, c.want)
			}
			b.Free()
		}
	}
}

// An encoder callback that reaches the ObjectEncoder and adds members: zap
// writes them beside the built-in; sorted, they are members of the top
// level too, and the built-in keeps only its own value (values before,
// between and after the members, or the default when it wrote none).
func TestZapCallbackMembers(t *testing.T) {
	tm := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	cfg := zap.NewProductionEncoderConfig()
	cfg.EncodeLevel = func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
		e.AppendString(l.String())
		e.(zapcore.ObjectEncoder).AddString("x", "y")
	}
	cfg.EncodeTime = func(v time.Time, e zapcore.PrimitiveArrayEncoder) {
		e.(zapcore.ObjectEncoder).AddInt64("unix", v.Unix())
		e.AppendInt64(v.Unix())
		_ = e.(zapcore.ObjectEncoder).AddObject("o", zapcore.ObjectMarshalerFunc(func(o zapcore.ObjectEncoder) error {
			o.AddString("k", "v")
			return nil
		}))
		e.AppendInt64(int64(v.Nanosecond()))
	}
	cfg.EncodeName = func(n string, e zapcore.PrimitiveArrayEncoder) {
		e.(zapcore.ObjectEncoder).AddString("name", n) // and no value: the default
	}
	ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: tm, LoggerName: "svc", Message: "m"}
	fields := []zapcore.Field{zap.Time("at", tm), zap.Int("a", 1)}
	want := `{"a":1,"at":[1714979289,0],"level":"info","logger":"svc","msg":"m","name":"svc","o":{"k":"v"},"ts":[1714979289,0],"unix":1714979289,"x":"y"}` + "\n"
	for i, path := range []func(*zapEncoder){
		func(*zapEncoder) {},
		func(e *zapEncoder) { e.c.direct = false },
		func(e *zapEncoder) { e.c.fast = false },
		func(e *zapEncoder) { e.c.direct, e.c.fast = false, false },
	} {
		enc := NewZapEncoder(cfg, Deterministic).(*zapEncoder)
		path(enc)
		for _, fs := range [][]zapcore.Field{fields, fields, fields, nil, nil, nil} {
			b, err := enc.EncodeEntry(ent, fs)
			if err != nil {
				t.Fatal(err)
			}
			checkLine(t, b.Bytes(), true)
			w := want
			if fs == nil {
				w = strings.Replace(strings.Replace(want, `"a":1,`, "", 1), `"at":[1714979289,0],`, "", 1)
			}
			if b.String() != w {
				t.Errorf("path %d, %d fields:\n got %s\nwant %s", i, len(fs), b, w)
			}
			b.Free()
		}
	}
}

// Config callbacks that misbehave: they add members (before or after their
// value), open a namespace, panic, write several values, or fail. Every
// line is valid JSON on every encoding (the shape path from the third one
// on included), Compact equals zap's own line wherever that is valid JSON,
// sorted lines do not change from one encoding of an entry to the next, and
// a panicking callback costs its field only.
func TestZapCallbackOddities(t *testing.T) {
	cfgs := map[string]func(*zapcore.EncoderConfig){
		"level member first": func(c *zapcore.EncoderConfig) {
			c.EncodeLevel = func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
				e.(zapcore.ObjectEncoder).AddString("severity", l.CapitalString())
			}
		},
		"level value then member": func(c *zapcore.EncoderConfig) {
			c.EncodeLevel = func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
				e.AppendString(l.CapitalString())
				e.(zapcore.ObjectEncoder).AddInt("severity", int(l))
			}
		},
		"duration opens a namespace": func(c *zapcore.EncoderConfig) {
			c.EncodeDuration = func(d time.Duration, e zapcore.PrimitiveArrayEncoder) {
				e.(zapcore.ObjectEncoder).OpenNamespace("dns")
				e.(zapcore.ObjectEncoder).AddInt("a", 1)
			}
		},
		"time member only": func(c *zapcore.EncoderConfig) {
			c.EncodeTime = func(v time.Time, e zapcore.PrimitiveArrayEncoder) {
				e.(zapcore.ObjectEncoder).AddInt64("unix", v.Unix())
			}
		},
		"duration panics when negative": func(c *zapcore.EncoderConfig) {
			c.EncodeDuration = func(d time.Duration, e zapcore.PrimitiveArrayEncoder) {
				if d < 0 {
					panic("negative")
				}
				e.AppendInt64(int64(d))
			}
		},
		"time panics before 2000": func(c *zapcore.EncoderConfig) {
			c.EncodeTime = func(v time.Time, e zapcore.PrimitiveArrayEncoder) {
				if v.Year() < 2000 {
					panic("too old")
				}
				e.AppendInt64(v.Unix())
			}
		},
		"duration writes two values": func(c *zapcore.EncoderConfig) {
			c.EncodeDuration = func(d time.Duration, e zapcore.PrimitiveArrayEncoder) {
				e.AppendString(d.String())
				e.AppendInt64(int64(d))
			}
		},
		"duration value then member": func(c *zapcore.EncoderConfig) {
			c.EncodeDuration = func(d time.Duration, e zapcore.PrimitiveArrayEncoder) {
				e.AppendInt64(int64(d))
				e.(zapcore.ObjectEncoder).AddString("unit", "ns")
			}
		},
		"time member then value": func(c *zapcore.EncoderConfig) {
			c.EncodeTime = func(v time.Time, e zapcore.PrimitiveArrayEncoder) {
				_ = e.(zapcore.ObjectEncoder).AddObject("o", zapcore.ObjectMarshalerFunc(func(o zapcore.ObjectEncoder) error {
					o.AddInt("k", 1)
					return nil
				}))
				e.AppendInt64(v.Unix())
			}
		},
		"level panics": func(c *zapcore.EncoderConfig) {
			c.EncodeLevel = func(zapcore.Level, zapcore.PrimitiveArrayEncoder) { panic("level") }
		},
		"name and caller panic": func(c *zapcore.EncoderConfig) {
			c.EncodeName = func(string, zapcore.PrimitiveArrayEncoder) { panic("name") }
			c.EncodeCaller = func(zapcore.EntryCaller, zapcore.PrimitiveArrayEncoder) { panic("caller") }
		},
		"level adds an array first": func(c *zapcore.EncoderConfig) {
			c.EncodeLevel = func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
				_ = e.(zapcore.ObjectEncoder).AddArray("arr", zapcore.ArrayMarshalerFunc(func(a zapcore.ArrayEncoder) error {
					a.AppendInt(1)
					return nil
				}))
				e.AppendString(l.String())
			}
		},
		"level opens a namespace": func(c *zapcore.EncoderConfig) {
			c.EncodeLevel = func(l zapcore.Level, e zapcore.PrimitiveArrayEncoder) {
				e.AppendString(l.String())
				e.(zapcore.ObjectEncoder).OpenNamespace("ns")
			}
		},
		"name reflected fails": func(c *zapcore.EncoderConfig) {
			c.EncodeName = func(n string, e zapcore.PrimitiveArrayEncoder) {
				_ = e.(zapcore.ArrayEncoder).AppendReflected(make(chan int))
			}
		},
	}
	now, old := time.Unix(1700000000, 5), time.Unix(5, 0)
	fields := func(d time.Duration, at time.Time) []zapcore.Field {
		return []zapcore.Field{zap.Duration("d", d), zap.Time("at", at), zap.Error(errors.New("e")), zap.Int("n", 1),
			zap.Durations("ds", []time.Duration{1, 2}), zap.Times("tms", []time.Time{now, now})}
	}
	zapLine := func(cfg zapcore.EncoderConfig, ent zapcore.Entry, fs []zapcore.Field) (line string, ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		b, err := zapcore.NewJSONEncoder(cfg).EncodeEntry(ent, fs)
		return b.String(), err == nil && json.Valid(b.Bytes())
	}
	for name, mod := range cfgs {
		cfg := zap.NewProductionEncoderConfig()
		mod(&cfg)
		for _, flags := range []Flags{Compact, Standard} {
			enc := NewZapEncoder(cfg, flags)
			var first string
			for i, fs := range [][]zapcore.Field{
				fields(time.Second, now), fields(time.Second, now), fields(time.Second, now), fields(time.Second, now),
				fields(-time.Second, now), fields(time.Second, old), fields(time.Second, now),
			} {
				ent := zapcore.Entry{Message: "m", Time: now, LoggerName: "svc", Caller: zapcore.NewEntryCaller(0, "a.go", 3, true)}
				b, err := enc.EncodeEntry(ent, fs)
				require.NoError(t, err)
				line := b.String()
				checkLine(t, b.Bytes(), flags.has(SortKeys))
				if want, ok := zapLine(cfg, ent, fs); flags == Compact && ok && line != want {
					t.Errorf("%s, entry %d:\n got %s\nzap %s", name, i, line, want)
				}
				switch {
				case i == 0:
					first = line
				case i < 4 || i == 6:
					if line != first {
						t.Errorf("%s %v, entry %d:\n got %s\nfirst %s", name, flags, i, line, first)
					}
				case (i == 4 && strings.HasPrefix(name, "duration panics") || i == 5 && strings.HasPrefix(name, "time panics")) &&
					!strings.Contains(line, `Error":"PANIC=`):
					t.Errorf("%s %v, entry %d: no error field: %s", name, flags, i, line)
				}
				b.Free()
			}
		}
	}
}

// A config callback that panics on a field given to Logger.With (which zap
// adds to the encoder directly, outside its field loop) costs that field
// only, as on a call's fields: "<key>Error", and the line is written.
func TestZapCallbackPanicInWith(t *testing.T) {
	cfg := zap.NewProductionEncoderConfig()
	cfg.EncodeDuration = func(d time.Duration, e zapcore.PrimitiveArrayEncoder) {
		if d < 0 {
			panic("negative")
		}
		e.AppendInt64(int64(d))
	}
	cfg.EncodeTime = func(v time.Time, e zapcore.PrimitiveArrayEncoder) {
		if v.Year() < 2000 {
			panic("too old")
		}
		e.AppendInt64(v.Unix())
	}
	for _, flags := range []Flags{Compact, Deterministic} {
		var buf bytes.Buffer
		lg := zap.New(zapcore.NewCore(NewZapEncoder(cfg, flags), zapcore.AddSync(&buf), zapcore.DebugLevel))
		lg.With(zap.Duration("d", -1), zap.Time("t", time.Unix(5, 0)), zap.Int("n", 1)).Info("m", zap.Duration("e", -1))
		line := buf.Bytes()
		checkLine(t, line, flags.has(SortKeys))
		for _, want := range []string{`"dError":"PANIC=negative"`, `"tError":"PANIC=too old"`, `"eError":"PANIC=negative"`, `"n":1`} {
			if !bytes.Contains(line, []byte(want)) {
				t.Errorf("%v: no %s in %s", flags, want, line)
			}
		}
	}
}
