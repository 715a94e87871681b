package render

import (
	"bytes"
	"convatlas/diagram"
	"math"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// pointsPerPixel sets a diagram pixel to a CSS pixel, 1/96 inch, so that a PDF prints at
// the size the page shows.
const pointsPerPixel = 0.75

// PDF draws d on one page of its own size, with the Go fonts embedded (subset), so its
// text can be selected, searched and copied. A diagram longer than a PDF page may be
// (MaxPDFSide) is scaled down to fit.
func PDF(d *diagram.Diagram, st Style, title string) ([]byte, error) {
	k := pointsPerPixel
	if side := math.Max(d.W, d.H) * k; side > MaxPDFSide {
		k *= MaxPDFSide / side
	}
	w, h := d.W*k, d.H*k
	orientation := "P"
	if w > h {
		orientation = "L"
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orientation, UnitStr: "pt", Size: fpdf.SizeType{Wd: w, Ht: h}})
	// A fixed date keeps the bytes of a drawing the same from run to run.
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(epoch)
	pdf.SetModificationDate(epoch)
	pdf.SetTitle(title, true)
	pdf.SetCreator("ConvAtlas", true)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.AddPageFormat(orientation, fpdf.SizeType{Wd: w, Ht: h})
	paint(&pdfPainter{pdf: pdf, k: k}, d, st)
	if err := pdf.Error(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pdfPainter draws with fpdf; k converts diagram pixels to points.
type pdfPainter struct {
	pdf *fpdf.Fpdf
	k   float64
}

func (p *pdfPainter) colours(fill string, s stroke) (style string) {
	if r, g, b, ok := parseColour(fill); ok {
		p.pdf.SetFillColor(int(r), int(g), int(b))
		style += "F"
	}
	if r, g, b, ok := parseColour(s.colour); ok && s.width > 0 {
		p.pdf.SetDrawColor(int(r), int(g), int(b))
		p.pdf.SetLineWidth(s.width * p.k)
		p.pdf.SetDashPattern(scaled(s.dash, p.k), 0)
		style += "D"
	}
	return style
}

func (p *pdfPainter) rect(x, y, w, h, radius float64, fill string, s stroke) {
	style := p.colours(fill, s)
	if style == "" {
		return
	}
	k := p.k
	if radius > 0 {
		p.pdf.RoundedRect(x*k, y*k, w*k, h*k, math.Min(radius, math.Min(w, h)/2)*k, "1234", style)
		return
	}
	p.pdf.Rect(x*k, y*k, w*k, h*k, style)
}

func (p *pdfPainter) circle(cx, cy, r float64, fill string, s stroke) {
	if style := p.colours(fill, s); style != "" {
		p.pdf.Circle(cx*p.k, cy*p.k, r*p.k, style)
	}
}

func (p *pdfPainter) polyline(pts []diagram.Point, s stroke, arrow bool) {
	if len(pts) < 2 || p.colours("", s) == "" {
		return
	}
	k := p.k
	line := pts
	if arrow {
		n := len(pts)
		q, r := pts[n-2], pts[n-1]
		if l := math.Hypot(r.X-q.X, r.Y-q.Y); l > 0 {
			back := math.Min(l, 4*s.width)
			line = append(append([]diagram.Point{}, pts[:n-1]...), diagram.Point{X: r.X - (r.X-q.X)/l*back, Y: r.Y - (r.Y-q.Y)/l*back})
		}
	}
	p.pdf.MoveTo(line[0].X*k, line[0].Y*k)
	for _, q := range line[1:] {
		p.pdf.LineTo(q.X*k, q.Y*k)
	}
	p.pdf.DrawPath("D")
	if arrow {
		head := arrowHead(pts[len(pts)-2], pts[len(pts)-1], s.width)
		if head == nil {
			return
		}
		rr, g, b, _ := parseColour(s.colour)
		p.pdf.SetFillColor(int(rr), int(g), int(b))
		poly := make([]fpdf.PointType, len(head))
		for i, h := range head {
			poly[i] = fpdf.PointType{X: h.X * k, Y: h.Y * k}
		}
		p.pdf.SetDashPattern(nil, 0)
		p.pdf.Polygon(poly, "F")
	}
}

func (p *pdfPainter) text(x, y, size float64, a anchor, bold bool, colour, s string) {
	r, g, b, ok := parseColour(colour)
	if !ok || s == "" {
		return
	}
	style := ""
	if bold {
		style = "B"
	}
	k := p.k
	p.pdf.SetFont("go", style, size*k)
	p.pdf.SetTextColor(int(r), int(g), int(b))
	s = glyphs.Replace(s)
	w := p.pdf.GetStringWidth(s)
	switch a {
	case anchorMiddle:
		x -= w / k / 2
	case anchorEnd:
		x -= w / k
	}
	p.pdf.Text(x*k, y*k, s)
}
