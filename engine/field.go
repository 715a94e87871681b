package engine

import "fmt"

// Field is the receptive field of a tensor along one axis, in input pixels: unit i of
// the tensor sees input pixels Start + i·Jump … Start + i·Jump + Size − 1. Start is
// negative when the field reaches into the padding.
type Field struct {
	Size  int64 `json:"size"`
	Jump  int64 `json:"jump"`
	Start int64 `json:"start"`
}

// inputField is the field of the input itself: each pixel sees itself.
var inputField = Field{Size: 1, Jump: 1, Start: 0}

// RF is the receptive field of a tensor along both axes. Global is set once the tensor
// depends on the whole input (after a global pool or a fully connected layer, on the
// main path or on a side path merged back, as in an SE gate); H and W then still give
// the interval computed by the same rules.
type RF struct {
	H, W   Field
	Global bool
}

// window is the field after a sliding window of kernel k, stride s, padding p and
// dilation d along one axis:
//
//	size′  = size + (k − 1)·d·jump
//	jump′  = jump·s
//	start′ = start − p·jump
func (f Field) window(k, s, p, d int64) (Field, error) {
	grow, err := mul(k-1, d, f.Jump)
	if err != nil {
		return Field{}, err
	}
	size, err := add(f.Size, grow)
	if err != nil {
		return Field{}, err
	}
	jump, err := mul(f.Jump, s)
	if err != nil {
		return Field{}, err
	}
	shift, err := mul(p, f.Jump)
	if err != nil {
		return Field{}, err
	}
	start := f.Start - shift
	if size > maxFieldPixels || jump > maxFieldPixels || start < -maxFieldPixels {
		return Field{}, fmt.Errorf("the receptive field exceeds %s input pixels", Group(maxFieldPixels))
	}
	return Field{Size: size, Jump: jump, Start: start}, nil
}

// maxFieldPixels bounds receptive-field arithmetic so that intervals can be added and
// compared without overflow; real networks stay far below it.
const maxFieldPixels = 1 << 40

// explainWindow writes window's arithmetic with the numbers of f.
func (f Field) explainWindow(k, s, p, d int64, to Field) string {
	grow := fmt.Sprintf("(%d − 1)·%d", k, f.Jump)
	if d != 1 {
		grow = fmt.Sprintf("(%d − 1)·%d·%d", k, d, f.Jump)
	}
	return fmt.Sprintf("size %d + %s = %d, jump %d·%d = %d, start %d − %d·%d = %d",
		f.Size, grow, to.Size, f.Jump, s, to.Jump, f.Start, p, f.Jump, to.Start)
}

// union is the field of a tensor computed from several: the smallest interval holding
// all of theirs. Units of the merged tensor must step the same number of input pixels
// on every path, or the merge is not a tensor with one receptive field.
func union(fields []RF, axis func(*RF) Field) (Field, error) {
	u := axis(&fields[0])
	lo, hi := u.Start, u.Start+u.Size-1
	for i := 1; i < len(fields); i++ {
		f := axis(&fields[i])
		if f.Jump != u.Jump {
			return Field{}, fmt.Errorf("paths disagree on the effective stride (jump %d and %d input pixels): they cannot be merged", u.Jump, f.Jump)
		}
		lo, hi = min(lo, f.Start), max(hi, f.Start+f.Size-1)
	}
	return Field{Size: hi - lo + 1, Jump: u.Jump, Start: lo}, nil
}

func (r RF) String() string {
	s := fmt.Sprintf("%d", r.H.Size)
	if r.W != r.H {
		s = fmt.Sprintf("%d×%d", r.H.Size, r.W.Size)
	}
	if r.Global {
		s += " (global)"
	}
	return s
}

// transposed is the field after a transposed convolution of kernel k, stride s,
// padding p and dilation d along one axis. Output unit o receives input units i with
// o = i·s − p + t·d for a tap t in [0, k): i runs from ⌈(o + p − (k − 1)·d)/s⌉ to
// ⌊(o + p)/s⌋. Units of the output are s times closer than those of the input, so
//
//	jump′  = jump/s
//	size′  = size + (k − 1)·d·jump′
//	start′ = start + (p − (k − 1)·d)·jump′
//
// This is the envelope: the smallest field of the form start′ + o·jump′ … that holds the
// true field of every output unit (which one depends on o mod s: with k = s = 2, units
// 2i and 2i + 1 both see exactly input unit i). The field is kept in whole input pixels,
// so the input's jump must be a multiple of s; a jump that would become fractional (an
// output finer than the input image) is refused.
func (f Field) transposed(k, s, p, d int64) (Field, error) {
	if f.Jump%s != 0 {
		return Field{}, fmt.Errorf("a transposed stride of %d would make the jump %d/%d input pixels: fields are in whole input pixels, so the output cannot be finer than the input image", s, f.Jump, s)
	}
	jump := f.Jump / s
	grow, err := mul(k-1, d, jump)
	if err != nil {
		return Field{}, err
	}
	pad, err := mul(p, jump)
	if err != nil {
		return Field{}, err
	}
	out := Field{Size: f.Size + grow, Jump: jump, Start: f.Start + pad - grow}
	if out.Size > maxFieldPixels || out.Start < -maxFieldPixels || out.Start > maxFieldPixels {
		return Field{}, fmt.Errorf("the receptive field exceeds %s input pixels", Group(maxFieldPixels))
	}
	return out, nil
}

// explainTransposed writes transposed's arithmetic with the numbers of f.
func (f Field) explainTransposed(k, s, p, d int64, to Field) string {
	kd := fmt.Sprintf("(%d − 1)", k)
	if d != 1 {
		kd = fmt.Sprintf("(%d − 1)·%d", k, d)
	}
	return fmt.Sprintf("jump %d/%d = %d, size %d + %s·%d = %d, start %d + (%d − %s)·%d = %d (the envelope of every output unit's field)",
		f.Jump, s, to.Jump, f.Size, kd, to.Jump, to.Size, f.Start, p, kd, to.Jump, to.Start)
}

// shifted is the field after dropping the first off units (a crop): unit i of the
// output is unit i + off of the input, start′ = start + off·jump.
func (f Field) shifted(off int64) Field {
	return Field{Size: f.Size, Jump: f.Jump, Start: f.Start + off*f.Jump}
}

// upsampleWindow is the transposed convolution that reads the same input units as an
// upsampling by the integer factor f: nearest copies unit ⌊o/f⌋ (kernel f, stride f,
// no padding); bilinear (PyTorch, align_corners=False) reads the two units around
// (o + ½)/f − ½, which is kernel 2f − (f mod 2), stride f, padding ⌊f/2⌋.
func upsampleWindow(mode string, f int64) (k, s, p int64) {
	if mode == "bilinear" {
		return 2*f - f%2, f, f / 2
	}
	return f, f, 0
}
