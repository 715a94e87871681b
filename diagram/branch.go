package diagram

import "math"

// branch places the paths side by side between a fork and a join.
func (lo *layouter) branch(it *item) sub {
	var paths []sub
	var join *item
	for _, c := range it.items {
		if c.block >= 0 {
			paths = append(paths, lo.seq(c.items))
		} else {
			join = c
		}
	}
	var out sub
	var maxU, v float64
	axes := make([]float64, len(paths))
	for i, p := range paths {
		if i > 0 {
			v += gapCross
		}
		axes[i] = v + p.A
		v += p.V
		maxU = math.Max(maxU, p.U)
	}
	out.V = v
	out.A = (axes[0] + axes[len(axes)-1]) / 2
	const fork = 14.0
	top := fork + 10
	for i, p := range paths {
		out.place(p, top, axes[i]-p.A)
		out.edge(false, Point{0, out.A}, Point{fork, out.A}, Point{fork, axes[i]}, Point{top, axes[i]})
	}
	joinU := top + maxU + 22
	var js sub
	if join != nil {
		js = lo.layerPart(join)
	}
	if js.A > out.A {
		// The join's tags stand above it (left-right) further than the paths reach.
		out.shift(0, js.A-out.A)
		out.V += js.A - out.A
		for i := range axes {
			axes[i] += js.A - out.A
		}
		out.A = js.A
	}
	// The paths converge on one wire before the join, as they left it on one: a single
	// arrowhead enters the join, where four piled up on an inception module's.
	bus := joinU - 10
	for i, p := range paths {
		out.edge(false, Point{top + p.U, axes[i]}, Point{bus, axes[i]}, Point{bus, out.A})
	}
	out.edge(false, Point{bus, out.A}, Point{joinU, out.A})
	out.place(js, joinU, out.A-js.A)
	out.V = math.Max(out.V, out.A-js.A+js.V)
	out.U = joinU + js.U
	return out
}
