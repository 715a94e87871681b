package diagram

// Palette is a diagram's colours, written as presentation attributes so that a
// standalone SVG needs no stylesheet; pages override them with CSS for the theme.
type Palette struct {
	Background, Text, Muted, Edge, Skip, Frame, StageFrame, AuxFrame string
	Fill, Stroke                                                     map[string]string
}

// Palettes by theme.
var Palettes = map[string]Palette{
	"light": {
		Background: "#ffffff", Text: "#1b1f24", Muted: "#4b5563", Edge: "#4b5563", Skip: "#b45309",
		Frame: "#d1d5db", StageFrame: "#9ca3af", AuxFrame: "#7c3aed",
		Fill: map[string]string{"conv": "#dbeafe", "dwconv": "#cffafe", "fc": "#ede9fe", "pool": "#fee2e2", "norm": "#dcfce7",
			"act": "#fef9c3", "merge": "#ffffff", "stage": "#f3f4f6", "port": "#ffffff", "other": "#f3f4f6"},
		Stroke: map[string]string{"conv": "#1d4ed8", "dwconv": "#0e7490", "fc": "#6d28d9", "pool": "#b91c1c", "norm": "#15803d",
			"act": "#a16207", "merge": "#1b1f24", "stage": "#374151", "port": "#6b7280", "other": "#6b7280"},
	},
	"dark": {
		Background: "#111827", Text: "#f3f4f6", Muted: "#cbd5e1", Edge: "#cbd5e1", Skip: "#fbbf24",
		Frame: "#374151", StageFrame: "#6b7280", AuxFrame: "#a78bfa",
		Fill: map[string]string{"conv": "#1e3a8a", "dwconv": "#164e63", "fc": "#4c1d95", "pool": "#7f1d1d", "norm": "#14532d",
			"act": "#713f12", "merge": "#111827", "stage": "#1f2937", "port": "#111827", "other": "#1f2937"},
		Stroke: map[string]string{"conv": "#93c5fd", "dwconv": "#67e8f9", "fc": "#c4b5fd", "pool": "#fca5a5", "norm": "#86efac",
			"act": "#fde047", "merge": "#f3f4f6", "stage": "#d1d5db", "port": "#9ca3af", "other": "#9ca3af"},
	},
}

// LegendEntries are the kinds a legend explains, in order.
var LegendEntries = []struct{ Kind, Label string }{
	{"conv", "convolution"}, {"dwconv", "depthwise conv"}, {"pool", "pooling"}, {"fc", "fully connected"},
	{"norm", "normalisation"}, {"act", "activation"}, {"stage", "collapsed stage"},
}

// Face is the box without the room its deck of cards takes (all of it, for a plain box).
func (b Box) Face() Box {
	b.Y, b.W, b.H = b.Y+b.Room, b.W-b.Room, b.H-b.Room
	return b
}

// card is the k-th card of a deck behind the face, up and to the right.
func (b Box) card(k int) Box {
	f := b.Face()
	step := b.Room / float64(b.Stack)
	f.X, f.Y = f.X+float64(k)*step, f.Y-float64(k)*step
	return f
}

// Cards lists the deck's cards from the back.
func (b Box) Cards() []Box {
	out := make([]Box, 0, b.Stack)
	for k := b.Stack; k >= 1; k-- {
		out = append(out, b.card(k))
	}
	return out
}

// LabelAt and DetailAt are the baselines of a box's two lines of text, centred on its
// face; they scale with the box.
func (b Box) LabelAt() Point {
	f := b.Face()
	return Point{X: f.X + f.W/2, Y: f.Y + f.H/2 - 3*f.H/boxHeight}
}

// DetailAt is the baseline of a box's second line.
func (b Box) DetailAt() Point {
	f := b.Face()
	return Point{X: f.X + f.W/2, Y: f.Y + f.H/2 + 13*f.H/boxHeight}
}

// LabelSize and DetailSize are the font sizes of a box's two lines: they grow with the
// box, in presentation mode as on a slide.
func (b Box) LabelSize() float64 { return b.Face().H / boxHeight * labelSize }

// DetailSize is the font size of a box's second line.
func (b Box) DetailSize() float64 { return b.Face().H / boxHeight * detailSize }
