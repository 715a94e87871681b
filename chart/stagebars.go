package chart

import (
	"convatlas/diagram"
	"convatlas/engine"
)

// StageBars is the lecture's per-stage picture of a comparison: one bar per network,
// stacked from its stages in order, all on one scale, so that one sees where each
// network keeps its parameters (VGG: in its fully connected stage) or its activation
// memory (in its first stages).
type StageBars struct {
	Title  string
	W, H   float64
	Plot   diagram.Rect
	Rows   []StageBarRow
	XTicks []Tick
}

// StageBarRow is one network's bar.
type StageBarRow struct {
	Name     string
	Y, H     float64
	Total    string
	TotalX   float64
	Segments []StageSegment
}

// StageSegment is one stage of a bar; Label is empty when the name does not fit inside.
type StageSegment struct {
	X, W         float64
	Stage, Value string
	Label        string
	Class        string // seg-0 … seg-5, alternating along the bar
	Shade        int    // the same, as a number
}

// stageBarRow is the height of a bar and the gap to the next.
const stageBarRow, stageBarGap = 30.0, 12.0

// NewStageBars stacks value of every stage of every network; what lies outside any
// stage (a flatten, a head without a stage) is the segment "other".
func NewStageBars(title string, items []Compared, value func(engine.StageTotals) int64, total func(*engine.Report) int64, format func(int64) string) *StageBars {
	labels := 120.0
	for _, it := range items {
		labels = max(labels, diagram.TextWidth(it.Arch.Name, barLabelSize)+16)
	}
	c := &StageBars{Title: title, W: max(760, labels+480)}
	c.Plot = diagram.Rect{X: labels, Y: 8, W: c.W - labels - 100, H: float64(len(items)) * (stageBarRow + stageBarGap)}
	c.H = c.Plot.Y + c.Plot.H + 26
	var most int64 = 1
	for _, it := range items {
		most = max(most, total(it.Report))
	}
	scale := c.Plot.W / float64(most)
	for i, it := range items {
		row := StageBarRow{Name: it.Arch.Name, Y: c.Plot.Y + float64(i)*(stageBarRow+stageBarGap), H: stageBarRow, Total: format(total(it.Report))}
		x, rest := c.Plot.X, total(it.Report)
		add := func(name string, v int64, k int) {
			if v <= 0 {
				return
			}
			s := StageSegment{X: x, W: float64(v) * scale, Stage: name, Value: format(v), Class: "seg-" + string(rune('0'+k%6)), Shade: k % 6}
			if diagram.TextWidth(name, 11)+6 <= s.W {
				s.Label = name
			}
			row.Segments = append(row.Segments, s)
			x += s.W
		}
		for k, st := range it.Report.Stages {
			add(st.Name, value(st), k)
			rest -= value(st)
		}
		if len(it.Report.Stages) == 0 {
			add("whole network (no stages)", rest, 0)
		} else {
			add("outside the stages", rest, len(it.Report.Stages))
		}
		row.TotalX = x + 6
		c.Rows = append(c.Rows, row)
	}
	step := niceStep(float64(most), 4)
	for v := 0.0; v <= float64(most); v += step {
		c.XTicks = append(c.XTicks, Tick{At: c.Plot.X + v*scale, Label: format(int64(v))})
	}
	return c
}

// SideNote says at what level the side-by-side diagrams are drawn.
func SideNote(detail string) string {
	if detail == "layer" {
		return "Every layer drawn (one of these networks has no stages)."
	}
	return "One box per stage; open a network to expand its stages."
}
