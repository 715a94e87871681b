package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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
//
// Names cannot contain dots, so a full name is unique when every local name is unique
// in its scope. Generated names are unique by construction; a written name is checked
// against the written names of its scope and against the generated ones already given.
type scope struct {
	prefix  string
	leaves  []leafCount
	leafBuf [6]leafCount
	blocks  int
	given   []string            // block and merge names generated so far
	written map[string]struct{} // names written in the definition, nil until one is
}

type leafCount struct {
	kind OpKind
	n    int
}

// openScope opens the scope of a construct named local inside parent. Scopes nest
// strictly, so closed ones are kept and reused: a walk allocates as many as its
// deepest nesting, not one per block.
func (w *walker) openScope(parent *scope, local string) *scope {
	var s *scope
	if n := len(w.spare); n > 0 {
		s, w.spare = w.spare[n-1], w.spare[:n-1]
	} else {
		s = new(scope)
	}
	s.prefix = parent.join(local)
	return s
}

// closeScope hands back a scope once its construct is walked.
func (w *walker) closeScope(s *scope) {
	s.prefix, s.leaves, s.blocks, s.given, s.written = "", nil, 0, s.given[:0], nil
	w.spare = append(w.spare, s)
}

func (s *scope) join(local string) string {
	if s == nil || s.prefix == "" {
		return local
	}
	return s.prefix + "." + local
}

// generated records a generated local name, refusing one already written.
func (s *scope) generated(local string) error {
	s.given = append(s.given, local)
	if _, clash := s.written[local]; clash {
		return fmt.Errorf("the name %q is given twice in %s: once written, once generated", local, s.where())
	}
	return nil
}

// write records a written local name, refusing one already used.
func (s *scope) write(local string) error {
	if _, dup := s.written[local]; dup || s.looksGenerated(local) {
		return fmt.Errorf("a second layer or block is named %q in %s: names must be unique", local, s.where())
	}
	if s.written == nil {
		s.written = make(map[string]struct{}, 4)
	}
	s.written[local] = struct{}{}
	return nil
}

func (s *scope) where() string {
	if s.prefix == "" {
		return "the network"
	}
	return fmt.Sprintf("%q", s.prefix)
}

// looksGenerated reports whether local is a name this scope has already generated.
func (s *scope) looksGenerated(local string) bool {
	if slices.Contains(s.given, local) {
		return true
	}
	i := len(local)
	for i > 0 && local[i-1] >= '0' && local[i-1] <= '9' {
		i--
	}
	if i == 0 || i == len(local) || len(local)-i > 9 {
		return false
	}
	n, _ := strconv.Atoi(local[i:])
	for _, c := range s.leaves {
		if string(c.kind) == local[:i] {
			return n >= 1 && n <= c.n
		}
	}
	return false
}

// writeLeafName writes the full name of leaf n to b.
func (s *scope) writeLeafName(b *strings.Builder, n *Node) error {
	if s.prefix != "" {
		b.WriteString(s.prefix)
		b.WriteByte('.')
	}
	if n.Name != "" {
		b.WriteString(n.Name)
		return s.write(n.Name)
	}
	count := 0
	for i := range s.leaves {
		if s.leaves[i].kind == n.Op.Kind {
			s.leaves[i].n++
			count = s.leaves[i].n
		}
	}
	if count == 0 {
		if s.leaves == nil {
			s.leaves = s.leafBuf[:0]
		}
		s.leaves = append(s.leaves, leafCount{kind: n.Op.Kind, n: 1})
		count = 1
	}
	local := b.Len()
	b.WriteString(string(n.Op.Kind))
	var digits [20]byte
	b.Write(strconv.AppendInt(digits[:0], int64(count), 10))
	if s.written != nil {
		return s.generated(b.String()[local:])
	}
	return nil
}

func (s *scope) blockName(n *Node, kind string) (string, error) {
	if n.Name != "" {
		// Checked before counting this block, whose own number is not yet taken.
		err := s.write(n.Name)
		s.blocks++
		return n.Name, err
	}
	s.blocks++
	local := kind + strconv.Itoa(s.blocks)
	return local, s.generated(local)
}

// fixedName is the name of a merge or sub-scope that a construct always makes
// ("add", "concat", "shortcut").
func (s *scope) fixedName(local string) (string, error) {
	return s.join(local), s.generated(local)
}

// walker analyses a tree in one pass.
type walker struct {
	ctx        context.Context
	lim        *Limits
	layers     []Layer
	inputSlab  []int
	names      strings.Builder // every layer's name, one after the other; Layer.Name is a slice of it
	spare      []*scope        // closed scopes, reused
	shapes     []Shape         // the inputs of the merge being computed
	fields     []RF
	stage      string
	aux        bool
	nesting    int
	stages     []StageTotals
	stageSum   StageTotals // the figures of the top-level stage being walked
	totals     Totals
	overflow   bool    // a total exceeded 2⁶³ − 1
	lastCellIn *tensor // the input of the most recent cell (NASNet's h_{i−2} for the next one)
	blocks     []Block
	block      int      // the innermost block being walked; -1 outside all
	devices    *Devices // the model's split across devices; nil when it has none
	joined     bool     // the walk has reached devices.Join: the layers run once from here
}

// enter opens a block inside the current one; leave closes it.
func (w *walker) enter(kind NodeKind, role, name, label string, n *Node) int {
	w.blocks = append(w.blocks, Block{Kind: kind, Role: role, Name: name, Label: label, Parent: w.block, First: len(w.layers), Node: n})
	w.block = len(w.blocks) - 1
	return w.block
}

func (w *walker) leave(b int) {
	w.blocks[b].Last = len(w.layers) - 1
	w.block = w.blocks[b].Parent
}

// Analyze computes the figures of every layer of m.
func Analyze(m *Model, opt Options) (*Report, error) {
	return AnalyzeContext(context.Background(), m, opt)
}

// AnalyzeContext is Analyze that stops with ctx's error once ctx is done: the walk
// looks at ctx every few hundred layers, and the cost of the definition is checked
// against opt's limits before the walk starts (Estimate).
func AnalyzeContext(ctx context.Context, m *Model, opt Options) (*Report, error) {
	lim := opt.Limits.withDefaults()
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
	cost, err := Estimate(m, lim)
	if err != nil {
		return nil, err
	}
	w := &walker{ctx: ctx, lim: &lim, layers: make([]Layer, 0, cost.Layers), inputSlab: make([]int, 0, cost.Edges), block: -1}
	w.names.Grow(24 * int(cost.Layers))
	if m.Devices.Split() {
		w.devices = &m.Devices
	}
	start := tensor{shape: in, rf: RF{H: inputField, W: inputField}, from: -1}
	out, err := w.seq(m.Root.Children, &scope{}, start)
	if err != nil {
		return nil, err
	}
	if w.overflow {
		return nil, &Error{Pos: m.Pos, Msg: "the totals exceed 2⁶³ − 1"}
	}
	if w.devices != nil && w.devices.Join != "" && !w.joined {
		return nil, &Error{Pos: w.devices.Pos, Msg: fmt.Sprintf("devices: join names no layer %q", w.devices.Join)}
	}
	r := &Report{ID: m.ID, Name: m.Name, Input: in, Output: out.shape, Layers: w.layers, Stages: w.stages, Blocks: w.blocks, Totals: w.totals, Devices: m.Devices}
	r.Totals.Depth, r.Totals.Trainable = out.depth, r.Totals.Params
	if opt.FreezeThrough != "" {
		if err := r.freeze(opt.FreezeThrough); err != nil {
			return nil, &Error{Pos: m.Pos, Msg: err.Error()}
		}
	}
	return r, nil
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

// step runs before each layer is emitted: every checkEvery layers it looks at the
// request's context, and it keeps the names within their limit.
func (w *walker) step(n *Node) error {
	if len(w.layers)%checkEvery == 0 {
		if err := w.ctx.Err(); err != nil {
			return err
		}
	}
	if w.names.Len() > w.lim.MaxNameBytes {
		return &Error{Pos: n.Pos, Msg: fmt.Sprintf("the layers' names take more than the limit of %s bytes", Group(int64(w.lim.MaxNameBytes)))}
	}
	return nil
}

// emit appends a layer and returns it to be filled in place.
func (w *walker) emit() *Layer {
	if len(w.layers) < cap(w.layers) {
		w.layers = w.layers[:len(w.layers)+1] // made zeroed, with room for every layer
	} else {
		w.layers = append(w.layers, Layer{})
	}
	l := &w.layers[len(w.layers)-1]
	l.Index = len(w.layers) - 1
	l.Block = w.block
	l.Stage = w.stage
	l.Aux = w.aux
	return l
}

// tally adds a finished layer to the totals and to its stage's subtotals, as the walk
// goes, so that the report is not read a second time. Auxiliary layers count apart.
func (w *walker) tally(l *Layer) {
	t := &w.totals
	var err error
	if l.Aux {
		if t.AuxParams, err = add(t.AuxParams, l.Params); err == nil {
			t.AuxMACs, err = add(t.AuxMACs, l.MACs)
		}
		w.overflow = w.overflow || err != nil
		return
	}
	t.Layers++
	t.Params, err = add(t.Params, l.Params)
	if err == nil {
		t.Buffers, err = add(t.Buffers, l.Buffers)
	}
	if err == nil {
		t.MACs, err = add(t.MACs, l.MACs)
	}
	if err == nil {
		t.OtherOps, err = add(t.OtherOps, l.OtherOps)
	}
	if err == nil {
		t.Activations, err = add(t.Activations, l.Activations)
	}
	w.overflow = w.overflow || err != nil
	if w.stage != "" {
		// Within the network's totals, so these cannot overflow.
		w.stageSum.Params += l.Params
		w.stageSum.MACs += l.MACs
		w.stageSum.Activations += l.Activations
	}
}

// oneInput hands out a one-element slice from a slab, saving an allocation per layer.
func (w *walker) oneInput(from int) []int {
	if len(w.inputSlab) == cap(w.inputSlab) {
		w.inputSlab = make([]int, 0, 256)
	}
	w.inputSlab = append(w.inputSlab, from)
	n := len(w.inputSlab)
	return w.inputSlab[n-1 : n : n]
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
		if n.Kind == KindLeaf {
			err = w.leaf(n, sc, &t)
		} else {
			t, err = w.node(n, sc, t)
		}
		if err != nil {
			return tensor{}, err
		}
	}
	return t, nil
}

// child opens the scope of a composite child of sc.
func (w *walker) child(n *Node, sc *scope, kind string) (*scope, error) {
	name, err := sc.blockName(n, kind)
	if err != nil {
		return nil, fail(n, sc.join(name), err)
	}
	return w.openScope(sc, name), nil
}

func (w *walker) node(n *Node, sc *scope, t tensor) (tensor, error) {
	if n.Kind == KindLeaf {
		err := w.leaf(n, sc, &t)
		return t, err
	}
	w.nesting++
	defer func() { w.nesting-- }()
	if w.nesting > w.lim.MaxNesting {
		return tensor{}, &Error{Pos: n.Pos, What: n.Kind.String(), Msg: fmt.Sprintf("nested more than %d levels deep", w.lim.MaxNesting)}
	}
	switch {
	case n.Kind == KindSeq && n.Name == "":
		return w.seq(n.Children, sc, t)
	case n.Kind == KindRepeat:
		var err error
		for range n.Count {
			if err := w.ctx.Err(); err != nil {
				return tensor{}, err
			}
			if t, err = w.seq(n.Children, sc, t); err != nil {
				return tensor{}, err
			}
		}
		return t, nil
	}
	if w.devices != nil {
		if err := w.checkDeviceNode(n); err != nil {
			return tensor{}, err
		}
	}
	kind := ""
	switch n.Kind {
	case KindDense:
		kind = "dense"
	case KindAux:
		kind = "aux"
	case KindCell:
		kind = "cell"
	case KindStage:
		kind = "stage"
	}
	inner, err := w.child(n, sc, kind)
	if err != nil {
		return tensor{}, err
	}
	b := w.enter(n.Kind, "", inner.prefix, n.Label, n)
	defer w.closeScope(inner)
	defer w.leave(b)
	switch n.Kind {
	case KindSeq:
		return w.seq(n.Children, inner, t)
	case KindStage:
		return w.stageNode(n, inner, t)
	case KindBranch:
		return w.branch(n, inner, t)
	case KindResidual:
		return w.residual(n, inner, t)
	case KindDense:
		return w.dense(n, inner, t)
	case KindAux:
		outer := w.aux
		w.aux = true
		_, err := w.seq(n.Children, inner, t)
		w.aux = outer
		return t, err
	case KindCell:
		return w.cell(n, inner, t)
	}
	return tensor{}, &Error{Pos: n.Pos, Msg: fmt.Sprintf("unknown construct %d", n.Kind)}
}

// leaf emits the layer of one operation and moves t past it.
func (w *walker) leaf(n *Node, sc *scope, t *tensor) error {
	if err := w.step(n); err != nil {
		return err
	}
	start := w.names.Len()
	err := sc.writeLeafName(&w.names, n)
	name := func() string { return w.names.String()[start:] }
	if err != nil {
		return fail(n, name(), err)
	}
	figs, err := computeLeaf(&n.Op, t.shape, w.lim, nil)
	if err == nil {
		err = w.checkShape(figs.out)
	}
	if err == nil && w.devices != nil && !w.joined {
		switch w.joined = name() == w.devices.Join; {
		case w.joined && len(w.layers) == 0:
			err = fmt.Errorf("devices: join names the first layer, so that no layer would be split across the devices")
		case !w.joined:
			err = w.checkDeviceLeaf(&n.Op, figs.out)
		}
	}
	if err != nil {
		return fail(n, name(), err)
	}
	in := t.shape
	if err := leafField(&n.Op, in, &t.rf); err != nil {
		return fail(n, name(), err)
	}
	if figs.weighted {
		t.depth++
	}
	l := w.emit()
	l.Name, l.Title = name(), n.Title
	l.Op, l.In, l.Out, l.Inputs = string(n.Op.Kind), in, figs.out, w.oneInput(t.from)
	l.Params, l.Buffers, l.MACs, l.OtherOps = figs.params, figs.buffers, figs.macs, figs.other
	l.Activations, l.Weighted, l.Depth, l.RF = figs.activations, figs.weighted, t.depth, t.rf
	l.op = &n.Op
	w.tally(l)
	t.shape, t.from = figs.out, l.Index
	return nil
}

// merge emits the layer that combines ins.
func (w *walker) merge(n *Node, kind MergeKind, sc *scope, local string, ins []tensor) (tensor, error) {
	if err := w.step(n); err != nil {
		return tensor{}, err
	}
	name, err := sc.fixedName(local)
	fault := func(err error) error {
		return &Error{Pos: n.Pos, What: string(kind), Layer: name, Msg: err.Error()}
	}
	if err != nil {
		return tensor{}, fault(err)
	}
	shapes, fields := w.shapes[:0], w.fields[:0]
	start := len(w.inputSlab)
	depth := 0
	for _, t := range ins {
		shapes, fields = append(shapes, t.shape), append(fields, t.rf)
		w.inputSlab = append(w.inputSlab, t.from)
		depth = max(depth, t.depth)
	}
	w.shapes, w.fields = shapes, fields
	from := w.inputSlab[start:len(w.inputSlab):len(w.inputSlab)]
	figs, err := mergeFigures(kind, shapes, nil)
	if err == nil {
		err = w.checkShape(figs.out)
	}
	if err != nil {
		return tensor{}, fault(err)
	}
	rf, err := mergeField(fields)
	if err != nil {
		return tensor{}, fault(err)
	}
	l := w.emit()
	at := w.names.Len()
	w.names.WriteString(name)
	l.Name = w.names.String()[at:]
	l.Op, l.In, l.Out, l.Inputs = string(kind), shapes[0], figs.out, from
	l.OtherOps, l.Activations, l.Depth, l.RF = figs.other, figs.activations, depth, rf
	w.tally(l)
	return tensor{shape: figs.out, rf: rf, depth: depth, from: l.Index}, nil
}

func (w *walker) stageNode(n *Node, inner *scope, t tensor) (tensor, error) {
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
		st := w.stageSum
		st.Name, st.First, st.Last, st.Out, st.RF = w.stage, first, len(w.layers)-1, out.shape, out.rf
		w.stages = append(w.stages, st)
		w.stage, w.stageSum = "", StageTotals{}
	}
	return out, nil
}

func (w *walker) branch(n *Node, sc *scope, t tensor) (tensor, error) {
	outs := make([]tensor, 0, len(n.Children))
	if n.Split {
		// A channel split is a view: each path reads its own C/n channels.
		paths := int64(len(n.Children))
		if paths == 0 || t.shape.C%paths != 0 {
			return tensor{}, &Error{Pos: n.Pos, What: "branch", Layer: sc.prefix, Msg: fmt.Sprintf("cannot split %d channels equally into %d paths", t.shape.C, paths)}
		}
		t.shape.C /= paths
	}
	for i, path := range n.Children {
		var local string
		var err error
		if path.Name != "" {
			local, err = path.Name, sc.write(path.Name)
		} else {
			local = "b" + strconv.Itoa(i+1)
			err = sc.generated(local)
		}
		if err != nil {
			return tensor{}, fail(n, sc.join(local), err)
		}
		pathScope := w.openScope(sc, local)
		b := w.enter(KindSeq, "path", pathScope.prefix, path.Label, path)
		out, err := w.seq(path.Children, pathScope, t)
		w.leave(b)
		w.closeScope(pathScope)
		if err != nil {
			return tensor{}, err
		}
		outs = append(outs, out)
	}
	return w.merge(n, n.Merge, sc, string(n.Merge), outs)
}

func (w *walker) residual(n *Node, sc *scope, t tensor) (tensor, error) {
	body, err := w.seq(n.Children, sc, t)
	if err != nil {
		return tensor{}, err
	}
	short := t
	var layers []*Node
	switch n.ShortcutMode {
	case ShortcutLayers:
		layers = n.Shortcut
	case ShortcutAuto, ShortcutAutoConv, ShortcutAutoPad:
		if body.shape != t.shape {
			if layers, err = projection(n, t.shape, body.shape); err != nil {
				return tensor{}, &Error{Pos: n.Pos, What: "residual", Layer: sc.prefix, Msg: err.Error()}
			}
		}
	}
	if layers != nil {
		name, err := sc.fixedName("shortcut")
		if err != nil {
			return tensor{}, fail(n, name, err)
		}
		b := w.enter(KindSeq, "shortcut", name, "", n)
		shortScope := w.openScope(sc, "shortcut")
		short, err = w.seq(layers, shortScope, t)
		w.leave(b)
		w.closeScope(shortScope)
		if err != nil {
			return tensor{}, err
		}
	}
	sum, err := w.merge(n, MergeAdd, sc, "add", []tensor{body, short})
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
		local := "layer" + strconv.Itoa(i)
		if err := sc.generated(local); err != nil {
			return tensor{}, fail(n, sc.join(local), err)
		}
		layer := w.openScope(sc, local)
		b := w.enter(KindSeq, "layer", layer.prefix, "", n)
		in := t
		if len(features) > 1 {
			var err error
			if in, err = w.merge(n, MergeConcat, layer, "concat", features); err != nil {
				return tensor{}, err
			}
		}
		out, err := w.seq(n.Children, layer, in)
		w.leave(b)
		w.closeScope(layer)
		if err != nil {
			return tensor{}, err
		}
		features = append(features, out)
	}
	return w.merge(n, MergeConcat, sc, "concat", features)
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
			nodeScope := w.openScope(sc, cn.Name)
			b := w.enter(KindSeq, "node", nodeScope.prefix, "", nil)
			defer w.closeScope(nodeScope)
			defer w.leave(b)
			return w.seq(cn.Layers, nodeScope, src)
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
		return w.merge(&Node{Pos: cn.Pos}, cn.Merge, sc, cn.Name, ins)
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

// freeze takes the parameters of every layer up to the one named last out of the
// trainable ones.
func (r *Report) freeze(last string) error {
	l, ok := r.Layer(last)
	if !ok {
		return fmt.Errorf("no layer named %q to freeze through", last)
	}
	for _, f := range r.Layers[:l.Index+1] {
		if !f.Aux {
			r.Totals.Trainable -= f.Params
		}
	}
	return nil
}
