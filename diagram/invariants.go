package diagram

import (
	"fmt"
	"math"
	"slices"

	"convatlas/engine"
)

// Thresholds of the invariants, in pixels at scale 1.
const (
	// arrowClearance is the least distance between the tips of two arrowheads on one
	// shape: an arrowhead is 7 stroke widths (11 px) long, so closer tips read as one pile.
	arrowClearance = 8.0
	// bundleGap is the least distance between two parallel wires that are not the same
	// wire: closer than this, a reader cannot follow one of them (the NASNet cells had
	// wires 2–4 px apart; a dense block's lanes are laneGap, 7 px, apart).
	bundleGap = 6.0
	// bundleRun is how far two wires must run side by side to count as a bundle: a
	// crossing or a short brush is no bundle.
	bundleRun = 12.0
	// snap is how close two points are taken to be the same point.
	snap = 0.5
)

// Problems lists what is wrong with a laid-out diagram, each as one sentence; none for
// a drawing a reader can follow. The invariants:
//   - no edge runs through a box or a join other than at its ends, nor through any
//     writing: a frame's title, a stage's collapse link, a join's tags;
//   - no two pieces of writing overlap (boxes, whose labels are inside them, joins,
//     titles, links and tags), and a box's label fits its face;
//   - everything lies inside the drawing;
//   - every edge is attached at both ends: on a box's or join's outline, on another
//     edge, or at the drawing's entry or exit;
//   - arrowheads on one shape do not pile up: their tips are apart (arrowClearance);
//   - no two wires run side by side closer than bundleGap;
//   - every layer of Of (of the report r) is reachable from the drawing exactly once: drawn by one box or
//     join (as its layer or folded inside it) or stood for by one collapsed shape.
//
// Its cost is linear in the drawing's parts (and the pairs of parts that meet): the
// parts are filed in a grid of cells, as markArrows does.
func (d *Diagram) Problems(r *engine.Report) []string {
	c := &checker{d: d, k: d.unit()}
	c.collectWriting()
	c.inside()
	c.writingOverlaps()
	c.edgesCross()
	c.edgesAttached()
	c.arrowPiles()
	c.bundles()
	c.reachable(r)
	return c.out
}

// unit is the diagram's scale: 1, or presentation mode's factor.
func (d *Diagram) unit() float64 {
	if d.LabelSize > 0 {
		return d.LabelSize / labelSize
	}
	return 1
}

// piece is one thing written or drawn that nothing may cross or cover.
type piece struct {
	r    Rect
	what string
	join int // ≥ 0 for a join's circle (crossing is tested against the circle)
	box  int // ≥ 0 for a box
}

type checker struct {
	d      *Diagram
	k      float64
	pieces []piece
	grid   map[[2]int][]int
	out    []string
}

func (c *checker) add(format string, args ...any) {
	c.out = append(c.out, fmt.Sprintf(format, args...))
}

func (c *checker) collectWriting() {
	d := c.d
	for i, b := range d.Boxes {
		c.pieces = append(c.pieces, piece{r: Rect{b.X, b.Y, b.W, b.H}, what: fmt.Sprintf("box %q", boxName(b)), join: -1, box: i})
	}
	for i, j := range d.Joins {
		c.pieces = append(c.pieces, piece{r: Rect{j.X - j.R, j.Y - j.R, 2 * j.R, 2 * j.R}, what: fmt.Sprintf("join %q", j.Layer), join: i, box: -1})
		if j.Tags != "" {
			c.pieces = append(c.pieces, piece{r: j.TagRect(), what: fmt.Sprintf("the tags %q of join %q", j.Tags, j.Layer), join: -1, box: -1})
		}
	}
	for _, f := range d.Frames {
		if f.Title != "" {
			c.pieces = append(c.pieces, piece{r: f.TitleRect(), what: fmt.Sprintf("the title %q", f.Title), join: -1, box: -1})
		}
		if f.Stage != "" {
			c.pieces = append(c.pieces, piece{r: f.ToggleRect(), what: fmt.Sprintf("the collapse link of %q", f.Title), join: -1, box: -1})
		}
	}
	for _, b := range d.Brackets {
		// A ×N bracket's stroke and writing: nothing may cross or cover them.
		x, y, w, h := b.Bounds()
		c.pieces = append(c.pieces, piece{r: Rect{x, y, w, h}, what: fmt.Sprintf("the bracket %q of %s", b.Label, b.Stage), join: -1, box: -1})
	}
	c.grid = map[[2]int][]int{}
	for i, p := range c.pieces {
		for _, cell := range cellsOf(p.r) {
			c.grid[cell] = append(c.grid[cell], i)
		}
	}
}

func boxName(b Box) string {
	if b.Layer != "" {
		return b.Layer + " (" + b.Label + ")"
	}
	return b.Label
}

// cellsOf lists the grid cells a rectangle touches.
func cellsOf(r Rect) [][2]int {
	var out [][2]int
	for cx := cellOf(r.X); cx <= cellOf(r.X+r.W); cx++ {
		for cy := cellOf(r.Y); cy <= cellOf(r.Y+r.H); cy++ {
			out = append(out, [2]int{cx, cy})
		}
	}
	return out
}

// near lists, once each, the pieces filed in the cells r touches.
func (c *checker) near(r Rect) []int {
	var out []int
	for _, cell := range cellsOf(r) {
		out = append(out, c.grid[cell]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (c *checker) inside() {
	d := c.d
	in := func(r Rect) bool {
		return r.X >= -snap && r.Y >= -snap && r.X+r.W <= d.W+snap && r.Y+r.H <= d.H+snap
	}
	for _, p := range c.pieces {
		if !in(p.r) {
			c.add("%s lies outside the drawing (%.0f×%.0f): %+v", p.what, d.W, d.H, p.r)
		}
	}
	for _, f := range d.Frames {
		if !in(Rect{f.X, f.Y, f.W, f.H}) {
			c.add("the frame %q lies outside the drawing", f.Title)
		}
		if t := f.TitleRect(); f.Title != "" && t.X+t.W > f.X+f.W-4*c.k {
			c.add("the title %q is wider than its frame", f.Title)
		}
	}
	for i, e := range d.Edges {
		if len(e.Points) < 2 {
			c.add("edge %d has %d points", i, len(e.Points))
			continue
		}
		for _, p := range e.Points {
			if !in(Rect{p.X, p.Y, 0, 0}) {
				c.add("edge %d leaves the drawing at (%.0f, %.0f)", i, p.X, p.Y)
				break
			}
		}
	}
	for _, p := range d.Dots {
		if !in(Rect{p.X, p.Y, 0, 0}) {
			c.add("a tap lies outside the drawing at (%.0f, %.0f)", p.X, p.Y)
		}
	}
	for _, b := range d.Boxes {
		f := b.Face()
		if w := math.Max(TextWidth(b.Label, b.LabelSize()), TextWidth(b.Detail, b.DetailSize())); w > f.W-2*boxPadding*c.k+snap && f.W >= f.H {
			c.add("the label of box %q needs %.0f px, its face has %.0f", boxName(b), w, f.W-2*boxPadding*c.k)
		}
	}
}

func overlap(a, b Rect) bool {
	const eps = 0.01
	return a.X < b.X+b.W-eps && b.X < a.X+a.W-eps && a.Y < b.Y+b.H-eps && b.Y < a.Y+a.H-eps
}

func (c *checker) writingOverlaps() {
	for i, p := range c.pieces {
		for _, k := range c.near(p.r) {
			if k <= i || !overlap(p.r, c.pieces[k].r) {
				continue
			}
			q := c.pieces[k]
			if p.join >= 0 && q.join < 0 && q.box < 0 || q.join >= 0 && p.join < 0 && p.box < 0 {
				// A join's circle and writing: only the circle itself counts.
				j := c.d.Joins[max(p.join, q.join)]
				r := p.r
				if p.join >= 0 {
					r = q.r
				}
				if !circleMeetsRect(j, r) {
					continue
				}
			}
			c.add("%s and %s overlap", p.what, q.what)
		}
	}
}

// circleMeetsRect reports whether a join's circle and a rectangle share any inside.
func circleMeetsRect(j Join, r Rect) bool {
	x := math.Max(r.X, math.Min(j.X, r.X+r.W))
	y := math.Max(r.Y, math.Min(j.Y, r.Y+r.H))
	return math.Hypot(j.X-x, j.Y-y) < j.R-snap
}

// edgesCross finds segments that run through a box's inside, a join's circle or any
// writing. An edge enters and leaves its shapes on their outlines, so the insides
// (less a pixel) are never crossed by a well-drawn edge, its own shapes included.
func (c *checker) edgesCross() {
	for i, e := range c.d.Edges {
		for s := 1; s < len(e.Points); s++ {
			a, b := e.Points[s-1], e.Points[s]
			span := Rect{math.Min(a.X, b.X), math.Min(a.Y, b.Y), math.Abs(b.X - a.X), math.Abs(b.Y - a.Y)}
			for _, k := range c.near(span) {
				p := c.pieces[k]
				var hit bool
				if p.join >= 0 {
					j := c.d.Joins[p.join]
					hit = segmentDistance(j.X, j.Y, a, b) < j.R-1
				} else {
					hit = segmentThrough(a, b, p.r, 1)
				}
				if hit {
					c.add("edge %d runs through %s from (%.0f, %.0f) to (%.0f, %.0f)", i, p.what, a.X, a.Y, b.X, b.Y)
				}
			}
		}
	}
}

// segmentDistance is the distance from (x, y) to the segment a–b.
func segmentDistance(x, y float64, a, b Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((x-a.X)*dx+(y-a.Y)*dy)/l))
	}
	return math.Hypot(a.X+t*dx-x, a.Y+t*dy-y)
}

// segmentThrough reports whether the segment a–b runs through the inside of r, less
// inset each side, by clipping it to r (Liang–Barsky).
func segmentThrough(a, b Point, r Rect, inset float64) bool {
	lo, hi := 0.0, 1.0
	dx, dy := b.X-a.X, b.Y-a.Y
	for _, c := range [4][2]float64{
		{-dx, a.X - (r.X + inset)}, {dx, r.X + r.W - inset - a.X},
		{-dy, a.Y - (r.Y + inset)}, {dy, r.Y + r.H - inset - a.Y},
	} {
		p, q := c[0], c[1]
		switch {
		case p == 0:
			if q < 0 {
				return false
			}
		case p < 0:
			lo = math.Max(lo, q/p)
		default:
			hi = math.Min(hi, q/p)
		}
	}
	return hi-lo > 1e-6
}

// onOutline reports which shape, if any, has p on its outline: a box's index, or
// len(Boxes) + a join's index; -1 for none.
func (c *checker) onOutline(p Point) int {
	for _, k := range c.near(Rect{p.X - snap, p.Y - snap, 2 * snap, 2 * snap}) {
		q := c.pieces[k]
		switch {
		case q.box >= 0:
			b := q.r
			inX := p.X >= b.X-snap && p.X <= b.X+b.W+snap
			inY := p.Y >= b.Y-snap && p.Y <= b.Y+b.H+snap
			onX := math.Abs(p.X-b.X) < snap || math.Abs(p.X-b.X-b.W) < snap
			onY := math.Abs(p.Y-b.Y) < snap || math.Abs(p.Y-b.Y-b.H) < snap
			if inX && inY && (onX || onY) {
				return q.box
			}
		case q.join >= 0:
			j := c.d.Joins[q.join]
			if math.Abs(math.Hypot(p.X-j.X, p.Y-j.Y)-j.R) < snap {
				return len(c.d.Boxes) + q.join
			}
		}
	}
	return -1
}

// wireGrid files the edges' segments by cell, for finding the edges near a point.
func (c *checker) wireGrid() map[[2]int][][2]int {
	g := map[[2]int][][2]int{}
	for i, e := range c.d.Edges {
		for s := 1; s < len(e.Points); s++ {
			a, b := e.Points[s-1], e.Points[s]
			r := Rect{math.Min(a.X, b.X) - snap, math.Min(a.Y, b.Y) - snap, math.Abs(b.X-a.X) + 2*snap, math.Abs(b.Y-a.Y) + 2*snap}
			for _, cell := range cellsOf(r) {
				g[cell] = append(g[cell], [2]int{i, s})
			}
		}
	}
	return g
}

func (c *checker) edgesAttached() {
	d := c.d
	wires := c.wireGrid()
	onOtherEdge := func(p Point, self int) bool {
		for _, ws := range wires[[2]int{cellOf(p.X), cellOf(p.Y)}] {
			if ws[0] == self {
				continue
			}
			pts := d.Edges[ws[0]].Points
			if segmentDistance(p.X, p.Y, pts[ws[1]-1], pts[ws[1]]) < snap {
				return true
			}
		}
		return false
	}
	// The network's input and output, or one stage's, are drawn at the margins along
	// the flow.
	m := margin * c.k
	atEnd := func(p Point) bool {
		if d.Dir == "lr" {
			return math.Abs(p.X-m) < snap || math.Abs(p.X-(d.W-m)) < snap
		}
		return math.Abs(p.Y-m) < snap || math.Abs(p.Y-(d.H-m)) < snap
	}
	for i, e := range d.Edges {
		if len(e.Points) < 2 {
			continue
		}
		for _, end := range []Point{e.Points[0], e.Points[len(e.Points)-1]} {
			if c.onOutline(end) < 0 && !onOtherEdge(end, i) && !atEnd(end) {
				c.add("edge %d ends at (%.0f, %.0f), on no box, join or other edge", i, end.X, end.Y)
			}
		}
	}
}

func (c *checker) arrowPiles() {
	tips := map[int][]Point{}
	for _, e := range c.d.Edges {
		if !e.Arrow || len(e.Points) < 2 {
			continue
		}
		end := e.Points[len(e.Points)-1]
		if s := c.onOutline(end); s >= 0 {
			tips[s] = append(tips[s], end)
		}
	}
	for s, list := range tips {
		for i := range list {
			for k := i + 1; k < len(list); k++ {
				if math.Hypot(list[i].X-list[k].X, list[i].Y-list[k].Y) < arrowClearance*c.k {
					c.add("arrowheads pile up on %s at (%.0f, %.0f)", c.shapeName(s), list[i].X, list[i].Y)
				}
			}
		}
	}
}

func (c *checker) shapeName(s int) string {
	if s < len(c.d.Boxes) {
		return fmt.Sprintf("box %q", boxName(c.d.Boxes[s]))
	}
	return fmt.Sprintf("join %q", c.d.Joins[s-len(c.d.Boxes)].Layer)
}

// bundles finds two wires of different edges that run side by side, parallel and
// closer than bundleGap but not on each other, for longer than bundleRun.
func (c *checker) bundles() {
	type run struct {
		edge       int
		at, lo, hi float64 // a horizontal run at y = at from x = lo to hi, or a vertical one
	}
	var runs [2][]run // horizontal, vertical
	for i, e := range c.d.Edges {
		for s := 1; s < len(e.Points); s++ {
			a, b := e.Points[s-1], e.Points[s]
			switch {
			case math.Abs(a.Y-b.Y) < snap && math.Abs(a.X-b.X) >= bundleRun*c.k:
				runs[0] = append(runs[0], run{i, a.Y, math.Min(a.X, b.X), math.Max(a.X, b.X)})
			case math.Abs(a.X-b.X) < snap && math.Abs(a.Y-b.Y) >= bundleRun*c.k:
				runs[1] = append(runs[1], run{i, a.X, math.Min(a.Y, b.Y), math.Max(a.Y, b.Y)})
			}
		}
	}
	for dir, list := range runs {
		// File runs by the cells they cover (across, along), so that only runs near each
		// other are compared: a run with those of its cells and of the next cells across.
		byCell := map[[2]int][]int{}
		for i, r := range list {
			for along := cellOf(r.lo); along <= cellOf(r.hi); along++ {
				byCell[[2]int{cellOf(r.at), along}] = append(byCell[[2]int{cellOf(r.at), along}], i)
			}
		}
		reported := map[[2]int]bool{}
		for i, r := range list {
			for along := cellOf(r.lo); along <= cellOf(r.hi); along++ {
				for _, across := range []int{cellOf(r.at), cellOf(r.at) + 1} {
					for _, k := range byCell[[2]int{across, along}] {
						q := list[k]
						if k <= i && across == cellOf(r.at) || q.edge == r.edge {
							continue
						}
						gap := math.Abs(q.at - r.at)
						shared := math.Min(r.hi, q.hi) - math.Max(r.lo, q.lo)
						pair := [2]int{min(r.edge, q.edge), max(r.edge, q.edge)}
						if gap >= snap && gap < bundleGap*c.k && shared >= bundleRun*c.k && !reported[pair] {
							reported[pair] = true
							axis := "horizontal"
							if dir == 1 {
								axis = "vertical"
							}
							c.add("edges %d and %d run %s side by side %.1f px apart for %.0f px", pair[0], pair[1], axis, gap, shared)
						}
					}
				}
			}
		}
	}
}

// reachable counts how each layer of Of is reached from the drawing: each exactly once.
func (c *checker) reachable(r *engine.Report) {
	d := c.d
	if r == nil || d.Of.Last < d.Of.First {
		return
	}
	index := make(map[string]int, len(r.Layers))
	for i := range r.Layers {
		index[r.Layers[i].Name] = i
	}
	// A layer is reached once, or, in a streams drawing, once on each device it runs on.
	count := make([]map[int]int, d.Of.Last-d.Of.First+1) // layer → stream → times
	devices := 0
	for _, b := range d.Boxes {
		devices = max(devices, b.Stream)
	}
	reach := func(i, stream int) {
		if i < d.Of.First || i > d.Of.Last {
			c.add("layer %d, outside the layers drawn (%d to %d), is drawn", i, d.Of.First, d.Of.Last)
			return
		}
		if count[i-d.Of.First] == nil {
			count[i-d.Of.First] = map[int]int{}
		}
		count[i-d.Of.First][stream]++
	}
	byName := func(name string, stream int) {
		i, ok := index[name]
		if !ok {
			c.add("the drawing names %q, which is no layer of the report", name)
			return
		}
		reach(i, stream)
	}
	for _, b := range d.Boxes {
		if b.Layer != "" {
			byName(b.Layer, b.Stream)
		}
		for _, f := range b.Folded {
			byName(f, b.Stream)
		}
	}
	for _, j := range d.Joins {
		byName(j.Layer, 0)
		for _, f := range j.Folded {
			byName(f, 0)
		}
	}
	for _, s := range d.Stood {
		for i := s.First; i <= s.Last; i++ {
			reach(i, 0)
		}
	}
	for i, by := range count {
		once := len(by) == 1 && by[0] == 1
		perDevice := devices > 0 && len(by) == devices && by[0] == 0
		for dev := 1; perDevice && dev <= devices; dev++ {
			perDevice = by[dev] == 1
		}
		if !once && !perDevice {
			c.add("layer %s is reached %s from the drawing", r.Layers[d.Of.First+i].Name, reachText(by))
		}
	}
}

// reachText says how often a layer is reached, and on which devices.
func reachText(by map[int]int) string {
	total := 0
	for _, k := range by {
		total += k
	}
	if len(by) <= 1 {
		return fmt.Sprintf("%d times", total)
	}
	return fmt.Sprintf("%d times, on %d streams", total, len(by))
}
