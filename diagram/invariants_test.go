package diagram

import (
	"strings"
	"testing"

	"convatlas/engine"
)

// Problems finds each fault it is meant to find, on small drawings made with that one
// fault, and finds nothing on the same drawing without it.
func TestProblemsFindsEachFault(t *testing.T) {
	r := &engine.Report{Layers: []engine.Layer{{Name: "a", Index: 0}, {Name: "b", Index: 1}}}
	// A clean drawing: two boxes, one edge between them, at scale 1.
	clean := func() *Diagram {
		return &Diagram{W: 300, H: 200, Dir: "tb", LabelSize: labelSize, DetailSize: detailSize,
			Boxes: []Box{
				{X: 20, Y: 16, W: 140, H: 42, Layer: "a", Index: 0, Label: "a", Kind: "conv"},
				{X: 20, Y: 100, W: 140, H: 42, Layer: "b", Index: 1, Label: "b", Kind: "conv"},
			},
			Edges: []Edge{{Points: []Point{{90, 58}, {90, 100}}, Arrow: true}},
			Of:    Span{First: 0, Last: 1},
		}
	}
	if p := clean().Problems(r); len(p) != 0 {
		t.Fatalf("a clean drawing has problems: %v", p)
	}
	for _, c := range []struct {
		fault string
		want  string
		make  func(d *Diagram)
	}{
		{"an edge through a box", "runs through box", func(d *Diagram) {
			d.Edges = append(d.Edges, Edge{Points: []Point{{10, 30}, {200, 30}}})
		}},
		{"an edge through a title", "runs through the title", func(d *Diagram) {
			d.Frames = []Frame{{X: 60, Y: 60, W: 200, H: 38, Title: "classifier", Scale: 1}}
			d.Edges[0].Points = []Point{{90, 58}, {90, 100}}
		}},
		{"tags over a box", "overlap", func(d *Diagram) {
			d.Joins = []Join{{X: 200, Y: 37, R: joinRadius, Layer: "b", Index: 1, Tags: "BN · ReLU", TagSide: TagsLeft}}
			d.Boxes = d.Boxes[:1]
			d.Edges = nil
		}},
		{"overlapping boxes", "overlap", func(d *Diagram) { d.Boxes[1].Y = 40 }},
		{"a box outside", "outside the drawing", func(d *Diagram) { d.Boxes[1].X = 250 }},
		{"a label wider than its box", "needs", func(d *Diagram) { d.Boxes[0].Label = strings.Repeat("m", 30) }},
		{"a loose edge", "on no box", func(d *Diagram) { d.Edges[0].Points[1] = Point{200, 80} }},
		{"piled arrowheads", "pile up", func(d *Diagram) {
			d.Edges = append(d.Edges, Edge{Points: []Point{{180, 58}, {180, 80}, {93, 80}, {93, 100}}, Arrow: true})
		}},
		{"a bundle", "side by side", func(d *Diagram) {
			d.Edges = append(d.Edges, Edge{Points: []Point{{120, 58}, {120, 80}, {94, 80}, {94, 100}}})
			d.Edges[0].Points = []Point{{90, 58}, {90, 100}}
		}},
		{"a layer drawn twice", "reached 2 times", func(d *Diagram) { d.Boxes[1].Folded = []string{"a"} }},
		{"a layer not drawn", "reached 0 times", func(d *Diagram) { d.Boxes[1].Layer = "" }},
		{"a layer drawn and stood for", "reached 2 times", func(d *Diagram) { d.Stood = []Span{{First: 1, Last: 1}} }},
	} {
		d := clean()
		c.make(d)
		problems := d.Problems(r)
		found := false
		for _, p := range problems {
			found = found || strings.Contains(p, c.want)
		}
		if !found {
			t.Errorf("%s: no problem saying %q in %q", c.fault, c.want, problems)
		}
	}
}

// The checker's cost on the catalogue's largest drawings: ResNet-1202 expanded (3,600
// boxes and joins) and NASNet-A mobile's cells.
func BenchmarkProblems(b *testing.B) {
	reports := catalogueReports(b)
	for _, id := range []string{"resnet1202", "nasnet_a_mobile"} {
		r := reports[id]
		d, err := Layout(r, Options{Dir: "tb", Expand: all})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(id, func(b *testing.B) {
			for b.Loop() {
				if p := d.Problems(r); len(p) != 0 {
					b.Fatal(p[0])
				}
			}
		})
	}
}
