package onnx

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"convatlas/engine"
)

// Import is a model read from ONNX: the engine's model, and what the reader did to get
// it, for the report.
type Import struct {
	Model *engine.Model
	// Scopes maps each leaf operation to the exporter's module path it came from
	// ("layer1.0.conv1"), so that figures can be compared with the framework's modules.
	Scopes map[*engine.Op]string
	// Folded lists the convolutions whose batch norm the exporter folded into their
	// weights and biases (their parameters are named onnx::Conv_… instead of a
	// module's), with the channels each batch norm had.
	Folded []FoldedBN
	// Dropped counts the operators left out because they do not compute on the data:
	// Identity, Constant, shape arithmetic, layout transposes.
	Dropped map[string]int
	// Cells names the regions (by the node that ends them) that could not be grouped
	// into the definition's constructs and are kept as a faithful graph (a cell).
	Cells []string
}

// FoldedBN is a convolution with a batch norm folded in by the exporter.
type FoldedBN struct {
	Node     string
	Channels int64
}

// FoldedFigures is what the folded batch norms change: the file counts Channels
// biases that the network with its batch norms does not have, and lacks the batch
// norms' 2C parameters and 2C running statistics; so the network has ΣC more
// parameters and 2ΣC buffers.
func (im *Import) FoldedFigures() (params, buffers int64) {
	for _, f := range im.Folded {
		params += f.Channels
		buffers += 2 * f.Channels
	}
	return params, buffers
}

// UnsupportedError names the operators the importer cannot translate, with a node of
// each.
type UnsupportedError struct {
	Ops map[string]string // op type → the first node with it
}

func (e *UnsupportedError) Error() string {
	ops := make([]string, 0, len(e.Ops))
	for op, node := range e.Ops {
		ops = append(ops, fmt.Sprintf("%s (node %q)", op, node))
	}
	sort.Strings(ops)
	return "onnx: unsupported operators: " + strings.Join(ops, ", ")
}

// op is one operator of the simplified data graph: a leaf of the engine, a merge of
// several tensors, or a channel slice (ShuffleNet's split).
type op struct {
	leaf   *engine.Op
	merge  engine.MergeKind
	ins    []int // data tensors read
	out    int
	scope  string // module path, "layer1.0.conv1"
	name   string // the ONNX node's name
	done   bool   // placed in the tree
	single bool   // a one-input Concat: the identity
	half   int    // 1 or 2: the first or second half of a channel split
	mid    string // the first half's end, which the second half starts at
}

// converter turns a Graph into a tree.
type converter struct {
	g        *Graph
	im       *Import
	tensors  map[string]int // name → id, data tensors only
	names    []string       // id → name
	producer []int          // tensor → op, -1 for the input
	users    [][]int        // tensor → ops reading it
	ops      []*op
	shapes   map[string][]int64 // weight and constant shapes
	consts   map[string]*Tensor
	alias    map[string]string   // Identity outputs and layout transposes, to their input
	matmul   map[int]bool        // tensors made by a MatMul, whose bias Add is folded in
	gelus    map[string]geluStep // the steps of GELU's decomposition seen so far
	bad      map[string]string
	madeBy   map[string]*Node // tensor name → the node computing it
	shuffles map[string]shuffleStep
	ipdom    []int
	budget   int // tree-building steps left
}

// ModelID makes a model's file name an id of the catalogue's form: lower-case letters,
// digits and underscores, starting with a letter, at most 48 characters (archdefs
// refuses ids over 64).
func ModelID(fileName string) string {
	base := strings.ToLower(strings.TrimSuffix(filepath.Base(fileName), filepath.Ext(fileName)))
	var b strings.Builder
	for _, r := range base {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		if b.Len() >= 48 {
			break
		}
	}
	id := strings.Trim(b.String(), "_")
	if id == "" || id[0] >= '0' && id[0] <= '9' {
		id = "model_" + id
	}
	return id
}

// Convert recovers the definition tree of g. id and name are the model's.
func Convert(g *Graph, id, name string) (*Import, error) {
	c := &converter{g: g, im: &Import{Scopes: map[*engine.Op]string{}, Dropped: map[string]int{}},
		tensors: map[string]int{}, shapes: map[string][]int64{}, consts: map[string]*Tensor{},
		alias: map[string]string{}, matmul: map[int]bool{}, gelus: map[string]geluStep{}, bad: map[string]string{},
		madeBy: map[string]*Node{}, shuffles: map[string]shuffleStep{}}
	input, err := c.index()
	if err != nil {
		return nil, err
	}
	if err := c.translate(); err != nil {
		return nil, err
	}
	if len(c.bad) > 0 {
		return nil, &UnsupportedError{Ops: c.bad}
	}
	out, err := c.output()
	if err != nil {
		return nil, err
	}
	c.order()
	c.budget = 50 * (len(c.ops) + 10)
	items, err := c.build(0, out)
	if err != nil {
		return nil, err
	}
	root := &engine.Node{Kind: engine.KindSeq, Children: c.stages(items)}
	c.im.Model = &engine.Model{ID: id, Name: name, Input: input, Root: root, Pos: engine.Pos{File: id + ".onnx"}}
	return c.im, nil
}

// index finds the data input, the weights' shapes and the constants.
func (c *converter) index() (engine.Shape, error) {
	for name, t := range c.g.Initializers {
		c.shapes[name] = t.Dims
		if t.Ints != nil || t.Floats != nil {
			c.consts[name] = t
		}
	}
	var data *Value
	for i := range c.g.Inputs {
		v := &c.g.Inputs[i]
		if _, ok := c.g.Initializers[v.Name]; ok {
			continue
		}
		if data == nil {
			data = v
			continue
		}
		c.shapes[v.Name] = v.Dims
	}
	if data == nil {
		return engine.Shape{}, fmt.Errorf("onnx: the graph has no data input")
	}
	if len(data.Dims) != 4 || data.Dims[1] < 1 || data.Dims[2] < 1 || data.Dims[3] < 1 {
		return engine.Shape{}, fmt.Errorf("onnx: the input %q has shape %v; an image batch N×C×H×W with fixed C, H and W is expected", data.Name, data.Dims)
	}
	c.tensors[data.Name] = 0
	c.names = append(c.names, data.Name)
	c.producer = append(c.producer, -1)
	c.users = append(c.users, nil)
	return engine.Shape{C: data.Dims[1], H: data.Dims[2], W: data.Dims[3]}, nil
}

func (c *converter) resolve(name string) string {
	for range 1000 {
		a, ok := c.alias[name]
		if !ok {
			return name
		}
		name = a
	}
	return name
}

func (c *converter) data(name string) (int, bool) {
	id, ok := c.tensors[c.resolve(name)]
	return id, ok
}

func (c *converter) weightShape(name string) []int64 {
	return c.shapes[c.resolve(name)]
}

// scopeOf turns "/layer1/layer1.0/conv1/Conv" into "layer1.0.conv1": the module path.
// PyTorch's exporter writes each module's name in its parent, prefixed by the parent's
// when the parent is a Sequential ("layer1.0" inside "layer1").
func scopeOf(node string) string {
	parts := strings.Split(strings.Trim(node, "/"), "/")
	if len(parts) <= 1 {
		return ""
	}
	path, last := "", ""
	for _, p := range parts[:len(parts)-1] {
		switch {
		case last != "" && strings.HasPrefix(p, last+"."):
			path += p[len(last):]
		case path == "":
			path = p
		default:
			path += "." + p
		}
		last = p
	}
	return path
}

// arg is the node's i-th input, or "" when it has none.
func arg(n *Node, i int) string {
	if i < len(n.Inputs) {
		return n.Inputs[i]
	}
	return ""
}

func attr(n *Node, name string) *Attr {
	for i := range n.Attrs {
		if n.Attrs[i].Name == name {
			return &n.Attrs[i]
		}
	}
	return nil
}

func attrInts(n *Node, name string, def []int64) []int64 {
	if a := attr(n, name); a != nil && a.Ints != nil {
		return a.Ints
	}
	return def
}

func attrInt(n *Node, name string, def int64) int64 {
	if a := attr(n, name); a != nil && a.Set {
		return a.I
	}
	return def
}

// emit adds an op producing the node's first output.
func (c *converter) emit(n *Node, o *op) {
	o.out = len(c.producer)
	o.name, o.scope = n.Name, scopeOf(n.Name)
	c.tensors[n.Outputs[0]] = o.out
	c.names = append(c.names, n.Outputs[0])
	c.producer = append(c.producer, len(c.ops))
	c.users = append(c.users, nil)
	for _, in := range o.ins {
		c.users[in] = append(c.users[in], len(c.ops))
	}
	if o.leaf != nil {
		c.im.Scopes[o.leaf] = o.scope
	}
	c.ops = append(c.ops, o)
}

func (c *converter) drop(n *Node, why string) {
	c.im.Dropped[why]++
	_ = n
}

// translate walks the nodes in order (ONNX requires topological order) and turns
// every operator on the data into an op.
func (c *converter) translate() error {
	madeBy := make(map[string]int, len(c.g.Nodes))
	for i := range c.g.Nodes {
		for _, out := range c.g.Nodes[i].Outputs {
			if _, dup := madeBy[out]; dup {
				return fmt.Errorf("onnx: node %q computes %q, which another node computes too", c.g.Nodes[i].Name, out)
			}
			madeBy[out] = i
			c.madeBy[out] = &c.g.Nodes[i]
		}
	}
	for i := range c.g.Nodes {
		n := &c.g.Nodes[i]
		for _, in := range n.Inputs {
			if j, ok := madeBy[in]; ok && j >= i {
				return fmt.Errorf("onnx: node %q reads %q, which node %q computes later: a cycle, or nodes out of the topological order ONNX requires", n.Name, in, c.g.Nodes[j].Name)
			}
		}
		if err := c.translate1(n); err != nil {
			return err
		}
	}
	return nil
}

// translate1 translates one node.
func (c *converter) translate1(n *Node) error {
	{
		if len(n.Outputs) == 0 {
			return nil
		}
		var ins []int
		for _, in := range n.Inputs {
			if id, ok := c.data(in); ok {
				ins = append(ins, id)
			}
		}
		if len(ins) == 0 {
			// Weights, constants and shape arithmetic: kept as shapes and values only.
			switch n.OpType {
			case "Identity":
				if len(n.Inputs) == 1 {
					c.alias[n.Outputs[0]] = n.Inputs[0]
					if s, ok := c.shapes[c.resolve(n.Inputs[0])]; ok {
						c.shapes[n.Outputs[0]] = s
					}
				}
				c.drop(n, "Identity")
			case "Constant":
				if a := attr(n, "value"); a != nil && a.T != nil {
					c.consts[n.Outputs[0]] = a.T
					c.shapes[n.Outputs[0]] = a.T.Dims
				}
				c.drop(n, "Constant")
			case "Transpose":
				// A weight transposed for a MatMul.
				if w, perm := c.shapes[c.resolve(arg(n, 0))], attrInts(n, "perm", nil); len(w) == 2 && (perm == nil || slices.Equal(perm, []int64{1, 0})) {
					c.shapes[n.Outputs[0]] = []int64{w[1], w[0]}
				}
				c.drop(n, "weight layout (Transpose)")
			default:
				if !c.geluStep(n) {
					c.drop(n, "shape arithmetic ("+n.OpType+")")
				}
			}
			return nil
		}
		return c.node(n, ins)
	}
}

func (c *converter) unsupported(n *Node, why string) {
	key := n.OpType
	if why != "" {
		key += " " + why
	}
	if _, ok := c.bad[key]; !ok {
		c.bad[key] = n.Name
	}
}

func pair(v []int64, at int) [2]int64 {
	if len(v) >= at+2 {
		return [2]int64{v[at], v[at+1]}
	}
	return [2]int64{1, 1}
}

// window reads the kernel, stride, padding and dilation of a Conv or pool node.
func window(n *Node, o *engine.Op, kernel []int64) error {
	o.K = pair(kernel, 0)
	o.S = pair(attrInts(n, "strides", []int64{1, 1}), 0)
	o.D = pair(attrInts(n, "dilations", []int64{1, 1}), 0)
	pads := attrInts(n, "pads", []int64{0, 0, 0, 0})
	if len(pads) != 4 {
		return fmt.Errorf("onnx: node %q: pads %v for a 2-D window", n.Name, pads)
	}
	o.P = [2]int64{pads[0], pads[1]}
	o.PadAfter = [2]int64{pads[2] - pads[0], pads[3] - pads[1]}
	switch a := attr(n, "auto_pad"); {
	case a == nil || a.S == "" || a.S == "NOTSET" || a.S == "VALID":
	case a.S == "SAME_UPPER":
		o.Same = true
	default:
		return fmt.Errorf("onnx: node %q: auto_pad %s is not supported", n.Name, a.S)
	}
	return nil
}

// node translates one operator reading data tensors ins.
func (c *converter) node(n *Node, ins []int) error {
	leaf := func(o engine.Op) {
		c.emit(n, &op{leaf: &o, ins: ins[:1]})
	}
	simple := map[string]engine.OpKind{"Relu": engine.OpReLU, "Sigmoid": engine.OpSigmoid, "HardSigmoid": engine.OpHSigmoid,
		"HardSwish": engine.OpHSwish, "Tanh": engine.OpTanh, "Softmax": engine.OpSoftmax, "Flatten": engine.OpFlatten,
		"GlobalAveragePool": engine.OpGAP, "Dropout": engine.OpDropout, "Gelu": engine.OpGELU, "LRN": engine.OpLRN}
	if kind, ok := simple[n.OpType]; ok {
		o := engine.Op{Kind: kind}
		if kind == engine.OpLRN {
			o.Size = attrInt(n, "size", 5)
		}
		if kind == engine.OpFlatten && attrInt(n, "axis", 1) != 1 {
			c.unsupported(n, "(axis ≠ 1)")
			return nil
		}
		leaf(o)
		return nil
	}
	switch n.OpType {
	case "Identity":
		c.alias[n.Outputs[0]] = n.Inputs[0]
		c.drop(n, "Identity")
	case "Conv", "ConvTranspose":
		w := c.weightShape(arg(n, 1))
		if len(w) != 4 {
			c.unsupported(n, "(weights not 4-D, or of unknown shape)")
			return nil
		}
		o := engine.Op{Kind: engine.OpConv, Groups: attrInt(n, "group", 1), Bias: len(n.Inputs) > 2 && n.Inputs[2] != ""}
		if err := window(n, &o, attrInts(n, "kernel_shape", w[2:])); err != nil {
			return err
		}
		o.Out = w[0]
		if n.OpType == "ConvTranspose" {
			o.Kind, o.Out = engine.OpConvT, w[1]*o.Groups
			o.OutPad = pair(attrInts(n, "output_padding", []int64{0, 0}), 0)
			if o.PadAfter != [2]int64{} || o.Same {
				c.unsupported(n, "(asymmetric padding)")
				return nil
			}
		} else if w[1] == 1 && o.Groups == w[0] && o.Groups > 1 {
			o.Kind, o.Out, o.Groups = engine.OpDWConv, 1, 1
		}
		if o.Bias && strings.HasPrefix(arg(n, 1), "onnx::") {
			c.im.Folded = append(c.im.Folded, FoldedBN{Node: n.Name, Channels: w[0]})
		}
		leaf(o)
	case "BatchNormalization":
		leaf(engine.Op{Kind: engine.OpBN})
	case "LayerNormalization":
		// Over the last axis of a channels-last map (after a Transpose), or axis 1.
		if a := attrInt(n, "axis", -1); a != -1 && a != 1 && a != 3 {
			c.unsupported(n, "(not over the channels)")
			return nil
		}
		leaf(engine.Op{Kind: engine.OpLayerNorm})
	case "Clip":
		lo, hi := c.scalar(n, 1), c.scalar(n, 2)
		if lo == 0 && hi == 6 {
			leaf(engine.Op{Kind: engine.OpReLU6})
			return nil
		}
		c.unsupported(n, fmt.Sprintf("(to [%g, %g])", lo, hi))
	case "MaxPool", "AveragePool":
		o := engine.Op{Kind: engine.OpMaxPool, Ceil: attrInt(n, "ceil_mode", 0) == 1}
		if n.OpType == "AveragePool" {
			o.Kind = engine.OpAvgPool
		}
		if err := window(n, &o, attrInts(n, "kernel_shape", nil)); err != nil {
			return err
		}
		if o.PadAfter != [2]int64{} || o.Same {
			c.unsupported(n, "(asymmetric padding)")
			return nil
		}
		c.foldPad(ins[0], &o)
		leaf(o)
	case "Pad":
		pads := c.constInts(n, 1)
		if attr(n, "pads") != nil {
			pads = attrInts(n, "pads", nil)
		}
		if mode := attr(n, "mode"); mode != nil && mode.S != "constant" || len(pads) != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0 {
			c.unsupported(n, "(only zero padding of height and width)")
			return nil
		}
		// Kept as a padding to fold into the window that reads it (count_include_pad).
		o := engine.Op{Kind: engine.OpIdentity, P: [2]int64{pads[2], pads[3]}, PadAfter: [2]int64{pads[6] - pads[2], pads[7] - pads[3]}}
		c.emit(n, &op{leaf: &o, ins: ins[:1]})
	case "ReduceMean":
		axes := attrInts(n, "axes", nil)
		if len(axes) != 2 || !(axes[0] == 2 && axes[1] == 3 || axes[0] == -2 && axes[1] == -1) {
			c.unsupported(n, "(not over height and width)")
			return nil
		}
		leaf(engine.Op{Kind: engine.OpGAP})
	case "Gemm":
		w := c.weightShape(arg(n, 1))
		if len(w) != 2 || attrInt(n, "transA", 0) != 0 {
			c.unsupported(n, "(weights not 2-D)")
			return nil
		}
		out := w[1]
		if attrInt(n, "transB", 0) == 1 {
			out = w[0]
		}
		leaf(engine.Op{Kind: engine.OpFC, Out: out, Bias: len(n.Inputs) > 2 && n.Inputs[2] != ""})
	case "MatMul":
		w := c.weightShape(arg(n, 1))
		if len(ins) != 1 || len(w) != 2 {
			c.unsupported(n, "(only a weight matrix on a channels-last map)")
			return nil
		}
		// A Linear layer at every position of a channels-last map: a 1×1 convolution;
		// the Add of its bias follows and is folded in.
		o := engine.Op{Kind: engine.OpConv, Out: w[1], K: [2]int64{1, 1}, S: [2]int64{1, 1}, D: [2]int64{1, 1}, Groups: 1}
		c.emit(n, &op{leaf: &o, ins: ins})
		c.matmul[c.ops[len(c.ops)-1].out] = true
	case "Transpose":
		perm := attrInts(n, "perm", nil)
		switch {
		case slices.Equal(perm, []int64{0, 2, 1, 3, 4}) && c.shuffles[n.Inputs[0]].step == 1:
			st := c.shuffles[n.Inputs[0]]
			c.shuffles[n.Outputs[0]] = shuffleStep{x: st.x, groups: st.groups, step: 2}
			c.tensors[n.Outputs[0]] = ins[0]
			c.drop(n, "channel shuffle's views")
		case slices.Equal(perm, []int64{0, 2, 3, 1}), slices.Equal(perm, []int64{0, 3, 1, 2}):
			// NCHW ↔ NHWC: the layout changes, not the tensor.
			c.alias[n.Outputs[0]] = n.Inputs[0]
			c.drop(n, "layout (Transpose)")
		default:
			c.unsupported(n, fmt.Sprintf("(perm %v)", perm))
		}
	case "Add", "Mul", "Concat", "Sum":
		return c.arith(n, ins)
	case "Erf", "Div":
		return c.gelu(n, ins)
	case "Shape":
		// The tensor's shape, for the arithmetic of views and slices: not data.
		c.drop(n, "shape arithmetic (Shape)")
	case "Reshape":
		return c.reshape(n, ins)
	case "Slice":
		return c.slice(n, ins)
	case "Resize", "Upsample":
		c.unsupported(n, "")
	default:
		c.unsupported(n, "")
	}
	return nil
}

func (c *converter) scalar(n *Node, i int) float64 {
	if i >= len(n.Inputs) {
		return 0
	}
	t := c.consts[c.resolve(n.Inputs[i])]
	switch {
	case t == nil:
		return -1
	case len(t.Floats) == 1:
		return float64(t.Floats[0])
	case len(t.Ints) == 1:
		return float64(t.Ints[0])
	}
	return -1
}

func (c *converter) constInts(n *Node, i int) []int64 {
	if i >= len(n.Inputs) {
		return nil
	}
	if t := c.consts[c.resolve(n.Inputs[i])]; t != nil {
		return t.Ints
	}
	return nil
}

// foldPad moves a zero Pad that only feeds this window into the window's padding.
func (c *converter) foldPad(in int, o *engine.Op) {
	p := c.producer[in]
	if p < 0 {
		return
	}
	pad := c.ops[p]
	if pad.leaf == nil || pad.leaf.Kind != engine.OpIdentity || pad.leaf.P == [2]int64{} || len(c.users[in]) != 0 {
		return
	}
	o.P[0] += pad.leaf.P[0]
	o.P[1] += pad.leaf.P[1]
	pad.leaf.P = [2]int64{}
	pad.leaf.PadAfter = [2]int64{}
}

// geluStep is how far GELU's decomposition by the exporter has been seen:
// x/√2 → erf → + 1 → x·(…) → ·0.5.
type geluStep struct {
	x    int // the data tensor GELU is applied to
	step int
}

// geluStep follows a step of GELU on a tensor that is no longer data (the erf of x/√2
// and what follows); it reports whether n was one.
func (c *converter) geluStep(n *Node) bool {
	for _, in := range n.Inputs {
		st, ok := c.gelus[in]
		if !ok {
			continue
		}
		switch {
		case st.step == 1 && n.OpType == "Erf", st.step == 2 && n.OpType == "Add":
			c.gelus[n.Outputs[0]] = geluStep{x: st.x, step: st.step + 1}
			c.drop(n, "GELU's decomposition")
			return true
		case st.step == 4 && n.OpType == "Mul" && c.scalar(n, 1) == 0.5:
			c.emit(n, &op{leaf: &engine.Op{Kind: engine.OpGELU}, ins: []int{st.x}})
			return true
		}
	}
	return false
}

// gelu handles the steps of GELU that read the data tensor itself: Div(x, √2) and
// Mul(x, 1 + erf(…)); anything else is unsupported.
func (c *converter) gelu(n *Node, ins []int) error {
	if n.OpType == "Div" && len(ins) == 1 && c.scalar(n, 1) > 1.41 && c.scalar(n, 1) < 1.42 {
		c.gelus[n.Outputs[0]] = geluStep{x: ins[0], step: 1}
		c.drop(n, "GELU's decomposition")
		return nil
	}
	c.unsupported(n, "")
	return nil
}

// arith translates Add, Mul, Sum and Concat: merges of data tensors, a bias or a layer
// scale applied to one, SiLU (x·σ(x)) and the last steps of GELU.
func (c *converter) arith(n *Node, ins []int) error {
	merge := map[string]engine.MergeKind{"Add": engine.MergeAdd, "Sum": engine.MergeAdd, "Mul": engine.MergeMul, "Concat": engine.MergeConcat}[n.OpType]
	if n.OpType == "Concat" && (attrInt(n, "axis", 1) != 1 || len(ins) != len(n.Inputs)) {
		c.unsupported(n, "(not of data tensors along the channels)")
		return nil
	}
	if len(n.Inputs) == 1 {
		// A concatenation or sum of one tensor is that tensor (DenseNet's first layer).
		c.emit(n, &op{leaf: &engine.Op{Kind: engine.OpIdentity}, ins: ins, single: true})
		return nil
	}
	if len(ins) == 1 && len(n.Inputs) == 2 {
		other := n.Inputs[0]
		if id, _ := c.data(other); id == ins[0] {
			other = n.Inputs[1]
		}
		if st, ok := c.gelus[other]; ok && st.step == 3 && st.x == ins[0] && n.OpType == "Mul" {
			c.gelus[n.Outputs[0]] = geluStep{x: st.x, step: 4}
			c.drop(n, "GELU's decomposition")
			return nil
		}
		w := c.weightShape(other)
		switch {
		case n.OpType == "Add" && c.matmul[ins[0]] && len(w) == 1:
			c.ops[c.producer[ins[0]]].leaf.Bias = true
			c.alias[n.Outputs[0]] = c.nameOf(ins[0])
			c.drop(n, "bias of a MatMul")
			return nil
		case n.OpType == "Mul" && len(w) == 3 && w[1] == 1 && w[2] == 1:
			c.emit(n, &op{leaf: &engine.Op{Kind: engine.OpLayerScale}, ins: ins})
			return nil
		}
		c.unsupported(n, "(with a constant)")
		return nil
	}
	if n.OpType == "Mul" && len(ins) == 2 {
		// SiLU: x·σ(x).
		for k := range 2 {
			p := c.producer[ins[k]]
			if p >= 0 && c.ops[p].leaf != nil && c.ops[p].leaf.Kind == engine.OpSigmoid && c.ops[p].ins[0] == ins[1-k] && len(c.users[ins[k]]) == 0 {
				sig := c.ops[p]
				sig.leaf.Kind = engine.OpSiLU
				c.alias[n.Outputs[0]] = c.nameOf(sig.out)
				c.drop(n, "SiLU's product")
				return nil
			}
		}
	}
	if len(ins) != len(n.Inputs) {
		c.unsupported(n, "(of data and constants)")
		return nil
	}
	c.emit(n, &op{merge: merge, ins: ins})
	return nil
}

// nameOf is the name of a data tensor.
func (c *converter) nameOf(t int) string { return c.names[t] }

// shuffleStep is how far a channel shuffle written as views has been seen: a Reshape to
// N×g×C/g×H×W, a Transpose of the two channel axes, a Reshape back (ShuffleNet).
type shuffleStep struct {
	x, groups int64
	step      int
}

// constElem follows a shape tensor built by Concat of Unsqueeze'd scalars to the value
// of its i-th element, when that one is a constant.
func (c *converter) constElem(name string, i int) (int64, bool) {
	n := c.madeBy[name]
	if n == nil || n.OpType != "Concat" || i >= len(n.Inputs) {
		if t := c.consts[c.resolve(name)]; t != nil && i < len(t.Ints) {
			return t.Ints[i], true
		}
		return 0, false
	}
	part := n.Inputs[i]
	for range 4 {
		if t := c.consts[c.resolve(part)]; t != nil && len(t.Ints) == 1 {
			return t.Ints[0], true
		}
		u := c.madeBy[part]
		if u == nil || u.OpType != "Unsqueeze" || len(u.Inputs) == 0 {
			return 0, false
		}
		part = u.Inputs[0]
	}
	return 0, false
}

// reshape recognises the views of a channel shuffle; any other Reshape of data is
// unsupported.
func (c *converter) reshape(n *Node, ins []int) error {
	if st, ok := c.shuffles[n.Inputs[0]]; ok && st.step == 2 {
		c.emit(n, &op{leaf: &engine.Op{Kind: engine.OpShuffle, Groups: st.groups}, ins: []int{int(st.x)}})
		return nil
	}
	if shape := c.madeBy[arg(n, 1)]; shape != nil && shape.OpType == "Concat" && len(shape.Inputs) == 5 {
		if g, ok := c.constElem(arg(n, 1), 1); ok && g > 1 {
			c.shuffles[n.Outputs[0]] = shuffleStep{x: int64(ins[0]), groups: g, step: 1}
			c.tensors[n.Outputs[0]] = ins[0]
			c.drop(n, "channel shuffle's views")
			return nil
		}
	}
	c.unsupported(n, "")
	return nil
}

// slice recognises ShuffleNet's channel split, x.chunk(2, dim=1): a Slice of the
// channels from 0 to a computed middle, and one from that middle on.
func (c *converter) slice(n *Node, ins []int) error {
	axes := c.constInts(n, 3)
	if len(ins) != 1 || len(axes) != 1 || axes[0] != 1 {
		c.unsupported(n, "(not of the channels)")
		return nil
	}
	if start, ok := c.constElem(arg(n, 1), 0); ok && start == 0 {
		c.emit(n, &op{leaf: &engine.Op{Kind: engine.OpIdentity}, ins: ins, half: 1, mid: arg(n, 2)})
		return nil
	}
	for _, o := range c.ops {
		if o.half == 1 && o.mid == arg(n, 1) && o.ins[0] == ins[0] {
			c.emit(n, &op{leaf: &engine.Op{Kind: engine.OpIdentity}, ins: ins, half: 2})
			return nil
		}
	}
	c.unsupported(n, "(not an equal split of the channels)")
	return nil
}
