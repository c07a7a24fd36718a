package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// The benchmarks page's chart: wall time against N, one line per variant,
// one panel per phase, written as plain SVG 1.1 (no dependency: a few lines,
// circles and texts). Each series is a <g class="series" data-label="...">
// and each axis title a <text class="axis-label">, which the tests read.

type chartPoint struct{ x, y float64 }

// chartSeries is one variant's line: its points by ascending x.
type chartSeries struct {
	label  string
	points []chartPoint
}

// chartPanel is one plot (a phase), with its own y scale.
type chartPanel struct {
	title  string
	series []chartSeries
}

// chartStyles tell the series apart in colour (Okabe-Ito, readable with the
// common colour-vision deficiencies) and in dash pattern (readable in grey).
var chartStyles = []struct{ color, dash string }{
	{"#000000", "4 3"}, {"#999999", "1 3"}, {"#0072B2", ""}, {"#D55E00", ""},
	{"#009E73", "8 3"}, {"#CC79A7", "8 3 2 3"}, {"#E69F00", "2 2"}, {"#56B4E9", "6 2 2 2"},
	{"#882255", "3 1"},
}

const (
	chartPanelW = 340
	chartPanelH = 280
	chartLeft   = 58 // room for the y tick labels and the y axis title
	chartRight  = 16
	chartTop    = 56 // the chart title and the panel title
	chartBottom = 48 // the x tick labels and the x axis title
	chartLegend = 20 // one legend row
)

// svgChart draws the panels side by side with one legend below them. The
// series of every panel share their labels and styles by position in labels.
func svgChart(title, desc, xLabel, yLabel string, labels []string, panels []chartPanel) []byte {
	perRow := max(1, len(panels)) // legend columns as wide as a panel: room for long labels
	rows := (len(labels) + perRow - 1) / perRow
	width := max(1, len(panels)) * chartPanelW
	height := chartTop + chartPanelH + chartBottom + rows*chartLegend + 12
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title chart-desc" font-family="sans-serif" font-size="12">`+"\n",
		width, height, width, height)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title>`+"\n"+`<desc id="chart-desc">%s</desc>`+"\n", esc(title), esc(desc))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="20" text-anchor="middle" font-size="15" font-weight="bold">%s</text>`+"\n", width/2, esc(title))
	for i, p := range panels {
		writePanel(&b, i*chartPanelW, p, xLabel, yLabel, labels)
	}
	// The legend: one entry per label, perRow a row.
	b.WriteString(`<g class="legend">` + "\n")
	colW := width / perRow
	for i, l := range labels {
		st := chartStyles[i%len(chartStyles)]
		x := (i%perRow)*colW + 16
		y := chartTop + chartPanelH + chartBottom + (i/perRow)*chartLegend + 10
		fmt.Fprintf(&b, `<g class="legend-entry" data-label="%s"><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/><circle cx="%d" cy="%d" r="3" fill="%s"/><text x="%d" y="%d">%s</text></g>`+"\n",
			esc(l), x, y, x+28, y, st.color, dashAttr(st.dash), x+14, y, st.color, x+34, y+4, esc(l))
	}
	b.WriteString("</g>\n</svg>\n")
	return b.Bytes()
}

func writePanel(b *bytes.Buffer, x0 int, p chartPanel, xLabel, yLabel string, labels []string) {
	var maxX, maxY float64
	var xs []float64
	for _, s := range p.series {
		for _, pt := range s.points {
			maxX, maxY = max(maxX, pt.x), max(maxY, pt.y)
			if !slices.Contains(xs, pt.x) {
				xs = append(xs, pt.x)
			}
		}
	}
	slices.Sort(xs)
	yTicks := niceTicks(maxY)
	yTop := yTicks[len(yTicks)-1]
	if maxX <= 0 {
		maxX = 1
	}
	// The plot area, in the panel's coordinates.
	left, right := float64(x0+chartLeft), float64(x0+chartPanelW-chartRight)
	top, bottom := float64(chartTop), float64(chartTop+chartPanelH)
	px := func(x float64) float64 { return left + x/maxX*(right-left) }
	py := func(y float64) float64 { return bottom - y/yTop*(bottom-top) }

	fmt.Fprintf(b, `<g class="panel" data-title="%s">`+"\n", esc(p.title))
	fmt.Fprintf(b, `<text class="panel-title" x="%s" y="%d" text-anchor="middle" font-weight="bold">%s</text>`+"\n", num((left+right)/2), chartTop-12, esc(p.title))
	// The y axis: grid lines at the ticks, their values, the title.
	b.WriteString(`<g class="axis y">` + "\n")
	for _, t := range yTicks {
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e0e0e0"/><text x="%s" y="%s" text-anchor="end">%s</text>`+"\n",
			num(left), num(py(t)), num(right), num(py(t)), num(left-6), num(py(t)+4), strconv.FormatFloat(t, 'f', -1, 64))
	}
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000000"/>`+"\n", num(left), num(top), num(left), num(bottom))
	fmt.Fprintf(b, `<text class="axis-label" transform="translate(%d %s) rotate(-90)" text-anchor="middle">%s</text>`+"\n",
		x0+14, num((top+bottom)/2), esc(yLabel))
	b.WriteString("</g>\n")
	// The x axis: a tick at every N measured, the title.
	b.WriteString(`<g class="axis x">` + "\n")
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000000"/>`+"\n", num(left), num(bottom), num(right), num(bottom))
	for _, x := range append([]float64{0}, xs...) {
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000000"/><text x="%s" y="%s" text-anchor="middle">%s</text>`+"\n",
			num(px(x)), num(bottom), num(px(x)), num(bottom+4), num(px(x)), num(bottom+17), strconv.FormatFloat(x, 'f', -1, 64))
	}
	fmt.Fprintf(b, `<text class="axis-label" x="%s" y="%s" text-anchor="middle">%s</text>`+"\n", num((left+right)/2), num(bottom+36), esc(xLabel))
	b.WriteString("</g>\n")
	for _, s := range p.series {
		if len(s.points) == 0 {
			continue
		}
		st := chartStyles[max(0, slices.Index(labels, s.label))%len(chartStyles)]
		fmt.Fprintf(b, `<g class="series" data-label="%s">`, esc(s.label))
		if len(s.points) > 1 {
			b.WriteString(`<polyline fill="none" stroke="` + st.color + `" stroke-width="2"` + dashAttr(st.dash) + ` points="`)
			for i, pt := range s.points {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(num(px(pt.x)) + "," + num(py(pt.y)))
			}
			b.WriteString(`"/>`)
		}
		for _, pt := range s.points {
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>`, num(px(pt.x)), num(py(pt.y)), st.color,
				esc(fmt.Sprintf("%s, N = %g: %.2f s", s.label, pt.x, pt.y)))
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")
}

// niceTicks returns 0 and steps of 1, 2 or 5 times a power of ten up to at
// least top, about five of them.
func niceTicks(top float64) []float64 {
	if top <= 0 || math.IsNaN(top) || math.IsInf(top, 0) {
		return []float64{0, 1}
	}
	raw := top / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	// Rounded to the step's decimals, so that 3 x 0.1 prints as 0.3.
	p := math.Pow(10, max(0, -math.Floor(math.Log10(step))))
	ticks := []float64{0}
	for i := 1; ticks[len(ticks)-1] < top; i++ {
		ticks = append(ticks, math.Round(float64(i)*step*p)/p)
	}
	return ticks
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func dashAttr(dash string) string {
	if dash == "" {
		return ""
	}
	return ` stroke-dasharray="` + dash + `"`
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
