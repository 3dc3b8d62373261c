// Command recorder logs the events of a market-data trading bot, the
// program jsonlog grew out of: order-book snapshots of 20 price levels a
// side, fills, metric snapshots and audit events. It replays a fixed tape
// of such events twice, once through log/slog over jsonlog's handler and
// once through zap over jsonlog's encoder, and prints every line to
// standard output: one sorted JSON object per line, the same bytes on every
// run, ready for jq or a diff.
//
//	go run ./examples/recorder
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/jsonlog/jsonlog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "recorder:", err)
		os.Exit(1)
	}
}

// run replays the tape through both front ends, writing to w.
func run(w io.Writer) error {
	tape := Tape()
	if err := recordSlog(w, tape); err != nil {
		return err
	}
	return recordZap(w, tape)
}

// recordFlags are the flags of both front ends. Deterministic: keys sorted
// at every level, one record per line. UTC and TimeRFC3339Millis: fixed-width
// UTC times, so that lines also sort as text.
const recordFlags = jsonlog.Deterministic | jsonlog.UTC | jsonlog.TimeRFC3339Millis

// recordSlog logs the tape through log/slog. A recorder stamps each line
// with the event's exchange time, not the wall clock, so it builds the
// records itself (slog.NewRecord) and hands them to the handler.
func recordSlog(w io.Writer, tape []Event) error {
	h := jsonlog.NewHandler(w, recordFlags, nil).
		WithAttrs([]slog.Attr{slog.String("via", "slog"), slog.String("bot", "mm-7")})
	ctx := context.Background()
	for _, ev := range tape {
		r := slog.NewRecord(ev.Time, ev.Level(), ev.Kind(), 0)
		r.AddAttrs(ev.SlogAttrs()...)
		if err := h.Handle(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// recordZap logs the tape through zap. Its clock reads the tape, so each
// entry carries the event's time.
func recordZap(w io.Writer, tape []Event) error {
	clock := &tapeClock{}
	// With EncodeTime and EncodeDuration left nil, jsonlog's flags choose
	// the layouts, so these lines carry the same times as the slog ones.
	cfg := zap.NewProductionEncoderConfig()
	cfg.EncodeTime, cfg.EncodeDuration = nil, nil
	enc := jsonlog.NewZapEncoder(cfg, recordFlags)
	core := zapcore.NewCore(enc, zapcore.AddSync(w), zapcore.InfoLevel)
	logger := zap.New(core, zap.WithClock(clock)).With(zap.String("via", "zap"), zap.String("bot", "mm-7"))
	for _, ev := range tape {
		clock.now = ev.Time
		if ce := logger.Check(zapLevel(ev.Level()), ev.Kind()); ce != nil {
			ce.Write(ev.ZapFields()...)
		}
	}
	// No Sync: the core writes each entry to w at once, and syncing
	// os.Stdout fails when it is a pipe or a terminal.
	return nil
}

// zapLevel maps the slog levels the tape uses to zap's.
func zapLevel(l slog.Level) zapcore.Level {
	if l >= slog.LevelWarn {
		return zapcore.WarnLevel
	}
	return zapcore.InfoLevel
}

// tapeClock is a zapcore.Clock that tells the time of the event being replayed.
type tapeClock struct{ now time.Time }

func (c *tapeClock) Now() time.Time                         { return c.now }
func (c *tapeClock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }
