package engine

import "testing"

// FuzzAnalyze builds chains and branches from fuzzed numbers: every figure stays
// non-negative and exact, or the analysis says why not — never a panic or a wrapped
// count.
func FuzzAnalyze(f *testing.F) {
	f.Add([]byte{3, 32, 8, 3, 1, 1, 0, 2, 2, 0})
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255})
	f.Add([]byte{1, 1, 1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 3 {
			return
		}
		in := Shape{C: int64(b[0]) + 1, H: int64(b[1]) + 1, W: int64(b[1]) + 1}
		var nodes []*Node
		for i := 2; i+3 < len(b) && len(nodes) < 64; i += 4 {
			k, s, p := int64(b[i+1]%9), int64(b[i+2]%5), int64(b[i+3]%5)
			switch b[i] % 6 {
			case 0:
				nodes = append(nodes, conv(int64(b[i+1])*int64(b[i+2])+1, k, s, p))
			case 1:
				nodes = append(nodes, pool(OpMaxPool, k, s, p, b[i+3]%2 == 0))
			case 2:
				nodes = append(nodes, leaf(OpBN), leaf(OpReLU))
			case 3:
				nodes = append(nodes, &Node{Kind: KindBranch, Merge: MergeConcat, Children: []*Node{seq(conv(k+1, 1, 1, 0)), seq(conv(s+1, 3, 1, 1))}})
			case 4:
				nodes = append(nodes, &Node{Kind: KindResidual, ShortcutMode: ShortcutMode(b[i+1] % 4), Children: []*Node{conv(int64(b[i+2])+1, 3, s%2+1, 1), leaf(OpBN)}})
			case 5:
				nodes = append(nodes, &Node{Kind: KindRepeat, Count: int(k), Children: []*Node{conv(int64(b[i+2])+1, 1, 1, 0)}})
			}
		}
		r, err := Analyze(model(in.C, in.H, in.W, nodes...), Options{})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		var params, macs int64
		for i, l := range r.Layers {
			if l.Params < 0 || l.MACs < 0 || l.Activations < 0 || l.Out.C < 1 || l.Out.H < 1 || l.Out.W < 1 || l.RF.H.Size < 1 {
				t.Fatalf("layer %d: %+v", i, l)
			}
			params += l.Params
			macs += l.MACs
			_ = r.Explain(i)
		}
		if params != r.Totals.Params || macs != r.Totals.MACs {
			t.Fatalf("totals %d/%d, layers add to %d/%d", r.Totals.Params, r.Totals.MACs, params, macs)
		}
		// The cost model bounds what the walk made.
		c, err := Estimate(model(in.C, in.H, in.W, nodes...), Limits{})
		edges := 0
		for _, l := range r.Layers {
			edges += len(l.Inputs)
		}
		if err != nil || c.Layers < int64(len(r.Layers)) || c.Edges < int64(edges) || c.Blocks < int64(len(r.Blocks)) {
			t.Fatalf("estimate %+v (%v) below %d layers, %d edges, %d blocks", c, err, len(r.Layers), edges, len(r.Blocks))
		}
	})
}
