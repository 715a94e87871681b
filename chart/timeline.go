package chart

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
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
	Font          float64   // the size of every text; years are a pixel larger, in bold
	TickY         float64   // the baseline of the axis's numbers
	XLabelX       float64   // the middle of the axis's name
	XLabelY       float64   // its baseline
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
	Font     float64         // the text's size
}

// LabelBox is the box the dot's flag text occupies.
func (d AccuracyDot) LabelBox() diagram.Rect {
	w := diagram.TextWidth(d.Label, d.Font)
	x := d.LabelX
	if d.Left {
		x -= w
	}
	return diagram.Rect{X: x, Y: d.LabelY - d.Font + 1, W: w, H: d.Font + 3}
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
	X, Y, R        float64
	Label          string
	LabelX, LabelY float64
}

// TimelineSize is the accuracy timeline's text size and width; the other measures
// follow from the text size.
type TimelineSize struct {
	Font, W float64
}

// The accuracy timeline on a page (12 px text in a 760 px chart, which keeps its
// natural width on a phone), and in presentation mode, where it fills a projected
// page of 1280 px or more with text of 24 px and more.
var (
	PageTimeline  = TimelineSize{Font: 12, W: 760}
	SlideTimeline = TimelineSize{Font: 18, W: 900}
)

func (s TimelineSize) lineH() float64 { return s.Font * 17 / 12 }  // one line of flags
func (s TimelineSize) maxR() float64  { return s.Font * 10 / 12 }  // the circle of the most multiply-adds
func (s TimelineSize) minR() float64  { return s.Font * 2.5 / 12 } // the smallest circle, still visible
func (s TimelineSize) gap() float64   { return s.Font * 8 / 12 }   // between flags, and a flag and a pole

// NewAccuracyTimeline lays out the accuracy timeline of items: those with an ImageNet
// top-1 accuracy (Top1Result) and a year are drawn, the others listed as left out.
func NewAccuracyTimeline(items []Compared, size TimelineSize) *AccuracyTimeline {
	c := &AccuracyTimeline{Title: "ImageNet top-1 accuracy by year: every network of the atlas that publishes one",
		XLabel: "ImageNet top-1 accuracy (%), one model", W: size.W, Font: size.Font}
	font := size.Font
	var maxMACs int64 = 1
	lo, hi := 100.0, 0.0
	leftOutByYear := map[int][]string{}
	for _, it := range items {
		acc, r, ok := Top1Result(it.Arch)
		if !ok || it.Arch.Meta.Year == 0 || acc <= 0 || acc > 100 {
			why := accuracyMissing(it.Arch)
			switch {
			case ok && it.Arch.Meta.Year == 0:
				why = "no year given"
			case ok:
				why = "a top-1 accuracy outside 0–100%"
			}
			c.LeftOut = append(c.LeftOut, LeftOut{Name: it.Arch.Name, Why: why})
			leftOutByYear[it.Arch.Meta.Year] = append(leftOutByYear[it.Arch.Meta.Year], it.Arch.Name)
			continue
		}
		d := AccuracyDot{ID: it.Arch.ID, Name: it.Arch.Name, Year: it.Arch.Meta.Year, Accuracy: acc, MACs: it.Report.Totals.MACs, Result: r, Font: font}
		d.Label = shortName(d.Name) + " " + fmt.Sprintf("%.1f", acc) + "%"
		c.Dots = append(c.Dots, d)
		maxMACs = max(maxMACs, d.MACs)
		lo, hi = math.Min(lo, acc), math.Max(hi, acc)
	}
	if len(c.Dots) == 0 {
		lo, hi = 60, 80
	}
	lo, hi = math.Floor((lo-1)/5)*5, math.Min(100, math.Ceil((hi+1)/5)*5)
	radius := func(macs int64) float64 {
		return math.Max(size.minR(), size.maxR()*math.Sqrt(float64(macs)/float64(maxMACs)))
	}

	// Rows by year, oldest first, with a thin row for each gap between years.
	slices.SortStableFunc(c.Dots, func(a, b AccuracyDot) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return cmp.Compare(b.Accuracy, a.Accuracy)
	})

	// The axis starts right of the years (and of a gap's "2009–2011") and is as long as
	// it can be while every flag still ends inside the chart.
	left := 4 * font
	for i := 1; i < len(c.Dots); i++ {
		if c.Dots[i].Year > c.Dots[i-1].Year+2 {
			left = math.Max(left, diagram.TextWidth(fmt.Sprintf("%d–%d", c.Dots[i-1].Year+1, c.Dots[i].Year-1), font+1)+14)
		}
	}
	right := math.Max(16, diagram.TextWidth(fmt.Sprint(hi), font)/2+4) // room for the last tick's number
	plotW := c.W - left - right
	for _, d := range c.Dots {
		f := (d.Accuracy - lo) / (hi - lo)
		if f > 0 {
			plotW = math.Min(plotW, (c.W-right-left-3-diagram.TextWidth(d.Label, font))/f)
		}
	}
	plotW = math.Max(plotW, (c.W-left-right)/3) // names of a few dozen characters at most
	px := func(acc float64) float64 { return left + (acc-lo)/(hi-lo)*plotW }

	// The legend: the smallest circle and round numbers of multiply-adds above it, as
	// many as fit on the line.
	legendY := math.Max(size.maxR(), font) + 6
	c.LegendLabel = TextAt{X: left, Y: legendY + font/3, Text: "circle area ∝ multiply-adds:"}
	x := left + diagram.TextWidth(c.LegendLabel.Text, font) + 8
	floor := int64(math.Ceil(float64(maxMACs) * math.Pow(size.minR()/size.maxR(), 2)))
	var samples []LegendCircle
	if floor > 1 {
		samples = append(samples, LegendCircle{R: size.minR(), Label: "under " + diagram.HumanCount(floor)})
	}
	for _, g := range legendMACs(maxMACs) {
		if g > floor {
			samples = append(samples, LegendCircle{R: radius(g), Label: diagram.HumanCount(g)})
		}
	}
	for _, lc := range samples {
		lc.X, lc.Y, lc.LabelX = x+lc.R, legendY, x+2*lc.R+4
		if lc.LabelX+diagram.TextWidth(lc.Label, font) > c.W-4 {
			break
		}
		c.Legend = append(c.Legend, lc)
		x = lc.LabelX + diagram.TextWidth(lc.Label, font) + 14
	}
	for i := range c.Legend {
		c.Legend[i].LabelY = legendY + font/3
	}

	first := legendY + math.Max(size.maxR(), font) + 8
	top := first
	for start := 0; start < len(c.Dots); {
		end := start
		for end < len(c.Dots) && c.Dots[end].Year == c.Dots[start].Year {
			end++
		}
		if start > 0 && c.Dots[start].Year > c.Dots[start-1].Year+1 {
			gap := gapRow(c.Dots[start-1].Year+1, c.Dots[start].Year-1, leftOutByYear, top, left, c.W-left-right, font)
			c.Rows = append(c.Rows, gap)
			top += gap.H
		}
		row := c.Dots[start:end]
		for i := range row {
			row[i].X, row[i].R = px(row[i].Accuracy), radius(row[i].MACs)
		}
		lines := placeFlags(row, size.gap())
		h := float64(lines)*size.lineH() + 2*size.maxR() + 10
		yr := YearRow{Year: row[0].Year, Label: fmt.Sprint(row[0].Year), Top: top, H: h, Baseline: top + h - size.maxR() - 4}
		for i := range row {
			d := &row[i]
			d.Y = yr.Baseline
			d.LabelX = d.X + 3
			if d.Left {
				d.LabelX = d.X - 3
			}
			d.LabelY = yr.Baseline - size.maxR() - 6 - float64(d.Line)*size.lineH()
			d.PoleTop = d.LabelY + 3
		}
		c.Rows = append(c.Rows, yr)
		top += h
		start = end
	}
	c.Plot = diagram.Rect{X: left, Y: first, W: plotW, H: top - first}
	step := 5.0 // a tick every 5 points, or fewer where their numbers would touch
	for _, st := range []float64{5, 10, 20, 50} {
		step = st
		if st/(hi-lo)*plotW >= diagram.TextWidth("100", font)+8 {
			break
		}
	}
	for v := math.Ceil(lo/step) * step; v <= hi+0.01; v += step {
		c.XTicks = append(c.XTicks, Tick{At: px(v), Label: fmt.Sprint(v)})
	}
	c.TickY, c.XLabelY = top+font+4, top+2*font+12
	half := diagram.TextWidth(c.XLabel, font) / 2
	c.XLabelX = math.Min(math.Max(c.Plot.X+c.Plot.W/2, half+2), c.W-half-2)
	c.H = c.XLabelY + font/2 + 4
	return c
}

// placeFlags gives each dot of a row its flag: a side and a line. The dots left of a
// split have flags to the left of their poles, the others to the right, so that the two
// sides fan out and share lines; the split is the one that needs the fewest lines with
// every flag inside the chart (x ≥ 0). It returns how many lines the row needs.
func placeFlags(row []AccuracyDot, gap float64) int {
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
		lines, ok := placeFlagsSplit(row, order, k, gap)
		if ok && (best < 0 || lines < bestLines) {
			best, bestLines = k, lines
		}
	}
	if best < 0 {
		best = 0 // all to the right: they end inside the chart by the axis's length
	}
	lines, _ := placeFlagsSplit(row, order, best, gap)
	return lines
}

// gapRow is the thin row of the years from first to last where no network is drawn,
// naming the networks of those years that are left out, so that the rows stay a
// timeline: "2013: ZFNet and Network in Network publish no ImageNet top-1 accuracy".
func gapRow(first, last int, leftOut map[int][]string, top, x, width, font float64) YearRow {
	r := YearRow{Year: first, Label: fmt.Sprint(first), Top: top, H: 2.2 * font, Baseline: top + 1.4*font, NoteX: x + 4}
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
	if diagram.TextWidth(r.Note, font) > width-4 {
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
func placeFlagsSplit(row []AccuracyDot, order []int, k int, gap float64) (int, bool) {
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
				if o := row[j]; o.X >= from-gap && o.X <= to+gap {
					line = max(line, o.Line+1) // above the pole of o
				}
			}
			for taken := true; taken; {
				taken = false
				for _, j := range placed {
					oFrom, oTo := flagSpan(row[j])
					if row[j].Line == line && from < oTo+gap && oFrom < to+gap {
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
	w := 3 + diagram.TextWidth(d.Label, d.Font)
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

// percent writes an accuracy as published, to a thousandth at most and with one decimal
// at least: 80.0%, 81.32% (100 − 18.68), 77.692%.
func percent(v float64) string {
	s := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s + "%"
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
		rows = append(rows, AccuracyRow{Year: fmt.Sprint(d.Year), Network: d.Name, Top1: percent(d.Accuracy),
			MACs: diagram.HumanCount(d.MACs), Setting: d.Result.Metric + " " + d.Result.Value + ", " + d.Result.Setting, Source: d.Result.Source, Link: "/a/" + d.ID})
	}
	return rows
}
