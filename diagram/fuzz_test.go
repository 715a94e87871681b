package diagram

import (
	"testing"
	"time"

	"convatlas/archdefs"
	"convatlas/engine"
)

// FuzzLayout lays out any definition that analyses: no panic, and the diagram keeps
// its invariants (Diagram.Problems), in every view of the catalogue test.
func FuzzLayout(f *testing.F) {
	for _, s := range []string{
		"id: x\ninput: {c: 3, h: 32, w: 32}\nlayers: [{conv: {out: 8, k: 3}}, {branch: {merge: add, paths: [[relu], [bn]]}}]",
		"id: x\ninput: {c: 8, h: 16, w: 16}\nlayers: [{residual: {body: [{conv: {out: 16, k: 3, s: 2, p: 1}}], shortcut: auto}}, {dense: {n: 3, layer: [bn, {conv: {out: 4, k: 3, p: 1}}]}}]",
		"id: x\ninput: {c: 3, h: 16, w: 16}\nlayers: [{conv: {out: 4, k: 3}, title: C1}, {branch: {merge: concat, paths: [[relu], [bn]]}, title: \"m (1)\"}, {stage: s, title: S, layers: [{residual: {body: [relu]}, title: R}]}]",
		"id: x\ninput: {c: 4, h: 8, w: 8}\nlayers: [{stage: s, layers: [{aux: a, layers: [gap, {fc: 3}]}, relu]}, {cell: {inputs: [x, p], nodes: [{name: a, from: p, layers: [relu]}, {name: b, add: [a, x]}], output: {concat: [b, a]}}}]",
		// A cell of four bands: states that pass bands take the channel, a merge of a
		// merge, a concatenation inside the cell.
		"id: x\ninput: {c: 4, h: 8, w: 8}\nlayers: [{conv: {out: 4, k: 1}}, {cell: {inputs: [x, p], nodes: [{name: a, from: x, layers: [relu]}, {name: b, from: p, layers: [{conv: {out: 4, k: 3, p: 1}}]}, {name: c, add: [a, b]}, {name: d, from: c, layers: [{maxpool: {k: 3, s: 1, p: 1}}]}, {name: e, add: [d, a]}, {name: f, concat: [e, x]}], output: {concat: [f, b, c]}}}]",
		"id: x\ninput: {c: 8, h: 16, w: 16}\nblocks: {b: {args: [s], residual: {body: [{conv: {out: 8, k: 3, s: $s, p: 1}}, relu], shortcut: auto}}}\nlayers: [{stage: s, layers: [{use: {b: {s: 2}}}, {repeat: 3, use: {b: {s: 1}}}, {dense: {n: 3, layer: [bn, {conv: {out: 4, k: 3, p: 1}}]}}]}]",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, src []byte, mode uint8) {
		a, err := archdefs.Parse("fuzz.yaml", src)
		if err != nil {
			return
		}
		r, err := engine.Analyze(a.Model, engine.Options{Limits: engine.Limits{MaxLayers: 2000, MaxNesting: 24, MaxChannels: 1 << 12, MaxSpatial: 512, MaxFeatures: 1 << 16}})
		if err != nil {
			return
		}
		view := layoutViews[int(mode)%len(layoutViews)]
		if !view.of(r) {
			return
		}
		start := time.Now()
		d, err := Layout(r, view.opt)
		if err != nil {
			t.Fatal(err)
		}
		checkDiagram(t, "fuzz "+view.name, r, d)
		// The cost property: what a diagram holds grows at most
		// linearly with the report's layers, edges and blocks.
		edges := 0
		for _, l := range r.Layers {
			edges += len(l.Inputs)
		}
		units := len(r.Layers) + edges + len(r.Blocks)
		if parts := len(d.Boxes) + len(d.Joins) + len(d.Edges) + len(d.Dots) + len(d.Frames); parts > 4*units+4 {
			t.Fatalf("%d parts drawn for %d layers, %d edges and %d blocks", parts, len(r.Layers), edges, len(r.Blocks))
		}
		// Within these limits (2,000 layers) a diagram takes milliseconds; seconds would
		// mean work growing faster than the report (as the arrowheads once did).
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("layout took %v for %d units", took, units)
		}
	})
}
