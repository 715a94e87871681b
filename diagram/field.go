package diagram

import (
	"fmt"
	"math"

	"convatlas/engine"
)

// Rect is a rectangle in the units of its picture.
type Rect struct{ X, Y, W, H float64 }

// overlapArea is the area r and o share.
func (r Rect) OverlapArea(o Rect) float64 {
	w := math.Min(r.X+r.W, o.X+o.W) - math.Max(r.X, o.X)
	h := math.Min(r.Y+r.H, o.Y+o.H) - math.Max(r.Y, o.Y)
	return math.Max(w, 0) * math.Max(h, 0)
}

// FieldPicture draws a layer's receptive field on the input: the field of the centre
// unit, the field of its neighbour (one jump away), and the input image as a grid.
type FieldPicture struct {
	ViewBox   Rect
	Image     Rect
	Grid      []float64 // grid line positions, in input pixels, along both axes
	Centre    Rect
	Neighbour *Rect
	Outside   bool
	Global    bool
	Caption   string
}

// NewFieldPicture places layer l's receptive field on the network's input.
func NewFieldPicture(r *engine.Report, l *engine.Layer) FieldPicture {
	in := r.Input
	f := l.RF
	i, j := (l.Out.H-1)/2, (l.Out.W-1)/2
	if l.Out.Flat {
		i, j = 0, 0
	}
	at := func(i, j int64) Rect {
		return Rect{X: float64(f.W.Start + j*f.W.Jump), Y: float64(f.H.Start + i*f.H.Jump), W: float64(f.W.Size), H: float64(f.H.Size)}
	}
	p := FieldPicture{Image: Rect{W: float64(in.W), H: float64(in.H)}, Centre: at(i, j), Global: f.Global}
	if !l.Out.Flat && i+1 < l.Out.H && j+1 < l.Out.W {
		n := at(i+1, j+1)
		p.Neighbour = &n
	}
	minX, minY := math.Min(0, p.Centre.X), math.Min(0, p.Centre.Y)
	maxX, maxY := math.Max(p.Image.W, p.Centre.X+p.Centre.W), math.Max(p.Image.H, p.Centre.Y+p.Centre.H)
	if p.Neighbour != nil {
		maxX, maxY = math.Max(maxX, p.Neighbour.X+p.Neighbour.W), math.Max(maxY, p.Neighbour.Y+p.Neighbour.H)
	}
	pad := 0.04 * math.Max(maxX-minX, maxY-minY)
	p.ViewBox = Rect{X: minX - pad, Y: minY - pad, W: maxX - minX + 2*pad, H: maxY - minY + 2*pad}
	step := math.Max(1, float64(f.H.Jump))
	for step*24 < float64(max(in.H, in.W)) {
		step *= 2
	}
	for g := step; g < float64(max(in.H, in.W)); g += step {
		p.Grid = append(p.Grid, g)
	}
	p.Outside = p.Centre.X < 0 || p.Centre.Y < 0 || p.Centre.X+p.Centre.W > p.Image.W || p.Centre.Y+p.Centre.H > p.Image.H
	size := fmt.Sprintf("%d×%d", f.H.Size, f.W.Size)
	switch {
	case l.Out.Flat || l.Out.H == 1 && l.Out.W == 1:
		p.Caption = fmt.Sprintf("Each output of this layer sees a %s field: the whole %d×%d input and more.", size, in.H, in.W)
	default:
		p.Caption = fmt.Sprintf("The centre unit (%d, %d) of the %d×%d map sees a %s field; its neighbour's field is %d pixels further.", i, j, l.Out.H, l.Out.W, size, f.H.Jump)
	}
	if p.Outside {
		p.Caption += fmt.Sprintf(" The field is larger than the %d×%d image: the part outside falls on the zero padding.", in.H, in.W)
	}
	if f.Global {
		p.Caption += " It is global: a path through a global pool or a fully connected layer sees the whole input."
	}
	return p
}
