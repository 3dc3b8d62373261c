// Package scenario defines what the benchmarks measure: the rows (one
// logger set-up each) and the scenarios (one kind of log call each), over
// fixed data so every row writes the same fields every time.
package scenario

import (
	"errors"
	"time"
)

// At is the fixed time that every time-valued field carries.
var At = time.Date(2026, time.March, 14, 9, 26, 53, 589793238, time.UTC)

// Order is the small struct of the fields10 scenario. It is written by
// reflection in every row.
type Order struct {
	ID    int64   `json:"id"`
	Side  string  `json:"side"`
	Price float64 `json:"price"`
	Qty   float64 `json:"qty"`
}

// Venue is nested in Fill.
type Venue struct {
	Name   string `json:"name"`
	Region string `json:"region"`
}

// Fill is the larger struct of the struct scenario, written by reflection.
type Fill struct {
	ID        int64     `json:"id"`
	Symbol    string    `json:"symbol"`
	Side      string    `json:"side"`
	Price     float64   `json:"price"`
	Qty       float64   `json:"qty"`
	Fee       float64   `json:"fee"`
	Maker     bool      `json:"maker"`
	Time      time.Time `json:"time"`
	Tags      []string  `json:"tags"`
	Venue     Venue     `json:"venue"`
	ClientRef string    `json:"client_ref"`
}

// The values of the ten fields of fields10 and context10, one of each kind.
var (
	Count   = 42
	Seq     = int64(1_234_567_890_123)
	Price   = 50000.125
	Symbol  = "BTCUSDT"
	Filled  = true
	Elapsed = 1500 * time.Microsecond
	Err     = errors.New("order rejected: insufficient margin")
	Levels  = []int{1, 2, 3, 5, 8, 13, 21, 34}
	Small   = Order{ID: 7, Side: "buy", Price: 49999.5, Qty: 0.25}
)

// FieldKeys are the keys of the ten fields of fields10 and context10, in
// the order they are logged. None of them clashes with a key that any row
// writes by itself (time, ts, level, msg, message, caller).
var FieldKeys = []string{"count", "seq", "price", "symbol", "filled", "at", "elapsed", "error", "levels", "order"}

// BigFill is the value of the struct scenario.
var BigFill = Fill{
	ID: 991_000_017, Symbol: "ETHUSDT", Side: "sell", Price: 3120.55, Qty: 1.75, Fee: 0.0021,
	Maker: true, Time: At, Tags: []string{"ioc", "post-only", "hedge"},
	Venue: Venue{Name: "binance", Region: "ap-northeast-1"}, ClientRef: "bot-7/strategy \"mm\"",
}

// Book is one order-book snapshot: 20 bid and 20 ask levels as typed slices.
type Book struct {
	Symbol        string
	Seq           int64
	BidPx, BidQty []float64
	AskPx, AskQty []float64
}

// Depth is the number of price levels on each side of Snapshot.
const Depth = 20

// Snapshot is the value of the orderbook scenario.
var Snapshot = makeBook("BTCUSDT", 88_000_001, 50000.0, Depth)

func makeBook(symbol string, seq int64, mid float64, depth int) Book {
	b := Book{Symbol: symbol, Seq: seq}
	for i := range depth {
		step := 0.5 * float64(i+1)
		qty := 0.125 * float64(1+i%7)
		b.BidPx = append(b.BidPx, mid-step)
		b.BidQty = append(b.BidQty, qty)
		b.AskPx = append(b.AskPx, mid+step)
		b.AskQty = append(b.AskQty, qty+0.5)
	}
	return b
}
