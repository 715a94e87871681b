package diagram

import (
	"fmt"
	"math"
	"strings"

	"convatlas/engine"
)

// The representative view draws a stage's runs of repeated blocks as the papers' tables
// do ("×3, ×4, ×6, ×3" in ResNet's Table 1, "[1×1 conv, 3×3 conv] × 6" in DenseNet's):
// the run's first block in full, a square bracket along it marked ×N, and beside it the
// run's output and its parameters and multiply-adds, all N blocks counted. A click on
// the bracket expands the stage, which then draws every block.
//
// What repeats is read from the report, never from a network's name. Consecutive blocks
// of a stage are one run when they were made from the same template (the same kind and
// label), draw the same operations with the same kernels and widths in the same order,
// and give the same output. Strides and shortcuts are left out of the comparison, as
// the papers' tables leave them out: a stage's first bottleneck, which halves the map and
// projects its shortcut, counts in the stage's ×N, so ResNet-50 draws one block per
// stage. The first block of a run is the one drawn: the edge into it carries the
// previous stage's output and its labels show the stride, so the drawing is true at both
// ends. A block made from another template (MobileNetV2's expansion block that opens a
// stage, a pre-activation stage's first block, NASNet's first normal cell of a stack,
// whose input is reduced first) is drawn on its own, as the papers list it.
//
// A unit of a run is a block and the layers after it up to the next block (ShuffleNet
// v2's unit and its channel shuffle). Inside a dense block the dense layers are the
// units: a block's first layer has no concatenation before it, so a dense block draws
// its first two layers, the second marked ×(n−1), and its lanes still show every
// connection of the layers drawn.

// repeat is a run of n repeated units, drawn as its first.
type repeat struct {
	n            int
	stage        string // the top-level stage whose expansion draws them all
	hidden, last int    // the layers of the units after the first: not drawn
	out          engine.Shape
	params, macs int64 // of all n units, auxiliary heads excluded
	what         string
}

// Bracket marks a run of repeated blocks drawn once: a square bracket along the drawn
// block, and beside it the count and the run's figures.
type Bracket struct {
	Points     []Point // the bracket's stroke, its ends pointing back at the block
	X, Y, W, H float64 // the writing: the count, then one line per figure
	Count      int
	Label      string   // "×6"
	Lines      []string // the run's output, and its parameters and multiply-adds
	Title      string   // a tooltip: "6 × bottleneck drawn once"
	Stage      string   // the stage that, expanded, draws every block of the run
	// Hidden are the first and last layers of the blocks not drawn: reached by expanding
	// Stage.
	Hidden [2]int
	Scale  float64 // of its text
}

// TextLine is a line of a bracket's writing, left-aligned at X on its baseline Y.
type TextLine struct {
	X, Y, Size float64
	Bold       bool
	Text       string
}

// Sizes of a bracket, in pixels at scale 1.
const (
	bracketGap  = 8.0  // between the drawn block and the bracket
	bracketTick = 6.0  // the bracket's ends
	bracketText = 6.0  // between the bracket and its writing
	countLine   = 18.0 // the count's line: 14 px bold
	figureLine  = 15.0 // a figure's line: 12 px
)

// Writing is the bracket's text, line by line.
func (b Bracket) Writing() []TextLine {
	s := b.Scale
	if s == 0 {
		s = 1
	}
	out := []TextLine{{X: b.X, Y: b.Y + 14*s, Size: labelSize * s, Bold: true, Text: b.Label}}
	for i, l := range b.Lines {
		out = append(out, TextLine{X: b.X, Y: b.Y + (countLine+11.5+figureLine*float64(i))*s, Size: detailSize * s, Text: l})
	}
	return out
}

func (b *Bracket) shift(du, dv float64) {
	b.X += du
	b.Y += dv
	for i := range b.Points {
		b.Points[i].X += du
		b.Points[i].Y += dv
	}
}

// flip turns a bracket laid out in flow coordinates to the drawing's: swap for top-down.
func (b Bracket) flip(swap bool) Bracket {
	b.Scale = 1
	b.Points = append([]Point(nil), b.Points...)
	if !swap {
		return b
	}
	b.X, b.Y, b.W, b.H = b.Y, b.X, b.H, b.W
	for i, p := range b.Points {
		b.Points[i] = Point{X: p.Y, Y: p.X}
	}
	return b
}

func (b *Bracket) scale(f float64) {
	b.X, b.Y, b.W, b.H, b.Scale = b.X*f, b.Y*f, b.W*f, b.H*f, b.Scale*f
	for i := range b.Points {
		b.Points[i].X *= f
		b.Points[i].Y *= f
	}
}

// HasRepeats reports whether a network has a run of repeated blocks in a stage: whether
// its representative view differs from the drawing of every block.
func HasRepeats(r *engine.Report) bool {
	lo := &layouter{r: r}
	for _, it := range fold(r, viewTree(r)) {
		if lo.outerStage(it) {
			if _, changed := lo.representatives(lo.r.Blocks[it.block].Name, it.items); changed {
				return true
			}
		}
	}
	return false
}

// StageReduced reports whether a diagram laid out with opt draws less of the stage than
// all of it: collapsed, or with a run of repeated blocks drawn once. Expanded, it draws
// every block.
func StageReduced(r *engine.Report, opt Options, stage string) bool {
	lo := &layouter{r: r, opt: opt}
	for _, it := range fold(r, viewTree(r)) {
		if !lo.outerStage(it) || r.Blocks[it.block].Name != stage {
			continue
		}
		items := lo.drawnItems(it)
		return lo.collapsed(stage, &item{layer: -1, block: it.block, items: items}) || standsIn(items)
	}
	return false
}

// standsIn reports whether items hold a stand-in for a run.
func standsIn(items []*item) bool {
	for _, it := range items {
		if it.rep != nil || standsIn(it.items) {
			return true
		}
	}
	return false
}

// StageHides reports whether a diagram laid out with opt leaves the layer of that index
// out: inside a collapsed stage, or inside the blocks of a run after its first. Either
// way the stage, expanded, draws it.
func StageHides(r *engine.Report, opt Options, stage string, layer int) bool {
	lo := &layouter{r: r, opt: opt}
	for _, it := range fold(r, viewTree(r)) {
		if !lo.outerStage(it) || r.Blocks[it.block].Name != stage {
			continue
		}
		items := lo.drawnItems(it)
		if lo.collapsed(stage, &item{layer: -1, block: it.block, items: items}) {
			return true
		}
		return hides(items, layer)
	}
	return false
}

func hides(items []*item, layer int) bool {
	for _, it := range items {
		if it.rep != nil && layer >= it.rep.hidden && layer <= it.rep.last {
			return true
		}
		if hides(it.items, layer) {
			return true
		}
	}
	return false
}

// outerStage reports whether it is a stage inside no other stage: the unit that the
// URL's expand= and collapse= name.
func (lo *layouter) outerStage(it *item) bool {
	if it.block < 0 || lo.r.Blocks[it.block].Kind != engine.KindStage {
		return false
	}
	for p := lo.r.Blocks[it.block].Parent; p >= 0; p = lo.r.Blocks[p].Parent {
		if lo.r.Blocks[p].Kind == engine.KindStage {
			return false
		}
	}
	return true
}

// representing reports whether a stage draws its runs once.
func (lo *layouter) representing(stage string) bool {
	return lo.opt.Blocks && !lo.opt.Expand["all"] && !lo.opt.Expand[stage]
}

// drawnItems are the items a top-level stage draws: its runs reduced to their first
// units in the representative view, else all of them.
func (lo *layouter) drawnItems(it *item) []*item {
	name := lo.r.Blocks[it.block].Name
	if !lo.outerStage(it) || !lo.representing(name) {
		return it.items
	}
	items, _ := lo.representatives(name, it.items)
	return items
}

// segment is a unit (a block and the layers after it) or an item on its own (a layer
// before the first block, an auxiliary head), with the signature that units of one run
// share.
type segment struct {
	items []*item
	unit  bool
	sig   string
}

// segments cuts items into units; trailing puts the layers after a block into its unit.
func (lo *layouter) segments(items []*item, trailing bool) []segment {
	var segs []segment
	for _, it := range items {
		k := len(segs) - 1
		switch {
		case it.block >= 0 && lo.r.Blocks[it.block].Kind != engine.KindAux:
			segs = append(segs, segment{items: []*item{it}, unit: true})
		case it.layer >= 0 && trailing && k >= 0 && segs[k].unit:
			segs[k].items = append(segs[k].items, it)
		default:
			segs = append(segs, segment{items: []*item{it}})
		}
	}
	for i := range segs {
		if segs[i].unit {
			segs[i].sig = lo.signature(segs[i].items)
		}
	}
	// A run's last block followed by the stage's own layers (a pool closing the stage):
	// the layers stand apart, so the block still counts in its run.
	for i := 1; i < len(segs); i++ {
		s, prev := segs[i], segs[i-1]
		if s.unit && len(s.items) > 1 && prev.unit && len(prev.items) == 1 && s.sig != prev.sig && lo.signature(s.items[:1]) == prev.sig {
			rest := make([]segment, 0, len(s.items)-1)
			for _, it := range s.items[1:] {
				rest = append(rest, segment{items: []*item{it}})
			}
			segs[i] = segment{items: s.items[:1], unit: true, sig: prev.sig}
			segs = append(segs[:i+1], append(rest, segs[i+1:]...)...)
		}
	}
	return segs
}

// signature writes what units of one run share: their blocks' kinds and templates, and
// the operations, kernels and widths of their layers in order, shortcuts left out; then
// the unit's output.
func (lo *layouter) signature(items []*item) string {
	var b strings.Builder
	var walk func(it *item)
	walk = func(it *item) {
		if it.layer >= 0 {
			l := &lo.r.Layers[it.layer]
			b.WriteString(l.Op)
			if op := l.Operation(); op != nil && !l.IsMerge() {
				fmt.Fprintf(&b, " %dx%d d%d", op.K[0], op.K[1], op.D[0])
				if op.Kind == engine.OpConv || op.Kind == engine.OpShuffle {
					fmt.Fprintf(&b, " g%d", op.Groups)
				}
				if setsWidth(op.Kind) {
					fmt.Fprintf(&b, " c%d", l.Out.C)
				}
			}
			for _, f := range it.folded {
				b.WriteString("+" + lo.r.Layers[f].Op)
			}
			b.WriteByte(';')
			return
		}
		if it.block >= 0 {
			blk := &lo.r.Blocks[it.block]
			if blk.Role == "shortcut" {
				return
			}
			fmt.Fprintf(&b, "%s/%s/%s(", blk.Kind, blk.Label, blk.Role)
		}
		for _, c := range it.items {
			walk(c)
		}
		b.WriteByte(')')
	}
	for _, it := range items {
		walk(it)
	}
	if _, last := lo.span(items); last >= 0 {
		b.WriteString("→" + lo.r.Layers[last].Out.String())
	}
	return b.String()
}

// setsWidth reports the operations whose output width is the layer's own: a
// convolution's or a fully connected layer's, and a depthwise convolution's (its input's
// times its multiplier). The others keep their input's width, which the comparison of
// units leaves out, as it leaves out the first block's wider or narrower input.
func setsWidth(k engine.OpKind) bool {
	switch k {
	case engine.OpConv, engine.OpDWConv, engine.OpFC, engine.OpConvT:
		return true
	}
	return false
}

// span is the first and last layer of items; last is -1 when they have none.
func (lo *layouter) span(items []*item) (first, last int) {
	first, last = math.MaxInt, -1
	var walk func(it *item)
	walk = func(it *item) {
		switch {
		case it.layer >= 0:
			first, last = min(first, it.layer), max(last, it.layer)
			for _, f := range it.folded {
				last = max(last, f)
			}
		case it.block >= 0 && it.rep == nil && it.layersOf == 0:
			if b := &lo.r.Blocks[it.block]; b.Last >= b.First {
				first, last = min(first, b.First), max(last, b.Last)
			}
		default:
			for _, c := range it.items {
				walk(c)
			}
		}
	}
	for _, it := range items {
		walk(it)
	}
	return first, last
}

// representatives reduces the runs of a top-level stage's items to their first units,
// and the runs inside its dense blocks and inner stages; changed reports a run.
func (lo *layouter) representatives(stage string, items []*item) (out []*item, changed bool) {
	out, changed = lo.runs(stage, lo.segments(items, true))
	for i, it := range out {
		if it.block < 0 {
			continue
		}
		inner := it.items
		var innerChanged bool
		switch lo.r.Blocks[it.block].Kind {
		case engine.KindDense:
			// The dense layout draws a layer's items: the stand-in goes inside the layer.
			inner, innerChanged = lo.runs(stage, lo.segments(it.items, false))
			for k, c := range inner {
				if c.rep != nil {
					layer := *c
					layer.rep, layer.items = nil, []*item{{layer: -1, block: -1, items: c.items, rep: c.rep}}
					inner[k] = &layer
				}
			}
		case engine.KindStage:
			inner, innerChanged = lo.representatives(stage, it.items)
		}
		if innerChanged {
			c := *it
			c.items = inner
			if lo.r.Blocks[it.block].Kind == engine.KindDense {
				c.layersOf = denseLayers(it)
			}
			out[i], changed = &c, true
		}
	}
	return out, changed
}

// runs draws each run of two or more units with one signature as its first unit,
// standing for them all.
func (lo *layouter) runs(stage string, segs []segment) (out []*item, changed bool) {
	for i := 0; i < len(segs); {
		j := i
		for segs[i].unit && j+1 < len(segs) && segs[j+1].unit && segs[j+1].sig == segs[i].sig {
			j++
		}
		if j == i {
			out = append(out, segs[i].items...)
			i++
			continue
		}
		first, _ := lo.span(segs[i].items)
		hidden, _ := lo.span(segs[i+1].items)
		_, last := lo.span(segs[j].items)
		rep := &repeat{n: j - i + 1, stage: stage, hidden: hidden, last: last, out: lo.r.Layers[last].Out}
		for k := first; k <= last; k++ {
			if l := &lo.r.Layers[k]; !l.Aux {
				rep.params += l.Params
				rep.macs += l.MACs
			}
		}
		head := segs[i].items[0]
		if head.block >= 0 {
			b := &lo.r.Blocks[head.block]
			rep.what = b.Label
			if rep.what == "" {
				rep.what = b.Kind.String() + " block"
			}
		}
		var stand *item
		if len(segs[i].items) == 1 {
			c := *head
			c.rep = rep
			stand = &c
		} else {
			stand = &item{layer: -1, block: -1, items: segs[i].items, rep: rep}
		}
		out = append(out, stand)
		changed = true
		i = j + 1
	}
	return out, changed
}

// reduced lays out a stand-in of the representative view: the item as it is drawn, a
// dense block's title counting all its layers, and a run's bracket.
func (lo *layouter) reduced(it *item) sub {
	plain := *it
	plain.rep, plain.layersOf = nil, 0
	var s sub
	if plain.layer < 0 && plain.block < 0 {
		s = lo.seq(plain.items)
	} else {
		s = lo.item(&plain)
	}
	if it.layersOf > 0 {
		for i := len(s.frames) - 1; i >= 0; i-- {
			if f := &s.frames[i]; f.Kind == "dense" {
				f.Title = strings.Replace(f.Title, fmt.Sprintf("%d layers", denseLayers(&plain)), fmt.Sprintf("%d layers", it.layersOf), 1)
				break
			}
		}
	}
	if it.rep != nil {
		s = lo.bracket(s, it.rep)
	}
	return s
}

// bracket sets a ×N bracket beside a run's drawn unit, across the flow from it, with
// the count and the run's figures beyond it.
func (lo *layouter) bracket(s sub, rep *repeat) sub {
	label := fmt.Sprintf("×%d", rep.n)
	lines := []string{"→ " + rep.out.String(), fmt.Sprintf("all %d: %s params · %s MACs", rep.n, HumanCount(rep.params), HumanCount(rep.macs))}
	w := TextWidth(label, labelSize) * 1.1 // bold
	for _, l := range lines {
		w = math.Max(w, TextWidth(l, detailSize))
	}
	w = math.Ceil(w)
	h := countLine + figureLine*float64(len(lines))
	along, across := h, w
	if lo.lr {
		along, across = w, h
	}
	v := s.V + bracketGap
	u0, u1 := 2.0, math.Max(s.U-2, 4)
	b := Bracket{
		Points: []Point{{u0, v}, {u0, v + bracketTick}, {u1, v + bracketTick}, {u1, v}},
		X:      math.Max(0, (s.U-along)/2), Y: v + bracketTick + bracketText, W: along, H: across,
		Count: rep.n, Label: label, Lines: lines, Stage: rep.stage, Hidden: [2]int{rep.hidden, rep.last},
		Title: fmt.Sprintf("%d × %s, drawn once: click to draw all %d", rep.n, rep.what, rep.n),
	}
	out := s
	out.V = b.Y + across
	if end := b.X + along; end > s.U {
		out.edge(false, Point{s.U, s.A}, Point{end, s.A})
		out.U = end
	}
	out.runs = append(out.runs, b)
	out.spans = append(out.spans, Span{First: rep.hidden, Last: rep.last}) // the bracket stands for them
	return out
}

// Bounds is the rectangle the bracket and its writing cover: what a click on it hits.
func (b Bracket) Bounds() (x, y, w, h float64) {
	x0, y0, x1, y1 := b.X, b.Y, b.X+b.W, b.Y+b.H
	for _, p := range b.Points {
		x0, y0, x1, y1 = math.Min(x0, p.X), math.Min(y0, p.Y), math.Max(x1, p.X), math.Max(y1, p.Y)
	}
	return x0, y0, x1 - x0, y1 - y0
}
