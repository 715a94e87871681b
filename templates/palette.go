package templates

import (
	"fmt"
	"strconv"
	"strings"
)

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

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// points writes a polyline's points attribute.
func points(ps []Point) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s,%s", num(p.X), num(p.Y))
	}
	return b.String()
}

func viewBox(d *Diagram) string { return fmt.Sprintf("0 0 %s %s", num(d.W), num(d.H)) }

// textX and textY place a box's two lines of text.
// face is the box without the room its deck of cards takes (all of it, for a plain box).
func face(b Box) Box {
	b.Y, b.W, b.H = b.Y+b.Room, b.W-b.Room, b.H-b.Room
	return b
}

// card is the k-th card of a deck behind the face, up and to the right.
func card(b Box, k int) Box {
	f := face(b)
	step := b.Room / float64(b.Stack)
	f.X, f.Y = f.X+float64(k)*step, f.Y-float64(k)*step
	return f
}

// cards lists the deck's cards from the back.
func cards(b Box) []Box {
	out := make([]Box, 0, b.Stack)
	for k := b.Stack; k >= 1; k-- {
		out = append(out, card(b, k))
	}
	return out
}

func labelY(b Box) string  { f := face(b); return num(f.Y + f.H/2 - 3*f.H/boxHeight) }
func detailY(b Box) string { f := face(b); return num(f.Y + f.H/2 + 13*f.H/boxHeight) }
func centreX(b Box) string { f := face(b); return num(f.X + f.W/2) }

func edgeClass(e Edge) string {
	switch {
	case e.Aux:
		return "edge edge-aux"
	case e.Skip:
		return "edge edge-skip"
	}
	return "edge"
}

func edgeStroke(e Edge, p Palette) string {
	if e.Skip {
		return p.Skip
	}
	if e.Aux {
		return p.AuxFrame
	}
	return p.Edge
}

func edgeDash(e Edge) string {
	if e.Aux {
		return "5 4"
	}
	return "none"
}

func frameStroke(f Frame, p Palette) string {
	switch f.Kind {
	case "stage":
		return p.StageFrame
	case "aux":
		return p.AuxFrame
	}
	return p.Frame
}

func frameDash(f Frame) string {
	if f.Kind == "aux" || f.Kind == "residual" {
		return "5 4"
	}
	return "none"
}

func boxStrokeWidth(b Box) string {
	if b.Kind == "stage" {
		return "2.5"
	}
	return "1.4"
}

func boxFolded(b Box) string   { return strings.Join(b.Folded, " ") }
func joinFolded(j Join) string { return strings.Join(j.Folded, " ") }

func arrow(e Edge, id string) string {
	if e.Arrow {
		return "url(#" + id + "-arrow)"
	}
	return "none"
}

// svgRole is "img" for a picture, "group" for a diagram whose boxes are links (an
// image cannot contain controls).
func svgRole(view *DiagramView) string {
	if view != nil {
		return "group"
	}
	return "img"
}
