package diagram

import (
	"fmt"
	"math"
)

// dense draws DenseNet's block: the layers on the axis, each output carried on a lane
// to every later concatenation.
func (lo *layouter) dense(it *item) sub {
	var layers []*item
	var final *item
	for _, c := range it.items {
		if c.block >= 0 {
			layers = append(layers, c)
		} else {
			final = c
		}
	}
	n := len(layers)
	lanes := float64(n) * laneGap
	parts := make([]sub, n)
	var axis, right float64
	outer := lo.tagsRight
	lo.tagsRight = true
	defer func() { lo.tagsRight = outer }()
	for i, l := range layers {
		parts[i] = lo.seq(l.items)
		axis = math.Max(axis, parts[i].A)
		right = math.Max(right, parts[i].V-parts[i].A)
	}
	var out sub
	out.A = lanes + 8 + axis
	laneV := func(j int) float64 { return float64(j) * laneGap } // lane 0: the block input
	outputs := make([]float64, n+1)                              // u where feature j leaves the axis
	u := 12.0
	out.edge(false, Point{0, out.A}, Point{u, out.A})
	outputs[0] = 6
	concats := []float64{}
	for i, p := range parts {
		if i > 0 {
			out.edge(false, Point{u, out.A}, Point{u + gapFlow, out.A})
			u += gapFlow
		}
		if i > 0 {
			concats = append(concats, u+p.joins[0].X) // the layer starts with its concatenation
		}
		out.place(p, u, out.A-p.A)
		u += p.U
		outputs[i+1] = u
	}
	out.edge(false, Point{u, out.A}, Point{u + gapFlow, out.A})
	u += gapFlow
	finalC := u + joinRadius // the final concatenation's centre along the flow
	if final != nil {
		js := lo.layerPart(final)
		finalC = u + js.joins[0].X
		out.place(js, u, out.A-js.A)
		u += js.U
	}
	concats = append(concats, finalC)
	// Lanes: feature j runs from where it leaves the axis to the last concatenation it
	// feeds; each concatenation taps every lane at once.
	for j := 0; j <= n-1; j++ {
		start := outputs[j] // where the layer's last box ends, on its outline
		out.edge(true, Point{start, out.A}, Point{start + 4, laneV(j)}, Point{finalC, laneV(j)})
	}
	for k, cu := range concats {
		// Concatenation k reads features 0 … k+1; the last arrives on the axis.
		out.edge(true, Point{cu, laneV(0)}, Point{cu, out.A - joinRadius})
		for j := 0; j <= k && j < n; j++ {
			out.dots = append(out.dots, Point{cu, laneV(j)})
		}
	}
	out.U = u
	out.V = out.A + right
	return lo.frame(out, "dense", fmt.Sprintf("dense block: %d layers", n), "", false)
}
