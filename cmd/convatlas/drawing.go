package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"convatlas/diagram"
	"convatlas/render"
)

// pngSize is --size: a width in pixels ("1200") or a scale ("2x").
type pngSize struct{ render.Size }

func (s *pngSize) String() string {
	switch {
	case s.Width > 0:
		return strconv.Itoa(s.Width)
	case s.Scale > 0:
		return strconv.FormatFloat(s.Scale, 'g', -1, 64) + "x"
	}
	return ""
}

func (s *pngSize) Set(v string) error {
	if f, ok := strings.CutSuffix(v, "x"); ok {
		scale, err := strconv.ParseFloat(f, 64)
		if err != nil || scale <= 0 {
			return fmt.Errorf("a scale is a positive number followed by x, as 2x")
		}
		s.Size = render.Size{Scale: scale}
		return nil
	}
	w, err := strconv.Atoi(v)
	if err != nil || w <= 0 {
		return fmt.Errorf("a size is a width in pixels (1200) or a scale (2x)")
	}
	s.Size = render.Size{Width: w}
	return nil
}

// outputFlags adds the flags of the drawn formats to the svg command.
func outputFlags(fs *flag.FlagSet) (format *string, size *pngSize) {
	format = fs.String("format", "svg", "svg, png, pdf or tikz (LaTeX)")
	size = &pngSize{}
	fs.Var(size, "size", "PNG size: a width in pixels (1200) or a scale of the natural size (2x); default 1x")
	return format, size
}

// writeDrawing writes d as PNG, PDF or TikZ, in the light or dark theme (auto, which
// only a stylesheet can follow, is drawn light), on the theme's background or none.
func writeDrawing(out io.Writer, d *diagram.Diagram, name, theme, format string, size pngSize, transparent bool) error {
	if theme == "" || theme == "auto" {
		theme = "light"
	}
	st, err := render.NewStyle(theme, transparent)
	if err != nil {
		return usageError{err.Error()}
	}
	var body []byte
	switch format {
	case "png":
		body, err = render.PNG(d, st, size.Size)
	case "pdf":
		body, err = render.PDF(d, st, name+" block diagram")
	case "tikz":
		body = render.TikZ(d, st, name+" block diagram")
	default:
		return usageError{"--format is svg, png, pdf or tikz"}
	}
	if err != nil {
		return err
	}
	_, err = out.Write(body)
	return err
}
