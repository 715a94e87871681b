package engine

// Pos is where a construct was written: file, line and column (1-based), and the
// dotted path of the field in the definition (layers[3].conv.k).
type Pos struct {
	File   string
	Line   int
	Column int
	Field  string
}

// OpKind names a leaf operation.
type OpKind string

// The leaf operations.
const (
	OpConv     OpKind = "conv"
	OpDWConv   OpKind = "dwconv"
	OpFC       OpKind = "fc"
	OpMaxPool  OpKind = "maxpool"
	OpAvgPool  OpKind = "avgpool"
	OpGAP      OpKind = "gap"
	OpBN       OpKind = "bn"
	OpLRN      OpKind = "lrn"
	OpReLU     OpKind = "relu"
	OpReLU6    OpKind = "relu6"
	OpSigmoid  OpKind = "sigmoid"
	OpHSwish   OpKind = "hswish"
	OpTanh     OpKind = "tanh"
	OpDropout  OpKind = "dropout"
	OpFlatten  OpKind = "flatten"
	OpSoftmax  OpKind = "softmax"
	OpShuffle  OpKind = "shuffle"
	OpIdentity OpKind = "identity"
	// The operations of the networks after 2018 (EfficientNet, MobileNetV3, RegNet,
	// ConvNeXt) and of the encoder–decoders (U-Net).
	OpSiLU       OpKind = "silu"       // x·σ(x), also called swish
	OpHSigmoid   OpKind = "hsigmoid"   // ReLU6(x + 3)/6
	OpGELU       OpKind = "gelu"       // x·Φ(x)
	OpLayerNorm  OpKind = "layernorm"  // normalises the C values at each position (channels-last)
	OpLayerScale OpKind = "layerscale" // one learned scale per channel (ConvNeXt)
	OpDropPath   OpKind = "droppath"   // stochastic depth: drops a whole residual body while training
	OpSE         OpKind = "se"         // squeeze-and-excitation gate: C → Squeeze → C, then scale
	OpConvT      OpKind = "convt"      // transposed convolution ("up-convolution")
	OpUpsample   OpKind = "upsample"   // nearest or bilinear resize by an integer factor
	OpCrop       OpKind = "crop"       // centre crop to H×W (U-Net's copy and crop)
	// OpPadChannels is the parameter-free shortcut of the CIFAR ResNets ("option A"):
	// subsample by a stride and pad the channels with zeros.
	OpPadChannels OpKind = "padchannels"
)

// Op is a leaf operation with its settings. Which fields matter depends on Kind;
// windows (conv, pools) use the per-axis kernel K, stride S, padding P and dilation D.
type Op struct {
	Kind   OpKind
	Out    int64    // output channels (conv) or features (fc); for dwconv the channel multiplier
	K      [2]int64 // kernel (h, w)
	S      [2]int64 // stride (h, w)
	P      [2]int64 // padding (h, w)
	D      [2]int64 // dilation (h, w)
	Groups int64    // conv groups; shuffle groups
	Bias   bool
	Ceil   bool // pools: PyTorch's ceil_mode
	// PadAfter is padding at the bottom and right beyond P (which pads the top and left):
	// asymmetric padding, as TensorFlow's "same" padding makes for even kernels or strides.
	PadAfter [2]int64
	// Same asks for "same" padding: P and PadAfter are computed from the input so that
	// the output has ⌈n/s⌉ positions (TensorFlow's rule; PyTorch's padding="same" for
	// stride 1).
	Same   bool
	OutPad [2]int64 // convt: PyTorch's output_padding, added at the bottom and right
	Scale  int64    // upsample: the factor
	Mode   string   // upsample: "nearest" or "bilinear"
	CropTo [2]int64 // crop: the output height and width
	// SE: the squeezed width, the activation between the two 1×1 layers and the gate.
	Squeeze   int64
	Act, Gate OpKind
	Rate      float64 // dropout probability
	// LRN's size, alpha, beta and k, for display.
	Size               int64
	Alpha, Beta, Bias0 float64
}

// MergeKind says how the paths of a branch are combined.
type MergeKind string

// The merges.
const (
	MergeConcat MergeKind = "concat"
	MergeAdd    MergeKind = "add"
	MergeMul    MergeKind = "mul" // element-wise product; a C×1×1 path broadcasts (SE gates)
	MergeMean   MergeKind = "mean"
)

// NodeKind names a construct of the definition tree.
type NodeKind int

// The constructs.
const (
	KindLeaf     NodeKind = iota // one Op
	KindSeq                      // Children in order
	KindBranch                   // Children are parallel paths (each a KindSeq), merged by Merge
	KindResidual                 // Children is the body; Shortcut; merged by addition; then After
	KindDense                    // Count layers, each the Children sequence fed the concat of all before it
	KindRepeat                   // Children repeated Count times in place
	KindStage                    // a named group of Children, with its own subtotals
	KindAux                      // a side classifier on the current tensor: drawn, excluded from totals
	KindCell                     // a cell with named inputs (NASNet): Cell
)

var kindNames = [...]string{"layer", "sequence", "branch", "residual", "dense", "repeat", "stage", "aux", "cell"}

func (k NodeKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// ShortcutMode is how a residual block's shortcut is built.
type ShortcutMode int

// The shortcut modes.
const (
	// ShortcutAuto is the identity when the body keeps the shape, else a strided
	// 1×1 convolution (no bias) followed by batch norm: ResNet's option B.
	ShortcutAuto ShortcutMode = iota
	// ShortcutAutoConv is ShortcutAuto without the batch norm (pre-activation ResNets).
	ShortcutAutoConv
	// ShortcutAutoPad is the identity, or a strided subsample with zero-padded
	// channels, parameter free: ResNet's option A on CIFAR.
	ShortcutAutoPad
	// ShortcutIdentity always adds the input unchanged; shapes must match.
	ShortcutIdentity
	// ShortcutLayers is an explicit list of layers (Node.Shortcut).
	ShortcutLayers
)

// Node is one construct of a definition tree.
type Node struct {
	Kind     NodeKind
	Name     string // explicit name; empty means a generated one
	Label    string // what a diagram calls it: the template used ("bottleneck"), if any
	Title    string // the paper's short name for it ("CONV1", "inception (3a)"), for display only
	Op       Op     // KindLeaf
	Children []*Node
	Merge    MergeKind // KindBranch
	Split    bool      // KindBranch: the paths share the input's channels equally (ShuffleNet v2's channel split)
	Count    int       // KindRepeat: repetitions; KindDense: layers

	ShortcutMode ShortcutMode // KindResidual
	Shortcut     []*Node      // KindResidual with ShortcutLayers
	After        []*Node      // KindResidual: applied after the addition

	Cell *Cell // KindCell

	Pos Pos
}

// Cell is a small graph with named inputs and named intermediate tensors, as in
// NASNet: Inputs name the current tensor and the input of the previous cell (the
// output of the cell before it); each CellNode reads earlier names only, so a cell
// cannot contain a cycle.
type Cell struct {
	Inputs []string // one or two names: the current tensor, then the previous cell's input
	Nodes  []CellNode
	Output CellNode // a merge of named tensors
}

// CellNode is one named tensor in a cell: either layers applied to one earlier tensor
// (From, Layers), or a merge of several (Merge, Of).
type CellNode struct {
	Name   string
	From   string
	Layers []*Node
	Merge  MergeKind
	Of     []string
	Pos    Pos
}

// Model is a network: its input volume and its definition tree.
type Model struct {
	ID    string
	Name  string
	Input Shape
	Root  *Node // a KindSeq
	Pos   Pos   // where the model was defined (the file)
	// Devices is how the network was split across devices (AlexNet's two GPUs), if it was.
	Devices Devices
}
