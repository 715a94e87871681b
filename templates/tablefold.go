package templates

import (
	"fmt"

	"convatlas/engine"
)

// MaxTableRows is how many layer rows the table view renders at once. Up to it every
// row is sent (ResNet-110 has 386 layers); beyond it (ResNet-1202's 3,611 rows made a
// 3 MB page of 76,000 elements that took seconds to open, DenseNet-201's 707 rows 1.3 s
// here) the table shows each stage's subtotal and the rows of one stage, opened by a
// link (or of every stage, asked for with stage=all), and a sorted table its first
// MaxTableRows rows.
const MaxTableRows = 400

// FoldTable keeps the rows a table view renders: all of them for a network of at most
// MaxTableRows layers; else, in order, the stage subtotals and the layers of stage
// open, or sorted, the first MaxTableRows. It reports how many layer rows it left out.
func FoldTable(r *engine.Report, rows []TableRow, sorted bool, open string) ([]TableRow, int) {
	if len(r.Layers) <= MaxTableRows || open == "all" && !sorted {
		return rows, 0
	}
	if sorted || len(r.Stages) == 0 {
		return rows[:min(len(rows), MaxTableRows)], max(0, len(rows)-MaxTableRows)
	}
	var out []TableRow
	var stage *engine.StageTotals
	hidden, left := 0, 0
	for i := range rows {
		row := rows[i]
		if row.Stage != nil {
			row.Folded = 0
			if row.Stage.Name != open {
				row.Folded = row.Stage.Last - row.Stage.First + 1
			}
			out = append(out, row)
			stage = nil
			continue
		}
		if stage == nil || row.Layer.Stage != stage.Name {
			stage = stageOf(r, row.Layer.Stage)
		}
		if stage != nil && stage.Name != open {
			hidden++
			continue
		}
		if stage == nil && left >= MaxTableRows {
			hidden++
			continue
		}
		left++
		out = append(out, row)
	}
	return out, hidden
}

func stageOf(r *engine.Report, name string) *engine.StageTotals {
	for i := range r.Stages {
		if r.Stages[i].Name == name {
			return &r.Stages[i]
		}
	}
	return nil
}

// foldNote says what a folded table leaves out.
func foldNote(hidden int, sorted bool) string {
	if sorted {
		return fmt.Sprintf("The %d largest layers are listed; %d more are left out.", MaxTableRows, hidden)
	}
	return fmt.Sprintf("%s layers in closed stages are left out: open a stage to list its layers, or list every stage (slow to open).", engine.Group(int64(hidden)))
}

// stageTableURL opens one stage of the table view.
func stageTableURL(id, stage string) string {
	return "/a/" + id + "?view=table&stage=" + stage + "#stage-" + stage
}
