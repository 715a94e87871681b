package templates

import (
	"slices"

	"convatlas/diagram"
	"convatlas/engine"
)

// TableRow is a row of the full layer table: a layer, or a stage's subtotal.
type TableRow struct {
	Layer                *engine.Layer
	Label                string
	Stage                *engine.StageTotals // a subtotal row
	CumParams, CumMACs   int64
	ParamShare, MACShare float64 // of the largest layer, 0–100
	MemShare             float64
	Folded               int // a subtotal row: how many layers of its stage are not listed (see FoldTable)
}

// TableSorts are the orders the layer table offers.
var TableSorts = []struct{ Key, Label string }{
	{"", "order"}, {"params", "parameters"}, {"macs", "MACs"}, {"memory", "memory"}, {"rf", "receptive field"},
}

// LayerTable builds the rows of the layer table, in the network's order with stage
// subtotals, or sorted by a figure (largest first).
func LayerTable(r *engine.Report, sort string) []TableRow {
	var maxP, maxM, maxA int64 = 1, 1, 1
	for i := range r.Layers {
		maxP, maxM, maxA = max(maxP, r.Layers[i].Params), max(maxM, r.Layers[i].MACs), max(maxA, r.Layers[i].Activations)
	}
	var rows []TableRow
	var cumP, cumM int64
	stage := 0
	for i := range r.Layers {
		l := &r.Layers[i]
		if !l.Aux {
			cumP += l.Params
			cumM += l.MACs
		}
		rows = append(rows, TableRow{Layer: l, Label: diagram.TitledLabel(l), CumParams: cumP, CumMACs: cumM,
			ParamShare: 100 * float64(l.Params) / float64(maxP), MACShare: 100 * float64(l.MACs) / float64(maxM),
			MemShare: 100 * float64(l.Activations) / float64(maxA)})
		if sort == "" && stage < len(r.Stages) && r.Stages[stage].Last == i {
			rows = append(rows, TableRow{Stage: &r.Stages[stage], CumParams: cumP, CumMACs: cumM})
			stage++
		}
	}
	key := map[string]func(*engine.Layer) int64{
		"params": func(l *engine.Layer) int64 { return l.Params },
		"macs":   func(l *engine.Layer) int64 { return l.MACs },
		"memory": func(l *engine.Layer) int64 { return l.Activations },
		"rf":     func(l *engine.Layer) int64 { return l.RF.H.Size },
	}[sort]
	if key != nil {
		slices.SortStableFunc(rows, func(a, b TableRow) int {
			x, y := key(a.Layer), key(b.Layer)
			switch {
			case x > y:
				return -1
			case x < y:
				return 1
			}
			return 0
		})
	}
	return rows
}
