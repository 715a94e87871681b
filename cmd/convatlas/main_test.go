package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestAnalyzeJSONContract(t *testing.T) {
	out, errOut, code := runCLI(t, "analyze", "alexnet", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Input  struct{ C, H, W int64 }
		Totals struct {
			Params, Buffers, MACs, Activations int64
			Depth                              int
		} `json:"totals"`
		Layers []struct {
			Name, Op, Stage string
			Out             struct{ C, H, W int64 }
			Params, MACs    int64
			RF              struct {
				Size, Jump, Start int64
				Global            bool
			} `json:"rf"`
			Explain struct{ Out, Params, MACs, RF string } `json:"explain"`
		} `json:"layers"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.ID != "alexnet" || r.Input.C != 3 || r.Input.H != 227 || r.Totals.Params != 60965224 || r.Totals.MACs != 724406816 || r.Totals.Depth != 8 {
		t.Fatalf("report %+v", r)
	}
	conv1 := r.Layers[0]
	if conv1.Name != "conv1" || conv1.Out.C != 96 || conv1.Out.H != 55 || conv1.Params != 34944 || conv1.RF.Size != 11 || conv1.RF.Jump != 4 {
		t.Fatalf("conv1 %+v", conv1)
	}
	if conv1.Explain.Out != "⌊(227 + 2·0 − 11)/4⌋ + 1 = 55 → 55×55×96" || conv1.Explain.Params != "11·11·3·96 + 96 = 34,944" {
		t.Fatalf("conv1 explained %+v", conv1.Explain)
	}
	last := r.Layers[len(r.Layers)-1]
	if last.Out.H != 1 || last.Out.W != 1 || !last.RF.Global {
		t.Errorf("the last layer %+v", last)
	}
}

func TestAnalyzeTableAndExplain(t *testing.T) {
	out, _, code := runCLI(t, "analyze", "vgg16", "--explain")
	if code != 0 || !strings.Contains(out, "138,357,544") || !strings.Contains(out, "15,470,264,320") || !strings.Contains(out, "Formulas") {
		t.Fatalf("exit %d:\n%.2000s", code, out)
	}
	// Freezing through conv4_x leaves conv5_x (torchvision layer4: 14,964,736) and the fc (2,049,000).
	out, _, code = runCLI(t, "analyze", "resnet50", "--input", "3x160x160", "--freeze", "conv4_x.6.relu3")
	if code != 0 || !strings.Contains(out, "input 160×160×3") || !strings.Contains(out, "trainable 17,013,736") {
		t.Fatalf("exit %d:\n%s", code, out[len(out)-600:])
	}
}

func TestListEveryArchitecture(t *testing.T) {
	out, _, code := runCLI(t, "list", "--json")
	var list []struct {
		ID     string
		Params int64
	}
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) < 43 {
		t.Fatalf("exit %d, %d entries", code, len(list))
	}
}

func TestBadInputIsAClearError(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mynet.yaml")
	src := "id: mynet\ninput: {c: 3, h: 8, w: 8}\nlayers:\n  - conv: {out: 8, k: 3, s: 2}\n  - conv: {out: 8, k: 5}\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "analyze", file)
	if code != 1 || !strings.Contains(errOut, "mynet.yaml:5:5: conv \"conv2\" (layers[1].conv): kernel 5×5 larger than padded input 3×3") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, args := range [][]string{{"analyze"}, {"analyze", "alexnet", "--input", "3x0x8"}, {"frobnicate"}, {"list", "x"}} {
		if _, _, code := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if _, errOut, code := runCLI(t, "analyze", "nosuchnet"); code != 1 || !strings.Contains(errOut, `no architecture "nosuchnet"`) {
		t.Errorf("unknown id: %d %s", code, errOut)
	}
}
