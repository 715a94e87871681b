package chart

import (
	"convatlas/diagram"
	"math"
)

// Standalone is the frame of a chart served alone, for slides and course notes: the
// page's heading, caption and HTML legend do not travel with the SVG, so the frame draws
// a visible title above the chart and, below it, the legend of a line chart of several
// networks or the networks a bubble chart leaves out.
type Standalone struct {
	W, H   float64
	Title  TextAt
	Chart  diagram.Rect // where the chart's own SVG is placed, at its natural size
	Legend []LegendItem
	Note   *TextAt
}

// TextAt is a line of text and where its baseline starts.
type TextAt struct {
	X, Y float64
	Text string
}

// LegendItem is one series of a standalone line chart: a short stroke of its colour
// and its name.
type LegendItem struct {
	X, Y   float64 // the stroke's left end, on the text's middle line
	Series Series
}

const (
	standaloneTitleSize = 16.0
	standaloneTitleBand = 32.0 // the title's row above the chart
	legendRow           = 20.0
	LegendStroke        = 24.0 // length of a legend's colour stroke
	LegendTextGap       = 6.0
	legendItemGap       = 20.0
	legendFont          = 12.0
	margin              = 16.0 // around a standalone chart, as around a diagram
)

// NewStandalone frames chart c; its width is the chart's own, widened if the title needs it.
func NewStandalone(c *Chart) *Standalone {
	cw, ch := chartSize(c)
	w := math.Max(cw, diagram.TextWidth(c.Title, standaloneTitleSize)+2*margin)
	s := &Standalone{
		W:     w,
		Title: TextAt{X: margin, Y: 22, Text: c.Title},
		Chart: diagram.Rect{X: 0, Y: standaloneTitleBand, W: cw, H: ch},
	}
	bottom := standaloneTitleBand + ch
	switch {
	case c.Line != nil && len(c.Line.Series) > 1:
		left := c.Line.Plot.X
		x, y := left, bottom+legendRow/2
		for _, series := range c.Line.Series {
			width := LegendStroke + LegendTextGap + diagram.TextWidth(series.Name, legendFont)
			if x > left && x+width > w-margin {
				x, y = left, y+legendRow
			}
			s.Legend = append(s.Legend, LegendItem{X: x, Y: y, Series: series})
			x += width + legendItemGap
		}
		bottom = y + legendRow/2 + 8
	case c.Bubble != nil && len(c.Bubble.Missing) > 0:
		s.Note = &TextAt{X: c.Bubble.Plot.X, Y: bottom + 14, Text: "Not drawn, no ImageNet top-1 accuracy: " + LeftOutText(c.Bubble.LeftOut)}
		s.W = math.Max(s.W, s.Note.X+diagram.TextWidth(s.Note.Text, legendFont)+margin)
		bottom += 26
	}
	s.H = bottom
	return s
}

// chartSize is the natural size of the chart c draws.
func chartSize(c *Chart) (w, h float64) {
	switch {
	case c.Line != nil:
		return c.Line.W, c.Line.H
	case c.Bubble != nil:
		return c.Bubble.W, c.Bubble.H
	case c.Bars != nil:
		return c.Bars.W, c.Bars.H
	case c.Stacked != nil:
		return c.Stacked.W, c.Stacked.H
	}
	return 0, 0
}
