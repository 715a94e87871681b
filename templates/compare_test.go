package templates

import (
	"fmt"
	"math"
	"testing"

	"convatlas/archdefs"
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
