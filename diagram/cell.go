package diagram

import (
	"convatlas/engine"
	"math"
	"slices"
)

// cellPart lays out a cell as a small graph: rows by how far a node is from the inputs.
func (lo *layouter) cellPart(it *item) sub {
	b := &lo.r.Blocks[it.block]
	c := b.Node.Cell
	prefix := b.Name + "."
	type part struct {
		s    sub
		row  int
		from []string
		v    float64 // where it is placed across the flow
	}
	parts := map[string]*part{}
	order := []string{}
	var pending []*item
	for _, ch := range it.items {
		pending = append(pending, ch)
	}
	// Inputs are ports.
	for i, in := range c.Inputs {
		label := "this cell's input"
		if i == 1 {
			label = "previous cell's input"
		}
		du, dv := lo.boxSize(in, label)
		p := &part{s: sub{U: du, V: dv, A: dv / 2, boxes: []Box{{W: du, H: dv, Index: -1, Kind: "port", Label: in, Detail: label}}}}
		parts[in] = p
		order = append(order, in)
	}
	itemOf := func(name string) *item {
		for _, ch := range pending {
			if ch.block >= 0 && lo.r.Blocks[ch.block].Name == prefix+name {
				return ch
			}
			if ch.layer >= 0 && lo.r.Layers[ch.layer].Name == prefix+name {
				return ch
			}
		}
		return nil
	}
	nodes := append(append([]engine.CellNode{}, c.Nodes...), c.Output)
	alias := map[string]string{}
	resolve := func(name string) string {
		for alias[name] != "" {
			name = alias[name]
		}
		return name
	}
	for _, cn := range nodes {
		srcs := append([]string{}, cn.Of...)
		if cn.From != "" {
			srcs = []string{cn.From}
		}
		for i, s := range srcs {
			srcs[i] = resolve(s)
		}
		row := 0
		for _, s := range srcs {
			if p, ok := parts[s]; ok {
				row = max(row, p.row+1)
			}
		}
		ch := itemOf(cn.Name)
		if (ch == nil || ch.block >= 0 && len(ch.items) == 0) && len(srcs) == 1 {
			alias[cn.Name] = srcs[0] // a merge of one tensor is that tensor
			continue
		}
		var s sub
		if ch.block >= 0 {
			s = lo.seq(ch.items)
		} else {
			s = lo.layerPart(ch)
		}
		parts[cn.Name] = &part{s: s, row: row, from: srcs}
		order = append(order, cn.Name)
	}
	// Rows.
	rows := map[int][]string{}
	maxRow := 0
	for _, name := range order {
		p := parts[name]
		rows[p.row] = append(rows[p.row], name)
		maxRow = max(maxRow, p.row)
	}
	var out sub
	type anchor struct{ inU, outU, v float64 }
	at := map[string]anchor{}
	rowEnd := make([]float64, maxRow+1) // where each row's longest part ends along the flow
	u := 0.0
	width := 0.0
	for r := 0; r <= maxRow; r++ {
		v, rowU := 0.0, 0.0
		for _, name := range rows[r] {
			p := parts[name]
			out.place(p.s, u, v)
			p.v = v
			at[name] = anchor{inU: u, outU: u + p.s.U, v: v + p.s.A}
			v += p.s.V + gapCross
			rowU = math.Max(rowU, p.s.U)
		}
		width = math.Max(width, v-gapCross)
		rowEnd[r] = u + rowU
		u += rowU + 3*gapFlow
	}
	// passage is a place across the flow where an edge can run past rows first to last
	// without crossing their parts: the gap between two parts nearest to want, or
	// beside the widest row. Each use takes the next lane of its gap.
	gapLanes := map[float64]int{}
	passage := func(first, last int, want float64) float64 {
		var busy [][2]float64
		for r := first; r <= last; r++ {
			for _, name := range rows[r] {
				p := parts[name]
				busy = append(busy, [2]float64{p.v, p.v + p.s.V})
			}
		}
		free := func(v float64) bool {
			return !slices.ContainsFunc(busy, func(b [2]float64) bool { return v > b[0]-2 && v < b[1]+2 })
		}
		starts := []float64{width} // the gap beside the widest row
		for _, b := range busy {
			if free(b[1] + gapCross/2) {
				starts = append(starts, b[1])
			}
		}
		best := starts[0]
		for _, g := range starts[1:] {
			if math.Abs(g+gapCross/2-want) < math.Abs(best+gapCross/2-want) {
				best = g
			}
		}
		lane := gapLanes[best]
		gapLanes[best]++
		return best + 6 + float64(lane%3)*4
	}
	// Edges run along the flow from their source and turn across in the corridor before
	// the target's row (each edge in its own lane of it) to enter the target. An edge that
	// passes rows on its way first turns, in the corridor after its source's row, into a
	// passage between those rows' parts, so that it crosses none of them.
	exitLanes, lanes := map[int]int{}, map[float64]int{}
	for _, name := range order {
		p := parts[name]
		for _, src := range p.from {
			a, b := at[src], at[name]
			lane := lanes[b.inU]
			lanes[b.inU]++
			corridor := b.inU - 10 - float64(lane%8)*4
			pts := []Point{{a.outU, a.v}}
			if from := parts[src].row; p.row > from+1 {
				exit := rowEnd[from] + 10 + float64(exitLanes[from]%4)*4
				exitLanes[from]++
				v := passage(from+1, p.row-1, (a.v+b.v)/2)
				width = math.Max(width, v+6)
				pts = append(pts, Point{exit, a.v}, Point{exit, v}, Point{corridor, v})
			} else {
				pts = append(pts, Point{corridor, a.v})
			}
			out.edge(false, append(pts, Point{corridor, b.v}, Point{b.inU, b.v})...)
		}
	}
	out.U = u - 3*gapFlow
	out.V = width
	out.A = at[c.Inputs[0]].v
	exit := at[resolve("out")]
	// The cell is left on the axis: carry the output there.
	s := sub{U: out.U + 2*gapFlow, V: out.V, A: out.A}
	s.place(out, 0, 0)
	s.edge(false, Point{exit.outU, exit.v}, Point{exit.outU + gapFlow, exit.v}, Point{s.U, s.A})
	title := "cell"
	if b.Label != "" {
		title = b.Label + " cell"
	}
	if t := blockTitle(b); t != "" {
		title = t
	}
	return lo.frame(s, "cell", title, "", false)
}
