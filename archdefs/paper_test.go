package archdefs

import (
	"math"
	"strings"
	"testing"

	"convatlas/engine"
	"convatlas/markdown"
)

func analyzeID(t *testing.T, id string) *engine.Report {
	t.Helper()
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	a, ok := cat.Get(id)
	if !ok {
		t.Fatalf("%s is not in the catalogue", id)
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Exact figures: the lecture's arithmetic, which any correct count reproduces.
func TestExactFigures(t *testing.T) {
	alex := analyzeID(t, "alexnet")
	if alex.Totals.Params != 60_965_224 || alex.Totals.MACs != 724_406_816 {
		t.Errorf("alexnet: %d params, %d MACs", alex.Totals.Params, alex.Totals.MACs)
	}
	conv1, _ := alex.Layer("conv1")
	if conv1.Out != (engine.Shape{C: 96, H: 55, W: 55}) || conv1.Params != 34_944 {
		t.Errorf("alexnet conv1: %v, %d params", conv1.Out, conv1.Params)
	}
	vgg := analyzeID(t, "vgg16")
	if vgg.Totals.Activations != 15_087_080 || vgg.Totals.Depth != 16 {
		t.Errorf("vgg16: %d activations, depth %d", vgg.Totals.Activations, vgg.Totals.Depth)
	}
	// google-research receptive_field's VGG-16 rows (REFERENCES.md): layer → size, jump.
	rows := map[string][2]int64{"conv1.conv1": {3, 1}, "conv1.maxpool1": {6, 2}, "conv2.conv1": {10, 2}, "conv2.maxpool1": {16, 4},
		"conv3.conv1": {24, 4}, "conv3.maxpool1": {44, 8}, "conv4.maxpool1": {100, 16}, "conv5.conv1": {132, 16}, "conv5.maxpool1": {212, 32}}
	for name, want := range rows {
		l, ok := vgg.Layer(name)
		if !ok {
			t.Errorf("vgg16 has no layer %s", name)
			continue
		}
		if got := [2]int64{l.RF.H.Size, l.RF.H.Jump}; got != want {
			t.Errorf("vgg16 %s: field %v, google-research %v", name, got, want)
		}
	}
	mb := analyzeID(t, "mobilenet_v1")
	if mb.Totals.Params != 4_231_976 || mb.Totals.MACs != 568_740_352 {
		t.Errorf("mobilenet_v1: %d params, %d MACs", mb.Totals.Params, mb.Totals.MACs)
	}
	if d := analyzeID(t, "googlenet").Totals.Depth; d != 22 {
		t.Errorf("googlenet depth %d, the paper's 22", d)
	}
}

// Paper figures, with the tolerance their rounding (or a stated convention) allows.
func TestPaperFigures(t *testing.T) {
	for _, c := range []struct {
		id, figure, source string
		want, tolerance    float64 // relative tolerance
		get                func(*engine.Report) int64
	}{
		{"lenet5", "params", "LeCun et al. 1998: about 60,000 (C3 fully connected here; see notes)", 60_000, 0.03, params},
		{"googlenet", "MACs", "Szegedy et al. 2014: 1.5 billion multiply-adds", 1.5e9, 0.06, macs},
		{"googlenet", "params", "Szegedy et al. 2014, Table 1: 6.8M in units of 1,024 without biases", 6.8 * 1024 * 1024, 0.02, params},
		{"resnet18", "MACs", "He et al. 2015, Table 1: 1.8×10⁹", 1.8e9, 0.03, macs},
		{"resnet34", "MACs", "He et al. 2015, Table 1: 3.6×10⁹", 3.6e9, 0.03, macs},
		{"plain34", "MACs", "He et al. 2015, Table 1: 3.6×10⁹", 3.6e9, 0.03, macs},
		{"resnet110", "params", "He et al. 2015, Table 6: 1.7M", 1.7e6, 0.03, params},
		{"resnet1202", "params", "He et al. 2015, Table 6: 19.4M", 19.4e6, 0.003, params},
		{"preact_resnet164", "params", "He et al. 2016 (Identity Mappings), Table 4: 1.7M", 1.7e6, 0.03, params},
		{"preact_resnet1001", "params", "He et al. 2016 (Identity Mappings), Table 4: 10.2M (1.2% more here; see notes)", 10.2e6, 0.015, params},
		{"wrn28_10", "params", "Zagoruyko & Komodakis 2016: 36.5M", 36.5e6, 0.002, params},
		{"wide_resnet50_2", "params", "the authors' README: 68.9M", 68.9e6, 0.001, params},
		{"mobilenet_v1", "params", "Howard et al. 2017, Table 6: 4.2M", 4.2e6, 0.012, params},
		{"mobilenet_v1", "MACs", "Howard et al. 2017, Table 6: 569M", 569e6, 0.001, macs},
		{"mobilenet_v2", "params", "Sandler et al. 2018, Table 4: 3.4M (torchvision's 3.5M checked exactly)", 3.4e6, 0.035, params},
		{"mobilenet_v2", "MACs", "Sandler et al. 2018, Table 4: 300M", 300e6, 0.003, macs},
		{"shufflenet_v1", "MACs", "Zhang et al. 2017, Table 1: 137M", 137e6, 0.004, macs},
		{"nasnet_a_mobile", "params", "Zoph et al. 2017, Table 2: 5.3M", 5.3e6, 0.01, params},
		{"nasnet_a_mobile", "MACs", "Zoph et al. 2017, Table 2: 564M", 564e6, 0.002, macs},
		{"se_resnet50", "params", "Hu et al. 2017, Table 1: ResNet-50 + ~2.5M = 28.1M", 28.1e6, 0.002, params},
		{"inception_v4", "params", "commonly quoted 42.7M (the paper gives none)", 42.7e6, 0.002, params},
		{"nin", "params", "NIN-ImageNet model zoo: 7.6M", 7.6e6, 0.005, params},
	} {
		r := analyzeID(t, c.id)
		got := float64(c.get(r))
		if math.Abs(got-c.want) > c.tolerance*c.want {
			t.Errorf("%s %s = %s; %s (tolerance %.1f%%)", c.id, c.figure, engine.Group(int64(got)), c.source, 100*c.tolerance)
		}
	}
}

func params(r *engine.Report) int64 { return r.Totals.Params }
func macs(r *engine.Report) int64   { return r.Totals.MACs }

// Where the computed figure and the paper's differ, the notes say so.
func TestNotesExplainDisagreements(t *testing.T) {
	cat, _ := Default()
	for id, mention := range map[string]string{
		"fractalnet": "38.6", "preact_resnet1001": "10.2M", "lenet5": "60,000", "googlenet": "6.8M", "alexnet": "227",
	} {
		a, _ := cat.Get(id)
		if !strings.Contains(a.Notes, mention) {
			t.Errorf("%s: the notes do not mention %q", id, mention)
		}
	}
}

// Every entry has metadata and notes that render without raw HTML and cite a source.
func TestEveryEntryIsDocumented(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range strings.Fields(`lenet5 alexnet zfnet vgg11 vgg13 vgg16 vgg19 vgg16_bn googlenet
		resnet18 resnet34 resnet50 resnet101 resnet152 inception_v3 inception_v4 resnet110 resnet1202 plain34
		preact_resnet164 preact_resnet1001 wide_resnet50_2 wrn28_10 resnext50_32x4d resnext101_32x8d
		se_resnet50 senet154 nin fractalnet densenet121 densenet169 densenet201 densenet161 mobilenet_v1
		mobilenet_v2 shufflenet_v1 shufflenet_v2_x1_0 squeezenet1_0 squeezenet1_1 nasnet_a_mobile`) {
		if _, ok := cat.Get(id); !ok {
			t.Errorf("the catalogue lacks %s", id)
		}
	}
	for _, a := range cat.Archs {
		m := a.Meta
		switch {
		case m.Year == 0 || len(m.Authors) == 0 || m.Paper.Title == "" || m.Paper.URL == "":
			t.Errorf("%s: year, authors or paper missing", a.ID)
		case m.Family == "" || m.Summary == "" || len(m.New) < 3 || len(m.Results) == 0:
			t.Errorf("%s: family, summary, what is new or results missing", a.ID)
		case m.Reference != "torchvision" && m.Reference != "paper":
			t.Errorf("%s: reference %q", a.ID, m.Reference)
		}
		for _, r := range m.Results {
			if r.Source == "" {
				t.Errorf("%s: a result without its source: %+v", a.ID, r)
			}
		}
		for _, d := range m.DerivedFrom {
			if _, ok := cat.Get(d); !ok {
				t.Errorf("%s: derived from unknown %q", a.ID, d)
			}
		}
		if strings.Count(a.Notes, " ") < 100 {
			t.Errorf("%s: notes of %d words", a.ID, strings.Count(a.Notes, " "))
		}
		if strings.Contains(a.Notes, "<") {
			t.Errorf("%s: notes contain raw HTML", a.ID)
		}
		html, err := markdown.Render([]byte(a.Notes))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(html, `<a href="http`) {
			t.Errorf("%s: notes cite no source as a link", a.ID)
		}
	}
}
