package jsonlog_test

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/jsonlog/jsonlog"
)

// A Compact handler writes what slog.JSONHandler writes. ReplaceAttr drops
// the time here so that the output is the same on every run.
func ExampleNewHandler() {
	h := jsonlog.NewHandler(os.Stdout, jsonlog.Compact, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if groups == nil && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})
	logger := slog.New(h).With("service", "recorder")
	logger.Info("snapshot", "symbol", "BTCUSDT", "levels", 20, slog.Group("best", "bid", 49999.99, "ask", 50000.01))
	// Output:
	// {"level":"INFO","msg":"snapshot","service":"recorder","symbol":"BTCUSDT","levels":20,"best":{"bid":49999.99,"ask":50000.01}}
}

// With Deterministic flags every object's keys are sorted, the built-in keys
// among the others; a user attribute named like a built-in is renamed.
func ExampleNewHandler_sorted() {
	h := jsonlog.NewHandler(os.Stdout, jsonlog.Deterministic|jsonlog.TimeRFC3339Millis, nil)
	logger := slog.New(h).With("service", "recorder").WithGroup("fill")
	r := slog.NewRecord(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), slog.LevelWarn, "partial fill", 0)
	r.AddAttrs(slog.Float64("qty", 0.001), slog.Float64("price", 50000.123),
		slog.Any("venue", map[string]any{"name": "x", "id": 7}))
	_ = logger.Handler().Handle(context.Background(), r)

	// A zero time is omitted.
	r = slog.NewRecord(time.Time{}, slog.LevelInfo, "renamed", 0)
	r.AddAttrs(slog.String("msg", "user value"))
	_ = h.Handle(context.Background(), r)
	// Output:
	// {"fill":{"price":50000.123,"qty":0.001,"venue":{"id":7,"name":"x"}},"level":"WARN","msg":"partial fill","service":"recorder","time":"2024-05-06T07:08:09.000Z"}
	// {"fields.msg":"user value","level":"INFO","msg":"renamed"}
}

// HandlerOptions work as in slog: Level filters, ReplaceAttr renames, drops
// and rewrites attributes (the built-in ones too). The flags choose the time
// and duration layouts.
func ExampleNewHandler_options() {
	level := new(slog.LevelVar)
	level.Set(slog.LevelWarn)
	flags := jsonlog.Deterministic | jsonlog.UTC | jsonlog.TimeUnixMillis | jsonlog.DurationString
	h := jsonlog.NewHandler(os.Stdout, flags, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			switch {
			case groups == nil && a.Key == slog.MessageKey:
				a.Key = "message"
			case a.Key == "password":
				a.Value = slog.StringValue("[redacted]")
			}
			return a
		},
	})
	logger := slog.New(h)
	logger.Info("below the level: not written")

	r := slog.NewRecord(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), slog.LevelWarn, "login failed", 0)
	r.AddAttrs(slog.String("user", "ann"), slog.String("password", "hunter2"), slog.Duration("took", 1500*time.Millisecond))
	_ = logger.Handler().Handle(context.Background(), r)
	// Output:
	// {"level":"WARN","message":"login failed","password":"[redacted]","time":1714979289000,"took":"1.5s","user":"ann"}
}
