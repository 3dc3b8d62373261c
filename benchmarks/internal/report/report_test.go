package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

var sample = []Result{
	{Scenario: "msg", Row: "a", NsPerOp: 50, BytesPerOp: 0, AllocsPerOp: 0, Runs: 1},
	{Scenario: "msg", Row: "b <&> c", NsPerOp: 125.4, BytesPerOp: 16, AllocsPerOp: 1, Runs: 1},
	{Scenario: "orderbook", Row: "a", NsPerOp: 2000, BytesPerOp: 8, AllocsPerOp: 1, Runs: 1},
	{Scenario: "orderbook", Row: "b <&> c", NsPerOp: 5000, BytesPerOp: 4096, AllocsPerOp: 3, Runs: 1},
}

func TestMedian(t *testing.T) {
	runs := []Result{{NsPerOp: 30, AllocsPerOp: 3}, {NsPerOp: 10, AllocsPerOp: 1}, {NsPerOp: 20, AllocsPerOp: 2}, {NsPerOp: 40, AllocsPerOp: 4}}
	if m := Median(runs[:3]); m.NsPerOp != 20 || m.AllocsPerOp != 2 || m.Runs != 3 {
		t.Errorf("Median of 3 = %+v, want the 20 ns run with Runs 3", m)
	}
	if m := Median(runs); m.NsPerOp != 20 || m.Runs != 4 {
		t.Errorf("Median of 4 = %+v, want the lower middle (20 ns) with Runs 4", m)
	}
	if runs[0].NsPerOp != 30 {
		t.Error("Median reordered its argument")
	}
}

func TestWriteMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMarkdown(&buf, sample, "a", func(s string) string { return "doc of " + s }); err != nil {
		t.Fatal(err)
	}
	want := `### msg

doc of msg

| row | ns/op | B/op | allocs/op | ns/op ÷ a |
|---|---:|---:|---:|---:|
| a | 50.0 | 0 | 0 | 1.00 |
| b <&> c | 125 | 16 | 1 | 2.51 |

### orderbook

doc of orderbook

| row | ns/op | B/op | allocs/op | ns/op ÷ a |
|---|---:|---:|---:|---:|
| a | 2000 | 8 | 1 | 1.00 |
| b <&> c | 5000 | 4096 | 3 | 2.50 |
`
	if got := buf.String(); got != want {
		t.Errorf("WriteMarkdown wrote\n%s\nwant\n%s", got, want)
	}
}

func TestWriteTableWithoutBaseline(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, sample[:2], "missing"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(buf.String(), "| – |"); got != 2 {
		t.Errorf("want a dash in the ratio column of both rows, got:\n%s", buf.String())
	}
}

func TestWriteJSONRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	env := CurrentEnv("10ms", 3)
	if err := WriteJSON(&buf, env, sample); err != nil {
		t.Fatal(err)
	}
	var back File
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Env != env || len(back.Results) != len(sample) || back.Results[3] != sample[3] {
		t.Errorf("round trip: got %+v", back)
	}
}

func TestWriteSVG(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSVG(&buf, sample, `title "<quoted>"`); err != nil {
		t.Fatal(err)
	}
	// Well-formed XML, with an svg root.
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	var root string
	rects := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, buf.String())
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "rect" {
				rects++
			}
		}
	}
	if root != "svg" {
		t.Errorf("root element %q, want svg", root)
	}
	// Background + one legend swatch per row + one bar per result.
	if want := 1 + 2 + len(sample); rects != want {
		t.Errorf("%d rects, want %d", rects, want)
	}
	for _, s := range []string{"ns/op", "b &lt;&amp;&gt; c", ">msg<", ">orderbook<", ">2k<"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("SVG lacks %q", s)
		}
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{0, 1}, {0.3, 0.5}, {1, 1}, {1.1, 2}, {3, 5}, {7, 10}, {120, 200}, {2500, 5000},
	} {
		if got := niceStep(c.in); got != c.want {
			t.Errorf("niceStep(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestTickLabel(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 0.5: "0.5", 200: "200", 1500: "1.5k", 20000: "20k"} {
		if got := tickLabel(in); got != want {
			t.Errorf("tickLabel(%v) = %q, want %q", in, got, want)
		}
	}
}
