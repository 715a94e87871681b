package onnx

import (
	"fmt"
	"sort"
	"strings"

	"convatlas/engine"
)

// Summary says what the importer did, with r the analysis of its model: the
// constructs it recovered, what it dropped, the batch norms the exporter folded (and
// what that changes in the figures), what it kept as a graph.
func (im *Import) Summary(r *engine.Report) string {
	var b strings.Builder
	kinds := map[engine.NodeKind]int{}
	for _, bl := range r.Blocks {
		kinds[bl.Kind]++
	}
	fmt.Fprintf(&b, "imported from ONNX: %d stages, %d residual blocks, %d branches, %d dense blocks",
		len(r.Stages), kinds[engine.KindResidual], kinds[engine.KindBranch], kinds[engine.KindDense])
	se := 0
	for i := range r.Layers {
		if r.Layers[i].Op == string(engine.OpSE) {
			se++
		}
	}
	if se > 0 {
		fmt.Fprintf(&b, ", %d squeeze-and-excitation gates", se)
	}
	b.WriteString("\n")
	if len(im.Dropped) > 0 {
		var parts []string
		for what, n := range im.Dropped {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
		sort.Strings(parts)
		fmt.Fprintf(&b, "dropped (no computation on the data): %s\n", strings.Join(parts, ", "))
	}
	if len(im.Folded) > 0 {
		p, buf := im.FoldedFigures()
		fmt.Fprintf(&b, "batch norm folded by the exporter into %d convolutions (their weights are named onnx::Conv_…): "+
			"the file has %s parameters and no buffers; the network with its batch norms has %s parameters and %s buffers "+
			"(export with training=TrainingMode.PRESERVE to keep them)\n",
			len(im.Folded), engine.Group(r.Totals.Params), engine.Group(r.Totals.Params+p), engine.Group(buf))
	}
	if len(im.Cells) > 0 {
		fmt.Fprintf(&b, "kept as a graph (cells), not grouped: the regions ending at %s\n", strings.Join(im.Cells, ", "))
	}
	return b.String()
}
