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
	if op.PadAfter != [2]int64{} || op.Same {
		if op.Kind != OpConv && op.Kind != OpDWConv {
			return fmt.Errorf("asymmetric and \"same\" padding are for convolutions")
		}
		if op.P[0]+op.PadAfter[0] < 0 || op.P[1]+op.PadAfter[1] < 0 || op.PadAfter[0] > lim.MaxSpatial || op.PadAfter[1] > lim.MaxSpatial {
			return fmt.Errorf("padding must not be negative, got %d at the bottom and %d at the right", op.P[0]+op.PadAfter[0], op.P[1]+op.PadAfter[1])
		}
	}
	effH, effW := op.D[0]*(op.K[0]-1)+1, op.D[1]*(op.K[1]-1)+1
	padH, padW := in.H+2*op.P[0]+op.PadAfter[0], in.W+2*op.P[1]+op.PadAfter[1]
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

// spatialOut applies the window rule on both axes. Padding after the input (PadAfter)
// lengthens it: n + 2p + p′ in place of n + 2p.
func spatialOut(op *Op, in Shape) (h, w int64) {
	ceil := op.Ceil && (op.Kind == OpMaxPool || op.Kind == OpAvgPool)
	return windowOut(in.H+op.PadAfter[0], op.K[0], op.S[0], op.P[0], op.D[0], ceil),
		windowOut(in.W+op.PadAfter[1], op.K[1], op.S[1], op.P[1], op.D[1], ceil)
}

// explainSpatial writes spatialOut's arithmetic, once when both axes agree.
func explainSpatial(op *Op, in Shape, out Shape) string {
	ceil := op.Ceil && (op.Kind == OpMaxPool || op.Kind == OpAvgPool)
	axis := func(n, k, s, p, d, after int64) string {
		if after == 0 {
			return explainWindowOut(n, k, s, p, d, ceil)
		}
		inner := fmt.Sprintf("%d + %d + %d − %d", n, p, p+after, k)
		if d != 1 {
			inner = fmt.Sprintf("%d + %d + %d − %d·(%d − 1) − 1", n, p, p+after, d, k)
		}
		return fmt.Sprintf("⌊(%s)/%d⌋ + 1 = %d (padding %d before, %d after)", inner, s, windowOut(n+after, k, s, p, d, false), p, p+after)
	}
	h := axis(in.H, op.K[0], op.S[0], op.P[0], op.D[0], op.PadAfter[0])
	w := axis(in.W, op.K[1], op.S[1], op.P[1], op.D[1], op.PadAfter[1])
	if op.Same {
		h += fmt.Sprintf(" (\"same\": ⌈%d/%d⌉ outputs)", in.H, op.S[0])
		w += fmt.Sprintf(" (\"same\": ⌈%d/%d⌉ outputs)", in.W, op.S[1])
	}
	if h == w {
		return h + " → " + out.String()
	}
	return "height " + h + ", width " + w + " → " + out.String()
}

// samePadding resolves "same" padding for input in, TensorFlow's rule per axis:
//
//	n′ = ⌈n/s⌉,  total = max((n′ − 1)·s + d·(k − 1) + 1 − n, 0)
//	before = ⌊total/2⌋, after = total − before
//
// (for stride 1, total = d·(k − 1): PyTorch's padding="same"). An operation without
// "same" padding is returned as it is.
func samePadding(op *Op, in Shape) *Op {
	if !op.Same || in.Flat {
		return op
	}
	o := *op
	for axis, n := range [2]int64{in.H, in.W} {
		k, s, d := o.K[axis], o.S[axis], o.D[axis]
		if k < 1 || s < 1 || d < 1 || k > maxFieldPixels || d > maxFieldPixels {
			return op // checkWindow refuses it
		}
		out := (n + s - 1) / s
		total := max((out-1)*s+d*(k-1)+1-n, 0)
		o.P[axis] = total / 2
		o.PadAfter[axis] = total - 2*(total/2)
	}
	return &o
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
	op = samePadding(op, in)
	switch op.Kind {
	case OpConvT:
		return convTFigures(op, in, lim, x)
	case OpUpsample:
		return upsampleFigures(op, in, lim, x)
	case OpCrop:
		return cropFigures(op, in, x)
	case OpSE:
		return seFigures(op, in, lim, x)
	case OpLayerNorm:
		params := 2 * in.C
		other, err := mul(4, in.Elements())
		if err != nil {
			return leafFigures{}, err
		}
		if x != nil {
			x.Out = "same shape " + in.String() + ", each position's " + fmt.Sprint(in.C) + " channel values normalised to mean 0 and variance 1"
			x.Params = fmt.Sprintf("2·%d = %s (γ and β per channel; the statistics are computed at every position, so there are no running buffers)", in.C, Group(params))
			x.MACs = fmt.Sprintf("0 (counted apart: a sum and a sum of squares for the statistics, then a scale and a shift, 4·%s = %s)", Group(in.Elements()), Group(other))
		}
		return leafFigures{out: in, params: params, other: other, activations: in.Elements()}, nil
	case OpLayerScale:
		if x != nil {
			x.Out = "same shape " + in.String() + ", each channel multiplied by its learned scale"
			x.Params = fmt.Sprintf("%d (one scale per channel, started small — 10⁻⁶ in ConvNeXt — so that a new block begins close to the identity)", in.C)
			x.MACs = fmt.Sprintf("0 (counted apart: one multiplication per element, %s)", Group(in.Elements()))
		}
		return leafFigures{out: in, params: in.C, other: in.Elements(), activations: in.Elements()}, nil
	case OpSiLU, OpHSigmoid, OpGELU:
		if x != nil {
			x.Out = "same shape " + in.String() + " (element-wise, in place)"
			x.Params = "0: an activation function has no weights"
			x.MACs = fmt.Sprintf("0 (counted apart: one operation per element, %s)", Group(in.Elements()))
		}
		return leafFigures{out: in, other: in.Elements()}, nil
	case OpDropPath:
		if x != nil {
			x.Out = fmt.Sprintf("same shape %s (stochastic depth: while training, drops the whole residual body for a random %g of the samples; at inference it does nothing)", in, op.Rate)
			x.Params, x.MACs = "0", "0"
		}
		return leafFigures{out: in}, nil
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
		op = samePadding(op, in)
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
	switch op.Kind {
	case OpConvT, OpUpsample:
		k, s, p, d := transposedWindow(op)
		h, err := f.H.transposed(k[0], s[0], p[0], d[0])
		if err != nil {
			return err
		}
		w, err := f.W.transposed(k[1], s[1], p[1], d[1])
		if err != nil {
			return err
		}
		f.H, f.W = h, w
		return nil
	case OpCrop:
		offH, offW := cropOffsets(op, in)
		f.H, f.W = f.H.shifted(offH), f.W.shifted(offW)
		return nil
	case OpSE:
		// The gate reads the whole map but only rescales channels: each output unit
		// still sees its own window of the input, plus a global summary.
		f.Global = true
		return nil
	}
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
	switch op.Kind {
	case OpConvT, OpUpsample:
		k, s, p, d := transposedWindow(op)
		h := from.H.explainTransposed(k[0], s[0], p[0], d[0], to.H)
		w := from.W.explainTransposed(k[1], s[1], p[1], d[1], to.W)
		what := ""
		if op.Kind == OpUpsample {
			what = fmt.Sprintf(" (a %s upsampling by %d reads the input units of a %d×%d transposed window, stride %d, padding %d)", op.Mode, op.Scale, k[0], k[1], s[0], p[0])
		}
		if h == w {
			return h + what
		}
		return "height: " + h + "; width: " + w + what
	case OpCrop:
		offH, offW := cropOffsets(op, in)
		return fmt.Sprintf("size %d, jump %d; start %d + %d·%d = %d (the crop drops the first %d rows and %d columns)", to.H.Size, to.H.Jump, from.H.Start, offH, from.H.Jump, to.H.Start, offH, offW)
	case OpSE:
		return fmt.Sprintf("%s: the gate pools the whole map into one weight per channel, so every output also depends on the whole input (global); the window each unit sees is unchanged", to)
	}
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

// transposedOut is the output length of a transposed convolution along one axis,
// PyTorch's rule (the inverse of windowOut):
//
//	n′ = (n − 1)·s − 2p + d·(k − 1) + output_padding + 1
func transposedOut(n, k, s, p, d, outPad int64) int64 {
	return (n-1)*s - 2*p + d*(k-1) + outPad + 1
}

// convTFigures: a transposed convolution scatters each of its H·W·Cin inputs through a
// kh×kw kernel into Cout/groups output channels (U-Net's "up-convolution"):
//
//	params = kh·kw·(Cout/groups)·Cin + Cout (bias)
//	MACs   = H·W·Cin · kh·kw·(Cout/groups)
//
// counted on the input side, as fvcore and ptflops do: every input value is multiplied
// by every weight of its group once.
func convTFigures(op *Op, in Shape, lim *Limits, x *Explanation) (leafFigures, error) {
	if in.Flat {
		return leafFigures{}, fmt.Errorf("convt needs a spatial input, got a vector of %s features", Group(in.C))
	}
	for axis := range 2 {
		switch {
		case op.K[axis] < 1 || op.S[axis] < 1 || op.D[axis] < 1:
			return leafFigures{}, fmt.Errorf("kernel, stride and dilation must be at least 1")
		case op.P[axis] < 0 || op.OutPad[axis] < 0:
			return leafFigures{}, fmt.Errorf("padding and output padding must not be negative")
		case op.K[axis] > lim.MaxSpatial || op.S[axis] > lim.MaxSpatial || op.P[axis] > lim.MaxSpatial || op.D[axis] > lim.MaxSpatial:
			return leafFigures{}, fmt.Errorf("kernel, stride, padding and dilation are limited to %s", Group(lim.MaxSpatial))
		case op.OutPad[axis] >= max(op.S[axis], op.D[axis]):
			return leafFigures{}, fmt.Errorf("output padding %d must be smaller than the stride or the dilation (PyTorch refuses it)", op.OutPad[axis])
		}
	}
	cin, cout, groups := in.C, op.Out, max(op.Groups, 1)
	if cout < 1 || cout > lim.MaxChannels {
		return leafFigures{}, fmt.Errorf("output channels must be between 1 and %s, got %s", Group(lim.MaxChannels), Group(cout))
	}
	if cin%groups != 0 || cout%groups != 0 {
		return leafFigures{}, fmt.Errorf("groups %d must divide the input channels %d and the output channels %d", groups, cin, cout)
	}
	h := transposedOut(in.H, op.K[0], op.S[0], op.P[0], op.D[0], op.OutPad[0])
	w := transposedOut(in.W, op.K[1], op.S[1], op.P[1], op.D[1], op.OutPad[1])
	if h < 1 || w < 1 {
		return leafFigures{}, fmt.Errorf("the padding %d×%d removes the whole %d×%d output", op.P[0], op.P[1], h+2*op.P[0], w+2*op.P[1])
	}
	if h > lim.MaxSpatial || w > lim.MaxSpatial {
		return leafFigures{}, fmt.Errorf("%d×%d exceeds the limit of %s pixels a side", h, w, Group(lim.MaxSpatial))
	}
	out := Shape{C: cout, H: h, W: w}
	perInput, err := mul(op.K[0], op.K[1], cout/groups)
	if err != nil {
		return leafFigures{}, err
	}
	params, err := mul(perInput, cin)
	if err != nil {
		return leafFigures{}, err
	}
	if op.Bias {
		params += cout
	}
	macs, err := mul(in.H, in.W, cin, perInput)
	if err != nil {
		return leafFigures{}, err
	}
	if x != nil {
		axis := func(n, k, s, p, d, o int64) string {
			t := fmt.Sprintf("(%d − 1)·%d − 2·%d + %d", n, s, p, k-1)
			if d != 1 {
				t = fmt.Sprintf("(%d − 1)·%d − 2·%d + %d·(%d − 1)", n, s, p, d, k)
			}
			if o != 0 {
				t += fmt.Sprintf(" + %d", o)
			}
			return fmt.Sprintf("%s + 1 = %d", t, transposedOut(n, k, s, p, d, o))
		}
		ah := axis(in.H, op.K[0], op.S[0], op.P[0], op.D[0], op.OutPad[0])
		aw := axis(in.W, op.K[1], op.S[1], op.P[1], op.D[1], op.OutPad[1])
		x.Out = ah + " → " + out.String()
		if ah != aw {
			x.Out = "height " + ah + ", width " + aw + " → " + out.String()
		}
		coutPerGroup := fmt.Sprint(cout)
		if groups > 1 {
			coutPerGroup = fmt.Sprintf("(%d/%d)", cout, groups)
		}
		x.Params = fmt.Sprintf("%d·%d·%s·%d", op.K[0], op.K[1], coutPerGroup, cin)
		if op.Bias {
			x.Params += fmt.Sprintf(" + %d", cout)
		}
		x.Params += " = " + Group(params)
		x.MACs = fmt.Sprintf("%d·%d·%d inputs · %d·%d·%s each = %s (every input is scattered through the kernel)", in.H, in.W, cin, op.K[0], op.K[1], coutPerGroup, Group(macs))
	}
	return leafFigures{out: out, params: params, macs: macs, activations: out.Elements(), weighted: true}, nil
}

// transposedWindow is the transposed window of a transposed convolution, or the one
// that reads the same input units as an upsampling (upsampleWindow).
func transposedWindow(op *Op) (k, s, p, d [2]int64) {
	if op.Kind == OpUpsample {
		kk, ss, pp := upsampleWindow(op.Mode, max(op.Scale, 1))
		return [2]int64{kk, kk}, [2]int64{ss, ss}, [2]int64{pp, pp}, [2]int64{1, 1}
	}
	return op.K, op.S, op.P, op.D
}

// upsampleFigures: resizing by an integer factor f has no weights:
//
//	H′ = f·H, W′ = f·W
//
// nearest copies each value f² times; bilinear interpolates each output from four
// inputs (counted apart as 4 operations per output).
func upsampleFigures(op *Op, in Shape, lim *Limits, x *Explanation) (leafFigures, error) {
	if in.Flat {
		return leafFigures{}, fmt.Errorf("upsample needs a spatial input, got a vector of %s features", Group(in.C))
	}
	f := op.Scale
	if f < 1 || f > lim.MaxSpatial {
		return leafFigures{}, fmt.Errorf("the upsampling factor must be between 1 and %s, got %d", Group(lim.MaxSpatial), f)
	}
	if op.Mode != "nearest" && op.Mode != "bilinear" {
		return leafFigures{}, fmt.Errorf("upsampling mode %q: nearest or bilinear", op.Mode)
	}
	h, err := mul(in.H, f)
	if err != nil {
		return leafFigures{}, err
	}
	w, err := mul(in.W, f)
	if err != nil {
		return leafFigures{}, err
	}
	if h > lim.MaxSpatial || w > lim.MaxSpatial {
		return leafFigures{}, fmt.Errorf("%d×%d exceeds the limit of %s pixels a side", h, w, Group(lim.MaxSpatial))
	}
	out := Shape{C: in.C, H: h, W: w}
	var other int64
	if op.Mode == "bilinear" {
		if other, err = mul(4, out.Elements()); err != nil {
			return leafFigures{}, err
		}
	}
	if x != nil {
		x.Out = fmt.Sprintf("%d·%d = %d, %d·%d = %d → %s", in.H, f, h, in.W, f, w, out)
		x.Params = "0: resizing has no weights"
		x.MACs = "0 (each output copies its nearest input)"
		if op.Mode == "bilinear" {
			x.MACs = fmt.Sprintf("0 (counted apart: each output weighs 4 inputs, 4·%s = %s)", Group(out.Elements()), Group(other))
		}
	}
	return leafFigures{out: out, other: other, activations: out.Elements()}, nil
}

// cropOffsets is where a centre crop starts: ⌊(H − h)/2⌋ rows and ⌊(W − w)/2⌋ columns
// in (U-Net's "copy and crop", as torchvision's center_crop rounds).
func cropOffsets(op *Op, in Shape) (h, w int64) {
	return max(in.H-op.CropTo[0], 0) / 2, max(in.W-op.CropTo[1], 0) / 2
}

// cropFigures: a centre crop keeps an h×w window of every channel; no weights, no
// arithmetic.
func cropFigures(op *Op, in Shape, x *Explanation) (leafFigures, error) {
	if in.Flat {
		return leafFigures{}, fmt.Errorf("crop needs a spatial input, got a vector of %s features", Group(in.C))
	}
	h, w := op.CropTo[0], op.CropTo[1]
	if h < 1 || w < 1 || h > in.H || w > in.W {
		return leafFigures{}, fmt.Errorf("cannot crop %d×%d out of %s", h, w, in)
	}
	out := Shape{C: in.C, H: h, W: w}
	if x != nil {
		offH, offW := cropOffsets(op, in)
		x.Out = fmt.Sprintf("the central %d×%d of %d×%d, from row ⌊(%d − %d)/2⌋ = %d and column %d → %s", h, w, in.H, in.W, in.H, h, offH, offW, out)
		x.Params, x.MACs = "0: a crop only selects", "0"
	}
	return leafFigures{out: out, activations: out.Elements()}, nil
}

// seFigures: a squeeze-and-excitation gate pools each of the C channels to one number,
// maps the C numbers through Squeeze units and back (two 1×1 layers with biases, the
// activation Act between them), turns them into weights with Gate, and multiplies each
// channel by its weight:
//
//	params = C·S + S + S·C + C
//	MACs   = C·S + S·C
//
// The pooling, the activations and the scaling are counted apart: H·W·C additions,
// S + C activations and H·W·C multiplications.
func seFigures(op *Op, in Shape, lim *Limits, x *Explanation) (leafFigures, error) {
	if in.Flat {
		return leafFigures{}, fmt.Errorf("se needs a spatial input, got a vector of %s features", Group(in.C))
	}
	sq, c := op.Squeeze, in.C
	if sq < 1 || sq > lim.MaxChannels {
		return leafFigures{}, fmt.Errorf("the squeezed width must be between 1 and %s, got %d", Group(lim.MaxChannels), sq)
	}
	macs, err := mul(2, c, sq)
	if err != nil {
		return leafFigures{}, err
	}
	params := macs + sq + c
	other, err := mul(2, in.Elements())
	if err != nil {
		return leafFigures{}, err
	}
	other += sq + c
	if x != nil {
		x.Out = fmt.Sprintf("same shape %s: gap → %d → %s → %d → %s, and each channel scaled by its weight", in, sq, op.Act, c, op.Gate)
		x.Params = fmt.Sprintf("%d·%d + %d + %d·%d + %d = %s (two 1×1 layers with biases)", c, sq, sq, sq, c, c, Group(params))
		x.MACs = fmt.Sprintf("%d·%d + %d·%d = %s (on the pooled 1×1 map; the pooling, activations and scaling, %s operations, are counted apart)", c, sq, sq, c, Group(macs), Group(other))
	}
	return leafFigures{out: in, params: params, macs: macs, other: other, activations: in.Elements()}, nil
}
