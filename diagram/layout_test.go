package diagram

import (
	"maps"
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

var all = map[string]bool{"all": true}

type layoutView struct {
	name string
	opt  Options
	has  func(*engine.Report) bool // nil: every network has the view
}

// of reports whether the network r has the view.
func (v layoutView) of(r *engine.Report) bool { return v.has == nil || v.has(r) }

// layoutViews are the views every catalogue entry must lay out cleanly, by name: a new
// view is one line.
//
// A view that only some networks have (streams) names which: only networks for which
// has is true are drawn in it.
var layoutViews = []layoutView{
	{"top-down", Options{Dir: "tb", AutoCollapse: DefaultAutoCollapse}, nil},
	{"left-right", Options{Dir: "lr", AutoCollapse: DefaultAutoCollapse}, nil},
	{"top-down expanded", Options{Dir: "tb", Expand: all}, nil},
	{"left-right expanded", Options{Dir: "lr", Expand: all}, nil},
	{"top-down collapsed", Options{Dir: "tb", Collapse: all}, nil},
	{"left-right collapsed", Options{Dir: "lr", Collapse: all}, nil},
	{"presentation", Options{Dir: "tb", AutoCollapse: DefaultAutoCollapse, Scale: 1.5}, nil},
	{"presentation left-right", Options{Dir: "lr", AutoCollapse: DefaultAutoCollapse, Scale: 1.5}, nil},
	{"paths", Options{Dir: "tb", Expand: all, Paths: true}, nil},
	{"paths left-right", Options{Dir: "lr", AutoCollapse: DefaultAutoCollapse, Paths: true}, nil},
	{"representative", Options{Dir: "tb", Blocks: true, AutoCollapse: DefaultAutoCollapse}, nil},
	{"representative left-right", Options{Dir: "lr", Blocks: true}, nil},
	{"representative presentation", Options{Dir: "tb", Blocks: true, Scale: 1.5}, nil},
	{"streams", Options{Dir: "tb", Streams: true}, HasStreams},
	{"streams left-right", Options{Dir: "lr", Streams: true}, HasStreams},
	{"streams presentation", Options{Dir: "tb", Streams: true, Scale: 1.5}, HasStreams},
}

// checkDiagram fails t with every problem of d (Diagram.Problems), at most a few per
// diagram so that one systematic fault does not bury the others.
func checkDiagram(t *testing.T, name string, r *engine.Report, d *Diagram) {
	t.Helper()
	problems := d.Problems(r)
	for i, p := range problems {
		if i == 5 {
			t.Errorf("%s: … and %d more problems", name, len(problems)-i)
			break
		}
		t.Errorf("%s: %s", name, p)
	}
}

func TestLayoutInvariantsOverTheCatalogue(t *testing.T) {
	reports := catalogueReports(t)
	ids := slices.Sorted(maps.Keys(reports))
	for _, view := range layoutViews {
		t.Run(view.name, func(t *testing.T) {
			for _, id := range ids {
				if !view.of(reports[id]) {
					continue
				}
				d, err := Layout(reports[id], view.opt)
				if err != nil {
					t.Errorf("%s: %v", id, err)
					continue
				}
				checkDiagram(t, id, reports[id], d)
			}
		})
	}
}

// Each stage drawn alone (the embed's stage=) keeps the invariants too.
func TestStageDiagramsKeepTheInvariants(t *testing.T) {
	reports := catalogueReports(t)
	for _, id := range slices.Sorted(maps.Keys(reports)) {
		r := reports[id]
		for _, st := range r.Stages {
			for _, dir := range []string{"tb", "lr"} {
				d, err := Layout(r, Options{Dir: dir, Stage: st.Name})
				if err != nil {
					t.Errorf("%s %s: %v", id, st.Name, err)
					continue
				}
				checkDiagram(t, id+" stage "+st.Name+" "+dir, r, d)
			}
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
	for _, view := range layoutViews {
		if !view.of(r) {
			continue
		}
		d, err := Layout(r, view.opt)
		if err != nil {
			t.Fatal(err)
		}
		checkDiagram(t, "empty stage "+view.name, r, d)
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
