package diagram

import (
	"fmt"
	"math"
	"strings"
)

// textWidth estimates the rendered width of s at size px in the diagram's font
// (DejaVu Sans / Verdana class, wide): generous, so that labels never overflow.
func TextWidth(s string, px float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case strings.ContainsRune("ijl.,:;'|!()[] ", r):
			w += 0.36
		case strings.ContainsRune("ft r", r):
			w += 0.46
		case r >= '0' && r <= '9':
			w += 0.66
		case strings.ContainsRune("mwMW", r):
			w += 1.0
		case r >= 'A' && r <= 'Z':
			w += 0.78
		case r < 128:
			w += 0.64
		default: // ×, ·, μ, ⊕ …
			w += 0.9
		}
	}
	return w * px
}

// HumanCount writes a count as the lecture does: 25.6M, 4.09G, 34.9K.
func HumanCount(n int64) string {
	f := float64(n)
	switch {
	case f >= 1e9:
		return TrimZeros(fmt.Sprintf("%.2f", f/1e9)) + "G"
	case f >= 1e6:
		return TrimZeros(fmt.Sprintf("%.1f", f/1e6)) + "M"
	case f >= 1e3:
		return TrimZeros(fmt.Sprintf("%.1f", f/1e3)) + "K"
	}
	return fmt.Sprint(n)
}

func TrimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// MessageWidth is the width of a one-line message drawn in place of a diagram (an
// error at 13 px), within bounds a page can show.
func MessageWidth(msg string) float64 {
	return math.Round(math.Min(math.Max(TextWidth(msg, 13)+32, 300), 1200))
}

// Ascent and descent of the diagram's font (DejaVu Sans) as fractions of its size: a
// line of text takes this much above and below its baseline.
const (
	textAscent  = 0.76
	textDescent = 0.24
)

// TextRect is the rectangle a line of text takes when written at x with anchor
// ("start", "middle" or "end", as SVG's text-anchor) on baseline y.
func TextRect(x, y, size float64, anchor, s string) Rect {
	w := TextWidth(s, size)
	switch anchor {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	return Rect{X: x, Y: y - textAscent*size, W: w, H: (textAscent + textDescent) * size}
}

// TitleAt is the start of a frame's title on its baseline, at the frame's top left or,
// when the flow enters there, just past the incoming edge.
func (f Frame) TitleAt() Point {
	return Point{X: f.X + (10+f.TitleShift)*f.Scale, Y: f.Y + 16*f.Scale}
}

// TitleSize is the font size of a frame's title (and of its collapse link).
func (f Frame) TitleSize() float64 { return detailSize * f.Scale }

// TitleRect is where a frame's title is written; empty without a title.
func (f Frame) TitleRect() Rect {
	if f.Title == "" {
		return Rect{}
	}
	at := f.TitleAt()
	return TextRect(at.X, at.Y, f.TitleSize(), "start", f.Title)
}

// ToggleRect is where an expanded stage's collapse link is written, at the frame's top
// right; empty for other frames.
func (f Frame) ToggleRect() Rect {
	if f.Stage == "" {
		return Rect{}
	}
	return TextRect(f.X+f.W-10*f.Scale, f.Y+16*f.Scale, f.TitleSize(), "end", StageToggle)
}

// Sides of a join on which its tags are written.
const (
	TagsLeft  = "left"
	TagsRight = "right"
	TagsAbove = "above"
	TagsBelow = "below"
)

// TagAt is where a join's tags are written, on their baseline, and the text's anchor:
// beside the circle (left or right) when the flow runs down, above or below it when
// the flow runs right, on the side no edge comes from.
func (j Join) TagAt() (Point, string) {
	switch j.TagSide {
	case TagsRight:
		return Point{X: j.X + j.R*1.5, Y: j.Y + j.R/3}, "start"
	case TagsAbove:
		return Point{X: j.X, Y: j.Y - j.R - 4*j.R/joinRadius - textDescent*j.R}, "middle"
	case TagsBelow:
		return Point{X: j.X, Y: j.Y + j.R + 4*j.R/joinRadius + textAscent*j.R}, "middle"
	}
	return Point{X: j.X - j.R*1.5, Y: j.Y + j.R/3}, "end"
}

// TagSize is the font size of a join's tags.
func (j Join) TagSize() float64 { return j.R }

// TagRect is where a join's tags are written; empty without tags.
func (j Join) TagRect() Rect {
	if j.Tags == "" {
		return Rect{}
	}
	at, anchor := j.TagAt()
	return TextRect(at.X, at.Y, j.TagSize(), anchor, j.Tags)
}

// TagPos is TagAt's point, for templates.
func (j Join) TagPos() Point { p, _ := j.TagAt(); return p }

// TagAnchor is TagAt's anchor, for templates.
func (j Join) TagAnchor() string { _, a := j.TagAt(); return a }
