package templates

import (
	"fmt"
	"strconv"
	"strings"

	"convatlas/diagram"

	"github.com/a-h/templ"
)

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// points writes a polyline's points attribute.
func points(ps []diagram.Point) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s,%s", num(p.X), num(p.Y))
	}
	return b.String()
}

func viewBox(d *diagram.Diagram) string { return fmt.Sprintf("0 0 %s %s", num(d.W), num(d.H)) }

func labelY(b diagram.Box) string { return num(b.LabelAt().Y) }

func detailY(b diagram.Box) string { return num(b.DetailAt().Y) }

func centreX(b diagram.Box) string { return num(b.LabelAt().X) }

func edgeClass(e diagram.Edge) string {
	switch {
	case e.Aux:
		return "edge edge-aux"
	case e.Skip:
		return "edge edge-skip"
	}
	return "edge"
}

func edgeStroke(e diagram.Edge, p diagram.Palette) string {
	if e.Skip {
		return p.Skip
	}
	if e.Aux {
		return p.AuxFrame
	}
	return p.Edge
}

func edgeDash(e diagram.Edge) string {
	if e.Aux {
		return "5 4"
	}
	return "none"
}

func frameStroke(f diagram.Frame, p diagram.Palette) string {
	switch f.Kind {
	case "stage":
		return p.StageFrame
	case "aux":
		return p.AuxFrame
	}
	return p.Frame
}

func frameDash(f diagram.Frame) string {
	if f.Kind == "aux" || f.Kind == "residual" {
		return "5 4"
	}
	return "none"
}

func boxStrokeWidth(b diagram.Box) string {
	if b.Kind == "stage" {
		return "2.5"
	}
	return "1.4"
}

func boxFolded(b diagram.Box) string { return strings.Join(b.Folded, " ") }

func joinFolded(j diagram.Join) string { return strings.Join(j.Folded, " ") }

func arrow(e diagram.Edge, id string) string {
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

// tableBelow ends a chart's description on the page, where its data table follows it;
// a standalone chart has no table.
func tableBelow(at *diagram.Rect) string {
	if at != nil {
		return ""
	}
	return " The data is in the table below."
}

// placedAt gives a chart's own SVG its place inside a standalone frame; on a page it
// has none and fills its figure.
func placedAt(at *diagram.Rect) templ.Attributes {
	if at == nil {
		return nil
	}
	return templ.Attributes{"x": num(at.X), "y": num(at.Y), "width": num(at.W), "height": num(at.H)}
}

// rectViewBox writes a rectangle as a viewBox attribute.
func rectViewBox(r diagram.Rect) string {
	return fmt.Sprintf("%s %s %s %s", num(r.X), num(r.Y), num(r.W), num(r.H))
}

func polygon(ps []diagram.Point) string { return points(ps) }

// volumeTitle is a volume's tooltip: "CONV1 · 11×11 conv, 96, /4 → 55×55×96".
func volumeTitle(v diagram.Volume) string {
	if v.Label == "" {
		return v.Name + " · " + v.Shape
	}
	return fmt.Sprintf("%s · %s → %s", v.Name, v.Label, v.Shape)
}
