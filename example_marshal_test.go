package jsonlog_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jsonlog/jsonlog"
)

func ExampleMarshal() {
	type fill struct {
		Qty   float64   `json:"qty"`
		Price float64   `json:"price"`
		At    time.Time `json:"at"`
	}
	v := map[string]any{
		"symbol": "BTCUSDT",
		"fill":   fill{Qty: 0.001, Price: 50000.123, At: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)},
	}
	b, err := jsonlog.Marshal(v, jsonlog.Standard)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"fill":{"at":"2024-05-06T07:08:09Z","price":50000.123,"qty":0.001},"symbol":"BTCUSDT"}
}

func ExampleMarshal_pretty() {
	b, _ := jsonlog.Marshal(map[string]any{"b": []int{1, 2}, "a": "<ok>"}, jsonlog.PrettySorted)
	fmt.Println(string(b))
	// Output:
	// {
	//   "a": "<ok>",
	//   "b": [
	//     1,
	//     2
	//   ]
	// }
}

func ExampleMarshal_error() {
	_, err := jsonlog.Marshal(map[string]any{"ok": 1, "bad": []any{1, make(chan int)}}, jsonlog.Standard)
	fmt.Println(err)
	// Output:
	// jsonlog: cannot marshal map[string]interface {}: at ["bad"][1]: unsupported type chan int
}

func ExampleAppend() {
	buf := make([]byte, 0, 256) // reused: no allocation once it is large enough
	for _, ts := range []int64{1, 2} {
		var err error
		buf, err = jsonlog.Append(buf[:0], map[string]int64{"ts": ts, "seq": ts * 10}, jsonlog.Deterministic)
		if err != nil {
			panic(err)
		}
		os.Stdout.Write(buf)
	}
	// Output:
	// {"seq":10,"ts":1}
	// {"seq":20,"ts":2}
}

func ExampleUnmarshal() {
	var msg struct {
		Stream string `json:"stream"`
		Data   struct {
			Bids [][2]string `json:"b"`
		} `json:"data"`
	}
	err := jsonlog.Unmarshal([]byte(`{"stream":"btcusdt@depth","data":{"b":[["49999.99","0.5"]]}}`), &msg)
	fmt.Println(msg.Stream, msg.Data.Bids, err)
	// Output:
	// btcusdt@depth [[49999.99 0.5]] <nil>
}

func ExampleWriteFile() {
	dir, _ := os.MkdirTemp("", "jsonlog-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "snapshot.json")

	snap := map[string]any{"version": "1.0.0", "symbols": []string{"BTCUSDT", "ETHUSDT"}}
	if err := jsonlog.WriteFile(path, snap, jsonlog.Deterministic, 0o644); err != nil {
		panic(err)
	}
	var back struct {
		Symbols []string `json:"symbols"`
		Version string   `json:"version"`
	}
	if err := jsonlog.ReadFile(path, &back); err != nil {
		panic(err)
	}
	fmt.Println(back.Symbols, back.Version)
	// Output:
	// [BTCUSDT ETHUSDT] 1.0.0
}

func ExampleReadFile() {
	var v any
	err := jsonlog.ReadFile("/nonexistent/state.json", &v)
	fmt.Println(err)
	// Output:
	// jsonlog: ReadFile: open /nonexistent/state.json: no such file or directory
}

func ExampleBackend() {
	fmt.Println(jsonlog.Backend() != "")
	// Output:
	// true
}
