package main

import (
	"errors"
	"time"
)

// start is when the tape begins.
var start = time.Date(2026, time.March, 14, 9, 30, 0, 0, time.UTC)

// Tape returns the fixed events the recorder replays: three book snapshots
// with fills between them, a metrics snapshot and two audit events.
func Tape() []Event {
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	return []Event{
		{Time: at(0), Book: book("BTCUSDT", 1001, 50000.00)},
		{Time: at(37), Fill: &Fill{OrderID: 90001, Symbol: "BTCUSDT", Side: "buy", Price: 49999.5, Qty: 0.002, Fee: 0.0499995, Maker: true}},
		{Time: at(100), Book: book("BTCUSDT", 1002, 50000.25)},
		{Time: at(142), Fill: &Fill{OrderID: 90002, Symbol: "BTCUSDT", Side: "sell", Price: 50000.75, Qty: 0.001, Fee: 0.05000075}},
		{Time: at(200), Book: book("BTCUSDT", 1003, 49999.75)},
		{Time: at(1000), Metric: &Metrics{
			Fills: 2, Quotes: 118, Reconnects: 0, P50: 420 * time.Microsecond, P99: 3100 * time.Microsecond,
			QueueDepth: 3, Symbols: []string{"BTCUSDT", "ETHUSDT", "SOLUSDT"},
		}},
		{Time: at(1500), Audit: &Audit{
			Actor: "ops@desk", Action: "set_limit", Target: "BTCUSDT",
			Params: map[string]string{"max_position": "0.5", "max_order": "0.01", "reason": "vol > 3σ"},
		}},
		{Time: at(1730), Audit: &Audit{
			Actor: "ops@desk", Action: "cancel_all", Target: "SOLUSDT",
			Params: map[string]string{"scope": "open orders"},
			Err:    errors.New(`venue said "rate limited", retry in 2s`),
		}},
	}
}

// book returns a snapshot of Depth levels a side around mid.
func book(symbol string, seq int64, mid float64) *Book {
	b := &Book{Symbol: symbol, Seq: seq}
	for i := range Depth {
		step := 0.25 * float64(i+1)
		lots := float64(1 + (i*7)%11)
		b.BidPx = append(b.BidPx, mid-step)
		b.BidQty = append(b.BidQty, lots/1000)
		b.AskPx = append(b.AskPx, mid+step)
		b.AskQty = append(b.AskQty, (lots+0.5)/1000)
	}
	return b
}
