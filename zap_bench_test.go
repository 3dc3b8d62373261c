package jsonlog

import (
	"errors"
	"io"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Benchmarks of the zap front end against zap's own JSON encoder, through
// zap.New(core) writing to io.Discard, with zap's production encoder config.
// Compare rows with benchstat:
//
//	go test -run XXX -bench BenchmarkZap -count 6 . > /tmp/zap.txt
//	benchstat -row /row -col .name /tmp/zap.txt   (or plain benchstat)

// benchStruct is the small struct logged with zap.Any.
type benchStruct struct {
	Symbol string  `json:"symbol"`
	Price  float64 `json:"price"`
	Qty    int     `json:"qty"`
}

var (
	benchTime = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	benchErr  = errors.New("connection reset by peer")
	benchInts = []int{1, 2, 3, 4, 5}
)

// benchFields are the ten mixed fields of the issue: int, int64, float64,
// string, bool, time, duration, error, []int and a small struct.
func benchFields() []zapcore.Field {
	return []zapcore.Field{
		zap.Int("int", 42),
		zap.Int64("int64", 1234567890123),
		zap.Float64("float64", 50000.123),
		zap.String("string", "BTCUSDT order filled"),
		zap.Bool("bool", true),
		zap.Time("time", benchTime),
		zap.Duration("duration", 1500*time.Millisecond),
		zap.Error(benchErr),
		zap.Ints("ints", benchInts),
		zap.Any("struct", benchStruct{Symbol: "ETHUSDT", Price: 3000.5, Qty: 7}),
	}
}

type benchRow struct {
	name string
	enc  func(zapcore.EncoderConfig) zapcore.Encoder
}

var benchRows = []benchRow{
	{"jsonlog-Deterministic", func(c zapcore.EncoderConfig) zapcore.Encoder { return NewZapEncoder(c, Deterministic) }},
	{"jsonlog-Compact", func(c zapcore.EncoderConfig) zapcore.Encoder { return NewZapEncoder(c, Compact) }},
	{"zap.JSONEncoder", zapcore.NewJSONEncoder},
}

func benchLogger(row benchRow) *zap.Logger {
	core := zapcore.NewCore(row.enc(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.DebugLevel)
	return zap.New(core)
}

func BenchmarkZap(b *testing.B) {
	scenarios := []struct {
		name     string
		parallel bool
		run      func(b *testing.B, l *zap.Logger)
	}{
		{"message", false, func(b *testing.B, l *zap.Logger) {
			for b.Loop() {
				l.Info("order book snapshot recorded")
			}
		}},
		{"fields10", false, func(b *testing.B, l *zap.Logger) {
			for b.Loop() {
				l.Info("order book snapshot recorded", benchFields()...)
			}
		}},
		{"with10", false, func(b *testing.B, l *zap.Logger) {
			l = l.With(benchFields()...)
			for b.Loop() {
				l.Info("order book snapshot recorded")
			}
		}},
		{"fields10-parallel", true, func(b *testing.B, l *zap.Logger) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					l.Info("order book snapshot recorded", benchFields()...)
				}
			})
		}},
		{"with10-parallel", true, func(b *testing.B, l *zap.Logger) {
			l = l.With(benchFields()...)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					l.Info("order book snapshot recorded")
				}
			})
		}},
	}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			for _, row := range benchRows {
				b.Run(row.name, func(b *testing.B) {
					l := benchLogger(row)
					b.ReportAllocs()
					sc.run(b, l)
				})
			}
		})
	}
}

// BenchmarkZapEncodeEntry measures EncodeEntry alone with primitive fields,
// which must not allocate beyond the returned buffer's reuse.
func BenchmarkZapEncodeEntry(b *testing.B) {
	fields := benchPrimitiveFields()
	ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: benchTime, Message: "order book snapshot recorded"}
	for _, row := range benchRows {
		b.Run(row.name, func(b *testing.B) {
			enc := row.enc(zap.NewProductionEncoderConfig())
			b.ReportAllocs()
			for b.Loop() {
				buf, _ := enc.EncodeEntry(ent, fields)
				buf.Free()
			}
		})
	}
}

// benchPrimitiveFields are fields with no marshaler or reflection.
func benchPrimitiveFields() []zapcore.Field {
	return []zapcore.Field{
		zap.Int("int", 42), zap.Int64("int64", 1234567890123), zap.Float64("float64", 50000.123),
		zap.String("string", "BTCUSDT order filled"), zap.Bool("bool", true), zap.Time("time", benchTime),
		zap.Duration("duration", 1500*time.Millisecond), zap.Error(benchErr), zap.Uint8("u8", 3),
		zap.Namespace("ns"), zap.Float32("f32", 0.5),
	}
}
