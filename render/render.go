// Package render draws a laid-out block diagram as PNG, PDF and TikZ, for the places an
// SVG does not go: chat and LMS previews, slides, print and LaTeX papers.
//
// Every output reads the same geometry that the page's SVG is emitted from
// (templates.Diagram: boxes, joins, edges, frames and labels in pixels) and walks it
// once, in the SVG's order, through a small painter interface that each format
// implements. Text is set in the Go fonts, embedded in the binary, so a PNG made on a
// machine without any fonts installed has the same pixels, and a PDF carries its font.
package render

import (
	"convatlas/diagram"
	"fmt"
	"strconv"
	"strings"
)

// Style is how a drawing is coloured.
type Style struct {
	Palette     diagram.Palette
	Transparent bool // no background: the page or slide behind shows through
}

// NewStyle picks a theme's palette ("light" or "dark") and the background.
func NewStyle(theme string, transparent bool) (Style, error) {
	p, ok := diagram.Palettes[theme]
	if !ok {
		return Style{}, fmt.Errorf("theme is light or dark, got %q", theme)
	}
	return Style{Palette: p, Transparent: transparent}, nil
}

// anchor is where a line of text stands relative to its x: as SVG's text-anchor.
type anchor int

const (
	anchorStart anchor = iota
	anchorMiddle
	anchorEnd
)

// anchors reads the diagram's anchor names (SVG's text-anchor values).
var anchors = map[string]anchor{"start": anchorStart, "middle": anchorMiddle, "end": anchorEnd}

// stroke is a line's colour, width and dash pattern (nil for solid), in diagram pixels.
type stroke struct {
	colour string
	width  float64
	dash   []float64
}

// painter is what one output format does with the diagram's shapes; coordinates are
// diagram pixels, top-left origin, y down. An empty fill or stroke colour draws nothing.
type painter interface {
	rect(x, y, w, h, radius float64, fill string, s stroke)
	circle(cx, cy, r float64, fill string, s stroke)
	polyline(pts []diagram.Point, s stroke, arrow bool)
	text(x, y, size float64, a anchor, bold bool, colour, s string)
}

// Widths and dashes of the SVG (templates/diagram.templ), which these drawings match.
var (
	edgeWidth  = 1.6
	frameWidth = 1.2
	dashed     = []float64{5, 4}
)

// paint draws d with p in the order the SVG does: background, frames, edges, taps,
// boxes, brackets, joins.
func paint(p painter, d *diagram.Diagram, st Style) {
	pal := st.Palette
	if !st.Transparent {
		p.rect(0, 0, d.W, d.H, 0, pal.Background, stroke{})
	}
	for _, f := range d.Frames {
		s := stroke{colour: pal.Frame, width: frameWidth}
		switch f.Kind {
		case "stage":
			s.colour = pal.StageFrame
		case "aux":
			s.colour = pal.AuxFrame
		}
		if f.Kind == "aux" || f.Kind == "residual" {
			s.dash = dashed
		}
		p.rect(f.X, f.Y, f.W, f.H, 8, "", s)
		if f.Title != "" {
			at := f.TitleAt()
			p.text(at.X, at.Y, f.TitleSize(), anchorStart, true, pal.Muted, f.Title)
		}
	}
	for _, e := range d.Edges {
		s := stroke{colour: pal.Edge, width: edgeWidth}
		switch {
		case e.Skip:
			s.colour = pal.Skip
		case e.Aux:
			s.colour, s.dash = pal.AuxFrame, dashed
		}
		p.polyline(e.Points, s, e.Arrow)
	}
	for _, dot := range d.Dots {
		p.circle(dot.X, dot.Y, 2.2, pal.Skip, stroke{})
	}
	for _, b := range d.Boxes {
		fill, line := pal.Fill[b.Kind], pal.Stroke[b.Kind]
		faceX, faceY, faceW, faceH := b.X, b.Y+b.Room, b.W-b.Room, b.H-b.Room
		for k := b.Stack; k >= 1; k-- {
			step := b.Room / float64(b.Stack)
			p.rect(faceX+float64(k)*step, faceY-float64(k)*step, faceW, faceH, 5, fill, stroke{colour: line, width: 1})
		}
		width := 1.4
		if b.Kind == "stage" {
			width = 2.5
		}
		p.rect(faceX, faceY, faceW, faceH, 5, fill, stroke{colour: line, width: width})
		k := faceH / boxHeight
		cx, cy := faceX+faceW/2, faceY+faceH/2
		p.text(cx, cy-3*k, k*labelSize, anchorMiddle, false, pal.Text, b.Label)
		p.text(cx, cy+13*k, k*detailSize, anchorMiddle, false, pal.Muted, b.Detail)
	}
	for _, b := range d.Brackets {
		p.polyline(b.Points, stroke{colour: pal.Edge, width: edgeWidth}, false)
		for i, l := range b.Writing() {
			colour := pal.Muted
			if i == 0 {
				colour = pal.Text
			}
			p.text(l.X, l.Y, l.Size, anchorStart, l.Bold, colour, l.Text)
		}
	}
	for _, j := range d.Joins {
		p.circle(j.X, j.Y, j.R, pal.Fill["merge"], stroke{colour: pal.Stroke["merge"], width: edgeWidth})
		p.text(j.X, j.Y+j.R*0.42, j.R*1.25, anchorMiddle, true, pal.Text, j.Symbol)
		if j.Tags != "" {
			at, a := j.TagAt()
			p.text(at.X, at.Y, j.TagSize(), anchors[a], false, pal.Muted, j.Tags)
		}
	}
}

// Sizes of the layout at scale 1 (templates' boxHeight, labelSize, detailSize): a box's
// text grows with its face, as in the SVG.
const (
	boxHeight  = 42.0
	labelSize  = 14.0
	detailSize = 12.0
)

// parseColour reads "#rrggbb".
func parseColour(s string) (r, g, b uint8, ok bool) {
	if len(s) != 7 || s[0] != '#' {
		return 0, 0, 0, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return 0, 0, 0, false
	}
	return uint8(v >> 16), uint8(v >> 8), uint8(v), true
}

// glyphs replaces the few characters of labels that the Go fonts lack.
var glyphs = strings.NewReplacer("▴", "▲", "⌊", "[", "⌋", "]")
