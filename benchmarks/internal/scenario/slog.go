package scenario

import (
	"context"
	"log/slog"
)

// slogLogger runs the scenarios through log/slog's front end (LogAttrs,
// its cheapest call) over any handler.
type slogLogger struct {
	base, ctx *slog.Logger
}

func newSlog(h slog.Handler) logger {
	return &slogLogger{base: slog.New(h), ctx: slog.New(h.WithAttrs(slogFields10()))}
}

var bg = context.Background()

func slogFields10() []slog.Attr {
	return []slog.Attr{
		slog.Int(FieldKeys[0], Count),
		slog.Int64(FieldKeys[1], Seq),
		slog.Float64(FieldKeys[2], Price),
		slog.String(FieldKeys[3], Symbol),
		slog.Bool(FieldKeys[4], Filled),
		slog.Time(FieldKeys[5], At),
		slog.Duration(FieldKeys[6], Elapsed),
		slog.Any(FieldKeys[7], Err),
		slog.Any(FieldKeys[8], Levels),
		slog.Any(FieldKeys[9], Small),
	}
}

func (l *slogLogger) msg() { l.base.LogAttrs(bg, slog.LevelInfo, "heartbeat") }

func (l *slogLogger) fields10() {
	l.base.LogAttrs(bg, slog.LevelInfo, "order update",
		slog.Int("count", Count),
		slog.Int64("seq", Seq),
		slog.Float64("price", Price),
		slog.String("symbol", Symbol),
		slog.Bool("filled", Filled),
		slog.Time("at", At),
		slog.Duration("elapsed", Elapsed),
		slog.Any("error", Err),
		slog.Any("levels", Levels),
		slog.Any("order", Small),
	)
}

func (l *slogLogger) context10() { l.ctx.LogAttrs(bg, slog.LevelInfo, "order update") }

func (l *slogLogger) structField() {
	l.base.LogAttrs(bg, slog.LevelInfo, "fill", slog.Any("fill", BigFill))
}

func (l *slogLogger) orderbook() {
	l.base.LogAttrs(bg, slog.LevelInfo, "book",
		slog.String("symbol", Snapshot.Symbol),
		slog.Int64("seq", Snapshot.Seq),
		slog.Time("at", At),
		slog.Any("bid_px", Snapshot.BidPx),
		slog.Any("bid_qty", Snapshot.BidQty),
		slog.Any("ask_px", Snapshot.AskPx),
		slog.Any("ask_qty", Snapshot.AskQty),
	)
}
