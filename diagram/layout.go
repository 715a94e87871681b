package diagram

import (
	"context"
	"fmt"
	"math"
	"slices"

	"convatlas/engine"
)

// Diagram is a laid-out block diagram: everything a template needs to emit the SVG,
// in pixels, top-left origin.
type Diagram struct {
	W, H float64
	Dir  string // "tb" (top-down) or "lr" (left-right)
	// Font sizes of the labels, the details and the joins' signs, in pixels.
	LabelSize, DetailSize, SignSize float64
	Boxes                           []Box
	Joins                           []Join
	Edges                           []Edge
	Frames                          []Frame
	Dots                            []Point
	// Of is the run of the report's layers the diagram draws: all of them, or one stage's.
	Of Span
	// Stood lists the runs of layers drawn by no shape of their own but stood for by one:
	// a collapsed stage's box stands for the stage's layers.
	Stood    []Span
	Brackets []Bracket // runs of repeated blocks drawn once (repeat.go)
}

// Span is a run of a report's layers, First to Last inclusive.
type Span struct{ First, Last int }

// Box is a layer (or a collapsed stage, or a cell's input port) drawn as a rectangle.
type Box struct {
	X, Y, W, H float64
	Layer      string   // the layer's name; empty for a collapsed stage or a port
	Index      int      // the layer's index in the report; -1 when none
	Folded     []string // names of the element-wise layers drawn inside it
	Kind       string   // colour class: conv, pool, fc, norm, act, merge, stage, port, other
	Label      string   // "3×3 conv, 64, /2"
	Detail     string   // "56×56×64 · BN · ReLU"
	Stage      string   // a collapsed stage's name
	Repeat     int      // a collapsed stage's number of blocks
	Aux        bool
	Selected   bool    // the layer shown in the layer panel
	Frozen     bool    // not trained (transfer learning)
	Stack      int     // cards drawn behind the box: a grouped convolution as parallel paths
	Room       float64 // the part of the box the cards take, above and to the right of the face
	Stream     int     // in a streams diagram, the device it runs on, from 1; 0 for none
}

// deckStep is the offset between the cards of a deck.
const deckStep = 4.0

// Join is a merge drawn as a circle with its sign.
type Join struct {
	X, Y, R  float64 // centre and radius
	Layer    string
	Index    int
	Merge    string
	Symbol   string
	Folded   []string
	Tags     string // folded layers, written beside the circle
	Out      string // the merge's output volume, for its tooltip ("28×28×256")
	Aux      bool
	Selected bool
	TagSide  string // where the tags are written: TagsLeft (the default), TagsRight, TagsAbove, TagsBelow
}

// Edge is a polyline along which a tensor flows, ending with an arrow.
type Edge struct {
	Points []Point
	Skip   bool // a residual shortcut or a dense connection
	Aux    bool
	Arrow  bool // it ends on a box or a join
}

// Point is a position in pixels.
type Point struct{ X, Y float64 }

// Frame is a rectangle around a group: a stage, a residual block, an auxiliary
// classifier, a dense block, a cell.
type Frame struct {
	X, Y, W, H float64
	Kind       string // stage, residual, aux, dense, cell, branch
	Title      string
	Stage      string // an expanded stage's name
	Aux        bool
	Scale      float64 // of its title's text
	// TitleShift moves the title right of its usual place (10 px in), past an edge
	// that enters the frame there; in pixels at scale 1.
	TitleShift float64
	// Runs marks an expanded stage of repeated blocks drawn in full in the representative
	// view: its toggle draws one block per run again.
	Runs bool
}

// Options choose what a diagram shows.
type Options struct {
	Dir      string          // "tb" or "lr"
	Expand   map[string]bool // stages to draw expanded; "all" expands every stage
	Collapse map[string]bool // stages to draw collapsed even when small
	Stage    string          // draw only this stage
	// Paths draws grouped convolutions as their parallel paths (ResNeXt's cardinality).
	Paths bool
	// Streams draws a network split across devices as one stream per device (streams.go).
	Streams bool
	// AutoCollapse collapses stages of more than this many boxes unless expanded; 0 never.
	AutoCollapse int
	// Scale enlarges everything, text included (presentation mode); 0 means 1.
	Scale float64
	// Blocks draws each run of repeated blocks of a stage once, with a ×N bracket (the
	// representative view, repeat.go), unless the stage is expanded.
	Blocks bool
}

// DefaultAutoCollapse is the size past which a stage starts collapsed: a stage of more
// boxes than a screen holds draws as one box until it is expanded.
const DefaultAutoCollapse = 40

// Sizes of the drawing, in pixels.
const (
	boxHeight   = 42.0
	labelSize   = 14.0
	detailSize  = 12.0
	boxPadding  = 12.0
	minBoxWidth = 120.0
	gapFlow     = 18.0 // between consecutive items along the flow
	gapCross    = 20.0 // between parallel paths
	joinRadius  = 12.0
	frameTitle  = 24.0
	framePad    = 10.0
	// titleClearance is the room between a frame's title and an edge beside it.
	titleClearance = 8.0
	laneGap        = 7.0
	margin         = 16.0
)

// sub is a laid-out part in flow coordinates: u along the flow, v across it. It is
// entered at (0, A) and left at (U, A).
type sub struct {
	U, V, A float64
	boxes   []Box // X is u, Y is v, W is the extent along u, H across
	joins   []Join
	edges   []Edge
	frames  []Frame
	dots    []Point
	spans   []Span    // layers stood for by a shape (Diagram.Stood)
	runs    []Bracket // the ×N brackets of runs drawn once
}

func (s *sub) shift(du, dv float64) {
	for i := range s.boxes {
		s.boxes[i].X += du
		s.boxes[i].Y += dv
	}
	for i := range s.joins {
		s.joins[i].X += du
		s.joins[i].Y += dv
	}
	for i := range s.edges {
		for j := range s.edges[i].Points {
			s.edges[i].Points[j].X += du
			s.edges[i].Points[j].Y += dv
		}
	}
	for i := range s.frames {
		s.frames[i].X += du
		s.frames[i].Y += dv
	}
	for i := range s.dots {
		s.dots[i].X += du
		s.dots[i].Y += dv
	}
	for i := range s.runs {
		s.runs[i].shift(du, dv)
	}
}

// place adds c to s with its origin at (du, dv).
func (s *sub) place(c sub, du, dv float64) {
	c.shift(du, dv)
	s.boxes = append(s.boxes, c.boxes...)
	s.joins = append(s.joins, c.joins...)
	s.edges = append(s.edges, c.edges...)
	s.frames = append(s.frames, c.frames...)
	s.dots = append(s.dots, c.dots...)
	s.spans = append(s.spans, c.spans...)
	s.runs = append(s.runs, c.runs...)
}

func (s *sub) edge(skip bool, pts ...Point) {
	s.edges = append(s.edges, Edge{Points: pts, Skip: skip})
}

// layouter holds what every part of one diagram needs.
type layouter struct {
	r         *engine.Report
	opt       Options
	lr        bool
	tagsRight bool           // inside a dense block, where lanes arrive from the left
	cell      map[string]int // within a cell: item name → index of its part
	ctx       context.Context
	placed    int   // parts laid out so far, to look at ctx now and then
	err       error // ctx's error, once it is done: the rest is skipped
}

// LayoutContext lays out the diagram of a report, stopping with ctx's error once ctx
// is done.
func LayoutContext(ctx context.Context, r *engine.Report, opt Options) (*Diagram, error) {
	if opt.Dir == "" {
		opt.Dir = "tb"
	}
	if opt.Dir != "tb" && opt.Dir != "lr" {
		return nil, fmt.Errorf("dir must be tb or lr, got %q", opt.Dir)
	}
	lo := &layouter{r: r, opt: opt, lr: opt.Dir == "lr", ctx: ctx}
	if opt.Streams {
		return lo.streams()
	}
	items := fold(r, viewTree(r))
	of := Span{First: 0, Last: len(r.Layers) - 1}
	if opt.Stage != "" {
		found := findBlock(r, items, opt.Stage)
		if found == nil {
			return nil, fmt.Errorf("no stage or block %q in %s", opt.Stage, r.ID)
		}
		items = []*item{found}
		of = Span{First: r.Blocks[found.block].First, Last: r.Blocks[found.block].Last}
		lo.opt.Expand = map[string]bool{opt.Stage: true}
	}
	var s sub
	if opt.Stage == "" {
		s = lo.seqParts(append([]sub{lo.inputPart()}, lo.parts(items)...))
	} else {
		s = lo.seq(items)
	}
	if lo.err != nil {
		return nil, lo.err
	}
	return lo.finish(s, of), nil
}

// finish turns a laid-out part in flow coordinates into the diagram of the layers of:
// the margins, the direction, the arrowheads, the scale.
func (lo *layouter) finish(s sub, of Span) *Diagram {
	s.shift(margin, margin)
	d := &Diagram{Dir: lo.opt.Dir, W: s.V + 2*margin, H: s.U + 2*margin, Of: of, Stood: s.spans}
	if lo.lr {
		d.W, d.H = d.H, d.W
	}
	flip := func(p Point) Point {
		if lo.lr {
			return p
		}
		return Point{X: p.Y, Y: p.X}
	}
	for _, b := range s.boxes {
		p := flip(Point{X: b.X, Y: b.Y})
		b.X, b.Y = p.X, p.Y
		if !lo.lr {
			b.W, b.H = b.H, b.W
		}
		d.Boxes = append(d.Boxes, b)
	}
	for _, j := range s.joins {
		p := flip(Point{X: j.X, Y: j.Y})
		j.X, j.Y = p.X, p.Y
		d.Joins = append(d.Joins, j)
	}
	for _, e := range s.edges {
		for i, p := range e.Points {
			e.Points[i] = flip(p)
		}
		d.Edges = append(d.Edges, e)
	}
	for _, f := range s.frames {
		p := flip(Point{X: f.X, Y: f.Y})
		f.X, f.Y, f.Scale = p.X, p.Y, 1
		if !lo.lr {
			f.W, f.H = f.H, f.W
		}
		d.Frames = append(d.Frames, f)
	}
	for _, p := range s.dots {
		d.Dots = append(d.Dots, flip(p))
	}
	for _, b := range s.runs {
		d.Brackets = append(d.Brackets, b.flip(!lo.lr))
	}
	d.markArrows()
	d.LabelSize, d.DetailSize, d.SignSize = labelSize, detailSize, 15
	if lo.opt.Scale > 0 && lo.opt.Scale != 1 {
		d.scale(lo.opt.Scale)
	}
	return d
}

// scale enlarges a laid-out diagram by f: text grows with the boxes, so every label
// still fits.
func (d *Diagram) scale(f float64) {
	d.W, d.H = d.W*f, d.H*f
	d.LabelSize, d.DetailSize, d.SignSize = d.LabelSize*f, d.DetailSize*f, d.SignSize*f
	for i := range d.Boxes {
		b := &d.Boxes[i]
		b.X, b.Y, b.W, b.H, b.Room = b.X*f, b.Y*f, b.W*f, b.H*f, b.Room*f
	}
	for i := range d.Joins {
		j := &d.Joins[i]
		j.X, j.Y, j.R = j.X*f, j.Y*f, j.R*f
	}
	for i := range d.Edges {
		for k := range d.Edges[i].Points {
			d.Edges[i].Points[k].X *= f
			d.Edges[i].Points[k].Y *= f
		}
	}
	for i := range d.Frames {
		fr := &d.Frames[i]
		fr.X, fr.Y, fr.W, fr.H, fr.Scale = fr.X*f, fr.Y*f, fr.W*f, fr.H*f, fr.Scale*f
	}
	for i := range d.Dots {
		d.Dots[i].X *= f
		d.Dots[i].Y *= f
	}
	for i := range d.Brackets {
		d.Brackets[i].scale(f)
	}
}

// Select marks the box or join that draws the named layer, and reports whether one
// does (a layer inside a collapsed stage is drawn by none).
func (d *Diagram) Select(layer string) bool {
	found := false
	for i := range d.Boxes {
		b := &d.Boxes[i]
		b.Selected = b.Layer == layer || slices.Contains(b.Folded, layer)
		found = found || b.Selected
	}
	for i := range d.Joins {
		j := &d.Joins[i]
		j.Selected = j.Layer == layer || slices.Contains(j.Folded, layer)
		found = found || j.Selected
	}
	return found
}

// entersShape reports whether p lies on the outline of a box or a join: an edge
// that ends there gets an arrowhead; one that ends elsewhere joins another edge.
func (d *Diagram) entersShape(p Point) bool {
	const eps = 0.5
	for _, b := range d.Boxes {
		inX := p.X >= b.X-eps && p.X <= b.X+b.W+eps
		inY := p.Y >= b.Y-eps && p.Y <= b.Y+b.H+eps
		onX := math.Abs(p.X-b.X) < eps || math.Abs(p.X-b.X-b.W) < eps
		onY := math.Abs(p.Y-b.Y) < eps || math.Abs(p.Y-b.Y-b.H) < eps
		if inX && inY && (onX || onY) {
			return true
		}
	}
	for _, j := range d.Joins {
		if math.Abs(math.Hypot(p.X-j.X, p.Y-j.Y)-j.R) < eps {
			return true
		}
	}
	return false
}

// boxSize is a box's extent along and across the flow for its text.
func (lo *layouter) boxSize(label, detail string) (du, dv float64) {
	w := math.Max(TextWidth(label, labelSize), TextWidth(detail, detailSize)) + 2*boxPadding
	w = math.Max(minBoxWidth, math.Ceil(w))
	if lo.lr {
		return w, boxHeight
	}
	return boxHeight, w
}

func (lo *layouter) item(it *item) sub {
	if lo.stopped() {
		return sub{}
	}
	if it.rep != nil || it.layersOf > 0 {
		return lo.reduced(it) // the representative view's stand-ins (repeat.go)
	}
	if it.layer >= 0 {
		return lo.layerPart(it)
	}
	b := &lo.r.Blocks[it.block]
	switch b.Kind {
	case engine.KindStage:
		return lo.stage(it)
	case engine.KindAux:
		return lo.aux(it)
	case engine.KindCell:
		return lo.cellPart(it) // titled in its own frame
	}
	var s sub
	switch b.Kind {
	case engine.KindBranch:
		s = lo.branch(it)
	case engine.KindResidual:
		s = lo.residual(it)
	case engine.KindDense:
		s = lo.dense(it)
	default:
		s = lo.seq(it.items)
	}
	if t := blockTitle(b); t != "" {
		// A module the paper names ("inception (3a)") is framed under its name.
		s = lo.frame(s, "module", t, "", false)
	}
	return s
}

func (lo *layouter) names(idx []int) []string {
	out := make([]string, len(idx))
	for i, k := range idx {
		out[i] = lo.r.Layers[k].Name
	}
	return out
}

func (lo *layouter) layerPart(it *item) sub {
	l := &lo.r.Layers[it.layer]
	if l.IsMerge() {
		j := Join{X: joinRadius, Y: joinRadius, R: joinRadius, Layer: l.Name, Index: l.Index, Merge: l.Op,
			Symbol: MergeSymbol(l.Op), Folded: lo.names(it.folded), Tags: foldedTags(lo.r, it.folded), Aux: l.Aux,
			Out: l.Out.String()}
		if l.Op == string(engine.MergeConcat) && !lo.lr {
			// A concatenation writes what it makes: a module's output (28×28×256 after
			// inception (3a)), a dense block's growing channels (56×56×96, 56×56×128, …).
			j.Tags = joinTags(l.Out.String(), j.Tags)
		}
		j.TagSide = TagsLeft
		if lo.tagsRight {
			j.TagSide = TagsRight
		}
		s := sub{U: 2 * joinRadius, V: 2 * joinRadius, A: joinRadius, joins: []Join{j}}
		if j.Tags != "" && lo.lr {
			return lo.joinTagsAcross(s)
		}
		if j.Tags != "" && !lo.lr {
			// The tags stand beside the circle, on the side no edge comes from: the left
			// of a residual's addition, the right of a dense block's concatenation.
			room := 6 + TextWidth(j.Tags, detailSize)
			if j.TagSide == TagsLeft {
				s.shift(0, room)
				s.A += room
			}
			s.V += room
		}
		return s
	}
	return lo.boxPart(it)
}

// joinTagsAcross writes a join's tags above or below its circle, when the flow runs
// right: beside it they would cover the box the flow comes from. Above, when no edge
// comes from there (a residual's shortcut arrives from below); below in a dense block,
// whose lanes arrive from above. The part is as long as the tags, the circle centred,
// with a stub of edge from the circle to the part's end.
func (lo *layouter) joinTagsAcross(s sub) sub {
	j := &s.joins[0]
	j.TagSide = TagsAbove
	if lo.tagsRight {
		j.TagSide = TagsBelow
	}
	room := 4 + (textAscent+textDescent)*joinRadius
	s.U = math.Max(s.U, math.Ceil(TextWidth(j.Tags, joinRadius))+4)
	s.V += room
	j.X = s.U / 2
	if j.TagSide == TagsAbove {
		j.Y += room
		s.A += room
	}
	if s.U > 2*joinRadius {
		s.edge(false, Point{j.X - s.U/2, s.A}, Point{j.X - joinRadius, s.A})
		s.edge(false, Point{j.X + joinRadius, s.A}, Point{s.U, s.A})
	}
	return s
}

// boxPart draws a layer as a box, its folded layers in its detail line.
func (lo *layouter) boxPart(it *item) sub {
	l := &lo.r.Layers[it.layer]
	label := TitledLabel(l)
	detail := l.Out.String()
	if tags := foldedTags(lo.r, it.folded); tags != "" {
		detail += " · " + tags
	}
	stack := 0
	if op := l.Operation(); lo.opt.Paths && op != nil && op.Kind == engine.OpConv && op.Groups > 1 {
		// Cardinality drawn as parallel paths: G paths of Cout/G filters each, as a deck.
		label = fmt.Sprintf("%d paths × (%d×%d conv, %d)", op.Groups, op.K[0], op.K[1], l.Out.C/op.Groups)
		if l.Title != "" {
			label = l.Title + " · " + label
		}
		stack = int(min(op.Groups, 6))
	}
	du, dv := lo.boxSize(label, detail)
	// A deck's cards stand behind the face, up and to the right, inside the box.
	room := float64(stack) * deckStep
	du, dv = du+room, dv+room
	b := Box{X: 0, Y: 0, W: du, H: dv, Layer: l.Name, Index: l.Index, Folded: lo.names(it.folded),
		Kind: Kind(l.Op), Label: label, Detail: detail, Aux: l.Aux, Stack: stack, Room: room}
	return sub{U: du, V: dv, A: dv / 2, boxes: []Box{b}}
}

// seq stacks items along the flow on a common axis.
func (lo *layouter) seq(items []*item) sub { return lo.seqParts(lo.parts(items)) }

func (lo *layouter) parts(items []*item) []sub {
	parts := make([]sub, len(items))
	for i, it := range items {
		parts[i] = lo.item(it)
	}
	return parts
}

// seqParts stacks laid-out parts along the flow on a common axis.
func (lo *layouter) seqParts(parts []sub) sub {
	var axis, right float64
	for _, p := range parts {
		axis = math.Max(axis, p.A)
		right = math.Max(right, p.V-p.A)
	}
	out := sub{A: axis, V: axis + right}
	u := 0.0
	for i, p := range parts {
		if i > 0 {
			out.edge(false, Point{u, axis}, Point{u + gapFlow, axis})
			u += gapFlow
		}
		out.place(p, u, axis-p.A)
		u += p.U
	}
	out.U = u
	if len(parts) == 0 {
		out.V, out.A = 2*joinRadius, joinRadius
	}
	return out
}

// frame wraps s in a titled frame; the flow enters at the top and, unless the frame
// is a dead end (an auxiliary classifier), leaves at the bottom.
func (lo *layouter) frame(s sub, kind, title, stage string, aux bool) sub {
	// The title is written at the frame's top left, so its band lies before the content
	// along the flow when the flow runs down, and across it when the flow runs right;
	// the frame is as wide as the title.
	along, across := framePad, framePad
	titleW := 0.0
	if title != "" {
		titleW = TextWidth(title, detailSize)
		if stage != "" {
			titleW += 2*framePad + TextWidth(StageToggle, detailSize) // the toggle at the top right
		}
		if lo.lr {
			across = frameTitle
		} else {
			along = frameTitle
		}
	}
	out := sub{U: along + s.U + framePad, V: across + s.V + framePad, A: s.A + across}
	shift := 0.0
	if lo.lr {
		out.U = math.Max(out.U, titleW+2*framePad)
	} else {
		if title != "" && out.A < framePad+titleW+titleClearance {
			// The flow enters the frame where the title would stand: the title moves
			// right, past the incoming edge.
			shift = out.A + titleClearance - framePad
		}
		out.V = math.Max(out.V, shift+titleW+2*framePad)
	}
	out.edge(false, Point{0, out.A}, Point{along, out.A})
	out.place(s, along, across)
	if !aux {
		out.edge(false, Point{along + s.U, out.A}, Point{out.U, out.A})
	}
	out.frames = append(out.frames, Frame{X: 0, Y: 0, W: out.U, H: out.V, Kind: kind, Title: title, Stage: stage, Aux: aux, TitleShift: shift})
	return out
}

// Freeze marks the boxes of the layers up to and including index last as frozen.
func (d *Diagram) Freeze(last int) {
	for i := range d.Boxes {
		d.Boxes[i].Frozen = d.Boxes[i].Index >= 0 && d.Boxes[i].Index <= last
	}
}
