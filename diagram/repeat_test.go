package diagram

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// blockViews are the representative view in every direction and size the atlas draws
// it: the page's default (stages of too many boxes collapsed), nothing collapsed, left to
// right, and presentation mode's enlargement.
var blockViews = []Options{
	{Dir: "tb", Blocks: true, AutoCollapse: DefaultAutoCollapse},
	{Dir: "tb", Blocks: true},
	{Dir: "lr", Blocks: true},
	{Dir: "tb", Blocks: true, AutoCollapse: DefaultAutoCollapse, Scale: 1.5},
	{Dir: "lr", Blocks: true, Expand: map[string]bool{"conv4_x": true, "denseblock2": true}},
}

func bracketCounts(d *Diagram) []string {
	var out []string
	for _, b := range d.Brackets {
		out = append(out, b.Stage+" "+b.Label)
	}
	return out
}

// Runs read as the papers' tables write them. ResNet's Table 1 (He et al. 2015): 3, 4,
// 6, 3 bottlenecks for ResNet-50 and -101's 3, 4, 23, 3 and -152's 3, 8, 36, 3; the
// CIFAR ResNets 3 stages of n = 18 (110 layers) and 200 (1202). DenseNet-121's blocks
// have 6, 12, 24, 16 layers (Huang et al. 2017, Table 1): the first layer of a block,
// with no concatenation before it, is drawn, then the second for the n − 1 others.
// MobileNetV2's Table 2 (Sandler et al. 2018): n = 3, 4, 3, 3 for the stages of 32, 64,
// 96 and 160 channels, whose first (expanding, strided) block has no shortcut and is
// drawn on its own. NASNet-A's stacks of 4 normal cells (Zoph et al. 2017), the first
// of each reading a reduced input.
func TestRunsAreThePapers(t *testing.T) {
	reps := catalogueReports(t)
	for _, c := range []struct {
		id   string
		want []string
	}{
		{"resnet50", []string{"conv2_x ×3", "conv3_x ×4", "conv4_x ×6", "conv5_x ×3"}},
		{"resnet101", []string{"conv2_x ×3", "conv3_x ×4", "conv4_x ×23", "conv5_x ×3"}},
		{"resnet152", []string{"conv2_x ×3", "conv3_x ×8", "conv4_x ×36", "conv5_x ×3"}},
		{"se_resnet50", []string{"conv2_x ×3", "conv3_x ×4", "conv4_x ×6", "conv5_x ×3"}},
		{"resnet110", []string{"stage1 ×18", "stage2 ×18", "stage3 ×18"}},
		{"resnet1202", []string{"stage1 ×200", "stage2 ×200", "stage3 ×200"}},
		{"densenet121", []string{"denseblock1 ×5", "denseblock2 ×11", "denseblock3 ×23", "denseblock4 ×15"}},
		{"mobilenet_v2", []string{"bottleneck3 ×2", "bottleneck4 ×3", "bottleneck5 ×2", "bottleneck6 ×2"}},
		{"nasnet_a_mobile", []string{"normal_1 ×3", "normal_2 ×3", "normal_3 ×3"}},
		{"vgg16", nil},
		{"alexnet", nil},
		{"googlenet", nil}, // every inception module differs in its widths
	} {
		d, err := Layout(reps[c.id], Options{Dir: "tb", Blocks: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := bracketCounts(d); !slices.Equal(got, c.want) {
			t.Errorf("%s: runs %q, want %q", c.id, got, c.want)
		}
		if HasRepeats(reps[c.id]) != (len(c.want) > 0) {
			t.Errorf("%s: HasRepeats is %v", c.id, !(len(c.want) > 0))
		}
	}
}

// A bracket writes its run's output and all its blocks' figures: for a ResNet stage,
// one run, those are the engine's stage subtotal's.
func TestBracketsWriteTheStagesFigures(t *testing.T) {
	r := catalogueReports(t)["resnet50"]
	d, err := Layout(r, Options{Dir: "tb", Blocks: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.Brackets {
		for _, st := range r.Stages {
			if st.Name != b.Stage {
				continue
			}
			want := []string{"→ " + st.Out.String(), fmt.Sprintf("all %d: %s params · %s MACs", b.Count, HumanCount(st.Params), HumanCount(st.MACs))}
			if !slices.Equal(b.Lines, want) {
				t.Errorf("%s: %q, want %q", st.Name, b.Lines, want)
			}
		}
	}
}

// Every layer is reached from the drawing exactly once: drawn in a box or a join (or
// inside one), or inside the blocks a bracket stands for, or inside a collapsed stage.
func TestRepresentativeViewReachesEveryLayerOnce(t *testing.T) {
	for id, r := range catalogueReports(t) {
		for _, opt := range blockViews {
			d, err := Layout(r, opt)
			if err != nil {
				t.Fatal(err)
			}
			seen := make([]int, len(r.Layers))
			for _, b := range d.Boxes {
				switch {
				case b.Index >= 0:
					seen[b.Index]++
				case b.Stage != "":
					for _, st := range r.Stages {
						if st.Name == b.Stage {
							for k := st.First; k <= st.Last; k++ {
								seen[k]++
							}
						}
					}
				}
				for _, f := range b.Folded {
					l, _ := r.Layer(f)
					seen[l.Index]++
				}
			}
			for _, j := range d.Joins {
				seen[j.Index]++
				for _, f := range j.Folded {
					l, _ := r.Layer(f)
					seen[l.Index]++
				}
			}
			for _, b := range d.Brackets {
				for k := b.Hidden[0]; k <= b.Hidden[1]; k++ {
					seen[k]++
				}
			}
			for k, n := range seen {
				if n != 1 {
					t.Errorf("%s %s: layer %s is reached %d times", id, optName(opt), r.Layers[k].Name, n)
				}
			}
		}
	}
}

func optName(o Options) string {
	return fmt.Sprintf("dir=%s auto=%d scale=%g expand=%v", o.Dir, o.AutoCollapse, o.Scale, o.Expand)
}

// The representative view keeps every invariant of the other views, and its brackets
// cross nothing: no box, join, frame title or edge covers a bracket's writing, none
// runs through its stroke, and the writing fits its place inside the drawing.
func TestRepresentativeViewInvariants(t *testing.T) {
	for id, r := range catalogueReports(t) {
		for _, opt := range blockViews {
			name := id + " " + optName(opt)
			d, err := Layout(r, opt)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkDiagram(t, name, r, d)
			checkBrackets(t, name, d)
		}
	}
}

func checkBrackets(t *testing.T, name string, d *Diagram) {
	t.Helper()
	var marks []Box // each bracket's writing and stroke
	for _, b := range d.Brackets {
		x, y, w, h := b.Bounds()
		if x < 0 || y < 0 || x+w > d.W+0.01 || y+h > d.H+0.01 {
			t.Errorf("%s: bracket %s %s lies outside the viewBox", name, b.Stage, b.Label)
		}
		s := max(b.Scale, 1)
		for _, l := range b.Writing() {
			size := detailSize
			if l.Bold {
				size = labelSize * 1.1
			}
			if TextWidth(l.Text, size)*s > b.W+0.01 || l.Y > b.Y+b.H+0.01 || l.Y-l.Size < b.Y-0.01 {
				t.Errorf("%s: bracket %s line %q overflows its writing %+v", name, b.Stage, l.Text, b)
			}
		}
		if l := b.Writing()[0]; l.Size < 11 {
			t.Errorf("%s: bracket %s's count is %g px", name, b.Stage, l.Size)
		}
		marks = append(marks, Box{X: x, Y: y, W: w, H: h, Label: b.Stage + " " + b.Label})
	}
	for i, m := range marks {
		for _, b := range d.Boxes {
			if overlaps(m, b) {
				t.Errorf("%s: bracket %s covers box %q", name, m.Label, b.Label)
			}
		}
		for _, j := range d.Joins {
			if overlaps(m, Box{X: j.X - j.R, Y: j.Y - j.R, W: 2 * j.R, H: 2 * j.R}) {
				t.Errorf("%s: bracket %s covers join %q", name, m.Label, j.Layer)
			}
		}
		for _, f := range d.Frames {
			if f.Title == "" {
				continue
			}
			sc := max(f.Scale, 1)
			title := Box{X: f.X + 10*sc, Y: f.Y + 5*sc, W: TextWidth(f.Title, detailSize) * sc, H: 13 * sc}
			if overlaps(m, title) {
				t.Errorf("%s: bracket %s covers the frame title %q", name, m.Label, f.Title)
			}
		}
		for k, e := range d.Edges {
			for p := 1; p < len(e.Points); p++ {
				if passesThrough(e.Points[p-1], e.Points[p], m) {
					t.Errorf("%s: edge %d runs through bracket %s", name, k, m.Label)
				}
			}
		}
		for k := i + 1; k < len(marks); k++ {
			if overlaps(m, marks[k]) {
				t.Errorf("%s: brackets %s and %s overlap", name, m.Label, marks[k].Label)
			}
		}
	}
}

// A layer a bracket stands for is hidden until its stage is expanded; the drawn block's
// are not; in the view of every block none is.
func TestStageHidesTheRunsOtherBlocks(t *testing.T) {
	r := catalogueReports(t)["resnet50"]
	idx := func(name string) int {
		l, ok := r.Layer(name)
		if !ok {
			t.Fatalf("no layer %s", name)
		}
		return l.Index
	}
	blocks := Options{Blocks: true, AutoCollapse: DefaultAutoCollapse}
	for _, c := range []struct {
		opt   Options
		layer string
		want  bool
	}{
		{blocks, "conv4_x.1.conv2", false},
		{blocks, "conv4_x.3.conv1", true},
		{blocks, "conv4_x.6.add", true},
		{Options{Blocks: true, Expand: map[string]bool{"conv4_x": true}}, "conv4_x.3.conv1", false},
		{Options{AutoCollapse: DefaultAutoCollapse}, "conv4_x.3.conv1", false},
		{Options{Collapse: map[string]bool{"conv4_x": true}}, "conv4_x.1.conv2", true},
	} {
		if got := StageHides(r, c.opt, "conv4_x", idx(c.layer)); got != c.want {
			t.Errorf("%s with %s: hidden %v, want %v", c.layer, optName(c.opt), got, c.want)
		}
	}
	if !StageReduced(r, blocks, "conv4_x") || StageReduced(r, blocks, "conv1") || StageReduced(r, Options{}, "conv4_x") {
		t.Error("StageReduced: conv4_x is drawn once per run, conv1 whole; without Blocks every stage whole")
	}
}

// An expanded stage of the representative view draws every block and says its toggle
// goes back to one block per run; a dense block drawn by two layers is titled with all
// of its own.
func TestExpandedRunsAndDenseTitles(t *testing.T) {
	reps := catalogueReports(t)
	d, err := Layout(reps["resnet50"], Options{Blocks: true, Expand: map[string]bool{"conv4_x": true}})
	if err != nil {
		t.Fatal(err)
	}
	if got := bracketCounts(d); !slices.Equal(got, []string{"conv2_x ×3", "conv3_x ×4", "conv5_x ×3"}) {
		t.Errorf("runs %q with conv4_x expanded", got)
	}
	for _, f := range d.Frames {
		if f.Stage != "" && f.Runs != (f.Stage == "conv4_x") {
			t.Errorf("frame %s: Runs %v", f.Stage, f.Runs)
		}
	}
	if n := countJoins(d, "add"); n != 3+6 {
		t.Errorf("%d additions, want conv4_x's 6 and one per other stage", n)
	}
	d, err = Layout(reps["densenet121"], Options{Blocks: true})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, f := range d.Frames {
		if f.Kind == "dense" {
			titles = append(titles, f.Title)
		}
	}
	if want := []string{"dense block: 6 layers", "dense block: 12 layers", "dense block: 24 layers", "dense block: 16 layers"}; !slices.Equal(titles, want) {
		t.Errorf("dense titles %q, want %q", titles, want)
	}
}

// The representative view makes the deep networks short: ResNet-50's default drawing
// is under 1,600 px, and none of the catalogue grows taller than its drawing of every
// block by more than its brackets' writing could add.
func TestRepresentativeViewIsShort(t *testing.T) {
	reps := catalogueReports(t)
	d, err := Layout(reps["resnet50"], Options{Dir: "tb", Blocks: true, AutoCollapse: DefaultAutoCollapse})
	if err != nil {
		t.Fatal(err)
	}
	if d.H >= 1600 {
		t.Errorf("ResNet-50 is %.0f px tall, want under 1,600", d.H)
	}
	for id, r := range reps {
		full, _ := Layout(r, Options{Dir: "tb", AutoCollapse: DefaultAutoCollapse})
		blocks, _ := Layout(r, Options{Dir: "tb", AutoCollapse: DefaultAutoCollapse, Blocks: true})
		// A stage collapsed by its size in the drawing of every block may open when its
		// runs are drawn once (PreAct-ResNet-164's 18 bottlenecks a stage: its first
		// block and one for the 17 others).
		if blocks.H > math.Max(full.H, 2400)+1 {
			t.Errorf("%s: %.0f px tall drawn once per run, %.0f drawn whole", id, blocks.H, full.H)
		}
		if strings.HasPrefix(id, "resnet") && id != "resnet18" && blocks.H > 0.75*math.Max(full.H, 1400) {
			t.Errorf("%s: %.0f px tall drawn once per run, %.0f drawn whole", id, blocks.H, full.H)
		}
	}
}

// The representative view's reading of the runs, and its layout, for the largest network
// of the catalogue (ResNet-1202, 4,208 layers).
func BenchmarkRepresentativeView(b *testing.B) {
	r := catalogueReports(b)["resnet1202"]
	b.Run("HasRepeats", func(b *testing.B) {
		for b.Loop() {
			HasRepeats(r)
		}
	})
	b.Run("Layout", func(b *testing.B) {
		for b.Loop() {
			if _, err := Layout(r, Options{Blocks: true, AutoCollapse: DefaultAutoCollapse}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// overlaps reports whether two rectangles share more than an edge.
func overlaps(a, b Box) bool {
	return Rect{a.X, a.Y, a.W, a.H}.OverlapArea(Rect{b.X, b.Y, b.W, b.H}) > 1e-4
}

// passesThrough reports whether the segment a–b runs through the inside of box.
func passesThrough(a, b Point, box Box) bool {
	return segmentThrough(a, b, Rect{box.X, box.Y, box.W, box.H}, 1)
}
