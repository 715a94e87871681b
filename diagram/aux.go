package diagram

// aux hangs an auxiliary classifier beside the flow, which passes straight on.
func (lo *layouter) aux(it *item) sub {
	inner := lo.frame(lo.seq(it.items), "aux", "auxiliary classifier (training only)", "", true)
	for i := range inner.boxes {
		inner.boxes[i].Aux = true
	}
	var out sub
	out.A = 0
	side := 40.0
	out.place(inner, 14, side)
	out.edges = append(out.edges, Edge{Points: []Point{{0, 0}, {6, 0}, {6, side + inner.A}, {14, side + inner.A}}, Aux: true})
	out.edge(false, Point{0, 0}, Point{inner.U + 14, 0})
	out.U = inner.U + 14
	out.V = side + inner.V
	return out
}
