package render

import (
	"bytes"
	"convatlas/diagram"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Size asks for a PNG's size: a width in pixels, or a scale of the diagram's own size
// (2 = twice as many pixels each way); when both are zero the scale is 1.
type Size struct {
	Width int
	Scale float64
}

// scaleFor is the factor from diagram pixels to image pixels, checked against the limits.
func (sz Size) scaleFor(w, h float64) (float64, error) {
	if sz.Width < 0 || sz.Scale < 0 || math.IsNaN(sz.Scale) || math.IsInf(sz.Scale, 0) {
		return 0, fmt.Errorf("width and scale must be positive")
	}
	if sz.Width > 0 && sz.Scale > 0 {
		return 0, fmt.Errorf("give a width or a scale, not both")
	}
	s := 1.0
	switch {
	case sz.Width > 0:
		if sz.Width > MaxWidth {
			return 0, fmt.Errorf("width %d is over the limit of %d pixels", sz.Width, MaxWidth)
		}
		s = float64(sz.Width) / w
	case sz.Scale > 0:
		if sz.Scale > MaxScale {
			return 0, fmt.Errorf("scale %g is over the limit of %g", sz.Scale, MaxScale)
		}
		s = sz.Scale
	}
	pw, ph := math.Ceil(w*s), math.Ceil(h*s)
	if pw > MaxWidth || ph > MaxHeight || pw*ph > MaxPixels {
		return 0, fmt.Errorf("a %.0f×%.0f image is over the limits (%d wide, %d high, %d megapixels): choose a smaller width or scale, or collapse stages",
			pw, ph, MaxWidth, MaxHeight, MaxPixels/1_000_000)
	}
	return s, nil
}

// PNG draws d as a PNG image.
func PNG(d *diagram.Diagram, st Style, sz Size) ([]byte, error) {
	s, err := sz.scaleFor(d.W, d.H)
	if err != nil {
		return nil, err
	}
	w, h := int(math.Ceil(d.W*s-1e-6)), int(math.Ceil(d.H*s-1e-6))
	if sz.Width > 0 {
		w = sz.Width
	}
	r := newRaster(w, h, s, 0, 0)
	paint(r, d, st)
	return r.encode()
}

// raster paints into an RGBA image through a transform: image = diagram·scale + offset.
type raster struct {
	img    *image.RGBA
	scale  float64
	dx, dy float64
	z      vector.Rasterizer
}

func newRaster(w, h int, scale, dx, dy float64) *raster {
	return &raster{img: image.NewRGBA(image.Rect(0, 0, w, h)), scale: scale, dx: dx, dy: dy}
}

// encode writes the image with the standard library's encoder, whose output depends
// only on the pixels.
func (r *raster) encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, r.img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (r *raster) at(p diagram.Point) diagram.Point {
	return diagram.Point{X: p.X*r.scale + r.dx, Y: p.Y*r.scale + r.dy}
}

func uniform(c string) (*image.Uniform, bool) {
	red, g, b, ok := parseColour(c)
	if !ok {
		return nil, false
	}
	return image.NewUniform(color.RGBA{red, g, b, 255}), true
}

// fill fills polygons (in image pixels) with colour: all of them traced the same way
// round, so that where they overlap they stay filled, and holes (traced the other way
// round by the caller) stay empty.
func (r *raster) fill(colour string, polys ...[]diagram.Point) {
	src, ok := uniform(colour)
	if !ok || len(polys) == 0 {
		return
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, poly := range polys {
		for _, p := range poly {
			minX, minY = math.Min(minX, p.X), math.Min(minY, p.Y)
			maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
		}
	}
	b := r.img.Bounds()
	x0, y0 := max(int(math.Floor(minX)), b.Min.X), max(int(math.Floor(minY)), b.Min.Y)
	x1, y1 := min(int(math.Ceil(maxX))+1, b.Max.X), min(int(math.Ceil(maxY))+1, b.Max.Y)
	if x1 <= x0 || y1 <= y0 {
		return
	}
	r.z.Reset(x1-x0, y1-y0)
	for _, poly := range polys {
		if len(poly) < 3 {
			continue
		}
		r.z.MoveTo(float32(poly[0].X-float64(x0)), float32(poly[0].Y-float64(y0)))
		for _, p := range poly[1:] {
			r.z.LineTo(float32(p.X-float64(x0)), float32(p.Y-float64(y0)))
		}
		r.z.ClosePath()
	}
	r.z.Draw(r.img, image.Rect(x0, y0, x1, y1), src, image.Point{})
}

// area is a polygon's signed area (positive when traced clockwise on screen).
func area(poly []diagram.Point) float64 {
	a := 0.0
	for i := range poly {
		p, q := poly[i], poly[(i+1)%len(poly)]
		a += p.X*q.Y - q.X*p.Y
	}
	return a / 2
}

// clockwise returns poly traced clockwise on screen (positive area).
func clockwise(poly []diagram.Point) []diagram.Point {
	if area(poly) >= 0 {
		return poly
	}
	out := make([]diagram.Point, len(poly))
	for i, p := range poly {
		out[len(poly)-1-i] = p
	}
	return out
}

// roundedRect is the outline of a rectangle with rounded corners, clockwise, each
// corner an arc of a few segments.
func roundedRect(x, y, w, h, rad float64) []diagram.Point {
	rad = math.Max(0, math.Min(rad, math.Min(w, h)/2))
	if rad == 0 {
		return []diagram.Point{{X: x, Y: y}, {X: x + w, Y: y}, {X: x + w, Y: y + h}, {X: x, Y: y + h}}
	}
	const steps = 6
	var out []diagram.Point
	corners := []struct{ cx, cy, from float64 }{
		{x + w - rad, y + rad, -math.Pi / 2}, {x + w - rad, y + h - rad, 0}, {x + rad, y + h - rad, math.Pi / 2}, {x + rad, y + rad, math.Pi},
	}
	for _, c := range corners {
		for i := 0; i <= steps; i++ {
			a := c.from + float64(i)*math.Pi/2/steps
			out = append(out, diagram.Point{X: c.cx + rad*math.Cos(a), Y: c.cy + rad*math.Sin(a)})
		}
	}
	return out
}

func circlePoly(cx, cy, r float64) []diagram.Point {
	n := max(12, min(64, int(r*2)))
	out := make([]diagram.Point, n)
	for i := range out {
		a := 2 * math.Pi * float64(i) / float64(n)
		out[i] = diagram.Point{X: cx + r*math.Cos(a), Y: cy + r*math.Sin(a)}
	}
	return out
}

func (r *raster) transform(pts []diagram.Point) []diagram.Point {
	out := make([]diagram.Point, len(pts))
	for i, p := range pts {
		out[i] = r.at(p)
	}
	return out
}

func (r *raster) rect(x, y, w, h, radius float64, fill string, s stroke) {
	outline := r.transform(roundedRect(x, y, w, h, radius))
	r.fill(fill, outline)
	if s.colour == "" || s.width <= 0 {
		return
	}
	if s.dash == nil {
		// A solid outline is the ring between the outline grown and shrunk by half the
		// width, the inner one traced the other way round.
		hw := s.width / 2
		outer := r.transform(roundedRect(x-hw, y-hw, w+2*hw, h+2*hw, radius+hw))
		inner := r.transform(roundedRect(x+hw, y+hw, w-2*hw, h-2*hw, math.Max(0, radius-hw)))
		slicesReverse(inner)
		r.fill(s.colour, outer, inner)
		return
	}
	closed := append(roundedRect(x, y, w, h, radius), diagram.Point{X: x + math.Min(radius, w/2), Y: y})
	if radius == 0 {
		closed = append(roundedRect(x, y, w, h, 0), diagram.Point{X: x, Y: y})
	}
	r.strokeLine(closed, s)
}

func slicesReverse(p []diagram.Point) {
	for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
		p[i], p[j] = p[j], p[i]
	}
}

func (r *raster) circle(cx, cy, rad float64, fill string, s stroke) {
	r.fill(fill, r.transform(circlePoly(cx, cy, rad)))
	if s.colour == "" || s.width <= 0 {
		return
	}
	outer := r.transform(circlePoly(cx, cy, rad+s.width/2))
	inner := r.transform(circlePoly(cx, cy, rad-s.width/2))
	slicesReverse(inner)
	r.fill(s.colour, outer, inner)
}

// strokeLine draws a polyline of the given width: each segment a rectangle, each
// corner a disc (round joins), dashes cut along the length.
func (r *raster) strokeLine(pts []diagram.Point, s stroke) {
	if s.colour == "" || len(pts) < 2 {
		return
	}
	hw := s.width / 2 * r.scale
	var polys [][]diagram.Point
	for _, run := range dashRuns(r.transform(pts), scaled(s.dash, r.scale)) {
		for i := 0; i+1 < len(run); i++ {
			p, q := run[i], run[i+1]
			dx, dy := q.X-p.X, q.Y-p.Y
			l := math.Hypot(dx, dy)
			if l == 0 {
				continue
			}
			nx, ny := -dy/l*hw, dx/l*hw
			polys = append(polys, clockwise([]diagram.Point{{X: p.X + nx, Y: p.Y + ny}, {X: q.X + nx, Y: q.Y + ny}, {X: q.X - nx, Y: q.Y - ny}, {X: p.X - nx, Y: p.Y - ny}}))
			if i > 0 {
				polys = append(polys, clockwise(circlePoly(p.X, p.Y, hw)))
			}
		}
	}
	r.fill(s.colour, polys...)
}

func scaled(dash []float64, f float64) []float64 {
	out := make([]float64, len(dash))
	for i, d := range dash {
		out[i] = d * f
	}
	return out
}

// dashRuns cuts a polyline into its dashes (on, off, on, …); without a dash pattern it
// is one run.
func dashRuns(pts []diagram.Point, dash []float64) [][]diagram.Point {
	if len(dash) == 0 {
		return [][]diagram.Point{pts}
	}
	var runs [][]diagram.Point
	k, left, on := 0, dash[0], true
	cur := []diagram.Point{pts[0]}
	for i := 0; i+1 < len(pts); i++ {
		p, q := pts[i], pts[i+1]
		l := math.Hypot(q.X-p.X, q.Y-p.Y)
		t := 0.0
		for l-t > left {
			t += left
			m := diagram.Point{X: p.X + (q.X-p.X)*t/l, Y: p.Y + (q.Y-p.Y)*t/l}
			if on {
				runs = append(runs, append(cur, m))
			}
			cur = []diagram.Point{m}
			on = !on
			k = (k + 1) % len(dash)
			left = dash[k]
		}
		left -= l - t
		cur = append(cur, q)
	}
	if on && len(cur) > 1 {
		runs = append(runs, cur)
	}
	return runs
}

// arrowHead is the SVG's marker: a triangle 7 stroke widths long whose tip is on the
// line's end.
func arrowHead(p, q diagram.Point, width float64) []diagram.Point {
	dx, dy := q.X-p.X, q.Y-p.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return nil
	}
	ux, uy := dx/l, dy/l
	length, half := 7*width, 3.5*width
	base := diagram.Point{X: q.X - ux*length, Y: q.Y - uy*length}
	return clockwise([]diagram.Point{q, {X: base.X - uy*half, Y: base.Y + ux*half}, {X: base.X + uy*half, Y: base.Y - ux*half}})
}

func (r *raster) polyline(pts []diagram.Point, s stroke, arrow bool) {
	if len(pts) < 2 {
		return
	}
	line := pts
	if arrow {
		// The line stops inside the head, so that its square end does not show past the tip.
		p, q := pts[len(pts)-2], pts[len(pts)-1]
		if l := math.Hypot(q.X-p.X, q.Y-p.Y); l > 0 {
			back := math.Min(l, 4*s.width)
			line = append(append([]diagram.Point{}, pts[:len(pts)-1]...), diagram.Point{X: q.X - (q.X-p.X)/l*back, Y: q.Y - (q.Y-p.Y)/l*back})
		}
	}
	r.strokeLine(line, s)
	if arrow {
		n := len(pts)
		r.fill(s.colour, r.transform(arrowHead(pts[n-2], pts[n-1], s.width)))
	}
}

// faces caches the Go fonts at the sizes used, in image pixels; a face is not safe for
// concurrent use, so each is guarded by its own lock.
var faces = struct {
	sync.Mutex
	regular, bold *opentype.Font
	bySize        map[faceKey]*lockedFace
}{bySize: map[faceKey]*lockedFace{}}

type faceKey struct {
	size float64
	bold bool
}

type lockedFace struct {
	sync.Mutex
	font.Face
}

func faceFor(size float64, bold bool) (*lockedFace, error) {
	faces.Lock()
	defer faces.Unlock()
	size = math.Round(size*64) / 64
	k := faceKey{size, bold}
	if f, ok := faces.bySize[k]; ok {
		return f, nil
	}
	if faces.regular == nil {
		var err error
		if faces.regular, err = opentype.Parse(goregular.TTF); err != nil {
			return nil, err
		}
		if faces.bold, err = opentype.Parse(gobold.TTF); err != nil {
			return nil, err
		}
	}
	ft := faces.regular
	if bold {
		ft = faces.bold
	}
	f, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	if len(faces.bySize) > maxFaces {
		clear(faces.bySize)
	}
	lf := &lockedFace{Face: f}
	faces.bySize[k] = lf
	return lf, nil
}

func (r *raster) text(x, y, size float64, a anchor, bold bool, colour, s string) {
	src, ok := uniform(colour)
	if !ok || s == "" || size <= 0 {
		return
	}
	f, err := faceFor(size*r.scale, bold)
	if err != nil {
		return
	}
	f.Lock()
	defer f.Unlock()
	s = glyphs.Replace(s)
	p := r.at(diagram.Point{X: x, Y: y})
	d := &font.Drawer{Dst: r.img, Src: src, Face: f}
	w := float64(measure(f, s)) / 64
	switch a {
	case anchorMiddle:
		p.X -= w / 2
	case anchorEnd:
		p.X -= w
	}
	d.Dot = fixed.Point26_6{X: fixed.Int26_6(math.Round(p.X * 64)), Y: fixed.Int26_6(math.Round(p.Y * 64))}
	d.DrawString(s)
}

// measure is the advance of s in f, in 26.6 fixed point; the caller holds f's lock.
func measure(f *lockedFace, s string) fixed.Int26_6 {
	return font.MeasureString(f.Face, s)
}
