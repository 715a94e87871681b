package templates

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"convatlas/archdefs"
	"convatlas/engine"
)

// Compared is one network on the compare page.
type Compared struct {
	Arch     *archdefs.Arch
	Report   *engine.Report
	Accuracy float64 // ImageNet top-1 accuracy in percent; 0 when unknown
	AccNote  string  // where the accuracy comes from
	Diagram  *Diagram
}

// ComparePage is the comparison of several networks.
type ComparePage struct {
	All      []*archdefs.Arch // every architecture, for the chooser
	Selected map[string]bool
	IDs      string // the selection as the ids parameter
	Items    []Compared
	Charts   []*Chart
}

// Chart is any of the compare page's charts: the SVG geometry and the data table under it.
type Chart struct {
	ID, Title, Alt string
	Line           *LineChart
	Bubble         *BubbleChart
	Bars           *BarChart
	Header         []string
	Rows           [][]string
}

// BubbleChart places each network at (MACs, accuracy), its area proportional to its
// parameters.
type BubbleChart struct {
	W, H           float64
	Plot           Rect
	XTicks, YTicks []Tick
	XLabel, YLabel string
	Bubbles        []Bubble
}

// Bubble is one network on a bubble chart.
type Bubble struct {
	X, Y, R     float64
	Name, Title string
	LabelX      float64
	Class       string
}

// Top1 reads an architecture's ImageNet top-1 accuracy from its results: a top-1
// accuracy, or 100 minus a top-1 error; results on other data sets are ignored.
func Top1(a *archdefs.Arch) (float64, string) {
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
			return v, r.Source
		}
	}
	return 0, ""
}

// AccuracyChart is the "accuracy against operations" chart.
func AccuracyChart(items []Compared) *BubbleChart {
	c := &BubbleChart{W: 720, H: 420, XLabel: "multiply-adds (G)", YLabel: "ImageNet top-1 accuracy (%)"}
	c.Plot = Rect{X: 64, Y: 20, W: c.W - 64 - 24, H: c.H - 20 - 52}
	maxX, minY, maxY, maxP := 1.0, 100.0, 0.0, 1.0
	for _, it := range items {
		if it.Accuracy == 0 {
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
		c.XTicks = append(c.XTicks, Tick{At: px(x), Label: trimZeros(fmt.Sprintf("%.1f", x))})
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
		c.Bubbles = append(c.Bubbles, Bubble{X: x, Y: y, R: r, Name: it.Arch.Name, LabelX: x,
			Title: fmt.Sprintf("%s: %.1f%% top-1, %s MACs, %s parameters", it.Arch.Name, it.Accuracy, HumanCount(it.Report.Totals.MACs), HumanCount(it.Report.Totals.Params)),
			Class: fmt.Sprintf("series-%d", i%4)})
	}
	return c
}

// ValueBars charts one figure of every network as horizontal bars.
func ValueBars(title string, items []Compared, value func(*engine.Report) int64, format func(int64) string) *BarChart {
	c := &BarChart{Title: title, W: 720, H: 40 + 34*float64(len(items))}
	c.Plot = Rect{X: 190, Y: 10, W: c.W - 190 - 110, H: 34 * float64(len(items))}
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

// SeriesChart charts a per-layer figure of every network against the layer's position.
func SeriesChart(title, ylabel string, items []Compared, value func(*engine.Layer) float64) *LineChart {
	var xs, ys [][]float64
	var names []string
	for _, it := range items {
		var x, y []float64
		for i := range it.Report.Layers {
			l := &it.Report.Layers[i]
			if l.Aux {
				continue
			}
			x = append(x, float64(len(x)+1))
			y = append(y, value(l))
		}
		xs, ys, names = append(xs, x), append(ys, y), append(names, it.Arch.Name)
	}
	return NewLineChart(title, "layer (in order)", ylabel, xs, ys, names, -1)
}

func accuracyText(a float64) string {
	if a == 0 {
		return "—"
	}
	return trimZeros(fmt.Sprintf("%.2f", a)) + "%"
}
