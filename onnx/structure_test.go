package onnx

import (
	"fmt"
	"sort"
	"strings"
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

// stageRows describes each stage by what its boundaries decide: its output, its
// figures, its layers and the blocks that start in it. The layers counted are those
// that compute at inference: not an auxiliary classifier, dropout or stochastic depth,
// which an export in eval mode leaves out; nor a flatten, which only reshapes (after a
// mean over height and width there is none); nor a pool that keeps the map as it is,
// which torchvision adds and the paper does not draw.
func stageRows(r *engine.Report) []string {
	rows := make([]string, len(r.Stages))
	for i, st := range r.Stages {
		layers := 0
		for k := st.First; k <= st.Last; k++ {
			l := &r.Layers[k]
			op := engine.OpKind(l.Op)
			keeps := (op == engine.OpMaxPool || op == engine.OpAvgPool) && l.In == l.Out
			if !l.Aux && op != engine.OpDropout && op != engine.OpDropPath && op != engine.OpFlatten && !keeps {
				layers++
			}
		}
		k := map[engine.NodeKind]int{}
		for _, b := range r.Blocks {
			if b.First >= st.First && b.First <= st.Last {
				k[b.Kind]++
			}
		}
		rows[i] = fmt.Sprintf("%d×%d×%d, %d params, %d MACs, %d layers, %d residual, %d branch, %d dense",
			st.Out.C, st.Out.H, st.Out.W, st.Params, st.MACs, layers, k[engine.KindResidual], k[engine.KindBranch], k[engine.KindDense])
	}
	return rows
}

// stageDiff lists the two reports' stages side by side, marking those that differ; ""
// when all agree.
func stageDiff(got, want *engine.Report) string {
	g, w := stageRows(got), stageRows(want)
	var b strings.Builder
	differ := len(g) != len(w)
	for i := range max(len(g), len(w)) {
		gs, ws, gn, wn := "—", "—", "", ""
		if i < len(g) {
			gs, gn = g[i], got.Stages[i].Name
		}
		if i < len(w) {
			ws, wn = w[i], want.Stages[i].Name
		}
		mark := "  "
		if gs != ws {
			mark, differ = "≠ ", true
		}
		fmt.Fprintf(&b, "%s%-16s %s\n  %-16s %s\n", mark, gn, gs, wn, ws)
	}
	if !differ {
		return ""
	}
	return b.String()
}

// stagesDiffer lists the catalogue networks whose stages no rule of the importer's
// recovers from the graph, and why.
var stagesDiffer = map[string]string{
	"mobilenet_v2": "the catalogue follows the paper's table, a stage per row of blocks of one width " +
		"(64 and 96 at 14×14, 160 and 320 at 7×7, apart); MobileNetV3's, whose blocks sit in the same flat " +
		"list, groups by resolution (80 and 112 together at 14×14): the importer groups by resolution",
}

// The import of every torchvision network of the catalogue draws the same stages,
// residual blocks, branches, dense blocks and gates as the catalogue's definition: the
// stages' boundaries, recovered from the graph, put the same layers in each stage.
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
			diff := stageDiff(got, want)
			why, known := stagesDiffer[id]
			switch {
			case diff != "" && !known:
				t.Errorf("stages, imported above catalogue:\n%s", diff)
			case diff != "":
				t.Logf("stages differ as expected: %s:\n%s", why, diff)
			case known:
				t.Errorf("the stages now match the catalogue's: take %s out of stagesDiffer", id)
			}
		})
	}
}
