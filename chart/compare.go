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
	"convatlas/engine"
)

// Compared is one network on the compare page.
type Compared struct {
	Arch     *archdefs.Arch
	Report   *engine.Report
	Accuracy float64 // ImageNet top-1 accuracy in percent; 0 when unknown
	AccNote  string  // where the accuracy comes from
	Diagram  *diagram.Diagram
}

// BubbleChart places each network at (MACs, accuracy), its area proportional to its
// parameters.
type BubbleChart struct {
	W, H           float64
	Plot           diagram.Rect
	XTicks, YTicks []Tick
	XLabel, YLabel string
	Bubbles        []Bubble
	Missing        []string  // networks left out: no ImageNet top-1 accuracy published
	LeftOut        []LeftOut // the same networks, with the reason each is left out
}

// Bubble is one network on a bubble chart, its name inside it when it fits, else beside it.
type Bubble struct {
	X, Y, R        float64
	Name, Title    string
	LabelX, LabelY float64 // where the name starts, on its baseline
	Class          string
}

// AccuracyChart is the "accuracy against operations" chart.
func AccuracyChart(items []Compared) *BubbleChart {
	c := &BubbleChart{W: 720, H: 420, XLabel: "multiply-adds (G)", YLabel: "ImageNet top-1 accuracy (%)"}
	c.Plot = diagram.Rect{X: 64, Y: 20, W: c.W - 64 - 24, H: c.H - 20 - 52}
	maxX, minY, maxY, maxP := 1.0, 100.0, 0.0, 1.0
	for _, it := range items {
		if it.Accuracy == 0 {
			c.Missing = append(c.Missing, it.Arch.Name)
			c.LeftOut = append(c.LeftOut, LeftOut{Name: it.Arch.Name, Why: accuracyMissing(it.Arch)})
			continue
		}
		maxX = math.Max(maxX, float64(it.Report.Totals.MACs)/1e9)
		minY, maxY = math.Min(minY, it.Accuracy), math.Max(maxY, it.Accuracy)
		maxP = math.Max(maxP, float64(it.Report.Totals.Params))
	}
	sx := niceStep(maxX, 5)
	maxX = math.Ceil(maxX/sx) * sx
	lo, hi := math.Floor((minY-2)/5)*5, math.Ceil((maxY+2)/5)*5
	if hi <= lo {
		lo, hi = 50, 85
	}
	px := func(x float64) float64 { return c.Plot.X + x/maxX*c.Plot.W }
	py := func(y float64) float64 { return c.Plot.Y + c.Plot.H - (y-lo)/(hi-lo)*c.Plot.H }
	for x := 0.0; x <= maxX+sx/2; x += sx {
		c.XTicks = append(c.XTicks, Tick{At: px(x), Label: diagram.TrimZeros(fmt.Sprintf("%.1f", x))})
	}
	for y := lo; y <= hi+0.01; y += 5 {
		c.YTicks = append(c.YTicks, Tick{At: py(y), Label: fmt.Sprint(y)})
	}
	for i, it := range items {
		if it.Accuracy == 0 {
			continue
		}
		x, y := px(float64(it.Report.Totals.MACs)/1e9), py(it.Accuracy)
		r := 4 + 36*math.Sqrt(float64(it.Report.Totals.Params)/maxP)
		c.Bubbles = append(c.Bubbles, Bubble{X: x, Y: y, R: r, Name: it.Arch.Name,
			Title: fmt.Sprintf("%s: %.1f%% top-1, %s MACs, %s parameters", it.Arch.Name, it.Accuracy, diagram.HumanCount(it.Report.Totals.MACs), diagram.HumanCount(it.Report.Totals.Params)),
			Class: fmt.Sprintf("series-%d", i%4)})
	}
	placeBubbleLabels(c)
	return c
}

// bubbleLabelSize is the font size of a bubble's name.
const bubbleLabelSize = 12.0

// placeBubbleLabels puts each bubble's name where it covers no other bubble and no
// name placed before it, inside the chart: inside its bubble when it fits, else beside
// it, a little above or below, or over or under it. Larger bubbles are placed first;
// when no place is free, the name goes where it covers the least.
func placeBubbleLabels(c *BubbleChart) {
	order := make([]int, len(c.Bubbles))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(c.Bubbles[b].R, c.Bubbles[a].R) })
	var placed []diagram.Rect
	for _, i := range order {
		b := &c.Bubbles[i]
		obstacles := slices.Clone(placed)
		for k, o := range c.Bubbles {
			if k != i {
				obstacles = append(obstacles, diagram.Rect{X: o.X - o.R*0.8, Y: o.Y - o.R*0.8, W: o.R * 1.6, H: o.R * 1.6})
			}
		}
		w, h := diagram.TextWidth(b.Name, bubbleLabelSize), bubbleLabelSize+2
		// Each candidate is the label's box; the text's baseline is 3 px above its bottom.
		var spots []diagram.Rect
		if w <= 2*b.R-6 {
			spots = append(spots, diagram.Rect{X: b.X - w/2, Y: b.Y - h/2, W: w, H: h})
		}
		for _, dy := range []float64{0, -h, h} {
			spots = append(spots,
				diagram.Rect{X: b.X + b.R + 4, Y: b.Y - h/2 + dy, W: w, H: h},
				diagram.Rect{X: b.X - b.R - 4 - w, Y: b.Y - h/2 + dy, W: w, H: h})
		}
		spots = append(spots,
			diagram.Rect{X: b.X - w/2, Y: b.Y - b.R - 2 - h, W: w, H: h},
			diagram.Rect{X: b.X - w/2, Y: b.Y + b.R + 2, W: w, H: h})
		own := diagram.Rect{X: b.X - b.R, Y: b.Y - b.R, W: 2 * b.R, H: 2 * b.R}
		best, least := diagram.Rect{}, math.Inf(1)
		for k, r := range spots {
			r.X = math.Min(math.Max(r.X, c.Plot.X+2), c.W-2-r.W) // kept off the axis, inside the chart
			r.Y = math.Min(math.Max(r.Y, 2), c.Plot.Y+c.Plot.H-r.H)
			covered := 0.0
			for _, o := range obstacles {
				covered += r.OverlapArea(o)
			}
			if k > 0 || w > 2*b.R-6 {
				covered += r.OverlapArea(own) // only a name that fits may sit on its bubble
			}
			if covered < least {
				best, least = r, covered
			}
			if covered == 0 {
				break
			}
		}
		b.LabelX, b.LabelY = best.X, best.Y+best.H-3
		placed = append(placed, best)
	}
}

// barLabelSize is the font size of a bar's name and value.
const barLabelSize = 13.0

// ValueBars charts one figure of every network as horizontal bars.
func ValueBars(title string, items []Compared, value func(*engine.Report) int64, format func(int64) string) *BarChart {
	labels := 120.0 // the column of names, as wide as the longest
	for _, it := range items {
		labels = max(labels, diagram.TextWidth(it.Arch.Name, barLabelSize)+16)
	}
	c := &BarChart{Title: title, W: max(720, labels+420), H: 20 + 34*float64(len(items))}
	c.Plot = diagram.Rect{X: labels, Y: 10, W: c.W - labels - 110, H: 34 * float64(len(items))}
	var maxV int64 = 1
	for _, it := range items {
		maxV = max(maxV, value(it.Report))
	}
	for i, it := range items {
		v := value(it.Report)
		w := c.Plot.W * float64(v) / float64(maxV)
		c.Bars = append(c.Bars, Bar{X: c.Plot.X, Y: c.Plot.Y + float64(i)*34 + 6, W: w, H: 22, Label: it.Arch.Name, Value: format(v)})
	}
	return c
}

// SeriesChart charts a per-layer figure of every network against the depth of the
// layer, in weight layers from the input, so that networks of different lengths in ops
// line up by what they compute. The layers at one depth (a convolution and the
// element-wise layers after it, or the parallel paths of a module) are reduced to one
// point by reduce: the sum for parameters, the largest for fields.
func SeriesChart(title, ylabel string, items []Compared, value func(*engine.Layer) float64, reduce func(a, b float64) float64) *LineChart {
	var xs, ys [][]float64
	var names []string
	for _, it := range items {
		byDepth := map[int]float64{}
		deepest := 0
		for i := range it.Report.Layers {
			l := &it.Report.Layers[i]
			if l.Aux {
				continue
			}
			if v, ok := byDepth[l.Depth]; ok {
				byDepth[l.Depth] = reduce(v, value(l))
			} else {
				byDepth[l.Depth] = value(l)
			}
			deepest = max(deepest, l.Depth)
		}
		var x, y []float64
		for d := 0; d <= deepest; d++ {
			if v, ok := byDepth[d]; ok {
				x, y = append(x, float64(d)), append(y, v)
			}
		}
		xs, ys, names = append(xs, x), append(ys, y), append(names, it.Arch.Name)
	}
	return NewLineChart(title, "depth (weight layers from the input)", ylabel, xs, ys, names, -1)
}

// Sum and Largest reduce the figures of the layers at one depth.
func Sum(a, b float64) float64 { return a + b }

// Largest is the larger of two figures.
func Largest(a, b float64) float64 { return max(a, b) }

// LeftOut is a network a chart does not draw, with the reason.
type LeftOut struct {
	Name, Why string
}

// accuracyMissing says why a network has no ImageNet top-1 accuracy to chart: its
// results are top-5 errors only (GoogLeNet's paper), or on another data set (LeNet-5 on
// MNIST, FractalNet on CIFAR, U-Net on ISBI cell tracking), or in words only (NIN's
// "slightly better than AlexNet"), or there are none.
func accuracyMissing(a *archdefs.Arch) string {
	sets := map[string]bool{}
	var order []string
	top5, figures := false, false
	for _, r := range a.Meta.Results {
		m := strings.ToLower(r.Metric + " " + r.Setting)
		set := "ImageNet"
		for _, s := range []string{"MNIST", "CIFAR-100", "CIFAR-10", "SVHN", "ISBI cell tracking"} {
			if strings.Contains(m, strings.ToLower(s)) {
				set = s
				break
			}
		}
		if set == "ImageNet" && strings.Contains(m, "top-5") {
			top5 = true
		}
		if set == "ImageNet" && strings.ContainsAny(r.Value, "0123456789") {
			figures = true
		}
		if !sets[set] {
			sets[set] = true
			order = append(order, set)
		}
	}
	switch {
	case top5:
		return "only top-5 error published"
	case len(order) > 0 && !sets["ImageNet"]:
		return "results on " + strings.Join(order, " and ") + " only"
	case sets["ImageNet"] && !figures:
		return "its ImageNet result is given in words only"
	}
	return "no accuracy given"
}

// LeftOutText writes the networks a chart leaves out on one line:
// "GoogLeNet (only top-5 error published); LeNet-5 (results on MNIST only)".
func LeftOutText(left []LeftOut) string {
	parts := make([]string, len(left))
	for i, l := range left {
		parts[i] = l.Name + " (" + l.Why + ")"
	}
	return strings.Join(parts, "; ")
}

// Chart is any of the compare page's charts: the SVG geometry and the data table under it.
type Chart struct {
	ID, Title, Alt string
	Line           *LineChart
	Bubble         *BubbleChart
	Bars           *BarChart
	Stacked        *StageBars
	Header         []string
	Rows           [][]string
}

// Top1 reads an architecture's ImageNet top-1 accuracy from its results: a top-1
// accuracy, or 100 minus a top-1 error; results on other data sets are ignored.
func Top1(a *archdefs.Arch) (float64, string) {
	v, r, _ := Top1Result(a)
	return v, r.Source
}

// Top1Result is Top1 with the result it was read from, and false when there is none.
func Top1Result(a *archdefs.Arch) (float64, archdefs.Result, bool) {
	for _, pass := range []string{"top-1 accuracy", "top-1 error"} {
		for _, r := range a.Meta.Results {
			m := strings.ToLower(r.Metric)
			if !strings.Contains(m, pass) || strings.Contains(m, "cifar") || strings.Contains(strings.ToLower(r.Setting), "cifar") {
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSuffix(strings.Fields(r.Value)[0], "%"), 64)
			if err != nil {
				continue
			}
			if pass == "top-1 error" {
				v = 100 - v
			}
			return v, r, true
		}
	}
	return 0, archdefs.Result{}, false
}
