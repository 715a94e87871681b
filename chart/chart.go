package chart

import (
	"convatlas/diagram"
	"fmt"
	"math"
)

// LineChart is a chart of one or more series of points, laid out in Go: axes with
// ticks, the series as polylines, and a marked point.
type LineChart struct {
	Title, XLabel, YLabel string
	W, H                  float64
	Plot                  diagram.Rect // the plotting area
	XTicks, YTicks        []Tick
	Series                []Series
	Mark                  *diagram.Point // a highlighted point, in pixels
	MarkLabel             string
}

// Tick is an axis tick: where, and its label.
type Tick struct {
	At    float64
	Label string
}

// Series is a named polyline.
type Series struct {
	Name   string
	Points []diagram.Point // in pixels
	Class  string
	Index  int    // its place among the chart's series, which picks its colour
	Dash   string // a stroke-dasharray once the colours have all been used, or ""
}

// ChartInk is a chart's colours, written as presentation attributes so that a chart
// served alone needs no stylesheet; pages restyle them by class for their theme.
type ChartInk struct {
	Background, Text, Muted, Grid, Frame string
	Fill, Stroke                         string   // bubbles and bars
	Series                               []string // lines, told apart at text-level contrast
}

// ChartInks by theme.
var ChartInks = map[string]ChartInk{
	"light": {Background: "#ffffff", Text: "#111827", Muted: "#4b5563", Grid: "#e5e7eb", Frame: "#d1d5db",
		Fill: "#dbeafe", Stroke: "#1d4ed8",
		Series: []string{"#1d4ed8", "#b45309", "#7c3aed", "#15803d", "#be123c", "#0e7490"}},
	"dark": {Background: "#111827", Text: "#f3f4f6", Muted: "#cbd5e1", Grid: "#374151", Frame: "#4b5563",
		Fill: "#1e3a8a", Stroke: "#93c5fd",
		Series: []string{"#93c5fd", "#fbbf24", "#c4b5fd", "#86efac", "#fda4af", "#67e8f9"}},
}

// SeriesColour is the colour of series s.
func (ink ChartInk) SeriesColour(s Series) string { return ink.Series[s.Index%len(ink.Series)] }

// seriesColours is how many colours series take before lines are dashed.
var seriesColours = len(ChartInks["light"].Series)

// niceStep is a step of 1, 2 or 5 × 10ⁿ that divides span into about n parts.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// NewLineChart lays out series of (x, y) values; mark, if ≥ 0, is the index of the
// point of the first series to highlight.
func NewLineChart(title, xlabel, ylabel string, xs [][]float64, ys [][]float64, names []string, mark int) *LineChart {
	c := &LineChart{Title: title, XLabel: xlabel, YLabel: ylabel, W: 480, H: 260}
	c.Plot = diagram.Rect{X: 64, Y: 16, W: c.W - 64 - 16, H: c.H - 16 - 46}
	maxX, maxY := 1.0, 1.0
	for k := range xs {
		for i := range xs[k] {
			maxX, maxY = math.Max(maxX, xs[k][i]), math.Max(maxY, ys[k][i])
		}
	}
	sx, sy := niceStep(maxX, 5), niceStep(maxY, 4)
	maxX, maxY = math.Ceil(maxX/sx)*sx, math.Ceil(maxY/sy)*sy
	px := func(x float64) float64 { return c.Plot.X + x/maxX*c.Plot.W }
	py := func(y float64) float64 { return c.Plot.Y + c.Plot.H - y/maxY*c.Plot.H }
	for x := 0.0; x <= maxX+sx/2; x += sx {
		c.XTicks = append(c.XTicks, Tick{At: px(x), Label: diagram.HumanCount(int64(x))})
	}
	for y := 0.0; y <= maxY+sy/2; y += sy {
		c.YTicks = append(c.YTicks, Tick{At: py(y), Label: diagram.HumanCount(int64(y))})
	}
	for k := range xs {
		s := Series{Name: names[k], Class: fmt.Sprintf("series-%d", k%seriesColours), Index: k}
		if k >= seriesColours {
			// The second round of colours is dashed, so that twelve networks stay apart.
			s.Dash, s.Class = "8 4", s.Class+" dashed"
		}
		for i := range xs[k] {
			s.Points = append(s.Points, diagram.Point{X: px(xs[k][i]), Y: py(ys[k][i])})
		}
		c.Series = append(c.Series, s)
	}
	if mark >= 0 && len(xs) > 0 && mark < len(xs[0]) {
		c.Mark = &diagram.Point{X: px(xs[0][mark]), Y: py(ys[0][mark])}
	}
	return c
}
