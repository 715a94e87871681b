package diagram

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

func catalogueVolumes(t *testing.T) (map[string]*engine.Report, map[string]*Volumes) {
	t.Helper()
	reports := catalogueReports(t)
	vols := map[string]*Volumes{}
	for id, r := range reports {
		v, err := NewVolumes(r)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		vols[id] = v
	}
	return reports, vols
}

// statedScale reads the height scale back from the caption's words, so that the test
// checks the drawing against what the reader is told, not against the code's Scale.
func statedScale(t *testing.T, id string, caption []string) func(n int64) float64 {
	t.Helper()
	text := strings.Join(caption, " ")
	number := func(s string) float64 {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %q in the caption is no number", id, s)
		}
		return f
	}
	if m := regexp.MustCompile(`a 1×1 map is ([0-9.]+) px tall and each doubling of the side adds ([0-9.]+) px`).FindStringSubmatch(text); m != nil {
		base, step := number(m[1]), number(m[2])
		return func(n int64) float64 { return base + step*math.Log2(float64(n)) }
	}
	if m := regexp.MustCompile(`linear: 1 pixel of the map is ([0-9.]+) px`).FindStringSubmatch(text); m != nil {
		unit := number(m[1])
		return func(n int64) float64 { return unit * float64(n) }
	}
	t.Fatalf("%s: the caption states no height scale: %s", id, text)
	return nil
}

func TestVolumesFollowTheStatedScale(t *testing.T) {
	reports, vols := catalogueVolumes(t)
	for id, v := range vols {
		checkVolumeScale(t, id, reports[id], v)
	}
}

// checkVolumeScale checks that every volume draws its layer's output at the scale the
// caption states.
func checkVolumeScale(t *testing.T, id string, r *engine.Report, v *Volumes) {
	{
		height := statedScale(t, id, v.Caption)
		for _, it := range v.Items {
			want := it.Out
			if it.Layer != "input" {
				l, ok := r.Layer(it.Layer)
				if !ok {
					t.Fatalf("%s: volume of unknown layer %q", id, it.Layer)
				}
				want = l.Out
			} else if want != r.Input {
				t.Errorf("%s: the input volume is %v, not %v", id, want, r.Input)
			}
			if it.Out != want || it.Shape != want.String() {
				t.Errorf("%s %s: drawn as %v (%s), the layer's output is %v", id, it.Layer, it.Out, it.Shape, want)
			}
			h, w := want.H, want.W
			if want.Flat {
				h, w = 1, 1
			}
			if got := it.Front.H; math.Abs(got-height(h)) > 1e-9 {
				t.Errorf("%s %s: a side of %d drawn %.3f px tall; the caption's scale says %.3f", id, it.Layer, h, got, height(h))
			}
			if got, wantW := it.Top[1].X-it.Top[0].X, recede*height(w)*math.Sqrt2/2; math.Abs(got-wantW) > 1e-9 {
				t.Errorf("%s %s: width %d recedes %.3f px, want %.3f", id, it.Layer, w, got, wantW)
			}
			if got := it.Front.W; math.Abs(got-v.Length.Px(want.C)) > 1e-9 {
				t.Errorf("%s %s: %d channels drawn %.3f px long, want %.3f", id, it.Layer, want.C, got, v.Length.Px(want.C))
			}
		}
	}
}

func TestVolumesLengthScaleIsStated(t *testing.T) {
	_, vols := catalogueVolumes(t)
	for id, v := range vols {
		text := strings.Join(v.Caption, " ")
		var want string
		if v.Length.Log {
			want = fmt.Sprintf("1 channel is %s px and each doubling adds %s px", pxString(v.Length.Base), pxString(v.Length.Step))
		} else {
			want = fmt.Sprintf("linear: %s px a channel", pxString(v.Length.Unit))
		}
		if !strings.Contains(text, want) {
			t.Errorf("%s: the caption does not say %q: %s", id, want, text)
		}
	}
}

func TestChooseScale(t *testing.T) {
	for _, tc := range []struct {
		lo, hi int64
		want   Scale
	}{
		{1, 32, Scale{Unit: 6}},                       // CIFAR: 32 → 1 to scale, a 1×1 map 6 px
		{8, 32, Scale{Unit: 6}},                       // and without the head
		{1, 224, Scale{Log: true, Base: 6, Step: 23}}, // (192 − 6) / log₂ 224 = 23.8
		{28, 572, Scale{Unit: 0.25}},                  // U-Net: 572 is 143 px, 28 is 7 px
		{1, 1, Scale{Unit: 6}},
	} {
		if got := chooseScale(tc.lo, tc.hi, volumeMinSide, volumeMaxSide, volumeMaxSideU); got != tc.want {
			t.Errorf("chooseScale(%d, %d) = %+v, want %+v", tc.lo, tc.hi, got, tc.want)
		}
	}
	// Both ends visible, and the largest within bounds, whatever the range.
	for _, hi := range []int64{1, 2, 7, 32, 224, 227, 299, 572, 4096, 1 << 20} {
		s := chooseScale(1, hi, volumeMinSide, volumeMaxSide, volumeMaxSideU)
		if s.Px(1) < volumeMinSide-1e-9 || s.Px(hi) > volumeMaxSide+1e-9 {
			t.Errorf("hi %d: 1 → %.2f px, %d → %.2f px", hi, s.Px(1), hi, s.Px(hi))
		}
	}
}

// segmentMeetsRect reports whether segment a–b enters r (shrunk by half a pixel).
func segmentMeetsRect(a, b Point, r Rect) bool {
	r = Rect{X: r.X + 0.5, Y: r.Y + 0.5, W: r.W - 1, H: r.H - 1}
	if r.W <= 0 || r.H <= 0 {
		return false
	}
	for k := 0; k <= 64; k++ {
		f := float64(k) / 64
		p := Point{a.X + f*(b.X-a.X), a.Y + f*(b.Y-a.Y)}
		if p.X > r.X && p.X < r.X+r.W && p.Y > r.Y && p.Y < r.Y+r.H {
			return true
		}
	}
	return false
}

func TestVolumesLabelsNeverCollide(t *testing.T) {
	_, vols := catalogueVolumes(t)
	for id, v := range vols {
		checkVolumeCollisions(t, id, v)
	}
}

// checkVolumeCollisions checks that no line of text overlaps another, a volume or a
// ray, that no volumes overlap, and that everything lies inside the drawing.
func checkVolumeCollisions(t *testing.T, id string, v *Volumes) {
	{
		type text struct {
			who string
			r   Rect
		}
		var texts []text
		for _, it := range v.Items {
			for k, r := range it.TextBoxes() {
				if r.W > 0 {
					texts = append(texts, text{fmt.Sprintf("%s line %d", it.Layer, k), r})
				}
			}
		}
		for i := range texts {
			a := texts[i].r
			if a.X < 0 || a.Y < 0 || a.X+a.W > v.W+1e-9 || a.Y+a.H > v.DrawH+1e-9 {
				t.Errorf("%s: %s at %+v leaves the %gx%g drawing", id, texts[i].who, a, v.W, v.DrawH)
			}
			for j := i + 1; j < len(texts); j++ {
				if a.OverlapArea(texts[j].r) > 0 {
					t.Errorf("%s: %s and %s overlap", id, texts[i].who, texts[j].who)
				}
			}
			for _, it := range v.Items {
				if b := it.Body(); b.OverlapArea(a) > 0 {
					t.Errorf("%s: %s lies on the volume of %s", id, texts[i].who, it.Layer)
				}
				for _, ray := range it.Rays {
					if segmentMeetsRect(ray[0], ray[1], a) {
						t.Errorf("%s: a ray from %s crosses %s", id, it.Layer, texts[i].who)
					}
				}
			}
		}
		for i, it := range v.Items {
			b := it.Body()
			if b.X < 0 || b.Y < 0 || b.X+b.W > v.W+1e-9 || b.Y+b.H > v.DrawH+1e-9 {
				t.Errorf("%s: the volume of %s leaves the drawing", id, it.Layer)
			}
			for _, o := range v.Items[i+1:] {
				if b.OverlapArea(o.Body()) > 0 {
					t.Errorf("%s: the volumes of %s and %s overlap", id, it.Layer, o.Layer)
				}
			}
		}
		for _, l := range v.Lines {
			if l.Y > v.H || TextWidth(l.S, volumeNoteSize) > v.W-16+1e-9 {
				t.Errorf("%s: caption line %q leaves the %gx%g drawing", id, l.S, v.W, v.H)
			}
		}
	}
}

func TestVolumesWindows(t *testing.T) {
	reports, vols := catalogueVolumes(t)
	for id, v := range vols {
		checkVolumeWindows(t, id, reports[id], v)
	}
}

// checkVolumeWindows checks each window: the next layer's kernel, in proportion to the
// map within its bounds, on the H×W face, its rays ending on the next volume.
func checkVolumeWindows(t *testing.T, id string, r *engine.Report, v *Volumes) {
	{
		for i, it := range v.Items {
			if it.Window == nil {
				if len(it.Rays) > 0 || it.WindowSize != "" {
					t.Errorf("%s %s: rays or a size without a window", id, it.Layer)
				}
				continue
			}
			if i+1 == len(v.Items) {
				t.Fatalf("%s: a window on the last volume", id)
			}
			next := v.Items[i+1]
			l, _ := r.Layer(next.Layer)
			if next.Count == 1 {
				op := l.Operation()
				if want := fmt.Sprintf("%d×%d", op.K[0], op.K[1]); !strings.HasPrefix(it.WindowSize, want) {
					t.Errorf("%s %s: window labelled %q, the next layer's kernel is %s", id, it.Layer, it.WindowSize, want)
				}
				// In proportion to the map, and at least MinWindow px.
				kh := math.Abs(it.Window[0].Y - it.Window[3].Y)
				want := math.Min(it.Front.H, math.Max(MinWindow, it.Front.H*float64((op.K[0]-1)*max(op.D[0], 1)+1)/float64(it.Out.H)))
				if math.Abs(kh-want) > 1e-9 {
					t.Errorf("%s %s: a %s window %.2f px tall on a %.2f px face, want %.2f", id, it.Layer, it.WindowSize, kh, it.Front.H, want)
				}
			}
			side := Rect{X: it.Side[0].X, Y: it.Side[1].Y, W: it.Side[1].X - it.Side[0].X, H: it.Side[3].Y - it.Side[1].Y}
			for _, p := range it.Window {
				if p.X < side.X-1e-9 || p.X > side.X+side.W+1e-9 || p.Y < side.Y-1e-9 || p.Y > side.Y+side.H+1e-9 {
					t.Errorf("%s %s: window corner %+v off the H×W face %+v", id, it.Layer, p, side)
				}
			}
			if len(it.Rays) != 2 {
				t.Errorf("%s %s: %d rays", id, it.Layer, len(it.Rays))
			}
			for _, ray := range it.Rays {
				if ray[1].X != next.Front.X || ray[1].Y < next.Front.Y || ray[1].Y > next.Front.Y+next.Front.H {
					t.Errorf("%s %s: a ray ends at %+v, not on the front edge of %s", id, it.Layer, ray[1], next.Layer)
				}
			}
		}
	}
}

func TestVolumesMainPath(t *testing.T) {
	reports, vols := catalogueVolumes(t)
	labels := func(id string) []string {
		var s []string
		for _, it := range vols[id].Items {
			s = append(s, it.Name+": "+it.Label)
		}
		return s
	}
	for id, v := range vols {
		r := reports[id]
		if v.Items[0].Layer != "input" {
			t.Errorf("%s: the first volume is %s, not the input", id, v.Items[0].Layer)
		}
		last := -1
		for _, it := range v.Items[1:] {
			l, _ := r.Layer(it.Layer)
			if l.Aux {
				t.Errorf("%s: %s of an auxiliary classifier drawn", id, it.Layer)
			}
			if l.Index <= last {
				t.Errorf("%s: %s out of order", id, it.Layer)
			}
			last = l.Index
		}
		// A flatten at the very end (SqueezeNet's) keeps the values: 1×1×1000 is 1000.
		if got := v.Items[len(v.Items)-1].Out; got.C != r.Output.C || got.Elements() != r.Output.Elements() {
			t.Errorf("%s: the path ends at %v, the network at %v", id, got, r.Output)
		}
		if v.MainPath != !Sequential(r) || strings.Contains(v.Caption[0], "main path") != v.MainPath {
			t.Errorf("%s: main path %v, caption %q", id, v.MainPath, v.Caption[0])
		}
		for _, it := range v.Items {
			if it.Count > 1 && !strings.HasSuffix(it.Label, fmt.Sprintf(" ×%d", it.Count)) {
				t.Errorf("%s %s: %d in a row but labelled %q", id, it.Layer, it.Count, it.Label)
			}
		}
	}
	var runs []string
	for _, s := range labels("resnet50") {
		if strings.Contains(s, "bottleneck") {
			runs = append(runs, s)
		}
	}
	if want := []string{"conv2_x: bottleneck ×3", "conv3_x: bottleneck ×4", "conv4_x: bottleneck ×6", "conv5_x: bottleneck ×3"}; !slices.Equal(runs, want) {
		t.Errorf("ResNet-50's stages: %q, want %q", runs, want)
	}
	var modules []string
	for _, s := range labels("googlenet") {
		if strings.HasPrefix(s, "inception (") {
			modules = append(modules, strings.TrimSuffix(s, ": inception"))
		}
	}
	if want := []string{"inception (3a)", "inception (3b)", "inception (4a)", "inception (4b)", "inception (4c)", "inception (4d)", "inception (4e)", "inception (5a)", "inception (5b)"}; !slices.Equal(modules, want) {
		t.Errorf("GoogLeNet's modules: %q, want %q", modules, want)
	}
	var dense []string
	for _, s := range labels("densenet121") {
		if strings.HasSuffix(s, "dense layers") {
			dense = append(dense, s)
		}
	}
	if want := []string{"dense block (1): 6 dense layers", "dense block (2): 12 dense layers", "dense block (3): 24 dense layers", "dense block (4): 16 dense layers"}; !slices.Equal(dense, want) {
		t.Errorf("DenseNet-121's dense blocks: %q, want %q", dense, want)
	}
	if n := len(vols["resnet1202"].Items); n > 8 {
		t.Errorf("ResNet-1202 draws %d volumes; its three stages of 200 blocks should be three", n)
	}
	if !slices.ContainsFunc(vols["unet"].Items, func(it Volume) bool { return it.Shape == "28×28×1024" }) {
		t.Errorf("U-Net's path misses the bottom of the U: %q", labels("unet"))
	}
	if vols["vgg16"].MainPath || vols["alexnet"].MainPath {
		t.Error("a plain sequence drawn as a main path")
	}
}

func TestVolumesCaptionsAreTrueOfTheNetwork(t *testing.T) {
	reports, vols := catalogueVolumes(t)
	for id, v := range vols {
		text := strings.Join(v.Caption, " ")
		grouped := slices.ContainsFunc(v.Items, func(it Volume) bool { return it.Groups > 1 })
		if strings.Contains(text, "groups") != grouped {
			t.Errorf("%s: the caption speaks of groups %v, groups drawn %v", id, strings.Contains(text, "groups"), grouped)
		}
		if strings.Contains(text, "GPU") || (strings.Contains(text, "AlexNet") && id != "alexnet") {
			t.Errorf("%s: the caption speaks of another network: %s", id, text)
		}
		aux := slices.ContainsFunc(reports[id].Blocks, func(b engine.Block) bool { return b.Kind == engine.KindAux })
		if strings.Contains(text, "auxiliary") != aux {
			t.Errorf("%s: the caption's auxiliary classifiers %v, the network's %v", id, strings.Contains(text, "auxiliary"), aux)
		}
		for word, op := range map[string]string{"channel shuffles": "shuffle", "dropout": "dropout", "squeeze-and-excitation": "se", "flatten": "flatten"} {
			if strings.Contains(text, word) && !slices.ContainsFunc(reports[id].Layers, func(l engine.Layer) bool { return l.Op == op }) {
				t.Errorf("%s: the caption speaks of %s, the network has none", id, word)
			}
		}
		runs := slices.ContainsFunc(v.Items, func(it Volume) bool { return it.Count > 1 })
		if strings.Contains(text, "marked ×N") != runs {
			t.Errorf("%s: the caption explains ×N %v, runs drawn %v", id, strings.Contains(text, "marked ×N"), runs)
		}
	}
	if text := strings.Join(vols["vgg16"].Caption, " "); strings.Contains(text, "group") {
		t.Errorf("VGG-16's caption speaks of groups: %s", text)
	}
}

func TestVolumesRefuseTooLongAPath(t *testing.T) {
	var b strings.Builder
	b.WriteString("id: long\nname: Long\ninput: {c: 3, h: 32, w: 32}\nlayers:\n")
	for i := 1; i <= MaxVolumes+1; i++ {
		fmt.Fprintf(&b, "  - conv: {out: %d, k: 1}\n", i) // each a different layer: no run to merge
	}
	a, err := archdefs.Parse("long.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewVolumes(r); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("more than the %d", MaxVolumes)) {
		t.Errorf("a path of %d volumes: %v", MaxVolumes+2, err)
	}
}

// FuzzVolumes draws the volumes of any definition that analyses: no panic, a drawing
// refused only for its length, and the drawing keeps its invariants.
func FuzzVolumes(f *testing.F) {
	for _, s := range []string{
		"id: x\ninput: {c: 3, h: 224, w: 224}\nlayers: [{conv: {out: 64, k: 7, s: 2, p: 3}}, {maxpool: {k: 3, s: 2}}, {conv: {out: 64, k: 1}}, {conv: {out: 64, k: 1}}, gap, flatten, {fc: 10}]",
		"id: x\ninput: {c: 1, h: 28, w: 28}\nlayers: [{conv: {out: 6, k: 5, p: 2}}, {avgpool: {k: 2, s: 2}}, {conv: {out: 16, k: 5}}, flatten, {fc: 120}, {fc: 84}, {fc: 10}]",
		"id: x\ninput: {c: 8, h: 16, w: 16}\nlayers: [{residual: {body: [{conv: {out: 16, k: 3, s: 2, p: 1}}], shortcut: auto}}, {dense: {n: 3, layer: [bn, {conv: {out: 4, k: 3, p: 1}}]}}]",
		"id: x\ninput: {c: 4, h: 8, w: 8}\nlayers: [{stage: s, layers: [{aux: a, layers: [gap, {fc: 3}]}, relu]}, {cell: {inputs: [x, p], nodes: [{name: a, from: p, layers: [relu]}, {name: b, add: [a, x]}], output: {concat: [b, a]}}}]",
		"id: x\ninput: {c: 2, h: 64, w: 48}\nlayers: [{conv: {out: 4, k: [7, 1], d: 2, groups: 2}}, {branch: {merge: concat, paths: [[{stage: s, layers: [{conv: {out: 4, k: 3, p: 1}}]}], [relu]]}}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		a, err := archdefs.Parse("fuzz.yaml", src)
		if err != nil {
			return
		}
		r, err := engine.Analyze(a.Model, engine.Options{Limits: engine.Limits{MaxLayers: 2000, MaxNesting: 24, MaxChannels: 1 << 12, MaxSpatial: 512, MaxFeatures: 1 << 16}})
		if err != nil {
			return
		}
		v, err := NewVolumes(r)
		if err != nil {
			if !strings.Contains(err.Error(), "more than the") {
				t.Fatal(err)
			}
			return
		}
		checkVolumeScale(t, "fuzz", r, v)
		checkVolumeCollisions(t, "fuzz", v)
		checkVolumeWindows(t, "fuzz", r, v)
	})
}

func BenchmarkVolumesResNet1202(b *testing.B) {
	r := catalogueReports(b)["resnet1202"]
	for b.Loop() {
		if _, err := NewVolumes(r); err != nil {
			b.Fatal(err)
		}
	}
}
