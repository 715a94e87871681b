package diagram

import (
	"math"

	"convatlas/engine"
)

// Volumes draws a sequential network as the AlexNet figure does: each output volume a
// box in perspective, the next layer's kernel inside it.
type Volumes struct {
	W, H  float64
	Items []Volume
}

// Volume is one tensor drawn in perspective. Front is the face of height × channels;
// Top and Side are the parallelograms that give it depth (the width).
type Volume struct {
	Layer        string
	Label, Shape string
	Front        Rect
	Top, Side    []Point
	Kernel       *Rect   // the next layer's window on this volume's front face
	Ray          []Point // from the kernel to the next volume
	Split        bool    // drawn as two halves: a grouped convolution (AlexNet's two GPUs)
	LabelAt      Point
	ShapeAt      Point
}

// Sequential reports whether a report is a plain sequence of layers (stages aside):
// the networks a volume view can draw.
func Sequential(r *engine.Report) bool {
	for _, b := range r.Blocks {
		if b.Kind != engine.KindStage {
			return false
		}
	}
	return true
}

// NewVolumes lays out the volumes of a sequential network: the input and the output of
// every layer that changes the shape. Sizes grow with the square root of the spatial
// side and the logarithm of the channels, so that 224×224×3 and 7×7×512 stay visible.
func NewVolumes(r *engine.Report) *Volumes {
	type entry struct {
		name, label string
		s           engine.Shape
		groups      int64
		next        *engine.Layer
	}
	list := []entry{{name: "input", label: "input", s: r.Input}}
	for i := range r.Layers {
		l := &r.Layers[i]
		if l.Aux || elementwise(l.Op) || l.Op == "flatten" || l.Op == "lrn" {
			continue
		}
		groups := int64(1)
		if op := l.Operation(); op != nil && op.Kind == engine.OpConv {
			groups = op.Groups
		}
		list[len(list)-1].next = l
		list = append(list, entry{name: l.Name, label: Label(l), s: l.Out, groups: groups})
	}
	v := &Volumes{}
	x, base := 24.0, 260.0
	side := func(n int64) float64 { return 10 + 6.5*math.Sqrt(float64(n)) }
	depth := func(c int64) float64 { return 4 + 9*math.Log2(float64(c)+1) }
	for i, e := range list {
		h := side(e.s.H)
		w := side(e.s.W) * 0.55
		d := depth(e.s.C)
		if e.s.Flat {
			h, w, d = side(int64(math.Sqrt(float64(e.s.C))))*1.2, 6, 8
		}
		front := Rect{X: x, Y: base - h, W: d, H: h}
		top := []Point{{x, base - h}, {x + w, base - h - w}, {x + d + w, base - h - w}, {x + d, base - h}}
		sideFace := []Point{{x + d, base - h}, {x + d + w, base - h - w}, {x + d + w, base - w}, {x + d, base}}
		vol := Volume{Layer: e.name, Label: e.label, Shape: e.s.String(), Front: front, Top: top, Side: sideFace,
			Split: e.groups > 1, LabelAt: Point{x + (d+w)/2, base - h - w - 10}, ShapeAt: Point{x + (d+w)/2, base + 18}}
		if n := e.next; n != nil && i+1 < len(list) {
			if op := n.Operation(); op != nil && (op.Kind == engine.OpConv || op.Kind == engine.OpMaxPool || op.Kind == engine.OpAvgPool || op.Kind == engine.OpDWConv) && !e.s.Flat {
				kh := math.Max(3, h*float64(op.K[0])/float64(e.s.H))
				k := Rect{X: x + d*0.25, Y: base - h*0.55 - kh/2, W: math.Max(3, d*0.5), H: kh}
				vol.Kernel = &k
			}
		}
		v.Items = append(v.Items, vol)
		x += d + w + math.Max(36, 0.25*h)
		v.H = math.Max(v.H, h+w)
	}
	for i := range v.Items {
		if k := v.Items[i].Kernel; k != nil && i+1 < len(v.Items) {
			next := v.Items[i+1].Front
			v.Items[i].Ray = []Point{{k.X + k.W, k.Y + k.H/2}, {next.X, next.Y + next.H*0.55}}
		}
	}
	v.W = x
	v.H = base + 40
	return v
}
