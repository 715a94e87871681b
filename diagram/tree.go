package diagram

import (
	"fmt"
	"slices"
	"strings"

	"convatlas/engine"
)

// item is one element of the view tree rebuilt from a report: a layer (a box or a
// join), or a block with its items in order.
type item struct {
	layer  int   // ≥ 0 for a layer
	folded []int // element-wise layers drawn inside this layer's box
	block  int   // ≥ 0 for a block
	items  []*item
	// In the representative view (repeat.go): rep makes the item stand for a run of
	// repeated blocks, drawn once with a ×N bracket; layersOf is how many layers a dense
	// block drawn with fewer of them has.
	rep      *repeat
	layersOf int
}

// viewTree rebuilds the tree of blocks and layers that the engine walked: the items of
// a block are its own layers and its child blocks, in the order of their first layer.
func viewTree(r *engine.Report) []*item {
	children := make([][]*item, len(r.Blocks)+1) // index 0 is the network itself
	firstOf := func(it *item) int {
		if it.layer >= 0 {
			return it.layer
		}
		return r.Blocks[it.block].First
	}
	add := func(parent int, it *item) { children[parent+1] = append(children[parent+1], it) }
	for i := range r.Layers {
		add(r.Layers[i].Block, &item{layer: i, block: -1})
	}
	blockItems := make([]*item, len(r.Blocks))
	for b := range r.Blocks {
		blockItems[b] = &item{layer: -1, block: b}
		add(r.Blocks[b].Parent, blockItems[b])
	}
	for i, list := range children {
		slices.SortStableFunc(list, func(x, y *item) int {
			fx, fy := firstOf(x), firstOf(y)
			if fx != fy {
				return fx - fy
			}
			// An empty block (an identity path) comes before the layer at its place.
			return boolRank(x.layer >= 0) - boolRank(y.layer >= 0)
		})
		if i > 0 {
			blockItems[i-1].items = list
		}
	}
	return children[0]
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// elementwise reports layers that a diagram draws inside the box before them.
func elementwise(op string) bool {
	switch op {
	case "bn", "relu", "relu6", "sigmoid", "hswish", "tanh", "dropout", "identity", "softmax",
		"silu", "hsigmoid", "gelu", "layernorm", "layerscale", "droppath":
		return true
	}
	return false
}

// fold draws runs of element-wise layers inside the box or join before them.
func fold(r *engine.Report, items []*item) []*item {
	out := items[:0:0]
	for _, it := range items {
		if it.block >= 0 {
			it.items = fold(r, it.items)
			out = append(out, it)
			continue
		}
		if elementwise(r.Layers[it.layer].Op) && len(out) > 0 && out[len(out)-1].layer >= 0 {
			prev := out[len(out)-1]
			prev.folded = append(prev.folded, it.layer)
			continue
		}
		out = append(out, it)
	}
	return out
}

// Label writes a layer as the papers label it: "3×3 conv, 64, /2", "fc 1000".
func Label(l *engine.Layer) string {
	op := l.Operation()
	if op == nil {
		return l.Op
	}
	kernel := func() string { return fmt.Sprintf("%d×%d", op.K[0], op.K[1]) }
	stride := func() string {
		switch {
		case op.S[0] == 1 && op.S[1] == 1:
			return ""
		case op.S[0] == op.S[1]:
			return fmt.Sprintf(", /%d", op.S[0])
		}
		return fmt.Sprintf(", /%d×%d", op.S[0], op.S[1])
	}
	switch engine.OpKind(l.Op) {
	case engine.OpConv:
		s := fmt.Sprintf("%s conv, %d%s", kernel(), l.Out.C, stride())
		if op.Groups > 1 {
			s += fmt.Sprintf(", g%d", op.Groups)
		}
		if op.D[0] > 1 {
			s += fmt.Sprintf(", d%d", op.D[0])
		}
		return s
	case engine.OpDWConv:
		return fmt.Sprintf("%s depthwise%s", kernel(), stride())
	case engine.OpFC:
		return fmt.Sprintf("fc %d", l.Out.C)
	case engine.OpMaxPool:
		return fmt.Sprintf("%s max pool%s", kernel(), stride())
	case engine.OpAvgPool:
		return fmt.Sprintf("%s avg pool%s", kernel(), stride())
	case engine.OpGAP:
		return "global avg pool"
	case engine.OpLRN:
		return "LRN"
	case engine.OpShuffle:
		return fmt.Sprintf("channel shuffle, g%d", op.Groups)
	case engine.OpPadChannels:
		return "subsample + zero-pad" + stride()
	case engine.OpBN:
		return "BN"
	case engine.OpReLU:
		return "ReLU"
	case engine.OpReLU6:
		return "ReLU6"
	case engine.OpHSwish:
		return "h-swish"
	case engine.OpDropout:
		return fmt.Sprintf("dropout %g", op.Rate)
	case engine.OpSiLU:
		return "SiLU"
	case engine.OpHSigmoid:
		return "h-sigmoid"
	case engine.OpGELU:
		return "GELU"
	case engine.OpLayerNorm:
		return "LN"
	case engine.OpLayerScale:
		return "layer scale"
	case engine.OpDropPath:
		return fmt.Sprintf("drop path %g", op.Rate)
	case engine.OpSE:
		return fmt.Sprintf("SE, %d", op.Squeeze)
	case engine.OpConvT:
		return fmt.Sprintf("%s up-conv, %d%s", kernel(), l.Out.C, strings.Replace(stride(), "/", "×", 1))
	case engine.OpUpsample:
		return fmt.Sprintf("%s upsample ×%d", op.Mode, op.Scale)
	case engine.OpCrop:
		return fmt.Sprintf("crop %d×%d", op.CropTo[0], op.CropTo[1])
	}
	return l.Op
}

// Kind is the colour class of a layer in diagrams and tables.
func Kind(op string) string {
	switch op {
	case "conv", "convt":
		return "conv"
	case "dwconv":
		return "dwconv"
	case "fc":
		return "fc"
	case "maxpool", "avgpool", "gap", "padchannels":
		return "pool"
	case "bn", "lrn", "layernorm":
		return "norm"
	case "relu", "relu6", "sigmoid", "hswish", "tanh", "softmax", "silu", "hsigmoid", "gelu":
		return "act"
	case "se":
		return "merge"
	case "concat", "add", "mul", "mean":
		return "merge"
	}
	return "other"
}

// MergeSymbol is the sign drawn in a join.
func MergeSymbol(op string) string {
	switch op {
	case "add":
		return "+"
	case "mul":
		return "×"
	case "concat":
		return "C"
	case "mean":
		return "μ"
	}
	return "?"
}

// foldedTags lists the folded layers' short labels: "BN · ReLU".
func foldedTags(r *engine.Report, folded []int) string {
	tags := make([]string, len(folded))
	for i, k := range folded {
		tags[i] = Label(&r.Layers[k])
	}
	return strings.Join(tags, " · ")
}

// DrawnLayers lists, in the report's order, the layers a fully expanded diagram draws as
// a box or a join of their own: every layer but the element-wise ones folded into the
// box before them. Stepping "by box" walks this list; collapsing a stage does not change
// it, since selecting a layer expands its stage.
func DrawnLayers(r *engine.Report) []int {
	var out []int
	var walk func(items []*item)
	walk = func(items []*item) {
		for _, it := range items {
			if it.layer >= 0 {
				out = append(out, it.layer)
			}
			walk(it.items)
		}
	}
	walk(fold(r, viewTree(r)))
	slices.Sort(out)
	return out
}
