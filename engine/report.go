package engine

import (
	"fmt"
	"strings"
)

// Layer is one leaf operation or one merge of the analysed network, in topological
// order, with its figures.
type Layer struct {
	Index int
	Name  string // dotted and unique: "conv3_x.2.conv1", "inception3a.concat"
	Title string // the paper's short name of the layer ("CONV1", "C1"), if the definition gives one
	Op    string // the OpKind, or the MergeKind for a merge
	Stage string // the top-level stage it belongs to, if any
	Block int    // the innermost block it belongs to (Report.Blocks); -1 for none
	Aux   bool   // part of an auxiliary classifier: excluded from totals

	In     Shape // the (first) input
	Out    Shape
	Inputs []int // indices of the layers it reads; -1 is the network's input

	Params      int64
	Buffers     int64 // batch norm's running statistics
	MACs        int64
	OtherOps    int64 // pooling, normalisation, activation and merge operations
	Activations int64 // output elements kept in memory (see the package doc)
	Weighted    bool  // a conv or fc layer: counts towards depth
	Depth       int   // weight layers on the longest path from the input to here
	RF          RF

	op *Op // the leaf's operation (nil for a merge)
}

// IsMerge reports whether the layer combines several paths.
func (l *Layer) IsMerge() bool { return l.op == nil }

// Operation is the leaf's operation, or nil for a merge.
func (l *Layer) Operation() *Op { return l.op }

// inputs gives the shapes and fields of what layer l reads.
func (r *Report) inputs(l *Layer) ([]Shape, []RF) {
	shapes := make([]Shape, len(l.Inputs))
	fields := make([]RF, len(l.Inputs))
	for i, k := range l.Inputs {
		shapes[i], fields[i] = r.Input, RF{H: inputField, W: inputField}
		if k >= 0 {
			shapes[i], fields[i] = r.Layers[k].Out, r.Layers[k].RF
		}
	}
	return shapes, fields
}

// Explain writes every figure of layer i with its formula. It re-runs the formulas
// that computed the figures, so the text and the numbers cannot disagree.
func (r *Report) Explain(i int) Explanation {
	var x Explanation
	l := &r.Layers[i]
	shapes, fields := r.inputs(l)
	if l.op == nil {
		_, _ = mergeFigures(MergeKind(l.Op), shapes, &x)
		x.RF = explainMergeField(MergeKind(l.Op), fields, l.RF)
		return x
	}
	lim := DefaultLimits
	_, _ = computeLeaf(l.op, l.In, &lim, &x)
	x.RF = explainLeafField(l.op, l.In, fields[0], l.RF)
	return x
}

// Totals are the figures of the whole network at inference: auxiliary classifiers
// excluded.
type Totals struct {
	Params      int64
	Trainable   int64 // Params less those of the frozen prefix (Options.FreezeThrough)
	Buffers     int64
	MACs        int64
	OtherOps    int64
	Activations int64
	Depth       int
	Layers      int // leaf operations and merges, auxiliary ones excluded
	AuxParams   int64
	AuxMACs     int64
}

// StageTotals are the subtotals of one top-level stage.
type StageTotals struct {
	Name        string
	First, Last int // indices of its first and last layers
	Params      int64
	MACs        int64
	Activations int64
	Out         Shape
	RF          RF
}

// Block is one instance of a composite construct in the analysed network: a stage, a
// branch and each of its paths, a residual block and its shortcut, a dense block and
// each of its layers, an auxiliary classifier, a cell and each of its nodes. Blocks form
// a tree (Parent) that diagrams follow; the layers of a block are contiguous, First to
// Last, because the walk is depth-first.
type Block struct {
	Kind        NodeKind
	Role        string // "path", "shortcut", "layer" (of a dense block), "node" (of a cell), or ""
	Name        string // the dotted prefix of its layers' names
	Label       string // the template it was made from, if any
	Parent      int    // -1 for a block of the network itself
	First, Last int    // its layers; Last < First when it has none (an identity path)
	Node        *Node  // the construct
}

// Report is the analysis of a network.
type Report struct {
	ID     string
	Name   string
	Input  Shape
	Output Shape
	Layers []Layer
	Stages []StageTotals
	Blocks []Block
	Totals Totals
	// Devices is the model's split across devices (Model.Devices).
	Devices Devices
}

// Layer finds a layer by name.
func (r *Report) Layer(name string) (*Layer, bool) {
	for i := range r.Layers {
		if r.Layers[i].Name == name {
			return &r.Layers[i], true
		}
	}
	return nil, false
}

// Error is an analysis error at a place in the definition:
// "mynet.yaml:14:9: conv "conv3" (layers[2]): kernel 5×5 larger than padded input 4×4".
type Error struct {
	Pos   Pos
	What  string // the operation or construct: "conv", "concat", "residual"
	Layer string // the layer's name, when known
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.File != "" {
		b.WriteString(e.Pos.File + ":")
	}
	if e.Pos.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Pos.Line, e.Pos.Column)
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(e.Detail())
	return b.String()
}

// Detail is the message without the file and position, for where they are shown apart.
func (e *Error) Detail() string {
	var b strings.Builder
	if e.What == "" && e.Pos.Field != "" {
		b.WriteString(e.Pos.Field + ": ")
	}
	if e.What != "" {
		b.WriteString(e.What)
		if e.Layer != "" {
			fmt.Fprintf(&b, " %q", e.Layer)
		}
		if e.Pos.Field != "" {
			fmt.Fprintf(&b, " (%s)", e.Pos.Field)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Limits bound what Analyze accepts, so that a hostile or mistaken definition gets a
// clear error instead of a wrong number, an overflow or an exhausted machine.
type Limits struct {
	MaxLayers   int   // leaf operations and merges after expanding repeats
	MaxNesting  int   // depth of the definition tree
	MaxChannels int64 // channels of any tensor
	MaxSpatial  int64 // height or width of any tensor; kernel, stride, padding, dilation
	MaxFeatures int64 // features of a fully connected layer's output
	// The cost model (Estimate): what the walk, the report and every drawing of it
	// grow with. A zero field takes DefaultLimits' value.
	MaxEdges       int // inputs read by all layers: one per leaf, one per merged path
	MaxPaths       int // paths of one branch
	MaxMergeInputs int // tensors one merge reads: a dense block of n layers ends with n + 1
	MaxNameBytes   int // the bytes of all layer names together (a name repeats its blocks' names)
}

// DefaultLimits hold every network of the lecture with a wide margin
// (ResNet-1202 has about 3,600 layers; the widest tensors have a few thousand channels).
var DefaultLimits = Limits{
	MaxLayers:   250_000,
	MaxNesting:  64,
	MaxChannels: 1 << 20,
	MaxSpatial:  1 << 14,
	MaxFeatures: 1 << 24,
	// Two inputs a layer; the catalogue's layers read at most 3.6 each (DenseNet-201:
	// 2,510 inputs for 707 layers), its most 4,808 (ResNet-1202).
	MaxEdges: 500_000,
	// The catalogue's branches have at most 4 paths (Inception).
	MaxPaths: 64,
	// The catalogue's widest merge reads 49 tensors (DenseNet-201's third block).
	MaxMergeInputs: 256,
	// The catalogue's names take at most 61 KB (ResNet-1202).
	MaxNameBytes: 64 << 20,
}

// Options change what Analyze reports.
type Options struct {
	// FreezeThrough names the last layer of a frozen prefix (transfer learning): the
	// parameters of it and every layer before it are not trainable.
	FreezeThrough string
	// Limits; the zero value means DefaultLimits.
	Limits Limits
}
