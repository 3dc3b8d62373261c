package jsonlog_test

import (
	"os"
	"time"

	"github.com/jsonlog/jsonlog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// A zap core with jsonlog's encoder: keys sorted at every level, With
// context merged with the call's fields, one line per entry.
func ExampleNewZapEncoder() {
	cfg := zap.NewProductionEncoderConfig()
	cfg.TimeKey = "" // no time, so that the output is fixed
	enc := jsonlog.NewZapEncoder(cfg, jsonlog.Deterministic)
	logger := zap.New(zapcore.NewCore(enc, zapcore.AddSync(os.Stdout), zapcore.InfoLevel))

	logger = logger.With(zap.String("service", "recorder"), zap.Namespace("order"))
	logger.Info("fill",
		zap.String("symbol", "BTCUSDT"),
		zap.Float64("price", 50000.123),
		zap.Float64("qty", 0.001),
		zap.Duration("latency", 1500*time.Microsecond),
		zap.Any("venue", map[string]any{"name": "x", "id": 7}),
	)
	// Output:
	// {"level":"info","msg":"fill","order":{"latency":0.0015,"price":50000.123,"qty":0.001,"symbol":"BTCUSDT","venue":{"id":7,"name":"x"}},"service":"recorder"}
}

// zap.Config builds a logger on jsonlog's encoder, with Deterministic flags,
// under the name "jsonlog" that the package registers.
func ExampleNewZapEncoder_config() {
	cfg := zap.NewProductionConfig()
	cfg.Encoding = "jsonlog"
	cfg.EncoderConfig.TimeKey = "" // fixed output: no time
	cfg.DisableCaller = true       // and no file path
	cfg.OutputPaths = []string{"stdout"}
	logger, err := cfg.Build()
	if err != nil {
		panic(err)
	}
	logger.Info("started", zap.Int("workers", 4), zap.Bool("dry_run", false))
	// Output:
	// {"dry_run":false,"level":"info","msg":"started","workers":4}
}
