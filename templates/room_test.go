package templates

import (
	"slices"
	"strings"
	"testing"
)

func TestBoxSteps(t *testing.T) {
	r := catalogueReport(t, "alexnet")
	names := strings.Fields(StepNames(r))
	// AlexNet as drawn: five convolutions (ReLU folded in), two LRNs, three pools,
	// flatten, three fully connected layers (ReLU, dropout and softmax folded in).
	if len(names) != 14 || names[0] != "conv1" || names[1] != "norm1" {
		t.Fatalf("AlexNet's boxes: %v", names)
	}
	relu1, _ := r.Layer("relu1")
	p := NewLayerPanel("alexnet", r, relu1.Index, "")
	if p.NextBox == nil || p.NextBox.Name != "norm1" || p.PrevBox != nil || p.Box != 1 || p.Boxes != 14 {
		t.Errorf("from relu1 (in conv1's box): next box %v, previous %v, box %d of %d", p.NextBox, p.PrevBox, p.Box, p.Boxes)
	}
	if p.Next == nil || p.Next.Name != "norm1" || p.Prev == nil || p.Prev.Name != "conv1" {
		t.Errorf("from relu1: next op %v, previous op %v", p.Next, p.Prev)
	}
	norm1, _ := r.Layer("norm1")
	if p := NewLayerPanel("alexnet", r, norm1.Index, ""); p.PrevBox == nil || p.PrevBox.Name != "conv1" || p.Box != 2 {
		t.Errorf("from norm1: previous box %v, box %d", p.PrevBox, p.Box)
	}
}

func TestSearch(t *testing.T) {
	if got := SearchTokens("Res 50"); !slices.Equal(got, []string{"res", "50"}) {
		t.Errorf("tokens %q", got)
	}
	text := SearchText("resnet50", "ResNet-50", "ResNet", "2015")
	for q, want := range map[string]bool{"res 50": true, "resnet-50": true, "resnet 50": true, "2015": true, "res 51": false, "": false, "vgg": false} {
		if got := Matches(SearchTokens(q), text); got != want {
			t.Errorf("%q: %v, want %v", q, got, want)
		}
	}
	r := catalogueReports(t)["googlenet"]
	hits := FindLayers(r, "inception_4a concat")
	if len(hits) != 1 || hits[0].Name != "inception_4.inception_4a.concat" {
		t.Errorf("inception_4a concat: %v", hits)
	}
	if hits := FindLayers(catalogueReports(t)["resnet50"], "conv4_x.3 conv2"); len(hits) != 1 || hits[0].Name != "conv4_x.3.conv2" {
		t.Errorf("conv4_x.3 conv2: %v", hits)
	}
	if hits := FindLayers(r, "14×14×512"); len(hits) == 0 || hits[0].Shape != "14×14×512" {
		t.Errorf("by shape: %v", hits)
	}
	if hits := FindLayers(catalogueReports(t)["resnet1202"], "conv"); len(hits) != MaxSearchResults {
		t.Errorf("%d hits, want the first %d", len(hits), MaxSearchResults)
	}
	for _, c := range []struct {
		a, b string
		d    int
	}{{"resnet51", "resnet50", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"×", "x", 1}} {
		if got := EditDistance(c.a, c.b); got != c.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestFoldTable(t *testing.T) {
	reports := catalogueReports(t)
	r := reports["resnet1202"]
	rows, hidden := FoldTable(r, LayerTable(r, ""), false, "")
	if len(rows) > 50 || hidden < 3000 {
		t.Errorf("ResNet-1202 closed: %d rows, %d hidden", len(rows), hidden)
	}
	open := r.Stages[2]
	rows, hidden2 := FoldTable(r, LayerTable(r, ""), false, open.Name)
	listed := 0
	for _, row := range rows {
		if row.Layer != nil {
			listed++
			if row.Layer.Stage != open.Name && row.Layer.Stage != "" {
				t.Errorf("a layer of %s is listed with %s open", row.Layer.Stage, open.Name)
			}
		}
		if row.Stage != nil && (row.Folded == 0) != (row.Stage.Name == open.Name) {
			t.Errorf("stage %s: %d folded", row.Stage.Name, row.Folded)
		}
	}
	if listed+hidden2 != len(r.Layers) || listed < open.Last-open.First+1 {
		t.Errorf("%d listed + %d hidden, of %d layers", listed, hidden2, len(r.Layers))
	}
	if rows, hidden := FoldTable(r, LayerTable(r, "params"), true, ""); len(rows) != MaxTableRows || hidden != len(r.Layers)-MaxTableRows {
		t.Errorf("sorted: %d rows, %d hidden", len(rows), hidden)
	}
	if rows, hidden := FoldTable(reports["resnet50"], LayerTable(reports["resnet50"], ""), false, ""); hidden != 0 || len(rows) != len(LayerTable(reports["resnet50"], "")) {
		t.Errorf("ResNet-50 is folded: %d hidden", hidden)
	}
}

func TestNaturalLess(t *testing.T) {
	names := []string{"ResNet-152", "ResNet-18", "resnet-101", "ResNet-50", "AlexNet", "ResNet-1202"}
	slices.SortFunc(names, NaturalLess)
	if want := []string{"AlexNet", "ResNet-18", "ResNet-50", "resnet-101", "ResNet-152", "ResNet-1202"}; !slices.Equal(names, want) {
		t.Errorf("%q", names)
	}
}
