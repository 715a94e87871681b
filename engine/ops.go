package engine

import (
	"fmt"
	"strings"
)

// Explanation is each figure of a layer with the formula that produced it, the
// numbers substituted: "⌊(227 + 2·0 − 11)/4⌋ + 1 = 55 → 55×55×96".
type Explanation struct {
	Out    string `json:"out"`
	Params string `json:"params"`
	MACs   string `json:"macs"`
	RF     string `json:"rf"`
}

// leafFigures is what one operation does to its input.
type leafFigures struct {
	out         Shape
	params      int64
	buffers     int64
	macs        int64
	other       int64
	activations int64
	weighted    bool // a weight layer: counts towards depth
}

// windowOut is the output length of a sliding window along one axis, PyTorch's rule:
//
//	n′ = ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1
//
// In ceil mode (pools) the floor becomes a ceiling, less one if the last window would
// start inside the right padding: (n′ − 1)·s ≥ n + p.
func windowOut(n, k, s, p, d int64, ceil bool) int64 {
	span := n + 2*p - d*(k-1) - 1
	out := span/s + 1
	if ceil {
		out = (span+s-1)/s + 1
		if (out-1)*s >= n+p {
			out--
		}
	}
	return out
}

// explainWindowOut writes windowOut's arithmetic for one axis.
func explainWindowOut(n, k, s, p, d int64, ceil bool) string {
	open, shut := "⌊", "⌋"
	if ceil {
		open, shut = "⌈", "⌉"
	}
	inner := fmt.Sprintf("%d + 2·%d − %d", n, p, k)
	if d != 1 {
		inner = fmt.Sprintf("%d + 2·%d − %d·(%d − 1) − 1", n, p, d, k)
	}
	out := windowOut(n, k, s, p, d, ceil)
	text := fmt.Sprintf("%s(%s)/%d%s + 1", open, inner, s, shut)
	if span := n + 2*p - d*(k-1) - 1; ceil && (span+s-1)/s+1 != out {
		text += " − 1 (the last window would start in the padding)"
	}
	return fmt.Sprintf("%s = %d", text, out)
}

// checkWindow validates a window against its input and limits; the message reads
// like "kernel 5×5 larger than padded input 4×4".
func checkWindow(op *Op, in Shape, lim *Limits) error {
	if in.Flat {
		return fmt.Errorf("%s needs a spatial input, got a vector of %s features", op.Kind, Group(in.C))
	}
	for axis := range 2 {
		name := [2]string{"height", "width"}[axis]
		switch {
		case op.K[axis] < 1:
			return fmt.Errorf("kernel %s must be at least 1, got %d", name, op.K[axis])
		case op.S[axis] < 1:
			return fmt.Errorf("stride must be at least 1, got %d", op.S[axis])
		case op.D[axis] < 1:
			return fmt.Errorf("dilation must be at least 1, got %d", op.D[axis])
		case op.P[axis] < 0:
			return fmt.Errorf("padding must not be negative, got %d", op.P[axis])
		case op.K[axis] > lim.MaxSpatial || op.S[axis] > lim.MaxSpatial || op.P[axis] > lim.MaxSpatial || op.D[axis] > lim.MaxSpatial:
			return fmt.Errorf("kernel, stride, padding and dilation are limited to %s", Group(lim.MaxSpatial))
		}
	}
	effH, effW := op.D[0]*(op.K[0]-1)+1, op.D[1]*(op.K[1]-1)+1
	padH, padW := in.H+2*op.P[0], in.W+2*op.P[1]
	if effH > padH || effW > padW {
		return fmt.Errorf("kernel %d×%d larger than padded input %d×%d", effH, effW, padH, padW)
	}
	if op.Kind == OpMaxPool || op.Kind == OpAvgPool {
		if 2*op.P[0] > op.K[0] || 2*op.P[1] > op.K[1] {
			return fmt.Errorf("padding %d×%d is more than half the kernel %d×%d (PyTorch refuses it)", op.P[0], op.P[1], op.K[0], op.K[1])
		}
	}
	return nil
}

// spatialOut applies the window rule on both axes.
func spatialOut(op *Op, in Shape) (h, w int64) {
	ceil := op.Ceil && (op.Kind == OpMaxPool || op.Kind == OpAvgPool)
	return windowOut(in.H, op.K[0], op.S[0], op.P[0], op.D[0], ceil),
		windowOut(in.W, op.K[1], op.S[1], op.P[1], op.D[1], ceil)
}

// explainSpatial writes spatialOut's arithmetic, once when both axes agree.
func explainSpatial(op *Op, in Shape, out Shape) string {
	ceil := op.Ceil && (op.Kind == OpMaxPool || op.Kind == OpAvgPool)
	h := explainWindowOut(in.H, op.K[0], op.S[0], op.P[0], op.D[0], ceil)
	w := explainWindowOut(in.W, op.K[1], op.S[1], op.P[1], op.D[1], ceil)
	if h == w {
		return h + " → " + out.String()
	}
	return "height " + h + ", width " + w + " → " + out.String()
}

// convFigures: a convolution with Cout filters of kh×kw×(Cin/groups), in groups
// (groups = Cin for depthwise):
//
//	params = kh·kw·(Cin/groups)·Cout + Cout (bias)
//	MACs   = H′·W′·Cout · kh·kw·(Cin/groups)
func convFigures(op *Op, in Shape, lim *Limits, x *Explanation) (leafFigures, error) {
	if err := checkWindow(op, in, lim); err != nil {
		return leafFigures{}, err
	}
	cin, cout, groups := in.C, op.Out, op.Groups
	if op.Kind == OpDWConv {
		mult := max(op.Out, 1)
		groups = cin
		var err error
		if cout, err = mul(cin, mult); err != nil {
			return leafFigures{}, err
		}
	}
	if groups < 1 {
		return leafFigures{}, fmt.Errorf("groups must be at least 1, got %d", groups)
	}
	if cout < 1 {
		return leafFigures{}, fmt.Errorf("output channels must be at least 1, got %d", cout)
	}
	if cout > lim.MaxChannels {
		return leafFigures{}, fmt.Errorf("%s output channels exceed the limit of %s", Group(cout), Group(lim.MaxChannels))
	}
	if cin%groups != 0 || cout%groups != 0 {
		return leafFigures{}, fmt.Errorf("groups %d must divide the input channels %d and the output channels %d", groups, cin, cout)
	}
	h, w := spatialOut(op, in)
	out := Shape{C: cout, H: h, W: w}
	perFilter, err := mul(op.K[0], op.K[1], cin/groups)
	if err != nil {
		return leafFigures{}, err
	}
	weights, err := mul(perFilter, cout)
	if err != nil {
		return leafFigures{}, err
	}
	params := weights
	if op.Bias {
		params += cout
	}
	macs, err := mul(h, w, cout, perFilter)
	if err != nil {
		return leafFigures{}, err
	}
	if x != nil {
		x.Out = explainSpatial(op, in, out)
		cinPerGroup := fmt.Sprint(cin)
		if groups > 1 {
			cinPerGroup = fmt.Sprintf("(%d/%d)", cin, groups)
		}
		x.Params = fmt.Sprintf("%d·%d·%s·%d", op.K[0], op.K[1], cinPerGroup, cout)
		if op.Bias {
			x.Params += fmt.Sprintf(" + %d", cout)
		}
		x.Params += " = " + Group(params)
		x.MACs = fmt.Sprintf("%d·%d·%d outputs · %d·%d·%s each = %s", h, w, cout, op.K[0], op.K[1], cinPerGroup, Group(macs))
	}
	return leafFigures{out: out, params: params, macs: macs, activations: out.Elements(), weighted: true}, nil
}

// fcFigures: a fully connected layer from every element of its input (flattened) to
// Out features:
//
//	params = in·out + out (bias)
//	MACs   = in·out
func fcFigures(op *Op, in Shape, lim *Limits, x *Explanation) (leafFigures, error) {
	if op.Out < 1 {
		return leafFigures{}, fmt.Errorf("output features must be at least 1, got %d", op.Out)
	}
	if op.Out > lim.MaxFeatures {
		return leafFigures{}, fmt.Errorf("%s output features exceed the limit of %s", Group(op.Out), Group(lim.MaxFeatures))
	}
	n := in.Elements()
	macs, err := mul(n, op.Out)
	if err != nil {
		return leafFigures{}, err
	}
	params := macs
	if op.Bias {
		params += op.Out
	}
	out := Shape{C: op.Out, H: 1, W: 1, Flat: true}
	if x != nil {
		x.Out = fmt.Sprintf("%s features", Group(op.Out))
		if !in.Flat {
			x.Out = fmt.Sprintf("%s inputs (%s flattened) → %s features", Group(n), in, Group(op.Out))
		}
		x.Params = fmt.Sprintf("%d·%d", n, op.Out)
		if op.Bias {
			x.Params += fmt.Sprintf(" + %d", op.Out)
		}
		x.Params += " = " + Group(params)
		x.MACs = fmt.Sprintf("%d·%d = %s", n, op.Out, Group(macs))
	}
	return leafFigures{out: out, params: params, macs: macs, activations: op.Out, weighted: true}, nil
}

// poolFigures: max or average pooling has no weights; each output is one comparison
// or addition per element of its window: other ops = H′·W′·C·kh·kw.
func poolFigures(op *Op, in Shape, lim *Limits, x *Explanation) (leafFigures, error) {
	if err := checkWindow(op, in, lim); err != nil {
		return leafFigures{}, err
	}
	h, w := spatialOut(op, in)
	out := Shape{C: in.C, H: h, W: w}
	other, err := mul(out.Elements(), op.K[0], op.K[1])
	if err != nil {
		return leafFigures{}, err
	}
	if x != nil {
		x.Out = explainSpatial(op, in, out)
		what := "selects the largest value in each window"
		if op.Kind == OpAvgPool {
			what = "averages each window"
		}
		x.Params = "0: a pooling layer has no weights, it " + what
		x.MACs = fmt.Sprintf("0 (counted apart: %d·%d·%d outputs · %d·%d = %s comparisons or additions)", h, w, in.C, op.K[0], op.K[1], Group(other))
	}
	return leafFigures{out: out, other: other, activations: out.Elements()}, nil
}

// leafFigures computes what op does to in. x, when not nil, receives the explanation
// of every figure.
func computeLeaf(op *Op, in Shape, lim *Limits, x *Explanation) (leafFigures, error) {
	switch op.Kind {
	case OpConv, OpDWConv:
		return convFigures(op, in, lim, x)
	case OpFC:
		return fcFigures(op, in, lim, x)
	case OpMaxPool, OpAvgPool:
		return poolFigures(op, in, lim, x)
	case OpGAP:
		if in.Flat {
			return leafFigures{}, fmt.Errorf("gap needs a spatial input, got a vector of %s features", Group(in.C))
		}
		out := Shape{C: in.C, H: 1, W: 1}
		if x != nil {
			x.Out = fmt.Sprintf("each of the %d channels averaged over %d×%d → %s", in.C, in.H, in.W, out)
			x.Params = "0: global pooling has no weights"
			x.MACs = fmt.Sprintf("0 (counted apart: %s additions)", Group(in.Elements()))
		}
		return leafFigures{out: out, other: in.Elements(), activations: in.C}, nil
	case OpBN:
		params := 2 * in.C
		if x != nil {
			x.Out = "same shape " + in.String()
			x.Params = fmt.Sprintf("2·%d = %s (γ and β per channel; the running mean and variance, %s values, are buffers)", in.C, Group(params), Group(params))
			x.MACs = fmt.Sprintf("0 (counted apart: a scale and a shift per element, 2·%s)", Group(in.Elements()))
		}
		return leafFigures{out: in, params: params, buffers: params, other: 2 * in.Elements()}, nil
	case OpLRN:
		if in.Flat {
			return leafFigures{}, fmt.Errorf("lrn needs a spatial input, got a vector of %s features", Group(in.C))
		}
		size := max(op.Size, 1)
		other, err := mul(in.Elements(), size)
		if err != nil {
			return leafFigures{}, err
		}
		if x != nil {
			x.Out = "same shape " + in.String() + ", each value divided by the energy of its " + fmt.Sprint(size) + " neighbouring channels"
			x.Params = "0: local response normalisation has fixed constants, no weights"
			x.MACs = fmt.Sprintf("0 (counted apart: %s·%d = %s)", Group(in.Elements()), size, Group(other))
		}
		return leafFigures{out: in, other: other, activations: in.Elements()}, nil
	case OpReLU, OpReLU6, OpSigmoid, OpHSwish, OpTanh, OpSoftmax:
		if x != nil {
			x.Out = "same shape " + in.String() + " (element-wise, in place)"
			x.Params = "0: an activation function has no weights"
			x.MACs = fmt.Sprintf("0 (counted apart: one operation per element, %s)", Group(in.Elements()))
		}
		return leafFigures{out: in, other: in.Elements()}, nil
	case OpDropout, OpIdentity:
		if x != nil {
			x.Out = "same shape " + in.String()
			x.Params = "0"
			x.MACs = "0"
			if op.Kind == OpDropout {
				x.Out += fmt.Sprintf(" (zeroes %g of the values while training; nothing at inference)", op.Rate)
			}
		}
		return leafFigures{out: in}, nil
	case OpFlatten:
		out := Shape{C: in.Elements(), H: 1, W: 1, Flat: true}
		if x != nil {
			x.Out = fmt.Sprintf("%d·%d·%d = %s features (a view, no copy)", in.H, in.W, in.C, Group(out.C))
			x.Params, x.MACs = "0", "0"
		}
		return leafFigures{out: out}, nil
	case OpShuffle:
		g := op.Groups
		if g < 1 || in.C%g != 0 {
			return leafFigures{}, fmt.Errorf("shuffle groups %d must divide the %d channels", g, in.C)
		}
		if x != nil {
			x.Out = fmt.Sprintf("same shape %s, channels reordered so each of the %d groups receives channels from every group", in, g)
			x.Params, x.MACs = "0: a channel shuffle only reorders", "0"
		}
		return leafFigures{out: in}, nil
	case OpPadChannels:
		if in.Flat {
			return leafFigures{}, fmt.Errorf("padchannels needs a spatial input")
		}
		s := op.S[0]
		if s < 1 || op.Out < in.C {
			return leafFigures{}, fmt.Errorf("padchannels needs a stride of at least 1 and at least the input's %d channels", in.C)
		}
		out := Shape{C: op.Out, H: (in.H + s - 1) / s, W: (in.W + s - 1) / s}
		if x != nil {
			x.Out = fmt.Sprintf("every %d-th pixel kept, %d zero channels added → %s", s, op.Out-in.C, out)
			x.Params, x.MACs = "0: a parameter-free shortcut", "0"
		}
		return leafFigures{out: out, activations: out.Elements()}, nil
	}
	return leafFigures{}, fmt.Errorf("unknown operation %q", op.Kind)
}

// fieldWindow is the window through which op sees its input, for the receptive
// field: its own for convolutions and pools, a 1×1 stride for the padding shortcut,
// the whole map for global pooling, fully connected layers and flatten. ok is false
// for operations that read one position only (the field is unchanged); flat is set
// when the input is already a vector.
func fieldWindow(op *Op, in Shape) (k, s, p, d [2]int64, ok, flat bool) {
	one := [2]int64{1, 1}
	switch op.Kind {
	case OpConv, OpDWConv, OpMaxPool, OpAvgPool:
		return op.K, op.S, op.P, op.D, true, false
	case OpPadChannels:
		return one, op.S, [2]int64{}, one, true, false
	case OpGAP, OpFC, OpFlatten:
		return [2]int64{in.H, in.W}, one, [2]int64{}, one, !in.Flat, in.Flat
	}
	return k, s, p, d, false, false
}

// leafField moves the receptive field f past op: windows grow it, global pooling and
// fully connected layers cover the whole map, everything else keeps it.
func leafField(op *Op, in Shape, f *RF) error {
	k, s, p, d, ok, _ := fieldWindow(op, in)
	if op.Kind == OpGAP || op.Kind == OpFC {
		f.Global = true
	}
	if !ok {
		return nil
	}
	h, err := f.H.window(k[0], s[0], p[0], d[0])
	if err != nil {
		return err
	}
	w, err := f.W.window(k[1], s[1], p[1], d[1])
	if err != nil {
		return err
	}
	f.H, f.W = h, w
	return nil
}

// explainLeafField writes leafField's arithmetic.
func explainLeafField(op *Op, in Shape, from, to RF) string {
	k, s, p, d, ok, flat := fieldWindow(op, in)
	switch {
	case flat:
		return fmt.Sprintf("size %d, the field of the whole vector: every output reads every input (global)", to.H.Size)
	case !ok:
		return fmt.Sprintf("unchanged: %s (%s mixes no neighbouring pixels)", to, op.Kind)
	}
	h := from.H.explainWindow(k[0], s[0], p[0], d[0], to.H)
	w := from.W.explainWindow(k[1], s[1], p[1], d[1], to.W)
	var b strings.Builder
	if h == w {
		b.WriteString(h)
	} else {
		b.WriteString("height: " + h + "; width: " + w)
	}
	switch op.Kind {
	case OpGAP, OpFC:
		fmt.Fprintf(&b, " (a %d×%d window over the whole map: global)", in.H, in.W)
	case OpFlatten:
		fmt.Fprintf(&b, " (the union of the fields of all %d×%d positions)", in.H, in.W)
	}
	return b.String()
}
