package diagram

// LegendKey is one entry of a diagram's legend.
type LegendKey struct {
	Kind, Label string
}

// DiagramLegend lists what a diagram draws, in LegendEntries' order: the kinds of its boxes
// (a legend that listed every kind would explain depthwise convolutions on AlexNet),
// whether it draws shortcuts, and the merges of its joins.
type DiagramLegend struct {
	Kinds  []LegendKey
	Skip   bool
	Merges []LegendKey // sign and name: "+" "add"
	Runs   bool        // a ×N bracket: a run of repeated blocks drawn once
}

// NewLegend reads a laid-out diagram for its legend.
func NewLegend(d *Diagram) DiagramLegend {
	var l DiagramLegend
	if d == nil {
		return l
	}
	kinds := map[string]bool{}
	for _, b := range d.Boxes {
		kinds[b.Kind] = true
	}
	for _, e := range LegendEntries {
		if kinds[e.Kind] {
			l.Kinds = append(l.Kinds, LegendKey(e))
		}
	}
	for _, e := range d.Edges {
		l.Skip = l.Skip || e.Skip
	}
	l.Runs = len(d.Brackets) > 0
	merges := map[string]bool{}
	for _, j := range d.Joins {
		merges[j.Merge] = true
	}
	for _, m := range []LegendKey{{"add", "add"}, {"mul", "multiply"}, {"concat", "concatenate"}, {"mean", "mean"}} {
		if merges[m.Kind] {
			l.Merges = append(l.Merges, LegendKey{Kind: MergeSymbol(m.Kind), Label: m.Label})
		}
	}
	return l
}
