package scenario

import (
	"io"

	"github.com/rs/zerolog"
)

// zerologLogger runs the scenarios through zerolog's own chained API.
type zerologLogger struct {
	base, ctx zerolog.Logger
}

func newZerologBase(w io.Writer) zerolog.Logger {
	return zerolog.New(w).Level(zerolog.InfoLevel).With().Timestamp().Logger()
}

func newZerolog(w io.Writer) logger {
	l := newZerologBase(w)
	ctx := l.With().
		Int("count", Count).
		Int64("seq", Seq).
		Float64("price", Price).
		Str("symbol", Symbol).
		Bool("filled", Filled).
		Time("at", At).
		Dur("elapsed", Elapsed).
		AnErr("error", Err).
		Ints("levels", Levels).
		Interface("order", Small).
		Logger()
	return &zerologLogger{base: l, ctx: ctx}
}

// newZerologSlog runs the scenarios through log/slog over zerolog's slog handler.
func newZerologSlog(w io.Writer) logger {
	return newSlog(zerolog.NewSlogHandler(newZerologBase(w)))
}

// The receivers are pointers so that the method values bound by Scenario
// do not copy the loggers.

func (l *zerologLogger) msg() { l.base.Info().Msg("heartbeat") }

func (l *zerologLogger) fields10() {
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
		Interface("order", Small).
		Msg("order update")
}

func (l *zerologLogger) context10() { l.ctx.Info().Msg("order update") }

func (l *zerologLogger) structField() { l.base.Info().Interface("fill", BigFill).Msg("fill") }

func (l *zerologLogger) orderbook() {
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
