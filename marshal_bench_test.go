package jsonlog

import (
	"encoding/json"
	"testing"
)

// The payload of the shared notes: 3 symbols, 100 fills, 100 quotes and
// metadata, as a struct and as map[string]any.

type fill struct {
	Price float64 `json:"price"`
	Qty   float64 `json:"qty"`
	TS    int64   `json:"ts"`
}

type quote struct {
	Bid float64 `json:"bid"`
	Ask float64 `json:"ask"`
	TS  int64   `json:"ts"`
}

type payload struct {
	Symbols []string `json:"symbols"`
	Metrics struct {
		Fills  []fill  `json:"fills"`
		Quotes []quote `json:"quotes"`
	} `json:"metrics"`
	Metadata struct {
		GitSHA  string `json:"git_sha"`
		Version string `json:"version"`
	} `json:"metadata"`
}

func newPayload() *payload {
	p := &payload{Symbols: []string{"BTCUSDT", "ETHUSDT", "SOLUSDT"}}
	for i := 0; i < 100; i++ {
		p.Metrics.Fills = append(p.Metrics.Fills, fill{50000.123, 0.001, 1234567890})
		p.Metrics.Quotes = append(p.Metrics.Quotes, quote{49999.99, 50000.01, 1234567890})
	}
	p.Metadata.GitSHA = "abc123"
	p.Metadata.Version = "1.0.0"
	return p
}

func newPayloadMap() map[string]any {
	fills := make([]any, 100)
	quotes := make([]any, 100)
	for i := range fills {
		fills[i] = map[string]any{"price": 50000.123, "qty": 0.001, "ts": 1234567890}
		quotes[i] = map[string]any{"bid": 49999.99, "ask": 50000.01, "ts": 1234567890}
	}
	return map[string]any{
		"symbols":  []any{"BTCUSDT", "ETHUSDT", "SOLUSDT"},
		"metrics":  map[string]any{"fills": fills, "quotes": quotes},
		"metadata": map[string]any{"git_sha": "abc123", "version": "1.0.0"},
	}
}

// wsMessage is a ~1 KB WebSocket-style market-data message.
type wsMessage struct {
	Stream string `json:"stream"`
	Data   struct {
		Event     string      `json:"e"`
		EventTime int64       `json:"E"`
		Symbol    string      `json:"s"`
		UpdateID  int64       `json:"u"`
		Bids      [][2]string `json:"b"`
		Asks      [][2]string `json:"a"`
	} `json:"data"`
}

func newWSMessage() []byte {
	var m wsMessage
	m.Stream = "btcusdt@depth"
	m.Data.Event = "depthUpdate"
	m.Data.EventTime = 1700000000123
	m.Data.Symbol = "BTCUSDT"
	m.Data.UpdateID = 40000000001
	for i := 0; i < 10; i++ {
		m.Data.Bids = append(m.Data.Bids, [2]string{"49999.99000000", "0.01200000"})
		m.Data.Asks = append(m.Data.Asks, [2]string{"50000.01000000", "0.50000000"})
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func BenchmarkMarshal(b *testing.B) {
	payloads := []struct {
		name string
		v    any
	}{
		{"struct", newPayload()},
		{"map", newPayloadMap()},
	}
	for _, p := range payloads {
		b.Run(p.name+"/encoding_json", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(p.v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.name+"/jsonlog_compact", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Marshal(p.v, Compact); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.name+"/jsonlog_standard", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Marshal(p.v, Standard); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.name+"/jsonlog_append", func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, 64<<10)
			for b.Loop() {
				var err error
				if buf, err = Append(buf[:0], p.v, Standard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUnmarshal(b *testing.B) {
	data, err := json.Marshal(newPayload())
	if err != nil {
		b.Fatal(err)
	}
	ws := newWSMessage()
	b.Run("struct/encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var p payload
			if err := json.Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("struct/jsonlog", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var p payload
			if err := Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("map/encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("map/jsonlog", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if err := Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ws_message/encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m wsMessage
			if err := json.Unmarshal(ws, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ws_message/jsonlog", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m wsMessage
			if err := Unmarshal(ws, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
