package archdefs

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"convatlas/engine"
)

// FuzzParse feeds the loader and the engine arbitrary definitions: no panic, no hang,
// and every error an *engine.Error with a sane position.
func FuzzParse(f *testing.F) {
	entries, _ := os.ReadDir("catalogue")
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".yaml" {
			if src, err := os.ReadFile(filepath.Join("catalogue", e.Name())); err == nil && len(src) < 4000 {
				f.Add(src)
			}
		}
	}
	for _, s := range []string{"{{},<<}", "0::", "a: &a [*a]", "id: x\ninput: {c: 3, h: 8, w: 8}\nlayers: [{conv: {out: 4, k: 9}}]",
		"id: x\ninput: [3, 8, 8]\nlayers: [{repeat: 3, layers: [relu]}, {dense: {n: 2, layer: [{conv: {out: 2, k: 1}}]}}]",
		"id: x\ninput: {c: 4, h: 8, w: 8}\nlayers: [{cell: {inputs: [x, p], nodes: [{name: a, from: p, layers: [relu]}], output: {concat: [a, x]}}}]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		a, err := Parse("fuzz.yaml", src)
		if err != nil {
			var e *engine.Error
			if !errors.As(err, &e) || e.Pos.Line < 0 || e.Pos.Column < 0 {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		r, err := engine.Analyze(a.Model, engine.Options{Limits: engine.Limits{MaxLayers: 5000, MaxNesting: 32, MaxChannels: 1 << 12, MaxSpatial: 512, MaxFeatures: 1 << 16}})
		if err != nil {
			var e *engine.Error
			if !errors.As(err, &e) {
				t.Fatalf("analysis error %T %v", err, err)
			}
			return
		}
		t2 := r.Totals
		if t2.Params < 0 || t2.MACs < 0 || t2.Activations < 0 || t2.Trainable != t2.Params {
			t.Fatalf("totals %+v", t2)
		}
		for i := range r.Layers {
			_ = r.Explain(i)
		}
		checkCost(t, a.Model, r)
	})
}

// checkCost holds the cost model to what the analysis made: the estimate is never
// below the layers, edges and blocks of the report, and the JSON report is at most
// k × (layers + edges) bytes for a small k.
func checkCost(t *testing.T, m *engine.Model, r *engine.Report) {
	t.Helper()
	c, err := engine.Estimate(m, engine.Limits{})
	if err != nil {
		t.Fatalf("analysed, yet estimated as too costly: %v", err)
	}
	edges := 0
	for _, l := range r.Layers {
		edges += len(l.Inputs)
	}
	if c.Layers < int64(len(r.Layers)) || c.Edges < int64(edges) || c.Blocks < int64(len(r.Blocks)) {
		t.Fatalf("estimate %+v below the report's %d layers, %d edges, %d blocks", c, len(r.Layers), edges, len(r.Blocks))
	}
	out, err := json.Marshal(r.JSON(true))
	if err != nil {
		t.Fatal(err)
	}
	// Every layer's figures with their formulas take a few hundred bytes.
	if units := len(r.Layers) + edges; len(out) > 2048*units+1024 {
		t.Fatalf("%d bytes of JSON for %d layers and %d edges", len(out), len(r.Layers), edges)
	}
}
