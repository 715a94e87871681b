package archdefs

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"convatlas/engine"
)

// torchRef is one model of testdata/torchvision.json, written by scripts/torchref.py
// from Debian's torchvision: figures measured on the real models, not computed by
// this program.
type torchRef struct {
	Input            [3]int64 `json:"input"`
	Params           int64    `json:"params"`
	ParamsWithoutAux *int64   `json:"params_without_aux"`
	Buffers          int64    `json:"buffers"`
	BuffersNoAux     *int64   `json:"buffers_without_aux"`
	MACs             int64    `json:"macs"`
	Stages           []struct {
		Module string   `json:"module"`
		Out    [3]int64 `json:"out"`
	} `json:"stages"`
	RF struct {
		Module string   `json:"module"`
		Size   [2]int64 `json:"size"`
		Jump   [2]int64 `json:"jump"`
		Start  [2]int64 `json:"start"`
	} `json:"rf"`
	Aux *struct {
		Params int64 `json:"params"`
		MACs   int64 `json:"macs"`
	} `json:"aux"`
}

func loadTorchRefs(t *testing.T) map[string]torchRef {
	t.Helper()
	raw, err := os.ReadFile("testdata/torchvision.json")
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
			t.Fatalf("%s: %v", id, err)
		}
		refs[id] = r
	}
	return refs
}

// stageFor names the stage (or layer) of our definition whose output is that of a
// torchvision module. Families whose torchvision names differ from the papers' are
// listed; otherwise the stage carries the module's last name.
func stageFor(id, module string, r *engine.Report) (out engine.Shape, rf engine.RF, found string) {
	var names []string
	switch {
	case strings.HasPrefix(id, "resnet") || strings.HasPrefix(id, "resnext") || strings.HasPrefix(id, "wide_resnet"):
		names = map[string][]string{"maxpool": {"conv1"}, "layer1": {"conv2_x"}, "layer2": {"conv3_x"}, "layer3": {"conv4_x"},
			"layer4": {"conv5_x"}, "avgpool": {"head.gap1"}, "fc": {"head"}}[module]
	case strings.HasPrefix(id, "squeezenet"):
		names = map[string][]string{"features": {"features_12"}, "classifier": {"classifier_3"}}[module]
	case id == "shufflenet_v2_x1_0":
		names = map[string][]string{"maxpool": {"conv1"}, "fc": {"head"}}[module]
	case id == "mobilenet_v2":
		names = map[string][]string{"features.0": {"stem"}, "features.18": {"last"}}[module]
	case id == "efficientnet_b0":
		// torchvision's features.0 … features.8 are the paper's stages 1 to 9.
		if n, ok := strings.CutPrefix(module, "features."); ok {
			i, _ := strconv.Atoi(n)
			names = []string{"stage" + strconv.Itoa(i+1)}
		}
		names = append(names, map[string][]string{"classifier": {"head"}}[module]...)
	case strings.HasPrefix(id, "mobilenet_v3"):
		last := map[string]string{"mobilenet_v3_large": "features.16", "mobilenet_v3_small": "features.12"}[id]
		names = map[string][]string{"features.0": {"stem"}, last: {"last"}, "classifier": {"head"}}[module]
	case id == "mnasnet1_0":
		names = map[string][]string{"layers.7": {"stem"}, "layers.8": {"stack1"}, "layers.9": {"stack2"}, "layers.10": {"stack3"},
			"layers.11": {"stack4"}, "layers.12": {"stack5"}, "layers.13": {"stack6"}, "layers.16": {"last"}, "classifier": {"head"}}[module]
	case strings.HasPrefix(id, "regnet"):
		names = map[string][]string{"trunk_output.block1": {"stage1"}, "trunk_output.block2": {"stage2"}, "trunk_output.block3": {"stage3"},
			"trunk_output.block4": {"stage4"}, "fc": {"head"}}[module]
	case id == "convnext_tiny":
		names = map[string][]string{"features.0": {"stem"}, "features.1": {"stage1"}, "features.2": {"stage2.downsample"}, "features.3": {"stage2"},
			"features.4": {"stage3.downsample"}, "features.5": {"stage3"}, "features.6": {"stage4.downsample"}, "features.7": {"stage4"}, "classifier": {"head"}}[module]
	case strings.HasPrefix(id, "vgg"):
		// The five max pools end the five blocks; "features" is the last of them.
		if module == "features" {
			names = []string{"conv5"}
		} else if module == "classifier.6" {
			names = []string{"classifier"}
		}
	}
	last := module[strings.LastIndex(module, ".")+1:]
	names = append(names, module, strings.ReplaceAll(module, ".", "_"), last)
	for _, name := range names {
		for _, st := range r.Stages {
			if st.Name == name {
				return st.Out, st.RF, "stage " + name
			}
		}
		if l, ok := r.Layer(name); ok {
			return l.Out, l.RF, "layer " + name
		}
		// A layer or a block named after the module, inside a stage.
		for i := range r.Layers {
			if !r.Layers[i].Aux && strings.HasSuffix(r.Layers[i].Name, "."+name) {
				return r.Layers[i].Out, r.Layers[i].RF, "layer " + r.Layers[i].Name
			}
		}
		for _, b := range r.Blocks {
			if (b.Name == name || strings.HasSuffix(b.Name, "."+name)) && b.Last >= b.First {
				l := &r.Layers[b.Last]
				return l.Out, l.RF, "block " + b.Name
			}
		}
	}
	return engine.Shape{}, engine.RF{}, ""
}

// vggPools maps VGG's max-pool modules to our blocks, in order.
func vggStageOf(r *engine.Report, i int) (engine.Shape, bool) {
	if i < len(r.Stages) {
		return r.Stages[i].Out, true
	}
	return engine.Shape{}, false
}

func shape3(s engine.Shape) [3]int64 { return [3]int64{s.C, s.H, s.W} }

func TestCatalogueMatchesTorchvision(t *testing.T) {
	refs := loadTorchRefs(t)
	ids := make([]string, 0, len(refs))
	for id := range refs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ref := refs[id]
		t.Run(id, func(t *testing.T) {
			r := analyzeID(t, id)
			if got := shape3(r.Input); got != ref.Input {
				t.Errorf("input %v, torchvision %v", got, ref.Input)
			}
			wantParams, wantBuffers := ref.Params, ref.Buffers
			if ref.ParamsWithoutAux != nil {
				wantParams, wantBuffers = *ref.ParamsWithoutAux, *ref.BuffersNoAux
			}
			if r.Totals.Params != wantParams {
				t.Errorf("params %s, torchvision %s", engine.Group(r.Totals.Params), engine.Group(wantParams))
			}
			if ref.Aux != nil && r.Totals.AuxParams != ref.Aux.Params {
				t.Errorf("auxiliary params %s, torchvision %s", engine.Group(r.Totals.AuxParams), engine.Group(ref.Aux.Params))
			}
			if r.Totals.Buffers != wantBuffers {
				t.Errorf("buffers %s, torchvision %s", engine.Group(r.Totals.Buffers), engine.Group(wantBuffers))
			}
			if r.Totals.MACs != ref.MACs {
				t.Errorf("MACs %s, torchvision %s", engine.Group(r.Totals.MACs), engine.Group(ref.MACs))
			}
			for i, st := range ref.Stages {
				out, _, found := stageFor(id, st.Module, r)
				if found == "" && strings.HasPrefix(id, "vgg") {
					out, _ = vggStageOf(r, i)
					found = fmt.Sprintf("stage %d", i+1)
				}
				if found == "" {
					t.Errorf("no stage or layer corresponds to torchvision's %s", st.Module)
					continue
				}
				if got := shape3(out); got != st.Out {
					t.Errorf("%s (torchvision %s): output %v, torchvision %v", found, st.Module, got, st.Out)
				}
			}
			_, rf, found := stageFor(id, ref.RF.Module, r)
			if found == "" {
				t.Fatalf("no stage or layer corresponds to torchvision's %s for the receptive field", ref.RF.Module)
			}
			got := [3][2]int64{{rf.H.Size, rf.W.Size}, {rf.H.Jump, rf.W.Jump}, {rf.H.Start, rf.W.Start}}
			want := [3][2]int64{ref.RF.Size, ref.RF.Jump, ref.RF.Start}
			if got != want {
				t.Errorf("receptive field of %s (size, jump, start) %v, measured on torchvision %v", found, got, want)
			}
		})
	}
}
