package diagram

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

func catalogueReports(t testing.TB) map[string]*engine.Report {
	t.Helper()
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	reports, err := cat.Reports()
	if err != nil {
		t.Fatal(err)
	}
	return reports
}

// layoutViews are the views every catalogue entry must lay out cleanly.
var layoutViews = []Options{
	{Dir: "tb", AutoCollapse: DefaultAutoCollapse},
	{Dir: "tb", Expand: map[string]bool{"all": true}, Paths: true},
	{Dir: "tb", Expand: map[string]bool{"all": true}},
	{Dir: "lr", Expand: map[string]bool{"all": true}},
	{Dir: "lr", Collapse: map[string]bool{"all": true}},
	{Dir: "tb", Blocks: true, AutoCollapse: DefaultAutoCollapse}, // the representative view (repeat.go)
	{Dir: "lr", Blocks: true},
}

func overlaps(a, b Box) bool {
	const eps = 0.01
	return a.X < b.X+b.W-eps && b.X < a.X+a.W-eps && a.Y < b.Y+b.H-eps && b.Y < a.Y+a.H-eps
}

// onEdge reports whether p lies on a segment of any edge other than skip.
func onEdge(d *Diagram, p Point, skip int) bool {
	for i, e := range d.Edges {
		if i == skip {
			continue
		}
		for k := 1; k < len(e.Points); k++ {
			a, b := e.Points[k-1], e.Points[k]
			cross := (b.X-a.X)*(p.Y-a.Y) - (b.Y-a.Y)*(p.X-a.X)
			if math.Abs(cross) > 0.5*math.Hypot(b.X-a.X, b.Y-a.Y)+0.01 {
				continue
			}
			if p.X >= math.Min(a.X, b.X)-0.5 && p.X <= math.Max(a.X, b.X)+0.5 && p.Y >= math.Min(a.Y, b.Y)-0.5 && p.Y <= math.Max(a.Y, b.Y)+0.5 {
				return true
			}
		}
	}
	return false
}

// passesThrough reports whether the segment a–b runs through the inside of box (less
// a pixel each side), by clipping it to the box (Liang–Barsky).
func passesThrough(a, b Point, box Box) bool {
	lo, hi := 0.0, 1.0
	dx, dy := b.X-a.X, b.Y-a.Y
	for _, c := range [4][2]float64{
		{-dx, a.X - (box.X + 1)}, {dx, box.X + box.W - 1 - a.X},
		{-dy, a.Y - (box.Y + 1)}, {dy, box.Y + box.H - 1 - a.Y},
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

func checkDiagram(t *testing.T, name string, d *Diagram) {
	t.Helper()
	for i := range d.Boxes {
		b := d.Boxes[i]
		if b.X < 0 || b.Y < 0 || b.X+b.W > d.W || b.Y+b.H > d.H {
			t.Errorf("%s: box %q lies outside the viewBox %v×%v: %+v", name, b.Label, d.W, d.H, b)
		}
		if w := math.Max(TextWidth(b.Label, labelSize), TextWidth(b.Detail, detailSize)); w > b.W-b.Room-2*boxPadding+0.01 && b.W >= b.H {
			t.Errorf("%s: the label of %q needs %.0f px, the box face has %.0f", name, b.Label, w, b.W-b.Room-2*boxPadding)
		}
		for k := i + 1; k < len(d.Boxes); k++ {
			if overlaps(b, d.Boxes[k]) {
				t.Errorf("%s: boxes %q (%s) and %q (%s) overlap", name, b.Layer, b.Label, d.Boxes[k].Layer, d.Boxes[k].Label)
			}
		}
	}
	for _, j := range d.Joins {
		if j.X-j.R < 0 || j.Y-j.R < 0 || j.X+j.R > d.W || j.Y+j.R > d.H {
			t.Errorf("%s: join %q lies outside the viewBox", name, j.Layer)
		}
		for _, b := range d.Boxes {
			if overlaps(b, Box{X: j.X - j.R, Y: j.Y - j.R, W: 2 * j.R, H: 2 * j.R}) {
				t.Errorf("%s: join %q overlaps box %q", name, j.Layer, b.Layer)
			}
		}
	}
	// A frame's title, and an expanded stage's collapse link, are written in the frame's
	// top band: they cover no box and no other frame's writing.
	var writing []Box
	var whose []string
	for _, f := range d.Frames {
		if f.Title == "" {
			continue
		}
		scale := max(f.Scale, 1)
		title := Box{X: f.X + 10*scale, Y: f.Y + 5*scale, W: TextWidth(f.Title, detailSize) * scale, H: 13 * scale}
		writing, whose = append(writing, title), append(whose, f.Title)
		if f.Stage != "" {
			w := TextWidth(StageToggle, detailSize) * scale
			writing, whose = append(writing, Box{X: f.X + f.W - 10*scale - w, Y: title.Y, W: w, H: title.H}), append(whose, f.Title+"'s collapse link")
		}
	}
	for i, w := range writing {
		for _, b := range d.Boxes {
			if overlaps(w, b) {
				t.Errorf("%s: the frame title %q covers box %q", name, whose[i], b.Label)
			}
		}
		for k := i + 1; k < len(writing); k++ {
			if overlaps(w, writing[k]) {
				t.Errorf("%s: the frame titles %q and %q overlap", name, whose[i], whose[k])
			}
		}
	}
	for i, e := range d.Edges {
		for _, p := range e.Points {
			if p.X < 0 || p.Y < 0 || p.X > d.W || p.Y > d.H {
				t.Errorf("%s: edge %d leaves the viewBox at %+v", name, i, p)
			}
		}
		for _, end := range []Point{e.Points[0], e.Points[len(e.Points)-1]} {
			if !d.entersShape(end) && !onEdge(d, end, i) && !isDiagramEnd(d, end) {
				t.Errorf("%s: edge %d ends at %+v, on no box, join or other edge", name, i, end)
			}
		}
		for k := 1; k < len(e.Points); k++ {
			for _, b := range d.Boxes {
				if passesThrough(e.Points[k-1], e.Points[k], b) {
					t.Errorf("%s: edge %d runs through box %q (%s) from %+v to %+v", name, i, b.Layer, b.Label, e.Points[k-1], e.Points[k])
				}
			}
		}
	}
}

// isDiagramEnd accepts the input and output of the whole network, drawn at the
// margins.
func isDiagramEnd(d *Diagram, p Point) bool {
	return math.Abs(p.X-margin) < 0.5 || math.Abs(p.Y-margin) < 0.5 || math.Abs(p.X-(d.W-margin)) < 0.5 || math.Abs(p.Y-(d.H-margin)) < 0.5
}

func TestLayoutInvariantsOverTheCatalogue(t *testing.T) {
	for id, r := range catalogueReports(t) {
		for _, opt := range layoutViews {
			name := fmt.Sprintf("%s %s expand=%v collapse=%v", id, opt.Dir, opt.Expand, opt.Collapse)
			d, err := Layout(r, opt)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			checkDiagram(t, name, d)
		}
	}
}

func countJoins(d *Diagram, merge string) int {
	n := 0
	for _, j := range d.Joins {
		if j.Merge == merge {
			n++
		}
	}
	return n
}

func TestEveryLayerIsDrawnOnce(t *testing.T) {
	for id, r := range catalogueReports(t) {
		d, err := Layout(r, Options{Expand: map[string]bool{"all": true}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, b := range d.Boxes {
			if b.Layer != "" {
				seen[b.Layer]++
			}
			for _, f := range b.Folded {
				seen[f]++
			}
		}
		for _, j := range d.Joins {
			seen[j.Layer]++
			for _, f := range j.Folded {
				seen[f]++
			}
		}
		for _, l := range r.Layers {
			if seen[l.Name] != 1 {
				t.Errorf("%s: layer %s is drawn %d times", id, l.Name, seen[l.Name])
			}
		}
	}
}

func TestResNet50HasSixteenAdditions(t *testing.T) {
	r := catalogueReports(t)["resnet50"]
	d, err := Layout(r, Options{Expand: map[string]bool{"all": true}})
	if err != nil {
		t.Fatal(err)
	}
	if n := countJoins(d, "add"); n != 16 {
		t.Fatalf("%d additions, want 16", n)
	}
}

func TestCollapsedStageIsOneBox(t *testing.T) {
	r := catalogueReports(t)["resnet50"]
	d, err := Layout(r, Options{Collapse: map[string]bool{"conv4_x": true}})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.Boxes {
		if b.Stage == "conv4_x" {
			if b.Repeat != 6 || b.Label != "conv4_x: 6 × bottleneck" {
				t.Fatalf("collapsed box %+v", b)
			}
			return
		}
	}
	t.Fatal("no collapsed conv4_x box")
}

// A stage without layers (the engine accepts one; the loader refuses it) still lays
// out: found by FuzzLayout.
func TestEmptyStageLaysOut(t *testing.T) {
	m := &engine.Model{ID: "x", Input: engine.Shape{C: 1, H: 1, W: 1}, Root: &engine.Node{Kind: engine.KindSeq, Children: []*engine.Node{
		{Kind: engine.KindStage, Name: "s"}, {Kind: engine.KindLeaf, Op: engine.Op{Kind: engine.OpReLU}},
	}}}
	r, err := engine.Analyze(m, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range layoutViews {
		d, err := Layout(r, opt)
		if err != nil {
			t.Fatal(err)
		}
		checkDiagram(t, "empty stage", d)
	}
}

// Stepping by box walks exactly the layers a fully expanded diagram draws with a box or
// a join of their own, in the report's order, in both directions and with paths drawn.
func TestDrawnLayersAreTheDrawnBoxes(t *testing.T) {
	for id, r := range catalogueReports(t) {
		for _, opt := range []Options{{Dir: "tb", Expand: map[string]bool{"all": true}}, {Dir: "lr", Expand: map[string]bool{"all": true}, Paths: true}} {
			d, err := Layout(r, opt)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			var drawn []int
			for _, b := range d.Boxes {
				if b.Layer != "" {
					drawn = append(drawn, b.Index)
				}
			}
			for _, j := range d.Joins {
				drawn = append(drawn, j.Index)
			}
			slices.Sort(drawn)
			if got := DrawnLayers(r); !slices.Equal(got, drawn) {
				t.Errorf("%s %s: %d steps for %d drawn boxes and joins", id, opt.Dir, len(got), len(drawn))
			}
		}
	}
}
