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
	const lead = 12.0
	var out sub
	out.A = bs.A
	out.place(bs, lead, 0)
	out.edge(false, Point{0, out.A}, Point{lead, out.A})
	joinU := lead + bs.U + gapFlow
	side := bs.V + gapCross
	if shortcut != nil {
		ss := lo.seq(shortcut.items)
		ss.shift(0, 0)
		u0 := lead + (bs.U-ss.U)/2
		out.place(ss, u0, side)
		out.edge(true, Point{0, out.A}, Point{6, out.A}, Point{6, side + ss.A}, Point{u0, side + ss.A})
		out.edge(true, Point{u0 + ss.U, side + ss.A}, Point{joinU + joinRadius, side + ss.A}, Point{joinU + joinRadius, out.A + joinRadius})
		out.V = side + ss.V
	} else {
		out.edge(true, Point{0, out.A}, Point{6, out.A}, Point{6, side}, Point{joinU + joinRadius, side}, Point{joinU + joinRadius, out.A + joinRadius})
		out.V = side + 4
	}
	out.edge(false, Point{lead + bs.U, out.A}, Point{joinU, out.A})
	js := lo.layerPart(join)
	out.place(js, joinU, out.A-js.A)
	out.V = math.Max(out.V, out.A-js.A+js.V)
	u := joinU + js.U
	if len(after) > 0 {
		as := lo.seq(after)
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
