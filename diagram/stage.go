package diagram

import (
	"convatlas/engine"
	"fmt"
)

// StageToggle is written at the top right of an expanded stage's frame, as a link that
// collapses it.
const StageToggle = "collapse ▴"

// countBoxes is how many boxes and joins an item draws when expanded (a run drawn once
// counts once).
func countBoxes(it *item) int {
	if it.layer >= 0 {
		return 1
	}
	n := 0
	for _, c := range it.items {
		n += countBoxes(c)
	}
	return n
}

// StageCollapsed reports whether a diagram laid out with opt would draw the stage as
// one collapsed box, without laying it out.
func StageCollapsed(r *engine.Report, opt Options, stage string) bool {
	lo := &layouter{r: r, opt: opt}
	for _, it := range fold(r, viewTree(r)) {
		if it.block >= 0 && r.Blocks[it.block].Kind == engine.KindStage && r.Blocks[it.block].Name == stage {
			return lo.collapsed(stage, &item{layer: -1, block: it.block, items: lo.drawnItems(it)})
		}
	}
	return false
}

func (lo *layouter) collapsed(name string, it *item) bool {
	switch {
	case lo.opt.Expand["all"] || lo.opt.Expand[name]:
		return false
	case lo.opt.Collapse[name] || lo.opt.Collapse["all"]:
		return true
	}
	return lo.opt.AutoCollapse > 0 && countBoxes(it) > lo.opt.AutoCollapse
}

// stage draws a stage in a frame titled with its name, its runs of repeated blocks drawn
// once in the representative view (repeat.go), or collapsed to one box.
func (lo *layouter) stage(it *item) sub {
	b := &lo.r.Blocks[it.block]
	drawn := &item{layer: -1, block: it.block, items: lo.drawnItems(it)}
	if b.Last < b.First || !lo.collapsed(b.Name, drawn) {
		title := b.Name
		if t := blockTitle(b); t != "" {
			title = t
		}
		s := lo.frame(lo.seq(drawn.items), "stage", title, b.Name, false)
		if lo.opt.Blocks && !lo.representing(b.Name) && lo.outerStage(it) {
			// Expanded in the representative view: its toggle draws one block per run
			// again, if it has runs.
			_, s.frames[len(s.frames)-1].Runs = lo.representatives(b.Name, it.items)
		}
		return s
	}
	sum := lo.summarizeStage(it)
	title := sum.Title
	detail := fmt.Sprintf("%s · %s params", sum.Out, HumanCount(sum.Params))
	du, dv := lo.boxSize(title, detail)
	box := Box{W: du, H: dv, Index: -1, Kind: "stage", Label: title, Detail: detail, Stage: b.Name, Repeat: max(sum.Blocks, 1)}
	return sub{U: du, V: dv, A: dv / 2, boxes: []Box{box}, spans: []Span{{First: b.First, Last: b.Last}}}
}
