package diagram

import (
	"context"
	"convatlas/engine"
	"math"
	"sort"
)

// A long chain fits a wide slide badly either way: drawn top to bottom it is too tall,
// left to right too long. Cut into columns side by side, as a newspaper prints a long
// article, it is read at several times the size. A column is a window on the one
// diagram, cut only where no box, join or frame spans the cut and one arrow crosses
// it: between two items of the chain.

// Column is a window of a top-to-bottom diagram, drawn at X in the frame.
type Column struct {
	X, Y0, H float64 // where it goes; the part of the diagram it shows, Y0 to Y0+H
}

// columnGap separates the columns of a diagram drawn in columns.
const columnGap = 24.0

// maxColumns bounds the columns tried: past six a slide's column is too narrow to read.
const maxColumns = 6

// fitColumns finds the columns of d that fill frame p at the largest scale, and that
// scale; none (nil) when one column is as good.
func fitColumns(d *Diagram, p Preset) ([]Column, float64) {
	if d.Dir != "tb" {
		return nil, fitScale(d, p)
	}
	cuts := cutPoints(d)
	best, bestScale := []Column(nil), fitScale(d, p)
	for k := 2; k <= maxColumns && k-1 <= len(cuts); k++ {
		cols := splitColumns(d, cuts, k)
		w, h := ColumnsSize(d, cols)
		if s := math.Min(p.W/w, p.H/h); s > bestScale*1.05 {
			best, bestScale = cols, s
		}
	}
	return best, bestScale
}

// cutPoints are the heights at which the diagram may be cut: the middles of the
// gaps that nothing spans but edges.
func cutPoints(d *Diagram) []float64 {
	type span struct{ lo, hi float64 }
	var spans []span
	for _, b := range d.Boxes {
		spans = append(spans, span{b.Y, b.Y + b.H})
	}
	for _, j := range d.Joins {
		spans = append(spans, span{j.Y - j.R, j.Y + j.R})
	}
	for _, f := range d.Frames {
		spans = append(spans, span{f.Y, f.Y + f.H})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].lo < spans[j].lo })
	var cuts []float64
	reach := math.Inf(-1)
	for i, s := range spans {
		if at := (reach + s.lo) / 2; i > 0 && s.lo > reach && crossings(d, at) <= 1 {
			cuts = append(cuts, at)
		}
		reach = math.Max(reach, s.hi)
	}
	return cuts
}

// crossings counts the edges that cross height y: a cut where one arrow crosses reads
// as "continued"; several (a branch's paths) would be lost.
func crossings(d *Diagram, y float64) int {
	n := 0
	for _, e := range d.Edges {
		for k := 1; k < len(e.Points); k++ {
			a, b := e.Points[k-1].Y, e.Points[k].Y
			if math.Min(a, b) < y && y < math.Max(a, b) {
				n++
				break
			}
		}
	}
	return n
}

// splitColumns cuts d into k columns of heights as equal as the cuts allow.
func splitColumns(d *Diagram, cuts []float64, k int) []Column {
	var cols []Column
	top := 0.0
	for i := 1; i < k; i++ {
		ideal := d.H * float64(i) / float64(k)
		at := -1.0
		for _, c := range cuts {
			if c > top && (at < 0 || math.Abs(c-ideal) < math.Abs(at-ideal)) {
				at = c
			}
		}
		if at < 0 {
			break
		}
		cols = append(cols, Column{Y0: top, H: at - top})
		top = at
	}
	cols = append(cols, Column{Y0: top, H: d.H - top})
	for i := range cols {
		cols[i].X = float64(i) * (d.W + columnGap)
	}
	return cols
}

// columnsSize is the size of the columns side by side.
func ColumnsSize(d *Diagram, cols []Column) (w, h float64) {
	for _, c := range cols {
		h = math.Max(h, c.H)
	}
	return float64(len(cols))*d.W + float64(len(cols)-1)*columnGap, h
}

// Preset is a frame a whole diagram is fitted into: a slide.
type Preset struct {
	W, H float64
}

// Presets are the frames of preset=: reveal.js's and Marp's default slide is 1280×720
// (16:9); 1024×768 is the 4:3 one.
var Presets = map[string]Preset{"slide-16x9": {1280, 720}, "slide-4x3": {1024, 768}}

// fitScale is the scale at which d fills frame p.
func fitScale(d *Diagram, p Preset) float64 { return math.Min(p.W/d.W, p.H/d.H) }

// LayoutPreset lays out r to fill frame p: in opt's direction, or in the other when
// that fills the frame at a larger scale, either as one drawing or as columns.
func LayoutPreset(ctx context.Context, r *engine.Report, opt Options, p Preset) (*Diagram, []Column, error) {
	d, err := LayoutContext(ctx, r, opt)
	if err != nil {
		return nil, nil, err
	}
	cols, scale := fitColumns(d, p)
	opt.Dir = map[string]string{"lr": "tb"}[d.Dir]
	if opt.Dir == "" {
		opt.Dir = "lr"
	}
	if other, err := LayoutContext(ctx, r, opt); err == nil {
		if otherCols, otherScale := fitColumns(other, p); otherScale > scale {
			d, cols = other, otherCols
		}
	}
	return d, cols, nil
}
