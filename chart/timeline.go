package chart

import (
	"fmt"

	"convatlas/archdefs"
	"convatlas/diagram"
)

// BarChart is a chart of labelled bars with an optional reference line, laid out in Go.
type BarChart struct {
	Title, YLabel string
	W, H          float64
	Plot          diagram.Rect
	Bars          []Bar
	YTicks        []Tick
	Line          *RefLine
}

// Bar is one bar with its labels.
type Bar struct {
	X, Y, W, H   float64
	Label, Value string
	Sub          string // a second label line (the entry)
	Link         string // the architecture's page, if any
	Muted        bool   // a runner-up
}

// RefLine is a horizontal reference, such as human performance.
type RefLine struct {
	Y     float64
	Label string
}

// ILSVRCTimeline charts the ILSVRC classification winners' top-5 error by year, with
// the human error line.
func ILSVRCTimeline(idx *archdefs.Index) *BarChart {
	c := &BarChart{Title: "ILSVRC classification: top-5 error of the winners by year", YLabel: "top-5 error (%)", W: 760, H: 340}
	c.Plot = diagram.Rect{X: 56, Y: 24, W: c.W - 56 - 16, H: c.H - 24 - 70}
	maxV := 30.0
	py := func(v float64) float64 { return c.Plot.Y + c.Plot.H - v/maxV*c.Plot.H }
	for v := 0.0; v <= maxV; v += 5 {
		c.YTicks = append(c.YTicks, Tick{At: py(v), Label: fmt.Sprint(v)})
	}
	n := float64(len(idx.ILSVRC))
	slot := c.Plot.W / n
	for i, w := range idx.ILSVRC {
		b := Bar{X: c.Plot.X + float64(i)*slot + slot*0.15, W: slot * 0.7, Y: py(w.Top5), H: c.Plot.H - (py(w.Top5) - c.Plot.Y),
			Label: fmt.Sprint(w.Year), Value: fmt.Sprintf("%g%%", w.Top5), Sub: w.Short, Muted: w.RunnerUp}
		if w.ID != "" {
			b.Link = "/a/" + w.ID
		}
		c.Bars = append(c.Bars, b)
	}
	c.Line = &RefLine{Y: py(idx.Human.Top5), Label: fmt.Sprintf("human ≈ %g%%", idx.Human.Top5)}
	return c
}

// TimelineRow is a row of the timeline's data table.
type TimelineRow struct {
	Year, Entry, Top5, Source, Link string
}

// TimelineRows lists the index's ILSVRC results and the human line.
func TimelineRows(idx *archdefs.Index) []TimelineRow {
	var rows []TimelineRow
	for _, w := range idx.ILSVRC {
		r := TimelineRow{Year: fmt.Sprint(w.Year), Entry: w.Entry, Top5: fmt.Sprintf("%g%%", w.Top5), Source: w.Source}
		if w.ID != "" {
			r.Link = "/a/" + w.ID
		}
		rows = append(rows, r)
	}
	return append(rows, TimelineRow{Year: "—", Entry: "human annotator", Top5: fmt.Sprintf("%g%%", idx.Human.Top5), Source: idx.Human.Source})
}
