package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// palette gives each row its colour, in order of first appearance.
var palette = []string{
	"#1b6ca8", "#5fa8d3", "#d1495b", "#f08080", "#2a9d8f", "#8ab17d",
	"#e9c46a", "#f4a261", "#6d597a", "#b56576", "#6c757d", "#adb5bd",
}

// Chart geometry, in pixels.
const (
	svgMargin   = 20
	svgTitleH   = 36
	legendCols  = 4
	legendRowH  = 18
	legendColW  = 275
	panelCols   = 2
	panelW      = 560
	panelGap    = 24
	nameW       = 170 // row names, left of the bars
	valueW      = 64  // value labels, right of the bars
	panelTitleH = 22
	barH        = 12
	barGap      = 4
	axisH       = 40 // tick labels and the axis title under the bars
)

// WriteSVG writes results as an SVG bar chart: one panel per scenario, in
// order of first appearance, each with its own linear ns/op axis, one bar
// per row coloured by row, and a legend. It needs no fonts or scripts
// beyond what every browser and image viewer has.
func WriteSVG(w io.Writer, results []Result, title string) error {
	scens, rowNames := scenarios(results), rows(results)
	colour := make(map[string]string, len(rowNames))
	for i, r := range rowNames {
		colour[r] = palette[i%len(palette)]
	}

	legendH := ((len(rowNames) + legendCols - 1) / legendCols) * legendRowH
	barsH := len(rowNames) * (barH + barGap)
	panelH := panelTitleH + barsH + axisH
	panelRows := (len(scens) + panelCols - 1) / panelCols
	width := 2*svgMargin + panelCols*panelW + (panelCols-1)*panelGap
	height := 2*svgMargin + svgTitleH + legendH + panelGap + panelRows*(panelH+panelGap)

	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", width, height, width, height)
	p(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	p(`<text x="%d" y="%d" font-size="16" font-weight="bold">%s</text>`+"\n", svgMargin, svgMargin+16, esc(title))
	p(`<text x="%d" y="%d" fill="#555">ns/op per scenario, lower is better; each panel has its own scale</text>`+"\n", svgMargin, svgMargin+31)

	// Legend.
	top := svgMargin + svgTitleH
	for i, r := range rowNames {
		x := svgMargin + (i%legendCols)*legendColW
		y := top + (i/legendCols)*legendRowH
		p(`<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`, x, y, colour[r])
		p(`<text x="%d" y="%d">%s</text>`+"\n", x+17, y+10, esc(r))
	}

	top += legendH + panelGap
	for i, s := range scens {
		x0 := svgMargin + (i%panelCols)*(panelW+panelGap)
		y0 := top + (i/panelCols)*(panelH+panelGap)
		writePanel(p, x0, y0, s, of(results, s), rowNames, colour)
	}
	p("</svg>\n")
	return bw.Flush()
}

// writePanel draws one scenario's bars, row names, axis and titles.
func writePanel(p func(string, ...any), x0, y0 int, scenario string, results []Result, rowNames []string, colour map[string]string) {
	max := 0.0
	for _, r := range results {
		max = math.Max(max, r.NsPerOp)
	}
	step := niceStep(max / 4)
	axisMax := math.Max(step, math.Ceil(max/step)*step)
	plotX, plotW := x0+nameW, panelW-nameW-valueW
	barsTop := y0 + panelTitleH
	barsH := len(rowNames) * (barH + barGap)
	scale := func(v float64) float64 { return float64(plotW) * v / axisMax }

	p(`<g><text x="%d" y="%d" font-size="13" font-weight="bold">%s</text>`+"\n", x0, y0+14, esc(scenario))
	// Grid lines and tick labels.
	for t := 0.0; t <= axisMax*(1+1e-9); t += step {
		x := float64(plotX) + scale(t)
		p(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`, x, barsTop, x, barsTop+barsH)
		p(`<text x="%.1f" y="%d" text-anchor="middle" fill="#333">%s</text>`+"\n", x, barsTop+barsH+14, esc(tickLabel(t)))
	}
	// Axes and their titles.
	p(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`, plotX, barsTop, plotX, barsTop+barsH)
	p(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`+"\n", plotX, barsTop+barsH, plotX+plotW, barsTop+barsH)
	p(`<text x="%d" y="%d" text-anchor="middle">ns/op</text>`+"\n", plotX+plotW/2, barsTop+barsH+32)
	p(`<text x="%d" y="%d" text-anchor="middle" transform="rotate(-90 %d %d)" fill="#555">row</text>`+"\n",
		x0+4, barsTop+barsH/2, x0+4, barsTop+barsH/2)
	// One bar per row, in the legend's order; a missing row leaves a gap.
	for j, name := range rowNames {
		y := barsTop + j*(barH+barGap) + barGap/2
		p(`<text x="%d" y="%d" text-anchor="end">%s</text>`, plotX-6, y+barH-2, esc(name))
		for _, r := range results {
			if r.Row != name {
				continue
			}
			bw := scale(r.NsPerOp)
			p(`<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`,
				plotX, y, bw, barH, colour[name], esc(fmt.Sprintf("%s, %s: %s ns/op, %d B/op, %d allocs/op", scenario, name, FormatNs(r.NsPerOp), r.BytesPerOp, r.AllocsPerOp)))
			p(`<text x="%.1f" y="%d" fill="#333">%s</text>`, float64(plotX)+bw+4, y+barH-2, esc(FormatNs(r.NsPerOp)))
		}
		p("\n")
	}
	p("</g>\n")
}

// niceStep returns the smallest of 1, 2 or 5 times a power of ten that is at least x.
func niceStep(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= x*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// tickLabel formats an axis tick: 1500 as "1.5k", 20000 as "20k".
func tickLabel(v float64) string {
	if v >= 1000 {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", v/1000), "0"), ".") + "k"
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", v), "0"), ".")
}

// esc escapes s for use as SVG text or attribute content.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}
