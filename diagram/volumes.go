package diagram

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"convatlas/engine"
)

// The volumes view draws a network's tensors as the AlexNet figure does: each a box in
// perspective, its height the map's side, its length the channels, its width receding
// at 45° (a cabinet projection: half scale), with the next layer's window on its H×W
// face. Both scales are chosen per network and stated in the caption, and the drawn
// sizes follow them exactly. A branching network is drawn along its main path: the
// output of each layer or block of the trunk, runs of blocks of one kind and shape
// drawn once with ×N.

// MaxVolumes bounds the volumes of one drawing: past it a row of boxes is no longer
// readable. The catalogue's longest main path, runs merged, has 32 (U-Net's, whose
// valid convolutions make every tensor a new shape).
const MaxVolumes = 64

// Sizes of the volumes' text, in px at natural size (never under 11).
const (
	volumeNameSize   = 13
	volumeLabelSize  = 12
	volumeShapeSize  = 12
	volumeKernelSize = 12
	volumeNoteSize   = 12
)

// Bounds of the scales: the tallest map, the longest channel run, and the least a 1×1
// map or a single channel is drawn, so that both ends of a network stay visible.
const (
	volumeMaxSide    = 192 // px for the largest map side
	volumeMinSide    = 6   // px for the smallest
	volumeMaxSideU   = 6   // px per pixel of the map, at most (a 32×32 CIFAR input is 192 px)
	volumeMaxLength  = 112 // px for the most channels
	volumeMinLength  = 4
	volumeMaxLengthU = 3
	// MinWindow is the least a kernel window is drawn, in px, so that a 1×1 window on a
	// 56×56 map still shows; the caption says so.
	MinWindow = 4
	// recede is the cabinet projection's factor: the width is drawn at half scale, at 45°.
	recede = 0.5
)

// VolumeInk is the colours of the volumes view in one theme: the page's stylesheet
// gives the same ones to the page (site.css), the standalone SVG and the PNG read them.
type VolumeInk struct {
	Background, Front, Edge, Top, Side, Kernel, Text, Muted string
}

// VolumeInks are the volumes' colours by theme.
var VolumeInks = map[string]VolumeInk{
	"light": {"#ffffff", "#dbeafe", "#1d4ed8", "#f8fafc", "#d1d5db", "#f59e0b", "#1b1f24", "#4b5563"},
	"dark":  {"#111827", "#1e3a8a", "#93c5fd", "#1f2937", "#374151", "#f59e0b", "#f3f4f6", "#cbd5e1"},
}

// VolumeTextSizes are the volumes' sizes of text by class, in px at natural size.
var VolumeTextSizes = map[string]float64{
	"volume-name": volumeNameSize, "volume-label": volumeLabelSize, "volume-shape": volumeShapeSize,
	"volume-window": volumeKernelSize, "volume-caption": volumeNoteSize,
}

// Scale maps a count (a map's side, a number of channels) to px: linear, Unit px per
// unit, or logarithmic, Base px for 1 and Step px more for each doubling.
type Scale struct {
	Log        bool
	Unit       float64
	Base, Step float64
}

// Px is the drawn size of n.
func (s Scale) Px(n int64) float64 {
	if n < 1 {
		n = 1
	}
	if s.Log {
		return s.Base + s.Step*math.Log2(float64(n))
	}
	return s.Unit * float64(n)
}

// chooseScale picks a linear scale if one fits the range lo…hi between minPx and maxPx
// (at most maxUnit px per unit), else a logarithmic one; units and steps are rounded
// down to values a caption can state (quarters of a px, whole px).
func chooseScale(lo, hi int64, minPx, maxPx, maxUnit float64) Scale {
	lo, hi = max(lo, 1), max(hi, 1)
	u := math.Min(maxUnit, maxPx/float64(hi))
	if u >= 1 {
		u = math.Floor(u)
	} else {
		u = math.Floor(u*4) / 4
	}
	if u > 0 && float64(lo)*u >= minPx {
		return Scale{Unit: u}
	}
	step := 1.0
	if hi > 1 {
		step = math.Max(1, math.Floor((maxPx-minPx)/math.Log2(float64(hi))))
	}
	return Scale{Log: true, Base: minPx, Step: step}
}

// Volumes is a network drawn as tensor volumes, with the caption that states its
// scales. The drawing is DrawH tall; the caption's lines, for a drawing standing
// alone, follow below it, down to H.
type Volumes struct {
	W, H, DrawH float64
	Items       []Volume
	Height      Scale    // of a map's side: the volumes' height (and, at half scale, width)
	Length      Scale    // of the channels
	MainPath    bool     // drawn along the main path of a branching network
	Caption     []string // sentences, each true of this network
	Lines       []Text   // the caption set in lines under the drawing
}

// Text is a line of text at a baseline, left-aligned.
type Text struct {
	X, Y float64
	S    string
}

// Volume is one tensor drawn in perspective. Front is the face of height × channels;
// Top and Side are the parallelograms of its width (Side is the H×W face).
type Volume struct {
	Layer       string       // the layer whose output it is ("input" for the input)
	Name, Label string       // two lines above it: "conv3_x", "bottleneck ×4"
	Shape       string       // "28×28×512", below it
	Out         engine.Shape // what it draws
	Count       int          // the layers or blocks in a row it stands for (×Count)
	Groups      int          // 2–4: the output of a grouped convolution, drawn in as many parts
	Front       Rect
	Top, Side   []Point
	Window      []Point    // the next layer's window on the H×W face, or nil
	WindowSize  string     // "3×3"
	WindowAt    Point      // the size's baseline, in the gap after the volume
	Rays        [][2]Point // from the window to the next volume
	NameAt      Point
	LabelAt     Point
	ShapeAt     Point
}

// Body is the rectangle around a volume's faces.
func (v *Volume) Body() Rect {
	r := v.Front
	for _, face := range [][]Point{v.Top, v.Side} {
		for _, p := range face {
			r = r.union(p)
		}
	}
	return r
}

// Parts are the rectangles of the front face: the whole face, or for a grouped
// convolution's output one per group, along the channels, 2 px apart.
func (v *Volume) Parts() []Rect {
	if v.Groups < 2 {
		return []Rect{v.Front}
	}
	g := float64(v.Groups)
	w := (v.Front.W - 2*(g-1)) / g
	parts := make([]Rect, v.Groups)
	for i := range parts {
		parts[i] = Rect{X: v.Front.X + float64(i)*(w+2), Y: v.Front.Y, W: w, H: v.Front.H}
	}
	return parts
}

func (r Rect) union(p Point) Rect {
	x0, y0 := math.Min(r.X, p.X), math.Min(r.Y, p.Y)
	x1, y1 := math.Max(r.X+r.W, p.X), math.Max(r.Y+r.H, p.Y)
	return Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// textBox is the rectangle a left-aligned line of text at baseline (x, y) covers.
func textBox(s string, x, y, px float64) Rect {
	if s == "" {
		return Rect{}
	}
	return Rect{X: x, Y: y - 0.8*px, W: TextWidth(s, px), H: 1.05 * px}
}

// boldBox is textBox for a bold line, a tenth wider.
func boldBox(s string, x, y, px float64) Rect {
	r := textBox(s, x, y, px)
	r.W *= 1.1
	return r
}

// TextBoxes are the rectangles of a volume's lines of text: name, label, shape and
// window size (empty rectangles for absent lines).
func (v *Volume) TextBoxes() []Rect {
	return []Rect{
		boldBox(v.Name, v.NameAt.X, v.NameAt.Y, volumeNameSize),
		textBox(v.Label, v.LabelAt.X, v.LabelAt.Y, volumeLabelSize),
		textBox(v.Shape, v.ShapeAt.X, v.ShapeAt.Y, volumeShapeSize),
		textBox(v.WindowSize, v.WindowAt.X, v.WindowAt.Y, volumeKernelSize),
	}
}

// volumeEntry is one tensor of the path before it is placed: the output of a layer,
// a block, or a run of either.
type volumeEntry struct {
	layer       int // the layer whose output it is; -1 for the input
	name, label string
	out         engine.Shape
	groups      int64
	window      *engine.Layer // its first layer, when that is a single windowed layer
	stage       string
	key         string // entries in a row with equal keys are drawn once, ×count
	count       int
	block       bool
	kind        engine.NodeKind // of a block
}

// Sequential reports whether a report is a plain sequence of layers (stages aside):
// its volumes are every layer's output, no main path chosen.
func Sequential(r *engine.Report) bool {
	for _, b := range r.Blocks {
		if b.Kind != engine.KindStage {
			return false
		}
	}
	return true
}

// NewVolumes lays out the volumes of a network: the input, then the output of every
// layer that draws a tensor of its own (element-wise layers, LRN and flatten keep the
// shape and are left out); for a branching network, the output of each layer or block
// along its main path (mainPath). It refuses a drawing of more than MaxVolumes.
func NewVolumes(r *engine.Report) (*Volumes, error) {
	path := []volumeEntry{{layer: -1, name: "input", out: r.Input, count: 1}}
	var kept []string
	mainPath(r, viewTree(r), "", &path, &kept)
	path = mergeRuns(path)
	if len(path) > MaxVolumes {
		return nil, fmt.Errorf("%s draws %d tensor volumes along its main path, more than the %d a drawing holds", r.Name, len(path), MaxVolumes)
	}
	v := &Volumes{MainPath: !Sequential(r)}
	v.Height, v.Length = volumeScales(path)
	v.place(r, path)
	v.Caption = volumeCaption(r, path, kept, v)
	v.setCaption()
	return v, nil
}

// windowed reports the layers whose window a volume shows on the tensor before them.
func windowed(l *engine.Layer) bool {
	switch engine.OpKind(l.Op) {
	case engine.OpConv, engine.OpDWConv, engine.OpMaxPool, engine.OpAvgPool:
		return !l.In.Flat
	}
	return false
}

// keepsTensor reports the layers of the path that draw no volume of their own: they
// leave the tensor's shape as it is and have no kernel (activations, normalisations,
// dropout, channel shuffles), or only reshape it (flatten).
func keepsTensor(l *engine.Layer) bool {
	return !l.IsMerge() && (l.Op == "flatten" || l.Out == l.In && !l.Weighted && !windowed(l))
}

// keptWord is how a caption names a layer that draws no volume.
func keptWord(l *engine.Layer) string {
	switch {
	case l.Op == "flatten":
		return "flatten"
	case l.Op == "dropout" || l.Op == "droppath":
		return "dropout"
	case l.Op == "shuffle":
		return "channel shuffles"
	case l.Op == "bn" || l.Op == "lrn" || l.Op == "layernorm":
		return "normalisations"
	case l.Op == "se":
		return "squeeze-and-excitation gates"
	case elementwise(l.Op):
		return "activations"
	}
	return l.Op
}

// mainPath appends the tensors of items along the trunk: a stage is walked through;
// a block is one tensor, its output, unless it is a branch whose path holds stages
// (U-Net's levels), which is walked along its longest path and then its merge;
// auxiliary classifiers are left out.
func mainPath(r *engine.Report, items []*item, stage string, path *[]volumeEntry, kept *[]string) {
	for _, it := range items {
		if it.layer >= 0 {
			l := &r.Layers[it.layer]
			if l.Aux {
				continue
			}
			if keepsTensor(l) {
				if w := keptWord(l); !slices.Contains(*kept, w) {
					*kept = append(*kept, w)
				}
				continue
			}
			e := volumeEntry{layer: it.layer, name: leafName(l, stage), label: Label(l), out: l.Out, groups: 1, stage: stage, count: 1}
			if op := l.Operation(); op != nil && op.Kind == engine.OpConv {
				e.groups = op.Groups
			}
			if windowed(l) {
				e.window = l
			}
			e.key = fmt.Sprintf("layer|%s|%s|%s|%s", stage, e.label, l.Title, l.Out)
			*path = append(*path, e)
			continue
		}
		b := &r.Blocks[it.block]
		switch {
		case b.Kind == engine.KindAux:
		case b.Kind == engine.KindStage:
			name := blockTitle(b)
			if name == "" {
				name = b.Name[strings.LastIndex(b.Name, ".")+1:]
			}
			mainPath(r, it.items, name, path, kept)
		case b.Kind == engine.KindBranch && holdsStage(r, it):
			var longest *item
			for _, c := range it.items {
				if c.block >= 0 && (longest == nil || span(r, c) > span(r, longest)) {
					longest = c
				}
			}
			if longest != nil {
				mainPath(r, longest.items, stage, path, kept)
			}
			var merge []*item
			for _, c := range it.items {
				if c.layer >= 0 {
					merge = append(merge, c)
				}
			}
			mainPath(r, merge, stage, path, kept)
		default:
			out := blockOut(r, b)
			if out < 0 {
				continue
			}
			e := volumeEntry{layer: out, name: blockTitle(b), label: blockKindLabel(b, it), out: r.Layers[out].Out, stage: stage, count: 1, block: true, kind: b.Kind}
			e.key = fmt.Sprintf("block|%s|%s|%s|%s", stage, e.label, e.name, e.out)
			if e.name == "" {
				e.name = orStage(stage, b.Name[strings.LastIndex(b.Name, ".")+1:])
			}
			*path = append(*path, e)
		}
	}
}

// holdsStage reports whether a block's items hold a stage, at any depth.
func holdsStage(r *engine.Report, it *item) bool {
	for _, c := range it.items {
		if c.block >= 0 && (r.Blocks[c.block].Kind == engine.KindStage || holdsStage(r, c)) {
			return true
		}
	}
	return false
}

func span(r *engine.Report, it *item) int {
	b := &r.Blocks[it.block]
	return b.Last - b.First
}

// blockOut is a block's output: its last layer that is not part of an auxiliary head.
func blockOut(r *engine.Report, b *engine.Block) int {
	for i := b.Last; i >= b.First; i-- {
		if !r.Layers[i].Aux {
			return i
		}
	}
	return -1
}

// blockKindLabel names what a block is: the template it was made from ("bottleneck"),
// a dense block by its layers, else its construct.
func blockKindLabel(b *engine.Block, it *item) string {
	switch {
	case b.Label != "":
		return b.Label
	case b.Kind == engine.KindDense:
		return fmt.Sprintf("%d dense layers", denseLayers(it))
	case b.Kind == engine.KindSeq:
		return "block"
	}
	return b.Kind.String()
}

// leafName is the first line over a layer's volume: the paper's name for it, else the
// stage it is in (its label says what it is), else its own name, or for a merge the
// block's ("level1" for "level1.concat").
func leafName(l *engine.Layer, stage string) string {
	if l.Title != "" {
		return l.Title
	}
	parts := strings.Split(l.Name, ".")
	if l.IsMerge() && len(parts) > 1 {
		return orStage(stage, parts[len(parts)-2])
	}
	return orStage(stage, parts[len(parts)-1])
}

func orStage(stage, name string) string {
	if stage != "" {
		return stage
	}
	return name
}

// mergeRuns draws entries in a row with the same key (the same stage, kind, title and
// output) once, marked ×N: ResNet's ×3 ×4 ×6 ×3, VGG's two 3×3 conv, 64.
func mergeRuns(path []volumeEntry) []volumeEntry {
	out := path[:1]
	for _, e := range path[1:] {
		last := &out[len(out)-1]
		if last.key != "" && last.key == e.key {
			last.count++
			last.layer, last.out = e.layer, e.out
			continue
		}
		out = append(out, e)
	}
	for i := range out {
		e := &out[i]
		if e.count < 2 {
			continue
		}
		if strings.ContainsAny(e.label, " ,") {
			e.label = "(" + e.label + ")"
		}
		e.label += fmt.Sprintf(" ×%d", e.count)
	}
	return out
}

// side is a shape's spatial side along one axis: a vector is drawn as 1×1×N.
func side(s engine.Shape, w bool) int64 {
	if s.Flat {
		return 1
	}
	if w {
		return s.W
	}
	return s.H
}

// volumeScales picks the scales of a path's sides and channels.
func volumeScales(path []volumeEntry) (height, length Scale) {
	minS, maxS, minC, maxC := int64(math.MaxInt64), int64(1), int64(math.MaxInt64), int64(1)
	for _, e := range path {
		for _, s := range []int64{side(e.out, false), side(e.out, true)} {
			minS, maxS = min(minS, s), max(maxS, s)
		}
		minC, maxC = min(minC, e.out.C), max(maxC, e.out.C)
	}
	return chooseScale(minS, maxS, volumeMinSide, volumeMaxSide, volumeMaxSideU),
		chooseScale(minC, maxC, volumeMinLength, volumeMaxLength, volumeMaxLengthU)
}

// place sets the volumes left to right, their front faces centred on one line, each
// as far left as it can go without any of its text or faces touching what is already
// placed; the next layer's window size sits in the gap, under the rays.
func (v *Volumes) place(r *engine.Report, path []volumeEntry) {
	const margin, gap, textGap = 16.0, 28.0, 10.0
	var placed []Rect
	clear := func(r Rect, x float64) float64 { // the least x at which r (at offset 0) clears placed
		for _, p := range placed {
			if r.H > 0 && p.H > 0 && r.Y < p.Y+p.H && p.Y < r.Y+r.H {
				x = math.Max(x, p.X+p.W+textGap-r.X)
			}
		}
		return x
	}
	x := margin
	c := math.Sqrt2 / 2 // cos 45°
	for i, e := range path {
		h := v.Height.Px(side(e.out, false))
		d := v.Length.Px(e.out.C)
		rw := recede * v.Height.Px(side(e.out, true)) // the width, receding
		ox, oy := rw*c, rw*c
		vol := Volume{Layer: "input", Name: e.name, Label: e.label, Shape: e.out.String(), Out: e.out, Count: e.count}
		if e.layer >= 0 {
			vol.Layer = r.Layers[e.layer].Name
		}
		if e.groups >= 2 && e.groups <= 4 {
			vol.Groups = int(e.groups)
		}
		// Relative to x = 0 and the centre line y = 0.
		body := Rect{X: 0, Y: -h/2 - oy, W: d + ox, H: h + oy}
		labelY := body.Y - 6
		nameY := labelY
		if e.label != "" {
			nameY = labelY - volumeLabelSize - 4
		}
		shapeY := h/2 + 6 + volumeShapeSize
		rel := []Rect{body, boldBox(e.name, 0, nameY, volumeNameSize), textBox(e.label, 0, labelY, volumeLabelSize), textBox(vol.Shape, 0, shapeY, volumeShapeSize)}
		at := x
		if i > 0 {
			prev := &v.Items[i-1]
			pb := prev.Body()
			at = math.Max(at, pb.X+pb.W+gap)
			if prev.Window != nil {
				// The rays end on this volume's front edge at the centre line; the size
				// sits under them, in the gap.
				low := 0.0
				for _, p := range prev.Window {
					low = math.Max(low, p.Y)
				}
				ky := low + 6 + volumeKernelSize
				kb := textBox(prev.WindowSize, 0, ky, volumeKernelSize)
				kx := clear(kb, pb.X+pb.W+6)
				prev.WindowAt = Point{kx, ky}
				kb.X += kx
				placed = append(placed, kb)
				at = math.Max(at, kb.X+kb.W+8)
			}
		}
		for _, r := range rel {
			at = clear(r, at)
		}
		x = at
		vol.Front = Rect{X: x, Y: -h / 2, W: d, H: h}
		f := vol.Front
		vol.Top = []Point{{f.X, f.Y}, {f.X + ox, f.Y - oy}, {f.X + d + ox, f.Y - oy}, {f.X + d, f.Y}}
		vol.Side = []Point{{f.X + d, f.Y}, {f.X + d + ox, f.Y - oy}, {f.X + d + ox, f.Y + h - oy}, {f.X + d, f.Y + h}}
		vol.NameAt = Point{x, nameY}
		vol.LabelAt = Point{x, labelY}
		vol.ShapeAt = Point{x, shapeY}
		for _, r := range rel {
			r.X += x
			placed = append(placed, r)
		}
		if i > 0 && v.Items[i-1].Window != nil {
			prev := &v.Items[i-1]
			target := Point{f.X, 0}
			prev.Rays = [][2]Point{{prev.Window[1], target}, {prev.Window[2], target}}
		}
		if i+1 < len(path) && path[i+1].window != nil && !e.out.Flat {
			vol.Window, vol.WindowSize = v.window(&vol, path[i+1].window, rw)
		}
		v.Items = append(v.Items, vol)
	}
	// Down from the centre line to the page: the highest text or face at the margin.
	top, bottom := 0.0, 0.0
	for _, p := range placed {
		top, bottom = math.Min(top, p.Y), math.Max(bottom, p.Y+p.H)
		v.W = math.Max(v.W, p.X+p.W+margin)
	}
	v.shift(margin - top)
	v.DrawH = bottom - top + 2*margin
}

// shift moves every volume down by dy.
func (v *Volumes) shift(dy float64) {
	move := func(p *Point) { p.Y += dy }
	for i := range v.Items {
		vol := &v.Items[i]
		vol.Front.Y += dy
		for _, pts := range [][]Point{vol.Top, vol.Side, vol.Window} {
			for k := range pts {
				move(&pts[k])
			}
		}
		for k := range vol.Rays {
			move(&vol.Rays[k][0])
			move(&vol.Rays[k][1])
		}
		for _, p := range []*Point{&vol.NameAt, &vol.LabelAt, &vol.ShapeAt, &vol.WindowAt} {
			move(p)
		}
	}
}

// window draws layer l's k×k window on the H×W face of vol (receding width rw), in
// proportion to the map and at least MinWindow px each way (at most the face),
// centred on the face.
func (v *Volumes) window(vol *Volume, l *engine.Layer, rw float64) ([]Point, string) {
	op := l.Operation()
	ext := func(i int) int64 { return (op.K[i]-1)*max(op.D[i], 1) + 1 } // a dilated window's extent
	h := vol.Front.H
	kh := math.Min(h, math.Max(MinWindow, h*float64(ext(0))/float64(max(vol.Out.H, 1))))
	kw := math.Min(rw, math.Max(MinWindow, rw*float64(ext(1))/float64(max(vol.Out.W, 1))))
	c := math.Sqrt2 / 2
	f := vol.Front
	// The face's centre, and the window around it: near-bottom, far-bottom, far-top, near-top.
	cx, cy := f.X+f.W+rw*c/2, f.Y+h/2-rw*c/2
	dx, dy := kw*c/2, kw*c/2
	pts := []Point{{cx - dx, cy + dy + kh/2}, {cx + dx, cy - dy + kh/2}, {cx + dx, cy - dy - kh/2}, {cx - dx, cy + dy - kh/2}}
	size := fmt.Sprintf("%d×%d", op.K[0], op.K[1])
	if op.D[0] > 1 {
		size += fmt.Sprintf(", dilation %d", op.D[0])
	}
	return pts, size
}

// volumeCaption says what the drawing of path shows, each sentence true of this network:
// what a box is, both scales with the network's own sizes as examples, and the window,
// ×N and grouped boxes where there are any.
func volumeCaption(r *engine.Report, path []volumeEntry, kept []string, v *Volumes) []string {
	var out []string
	if v.MainPath {
		kinds, seen := []string{}, map[string]bool{}
		for _, e := range path {
			if k := blockNoun(e); k != "" && !seen[k] {
				seen[k] = true
				kinds = append(kinds, k)
			}
		}
		s := "Each box is a tensor along the main path: the input, then the output of each layer"
		if len(kinds) > 0 {
			s += " and of each " + joinWords(kinds) + " (drawn whole in the block diagram)"
		}
		aux := false
		for _, b := range r.Blocks {
			aux = aux || b.Kind == engine.KindAux
		}
		if aux {
			s += "; the auxiliary classifiers are left out"
		}
		if followsBranch(r) {
			s += "; a branch that holds stages is followed along its longest path, then its merge"
		}
		out = append(out, s+".")
	} else {
		out = append(out, "Each box is a tensor: the input, then each layer's output.")
	}
	if len(kept) > 0 {
		out[0] = strings.TrimSuffix(out[0], ".") + fmt.Sprintf("; %s, which keep the tensor's shape or only reshape it, draw none.", joinWords(kept))
	}
	var sides []int64
	for _, e := range path {
		if s := side(e.out, false); !e.out.Flat && (len(sides) == 0 || sides[len(sides)-1] != s) && len(sides) < 3 {
			sides = append(sides, s)
		}
	}
	example := ""
	if len(sides) > 1 {
		var nums, px []string
		for _, s := range sides {
			nums = append(nums, fmt.Sprint(s))
			px = append(px, pxString(v.Height.Px(s)))
		}
		example = fmt.Sprintf(" (%s are %s px)", strings.Join(nums, " → "), joinWords(px))
	}
	if v.Height.Log {
		out = append(out, fmt.Sprintf("Height is the map's side on a log scale: a 1×1 map is %s px tall and each doubling of the side adds %s px%s.", pxString(v.Height.Base), pxString(v.Height.Step), example))
	} else {
		out = append(out, fmt.Sprintf("Height is the map's side to scale, linear: 1 pixel of the map is %s px%s.", pxString(v.Height.Unit), example))
	}
	out = append(out, "The width recedes at 45°, at half that scale.")
	flat := false
	for _, e := range path {
		flat = flat || e.out.Flat
	}
	vector := ""
	if flat {
		vector = "; a vector of N values is drawn as 1×1×N"
	}
	if v.Length.Log {
		out = append(out, fmt.Sprintf("Length is the number of channels on a log scale: 1 channel is %s px and each doubling adds %s px%s.", pxString(v.Length.Base), pxString(v.Length.Step), vector))
	} else {
		out = append(out, fmt.Sprintf("Length is the number of channels to scale, linear: %s px a channel%s.", pxString(v.Length.Unit), vector))
	}
	windows, runs, groups := false, false, map[int]bool{}
	for _, it := range v.Items {
		windows = windows || it.Window != nil
		runs = runs || it.Count > 1
		if it.Groups > 1 {
			groups[it.Groups] = true
		}
	}
	if windows {
		scale := "in proportion to the map"
		if !v.Height.Log {
			scale = "at the same scale"
		}
		out = append(out, fmt.Sprintf("The parallelogram on a box's H×W face is the next layer's window, its size written beside it, %s (at least %d px, at most the whole face), with rays to the box it produces.", scale, MinWindow))
	}
	if runs {
		out = append(out, "A box marked ×N stands for N layers or blocks in a row of the same kind and output shape, drawn once.")
	}
	for g := 2; g <= 4; g++ {
		if groups[g] {
			out = append(out, fmt.Sprintf("A box drawn in %d parts is the output of a convolution in %d groups.", g, g))
		}
	}
	return out
}

// blockNoun is what a block entry of the path is, in the caption's words.
func blockNoun(e volumeEntry) string {
	if !e.block {
		return ""
	}
	switch e.kind {
	case engine.KindResidual:
		return "residual block"
	case engine.KindBranch:
		return "module of parallel branches"
	case engine.KindDense:
		return "dense block"
	case engine.KindCell:
		return "cell"
	}
	return "block"
}

// followsBranch reports a branch holding a stage: mainPath walks into it.
func followsBranch(r *engine.Report) bool {
	for _, b := range r.Blocks {
		for p := b.Parent; b.Kind == engine.KindStage && p >= 0; p = r.Blocks[p].Parent {
			if r.Blocks[p].Kind == engine.KindBranch {
				return true
			}
		}
	}
	return false
}

func joinWords(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// pxString writes a size in px as the caption does: 24, 0.25, 185.62.
func pxString(f float64) string { return TrimZeros(fmt.Sprintf("%.2f", f)) }

// setCaption sets the caption in lines under the drawing, for a drawing that stands
// alone (an embed, a download); a page shows it as HTML instead.
func (v *Volumes) setCaption() {
	const margin, lead = 16.0, volumeNoteSize + 5
	v.W = math.Max(v.W, 420)
	width := v.W - 2*margin
	y := v.DrawH + 4
	for _, sentence := range v.Caption {
		line := ""
		for _, w := range strings.Fields(sentence) {
			next := strings.TrimSpace(line + " " + w)
			if line != "" && TextWidth(next, volumeNoteSize) > width {
				v.Lines = append(v.Lines, Text{X: margin, Y: y, S: line})
				y += lead
				next = w
			}
			line = next
		}
		v.Lines = append(v.Lines, Text{X: margin, Y: y, S: line})
		y += lead
	}
	v.H = y - lead + margin
}
