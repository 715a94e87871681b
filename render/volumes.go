package render

import (
	"math"

	"convatlas/diagram"
)

// PNGVolumes draws a network's tensor volumes (diagram.Volumes) as a PNG, with the
// caption that states their scales, in the colours of the standalone SVG.
func PNGVolumes(v *diagram.Volumes, theme string, transparent bool, sz Size) ([]byte, error) {
	ink, ok := diagram.VolumeInks[theme]
	if !ok {
		ink = diagram.VolumeInks["light"]
	}
	s, err := sz.scaleFor(v.W, v.H)
	if err != nil {
		return nil, err
	}
	w, h := int(math.Ceil(v.W*s-1e-6)), int(math.Ceil(v.H*s-1e-6))
	if sz.Width > 0 {
		w = sz.Width
	}
	r := newRaster(w, h, s, 0, 0)
	if !transparent {
		r.rect(0, 0, v.W, v.H, 0, ink.Background, stroke{})
	}
	size := diagram.VolumeTextSizes
	edge := stroke{colour: ink.Edge, width: 1}
	// The window is drawn at half opacity over the side face in the SVG.
	window := blend(ink.Kernel, ink.Side)
	for _, vol := range v.Items {
		r.polygon(vol.Top, ink.Top, edge)
		r.polygon(vol.Side, ink.Side, edge)
		for _, f := range vol.Parts() {
			r.rect(f.X, f.Y, f.W, f.H, 0, ink.Front, stroke{colour: ink.Edge, width: 1.2})
		}
		if vol.Window != nil {
			r.polygon(vol.Window, window, stroke{colour: ink.Kernel, width: 1})
		}
		for _, ray := range vol.Rays {
			r.strokeLine(ray[:], stroke{colour: ink.Kernel, width: 1.2, dash: []float64{4, 3}})
		}
		r.text(vol.WindowAt.X, vol.WindowAt.Y, size["volume-window"], anchorStart, false, ink.Text, vol.WindowSize)
		r.text(vol.NameAt.X, vol.NameAt.Y, size["volume-name"], anchorStart, true, ink.Text, vol.Name)
		r.text(vol.LabelAt.X, vol.LabelAt.Y, size["volume-label"], anchorStart, false, ink.Text, vol.Label)
		r.text(vol.ShapeAt.X, vol.ShapeAt.Y, size["volume-shape"], anchorStart, false, ink.Muted, vol.Shape)
	}
	for _, l := range v.Lines {
		r.text(l.X, l.Y, size["volume-caption"], anchorStart, false, ink.Muted, l.S)
	}
	return r.encode()
}

// polygon fills a closed polygon (diagram pixels) and strokes its outline.
func (r *raster) polygon(pts []diagram.Point, fill string, s stroke) {
	if len(pts) < 3 {
		return
	}
	r.fill(fill, clockwise(r.transform(pts)))
	r.strokeLine(append(append([]diagram.Point(nil), pts...), pts[0]), s)
}

// blend mixes two colours half and half.
func blend(a, b string) string {
	ar, ag, ab, ok1 := parseColour(a)
	br, bg, bb, ok2 := parseColour(b)
	if !ok1 || !ok2 {
		return a
	}
	hex := func(x, y uint8) string {
		const digits = "0123456789abcdef"
		m := (int(x) + int(y)) / 2
		return string([]byte{digits[m>>4], digits[m&15]})
	}
	return "#" + hex(ar, br) + hex(ag, bg) + hex(ab, bb)
}
