package engine

import (
	"strconv"
)

// Shape is a tensor volume: C channels of H×W, batch excluded. A flattened vector of N
// features is Shape{C: N, H: 1, W: 1, Flat: true}.
type Shape struct {
	C, H, W int64
	Flat    bool
}

// Elements is C·H·W.
func (s Shape) Elements() int64 { return s.C * s.H * s.W }

// String writes the volume as the lecture does, H×W×C, or N for a vector.
func (s Shape) String() string {
	if s.Flat {
		return strconv.FormatInt(s.C, 10)
	}
	return strconv.FormatInt(s.H, 10) + "×" + strconv.FormatInt(s.W, 10) + "×" + strconv.FormatInt(s.C, 10)
}

// Group writes n with thousands separators: 34944 → "34,944".
func Group(n int64) string {
	digits := strconv.FormatUint(uint64(n), 10)
	sign := ""
	if n < 0 {
		digits, sign = strconv.FormatUint(uint64(-n), 10), "-"
	}
	out := make([]byte, 0, len(digits)+len(digits)/3+1)
	out = append(out, sign...)
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, digits[i])
	}
	return string(out)
}
