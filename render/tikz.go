package render

import (
	"convatlas/diagram"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TikZ writes d as a tikzpicture for LaTeX (\usepackage{tikz}; pdflatex, xelatex or
// lualatex): the diagram's shapes at their pixel positions (1 px = 0.75 pt, y down),
// colours defined by name, text as nodes in the document's sans-serif font. Put it in a
// figure with \input{resnet50.tikz}, or scale it with \resizebox{\linewidth}{!}{…}.
func TikZ(d *diagram.Diagram, st Style, title string) []byte {
	t := &tikz{colours: map[string]string{}}
	paint(t, d, st)
	var b strings.Builder
	fmt.Fprintf(&b, "%% %s, drawn by ConvAtlas. Needs \\usepackage{tikz}.\n", texComment(title))
	b.WriteString("\\begin{tikzpicture}[x=0.75pt,y=-0.75pt,line join=round,line cap=butt,every node/.style={inner sep=0pt,outer sep=0pt},font=\\sffamily]\n")
	names := make([]string, 0, len(t.colours))
	for hex := range t.colours {
		names = append(names, hex)
	}
	slices.Sort(names)
	for _, hex := range names {
		fmt.Fprintf(&b, "\\definecolor{%s}{HTML}{%s}\n", t.colours[hex], strings.ToUpper(hex[1:]))
	}
	b.WriteString(t.body.String())
	b.WriteString("\\end{tikzpicture}\n")
	return []byte(b.String())
}

// TikZDocument wraps a tikzpicture in a document of its own (the standalone class),
// which pdflatex compiles to a PDF of the picture's size.
func TikZDocument(picture []byte) []byte {
	return []byte("\\documentclass[tikz,border=2pt]{standalone}\n\\usepackage[T1]{fontenc}\n\\begin{document}\n" + string(picture) + "\\end{document}\n")
}

type tikz struct {
	body    strings.Builder
	colours map[string]string // "#rrggbb" → its name in the picture
}

// colour names a colour once: ca0, ca1, …
func (t *tikz) colour(hex string) string {
	if _, _, _, ok := parseColour(hex); !ok {
		return ""
	}
	hex = strings.ToLower(hex)
	if name, ok := t.colours[hex]; ok {
		return name
	}
	name := "ca" + strconv.Itoa(len(t.colours))
	t.colours[hex] = name
	return name
}

func tnum(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

func (t *tikz) options(fill string, s stroke) []string {
	var opts []string
	if c := t.colour(fill); c != "" {
		opts = append(opts, "fill="+c)
	}
	if c := t.colour(s.colour); c != "" && s.width > 0 {
		opts = append(opts, "draw="+c, "line width="+tnum(s.width*0.75)+"pt")
		if len(s.dash) == 2 {
			opts = append(opts, fmt.Sprintf("dash pattern=on %spt off %spt", tnum(s.dash[0]*0.75), tnum(s.dash[1]*0.75)))
		}
	}
	return opts
}

func (t *tikz) path(opts []string, geometry string) {
	if len(opts) == 0 {
		return
	}
	fmt.Fprintf(&t.body, "\\path[%s] %s;\n", strings.Join(opts, ","), geometry)
}

func (t *tikz) rect(x, y, w, h, radius float64, fill string, s stroke) {
	opts := t.options(fill, s)
	if radius > 0 && len(opts) > 0 {
		opts = append(opts, "rounded corners="+tnum(radius*0.75)+"pt")
	}
	t.path(opts, fmt.Sprintf("(%s,%s) rectangle (%s,%s)", tnum(x), tnum(y), tnum(x+w), tnum(y+h)))
}

func (t *tikz) circle(cx, cy, r float64, fill string, s stroke) {
	t.path(t.options(fill, s), fmt.Sprintf("(%s,%s) circle[radius=%s]", tnum(cx), tnum(cy), tnum(r)))
}

func (t *tikz) polyline(pts []diagram.Point, s stroke, arrow bool) {
	opts := t.options("", s)
	if arrow && len(opts) > 0 {
		opts = append(opts, "-latex")
	}
	coords := make([]string, len(pts))
	for i, p := range pts {
		coords[i] = "(" + tnum(p.X) + "," + tnum(p.Y) + ")"
	}
	t.path(opts, strings.Join(coords, " -- "))
}

func (t *tikz) text(x, y, size float64, a anchor, bold bool, colour, s string) {
	c := t.colour(colour)
	if c == "" || s == "" {
		return
	}
	anchorName := map[anchor]string{anchorStart: "base west", anchorMiddle: "base", anchorEnd: "base east"}[a]
	font := fmt.Sprintf("\\sffamily\\fontsize{%s}{%s}\\selectfont", tnum(size*0.75), tnum(size*0.9))
	if bold {
		font += "\\bfseries"
	}
	fmt.Fprintf(&t.body, "\\node[anchor=%s,text=%s,font=%s] at (%s,%s) {%s};\n", anchorName, c, font, tnum(x), tnum(y), texText(s))
}

// texText escapes a label for LaTeX's text mode; the few symbols of labels outside
// ASCII are written as commands every engine knows.
func texText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '$', '&', '#', '_', '%':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '^':
			b.WriteString(`\^{}`)
		case '~':
			b.WriteString(`\~{}`)
		case '×':
			b.WriteString(`\ensuremath{\times}`)
		case '·':
			b.WriteString(`\ensuremath{\cdot}`)
		case 'μ':
			b.WriteString(`\ensuremath{\mu}`)
		case '→':
			b.WriteString(`\ensuremath{\rightarrow}`)
		case '‖':
			b.WriteString(`\ensuremath{\|}`)
		case '⌊':
			b.WriteString(`\ensuremath{\lfloor}`)
		case '⌋':
			b.WriteString(`\ensuremath{\rfloor}`)
		case '−':
			b.WriteString(`\ensuremath{-}`)
		case '<':
			b.WriteString(`\textless{}`)
		case '>':
			b.WriteString(`\textgreater{}`)
		default:
			if r < 0x20 {
				continue
			}
			if r < 0x80 {
				b.WriteRune(r)
			} else {
				b.WriteByte('?') // no label of the catalogue has another; a user's odd name still compiles
			}
		}
	}
	return b.String()
}

func texComment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}
