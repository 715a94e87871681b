package diagram

import (
	"math"
	"slices"
	"strings"

	"convatlas/engine"
)

// A cell is drawn as NASNet's Figure 4 draws it: the cell's inputs (ports) at the top,
// then bands of blocks by how far a block is from the inputs. A block is a combination
// — a merge node with, side by side above it, the operations that only it reads (each
// on the hidden state it chose) — or an operation read by several (a hidden state such
// as h0, h1). A merge of two enters its node from both sides, so which two operations
// feed which add can be read at a glance; the cell's output merge (the concatenation of
// the unused states) collects its inputs on one wire.
//
// Wires run in corridors between the bands, each source in a lane of its own (cellLane
// apart, so no two wires of different sources run closer); a wire that passes a band
// goes round it in a channel at the cell's left, again one lane per source.

// Distances of a cell's routing.
const (
	cellLane      = 10.0 // between two lanes of a corridor or of the channel
	identitySlot  = 24.0 // the width of a slot where a state enters a merge directly
	cellBlockGap  = 2 * gapCross
	cellJoinDrop  = 16.0 // from the end of a band's longest operation to its merges
	convergeLead  = 8.0  // a merge of several enters from a wire this far before it
	cellOutputGap = 2 * gapFlow
)

// cellSlot is one input of a block: an operation drawn in it, or a state that enters
// the block's merge directly.
type cellSlot struct {
	op     string  // the operation's node name; "" for a state entering directly
	from   string  // the source the slot reads: the operation's input, or the state
	v, w   float64 // where the slot starts across the flow, within its band, and its width
	target Point   // where the wire from the source reaches the slot: the operation's top, or the merge's level
	enter  []Point // how the slot's wire then enters the merge; the last point is on its circle
}

// cellBlock is a merge with its slots, an operation read by several, or a port.
type cellBlock struct {
	name  string // the node whose output the block gives
	level int
	slots []*cellSlot
	join  sub // the merge, when the block has one
	port  bool
	v, w  float64 // within the band
	vc    float64 // the merge's centre (or the operation's axis) across, in the cell
	joinU float64 // where the merge starts along the flow, in the cell
	out   Point   // where the block's output leaves, in the cell
}

// cellPart lays out a cell, titled in its own frame.
func (lo *layouter) cellPart(it *item) sub {
	b := &lo.r.Blocks[it.block]
	c := b.Node.Cell
	prefix := b.Name + "."
	itemOf := func(name string) *item {
		for _, ch := range it.items {
			if ch.block >= 0 && lo.r.Blocks[ch.block].Name == prefix+name {
				return ch
			}
			if ch.layer >= 0 && lo.r.Layers[ch.layer].Name == prefix+name {
				return ch
			}
		}
		return nil
	}

	// The nodes as drawn: a node of one input and nothing to draw is that input.
	alias := map[string]string{}
	resolve := func(name string) string {
		for seen := 0; alias[name] != "" && seen <= len(alias); seen++ {
			name = alias[name]
		}
		return name
	}
	type node struct {
		name  string
		srcs  []string
		part  sub
		merge bool
		item  *item
	}
	nodes := map[string]*node{}
	var order []string
	for _, cn := range append(append([]engine.CellNode{}, c.Nodes...), c.Output) {
		srcs := append([]string{}, cn.Of...)
		if cn.From != "" {
			srcs = []string{cn.From}
		}
		for i, s := range srcs {
			srcs[i] = resolve(s)
		}
		ch := itemOf(cn.Name)
		if (ch == nil || ch.block >= 0 && len(ch.items) == 0) && len(srcs) == 1 {
			alias[cn.Name] = srcs[0] // a merge of one tensor is that tensor
			continue
		}
		if ch == nil {
			continue
		}
		n := &node{name: cn.Name, srcs: srcs, item: ch}
		if ch.block >= 0 {
			n.part = lo.seq(ch.items)
		} else {
			n.part = lo.layerPart(ch)
			n.merge = lo.r.Layers[ch.layer].IsMerge()
			n.part.edges = nil // the merge is entered and left on its circle
		}
		nodes[cn.Name] = n
		order = append(order, cn.Name)
	}
	output := resolve(c.Output.Name)
	readers := map[string]int{}
	for _, name := range order {
		for _, s := range nodes[name].srcs {
			readers[s]++
		}
	}

	// Blocks: the ports, then each merge with the operations only it reads, then every
	// other operation.
	var blocks []*cellBlock
	byName := map[string]*cellBlock{}
	absorbed := map[string]bool{}
	for i, in := range c.Inputs {
		label, detail := in, lo.portDetail(b, i)
		du, dv := lo.boxSize(label, detail)
		part := sub{U: du, V: dv, A: dv / 2, boxes: []Box{{W: du, H: dv, Index: -1, Kind: "port", Label: label, Detail: detail}}}
		nodes[in] = &node{name: in, part: part}
		blk := &cellBlock{name: in, port: true, slots: []*cellSlot{{op: in}}}
		blocks = append(blocks, blk)
		byName[in] = blk
	}
	for _, name := range order {
		n := nodes[name]
		if !n.merge || name == output {
			continue
		}
		blk := &cellBlock{name: name, join: n.part}
		for _, s := range n.srcs {
			if src := nodes[s]; src != nil && !src.merge && readers[s] == 1 && s != output && byName[s] == nil && !absorbed[s] && len(src.srcs) == 1 {
				absorbed[s] = true
				blk.slots = append(blk.slots, &cellSlot{op: s, from: src.srcs[0]})
			} else {
				blk.slots = append(blk.slots, &cellSlot{from: s})
			}
		}
		blocks = append(blocks, blk)
		byName[name] = blk
	}
	for _, name := range order {
		if n := nodes[name]; !n.merge && !absorbed[name] && byName[name] == nil {
			from := ""
			if len(n.srcs) > 0 {
				from = n.srcs[0]
			}
			blk := &cellBlock{name: name, slots: []*cellSlot{{op: name, from: from}}}
			blocks = append(blocks, blk)
			byName[name] = blk
		}
	}
	// Levels: a block stands a band below the blocks it reads.
	for changed, rounds := true, 0; changed && rounds <= len(blocks); rounds++ {
		changed = false
		for _, blk := range blocks {
			for _, s := range blk.slots {
				if src := byName[s.from]; src != nil && src != blk && src.level+1 > blk.level {
					blk.level, changed = src.level+1, true
				}
			}
		}
	}
	levels := 0
	for _, blk := range blocks {
		levels = max(levels, blk.level+1)
	}
	var final *node
	if n := nodes[output]; n != nil && n.merge {
		final = n
	}

	// Which sources pass a band on their way (to a later band or to the output): they
	// take the channel at the left.
	type wire struct {
		src, dst string // dst "" for the cell's output merge
		slot     *cellSlot
	}
	var wires []wire
	for _, blk := range blocks {
		for _, s := range blk.slots {
			if s.from != "" && byName[s.from] != nil {
				wires = append(wires, wire{s.from, blk.name, s})
			}
		}
	}
	if final != nil {
		for _, s := range final.srcs {
			if byName[s] != nil {
				wires = append(wires, wire{src: s})
			}
		}
	}
	targetLevel := func(w wire) int {
		if w.dst == "" {
			return levels
		}
		return byName[w.dst].level
	}
	channel := map[string]int{}
	for _, w := range wires {
		if _, ok := channel[w.src]; !ok && targetLevel(w) > byName[w.src].level+1 {
			channel[w.src] = len(channel)
		}
	}
	// Lanes of the corridor before each band (and before the output): the sources
	// that enter a band's slots, or leave the band before for the channel.
	corridor := make([][]string, levels+1)
	addLane := func(k int, src string) {
		for _, s := range corridor[k] {
			if s == src {
				return
			}
		}
		corridor[k] = append(corridor[k], src)
	}
	for _, w := range wires {
		k, from := targetLevel(w), byName[w.src].level
		if k == levels {
			continue // the output's corridor has one lane: the wire that collects its inputs
		}
		addLane(k, w.src)
		if _, ok := channel[w.src]; ok {
			addLane(from+1, w.src)
		}
	}
	for _, w := range wires {
		if _, ok := channel[w.src]; ok && targetLevel(w) == levels && byName[w.src].level+1 < levels {
			addLane(byName[w.src].level+1, w.src)
		}
	}
	laneOf := func(k int, src string) int {
		for i, s := range corridor[k] {
			if s == src {
				return i
			}
		}
		return 0
	}

	// Place the bands.
	var out sub
	v0 := 0.0
	if len(channel) > 0 {
		v0 = float64(len(channel))*cellLane + gapCross
	}
	if x := nodes[c.Inputs[0]]; final != nil && x != nil {
		// The output merge stands on the cell's axis, its tags to the left.
		v0 = math.Max(v0, final.part.A-x.part.A)
	}
	chanV := func(src string) float64 { return 4 + float64(channel[src])*cellLane }
	u := 0.0
	width := v0
	corridorU := make([]float64, levels+1) // where each corridor starts along the flow
	for k := 0; k < levels; k++ {
		if k > 0 {
			corridorU[k] = u
			u += float64(len(corridor[k])+1) * cellLane
		}
		bandTop := u
		opsU := 0.0
		for _, blk := range blocks {
			if blk.level != k {
				continue
			}
			for _, s := range blk.slots {
				if s.op != "" {
					opsU = math.Max(opsU, nodes[s.op].part.U)
				}
			}
		}
		joinTop := bandTop + opsU + cellJoinDrop
		bandEnd := bandTop + opsU
		v := v0
		for _, blk := range blocks {
			if blk.level != k {
				continue
			}
			// Slots side by side, the merge centred below them.
			sv := 0.0
			for i, s := range blk.slots {
				if i > 0 {
					sv += gapCross
				}
				s.v, s.w = sv, identitySlot
				if s.op != "" {
					s.w = nodes[s.op].part.V
				}
				sv += s.w
			}
			first, last := blk.slots[0], blk.slots[len(blk.slots)-1]
			centre := func(s *cellSlot) float64 {
				if s.op != "" {
					return s.v + nodes[s.op].part.A
				}
				return s.v + s.w/2
			}
			vc := (centre(first) + centre(last)) / 2
			shift := 0.0
			blk.w = sv
			if blk.join.joins != nil {
				// The merge's tags may reach past the slots.
				shift = math.Max(0, blk.join.A-vc)
				blk.w = math.Max(sv+shift, vc+shift-blk.join.A+blk.join.V)
			}
			blk.v = v
			blk.vc = v + shift + vc
			for _, s := range blk.slots {
				s.v += v + shift
				if s.op != "" {
					p := nodes[s.op].part
					out.place(p, bandTop, s.v)
					s.target = Point{bandTop, s.v + p.A}
					blk.out = Point{bandTop + p.U, s.v + p.A}
				}
			}
			if blk.join.joins != nil {
				js := blk.join
				blk.joinU = joinTop
				cu := joinTop + js.joins[0].X
				r := js.joins[0].R
				out.place(js, joinTop, blk.vc-js.A)
				bandEnd = math.Max(bandEnd, joinTop+js.U)
				blk.out = Point{cu + r, blk.vc}
				// Two inputs enter the merge from either side; more, or a merge with tags
				// beside it, collect on one wire before it.
				sides := len(blk.slots) == 2 && js.joins[0].Tags == ""
				lead := cu - r - convergeLead
				for i, sl := range blk.slots {
					c := centre(sl)
					switch {
					case sides:
						sl.enter = []Point{{cu, c}, {cu, blk.vc + float64(2*i-1)*r}}
					default:
						sl.enter = []Point{{lead, c}, {lead, blk.vc}}
					}
					if sl.op == "" {
						sl.target = Point{bandTop, c}
					} else {
						p := nodes[sl.op].part
						out.edge(false, append([]Point{{bandTop + p.U, c}}, sl.enter...)...)
					}
				}
				if !sides {
					out.edge(false, Point{lead, blk.vc}, Point{cu - r, blk.vc})
				}
			}
			v += blk.w + cellBlockGap
		}
		width = math.Max(width, v-cellBlockGap)
		u = bandEnd
	}
	// The output merge, on the cell's axis, after a corridor that collects its inputs.
	axis := 0.0
	if x := byName[c.Inputs[0]]; x != nil {
		axis = x.out.Y
	}
	exit := Point{u, axis}
	if final != nil {
		corridorU[levels] = u
		collect := u + cellLane
		joinTop := collect + cellOutputGap
		js := final.part
		place := axis - js.A
		cu := joinTop + js.joins[0].X
		r := js.joins[0].R
		out.place(js, joinTop, place)
		width = math.Max(width, place+js.V)
		out.edge(false, Point{collect, axis}, Point{cu - r, axis})
		for _, w := range wires {
			if w.dst != "" {
				continue
			}
			src := byName[w.src]
			pts := []Point{src.out}
			if _, ok := channel[w.src]; ok && src.level+1 < levels {
				lane := corridorU[src.level+1] + float64(laneOf(src.level+1, w.src)+1)*cellLane
				pts = append(pts, Point{lane, src.out.Y}, Point{lane, chanV(w.src)}, Point{collect, chanV(w.src)})
			} else {
				pts = append(pts, Point{collect, src.out.Y})
			}
			out.edge(false, append(pts, Point{collect, axis})...)
		}
		exit = Point{cu + r, axis}
		u = joinTop + js.U
	} else if blk := byName[output]; blk != nil {
		exit = blk.out
	}
	// Wires into the bands' slots.
	for _, w := range wires {
		if w.dst == "" {
			continue
		}
		src, dst := byName[w.src], byName[w.dst]
		k := dst.level
		lane := corridorU[k] + float64(laneOf(k, w.src)+1)*cellLane
		pts := []Point{src.out}
		if _, ok := channel[w.src]; ok && k > src.level+1 {
			first := corridorU[src.level+1] + float64(laneOf(src.level+1, w.src)+1)*cellLane
			cv := chanV(w.src)
			pts = append(pts, Point{first, src.out.Y}, Point{first, cv}, Point{lane, cv})
		}
		pts = append(pts, Point{lane, pts[len(pts)-1].Y}, Point{lane, w.slot.target.Y})
		pts = append(pts, w.slot.target)
		if w.slot.op == "" {
			// A state entering a merge directly: down its slot to the merge.
			pts = append(pts, w.slot.enter...)
		}
		out.edge(false, dedupe(pts)...)
	}
	out.U = u
	out.V = width
	out.A = axis
	// The cell is left on the axis.
	s := sub{U: out.U + gapFlow, V: out.V, A: out.A}
	s.place(out, 0, 0)
	turn := out.U + gapFlow/2
	s.edge(false, dedupe([]Point{exit, {turn, exit.Y}, {turn, s.A}, {s.U, s.A}})...)
	title := "cell"
	if b.Label != "" {
		title = b.Label + " cell"
	}
	if t := blockTitle(b); t != "" {
		title = t
	}
	return lo.frame(s, "cell", title, "", false)
}

// dedupe drops the points of a polyline that repeat the one before.
func dedupe(pts []Point) []Point {
	out := pts[:0:0]
	for _, p := range pts {
		if k := len(out); k > 0 && math.Abs(out[k-1].X-p.X) < 1e-9 && math.Abs(out[k-1].Y-p.Y) < 1e-9 {
			continue
		}
		out = append(out, p)
	}
	return out
}

// portDetail says what a cell's input is and where it comes from: "28×28×264 · from
// cell_2". The cell's layers read two tensors from before it: the later is its input x,
// the earlier the previous cell's (prev); a cell that reads one tensor reads it twice.
func (lo *layouter) portDetail(b *engine.Block, port int) string {
	var external []int
	for i := b.First; i <= b.Last; i++ {
		for _, k := range lo.r.Layers[i].Inputs {
			if (k < b.First || k > b.Last) && !slices.Contains(external, k) {
				external = append(external, k)
			}
		}
	}
	if len(external) == 0 {
		return "this cell's input"
	}
	slices.Sort(external)
	k := external[len(external)-1]
	if port > 0 && len(external) > 1 {
		k = external[len(external)-2]
	}
	if k < 0 {
		return lo.r.Input.String() + " · the input"
	}
	return lo.r.Layers[k].Out.String() + " · from " + lo.tensorSource(k)
}

// tensorSource names what made layer k's output: the outermost cell it belongs to, or
// the layer that the element-wise layers after it are drawn in.
func (lo *layouter) tensorSource(k int) string {
	for i := range lo.r.Blocks {
		if blk := &lo.r.Blocks[i]; blk.Kind == engine.KindCell && blk.First <= k && k <= blk.Last {
			return blk.Name[strings.LastIndex(blk.Name, ".")+1:]
		}
	}
	for elementwise(lo.r.Layers[k].Op) && len(lo.r.Layers[k].Inputs) == 1 && lo.r.Layers[k].Inputs[0] >= 0 {
		k = lo.r.Layers[k].Inputs[0]
	}
	return lo.r.Layers[k].Name
}
