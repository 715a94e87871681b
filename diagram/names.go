package diagram

import (
	"convatlas/engine"
)

// TitledLabel is a layer's label led by the paper's name for it, when the definition
// gives one: "FC6 · fc 4096", "C1 · 5×5 conv, 6".
func TitledLabel(l *engine.Layer) string {
	if l.Title == "" {
		return Label(l)
	}
	return l.Title + " · " + Label(l)
}

// blockTitle is the paper's name of a block, if the definition gives one.
func blockTitle(b *engine.Block) string {
	if b.Node == nil {
		return ""
	}
	return b.Node.Title
}

// joinTags writes a join's output before its folded layers: "28×28×256 · ReLU".
func joinTags(out, folded string) string {
	if folded == "" {
		return out
	}
	return out + " · " + folded
}

// inputPart is the network's input, drawn as a port box before the first layer:
// "input · 227×227×3".
func (lo *layouter) inputPart() sub {
	label, detail := "input", lo.r.Input.String()
	du, dv := lo.boxSize(label, detail)
	b := Box{W: du, H: dv, Index: -1, Kind: "port", Label: label, Detail: detail}
	return sub{U: du, V: dv, A: dv / 2, boxes: []Box{b}}
}

// StageTitle is the paper's name of a top-level stage ("dense block (1)"), if the
// definition gives one.
func StageTitle(r *engine.Report, stage string) string {
	for i := range r.Blocks {
		if b := &r.Blocks[i]; b.Kind == engine.KindStage && b.Parent < 0 && b.Name == stage {
			return blockTitle(b)
		}
	}
	return ""
}
