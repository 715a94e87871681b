package diagram

import "math"

// residual draws the body on the axis and the shortcut beside it, then the addition.
func (lo *layouter) residual(it *item) sub {
	b := &lo.r.Blocks[it.block]
	var body, after []*item
	var shortcut, join *item
	for _, c := range it.items {
		switch {
		case c.block >= 0 && lo.r.Blocks[c.block].Role == "shortcut":
			shortcut = c
		case c.layer >= 0 && lo.r.Layers[c.layer].IsMerge() && join == nil && lo.r.Layers[c.layer].Op == "add":
			join = c
		case join == nil:
			body = append(body, c)
		default:
			after = append(after, c)
		}
	}
	bs := lo.seq(body)
	js := lo.layerPart(join)
	var as sub
	if len(after) > 0 {
		as = lo.seq(after)
	}
	const lead = 12.0
	var out sub
	// The body, the addition and what follows it share an axis: the addition's tags may
	// stand above it (left-right), further from the axis than the body reaches.
	out.A = math.Max(bs.A, math.Max(js.A, as.A))
	out.place(bs, lead, out.A-bs.A)
	out.edge(false, Point{0, out.A}, Point{lead, out.A})
	joinU := lead + bs.U + gapFlow
	joinC := joinU + js.joins[0].X // the circle's centre along the flow
	side := out.A - bs.A + bs.V + gapCross
	if shortcut != nil {
		ss := lo.seq(shortcut.items)
		u0 := lead + (bs.U-ss.U)/2
		out.place(ss, u0, side)
		out.edge(true, Point{0, out.A}, Point{6, out.A}, Point{6, side + ss.A}, Point{u0, side + ss.A})
		out.edge(true, Point{u0 + ss.U, side + ss.A}, Point{joinC, side + ss.A}, Point{joinC, out.A + joinRadius})
		out.V = side + ss.V
	} else {
		out.edge(true, Point{0, out.A}, Point{6, out.A}, Point{6, side}, Point{joinC, side}, Point{joinC, out.A + joinRadius})
		out.V = side + 4
	}
	out.edge(false, Point{lead + bs.U, out.A}, Point{joinU, out.A})
	out.place(js, joinU, out.A-js.A)
	out.V = math.Max(out.V, out.A-js.A+js.V)
	u := joinU + js.U
	if len(after) > 0 {
		out.edge(false, Point{u, out.A}, Point{u + gapFlow, out.A})
		out.place(as, u+gapFlow, out.A-as.A)
		u += gapFlow + as.U
		out.V = math.Max(out.V, out.A-as.A+as.V)
	}
	out.U = u
	title := b.Label
	if title == "" {
		title = "residual"
	}
	out.frames = append(out.frames, Frame{X: -4, Y: -4, W: out.U + 8, H: out.V + 8, Kind: "residual", Title: ""})
	_ = title
	return out
}
