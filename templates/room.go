package templates

import (
	"slices"
	"strings"

	"convatlas/diagram"
	"convatlas/engine"
)

// StepNames are the names of DrawnLayers, space-separated, for the page's own script.
func StepNames(r *engine.Report) string {
	var b strings.Builder
	for k, i := range diagram.DrawnLayers(r) {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(r.Layers[i].Name)
	}
	return b.String()
}

// boxSteps finds, for layer i, the drawn box before the one that draws it and the one
// after: a folded layer's box is the drawn layer at or before it.
func boxSteps(drawn []int, i int) (prev, next int) {
	prev, next = -1, -1
	k, _ := slices.BinarySearch(drawn, i+1) // drawn[k-1] ≤ i < drawn[k]
	if k < len(drawn) {
		next = drawn[k]
	}
	if k >= 2 {
		prev = drawn[k-2]
	}
	return prev, next
}

// Nav is what links a network's page to its neighbours in the atlas.
type Nav struct {
	Current    string // this network's id
	Family     string
	Prev, Next *NavLink  // in the atlas's order: families, then their members
	Members    []NavLink // the family's networks, this one included
}

// NavLink is a network's id and name.
type NavLink struct {
	ID, Name string
}

// Suggestion is a network the reader may have meant.
type Suggestion struct {
	ID, Name string
}

// presentURL is the page in presentation mode (on) or out of it, at the selected layer.
func presentURL(p *ArchPage, on bool) string {
	q := p.View.Query(func(v *DiagramView) {
		v.Scale = 0
		if on {
			v.Scale = 1.5
		}
	})
	if p.Panel != nil {
		return layerURL(p.Arch.ID, p.Panel.Layer.Name, q)
	}
	return "/a/" + p.Arch.ID + q
}
