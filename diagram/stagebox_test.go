package diagram

import (
	"strings"
	"testing"
)

// Collapsed stages count the blocks of their main path only, name mixed kinds in order,
// count auxiliary heads apart and give the main path's output: GoogLeNet's inception (4a)
// … (4e) and pool4, 7×7×832 (Szegedy et al. 2014, Table 1); Inception v3's Mixed_6a (a
// grid reduction) then Mixed_6b … 6e, 17×17×768 (torchvision's Mixed_6e output); NASNet-A
// Mobile 4 @ 1056 (Zoph et al. 2017): four normal cells per stack, the second stack's at
// 14×14 with 88 filters, each cell concatenating six of them, 6·88 = 528.
func TestCollapsedStagesStateTheirBlocks(t *testing.T) {
	reps := catalogueReports(t)
	for _, c := range []struct{ id, stage, title, out string }{
		{"googlenet", "inception_4", "inception_4: 5 × inception + 2 auxiliary heads", "7×7×832 "},
		{"inception_v3", "mixed_6", "mixed_6: reduction_b + 4 × inception_c + 1 auxiliary head", "17×17×768 "},
		{"nasnet_a_mobile", "normal_2", "normal_2: 4 × normal + 1 auxiliary head", "14×14×528 "},
		{"resnet50", "conv4_x", "conv4_x: 6 × bottleneck", "14×14×1024 "},
		// DenseNet-121's first block: 6 layers growing 64 channels by 32 (Huang et al. 2017, Table 1).
		{"densenet121", "denseblock1", "dense block (1): 6 dense layers", "56×56×256 "},
	} {
		d, err := Layout(reps[c.id], Options{Collapse: map[string]bool{c.stage: true}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, b := range d.Boxes {
			if b.Stage != c.stage {
				continue
			}
			found = true
			if b.Label != c.title || !strings.HasPrefix(b.Detail, c.out) {
				t.Errorf("%s %s: %q · %q, want %q · %q…", c.id, c.stage, b.Label, b.Detail, c.title, c.out)
			}
		}
		if !found {
			t.Errorf("%s: no collapsed %s box", c.id, c.stage)
		}
	}
}

// No collapsed stage anywhere in the catalogue reports an auxiliary head's output as the
// stage's: the box's output is the engine's stage subtotal's.
func TestCollapsedStageOutputIsTheMainPaths(t *testing.T) {
	for id, r := range catalogueReports(t) {
		d, err := Layout(r, Options{Collapse: map[string]bool{"all": true}})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range r.Stages {
			for _, b := range d.Boxes {
				if b.Stage == st.Name && !strings.HasPrefix(b.Detail, st.Out.String()+" ") {
					t.Errorf("%s %s: box says %q, the stage's output is %s", id, st.Name, b.Detail, st.Out)
				}
			}
		}
	}
}
