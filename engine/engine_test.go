package engine

import (
	"errors"
	"strings"
	"testing"
)

// Builders for hand-worked test networks.

func conv(out, k, s, p int64) *Node {
	return &Node{Kind: KindLeaf, Op: Op{Kind: OpConv, Out: out, K: [2]int64{k, k}, S: [2]int64{s, s}, P: [2]int64{p, p}, D: [2]int64{1, 1}, Groups: 1, Bias: true}}
}

func pool(kind OpKind, k, s, p int64, ceil bool) *Node {
	return &Node{Kind: KindLeaf, Op: Op{Kind: kind, K: [2]int64{k, k}, S: [2]int64{s, s}, P: [2]int64{p, p}, D: [2]int64{1, 1}, Ceil: ceil}}
}

func leaf(kind OpKind) *Node { return &Node{Kind: KindLeaf, Op: Op{Kind: kind}} }

func seq(nodes ...*Node) *Node { return &Node{Kind: KindSeq, Children: nodes} }

func model(c, h, w int64, nodes ...*Node) *Model {
	return &Model{ID: "t", Name: "test", Input: Shape{C: c, H: h, W: w}, Root: seq(nodes...)}
}

func analyze(t *testing.T, m *Model) *Report {
	t.Helper()
	r, err := Analyze(m, Options{})
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return r
}

func TestWindowOut(t *testing.T) {
	for _, c := range []struct {
		n, k, s, p, d int64
		ceil          bool
		want          int64
	}{
		{227, 11, 4, 0, 1, false, 55}, // AlexNet CONV1
		{224, 7, 2, 3, 1, false, 112}, // ResNet stem
		{112, 3, 2, 1, 1, false, 56},  // ResNet max pool
		{112, 3, 2, 0, 1, true, 56},   // GoogLeNet pool1, ceil mode
		{112, 3, 2, 0, 1, false, 55},  // the same without ceil
		{5, 2, 2, 1, 1, true, 3},      // ceil mode: the last window would start in the padding
		{6, 3, 3, 0, 1, true, 2},      // ceil mode, exact division
		{14, 3, 1, 2, 2, false, 14},   // dilation 2 with padding 2 keeps the size
		{7, 7, 1, 0, 1, false, 1},
	} {
		if got := windowOut(c.n, c.k, c.s, c.p, c.d, c.ceil); got != c.want {
			t.Errorf("windowOut(n=%d k=%d s=%d p=%d d=%d ceil=%v) = %d, want %d", c.n, c.k, c.s, c.p, c.d, c.ceil, got, c.want)
		}
	}
}

func TestAlexNetConv1ByHand(t *testing.T) {
	r := analyze(t, model(3, 227, 227, conv(96, 11, 4, 0)))
	l := r.Layers[0]
	if l.Out != (Shape{C: 96, H: 55, W: 55}) || l.Params != 34944 || l.MACs != 105415200 {
		t.Fatalf("conv1 = %v, %d params, %d MACs", l.Out, l.Params, l.MACs)
	}
	x := r.Explain(0)
	for got, want := range map[string]string{
		x.Out:    "⌊(227 + 2·0 − 11)/4⌋ + 1 = 55 → 55×55×96",
		x.Params: "11·11·3·96 + 96 = 34,944",
		x.MACs:   "55·55·96 outputs · 11·11·3 each = 105,415,200",
		x.RF:     "size 1 + (11 − 1)·1 = 11, jump 1·4 = 4, start 0 − 0·1 = 0",
	} {
		if got != want {
			t.Errorf("explanation %q, want %q", got, want)
		}
	}
}

// The lecture's argument: three stacked 3×3 convolutions see 7×7.
func TestStackedThreeByThreeSeeSevenBySeven(t *testing.T) {
	r := analyze(t, model(64, 32, 32, conv(64, 3, 1, 1), conv(64, 3, 1, 1), conv(64, 3, 1, 1)))
	for i, want := range []Field{{3, 1, -1}, {5, 1, -2}, {7, 1, -3}} {
		if got := r.Layers[i].RF.H; got != want {
			t.Errorf("layer %d field %+v, want %+v", i, got, want)
		}
	}
	// 3·(3²·C²+C) against 7²·C²+C for C = 64.
	if r.Totals.Params != 3*(9*64*64+64) {
		t.Errorf("params %d", r.Totals.Params)
	}
}

// Misaligned windows: a 2×2/2 pool then a 3×3 conv with padding 1.
func TestFieldMisaligned(t *testing.T) {
	r := analyze(t, model(1, 16, 16, pool(OpMaxPool, 2, 2, 0, false), conv(1, 3, 1, 1)))
	if got, want := r.Layers[1].RF.H, (Field{Size: 6, Jump: 2, Start: -2}); got != want {
		t.Fatalf("field %+v, want %+v", got, want)
	}
}

// A 1×7 kernel grows the field along the width only.
func TestFieldNonSquare(t *testing.T) {
	n := conv(8, 1, 1, 0)
	n.Op.K, n.Op.P = [2]int64{1, 7}, [2]int64{0, 3}
	r := analyze(t, model(8, 17, 17, n))
	l := r.Layers[0]
	if l.Out != (Shape{C: 8, H: 17, W: 17}) || l.RF.H != (Field{1, 1, 0}) || l.RF.W != (Field{7, 1, -3}) {
		t.Fatalf("1×7 conv: out %v, field %+v", l.Out, l.RF)
	}
	if l.Params != 7*8*8+8 {
		t.Errorf("params %d", l.Params)
	}
}

func TestBranchConcatAndDepth(t *testing.T) {
	b := &Node{Kind: KindBranch, Merge: MergeConcat, Children: []*Node{
		seq(conv(64, 1, 1, 0)),
		seq(conv(96, 1, 1, 0), conv(128, 3, 1, 1)),
		seq(pool(OpMaxPool, 3, 1, 1, false), conv(32, 1, 1, 0)),
	}}
	r := analyze(t, model(192, 28, 28, b))
	last := r.Layers[len(r.Layers)-1]
	if last.Op != "concat" || last.Out != (Shape{C: 224, H: 28, W: 28}) || last.Name != "1.concat" {
		t.Fatalf("merge %s %q %v", last.Op, last.Name, last.Out)
	}
	if r.Totals.Depth != 2 {
		t.Errorf("depth %d, want 2 (the longest path has two convolutions)", r.Totals.Depth)
	}
	if last.RF.H != (Field{Size: 3, Jump: 1, Start: -1}) {
		t.Errorf("union field %+v", last.RF.H)
	}
	if last.Activations != 224*28*28 {
		t.Errorf("concat activations %d", last.Activations)
	}
}

func TestResidualProjectionShortcut(t *testing.T) {
	res := &Node{Kind: KindResidual, ShortcutMode: ShortcutAuto, Children: []*Node{conv(128, 3, 2, 1), leaf(OpBN)}, After: []*Node{leaf(OpReLU)}}
	r := analyze(t, model(64, 56, 56, res))
	names := []string{}
	for _, l := range r.Layers {
		names = append(names, l.Name)
	}
	if got := strings.Join(names, " "); got != "1.conv1 1.bn1 1.shortcut.conv1 1.shortcut.bn1 1.add 1.relu1" {
		t.Fatalf("layers %s", got)
	}
	sc := r.Layers[2]
	if sc.Out != (Shape{C: 128, H: 28, W: 28}) || sc.Params != 64*128 || sc.Op != "conv" {
		t.Fatalf("shortcut %v %d", sc.Out, sc.Params)
	}
	if r.Totals.Depth != 1 {
		t.Errorf("depth %d", r.Totals.Depth)
	}
}

func TestSEGateIsGlobal(t *testing.T) {
	gate := &Node{Kind: KindBranch, Merge: MergeMul, Children: []*Node{
		seq(),
		seq(leaf(OpGAP), &Node{Kind: KindLeaf, Op: Op{Kind: OpFC, Out: 4, Bias: true}}, leaf(OpReLU), &Node{Kind: KindLeaf, Op: Op{Kind: OpFC, Out: 64, Bias: true}}, leaf(OpSigmoid)),
	}}
	r := analyze(t, model(64, 8, 8, conv(64, 3, 1, 1), gate))
	last := r.Layers[len(r.Layers)-1]
	if last.Out != (Shape{C: 64, H: 8, W: 8}) || !last.RF.Global {
		t.Fatalf("SE output %v, field %+v", last.Out, last.RF)
	}
	if r.Totals.Params != (9*64*64+64)+(64*4+4)+(4*64+64) {
		t.Errorf("params %d", r.Totals.Params)
	}
}

func TestDenseBlock(t *testing.T) {
	d := &Node{Kind: KindDense, Count: 3, Children: []*Node{leaf(OpBN), leaf(OpReLU), conv(32, 3, 1, 1)}}
	r := analyze(t, model(64, 8, 8, d))
	if r.Output.C != 64+3*32 {
		t.Fatalf("output %v", r.Output)
	}
	// conv i reads 64 + 32·(i − 1) channels.
	var params int64
	for i := int64(0); i < 3; i++ {
		cin := 64 + 32*i
		params += 2*cin + 9*cin*32 + 32
	}
	if r.Totals.Params != params {
		t.Errorf("params %d, want %d", r.Totals.Params, params)
	}
}

func TestCellReadsPreviousCellInput(t *testing.T) {
	cell := func() *Node {
		return &Node{Kind: KindCell, Cell: &Cell{
			Inputs: []string{"x", "prev"},
			Nodes: []CellNode{
				{Name: "a", From: "x", Layers: []*Node{conv(8, 3, 1, 1)}},
				{Name: "b", From: "prev", Layers: []*Node{conv(8, 1, 1, 0)}},
				{Name: "s", Merge: MergeAdd, Of: []string{"a", "b"}},
			},
			Output: CellNode{Merge: MergeConcat, Of: []string{"s", "a"}},
		}}
	}
	r := analyze(t, model(4, 8, 8, cell(), cell()))
	// Cell 1: both inputs are the 4-channel image. Cell 2: x has 16 channels, prev 4.
	l, ok := r.Layer("cell2.b.conv1")
	if !ok || l.In.C != 4 {
		t.Fatalf("cell2's prev input: %+v", l)
	}
	if r.Output.C != 16 {
		t.Errorf("output %v", r.Output)
	}
}

func TestAuxExcludedFromTotals(t *testing.T) {
	aux := &Node{Kind: KindAux, Children: []*Node{leaf(OpGAP), &Node{Kind: KindLeaf, Op: Op{Kind: OpFC, Out: 10, Bias: true}}}}
	r := analyze(t, model(16, 8, 8, conv(16, 3, 1, 1), aux, leaf(OpGAP), &Node{Kind: KindLeaf, Op: Op{Kind: OpFC, Out: 10, Bias: true}}))
	if r.Totals.AuxParams != 170 || r.Totals.Params != 9*16*16+16+170 || r.Totals.Depth != 2 {
		t.Fatalf("totals %+v", r.Totals)
	}
}

func TestFreezeThrough(t *testing.T) {
	m := model(3, 8, 8, conv(4, 3, 1, 1), conv(4, 3, 1, 1))
	r, err := Analyze(m, Options{FreezeThrough: "conv1"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.Trainable != 9*4*4+4 || r.Totals.Params != 9*3*4+4+9*4*4+4 {
		t.Fatalf("totals %+v", r.Totals)
	}
	if _, err := Analyze(m, Options{FreezeThrough: "nope"}); err == nil {
		t.Fatal("freezing an unknown layer was accepted")
	}
}

func TestAnalyzeErrors(t *testing.T) {
	at := Pos{File: "net.yaml", Line: 14, Column: 9, Field: "layers[2].conv"}
	withPos := func(n *Node) *Node { n.Pos = at; return n }
	big := conv(1<<20, 1, 1, 0)
	wide := conv(1<<20, 3, 1, 1)
	wide.Op.Groups = 1
	misaligned := &Node{Kind: KindBranch, Merge: MergeConcat, Children: []*Node{seq(conv(1, 1, 2, 0)), seq(conv(1, 1, 3, 2))}}
	for _, c := range []struct {
		name string
		m    *Model
		want string
	}{
		{"kernel larger than input", model(3, 4, 4, withPos(conv(8, 5, 1, 0))), `net.yaml:14:9: conv "conv1" (layers[2].conv): kernel 5×5 larger than padded input 4×4`},
		{"zero stride", model(3, 8, 8, withPos(conv(8, 3, 0, 0))), "stride must be at least 1, got 0"},
		{"groups", model(3, 8, 8, withPos(&Node{Kind: KindLeaf, Op: Op{Kind: OpConv, Out: 8, K: [2]int64{1, 1}, S: [2]int64{1, 1}, D: [2]int64{1, 1}, Groups: 2}})), "groups 2 must divide the input channels 3"},
		{"add mismatch", model(3, 8, 8, withPos(&Node{Kind: KindResidual, ShortcutMode: ShortcutIdentity, Children: []*Node{conv(8, 3, 1, 1)}})), "cannot add 8×8×8 and 8×8×3"},
		{"concat mismatch", model(3, 8, 8, &Node{Kind: KindBranch, Merge: MergeConcat, Children: []*Node{seq(conv(4, 3, 2, 1)), seq(conv(4, 3, 1, 1))}}), "cannot concatenate 4×4×4 with 8×8×4"},
		{"jumps disagree", model(1, 8, 8, misaligned), "paths disagree on the effective stride (jump 2 and 3"},
		{"channel limit", model(3, 8, 8, conv(1<<21, 1, 1, 0)), "2,097,152 output channels exceed the limit of 1,048,576"},
		{"input limit", model(3, 100000, 100000, conv(1, 1, 1, 0)), "exceeds the limits"},
		{"pool padding", model(3, 8, 8, pool(OpMaxPool, 2, 2, 2, false)), "more than half the kernel"},
		{"flat conv", model(3, 8, 8, leaf(OpFlatten), conv(1, 1, 1, 0)), "conv needs a spatial input"},
		{"repeat limit", model(3, 8, 8, &Node{Kind: KindRepeat, Count: 1 << 30, Children: []*Node{leaf(OpReLU)}}), "more layers than the limit of 250,000"},
		{"just under the limits", model(1<<10, 1<<14, 1<<14, conv(1<<10, 1, 1, 0)), ""},
		{"MACs overflow", model(1<<20, 1<<14, 1<<14, big), "a count exceeds 2⁶³ − 1"},
		{"activations overflow", model(1<<20, 1<<14, 1<<14, wide, wide, wide), "exceed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Analyze(c.m, Options{})
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if want := int64(1<<28) * (1 << 20); r.Totals.MACs != want {
					t.Fatalf("MACs %d, want %d", r.Totals.MACs, want)
				}
				return
			}
			var e *Error
			if err == nil || !errors.As(err, &e) {
				t.Fatalf("error %v, want an *Error containing %q", err, c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
}
