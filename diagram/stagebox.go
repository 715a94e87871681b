package diagram

import (
	"fmt"
	"strings"

	"convatlas/engine"
)

// stageSummary is what a collapsed stage's box says: its blocks on the main path,
// counted by kind in order ("reduction_b + 4 × inception_c"; a dense block by its layers,
// "6 dense layers"), the auxiliary heads apart ("+ 2 auxiliary heads"), and the main
// path's output, parameters and block count.
type stageSummary struct {
	Title  string
	Out    engine.Shape
	Params int64 // inference: auxiliary heads excluded
	Blocks int   // blocks on the main path
}

// summarizeStage reads a stage item's children: a child block is a main-path block
// unless it is an auxiliary classifier; runs of blocks of the same kind (the template
// they were made from) are counted together.
func (lo *layouter) summarizeStage(it *item) stageSummary {
	b := &lo.r.Blocks[it.block]
	var runs []struct {
		label string
		n     int
	}
	aux, unlabelled, dense := 0, 0, false
	s := stageSummary{Out: lo.stageOut(it.block)}
	for _, c := range it.items {
		if c.block < 0 {
			continue
		}
		cb := &lo.r.Blocks[c.block]
		if cb.Kind == engine.KindAux {
			aux++
			continue
		}
		s.Blocks++
		label := cb.Label
		dense = dense || cb.Kind == engine.KindDense
		if cb.Kind == engine.KindDense && label == "" {
			label = fmt.Sprintf("%d dense layers", denseLayers(c))
		}
		if label == "" {
			unlabelled++
		}
		if k := len(runs); k > 0 && runs[k-1].label == label {
			runs[k-1].n++
		} else {
			runs = append(runs, struct {
				label string
				n     int
			}{label, 1})
		}
	}
	for i := b.First; i <= b.Last; i++ {
		if !lo.r.Layers[i].Aux {
			s.Params += lo.r.Layers[i].Params
		}
	}
	var parts []string
	switch {
	case s.Blocks == 1 && dense:
		parts = append(parts, runs[0].label) // "6 dense layers"
	case s.Blocks > 1 && unlabelled == 0:
		for _, r := range runs {
			if r.n == 1 {
				parts = append(parts, r.label)
			} else {
				parts = append(parts, fmt.Sprintf("%d × %s", r.n, r.label))
			}
		}
	case s.Blocks > 1:
		parts = append(parts, fmt.Sprintf("%d blocks", s.Blocks))
	}
	switch aux {
	case 0:
	case 1:
		parts = append(parts, "1 auxiliary head")
	default:
		parts = append(parts, fmt.Sprintf("%d auxiliary heads", aux))
	}
	s.Title = b.Name
	if t := blockTitle(b); t != "" {
		s.Title = t
	}
	if len(parts) > 0 {
		s.Title += ": " + strings.Join(parts, " + ")
	}
	return s
}

// stageOut is the output of a stage's main path: the engine's stage subtotal for a
// top-level stage, else the last layer that is not part of an auxiliary head.
func (lo *layouter) stageOut(block int) engine.Shape {
	b := &lo.r.Blocks[block]
	for _, st := range lo.r.Stages {
		if st.Name == b.Name && st.First == b.First {
			return st.Out
		}
	}
	for i := b.Last; i >= b.First; i-- {
		if !lo.r.Layers[i].Aux {
			return lo.r.Layers[i].Out
		}
	}
	return lo.r.Layers[b.Last].Out
}

// denseLayers counts the layers of a dense block item: its child blocks (the final
// concatenation is a layer of its own).
func denseLayers(it *item) int {
	n := 0
	for _, c := range it.items {
		if c.block >= 0 {
			n++
		}
	}
	return n
}
