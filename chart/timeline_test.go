package chart

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"convatlas/archdefs"
	"convatlas/diagram"
	"convatlas/engine"
)

// catalogueItems analyses the whole catalogue, as the atlas does for its timeline.
func catalogueItems(tb testing.TB) []Compared {
	tb.Helper()
	cat, err := archdefs.Default()
	if err != nil {
		tb.Fatal(err)
	}
	items := make([]Compared, 0, len(cat.Archs))
	for _, a := range cat.Archs {
		r, err := engine.Analyze(a.Model, engine.Options{})
		if err != nil {
			tb.Fatal(err)
		}
		items = append(items, Compared{Arch: a, Report: r})
	}
	return items
}

// Every network of the catalogue with an ImageNet top-1 accuracy is drawn once, in the
// row of its paper's year, at its accuracy on the axis; every other one is named as left
// out with a reason, and the networks since 2018 are among those drawn.
func TestAccuracyTimelineDrawsEveryNetworkOnce(t *testing.T) {
	items := catalogueItems(t)
	c := NewAccuracyTimeline(items, PageTimeline)
	x0, x1 := c.XTicks[0], c.XTicks[len(c.XTicks)-1]
	val := func(tk Tick) float64 {
		var f float64
		_, _ = fmt.Sscan(tk.Label, &f)
		return f
	}
	drawn := map[string]int{}
	for _, d := range c.Dots {
		drawn[d.ID]++
		acc := val(x0) + (d.X-x0.At)/(x1.At-x0.At)*(val(x1)-val(x0))
		if math.Abs(acc-d.Accuracy) > 1e-9 {
			t.Errorf("%s drawn at %.3f%%, its accuracy is %.3f%%", d.ID, acc, d.Accuracy)
		}
		rows := 0
		for _, r := range c.Rows {
			if r.Note == "" && r.Year == d.Year && r.Baseline == d.Y {
				rows++
			}
		}
		if rows != 1 {
			t.Errorf("%s (%d) sits in %d rows of its year", d.ID, d.Year, rows)
		}
		if d.Result.Source == "" {
			t.Errorf("%s: the drawn result has no source", d.ID)
		}
	}
	left := map[string]string{}
	for _, l := range c.LeftOut {
		left[l.Name] = l.Why
	}
	for _, it := range items {
		acc, _, ok := Top1Result(it.Arch)
		switch {
		case ok && drawn[it.Arch.ID] != 1:
			t.Errorf("%s (top-1 %.1f%%) drawn %d times", it.Arch.ID, acc, drawn[it.Arch.ID])
		case !ok && left[it.Arch.Name] == "":
			t.Errorf("%s is neither drawn nor named as left out", it.Arch.ID)
		}
	}
	for _, id := range []string{"mobilenet_v2", "shufflenet_v2_x1_0", "mnasnet1_0", "mobilenet_v3_large", "mobilenet_v3_small", "efficientnet_b0", "regnet_x_400mf", "regnet_y_400mf", "convnext_tiny"} {
		if drawn[id] != 1 {
			t.Errorf("%s is not on the timeline", id)
		}
	}
	for name, why := range map[string]string{
		"LeNet-5":            "results on MNIST only",
		"U-Net":              "results on ISBI cell tracking only",
		"Network in Network": "its ImageNet result is given in words only",
		"ZFNet":              "only top-5 error published",
	} {
		if left[name] != why {
			t.Errorf("%s left out because %q, want %q", name, left[name], why)
		}
	}
}

// The years run down without a hole: a year with no network drawn has a thin row
// naming what it leaves out (ZFNet and NIN in 2013), or saying the atlas has none.
func TestAccuracyTimelineRowsAreEveryYear(t *testing.T) {
	c := NewAccuracyTimeline(catalogueItems(t), PageTimeline)
	for i, r := range c.Rows {
		if i > 0 && r.Year != c.Rows[i-1].Year+1 {
			t.Errorf("row %s follows %s", r.Label, c.Rows[i-1].Label)
		}
		if i > 0 && r.Top != c.Rows[i-1].Top+c.Rows[i-1].H {
			t.Errorf("row %s does not start where %s ends", r.Label, c.Rows[i-1].Label)
		}
	}
	notes := map[string]string{}
	for _, r := range c.Rows {
		notes[r.Label] = r.Note
	}
	if n := notes["2013"]; !strings.Contains(n, "ZFNet") || !strings.Contains(n, "Network in Network") {
		t.Errorf("2013: %q", n)
	}
	if notes["2021"] != "no network of the atlas" {
		t.Errorf("2021: %q", notes["2021"])
	}
	if c.Rows[0].Label != "2012" || c.Rows[len(c.Rows)-1].Label != "2022" {
		t.Errorf("rows from %s to %s", c.Rows[0].Label, c.Rows[len(c.Rows)-1].Label)
	}
}

// checkTimelineText fails when two texts of the chart overlap, when a pole crosses a
// flag other than its own, or when anything leaves the chart.
func checkTimelineText(t *testing.T, name string, c *AccuracyTimeline) {
	t.Helper()
	type text struct {
		what string
		box  diagram.Rect
	}
	var texts []text
	at := func(what string, x, baseline float64, s string, anchor string) {
		font := c.Font
		if strings.HasPrefix(what, "year ") {
			font++ // years are a pixel larger
		}
		w := diagram.TextWidth(s, font)
		if anchor == "end" {
			x -= w
		}
		texts = append(texts, text{what, diagram.Rect{X: x, Y: baseline - font + 1, W: w, H: font + 3}})
	}
	at("legend", c.LegendLabel.X, c.LegendLabel.Y, c.LegendLabel.Text, "start")
	for _, l := range c.Legend {
		at("legend "+l.Label, l.LabelX, l.LabelY, l.Label, "start")
	}
	for _, r := range c.Rows {
		at("year "+r.Label, c.Plot.X-10, r.Baseline+c.Font/3, r.Label, "end")
		if r.Note != "" {
			at("note "+r.Label, r.NoteX, r.Baseline+c.Font/3, r.Note, "start")
		}
	}
	for _, tk := range c.XTicks {
		at("tick "+tk.Label, tk.At-diagram.TextWidth(tk.Label, c.Font)/2, c.TickY, tk.Label, "start")
	}
	at("axis", c.XLabelX-diagram.TextWidth(c.XLabel, c.Font)/2, c.XLabelY, c.XLabel, "start")
	flags := len(texts)
	for _, d := range c.Dots {
		b := d.LabelBox()
		if !d.Left && math.Abs(b.X-(d.X+3)) > 1e-9 || d.Left && math.Abs(b.X+b.W-(d.X-3)) > 1e-9 {
			t.Errorf("%s: the flag of %s is not at its pole", name, d.Name)
		}
		texts = append(texts, text{"flag " + d.Name, d.LabelBox()})
	}
	for i, a := range texts {
		if a.box.X < 0 || a.box.X+a.box.W > c.W || a.box.Y < 0 || a.box.Y+a.box.H > c.H {
			t.Errorf("%s: %s leaves the chart: %+v in %g×%g", name, a.what, a.box, c.W, c.H)
		}
		for _, b := range texts[:i] {
			if a.box.OverlapArea(b.box) > 0 {
				t.Errorf("%s: %s overlaps %s", name, a.what, b.what)
			}
		}
	}
	for _, d := range c.Dots {
		for k, f := range texts[flags:] {
			if c.Dots[k].ID == d.ID && c.Dots[k].Name == d.Name {
				continue
			}
			b := f.box
			if d.X > b.X && d.X < b.X+b.W && d.PoleTop < b.Y+b.H && d.Y-d.R > b.Y {
				t.Errorf("%s: the pole of %s crosses %s", name, d.Name, f.what)
			}
		}
		if d.PoleTop > d.Y-d.R {
			t.Errorf("%s: the pole of %s runs down", name, d.Name)
		}
	}
}

// No two texts of the catalogue's timeline overlap, no pole crosses a flag and
// everything stays inside the chart, on a page and in presentation mode.
func TestAccuracyTimelineTextNeverCollides(t *testing.T) {
	items := catalogueItems(t)
	checkTimelineText(t, "catalogue", NewAccuracyTimeline(items, PageTimeline))
	checkTimelineText(t, "catalogue, presentation", NewAccuracyTimeline(items, SlideTimeline))
}

// fakeItems are n networks with accuracies in [lo, lo+spread] over a few years, names
// of random lengths, some with the same accuracy: crowded rows for the flag placement.
func fakeItems(rng *rand.Rand, n int, lo, spread float64) []Compared {
	var items []Compared
	for i := range n {
		acc := math.Min(100, lo+math.Round(rng.Float64()*spread*10)/10)
		name := fmt.Sprintf("Net-%d %s", i, strings.Repeat("w", rng.IntN(14)))
		a := &archdefs.Arch{ID: fmt.Sprint("net", i), Name: name, Meta: archdefs.Meta{Year: 2015 + rng.IntN(4),
			Results: []archdefs.Result{{Metric: "top-1 accuracy", Value: fmt.Sprintf("%.1f%%", acc), Source: "test"}}}}
		r := &engine.Report{Totals: engine.Totals{MACs: rng.Int64N(2e10) + 1}}
		items = append(items, Compared{Arch: a, Report: r})
	}
	return items
}

// The flag placement holds in crowded rows too: many networks within a point or two,
// duplicates, long names near either end of the axis.
func TestAccuracyTimelineCrowdedRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 20))
	for trial := range 60 {
		n, spread := 2+rng.IntN(40), 0.5+rng.Float64()*30
		lo := 50 + rng.Float64()*40
		size := []TimelineSize{PageTimeline, SlideTimeline}[trial%2]
		c := NewAccuracyTimeline(fakeItems(rng, n, lo, spread), size)
		if len(c.Dots) != n {
			t.Fatalf("trial %d: %d of %d drawn", trial, len(c.Dots), n)
		}
		checkTimelineText(t, fmt.Sprintf("trial %d (%d networks, %.1f%% to %.1f%%)", trial, n, lo, lo+spread), c)
	}
}

// Flags fan out from a split of the row and share lines: the catalogue's most crowded
// year (2017, eleven networks) needs far fewer lines than networks.
func TestAccuracyTimelineFlagsShareLines(t *testing.T) {
	c := NewAccuracyTimeline(catalogueItems(t), PageTimeline)
	lines := map[int]int{}
	count := map[int]int{}
	for _, d := range c.Dots {
		lines[d.Year] = max(lines[d.Year], d.Line+1)
		count[d.Year]++
	}
	if count[2017] != 11 || lines[2017] > 7 {
		t.Errorf("2017: %d networks on %d lines", count[2017], lines[2017])
	}
	left := slices.ContainsFunc(c.Dots, func(d AccuracyDot) bool { return d.Left })
	if !left {
		t.Error("no flag runs to the left")
	}
}

// The table under the chart lists what it draws, in its order, each with its source.
func TestAccuracyRowsHaveSources(t *testing.T) {
	c := NewAccuracyTimeline(catalogueItems(t), PageTimeline)
	rows := AccuracyRows(c)
	if len(rows) != len(c.Dots) {
		t.Fatalf("%d rows for %d networks", len(rows), len(c.Dots))
	}
	for i, r := range rows {
		if r.Network != c.Dots[i].Name || r.Source == "" || r.Link != "/a/"+c.Dots[i].ID {
			t.Errorf("row %d: %+v", i, r)
		}
	}
}

// FuzzAccuracyTimeline lays out networks from arbitrary bytes, three a network (year,
// accuracy, name length), and checks the same invariants.
func FuzzAccuracyTimeline(f *testing.F) {
	f.Add([]byte{0, 200, 3, 0, 201, 9, 0, 201, 12, 5, 100, 0, 9, 255, 20})
	f.Add([]byte{1, 10, 1, 1, 11, 30, 1, 12, 2, 40, 150, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 3*64 {
			data = data[:3*64]
		}
		var items []Compared
		for i := 0; i+2 < len(data); i += 3 {
			acc := 40 + float64(data[i+1])/255*60
			name := fmt.Sprintf("N%d %s", i, strings.Repeat("m", int(data[i+2])%24))
			a := &archdefs.Arch{ID: fmt.Sprint("n", i), Name: name, Meta: archdefs.Meta{Year: 2000 + int(data[i])%30,
				Results: []archdefs.Result{{Metric: "top-1 accuracy", Value: fmt.Sprintf("%.2f%%", acc), Source: "fuzz"}}}}
			items = append(items, Compared{Arch: a, Report: &engine.Report{Totals: engine.Totals{MACs: int64(data[i+2])*1e8 + 1}}})
		}
		for _, size := range []TimelineSize{PageTimeline, SlideTimeline} {
			checkTimelineText(t, "fuzz", NewAccuracyTimeline(items, size))
		}
	})
}

// The table writes accuracies as published: 80.0%, 81.32% (100 − 18.68), 77.692%.
func TestPercent(t *testing.T) {
	for v, want := range map[float64]string{80: "80.0%", 100 - 18.68: "81.32%", 77.692: "77.692%", 74.0: "74.0%"} {
		if got := percent(v); got != want {
			t.Errorf("percent(%v) = %s, want %s", v, got, want)
		}
	}
}

// The chart's lead says that the small circles of 2019 reach the accuracy of ResNet-50
// and of every VGG with a tenth of their multiply-adds or less: EfficientNet-B0 against
// ResNet-50, MobileNetV3-Large against the VGGs. The figures must keep saying so.
func TestAccuracyTimelineLeadHolds(t *testing.T) {
	c := NewAccuracyTimeline(catalogueItems(t), PageTimeline)
	dots := map[string]AccuracyDot{}
	for _, d := range c.Dots {
		dots[d.ID] = d
	}
	for small, large := range map[string][]string{
		"efficientnet_b0":    {"resnet50"},
		"mobilenet_v3_large": {"vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"},
	} {
		s := dots[small]
		if s.Year != 2019 {
			t.Errorf("%s is of %d", small, s.Year)
		}
		for _, id := range large {
			l := dots[id]
			if s.Accuracy < l.Accuracy || s.MACs*10 > l.MACs {
				t.Errorf("%s (%.1f%%, %d MACs) does not match %s (%.1f%%, %d MACs) with a tenth of its multiply-adds", small, s.Accuracy, s.MACs, id, l.Accuracy, l.MACs)
			}
		}
	}
}

// BenchmarkAccuracyTimeline lays out the catalogue's accuracy timeline, which the
// server does twice at start (page and presentation mode).
func BenchmarkAccuracyTimeline(b *testing.B) {
	items := catalogueItems(b)
	b.ResetTimer()
	for b.Loop() {
		NewAccuracyTimeline(items, PageTimeline)
	}
}
