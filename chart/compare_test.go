package chart

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"convatlas/archdefs"
	"convatlas/diagram"
	"convatlas/engine"
)

// The accuracy chart places each network at its own MACs and accuracy.
func TestAccuracyChartPlacesEachModel(t *testing.T) {
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	var items []Compared
	for _, id := range []string{"vgg16", "resnet50", "mobilenet_v2", "alexnet"} {
		a, _ := cat.Get(id)
		r, _ := engine.Analyze(a.Model, engine.Options{})
		acc, _ := Top1(a)
		items = append(items, Compared{Arch: a, Report: r, Accuracy: acc})
	}
	c := AccuracyChart(items)
	// Read the scales back from the ticks.
	x0, x1 := c.XTicks[0], c.XTicks[len(c.XTicks)-1]
	y0, y1 := c.YTicks[0], c.YTicks[len(c.YTicks)-1]
	val := func(t Tick) float64 {
		var f float64
		_, _ = fmt.Sscan(t.Label, &f)
		return f
	}
	for i, b := range c.Bubbles {
		gmacs := val(x0) + (b.X-x0.At)/(x1.At-x0.At)*(val(x1)-val(x0))
		acc := val(y0) + (b.Y-y0.At)/(y1.At-y0.At)*(val(y1)-val(y0))
		if want := float64(items[i].Report.Totals.MACs) / 1e9; math.Abs(gmacs-want) > 1e-6 {
			t.Errorf("%s at %.4f GMACs, want %.4f", b.Name, gmacs, want)
		}
		if math.Abs(acc-items[i].Accuracy) > 1e-6 {
			t.Errorf("%s at %.3f%%, want %.3f%%", b.Name, acc, items[i].Accuracy)
		}
	}
	if len(c.Bubbles) != 4 || c.Bubbles[0].R <= c.Bubbles[2].R {
		t.Errorf("bubbles %+v", c.Bubbles)
	}
}

// comparedItems analyses catalogue networks for the compare charts.
func comparedItems(t *testing.T, ids ...string) []Compared {
	t.Helper()
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	var items []Compared
	for _, id := range ids {
		a, ok := cat.Get(id)
		if !ok {
			t.Fatalf("no %s in the catalogue", id)
		}
		r, err := engine.Analyze(a.Model, engine.Options{})
		if err != nil {
			t.Fatal(err)
		}
		acc, _ := Top1(a)
		items = append(items, Compared{Arch: a, Report: r, Accuracy: acc})
	}
	return items
}

// Bubble names never cover one another and stay inside the chart, right of its axis,
// even in the crowded corner of small, accurate networks.
func TestBubbleLabelsDoNotOverlap(t *testing.T) {
	for _, ids := range [][]string{
		{"vgg16", "googlenet", "resnet50", "densenet121", "mobilenet_v2", "nasnet_a_mobile", "lenet5", "alexnet"},
		{"resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "vgg11", "vgg13", "vgg19", "densenet161", "densenet169", "densenet201", "mobilenet_v1"},
	} {
		c := AccuracyChart(comparedItems(t, ids...))
		var boxes []diagram.Rect
		for _, b := range c.Bubbles {
			r := diagram.Rect{X: b.LabelX, Y: b.LabelY - bubbleLabelSize + 1, W: diagram.TextWidth(b.Name, bubbleLabelSize), H: bubbleLabelSize + 2}
			if r.X < c.Plot.X || r.X+r.W > c.W || r.Y < 0 || r.Y+r.H > c.Plot.Y+c.Plot.H {
				t.Errorf("%s: the name %s leaves the chart: %+v", ids[0], b.Name, r)
			}
			for k, o := range boxes {
				if r.OverlapArea(o) > 0 {
					t.Errorf("%s: the names %s and %s overlap", ids[0], b.Name, c.Bubbles[k].Name)
				}
			}
			boxes = append(boxes, r)
		}
		for _, name := range c.Missing {
			if name != "GoogLeNet (Inception v1)" && name != "LeNet-5" {
				t.Errorf("%s is left out of the accuracy chart", name)
			}
		}
	}
}

// The column of bar names is as wide as the longest name.
func TestBarNamesFit(t *testing.T) {
	items := comparedItems(t, "nasnet_a_mobile", "resnext50_32x4d", "lenet5")
	c := ValueBars("Parameters", items, func(r *engine.Report) int64 { return r.Totals.Params }, diagram.HumanCount)
	for _, b := range c.Bars {
		if left := c.Plot.X - 8 - diagram.TextWidth(b.Label, barLabelSize); left < 0 {
			t.Errorf("%s starts at x = %.1f, outside the chart", b.Label, left)
		}
	}
}

// Twelve networks stay apart on a line chart: past the sixth colour, lines are dashed.
func TestSeriesPastTheColoursAreDashed(t *testing.T) {
	var xs, ys [][]float64
	var names []string
	for k := range 12 {
		xs, ys, names = append(xs, []float64{1, 2}), append(ys, []float64{1, float64(k)}), append(names, fmt.Sprint("net", k))
	}
	c := NewLineChart("t", "x", "y", xs, ys, names, -1)
	seen := map[string]bool{}
	for _, s := range c.Series {
		style := ChartInks["light"].SeriesColour(s) + "/" + s.Dash
		if seen[style] {
			t.Errorf("%s is drawn like an earlier series (%s)", s.Name, style)
		}
		seen[style] = true
	}
}

// The accuracy chart names what it leaves out, and why: GoogLeNet's paper gives top-5
// errors only (Szegedy et al. 2014, Tables 2 and 3), LeNet-5 was measured on MNIST,
// FractalNet on CIFAR.
func TestAccuracyChartSaysWhatItLeavesOut(t *testing.T) {
	c := AccuracyChart(comparedItems(t, "googlenet", "lenet5", "fractalnet", "resnet50"))
	want := []LeftOut{
		{"GoogLeNet (Inception v1)", "only top-5 error published"},
		{"LeNet-5", "results on MNIST only"},
		{"FractalNet (CIFAR, 20 layers)", "results on CIFAR-10 and CIFAR-100 only"},
	}
	if !slices.Equal(c.LeftOut, want) {
		t.Errorf("left out %v, want %v", c.LeftOut, want)
	}
	if len(c.Bubbles) != 1 || c.Bubbles[0].Name != "ResNet-50" {
		t.Errorf("bubbles %v", c.Bubbles)
	}
}
