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
