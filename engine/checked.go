package engine

import (
	"errors"
	"math/bits"
)

// errOverflow is returned by the checked arithmetic; the walker turns it into an error
// that names the layer.
var errOverflow = errors.New("a count exceeds 2⁶³ − 1")

// mul multiplies non-negative counts, reporting overflow instead of wrapping.
func mul(xs ...int64) (int64, error) {
	acc := uint64(1)
	for _, x := range xs {
		if x < 0 {
			return 0, errOverflow
		}
		hi, lo := bits.Mul64(acc, uint64(x))
		if hi != 0 || lo > 1<<63-1 {
			return 0, errOverflow
		}
		acc = lo
	}
	return int64(acc), nil
}

// add sums non-negative counts, reporting overflow instead of wrapping.
func add(xs ...int64) (int64, error) {
	var acc int64
	for _, x := range xs {
		if x < 0 || acc > 1<<63-1-x {
			return 0, errOverflow
		}
		acc += x
	}
	return acc, nil
}
