package scenario

import (
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// zapLogger runs the scenarios through zap's Logger (typed fields) over any core.
type zapLogger struct {
	base, ctx *zap.Logger
}

func newZap(core zapcore.Core) logger {
	l := zap.New(core)
	return &zapLogger{base: l, ctx: l.With(zapFields10()...)}
}

func zapFields10() []zap.Field {
	return []zap.Field{
		zap.Int(FieldKeys[0], Count),
		zap.Int64(FieldKeys[1], Seq),
		zap.Float64(FieldKeys[2], Price),
		zap.String(FieldKeys[3], Symbol),
		zap.Bool(FieldKeys[4], Filled),
		zap.Time(FieldKeys[5], At),
		zap.Duration(FieldKeys[6], Elapsed),
		zap.NamedError(FieldKeys[7], Err),
		zap.Ints(FieldKeys[8], Levels),
		zap.Any(FieldKeys[9], Small),
	}
}

func (l *zapLogger) msg() { l.base.Info("heartbeat") }

func (l *zapLogger) fields10() {
	l.base.Info("order update",
		zap.Int("count", Count),
		zap.Int64("seq", Seq),
		zap.Float64("price", Price),
		zap.String("symbol", Symbol),
		zap.Bool("filled", Filled),
		zap.Time("at", At),
		zap.Duration("elapsed", Elapsed),
		zap.Error(Err),
		zap.Ints("levels", Levels),
		zap.Any("order", Small),
	)
}

func (l *zapLogger) context10() { l.ctx.Info("order update") }

func (l *zapLogger) structField() { l.base.Info("fill", zap.Any("fill", BigFill)) }

func (l *zapLogger) orderbook() {
	l.base.Info("book",
		zap.String("symbol", Snapshot.Symbol),
		zap.Int64("seq", Snapshot.Seq),
		zap.Time("at", At),
		zap.Float64s("bid_px", Snapshot.BidPx),
		zap.Float64s("bid_qty", Snapshot.BidQty),
		zap.Float64s("ask_px", Snapshot.AskPx),
		zap.Float64s("ask_qty", Snapshot.AskQty),
	)
}
