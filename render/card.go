package render

import (
	"convatlas/diagram"
	"math"
)

// The link-preview card's size: 1200×630 is the image size that OpenGraph readers
// (chat tools, LMSs, social sites) show at full width without cropping.
const (
	CardWidth  = 1200
	CardHeight = 630
	cardMargin = 48.0
	cardTitle  = 56.0 // the network's name, px
	cardLine   = 28.0 // its key figures
	cardBand   = 170.0
)

// Card draws a link preview: the network's name, a line of its key figures ("25.6M
// parameters · 4.09G MACs · 50 layers deep"), a footer, and the diagram scaled to fit
// the space below: of its layouts given (left-right, top-down), the one that comes out
// largest.
func Card(layouts []*diagram.Diagram, st Style, name, figures, footer string) ([]byte, error) {
	r := newRaster(CardWidth, CardHeight, 1, 0, 0)
	pal := st.Palette
	if !st.Transparent {
		r.rect(0, 0, CardWidth, CardHeight, 0, pal.Background, stroke{})
	}
	r.rect(0, 0, 12, CardHeight, 0, pal.Stroke["conv"], stroke{})
	r.text(cardMargin, cardMargin+cardTitle*0.8, cardTitle, anchorStart, true, pal.Text, fitText(name, cardTitle, true, CardWidth-2*cardMargin))
	r.text(cardMargin, cardMargin+cardTitle+cardLine+12, cardLine, anchorStart, false, pal.Muted, fitText(figures, cardLine, false, CardWidth-2*cardMargin))
	r.text(cardMargin, CardHeight-cardMargin/2-4, 20, anchorStart, false, pal.Muted, footer)
	// The diagram fills the band between the figures and the footer, never enlarged
	// past 1.5× (a tiny network would otherwise turn into a few huge boxes).
	top, bottom := cardBand, float64(CardHeight)-cardMargin-12
	w, h := float64(CardWidth)-2*cardMargin, bottom-top
	var d *diagram.Diagram
	s := 0.0
	for _, l := range layouts {
		if f := math.Min(1.5, math.Min(w/l.W, h/l.H)); f > s {
			d, s = l, f
		}
	}
	if d == nil {
		return r.encode()
	}
	dx := cardMargin + (w-d.W*s)/2
	dy := top + (h-d.H*s)/2
	inner := &raster{img: r.img, scale: s, dx: dx, dy: dy}
	paint(inner, d, Style{Palette: pal, Transparent: true})
	return r.encode()
}

// fitText shortens s with an ellipsis until it fits width at size.
func fitText(s string, size float64, bold bool, width float64) string {
	f, err := faceFor(size, bold)
	if err != nil {
		return s
	}
	f.Lock()
	defer f.Unlock()
	fits := func(t string) bool { return float64(measure(f, t))/64 <= width }
	if fits(s) {
		return s
	}
	runes := []rune(s)
	for len(runes) > 1 && !fits(string(runes)+"…") {
		runes = runes[:len(runes)-1]
	}
	return string(runes) + "…"
}
