package main

import (
	"log/slog"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Depth is the number of price levels on each side of a book snapshot.
const Depth = 20

// Event is one thing the bot records. Exactly one of its pointers is set.
type Event struct {
	Time   time.Time
	Book   *Book
	Fill   *Fill
	Metric *Metrics
	Audit  *Audit
}

// Book is an order-book snapshot; prices and quantities are typed slices,
// which jsonlog writes without reflection.
type Book struct {
	Symbol        string
	Seq           int64
	BidPx, BidQty []float64
	AskPx, AskQty []float64
}

// Fill is one of the bot's orders being (partly) filled.
type Fill struct {
	OrderID int64
	Symbol  string
	Side    string
	Price   float64
	Qty     float64
	Fee     float64
	Maker   bool
}

// Metrics is a periodic snapshot of the bot's counters and latencies.
type Metrics struct {
	Fills, Quotes, Reconnects int64
	P50, P99                  time.Duration
	QueueDepth                int
	Symbols                   []string
}

// Audit records a change made by an operator.
type Audit struct {
	Actor, Action, Target string
	Params                map[string]string // written with sorted keys
	Err                   error
}

// Kind names the event; it is the message of its log line.
func (e Event) Kind() string {
	switch {
	case e.Book != nil:
		return "book"
	case e.Fill != nil:
		return "fill"
	case e.Metric != nil:
		return "metrics"
	default:
		return "audit"
	}
}

// Level is the event's slog level: audits that failed are warnings.
func (e Event) Level() slog.Level {
	if e.Audit != nil && e.Audit.Err != nil {
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// SlogAttrs returns the event's fields as slog attributes.
func (e Event) SlogAttrs() []slog.Attr {
	switch {
	case e.Book != nil:
		b := e.Book
		return []slog.Attr{
			slog.String("symbol", b.Symbol), slog.Int64("seq", b.Seq),
			slog.Group("bids", slog.Any("px", b.BidPx), slog.Any("qty", b.BidQty)),
			slog.Group("asks", slog.Any("px", b.AskPx), slog.Any("qty", b.AskQty)),
		}
	case e.Fill != nil:
		f := e.Fill
		return []slog.Attr{
			slog.Int64("order_id", f.OrderID), slog.String("symbol", f.Symbol), slog.String("side", f.Side),
			slog.Float64("price", f.Price), slog.Float64("qty", f.Qty), slog.Float64("fee", f.Fee),
			slog.Bool("maker", f.Maker),
		}
	case e.Metric != nil:
		m := e.Metric
		return []slog.Attr{
			slog.Int64("fills", m.Fills), slog.Int64("quotes", m.Quotes), slog.Int64("reconnects", m.Reconnects),
			slog.Group("latency", slog.Duration("p50", m.P50), slog.Duration("p99", m.P99)),
			slog.Int("queue_depth", m.QueueDepth), slog.Any("symbols", m.Symbols),
		}
	default:
		a := e.Audit
		attrs := []slog.Attr{
			slog.String("actor", a.Actor), slog.String("action", a.Action), slog.String("target", a.Target),
			slog.Any("params", a.Params),
		}
		if a.Err != nil {
			attrs = append(attrs, slog.Any("error", a.Err))
		}
		return attrs
	}
}

// ZapFields returns the event's fields as zap fields, with the same keys
// and nesting as SlogAttrs.
func (e Event) ZapFields() []zap.Field {
	switch {
	case e.Book != nil:
		b := e.Book
		return []zap.Field{
			zap.String("symbol", b.Symbol), zap.Int64("seq", b.Seq),
			zap.Object("bids", side{b.BidPx, b.BidQty}), zap.Object("asks", side{b.AskPx, b.AskQty}),
		}
	case e.Fill != nil:
		f := e.Fill
		return []zap.Field{
			zap.Int64("order_id", f.OrderID), zap.String("symbol", f.Symbol), zap.String("side", f.Side),
			zap.Float64("price", f.Price), zap.Float64("qty", f.Qty), zap.Float64("fee", f.Fee),
			zap.Bool("maker", f.Maker),
		}
	case e.Metric != nil:
		m := e.Metric
		return []zap.Field{
			zap.Int64("fills", m.Fills), zap.Int64("quotes", m.Quotes), zap.Int64("reconnects", m.Reconnects),
			zap.Object("latency", latency{m.P50, m.P99}),
			zap.Int("queue_depth", m.QueueDepth), zap.Strings("symbols", m.Symbols),
		}
	default:
		a := e.Audit
		fields := []zap.Field{
			zap.String("actor", a.Actor), zap.String("action", a.Action), zap.String("target", a.Target),
			zap.Any("params", a.Params),
		}
		if a.Err != nil {
			fields = append(fields, zap.Error(a.Err))
		}
		return fields
	}
}

// side is one side of a book as a zap object: {"px":[...],"qty":[...]}.
type side struct{ px, qty []float64 }

func (s side) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	if err := enc.AddArray("px", floats(s.px)); err != nil {
		return err
	}
	return enc.AddArray("qty", floats(s.qty))
}

// floats is a []float64 as a zap array.
type floats []float64

func (f floats) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	for _, v := range f {
		enc.AppendFloat64(v)
	}
	return nil
}

// latency is a pair of percentiles as a zap object.
type latency struct{ p50, p99 time.Duration }

func (l latency) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddDuration("p50", l.p50)
	enc.AddDuration("p99", l.p99)
	return nil
}
