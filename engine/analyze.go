package engine

import (
	"errors"
	"fmt"
	"strconv"
)

// tensor is what flows along the tree during the walk.
type tensor struct {
	shape Shape
	rf    RF
	depth int
	from  int // the layer that produced it; -1 for the network's input
}

// scope hands out the names of the layers and blocks inside one construct:
// leaves are named by operation and a counter (conv1, bn1, conv2, …), composite
// children by a counter of their own (1, 2, …) unless they carry a name.
type scope struct {
	prefix string
	leaves map[OpKind]int
	blocks int
}

func newScope(parent *scope, name string) *scope {
	if parent != nil && parent.prefix != "" {
		name = parent.prefix + "." + name
	}
	return &scope{prefix: name}
}

func (s *scope) join(local string) string {
	if s.prefix == "" {
		return local
	}
	return s.prefix + "." + local
}

func (s *scope) leafName(n *Node) string {
	if n.Name != "" {
		return s.join(n.Name)
	}
	if s.leaves == nil {
		s.leaves = make(map[OpKind]int, 4)
	}
	s.leaves[n.Op.Kind]++
	return s.join(string(n.Op.Kind) + strconv.Itoa(s.leaves[n.Op.Kind]))
}

func (s *scope) blockName(n *Node, kind string) string {
	s.blocks++
	if n.Name != "" {
		return n.Name
	}
	if kind != "" {
		return kind + strconv.Itoa(s.blocks)
	}
	return strconv.Itoa(s.blocks)
}

// walker analyses a tree in one pass.
type walker struct {
	lim        *Limits
	layers     []Layer
	names      map[string]struct{}
	stage      string
	aux        bool
	nesting    int
	stages     []StageTotals
	lastCellIn *tensor // the input of the most recent cell (NASNet's h_{i−2} for the next one)
}

// Analyze computes the figures of every layer of m.
func Analyze(m *Model, opt Options) (*Report, error) {
	lim := opt.Limits
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	if m.Root == nil {
		return nil, &Error{Pos: m.Pos, Msg: "the model has no layers"}
	}
	in := m.Input
	if in.C < 1 || in.H < 1 || in.W < 1 {
		return nil, &Error{Pos: m.Pos, What: "input", Msg: fmt.Sprintf("the input must have at least one channel and one pixel, got %d×%d×%d", in.H, in.W, in.C)}
	}
	if in.C > lim.MaxChannels || in.H > lim.MaxSpatial || in.W > lim.MaxSpatial {
		return nil, &Error{Pos: m.Pos, What: "input", Msg: fmt.Sprintf("the input %s exceeds the limits of %s channels and %s pixels a side", in, Group(lim.MaxChannels), Group(lim.MaxSpatial))}
	}
	count, err := countLayers(m.Root, 0, &lim)
	if err != nil {
		return nil, err
	}
	if count > int64(lim.MaxLayers) {
		return nil, &Error{Pos: m.Pos, Msg: fmt.Sprintf("the network expands to %s layers, more than the limit of %s", Group(count), Group(int64(lim.MaxLayers)))}
	}
	w := &walker{lim: &lim, layers: make([]Layer, 0, count), names: make(map[string]struct{}, count)}
	start := tensor{shape: in, rf: RF{H: inputField, W: inputField}, from: -1}
	out, err := w.seq(m.Root.Children, newScope(nil, ""), start)
	if err != nil {
		return nil, err
	}
	r := &Report{ID: m.ID, Name: m.Name, Input: in, Output: out.shape, Layers: w.layers, Stages: w.stages}
	if err := r.total(out, opt.FreezeThrough); err != nil {
		return nil, &Error{Pos: m.Pos, Msg: err.Error()}
	}
	return r, nil
}

// countLayers is the number of layers the tree expands to, computed before any
// analysis so that a huge repeat is refused at once.
func countLayers(n *Node, nesting int, lim *Limits) (int64, error) {
	if nesting > lim.MaxNesting {
		return 0, &Error{Pos: n.Pos, What: n.Kind.String(), Msg: fmt.Sprintf("nested more than %d levels deep", lim.MaxNesting)}
	}
	sum := func(nodes []*Node) (int64, error) {
		var total int64
		for _, c := range nodes {
			k, err := countLayers(c, nesting+1, lim)
			if err != nil {
				return 0, err
			}
			if total, err = add(total, k); err != nil || total > int64(lim.MaxLayers) {
				return int64(lim.MaxLayers) + 1, nil
			}
		}
		return total, nil
	}
	body, err := sum(n.Children)
	if err != nil {
		return 0, err
	}
	switch n.Kind {
	case KindLeaf:
		return 1, nil
	case KindBranch:
		return body + 1, nil
	case KindResidual:
		sc, err := sum(n.Shortcut)
		if err != nil {
			return 0, err
		}
		after, err := sum(n.After)
		if err != nil {
			return 0, err
		}
		return body + sc + after + 3, nil // + the add, and up to two shortcut layers
	case KindRepeat, KindDense:
		if n.Count < 0 {
			return 0, &Error{Pos: n.Pos, What: n.Kind.String(), Msg: fmt.Sprintf("count must not be negative, got %d", n.Count)}
		}
		total, err := mul(body+1, int64(n.Count))
		if err != nil || total > int64(lim.MaxLayers) {
			return int64(lim.MaxLayers) + 1, nil
		}
		return total + 1, nil
	case KindCell:
		if n.Cell == nil {
			return 0, nil
		}
		var total int64 = 1
		for _, cn := range n.Cell.Nodes {
			k, err := sum(cn.Layers)
			if err != nil {
				return 0, err
			}
			total += k + 1
		}
		return total, nil
	}
	return body, nil
}

// fail wraps err as an Error at n.
func fail(n *Node, name string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	what := n.Kind.String()
	if n.Kind == KindLeaf {
		what = string(n.Op.Kind)
	} else if n.Kind == KindBranch {
		what = string(n.Merge)
	}
	return &Error{Pos: n.Pos, What: what, Layer: name, Msg: err.Error()}
}

func (w *walker) emit(l Layer) (int, error) {
	if _, dup := w.names[l.Name]; dup {
		return 0, fmt.Errorf("a second layer is named %q: names must be unique", l.Name)
	}
	w.names[l.Name] = struct{}{}
	l.Index = len(w.layers)
	l.Stage = w.stage
	l.Aux = w.aux
	w.layers = append(w.layers, l)
	return l.Index, nil
}

// checkShape keeps every tensor within the limits.
func (w *walker) checkShape(s Shape) error {
	if s.Flat {
		if s.C > w.lim.MaxFeatures*w.lim.MaxChannels {
			return fmt.Errorf("a vector of %s features exceeds the limit", Group(s.C))
		}
		return nil
	}
	if s.C > w.lim.MaxChannels {
		return fmt.Errorf("%s channels exceed the limit of %s", Group(s.C), Group(w.lim.MaxChannels))
	}
	if s.H > w.lim.MaxSpatial || s.W > w.lim.MaxSpatial {
		return fmt.Errorf("%d×%d exceeds the limit of %s pixels a side", s.H, s.W, Group(w.lim.MaxSpatial))
	}
	return nil
}

func (w *walker) seq(nodes []*Node, sc *scope, t tensor) (tensor, error) {
	var err error
	for _, n := range nodes {
		if t, err = w.node(n, sc, t); err != nil {
			return tensor{}, err
		}
	}
	return t, nil
}

func (w *walker) node(n *Node, sc *scope, t tensor) (tensor, error) {
	w.nesting++
	defer func() { w.nesting-- }()
	if w.nesting > w.lim.MaxNesting {
		return tensor{}, &Error{Pos: n.Pos, What: n.Kind.String(), Msg: fmt.Sprintf("nested more than %d levels deep", w.lim.MaxNesting)}
	}
	switch n.Kind {
	case KindLeaf:
		return w.leaf(n, sc, t)
	case KindSeq:
		if n.Name != "" {
			return w.seq(n.Children, newScope(sc, sc.blockName(n, "")), t)
		}
		return w.seq(n.Children, sc, t)
	case KindRepeat:
		var err error
		for range n.Count {
			if t, err = w.seq(n.Children, sc, t); err != nil {
				return tensor{}, err
			}
		}
		return t, nil
	case KindStage:
		return w.stageNode(n, sc, t)
	case KindBranch:
		return w.branch(n, newScope(sc, sc.blockName(n, "")), t)
	case KindResidual:
		return w.residual(n, newScope(sc, sc.blockName(n, "")), t)
	case KindDense:
		return w.dense(n, newScope(sc, sc.blockName(n, "dense")), t)
	case KindAux:
		outer := w.aux
		w.aux = true
		_, err := w.seq(n.Children, newScope(sc, sc.blockName(n, "aux")), t)
		w.aux = outer
		return t, err
	case KindCell:
		return w.cell(n, newScope(sc, sc.blockName(n, "cell")), t)
	}
	return tensor{}, &Error{Pos: n.Pos, Msg: fmt.Sprintf("unknown construct %d", n.Kind)}
}

func (w *walker) leaf(n *Node, sc *scope, t tensor) (tensor, error) {
	name := sc.leafName(n)
	figs, err := computeLeaf(&n.Op, t.shape, w.lim, nil)
	if err == nil {
		err = w.checkShape(figs.out)
	}
	if err != nil {
		return tensor{}, fail(n, name, err)
	}
	rf, err := leafField(&n.Op, t.shape, t.rf)
	if err != nil {
		return tensor{}, fail(n, name, err)
	}
	depth := t.depth
	if figs.weighted {
		depth++
	}
	idx, err := w.emit(Layer{
		Name: name, Op: string(n.Op.Kind), In: t.shape, Out: figs.out, Inputs: []int{t.from},
		Params: figs.params, Buffers: figs.buffers, MACs: figs.macs, OtherOps: figs.other,
		Activations: figs.activations, Weighted: figs.weighted, Depth: depth, RF: rf,
		op: &n.Op, inRFs: []RF{t.rf},
	})
	if err != nil {
		return tensor{}, fail(n, name, err)
	}
	return tensor{shape: figs.out, rf: rf, depth: depth, from: idx}, nil
}

// merge emits the layer that combines ins.
func (w *walker) merge(n *Node, kind MergeKind, name string, ins []tensor) (tensor, error) {
	shapes := make([]Shape, len(ins))
	fields := make([]RF, len(ins))
	from := make([]int, len(ins))
	depth := 0
	for i, t := range ins {
		shapes[i], fields[i], from[i] = t.shape, t.rf, t.from
		depth = max(depth, t.depth)
	}
	figs, err := mergeFigures(kind, shapes, nil)
	if err == nil {
		err = w.checkShape(figs.out)
	}
	if err != nil {
		return tensor{}, &Error{Pos: n.Pos, What: string(kind), Layer: name, Msg: err.Error()}
	}
	rf, err := mergeField(fields)
	if err != nil {
		return tensor{}, &Error{Pos: n.Pos, What: string(kind), Layer: name, Msg: err.Error()}
	}
	idx, err := w.emit(Layer{
		Name: name, Op: string(kind), In: shapes[0], Out: figs.out, Inputs: from,
		OtherOps: figs.other, Activations: figs.activations, Depth: depth, RF: rf,
		merge: kind, ins: shapes, inRFs: fields,
	})
	if err != nil {
		return tensor{}, &Error{Pos: n.Pos, What: string(kind), Layer: name, Msg: err.Error()}
	}
	return tensor{shape: figs.out, rf: rf, depth: depth, from: idx}, nil
}

func (w *walker) stageNode(n *Node, sc *scope, t tensor) (tensor, error) {
	inner := newScope(sc, sc.blockName(n, "stage"))
	top := w.stage == "" && !w.aux
	if top {
		w.stage = inner.prefix
	}
	first := len(w.layers)
	out, err := w.seq(n.Children, inner, t)
	if err != nil {
		return tensor{}, err
	}
	if top {
		st := StageTotals{Name: w.stage, First: first, Last: len(w.layers) - 1, Out: out.shape, RF: out.rf}
		for _, l := range w.layers[first:] {
			if !l.Aux {
				st.Params += l.Params
				st.MACs += l.MACs
				st.Activations += l.Activations
			}
		}
		w.stages = append(w.stages, st)
		w.stage = ""
	}
	return out, nil
}

func (w *walker) branch(n *Node, sc *scope, t tensor) (tensor, error) {
	outs := make([]tensor, 0, len(n.Children))
	in := t
	if n.Split {
		// A channel split is a view: each path reads its own C/n channels.
		paths := int64(len(n.Children))
		if paths == 0 || t.shape.C%paths != 0 {
			return tensor{}, &Error{Pos: n.Pos, What: "branch", Layer: sc.prefix, Msg: fmt.Sprintf("cannot split %d channels equally into %d paths", t.shape.C, paths)}
		}
		in.shape.C /= paths
	}
	t = in
	for i, path := range n.Children {
		name := path.Name
		if name == "" {
			name = "b" + strconv.Itoa(i+1)
		}
		out, err := w.seq(path.Children, newScope(sc, name), t)
		if err != nil {
			return tensor{}, err
		}
		outs = append(outs, out)
	}
	return w.merge(n, n.Merge, sc.join(string(n.Merge)), outs)
}

func (w *walker) residual(n *Node, sc *scope, t tensor) (tensor, error) {
	body, err := w.seq(n.Children, sc, t)
	if err != nil {
		return tensor{}, err
	}
	short := t
	switch n.ShortcutMode {
	case ShortcutLayers:
		if short, err = w.seq(n.Shortcut, newScope(sc, "shortcut"), t); err != nil {
			return tensor{}, err
		}
	case ShortcutAuto, ShortcutAutoConv, ShortcutAutoPad:
		if body.shape != t.shape {
			layers, err := projection(n, t.shape, body.shape)
			if err != nil {
				return tensor{}, &Error{Pos: n.Pos, What: "residual", Layer: sc.prefix, Msg: err.Error()}
			}
			if short, err = w.seq(layers, newScope(sc, "shortcut"), t); err != nil {
				return tensor{}, err
			}
		}
	}
	sum, err := w.merge(n, MergeAdd, sc.join("add"), []tensor{body, short})
	if err != nil {
		return tensor{}, err
	}
	return w.seq(n.After, sc, sum)
}

// projection builds the shortcut that maps a residual block's input to its body's
// output shape: a 1×1 convolution with the stride that divides the size (option B,
// with batch norm unless ShortcutAutoConv), or, for ShortcutAutoPad, a strided
// subsample with zero channels added (option A).
func projection(n *Node, in, out Shape) ([]*Node, error) {
	if in.Flat || out.Flat || out.H < 1 || out.W < 1 {
		return nil, fmt.Errorf("the shortcut cannot map %s to %s", in, out)
	}
	s := in.H / out.H
	if s < 1 || windowOut(in.H, 1, s, 0, 1, false) != out.H || windowOut(in.W, 1, s, 0, 1, false) != out.W {
		return nil, fmt.Errorf("no strided 1×1 shortcut maps the input %s to the body's output %s", in, out)
	}
	one := [2]int64{1, 1}
	stride := [2]int64{s, s}
	if n.ShortcutMode == ShortcutAutoPad {
		if out.C < in.C {
			return nil, fmt.Errorf("a zero-padding shortcut cannot reduce %d channels to %d", in.C, out.C)
		}
		return []*Node{{Kind: KindLeaf, Op: Op{Kind: OpPadChannels, Out: out.C, S: stride, K: one, D: one}, Pos: n.Pos}}, nil
	}
	layers := []*Node{{Kind: KindLeaf, Op: Op{Kind: OpConv, Out: out.C, K: one, S: stride, D: one, Groups: 1}, Pos: n.Pos}}
	if n.ShortcutMode == ShortcutAuto {
		layers = append(layers, &Node{Kind: KindLeaf, Op: Op{Kind: OpBN}, Pos: n.Pos})
	}
	return layers, nil
}

func (w *walker) dense(n *Node, sc *scope, t tensor) (tensor, error) {
	features := []tensor{t}
	for i := 1; i <= n.Count; i++ {
		layer := newScope(sc, "layer"+strconv.Itoa(i))
		in := t
		if len(features) > 1 {
			var err error
			if in, err = w.merge(n, MergeConcat, layer.join("concat"), features); err != nil {
				return tensor{}, err
			}
		}
		out, err := w.seq(n.Children, layer, in)
		if err != nil {
			return tensor{}, err
		}
		features = append(features, out)
	}
	return w.merge(n, MergeConcat, sc.join("concat"), features)
}

func (w *walker) cell(n *Node, sc *scope, t tensor) (tensor, error) {
	c := n.Cell
	if c == nil || len(c.Inputs) == 0 {
		return tensor{}, &Error{Pos: n.Pos, What: "cell", Layer: sc.prefix, Msg: "a cell needs its inputs named"}
	}
	prev := t
	if w.lastCellIn != nil {
		prev = *w.lastCellIn
	}
	named := map[string]tensor{c.Inputs[0]: t}
	if len(c.Inputs) > 1 {
		named[c.Inputs[1]] = prev
	}
	lookup := func(cn *CellNode, ref string) (tensor, error) {
		if ref == cn.Name {
			return tensor{}, &Error{Pos: cn.Pos, What: "cell", Layer: sc.join(cn.Name), Msg: fmt.Sprintf("%q reads itself", ref)}
		}
		v, ok := named[ref]
		if !ok {
			return tensor{}, &Error{Pos: cn.Pos, What: "cell", Layer: sc.join(cn.Name), Msg: fmt.Sprintf("unknown input %q: a cell node reads the cell's inputs or nodes defined before it", ref)}
		}
		return v, nil
	}
	combine := func(cn *CellNode) (tensor, error) {
		if cn.From != "" {
			src, err := lookup(cn, cn.From)
			if err != nil {
				return tensor{}, err
			}
			return w.seq(cn.Layers, newScope(sc, cn.Name), src)
		}
		ins := make([]tensor, len(cn.Of))
		for i, ref := range cn.Of {
			v, err := lookup(cn, ref)
			if err != nil {
				return tensor{}, err
			}
			ins[i] = v
		}
		if len(ins) == 1 {
			return ins[0], nil
		}
		return w.merge(&Node{Pos: cn.Pos}, cn.Merge, sc.join(cn.Name), ins)
	}
	for i := range c.Nodes {
		cn := &c.Nodes[i]
		if _, dup := named[cn.Name]; dup {
			return tensor{}, &Error{Pos: cn.Pos, What: "cell", Layer: sc.join(cn.Name), Msg: fmt.Sprintf("the name %q is used twice in the cell", cn.Name)}
		}
		out, err := combine(cn)
		if err != nil {
			return tensor{}, err
		}
		named[cn.Name] = out
	}
	out, err := combine(&c.Output)
	if err != nil {
		return tensor{}, err
	}
	in := t
	w.lastCellIn = &in
	return out, nil
}

// total adds up the figures of the non-auxiliary layers.
func (r *Report) total(out tensor, freezeThrough string) error {
	t := &r.Totals
	frozen := -1
	if freezeThrough != "" {
		l, ok := r.Layer(freezeThrough)
		if !ok {
			return fmt.Errorf("no layer named %q to freeze through", freezeThrough)
		}
		frozen = l.Index
	}
	var err error
	for i := range r.Layers {
		l := &r.Layers[i]
		if l.Aux {
			if t.AuxParams, err = add(t.AuxParams, l.Params); err == nil {
				t.AuxMACs, err = add(t.AuxMACs, l.MACs)
			}
		} else {
			t.Layers++
			if t.Params, err = add(t.Params, l.Params); err != nil {
				break
			}
			if i > frozen {
				t.Trainable += l.Params
			}
			if t.Buffers, err = add(t.Buffers, l.Buffers); err != nil {
				break
			}
			if t.MACs, err = add(t.MACs, l.MACs); err != nil {
				break
			}
			if t.OtherOps, err = add(t.OtherOps, l.OtherOps); err != nil {
				break
			}
			t.Activations, err = add(t.Activations, l.Activations)
		}
		if err != nil {
			return fmt.Errorf("the totals exceed 2⁶³ − 1")
		}
	}
	if err != nil {
		return fmt.Errorf("the totals exceed 2⁶³ − 1")
	}
	t.Depth = out.depth
	return nil
}
