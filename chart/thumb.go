package chart

import (
	"math"

	"convatlas/diagram"
	"convatlas/engine"
)

// Thumb is a network's shape at a glance, for the atlas's cards: along the depth (the
// weight layers and pools in order), the channels of each layer as a filled profile
// from the bottom and the side of its feature map as a line from the top, both on a
// log scale from the network's smallest to its largest. VGG draws stairs, ResNets a bottleneck's sawtooth, DenseNets the growth of
// their blocks, MobileNets the depthwise layers' dips.
type Thumb struct {
	W, H     float64
	Channels []diagram.Point // the filled profile, closed along the bottom
	Side     []diagram.Point // the feature map's side
	Layers   int             // how many layers the profile shows
}

// Thumbnail geometry, in the SVG's pixels.
const (
	thumbW, thumbH = 240.0, 64.0
	thumbPad       = 2.0
	// thumbMaxPoints bounds the points of each line: ResNet-1202's 1,200 layers are
	// sampled down to this many, keeping each run's largest channel count.
	thumbMaxPoints = 240
)

// NewThumb draws the profile of r's inference layers that change the volume: weight
// layers, pools and merges.
func NewThumb(r *engine.Report) *Thumb {
	var chans, sides []float64
	maxC, maxS, minC, minS := 1.0, 1.0, math.Inf(1), math.Inf(1)
	for i := range r.Layers {
		l := &r.Layers[i]
		if l.Aux {
			continue
		}
		switch diagram.Kind(l.Op) {
		case "conv", "dwconv", "fc", "pool":
		default:
			continue
		}
		c, side := float64(l.Out.C), float64(max(l.Out.H, l.Out.W))
		chans, sides = append(chans, c), append(sides, side)
		maxC, maxS = math.Max(maxC, c), math.Max(maxS, side)
		minC, minS = math.Min(minC, c), math.Min(minS, side)
	}
	t := &Thumb{W: thumbW, H: thumbH, Layers: len(chans)}
	if len(chans) == 0 {
		return t
	}
	chans, sides = sample(chans, thumbMaxPoints), sample(sides, thumbMaxPoints)
	n := len(chans)
	x := func(k int) float64 {
		if n == 1 {
			return thumbW / 2
		}
		return thumbPad + float64(k)*(thumbW-2*thumbPad)/float64(n-1)
	}
	// From the smallest to the largest on a log scale, the smallest a little above zero.
	scale := func(v, lo, hi float64) float64 {
		if hi <= lo {
			return 1
		}
		return 0.15 + 0.85*math.Log(v/lo)/math.Log(hi/lo)
	}
	band := thumbH - 2*thumbPad
	t.Channels = append(t.Channels, diagram.Point{X: x(0), Y: thumbH - thumbPad})
	for k, c := range chans {
		t.Channels = append(t.Channels, diagram.Point{X: x(k), Y: thumbH - thumbPad - 0.75*band*scale(c, minC, maxC)})
	}
	t.Channels = append(t.Channels, diagram.Point{X: x(n - 1), Y: thumbH - thumbPad})
	for k, s := range sides {
		t.Side = append(t.Side, diagram.Point{X: x(k), Y: thumbPad + 0.6*band*(1-scale(s, minS, maxS))})
	}
	return t
}

// sample keeps at most n values, each the largest of its run.
func sample(v []float64, n int) []float64 {
	if len(v) <= n {
		return v
	}
	out := make([]float64, n)
	for k := range out {
		lo, hi := k*len(v)/n, (k+1)*len(v)/n
		m := v[lo]
		for _, x := range v[lo:hi] {
			m = math.Max(m, x)
		}
		out[k] = m
	}
	return out
}
