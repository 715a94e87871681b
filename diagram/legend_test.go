package diagram

import (
	"slices"
	"testing"
)

// The legend explains what the diagram draws: AlexNet draws no depthwise convolution,
// no mean and no activation box (its ReLUs are written inside the boxes before them).
func TestLegendListsTheKindsPresent(t *testing.T) {
	reps := catalogueReports(t)
	kinds := func(id string) []string {
		d, err := Layout(reps[id], Options{AutoCollapse: DefaultAutoCollapse})
		if err != nil {
			t.Fatal(err)
		}
		l := NewLegend(d)
		var out []string
		for _, k := range l.Kinds {
			out = append(out, k.Kind)
		}
		if l.Skip {
			out = append(out, "skip")
		}
		for _, m := range l.Merges {
			out = append(out, m.Kind)
		}
		return out
	}
	if got, want := kinds("alexnet"), []string{"conv", "pool", "fc", "norm"}; !slices.Equal(got, want) {
		t.Errorf("alexnet legend %v, want %v", got, want)
	}
	if got := kinds("mobilenet_v1"); !slices.Contains(got, "dwconv") {
		t.Errorf("mobilenet_v1 legend %v has no depthwise convolution", got)
	}
	if got := kinds("resnet50"); !slices.Contains(got, "skip") || !slices.Contains(got, "+") || slices.Contains(got, "C") {
		t.Errorf("resnet50 legend %v: want shortcuts and additions, no concatenation", got)
	}
}

// The legend explains the ×N bracket where one is drawn, and only there.
func TestLegendExplainsRuns(t *testing.T) {
	reps := catalogueReports(t)
	for _, c := range []struct {
		id   string
		opt  Options
		want bool
	}{
		{"resnet50", Options{Blocks: true}, true},
		{"resnet50", Options{}, false},
		{"alexnet", Options{Blocks: true}, false},
	} {
		d, err := Layout(reps[c.id], c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := NewLegend(d).Runs; got != c.want {
			t.Errorf("%s blocks=%v: legend explains runs %v", c.id, c.opt.Blocks, got)
		}
	}
}
