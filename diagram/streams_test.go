package diagram

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

// streamViews are the views every split network must lay out cleanly as streams.
var streamViews = []Options{
	{Dir: "tb", Streams: true},
	{Dir: "lr", Streams: true},
	{Dir: "tb", Streams: true, Scale: 1.5},
	{Dir: "lr", Streams: true, Scale: 1.5},
}

// boxAt is the box whose outline p lies on, or nil.
func boxAt(d *Diagram, p Point) *Box {
	for i := range d.Boxes {
		single := Diagram{Boxes: d.Boxes[i : i+1]}
		if single.entersShape(p) {
			return &d.Boxes[i]
		}
	}
	return nil
}

// segmentsCross reports whether the segments a–b and c–d cross.
func segmentsCross(a, b, c, d Point) bool {
	side := func(p, q, r Point) float64 { return (q.X-p.X)*(r.Y-p.Y) - (q.Y-p.Y)*(r.X-p.X) }
	return side(a, b, c)*side(a, b, d) < 0 && side(c, d, a)*side(c, d, b) < 0
}

// crossesRect reports whether the segment a–b runs through the rectangle r.
func crossesRect(a, b Point, r Box) bool {
	return segmentThrough(a, b, Rect{X: r.X, Y: r.Y, W: r.W, H: r.H}, 0)
}

// arrowBase is the width of an arrowhead's base: the marker is 7 stroke widths of 1.6 px.
const arrowBase = 7 * 1.6

// checkStreams adds to checkDiagram what a streams drawing promises: every layer before
// the join is drawn once on each device, inside that device's frame, every later one
// once and outside them; no edge runs through a frame's title; no two arrowheads meet.
func checkStreams(t *testing.T, name string, r *engine.Report, d *Diagram) {
	t.Helper()
	checkDiagram(t, name, r, d)
	n, join := r.Devices.N, r.Joined()
	drawn := map[string][]int{} // layer → the devices of its boxes
	for _, b := range d.Boxes {
		for _, l := range append([]string{b.Layer}, b.Folded...) {
			if l != "" {
				drawn[l] = append(drawn[l], b.Stream)
			}
		}
	}
	var frames []Frame
	for _, f := range d.Frames {
		if f.Kind == "device" {
			frames = append(frames, f)
		}
	}
	if len(frames) != n {
		t.Fatalf("%s: %d device frames for %d devices", name, len(frames), n)
	}
	for i, l := range r.Layers {
		want := []int{0}
		if i < join {
			want = nil
			for k := range n {
				want = append(want, k+1)
			}
		}
		got := slices.Sorted(slices.Values(drawn[l.Name]))
		if !slices.Equal(got, want) {
			t.Errorf("%s: layer %s is drawn on devices %v, want %v", name, l.Name, got, want)
		}
	}
	for _, b := range d.Boxes {
		for k, f := range frames {
			inside := b.X >= f.X && b.Y >= f.Y && b.X+b.W <= f.X+f.W && b.Y+b.H <= f.Y+f.H
			if inside != (b.Stream == k+1) {
				t.Errorf("%s: box %q of device %d, inside %s's frame: %v", name, b.Label, b.Stream, f.Title, inside)
			}
		}
	}
	for i, e := range d.Edges {
		for _, f := range frames {
			scale := max(f.Scale, 1)
			title := Box{X: f.X + 10*scale, Y: f.Y + 5*scale, W: TextWidth(f.Title, detailSize) * scale, H: 13 * scale}
			for k := 1; k < len(e.Points); k++ {
				if crossesRect(e.Points[k-1], e.Points[k], title) {
					t.Errorf("%s: edge %d runs through the title %q", name, i, f.Title)
				}
			}
		}
		if !e.Arrow {
			t.Errorf("%s: edge %d ends on no box: %v", name, i, e.Points)
		}
		for k := i + 1; k < len(d.Edges); k++ {
			p, q := e.Points[len(e.Points)-1], d.Edges[k].Points[len(d.Edges[k].Points)-1]
			if math.Hypot(p.X-q.X, p.Y-q.Y) < arrowBase*max(d.LabelSize/labelSize, 1) {
				t.Errorf("%s: the arrowheads of edges %d and %d meet at %v", name, i, k, p)
			}
		}
	}
}

func TestStreamsOverTheCatalogue(t *testing.T) {
	split := 0
	for id, r := range catalogueReports(t) {
		if !HasStreams(r) {
			if _, err := Layout(r, Options{Streams: true}); err == nil || !strings.Contains(err.Error(), r.Name) {
				t.Errorf("%s: streams of a network on one device: %v", id, err)
			}
			continue
		}
		split++
		for _, opt := range streamViews {
			d, err := Layout(r, opt)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			checkStreams(t, fmt.Sprintf("%s %s scale %g", id, opt.Dir, opt.Scale), r, d)
		}
	}
	if split == 0 {
		t.Fatal("no network of the catalogue is split across devices")
	}
}

// AlexNet's Figure 2: two streams of 48, 128, 192, 192 and 128 maps and 2048 neurons,
// crossing at CONV3, FC6 and FC7 and meeting in FC8.
func TestAlexNetStreams(t *testing.T) {
	r := catalogueReports(t)["alexnet"]
	for _, dir := range []string{"tb", "lr"} {
		d, err := Layout(r, Options{Dir: dir, Streams: true})
		if err != nil {
			t.Fatal(err)
		}
		labels := map[int][]string{}
		for _, b := range d.Boxes {
			labels[b.Stream] = append(labels[b.Stream], b.Label)
		}
		want := []string{"CONV1 · 11×11 conv, 48, /4", "NORM1 · LRN", "POOL1 · 3×3 max pool, /2", "CONV2 · 5×5 conv, 128",
			"NORM2 · LRN", "POOL2 · 3×3 max pool, /2", "CONV3 · 3×3 conv, 192", "CONV4 · 3×3 conv, 192", "CONV5 · 3×3 conv, 128",
			"POOL3 · 3×3 max pool, /2", "flatten", "FC6 · fc 2048", "FC7 · fc 2048"}
		for _, stream := range []int{1, 2} {
			if !slices.Equal(labels[stream], want) {
				t.Errorf("%s: stream %d draws %q", dir, stream, labels[stream])
			}
		}
		if once := []string{"input", "FC8 · fc 1000"}; !slices.Equal(labels[0], once) {
			t.Errorf("%s: drawn once: %q, want %q", dir, labels[0], once)
		}
		for _, b := range d.Boxes {
			if b.Layer == "conv1" && b.Detail != "55×55×48 · ReLU" || b.Layer == "fc6" && b.Detail != "2048 · ReLU · dropout 0.5" {
				t.Errorf("%s: %s's figures read %q", dir, b.Layer, b.Detail)
			}
		}
		// Every edge, by the boxes it joins.
		into := map[string][]string{} // target layer → "from stream → to stream"
		for _, e := range d.Edges {
			from, to := boxAt(d, e.Points[0]), boxAt(d, e.Points[len(e.Points)-1])
			if from == nil || to == nil {
				t.Fatalf("%s: edge %v joins no two boxes", dir, e.Points)
			}
			if from.Stream != to.Stream {
				into[to.Label] = append(into[to.Label], fmt.Sprintf("%d→%d", from.Stream, to.Stream))
			}
		}
		crossings := map[string][]string{
			"CONV1 · 11×11 conv, 48, /4": {"0→1", "0→2"},
			"CONV3 · 3×3 conv, 192":      {"2→1", "1→2"},
			"FC6 · fc 2048":              {"2→1", "1→2"},
			"FC7 · fc 2048":              {"2→1", "1→2"},
			"FC8 · fc 1000":              {"1→0", "2→0"},
		}
		if len(into) != len(crossings) {
			t.Errorf("%s: edges between streams end in %v", dir, into)
		}
		for label, want := range crossings {
			if got := into[label]; !slices.Equal(got, want) {
				t.Errorf("%s: into %q: %v, want %v", dir, label, got, want)
			}
		}
	}
}

// A cross-device connection runs from one stream into the other: in the gap between two
// ranks, the two of a pair cross each other, as in the paper's figure.
func TestCrossConnectionsCross(t *testing.T) {
	d, err := Layout(catalogueReports(t)["alexnet"], Options{Streams: true})
	if err != nil {
		t.Fatal(err)
	}
	var cross [][]Point
	for _, e := range d.Edges {
		from, to := boxAt(d, e.Points[0]), boxAt(d, e.Points[len(e.Points)-1])
		if from.Stream > 0 && to.Stream > 0 && from.Stream != to.Stream {
			cross = append(cross, e.Points)
		}
	}
	if len(cross) != 6 {
		t.Fatalf("%d cross-device edges, want 6", len(cross))
	}
	pairs := 0
	for i := range cross {
		for k := i + 1; k < len(cross); k++ {
			if segmentsCross(cross[i][0], cross[i][1], cross[k][0], cross[k][1]) {
				pairs++
			}
		}
	}
	if pairs != 3 {
		t.Errorf("%d crossings, want one at each of CONV3, FC6 and FC7", pairs)
	}
}

func TestStreamsErrors(t *testing.T) {
	reports := catalogueReports(t)
	if _, err := Layout(reports["alexnet"], Options{Streams: true, Stage: "conv1"}); err == nil || !strings.Contains(err.Error(), "takes no stage") {
		t.Errorf("a stage of the streams: %v", err)
	}
	if _, err := Layout(reports["resnet50"], Options{Streams: true}); err == nil || err.Error() != "ResNet-50 is not split across devices: its definition has no devices, so it has no streams to draw" {
		t.Errorf("streams of ResNet-50: %v", err)
	}
}

// The streams stop with the layout's context, like every other view.
func TestStreamsStopWithTheContext(t *testing.T) {
	src := "id: long\ninput: {c: 4, h: 8, w: 8}\ndevices: 2\nlayers:\n" + strings.Repeat("  - conv: {out: 8, k: 1}\n", 200)
	a, err := archdefs.Parse("long.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LayoutContext(ctx, r, Options{Streams: true}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled layout: %v", err)
	}
	d, err := Layout(r, Options{Streams: true, Dir: "lr"})
	if err != nil {
		t.Fatal(err)
	}
	checkStreams(t, "a long split network", r, d)
}

func BenchmarkStreamsLayout(b *testing.B) {
	r := catalogueReports(b)["alexnet"]
	for b.Loop() {
		if _, err := Layout(r, Options{Streams: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzStreams lays out any split definition that analyses, as streams in every view:
// no panic, and the streams keep their invariants.
func FuzzStreams(f *testing.F) {
	for _, s := range []string{
		"id: x\ninput: {c: 3, h: 32, w: 32}\ndevices: 2\nlayers: [{conv: {out: 8, k: 3}}, relu, {conv: {out: 8, k: 3, groups: 2}}, {maxpool: 2}, {fc: 10}]",
		"id: x\ninput: {c: 3, h: 16, w: 16}\ndevices: {n: 2, join: fc2, title: GPU}\nlayers: [{conv: {out: 4, k: 3}, title: C1}, lrn, {fc: 8}, dropout, {fc: 3, name: fc2}, softmax]",
		"id: x\ninput: {c: 2, h: 8, w: 8}\ndevices: 2\nlayers: [{stage: s, layers: [{conv: {out: 4, k: 1, groups: 2}}, softmax, bn]}, {repeat: 2, layers: [{conv: {out: 4, k: 1}}]}]",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, src []byte, mode uint8) {
		a, err := archdefs.Parse("fuzz.yaml", src)
		if err != nil {
			return
		}
		r, err := engine.Analyze(a.Model, engine.Options{Limits: engine.Limits{MaxLayers: 500, MaxNesting: 24, MaxChannels: 1 << 12, MaxSpatial: 512, MaxFeatures: 1 << 16}})
		if err != nil || !HasStreams(r) {
			return
		}
		opt := streamViews[int(mode)%len(streamViews)]
		d, err := Layout(r, opt)
		if err != nil {
			t.Fatal(err)
		}
		checkStreams(t, "fuzz", r, d)
	})
}
