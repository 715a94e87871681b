package render

// Limits on what one drawing may cost, with the reason beside each. A request over a
// limit is refused before any pixel is drawn.
const (
	// MaxWidth and MaxHeight bound an image's sides: 8,192 px is twice a 4K screen's
	// width, past which no slide or page shows more detail. ResNet-50 top-down at 2×
	// is 886×8,524, so the height allows a whole tall network at twice its size.
	MaxWidth  = 8192
	MaxHeight = 16384
	// MaxPixels bounds the memory of one image, 4 bytes a pixel: 24 megapixels is
	// 96 MB, ResNet-50 top-down at 2× (7.6 Mpx) three times over.
	MaxPixels = 24_000_000
	// MaxScale is 8× the diagram's own size: enough for a poster.
	MaxScale = 8.0
	// maxFaces bounds the cache of font faces (a few sizes per drawing are used; odd
	// widths give odd sizes).
	maxFaces = 256
	// MaxPDFSide is the largest page side that PDF viewers accept (14,400 pt, 200
	// inches); a longer diagram is scaled down to fit.
	MaxPDFSide = 14400.0
)
