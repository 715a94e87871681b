package onnx

import (
	"fmt"
	"strings"
	"testing"

	"convatlas/engine"
)

// A hand-made trunk for the stage rules: leaves from a module, and residual blocks
// whose addition is computed in a module, as the exporter names them.
type trunk struct {
	c     *converter
	items []*engine.Node
}

func newTrunk() *trunk {
	return &trunk{c: &converter{im: &Import{Scopes: map[*engine.Op]string{}}}}
}

func (t *trunk) leaf(scope string, o engine.Op) *trunk {
	n := &engine.Node{Kind: engine.KindLeaf, Op: o}
	t.c.im.Scopes[&n.Op] = scope
	t.items = append(t.items, n)
	return t
}

func conv(s int64) engine.Op {
	return engine.Op{Kind: engine.OpConv, Out: 8, K: [2]int64{3, 3}, S: [2]int64{s, s}, P: [2]int64{1, 1}, D: [2]int64{1, 1}, Groups: 1}
}

func pool(s int64) engine.Op {
	return engine.Op{Kind: engine.OpMaxPool, K: [2]int64{s, s}, S: [2]int64{s, s}, D: [2]int64{1, 1}}
}

// residual adds a block of two convolutions, the first of stride s, whose addition is
// in module.
func (t *trunk) residual(module string, s int64) *trunk {
	body := []*engine.Node{{Kind: engine.KindLeaf, Op: conv(s)}, {Kind: engine.KindLeaf, Op: conv(1)}}
	for _, b := range body {
		t.c.im.Scopes[&b.Op] = module + ".conv"
	}
	field := "/" + strings.ReplaceAll(module, ".", "/") + "/Add"
	if module == "" {
		field = "Add_1"
	}
	t.items = append(t.items, &engine.Node{Kind: engine.KindResidual, Children: body, ShortcutMode: engine.ShortcutIdentity, Pos: engine.Pos{Field: field}})
	return t
}

// stages gives "name:count" for each stage.
func (t *trunk) stages() string {
	var out []string
	for _, st := range t.c.stages(t.items) {
		out = append(out, fmt.Sprintf("%s:%d", st.Name, len(st.Children)))
	}
	return strings.Join(out, " ")
}

func TestStageRules(t *testing.T) {
	relu, gap, fc := engine.Op{Kind: engine.OpReLU}, engine.Op{Kind: engine.OpGAP}, engine.Op{Kind: engine.OpFC, Out: 10}
	for _, c := range []struct {
		name  string
		trunk *trunk
		want  string
	}{
		{"without module names, a block that changes the resolution starts a stage",
			newTrunk().leaf("", conv(2)).leaf("", relu).leaf("", pool(2)).
				residual("", 1).residual("", 1).residual("", 2).residual("", 1).leaf("", gap).leaf("", fc),
			"stem:3 stage2:2 stage3:2 head:2"},
		{"sibling stage modules are the stages, whatever the resolution",
			newTrunk().leaf("conv1", conv(2)).leaf("relu", relu).
				residual("layer1.0", 1).residual("layer1.1", 1).residual("layer2.0", 1).residual("layer3.0", 2).
				leaf("avgpool", gap).leaf("fc", fc),
			"conv1:2 layer1:2 layer2:1 layer3:1 head:2"},
		{"a plain layer between blocks is a stage; a strided one opens the next; a pool ends the one before",
			newTrunk().leaf("features.0", conv(2)).
				residual("features.1", 1).leaf("features.2", conv(1)).
				residual("features.3", 1).leaf("features.4", pool(2)).
				residual("features.5", 1).leaf("features.6", conv(2)).residual("features.7", 1).
				leaf("", relu).leaf("", gap).leaf("classifier", fc),
			"features_0:1 features_1:1 features_2:1 features_3:2 features_5:1 features_6:2 head:3"},
		{"without blocks, a strided pool ends a stage",
			newTrunk().leaf("features.0", conv(1)).leaf("features.1", relu).leaf("features.2", pool(2)).
				leaf("features.3", conv(1)).leaf("features.4", pool(2)).
				leaf("avgpool", engine.Op{Kind: engine.OpAvgPool, K: [2]int64{1, 1}, S: [2]int64{1, 1}, D: [2]int64{1, 1}}).
				leaf("", engine.Op{Kind: engine.OpFlatten}).leaf("classifier.0", fc),
			"features_0:3 features_3:2 head:3"},
	} {
		if got := c.trunk.stages(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
