package onnx

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"convatlas/engine"
)

// errUngrouped says that a region is not a sequence, a branch, a residual or a dense
// block: it is kept as a cell.
var errUngrouped = errors.New("not series-parallel")

// output is the data tensor the graph returns.
func (c *converter) output() (int, error) {
	if len(c.g.Outputs) != 1 {
		return 0, fmt.Errorf("onnx: the graph has %d outputs; one (the logits or the map) is expected", len(c.g.Outputs))
	}
	out, ok := c.data(c.g.Outputs[0].Name)
	if !ok {
		return 0, fmt.Errorf("onnx: the output %q is not computed from the input", c.g.Outputs[0].Name)
	}
	return out, nil
}

// order computes every tensor's immediate post-dominator: the first tensor that every
// path from it to the output passes through. Tensors are numbered in topological
// order (ONNX lists nodes so), so a reverse sweep sees every user first.
func (c *converter) order() {
	n := len(c.producer)
	c.ipdom = make([]int, n)
	out, _ := c.output()
	for t := n - 1; t >= 0; t-- {
		c.ipdom[t] = -2 // does not reach the output
		if t == out {
			c.ipdom[t] = -1
			continue
		}
		cand := -2
		for _, u := range c.users[t] {
			o := c.ops[u].out
			if o != out && c.ipdom[o] == -2 {
				continue
			}
			if cand == -2 {
				cand = o
				continue
			}
			cand = c.intersect(cand, o)
		}
		c.ipdom[t] = cand
	}
}

func (c *converter) intersect(a, b int) int {
	for a != b && a >= 0 && b >= 0 {
		if a < b {
			a = c.ipdom[a]
		} else {
			b = c.ipdom[b]
		}
	}
	if a != b {
		return -1
	}
	return a
}

// live is the users of t not yet placed in the tree.
func (c *converter) live(t int) []int {
	var us []int
	for _, u := range c.users[t] {
		if !c.ops[u].done && c.reaches(c.ops[u].out) {
			us = append(us, u)
		}
	}
	return us
}

func (c *converter) reaches(t int) bool { return c.ipdom[t] != -2 }

// leafNode is the tree's node for a one-input op, nil for an identity.
func (c *converter) leafNode(o *op) *engine.Node {
	if o.single || o.leaf == nil || o.leaf.Kind == engine.OpIdentity {
		return nil
	}
	return &engine.Node{Kind: engine.KindLeaf, Op: *o.leaf, Pos: engine.Pos{Field: o.name}}
}

// build is the sequence of constructs from tensor start to tensor stop; within a path
// of merge m it stops at a tensor that only m still reads.
func (c *converter) build(start, stop int) ([]*engine.Node, error) {
	nodes, _, err := c.path(start, stop, nil)
	return nodes, err
}

// path walks from start to stop, or within a path of merge m to the tensor m reads,
// which it returns; or to several tensors m reads, when the path forks into branches
// that m concatenates directly (the exporter flattens a concatenation of
// concatenations, as in Inception-v3's last modules).
func (c *converter) path(start, stop int, m *op) ([]*engine.Node, []int, error) {
	var out []*engine.Node
	cur := start
	for cur != stop {
		if c.budget--; c.budget < 0 {
			return nil, nil, fmt.Errorf("onnx: the graph is too tangled to group within the work limit")
		}
		us := c.live(cur)
		if m != nil && len(us) == 0 {
			return out, []int{cur}, nil // only the merge reads it, and the merge is placed by the caller
		}
		if len(us) == 1 && len(c.ops[us[0]].ins) == 1 && (m == nil || c.ops[us[0]] != m) {
			o := c.ops[us[0]]
			o.done = true
			if n := c.leafNode(o); n != nil {
				c.im.Scopes[&n.Op] = o.scope
				out = append(out, n)
			}
			cur = o.out
			continue
		}
		if m != nil && len(us) == 1 && c.ops[us[0]] == m {
			return out, []int{cur}, nil
		}
		j := c.ipdom[cur]
		if m != nil && j == m.out && m.merge == engine.MergeConcat {
			inner, ends, err := c.paths(cur, m)
			if err != nil {
				return nil, nil, err
			}
			n := &engine.Node{Kind: engine.KindBranch, Merge: engine.MergeConcat, Pos: engine.Pos{Field: m.name}}
			for _, p := range inner {
				n.Children = append(n.Children, &engine.Node{Kind: engine.KindSeq, Children: p})
			}
			return append(out, n), ends, nil
		}
		if j < 0 || (m != nil && j == m.out) {
			return nil, nil, errUngrouped
		}
		node, err := c.region(cur, j)
		if errors.Is(err, errUngrouped) {
			c.undo(cur, j)
			node, err = c.cell(cur, j)
		}
		if err != nil {
			return nil, nil, err
		}
		out = append(out, node)
		cur = j
	}
	return out, []int{cur}, nil
}

// undo forgets the placement of the ops between tensors cur and j, after a failed
// attempt to group them.
func (c *converter) undo(cur, j int) {
	in := map[int]bool{cur: true}
	for t := cur + 1; t <= j; t++ {
		p := c.producer[t]
		if p < 0 {
			continue
		}
		for _, i := range c.ops[p].ins {
			if in[i] {
				in[t] = true
				c.ops[p].done = false
				break
			}
		}
	}
}

// region groups the fork at tensor cur, whose paths join at tensor j.
func (c *converter) region(cur, j int) (*engine.Node, error) {
	if n, ok := c.dense(cur, j); ok {
		return n, nil
	}
	m := c.ops[c.producer[j]]
	if m.merge == "" {
		return nil, errUngrouped
	}
	if n, ok := c.se(cur, m); ok {
		return n, nil
	}
	split := c.isSplit(cur, m)
	ordered, _, err := c.paths(cur, m)
	if err != nil {
		return nil, err
	}
	m.done = true
	pos := engine.Pos{Field: m.name}
	if m.merge == engine.MergeAdd && len(ordered) == 2 {
		body, short := ordered[0], ordered[1]
		if countLeaves(short) > countLeaves(body) {
			body, short = short, body
		}
		n := &engine.Node{Kind: engine.KindResidual, Children: body, Pos: pos}
		if len(short) == 0 {
			n.ShortcutMode = engine.ShortcutIdentity
		} else {
			n.ShortcutMode, n.Shortcut = engine.ShortcutLayers, short
		}
		return n, nil
	}
	n := &engine.Node{Kind: engine.KindBranch, Merge: m.merge, Split: split, Pos: pos}
	for _, p := range ordered {
		n.Children = append(n.Children, &engine.Node{Kind: engine.KindSeq, Children: p})
	}
	return n, nil
}

// isSplit reports a fork into the two halves of a channel split (ShuffleNet V2).
func (c *converter) isSplit(cur int, m *op) bool {
	halves := 0
	for _, u := range c.live(cur) {
		o := c.ops[u]
		if o == m || o.half == 0 {
			return false
		}
		halves |= o.half
	}
	return halves == 3
}

// paths builds the paths from the fork at cur to merge m, in the order of m's inputs,
// and gives the tensors of m's inputs they end at.
func (c *converter) paths(cur int, m *op) ([][]*engine.Node, []int, error) {
	type branchPath struct {
		at    int // position of the path's first end among m's inputs
		nodes []*engine.Node
	}
	var found []branchPath
	var ends []int
	claim := func(t int) int {
		for i, in := range m.ins {
			if in == t && !slices.Contains(ends, i) {
				ends = append(ends, i)
				return i
			}
		}
		return -1
	}
	for range m.ins {
		if at := claim(cur); at >= 0 {
			found = append(found, branchPath{at: at})
		}
	}
	for _, u := range c.live(cur) {
		o := c.ops[u]
		if o == m {
			continue
		}
		if len(o.ins) != 1 {
			return nil, nil, errUngrouped
		}
		o.done = true
		var nodes []*engine.Node
		if n := c.leafNode(o); n != nil {
			c.im.Scopes[&n.Op] = o.scope
			nodes = append(nodes, n)
		}
		rest, reached, err := c.path(o.out, -1, m)
		if err != nil {
			return nil, nil, err
		}
		nodes = append(nodes, rest...)
		at := -1
		for _, t := range reached {
			i := claim(t)
			if i < 0 {
				return nil, nil, errUngrouped
			}
			if at < 0 || i < at {
				at = i
			}
		}
		found = append(found, branchPath{at: at, nodes: nodes})
	}
	sort.Slice(found, func(i, k int) bool { return found[i].at < found[k].at })
	out := make([][]*engine.Node, len(found))
	for i, p := range found {
		out[i] = p.nodes
	}
	reached := make([]int, len(ends))
	for i, at := range ends {
		reached[i] = m.ins[at]
	}
	return out, reached, nil
}

func countLeaves(nodes []*engine.Node) int {
	n := 0
	for _, x := range nodes {
		if x.Kind == engine.KindLeaf {
			n++
		} else {
			n += 1 + countLeaves(x.Children)
		}
	}
	return n
}

// se recognises a squeeze-and-excitation gate: x · gate(conv(act(conv(gap(x))))).
func (c *converter) se(cur int, m *op) (*engine.Node, bool) {
	if m.merge != engine.MergeMul || len(m.ins) != 2 {
		return nil, false
	}
	g := m.ins[0]
	if g == cur {
		g = m.ins[1]
	}
	if m.ins[0] != cur && m.ins[1] != cur {
		return nil, false
	}
	var chain []*op
	for t := g; t != cur; {
		p := c.producer[t]
		if p < 0 || len(c.ops[p].ins) != 1 || c.ops[p].leaf == nil || len(chain) > 5 {
			return nil, false
		}
		chain = append([]*op{c.ops[p]}, chain...)
		t = c.ops[p].ins[0]
	}
	if len(chain) != 5 {
		return nil, false
	}
	kinds := func(i int) engine.OpKind { return chain[i].leaf.Kind }
	conv1, conv2 := chain[1].leaf, chain[3].leaf
	is1x1 := func(o *engine.Op) bool {
		return o.Kind == engine.OpConv && o.K == [2]int64{1, 1} && o.S == [2]int64{1, 1} && o.Groups == 1 && o.Bias
	}
	act := kinds(2)
	if kinds(0) != engine.OpGAP || !is1x1(conv1) || !is1x1(conv2) ||
		(kinds(4) != engine.OpSigmoid && kinds(4) != engine.OpHSigmoid) ||
		(act != engine.OpReLU && act != engine.OpReLU6 && act != engine.OpSiLU && act != engine.OpHSwish && act != engine.OpGELU) {
		return nil, false
	}
	for _, o := range chain {
		if len(c.users[o.out]) != 1 {
			return nil, false
		}
	}
	for _, o := range chain {
		o.done = true
	}
	m.done = true
	n := &engine.Node{Kind: engine.KindLeaf, Op: engine.Op{Kind: engine.OpSE, Squeeze: conv1.Out, Act: act, Gate: kinds(4)}, Pos: engine.Pos{Field: m.name}}
	c.im.Scopes[&n.Op] = m.scope
	return n, true
}

// dense recognises a DenseNet block at tensor x0: concatenations c_k of x0 and the
// outputs x_1 … x_k of the layers before, each layer reading c_{k−1}, all layers alike.
func (c *converter) dense(x0, j int) (*engine.Node, bool) {
	us := c.live(x0)
	if len(us) < 3 {
		return nil, false
	}
	cats := make([]*op, len(us))
	for _, u := range us {
		o := c.ops[u]
		if o.merge != engine.MergeConcat && !o.single || len(o.ins) > len(us) || o.ins[0] != x0 || cats[len(o.ins)-1] != nil {
			return nil, false
		}
		cats[len(o.ins)-1] = o
	}
	final := cats[len(cats)-1]
	if final.out != j {
		return nil, false
	}
	var first []*engine.Node
	for k := 0; k+1 < len(cats); k++ {
		want := cats[k+1].ins[k+1]
		for i := 0; i <= k; i++ {
			if cats[k+1].ins[i] != cats[k].ins[min(i, len(cats[k].ins)-1)] && i < len(cats[k].ins) {
				return nil, false
			}
		}
		layer, err := c.chain(cats[k].out, want)
		if err != nil {
			return nil, false
		}
		if k == 0 {
			first = layer
		} else if !sameLeaves(first, layer) {
			return nil, false
		}
	}
	for _, o := range cats {
		o.done = true
	}
	return &engine.Node{Kind: engine.KindDense, Count: len(cats) - 1, Children: first, Pos: engine.Pos{Field: final.name}}, true
}

// chain is the linear sequence of one-input ops from t to stop.
func (c *converter) chain(t, stop int) ([]*engine.Node, error) {
	var out []*engine.Node
	for t != stop {
		us := c.live(t)
		if len(us) != 1 || len(c.ops[us[0]].ins) != 1 {
			return nil, errUngrouped
		}
		o := c.ops[us[0]]
		o.done = true
		if n := c.leafNode(o); n != nil {
			c.im.Scopes[&n.Op] = o.scope
			out = append(out, n)
		}
		t = o.out
	}
	return out, nil
}

func sameLeaves(a, b []*engine.Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != engine.KindLeaf || b[i].Kind != engine.KindLeaf || a[i].Op != b[i].Op {
			return false
		}
	}
	return true
}

// cell keeps the region from cur to j as a faithful graph: every op a named tensor.
func (c *converter) cell(cur, j int) (*engine.Node, error) {
	in := map[int]bool{cur: true}
	name := func(t int) string {
		if t == cur {
			return "x"
		}
		return "t" + strconv.Itoa(t)
	}
	cell := &engine.Cell{Inputs: []string{"x"}}
	for t := cur + 1; t <= j; t++ {
		p := c.producer[t]
		if p < 0 || !c.reaches(t) {
			continue
		}
		o := c.ops[p]
		reads := false
		for _, i := range o.ins {
			reads = reads || in[i]
		}
		if !reads {
			continue
		}
		for _, i := range o.ins {
			if !in[i] {
				return nil, fmt.Errorf("onnx: node %q reads a tensor from outside its region; the graph cannot be drawn as a tree", o.name)
			}
		}
		in[t] = true
		o.done = true
		cn := engine.CellNode{Name: name(t), Pos: engine.Pos{Field: o.name}}
		if o.leaf != nil {
			cn.From = name(o.ins[0])
			if n := c.leafNode(o); n != nil {
				c.im.Scopes[&n.Op] = o.scope
				cn.Layers = []*engine.Node{n}
			}
		} else {
			cn.Merge = o.merge
			for _, i := range o.ins {
				cn.Of = append(cn.Of, name(i))
			}
		}
		if t == j && cn.Merge != "" {
			cell.Output = cn
			continue
		}
		cell.Nodes = append(cell.Nodes, cn)
		if t == j {
			// The output of a cell is a merge: of this one tensor.
			cell.Output = engine.CellNode{Name: "out", Merge: engine.MergeConcat, Of: []string{cn.Name}, Pos: cn.Pos}
		}
	}
	c.im.Cells = append(c.im.Cells, c.ops[c.producer[j]].name)
	return &engine.Node{Kind: engine.KindCell, Cell: cell, Pos: engine.Pos{Field: c.ops[c.producer[j]].name}}, nil
}
