package scenario

import (
	"io"
	"time"

	plog "github.com/phuslu/log"
)

// phusluLogger runs the scenarios through phuslu/log's own chained API.
type phusluLogger struct {
	base, ctx *plog.Logger
}

func newPhusluBase(w io.Writer) *plog.Logger {
	return &plog.Logger{Level: plog.InfoLevel, TimeLocation: time.UTC, Writer: plog.IOWriter{Writer: w}}
}

func newPhuslu(w io.Writer) logger {
	l := newPhusluBase(w)
	ctx := *l
	ctx.Context = plog.NewContext(nil).
		Int("count", Count).
		Int64("seq", Seq).
		Float64("price", Price).
		Str("symbol", Symbol).
		Bool("filled", Filled).
		Time("at", At).
		Dur("elapsed", Elapsed).
		AnErr("error", Err).
		Ints("levels", Levels).
		Any("order", Small).
		Value()
	return &phusluLogger{base: l, ctx: &ctx}
}

// newPhusluSlog runs the scenarios through log/slog over phuslu/log's JSON slog handler.
func newPhusluSlog(w io.Writer) logger {
	return newSlog(plog.SlogNewJSONHandler(w, nil))
}

func (l *phusluLogger) msg() { l.base.Info().Msg("heartbeat") }

func (l *phusluLogger) fields10() {
	l.base.Info().
		Int("count", Count).
		Int64("seq", Seq).
		Float64("price", Price).
		Str("symbol", Symbol).
		Bool("filled", Filled).
		Time("at", At).
		Dur("elapsed", Elapsed).
		Err(Err).
		Ints("levels", Levels).
		Any("order", Small).
		Msg("order update")
}

func (l *phusluLogger) context10() { l.ctx.Info().Msg("order update") }

func (l *phusluLogger) structField() { l.base.Info().Any("fill", BigFill).Msg("fill") }

func (l *phusluLogger) orderbook() {
	l.base.Info().
		Str("symbol", Snapshot.Symbol).
		Int64("seq", Snapshot.Seq).
		Time("at", At).
		Floats64("bid_px", Snapshot.BidPx).
		Floats64("bid_qty", Snapshot.BidQty).
		Floats64("ask_px", Snapshot.AskPx).
		Floats64("ask_qty", Snapshot.AskQty).
		Msg("book")
}
