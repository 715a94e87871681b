package onnx

import (
	"fmt"
	"sort"
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

// structure counts what a diagram draws: residual blocks, branches, dense blocks and
// squeeze-and-excitation gates.
func structure(r *engine.Report) string {
	k := map[engine.NodeKind]int{}
	for _, b := range r.Blocks {
		k[b.Kind]++
	}
	se := 0
	for i := range r.Layers {
		if r.Layers[i].Op == string(engine.OpSE) {
			se++
		}
	}
	return fmt.Sprintf("%d residual, %d branch, %d dense, %d SE", k[engine.KindResidual], k[engine.KindBranch], k[engine.KindDense], se)
}

// The import of every torchvision network of the catalogue draws the same residual
// blocks, branches, dense blocks and gates as the catalogue's definition.
func TestImportDrawsLikeTheCatalogue(t *testing.T) {
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	refs := loadRefs(t)
	ids := make([]string, 0, len(refs))
	for id := range refs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			a, ok := cat.Get(id)
			if !ok {
				t.Fatalf("%s is not in the catalogue", id)
			}
			want, err := engine.Analyze(a.Model, engine.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, got := importFile(t, id)
			if g, w := structure(got), structure(want); g != w {
				t.Errorf("imported: %s; catalogue: %s", g, w)
			}
		})
	}
}
