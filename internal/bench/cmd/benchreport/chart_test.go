package main

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// svgGroup is a <g> of the chart as the tests read it.
type svgGroup struct {
	Class     string     `xml:"class,attr"`
	Title     string     `xml:"data-title,attr"`
	Label     string     `xml:"data-label,attr"`
	Groups    []svgGroup `xml:"g"`
	Texts     []svgText  `xml:"text"`
	Circles   []svgPoint `xml:"circle"`
	Polylines []struct {
		Points string `xml:"points,attr"`
	} `xml:"polyline"`
	Series []svgGroup `xml:"-"` // the groups of class series
}

type svgText struct {
	Class string `xml:"class,attr"`
	Text  string `xml:",chardata"`
}

type svgPoint struct {
	CX    float64 `xml:"cx,attr"`
	CY    float64 `xml:"cy,attr"`
	Title string  `xml:"title"`
}

type svgDoc struct {
	XMLName xml.Name
	Width   int        `xml:"width,attr"`
	Height  int        `xml:"height,attr"`
	Title   string     `xml:"title"`
	Desc    string     `xml:"desc"`
	Groups  []svgGroup `xml:"g"`
	Panels  []svgGroup `xml:"-"` // the groups of class panel
	Legend  []svgGroup `xml:"-"` // the legend's entries
}

// parseChart decodes the chart as XML, strictly (any malformed markup fails).
func parseChart(t *testing.T, svg []byte) svgDoc {
	t.Helper()
	var d svgDoc
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	dec.Strict = true
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("the chart is not well-formed XML: %v\n%s", err, svg)
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); !ok || strings.TrimSpace(string(cd)) != "" {
			t.Fatalf("content after the root element: %v", tok)
		}
	}
	if d.XMLName.Space != "http://www.w3.org/2000/svg" || d.XMLName.Local != "svg" {
		t.Fatalf("root element %v", d.XMLName)
	}
	for _, g := range d.Groups {
		switch g.Class {
		case "panel":
			for _, s := range g.Groups {
				if s.Class == "series" {
					g.Series = append(g.Series, s)
				}
			}
			d.Panels = append(d.Panels, g)
		case "legend":
			d.Legend = g.Groups
		}
	}
	return d
}

// The chart is well-formed SVG with its title, one panel per phase, one
// series per variant with a point per N at the right place, labelled axes
// and a legend entry per variant; labels are escaped.
func TestSVGChart(t *testing.T) {
	labels := []string{"a <per rule>", "b & set", "c"}
	panels := []chartPanel{
		{title: "apply", series: []chartSeries{
			{label: labels[0], points: []chartPoint{{100, 1}, {500, 9}, {1000, 25}}},
			{label: labels[1], points: []chartPoint{{100, 0.2}, {500, 0.3}, {1000, 0.4}}},
			{label: labels[2], points: []chartPoint{{1000, 30}}}, // measured at one N only
		}},
		{title: "refresh plan", series: []chartSeries{{label: labels[0], points: []chartPoint{{100, 0.3}, {1000, 0.7}}}}},
	}
	svg := svgChart("Wall time & N", "desc", "N (firewall rules)", "wall time (s)", labels, panels)
	d := parseChart(t, svg)
	if d.Title != "Wall time & N" || d.Desc != "desc" || d.Width <= 0 || d.Height <= 0 {
		t.Errorf("title %q, desc %q, size %dx%d", d.Title, d.Desc, d.Width, d.Height)
	}
	if len(d.Panels) != 2 || d.Panels[0].Title != "apply" || d.Panels[1].Title != "refresh plan" {
		t.Fatalf("panels: %+v", d.Panels)
	}
	for _, p := range d.Panels {
		var axisLabels []string
		for _, g := range p.Groups {
			for _, tx := range g.Texts {
				if tx.Class == "axis-label" {
					axisLabels = append(axisLabels, g.Class+": "+tx.Text)
				}
			}
		}
		slices.Sort(axisLabels)
		if want := []string{"axis x: N (firewall rules)", "axis y: wall time (s)"}; !slices.Equal(axisLabels, want) {
			t.Errorf("panel %s: axis labels %q, want %q", p.Title, axisLabels, want)
		}
	}
	apply := d.Panels[0]
	if len(apply.Series) != 3 {
		t.Fatalf("apply: %d series", len(apply.Series))
	}
	for i, s := range apply.Series {
		if s.Label != labels[i] || len(s.Circles) != len(panels[0].series[i].points) {
			t.Errorf("series %d: %q, %d points", i, s.Label, len(s.Circles))
		}
		if wantLines := min(1, len(s.Circles)-1); len(s.Polylines) != wantLines {
			t.Errorf("series %q: %d lines, want %d", s.Label, len(s.Polylines), wantLines)
		}
	}
	// Larger N is further right, more seconds further up, the same value at
	// the same height in every series; the tooltips carry the values.
	per, set := apply.Series[0].Circles, apply.Series[1].Circles
	if !(per[0].CX < per[1].CX && per[1].CX < per[2].CX) || per[0].CX != set[0].CX {
		t.Errorf("x: %+v %+v", per, set)
	}
	if !(per[0].CY > per[1].CY && per[1].CY > per[2].CY && set[2].CY > per[0].CY) {
		t.Errorf("y: %+v %+v", per, set)
	}
	if per[2].Title != "a <per rule>, N = 1000: 25.00 s" {
		t.Errorf("tooltip %q", per[2].Title)
	}
	// The y axis reaches past the largest value, with round ticks.
	var ticks []float64
	for _, g := range apply.Groups {
		if g.Class == "axis y" {
			for _, tx := range g.Texts {
				if tx.Class == "" {
					v, err := strconv.ParseFloat(tx.Text, 64)
					if err != nil {
						t.Fatalf("y tick %q", tx.Text)
					}
					ticks = append(ticks, v)
				}
			}
		}
	}
	if want := []float64{0, 10, 20, 30}; !slices.Equal(ticks, want) {
		t.Errorf("y ticks %v, want %v", ticks, want)
	}
	if len(d.Legend) != len(labels) || d.Legend[1].Label != "b & set" {
		t.Errorf("legend: %+v", d.Legend)
	}
}

func TestNiceTicks(t *testing.T) {
	for top, want := range map[float64][]float64{
		25:   {0, 5, 10, 15, 20, 25},
		0.7:  {0, 0.2, 0.4, 0.6, 0.8},
		0.3:  {0, 0.1, 0.2, 0.3},
		61.2: {0, 20, 40, 60, 80},
		0:    {0, 1},
	} {
		if got := niceTicks(top); !slices.Equal(got, want) {
			t.Errorf("niceTicks(%g) = %v, want %v", top, got, want)
		}
	}
}
