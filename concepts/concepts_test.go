package concepts

import (
	"strings"
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

func TestLectureDefaults(t *testing.T) {
	s, err := Stacked(64, 3, 56)
	if err != nil {
		t.Fatal(err)
	}
	// Three 3×3 layers see 7×7 with 3·3²C² weights against 7²C².
	if got := s.Rows[0].Values; got[0] != "7×7" || got[1] != "7×7" {
		t.Errorf("fields %v", got)
	}
	if got := s.Rows[1].Values; got[0] != engine.Group(3*9*64*64) || got[1] != engine.Group(49*64*64) {
		t.Errorf("params %v", got)
	}
	inc, err := Inception(28, 256, 128, 192, 96, 64)
	if err != nil {
		t.Fatal(err)
	}
	if got := inc.Rows[0].Values; got[0] != "28×28×672" || got[1] != "28×28×480" {
		t.Errorf("outputs %v", got)
	}
	// REFERENCES.md: the naive module's 854,196,224 ops; the six bottleneck terms add to 271,351,808.
	if got := inc.Rows[1].Values; got[0] != "854,196,224" || got[1] != "271,351,808" {
		t.Errorf("ops %v", got)
	}
	if !strings.Contains(strings.Join(inc.Notes, " "), "358M") {
		t.Error("the correction of the lecture's 358M is not shown")
	}
	sep, err := Separable(32, 64, 3, 112)
	if err != nil {
		t.Fatal(err)
	}
	if got := sep.Rows[0].Values; got[0] != engine.Group(32*9*64) || got[1] != engine.Group(9*32+32*64) {
		t.Errorf("separable params %v", got)
	}
	res, err := Residual(64, 3, 56)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0].Values; got[0] != got[1] {
		t.Errorf("identity shortcuts add parameters: %v", got)
	}
}

func TestTransferTrainableParameters(t *testing.T) {
	cat, _ := archdefs.Default()
	a, _ := cat.Get("resnet50")
	r, _ := engine.Analyze(a.Model, engine.Options{})
	calc, cells, frozen, err := Transfer(a, r, "little", "similar", "/concepts/transfer")
	if err != nil {
		t.Fatal(err)
	}
	// Only the final fully connected layer trains: 2048·1000 + 1000.
	if !strings.HasPrefix(calc.Rows[1].Values[0], "2,049,000 of 25,557,032") || len(cells) != 4 || r.Layers[frozen+1].Op != "fc" {
		t.Fatalf("%v, frozen through %s", calc.Rows[1].Values, r.Layers[frozen].Name)
	}
	calc, _, _, err = Transfer(a, r, "much", "similar", "/concepts/transfer")
	if err != nil || !strings.HasPrefix(calc.Rows[1].Values[0], "17,013,736 of") {
		t.Fatalf("much/similar: %v %v", calc.Rows[1].Values, err)
	}
	if _, _, _, err := Transfer(a, r, "some", "similar", ""); err == nil {
		t.Fatal("a bad cell was accepted")
	}
}
