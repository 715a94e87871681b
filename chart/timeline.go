package chart

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"convatlas/archdefs"
	"convatlas/diagram"
)

// BarChart is a chart of labelled bars with an optional reference line, laid out in Go.
type BarChart struct {
	Title, YLabel string
	W, H          float64
	Plot          diagram.Rect
	Bars          []Bar
	YTicks        []Tick
	Line          *RefLine
}

// Bar is one bar with its labels.
type Bar struct {
	X, Y, W, H   float64
	Label, Value string
	Sub          string // a second label line (the entry)
	Link         string // the architecture's page, if any
	Muted        bool   // a runner-up
}

// RefLine is a horizontal reference, such as human performance.
type RefLine struct {
	Y     float64
	Label string
}

// ILSVRCTimeline charts the ILSVRC classification winners' top-5 error by year, with
// the human error line.
func ILSVRCTimeline(idx *archdefs.Index) *BarChart {
	c := &BarChart{Title: "ILSVRC classification: top-5 error of the winners by year", YLabel: "top-5 error (%)", W: 760, H: 340}
	c.Plot = diagram.Rect{X: 56, Y: 24, W: c.W - 56 - 16, H: c.H - 24 - 70}
	maxV := 30.0
	py := func(v float64) float64 { return c.Plot.Y + c.Plot.H - v/maxV*c.Plot.H }
	for v := 0.0; v <= maxV; v += 5 {
		c.YTicks = append(c.YTicks, Tick{At: py(v), Label: fmt.Sprint(v)})
	}
	n := float64(len(idx.ILSVRC))
	slot := c.Plot.W / n
	for i, w := range idx.ILSVRC {
		b := Bar{X: c.Plot.X + float64(i)*slot + slot*0.15, W: slot * 0.7, Y: py(w.Top5), H: c.Plot.H - (py(w.Top5) - c.Plot.Y),
			Label: fmt.Sprint(w.Year), Value: fmt.Sprintf("%g%%", w.Top5), Sub: w.Short, Muted: w.RunnerUp}
		if w.ID != "" {
			b.Link = "/a/" + w.ID
		}
		c.Bars = append(c.Bars, b)
	}
	c.Line = &RefLine{Y: py(idx.Human.Top5), Label: fmt.Sprintf("human ≈ %g%%", idx.Human.Top5)}
	return c
}

// TimelineRow is a row of the timeline's data table.
type TimelineRow struct {
	Year, Entry, Top5, Source, Link string
}

// TimelineRows lists the index's ILSVRC results and the human line.
func TimelineRows(idx *archdefs.Index) []TimelineRow {
	var rows []TimelineRow
	for _, w := range idx.ILSVRC {
		r := TimelineRow{Year: fmt.Sprint(w.Year), Entry: w.Entry, Top5: fmt.Sprintf("%g%%", w.Top5), Source: w.Source}
		if w.ID != "" {
			r.Link = "/a/" + w.ID
		}
		rows = append(rows, r)
	}
	return append(rows, TimelineRow{Year: "—", Entry: "human annotator", Top5: fmt.Sprintf("%g%%", idx.Human.Top5), Source: idx.Human.Source})
}

// AccuracyTimeline charts every network's ImageNet top-1 accuracy against the year of
// its paper: the story the ILSVRC chart cannot tell past 2017, when the challenge ended
// and papers turned to top-1 accuracy at a budget of operations. Each year is a row, each
// network a circle on the row at its accuracy, its area proportional to its multiply-adds,
// and its name on a flag above it: a flag's pole rises from the circle, and a flag never
// covers another flag or the pole of another.
type AccuracyTimeline struct {
	Title, XLabel string
	W, H          float64
	Plot          diagram.Rect // the rows and the accuracy axis under them
	XTicks        []Tick
	Rows          []YearRow
	Dots          []AccuracyDot
	Legend        []LegendCircle
	LegendLabel   TextAt
	LeftOut       []LeftOut // networks with no ImageNet top-1 accuracy, with the reason
}

// YearRow is one year's band of an accuracy timeline.
type YearRow struct {
	Year     int
	Label    string // the year, or the years of a gap ("2009–2011")
	Top, H   float64
	Baseline float64 // where the year's circles sit
	Note     string  // in a row of years with no network drawn: what is left out
	NoteX    float64
}

// AccuracyDot is one network on an accuracy timeline: its circle, its flag and what
// they stand for.
type AccuracyDot struct {
	ID, Name string
	Year     int
	Accuracy float64
	MACs     int64
	Result   archdefs.Result // the published figure drawn, with its setting and source
	X, Y, R  float64         // the circle
	Line     int             // the flag's line above the circle, 0 nearest
	Label    string          // the flag's text: name and accuracy
	Left     bool            // the flag runs to the left of its pole (its text ends at LabelX)
	LabelX   float64         // where the text starts, or ends for a flag to the left
	LabelY   float64         // the text's baseline
	PoleTop  float64         // where the pole ends, under the text
}

// LabelBox is the box the dot's flag text occupies.
func (d AccuracyDot) LabelBox() diagram.Rect {
	w := diagram.TextWidth(d.Label, timelineLabelSize)
	x := d.LabelX
	if d.Left {
		x -= w
	}
	return diagram.Rect{X: x, Y: d.LabelY - timelineLabelSize + 1, W: w, H: timelineLabelSize + 3}
}

// Anchor is the flag text's text-anchor.
func (d AccuracyDot) Anchor() string {
	if d.Left {
		return "end"
	}
	return "start"
}

// LegendCircle is a sample circle of the legend.
type LegendCircle struct {
	X, Y, R float64
	Label   string
	LabelX  float64
}

// The accuracy timeline's measures, in pixels.
const (
	timelineLabelSize = 12.0 // the flags' text
	timelineLineH     = 17.0 // one line of flags
	timelineMaxR      = 10.0 // the circle of the most multiply-adds
	timelineMinR      = 2.5  // the smallest circle drawn, so that it stays visible
	timelineFlagGap   = 8.0  // between two flags on one line, and between a flag and a pole
	timelineW         = 760.0
)

// NewAccuracyTimeline lays out the accuracy timeline of items: those with an ImageNet
// top-1 accuracy (Top1Result) and a year are drawn, the others listed as left out.
func NewAccuracyTimeline(items []Compared) *AccuracyTimeline {
	c := &AccuracyTimeline{Title: "ImageNet top-1 accuracy by year: every network of the atlas that publishes one",
		XLabel: "ImageNet top-1 accuracy (%), one model", W: timelineW}
	var maxMACs int64 = 1
	lo, hi := 100.0, 0.0
	leftOutByYear := map[int][]string{}
	for _, it := range items {
		acc, r, ok := Top1Result(it.Arch)
		if !ok || it.Arch.Meta.Year == 0 {
			c.LeftOut = append(c.LeftOut, LeftOut{Name: it.Arch.Name, Why: accuracyMissing(it.Arch)})
			leftOutByYear[it.Arch.Meta.Year] = append(leftOutByYear[it.Arch.Meta.Year], it.Arch.Name)
			continue
		}
		d := AccuracyDot{ID: it.Arch.ID, Name: it.Arch.Name, Year: it.Arch.Meta.Year, Accuracy: acc, MACs: it.Report.Totals.MACs, Result: r}
		d.Label = shortName(d.Name) + " " + fmt.Sprintf("%.1f", acc) + "%"
		c.Dots = append(c.Dots, d)
		maxMACs = max(maxMACs, d.MACs)
		lo, hi = math.Min(lo, acc), math.Max(hi, acc)
	}
	if len(c.Dots) == 0 {
		lo, hi = 60, 80
	}
	lo, hi = math.Floor((lo-1)/5)*5, math.Ceil((hi+1)/5)*5
	radius := func(macs int64) float64 {
		return math.Max(timelineMinR, timelineMaxR*math.Sqrt(float64(macs)/float64(maxMACs)))
	}

	// The axis is as long as it can be while every flag still ends inside the chart.
	left, right := 48.0, 16.0
	plotW := c.W - left - right
	for _, d := range c.Dots {
		f := (d.Accuracy - lo) / (hi - lo)
		if f > 0 {
			plotW = math.Min(plotW, (c.W-right-left-3-diagram.TextWidth(d.Label, timelineLabelSize))/f)
		}
	}
	px := func(acc float64) float64 { return left + (acc-lo)/(hi-lo)*plotW }

	// The legend: three circles of round numbers of multiply-adds.
	legendY := 18.0
	c.LegendLabel = TextAt{X: left, Y: legendY + 4, Text: "circle area ∝ multiply-adds:"}
	x := left + diagram.TextWidth(c.LegendLabel.Text, timelineLabelSize) + 8
	for _, g := range legendMACs(maxMACs) {
		r := radius(g)
		lc := LegendCircle{X: x + r, Y: legendY, R: r, Label: diagram.HumanCount(g), LabelX: x + 2*r + 4}
		c.Legend = append(c.Legend, lc)
		x = lc.LabelX + diagram.TextWidth(lc.Label, timelineLabelSize) + 14
	}
	if floor := int64(math.Ceil(float64(maxMACs) * math.Pow(timelineMinR/timelineMaxR, 2))); floor > 1 {
		c.Legend = append(c.Legend, LegendCircle{X: x + timelineMinR, Y: legendY, R: timelineMinR, Label: "the smallest size: all under " + diagram.HumanCount(floor), LabelX: x + 2*timelineMinR + 4})
	}

	// Rows by year, oldest first; within a row the flags are placed from the right.
	slices.SortStableFunc(c.Dots, func(a, b AccuracyDot) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return cmp.Compare(b.Accuracy, a.Accuracy)
	})
	top := 40.0
	for start := 0; start < len(c.Dots); {
		end := start
		for end < len(c.Dots) && c.Dots[end].Year == c.Dots[start].Year {
			end++
		}
		if start > 0 && c.Dots[start].Year > c.Dots[start-1].Year+1 {
			gap := gapRow(c.Dots[start-1].Year+1, c.Dots[start].Year-1, leftOutByYear, top, left, c.W-left-right)
			c.Rows = append(c.Rows, gap)
			top += gap.H
		}
		row := c.Dots[start:end]
		for i := range row {
			row[i].X, row[i].R = px(row[i].Accuracy), radius(row[i].MACs)
		}
		lines := placeFlags(row)
		h := float64(lines)*timelineLineH + 2*timelineMaxR + 10
		yr := YearRow{Year: row[0].Year, Label: fmt.Sprint(row[0].Year), Top: top, H: h, Baseline: top + h - timelineMaxR - 4}
		for i := range row {
			d := &row[i]
			d.Y = yr.Baseline
			d.LabelX = d.X + 3
			if d.Left {
				d.LabelX = d.X - 3
			}
			d.LabelY = yr.Baseline - timelineMaxR - 6 - float64(d.Line)*timelineLineH
			d.PoleTop = d.LabelY + 3
		}
		c.Rows = append(c.Rows, yr)
		top += h
		start = end
	}
	c.Plot = diagram.Rect{X: left, Y: 40, W: plotW, H: top - 40}
	for v := lo; v <= hi+0.01; v += 5 {
		c.XTicks = append(c.XTicks, Tick{At: px(v), Label: fmt.Sprint(v)})
	}
	c.H = top + 44
	return c
}

// placeFlags gives each dot of a row its flag: a side and a line. The dots left of a
// split have flags to the left of their poles, the others to the right, so that the two
// sides fan out and share lines; the split is the one that needs the fewest lines with
// every flag inside the chart (x ≥ 0). It returns how many lines the row needs.
func placeFlags(row []AccuracyDot) int {
	order := make([]int, len(row))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(row[a].X, row[b].X) })
	splits := []int{0}
	if len(row) <= maxTriedSplits {
		splits = make([]int, 0, len(row)+1)
		for k := 0; k <= len(row); k++ {
			splits = append(splits, k)
		}
	}
	best, bestLines := -1, 0
	for _, k := range splits {
		lines, ok := placeFlagsSplit(row, order, k)
		if ok && (best < 0 || lines < bestLines) {
			best, bestLines = k, lines
		}
	}
	if best < 0 {
		best = 0 // all to the right: they end inside the chart by the axis's length
	}
	lines, _ := placeFlagsSplit(row, order, best)
	return lines
}

// gapRow is the thin row of the years from first to last where no network is drawn,
// naming the networks of those years that are left out, so that the rows stay a
// timeline: "2013: ZFNet and Network in Network publish no ImageNet top-1 accuracy".
func gapRow(first, last int, leftOut map[int][]string, top, x, width float64) YearRow {
	r := YearRow{Year: first, Label: fmt.Sprint(first), Top: top, H: 26, Baseline: top + 17, NoteX: x + 4}
	if last > first {
		r.Label = fmt.Sprintf("%d–%d", first, last)
	}
	var names []string
	for y := first; y <= last; y++ {
		names = append(names, leftOut[y]...)
	}
	switch {
	case len(names) == 0:
		r.Note = "no network of the atlas"
	case len(names) == 1:
		r.Note = names[0] + " publishes no ImageNet top-1 accuracy"
	default:
		r.Note = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " publish no ImageNet top-1 accuracy"
	}
	if diagram.TextWidth(r.Note, timelineLabelSize) > width-4 {
		r.Note = fmt.Sprintf("%d networks of the atlas publish no ImageNet top-1 accuracy", len(names))
	}
	return r
}

// maxTriedSplits bounds the splits placeFlags tries (each costs n² for n dots): a year
// of the catalogue has at most 11 networks.
const maxTriedSplits = 32

// placeFlagsSplit places the flags of the dots order[:k] to the left of their poles and
// the others to the right. Each side is placed from its outer end inwards, so that a flag
// can only cover the poles of dots placed before it, and is lifted above their flags: it
// takes the lowest line that is higher than every flag whose pole it covers and overlaps
// no flag of that line, of either side, with a gap. So no pole crosses a flag. It reports
// false when a left flag would leave the chart.
func placeFlagsSplit(row []AccuracyDot, order []int, k int) (int, bool) {
	right := slices.Clone(order[k:])
	slices.Reverse(right)
	for n, i := range order {
		row[i].Left = n < k
	}
	var placed []int
	lines, ok := 0, true
	for _, side := range [][]int{order[:k], right} {
		for n, i := range side {
			d := &row[i]
			from, to := flagSpan(*d)
			ok = ok && from >= 0
			line := 0
			for _, j := range side[:n] {
				if o := row[j]; o.X >= from-timelineFlagGap && o.X <= to+timelineFlagGap {
					line = max(line, o.Line+1) // above the pole of o
				}
			}
			for taken := true; taken; {
				taken = false
				for _, j := range placed {
					oFrom, oTo := flagSpan(row[j])
					if row[j].Line == line && from < oTo+timelineFlagGap && oFrom < to+timelineFlagGap {
						taken = true
						line++
						break
					}
				}
			}
			d.Line = line
			placed = append(placed, i)
			lines = max(lines, line+1)
		}
	}
	return lines, ok
}

// flagSpan is where a dot's flag runs, from its pole to the end of its text.
func flagSpan(d AccuracyDot) (from, to float64) {
	w := 3 + diagram.TextWidth(d.Label, timelineLabelSize)
	if d.Left {
		return d.X - w, d.X
	}
	return d.X, d.X + w
}

// legendMACs are the round numbers of multiply-adds the legend shows: 1, 5 and 20 G
// for a catalogue whose largest network has about 20 G.
func legendMACs(maxMACs int64) []int64 {
	var out []int64
	for _, g := range []int64{1e8, 1e9, 5e9, 2e10, 1e11} {
		if g <= maxMACs && g*100 >= maxMACs {
			out = append(out, g)
		}
	}
	if len(out) > 3 {
		out = out[len(out)-3:]
	}
	return out
}

// shortName is a network's name on a flag: without the parenthesis that says which
// variant (the table under the chart has the full name), "BN" for "with batch norm".
func shortName(name string) string {
	if i := strings.Index(name, " ("); i > 0 {
		name = name[:i]
	}
	return strings.Replace(name, " with batch norm", " BN", 1)
}

// AccuracyRow is a row of the accuracy timeline's data table.
type AccuracyRow struct {
	Year, Network, Top1, MACs, Setting, Source, Link string
}

// AccuracyRows lists what the accuracy timeline draws, in its order, and the networks
// it leaves out.
func AccuracyRows(c *AccuracyTimeline) []AccuracyRow {
	rows := make([]AccuracyRow, 0, len(c.Dots))
	for _, d := range c.Dots {
		rows = append(rows, AccuracyRow{Year: fmt.Sprint(d.Year), Network: d.Name, Top1: diagram.TrimZeros(fmt.Sprintf("%.3f", d.Accuracy)) + "%",
			MACs: diagram.HumanCount(d.MACs), Setting: d.Result.Metric + " " + d.Result.Value + ", " + d.Result.Setting, Source: d.Result.Source, Link: "/a/" + d.ID})
	}
	return rows
}
