// Command zap shows jsonlog's zap encoder, built two ways: by name through
// zap.Config{Encoding: "jsonlog"}, and directly with jsonlog.NewZapEncoder
// in a zapcore.Core of your own. It also shows With and Namespace. Every
// line is one sorted JSON object.
//
//	go run ./examples/zap
//
// The loggers here use a fixed clock so that the output is the same on
// every run; a real program leaves the clock alone.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/jsonlog/jsonlog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func main() {
	if err := run(os.Stdout, "stdout"); err != nil {
		fmt.Fprintln(os.Stderr, "zap example:", err)
		os.Exit(1)
	}
}

// fixedClock is a zapcore.Clock stopped at one instant.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time                         { return c.t }
func (c fixedClock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }

var clock = fixedClock{time.Date(2026, time.March, 14, 9, 30, 0, 250_000_000, time.UTC)}

// run writes the lines of the zap.Config logger to configOutput, a zap
// output path ("stdout", a file name, ...), and those of the core-built
// logger to w.
func run(w io.Writer, configOutput string) error {
	if err := fromConfig(configOutput); err != nil {
		return err
	}
	fromCore(w)
	return nil
}

// fromConfig builds a logger by encoder name. Importing jsonlog registers
// the "jsonlog" encoding with zap.
func fromConfig(output string) error {
	cfg := zap.NewProductionConfig()
	cfg.Encoding = "jsonlog"
	cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	cfg.OutputPaths = []string{output}
	cfg.Sampling = nil // keep every line of this short demo
	logger, err := cfg.Build(zap.WithClock(clock))
	if err != nil {
		return err
	}
	// Flush on the way out; syncing stdout fails harmlessly when it is a
	// pipe or a terminal, hence the ignored error.
	defer func() { _ = logger.Sync() }()
	logger.Info("built from zap.Config", zap.String("example", "config"), zap.String("symbol", "ETHUSDT"), zap.Int("levels", 20))
	logger.Warn("reconnecting", zap.String("example", "config"), zap.Error(errors.New("websocket closed: 1006")), zap.Duration("backoff", 2*time.Second))
	return nil
}

// fromCore builds the core by hand: jsonlog's encoder with the flags of
// your choice, any WriteSyncer, any level.
func fromCore(w io.Writer) {
	cfg := zap.NewProductionEncoderConfig()
	// Leave EncodeTime and EncodeDuration nil to let the flags choose the
	// layouts: here UTC RFC 3339 with milliseconds, and "1.5s" durations.
	cfg.EncodeTime, cfg.EncodeDuration = nil, nil
	enc := jsonlog.NewZapEncoder(cfg, jsonlog.Deterministic|jsonlog.UTC|jsonlog.TimeRFC3339Millis|jsonlog.DurationString)
	core := zapcore.NewCore(enc, zapcore.AddSync(w), zapcore.DebugLevel)
	logger := zap.New(core, zap.WithClock(clock)).With(zap.String("example", "core"), zap.String("bot", "mm-7"))

	logger.Debug("quote", zap.Float64s("bid", []float64{49999.5, 49999.25}), zap.Float64s("ask", []float64{50000.5, 50000.75}))

	// Namespace opens an object that holds every later field, including
	// those added by later With calls.
	order := logger.With(zap.Namespace("order"), zap.Int64("id", 90001), zap.String("side", "buy"))
	order.Info("filled", zap.Float64("price", 49999.5), zap.Float64("qty", 0.002),
		zap.Time("exchange_time", clock.t.Add(-3*time.Millisecond)), zap.Duration("took", 1500*time.Microsecond))
}
