package onnx

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"sort"
	"strings"
	"testing"

	"convatlas/engine"
)

// torchRef is one model of archdefs/testdata/torchvision.json (scripts/torchref.py).
type torchRef struct {
	Params, Buffers, MACs int64
	ParamsWithoutAux      *int64 `json:"params_without_aux"`
	BuffersWithoutAux     *int64 `json:"buffers_without_aux"`
	Stages                []struct {
		Module string
		Out    [3]int64
	}
	RF struct {
		Module            string
		Size, Jump, Start [2]int64
	}
}

func loadRefs(t *testing.T) map[string]torchRef {
	raw, err := os.ReadFile("../archdefs/testdata/torchvision.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	refs := map[string]torchRef{}
	for id, msg := range all {
		if strings.HasPrefix(id, "_") {
			continue
		}
		var r torchRef
		if err := json.Unmarshal(msg, &r); err != nil {
			t.Fatal(err)
		}
		refs[id] = r
	}
	return refs
}

// openTestdata opens a gzipped test model (scripts/onnx_testdata.py).
func openTestdata(t testing.TB, id string) io.Reader {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + id + ".onnx.gz")
	if err != nil {
		t.Fatal(err)
	}
	z, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func importFile(t testing.TB, id string) (*Import, *engine.Report) {
	t.Helper()
	g, err := Read(openTestdata(t, id), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	im, err := Convert(g, "m", "m")
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.Analyze(im.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return im, r
}

// moduleOutput is the output of a framework module: that of the last layer that came
// from it, a merge counting as the module's when its block's layers all are (the
// concatenation of an inception module, the addition of a residual block).
func moduleOutput(im *Import, r *engine.Report, module string) (engine.Shape, engine.RF, bool) {
	leafFrom := func(l *engine.Layer) bool {
		s := im.Scopes[l.Operation()]
		return s == module || strings.HasPrefix(s, module+".")
	}
	from := func(i int) bool {
		l := &r.Layers[i]
		if !l.IsMerge() {
			return leafFrom(l)
		}
		if l.Block < 0 {
			return false
		}
		b := r.Blocks[l.Block]
		leaves := 0
		for k := b.First; k <= b.Last; k++ {
			if k := &r.Layers[k]; !k.IsMerge() {
				if !leafFrom(k) {
					return false
				}
				leaves++
			}
		}
		return leaves > 0
	}
	for i := len(r.Layers) - 1; i >= 0; i-- {
		if from(i) {
			return r.Layers[i].Out, r.Layers[i].RF, true
		}
	}
	return engine.Shape{}, engine.RF{}, false
}

// Every torchvision network of the catalogue, exported by scripts/onnx_testdata.py with
// its batch norms, imports to torchvision's own figures.
func TestImportMatchesTorchvision(t *testing.T) {
	refs := loadRefs(t)
	ids := make([]string, 0, len(refs))
	for id := range refs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ref := refs[id]
		t.Run(id, func(t *testing.T) {
			im, r := importFile(t, id)
			params, buffers := ref.Params, ref.Buffers
			if ref.ParamsWithoutAux != nil {
				params, buffers = *ref.ParamsWithoutAux, *ref.BuffersWithoutAux
			}
			if r.Totals.Params != params || r.Totals.Buffers != buffers || r.Totals.MACs != ref.MACs {
				t.Errorf("params %d buffers %d MACs %d; torchvision %d, %d, %d", r.Totals.Params, r.Totals.Buffers, r.Totals.MACs, params, buffers, ref.MACs)
			}
			for _, st := range ref.Stages {
				out, _, ok := moduleOutput(im, r, st.Module)
				if !ok {
					t.Errorf("no stage or layer from %s", st.Module)
					continue
				}
				if got := [3]int64{out.C, out.H, out.W}; got != st.Out {
					t.Errorf("%s: %v, torchvision %v", st.Module, got, st.Out)
				}
			}
			_, rf, ok := moduleOutput(im, r, ref.RF.Module)
			got := [3][2]int64{{rf.H.Size, rf.W.Size}, {rf.H.Jump, rf.W.Jump}, {rf.H.Start, rf.W.Start}}
			if want := [3][2]int64{ref.RF.Size, ref.RF.Jump, ref.RF.Start}; !ok || got != want {
				t.Errorf("field of %s %v, measured on torchvision %v", ref.RF.Module, got, want)
			}
			if len(im.Cells) != 0 {
				t.Errorf("regions kept as cells: %v", im.Cells)
			}
		})
	}
}

// With the exporter's folding (EVAL mode), the batch norms are gone: the importer says
// which convolutions carry one, and what they change.
func TestFoldedBatchNorm(t *testing.T) {
	ref := loadRefs(t)["resnet18"]
	im, r := importFile(t, "resnet18_folded")
	if len(im.Folded) != 20 {
		t.Errorf("%d folded batch norms, resnet18 has 20", len(im.Folded))
	}
	p, b := im.FoldedFigures()
	if r.Totals.Buffers != 0 || r.Totals.Params+p != ref.Params || b != ref.Buffers {
		t.Errorf("file: %d params, %d buffers; with the folded batch norms %d and %d; torchvision %d and %d",
			r.Totals.Params, r.Totals.Buffers, r.Totals.Params+p, b, ref.Params, ref.Buffers)
	}
	if r.Totals.MACs != ref.MACs {
		t.Errorf("MACs %d, torchvision %d", r.Totals.MACs, ref.MACs)
	}
}
