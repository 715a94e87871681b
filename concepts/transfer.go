package concepts

import (
	"fmt"

	"convatlas/archdefs"
	"convatlas/engine"
	"convatlas/templates"
)

// transferAdvice is the lecture's table: what to retrain for how much data, how similar.
var transferAdvice = map[[2]string]string{
	{"little", "similar"}:   "Use a linear classifier on the top layer: train only the last layer",
	{"little", "different"}: "You're in trouble: try a linear classifier on the features of an earlier stage",
	{"much", "similar"}:     "Fine-tune a few layers: the last stage and the classifier",
	{"much", "different"}:   "Fine-tune a large number of layers: everything after the stem",
}

// Transfer marks which layers of a network are frozen in one cell of the lecture's
// transfer-learning table, and what stays trainable.
func Transfer(a *archdefs.Arch, r *engine.Report, data, similar string, base string) (*templates.Calculator, []templates.TransferCell, int, error) {
	if transferAdvice[[2]string{data, similar}] == "" {
		return nil, nil, 0, fmt.Errorf("data is little or much, similar is similar or different")
	}
	frozen := freezePoint(r, data, similar)
	name := ""
	if frozen >= 0 {
		name = r.Layers[frozen].Name
	}
	var frozenReport *engine.Report
	var err error
	if frozenReport, err = engine.Analyze(a.Model, engine.Options{FreezeThrough: name}); err != nil {
		return nil, nil, 0, err
	}
	t := frozenReport.Totals
	calc := &templates.Calculator{
		Slug: "transfer", Title: "Transfer learning with " + a.Name,
		Intro:   "A network trained on ImageNet is a good start for a new task. How much of it to retrain depends on how much data you have and how much it resembles ImageNet: the lecture's table.",
		Columns: []string{a.Name},
		Hidden:  [][2]string{{"data", data}, {"similar", similar}},
		Rows: []templates.CalcRow{
			{Label: "frozen through", Values: []string{frozenLabel(r, frozen)}},
			{Label: "trainable parameters", Values: []string{fmt.Sprintf("%s of %s (%.1f%%)", group(t.Trainable), group(t.Params), 100*float64(t.Trainable)/float64(t.Params))}},
			{Label: "frozen parameters", Values: []string{group(t.Params - t.Trainable)}},
		},
		Notes: []string{transferAdvice[[2]string{data, similar}] + "."},
	}
	var cells []templates.TransferCell
	for _, d := range []string{"little", "much"} {
		for _, s := range []string{"similar", "different"} {
			cells = append(cells, templates.TransferCell{Data: d, Similar: s, Advice: transferAdvice[[2]string{d, s}], Selected: d == data && s == similar,
				URL: fmt.Sprintf("%s?net=%s&data=%s&similar=%s", base, a.ID, d, s)})
		}
	}
	return calc, cells, frozen, nil
}

// freezePoint is the index of the last frozen layer, -1 for none.
func freezePoint(r *engine.Report, data, similar string) int {
	lastWeighted := -1
	for i := range r.Layers {
		if r.Layers[i].Weighted && !r.Layers[i].Aux {
			lastWeighted = i
		}
	}
	// Stages with weights, in order.
	var stages []engine.StageTotals
	for _, s := range r.Stages {
		if s.Params > 0 {
			stages = append(stages, s)
		}
	}
	switch {
	case data == "little" && similar == "similar":
		return lastWeighted - 1
	case data == "little":
		if len(stages) >= 3 {
			return stages[len(stages)/2].Last
		}
		return lastWeighted / 2
	case similar == "similar":
		if len(stages) >= 3 {
			return stages[len(stages)-3].Last // keep the last stage with convolutions and the head
		}
		return lastWeighted * 3 / 4
	}
	if len(stages) >= 2 {
		return stages[0].Last
	}
	return lastWeighted / 4
}

func frozenLabel(r *engine.Report, i int) string {
	if i < 0 {
		return "nothing"
	}
	l := &r.Layers[i]
	return fmt.Sprintf("%s (layer %d of %d)", l.Name, i+1, len(r.Layers))
}
