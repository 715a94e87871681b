package templates

import (
	"fmt"
	"slices"

	"convatlas/chart"
	"convatlas/diagram"
	"convatlas/engine"
)

// LayerPanel is what the layer panel shows of one layer.
type LayerPanel struct {
	ArchID   string
	Report   *engine.Report
	Layer    *engine.Layer
	Explain  engine.Explanation
	Words    string // what the layer does, in plain words
	Settings string // "11×11, stride 4, padding 0, 96 filters"
	Inputs   []string
	Prev     *engine.Layer // the layer before, drawn or folded (Shift+←)
	Next     *engine.Layer // the layer after (Shift+→)
	PrevBox  *engine.Layer // the drawn box before this layer's box (←)
	NextBox  *engine.Layer // the drawn box after (→)
	First    *engine.Layer // the first box; nil when this layer is in it
	Last     *engine.Layer // the last box; nil when this layer is in it
	Box      int           // the position of this layer's box among the drawn ones, from 1
	Boxes    int           // how many boxes the network draws
	Query    string        // the diagram's state, carried by the stepping links
	Field    diagram.FieldPicture
	Chart    *chart.LineChart
}

// Describe says in plain words what a layer does.
func Describe(r *engine.Report, l *engine.Layer) string {
	op := l.Operation()
	if op == nil {
		switch l.Op {
		case "concat":
			return fmt.Sprintf("Stacks the outputs of its %d paths along the channels: no parameters, no multiply-adds, but a new tensor in memory.", len(l.Inputs))
		case "add":
			return "Adds its inputs element by element: the shortcut's sum, so that the block only has to learn a residual."
		case "mul":
			return "Multiplies element by element; a 1×1 gate scales whole channels (squeeze-and-excitation)."
		case "mean":
			return "Averages its paths element by element (FractalNet's join)."
		}
		return ""
	}
	in := l.In
	switch engine.OpKind(l.Op) {
	case engine.OpConv:
		per := in.C / op.Groups
		s := fmt.Sprintf("Slides %d filters of %d×%d×%d over the input with stride %d; each output value is a weighted sum of one window", l.Out.C, op.K[0], op.K[1], per, op.S[0])
		if op.Bias {
			s += " plus a bias"
		}
		s += "."
		if op.Groups > 1 {
			s += fmt.Sprintf(" The channels are split into %d groups, and each filter sees only its group's %d channels.", op.Groups, per)
		}
		if op.K[0] == 1 && op.K[1] == 1 {
			s += " A 1×1 convolution mixes channels without looking at neighbouring pixels."
		}
		return s
	case engine.OpDWConv:
		return fmt.Sprintf("Filters each of the %d channels separately with its own %d×%d kernel (depthwise): spatial filtering at a fraction of a full convolution's cost.", in.C, op.K[0], op.K[1])
	case engine.OpFC:
		return fmt.Sprintf("Connects every one of the %s inputs to each of the %s outputs: most parameters of classic networks sit here.", engine.Group(in.Elements()), engine.Group(l.Out.C))
	case engine.OpMaxPool:
		return fmt.Sprintf("A pooling layer has no parameters: it only selects the largest value in each %d×%d window (stride %d), shrinking the map.", op.K[0], op.K[1], op.S[0])
	case engine.OpAvgPool:
		return fmt.Sprintf("A pooling layer has no parameters: it averages each %d×%d window (stride %d), shrinking the map.", op.K[0], op.K[1], op.S[0])
	case engine.OpGAP:
		return fmt.Sprintf("Averages each channel over the whole %d×%d map: one number per channel, whatever the input size.", in.H, in.W)
	case engine.OpBN:
		return "Normalises each channel with the batch's mean and variance, then scales and shifts it with two learned numbers per channel."
	case engine.OpLRN:
		return "Divides each value by the energy of the same position in neighbouring channels (AlexNet's local response normalisation); no learned parameters."
	case engine.OpReLU:
		return "Keeps positive values and sets negative ones to zero, element by element."
	case engine.OpReLU6:
		return "ReLU capped at 6, element by element (robust in low precision)."
	case engine.OpSigmoid:
		return "Squashes each value into (0, 1), element by element."
	case engine.OpHSwish:
		return "A cheap approximation of swish, x·ReLU6(x + 3)/6, element by element."
	case engine.OpTanh:
		return "Squashes each value into (−1, 1), element by element."
	case engine.OpSoftmax:
		return "Turns the scores into probabilities that sum to one."
	case engine.OpDropout:
		return fmt.Sprintf("While training, zeroes a random %g of the values; at inference it does nothing.", op.Rate)
	case engine.OpFlatten:
		return "Lays the volume out as one vector, without copying."
	case engine.OpShuffle:
		return fmt.Sprintf("Reorders the channels so that each of the %d groups of the next grouped convolution sees channels from every group.", op.Groups)
	case engine.OpPadChannels:
		return "The parameter-free shortcut: keeps every other pixel and pads the missing channels with zeros."
	case engine.OpIdentity:
		return "Passes its input on unchanged."
	case engine.OpSiLU:
		return "SiLU (swish), x·σ(x): a smooth ReLU that lets small negative values through, element by element."
	case engine.OpHSigmoid:
		return "A cheap, piecewise-linear sigmoid, ReLU6(x + 3)/6, element by element (MobileNetV3's gates)."
	case engine.OpGELU:
		return "GELU, x·Φ(x): each value weighted by the probability that a standard normal variable is below it (the transformers' activation)."
	case engine.OpLayerNorm:
		return fmt.Sprintf("Normalises the %d channel values at each position to mean 0 and variance 1, then scales and shifts them with two learned numbers per channel; unlike batch norm it needs no batch statistics.", in.C)
	case engine.OpLayerScale:
		return "Multiplies each channel by a learned number, started very small so that a new residual block begins close to the identity."
	case engine.OpDropPath:
		return fmt.Sprintf("Stochastic depth: while training, drops the whole residual body for a random %g of the images, leaving only the shortcut; at inference it does nothing.", op.Rate)
	case engine.OpSE:
		return fmt.Sprintf("Squeeze-and-excitation: pools each of the %d channels over the whole map, maps the numbers through %d units (%s) and back, turns them into weights with %s, and scales each channel by its weight.", in.C, op.Squeeze, op.Act, op.Gate)
	case engine.OpConvT:
		return fmt.Sprintf("A transposed convolution (up-convolution): each input value is spread through a %d×%d kernel into the output, which grows by the stride %d.", op.K[0], op.K[1], op.S[0])
	case engine.OpUpsample:
		return fmt.Sprintf("Enlarges the map %d times in each direction by %s interpolation; no weights.", op.Scale, op.Mode)
	case engine.OpCrop:
		return fmt.Sprintf("Keeps the central %d×%d of the map, so that it can be concatenated with a smaller one.", op.CropTo[0], op.CropTo[1])
	}
	return ""
}

// Settings writes a layer's settings in words.
func Settings(l *engine.Layer) string {
	op := l.Operation()
	if op == nil {
		return fmt.Sprintf("%s of %d inputs", l.Op, len(l.Inputs))
	}
	switch engine.OpKind(l.Op) {
	case engine.OpConv, engine.OpDWConv, engine.OpMaxPool, engine.OpAvgPool:
		s := fmt.Sprintf("kernel %d×%d, stride %s, padding %s", op.K[0], op.K[1], pair(op.S), pair(op.P))
		if op.D[0] > 1 || op.D[1] > 1 {
			s += ", dilation " + pair(op.D)
		}
		if l.Op == "conv" {
			s += fmt.Sprintf(", %d filters", l.Out.C)
			if op.Groups > 1 {
				s += fmt.Sprintf(", %d groups", op.Groups)
			}
			if !op.Bias {
				s += ", no bias"
			}
		}
		if op.Ceil {
			s += ", ceil mode"
		}
		return s
	case engine.OpFC:
		if op.Bias {
			return fmt.Sprintf("%d outputs", l.Out.C)
		}
		return fmt.Sprintf("%d outputs, no bias", l.Out.C)
	}
	return diagram.Label(l)
}

func pair(v [2]int64) string {
	if v[0] == v[1] {
		return fmt.Sprint(v[0])
	}
	return fmt.Sprintf("%d×%d", v[0], v[1])
}

// layerURL is a layer's permalink, keeping the diagram's state.
func layerURL(id, layer, query string) string {
	return "/a/" + id + "/layer/" + layer + query
}

func stageNote(l *engine.Layer) string {
	switch {
	case l.Aux:
		return " · auxiliary classifier (training only)"
	case l.Stage != "":
		return " · stage " + l.Stage
	}
	return ""
}

func inputsText(p *LayerPanel) string {
	if len(p.Inputs) == 1 {
		return p.Inputs[0]
	}
	s := ""
	for i, in := range p.Inputs {
		if i > 0 {
			s += " and "
		}
		s += in
	}
	return s
}

// memoryFormula is a layer's activation memory in bytes at fp32 and fp16.
func memoryFormula(l *engine.Layer) string {
	if l.Activations == 0 {
		return "0: computed in place or a view of its input (see the conventions)"
	}
	return fmt.Sprintf("%s · 4 B = %s at fp32 (%s at fp16)", engine.Group(l.Activations), Bytes(4*l.Activations), Bytes(2*l.Activations))
}

// memoryNote is what training adds to a layer's activation memory.
func memoryNote(l *engine.Layer) string {
	if l.Activations == 0 {
		return "nothing kept for the backward pass beyond its input"
	}
	return fmt.Sprintf("kept for the backward pass: about 2× in all, %s at fp32", Bytes(8*l.Activations))
}

func stepRel(rel string) string {
	if rel == "prev" || rel == "next" {
		return rel
	}
	return ""
}

func stepAria(rel string) string {
	switch rel {
	case "first":
		return "First box"
	case "last":
		return "Last box"
	case "prev":
		return "Previous box"
	case "prev-op":
		return "Previous operation"
	case "next-op":
		return "Next operation"
	}
	return "Next box"
}

// NewLayerPanel gathers what the panel shows of layer i.
func NewLayerPanel(archID string, r *engine.Report, i int, query string) *LayerPanel {
	return NewLayerPanelOn(archID, r, i, query, RFChart(r))
}

// RFChart is the receptive-field size of every layer (auxiliary heads aside), in
// order: the chart of the layer panel, before a layer is marked on it.
func RFChart(r *engine.Report) *chart.LineChart {
	var xs, ys []float64
	for k := range r.Layers {
		if r.Layers[k].Aux {
			continue
		}
		xs = append(xs, float64(k+1))
		ys = append(ys, float64(r.Layers[k].RF.H.Size))
	}
	return chart.NewLineChart("Receptive field size by layer", "layer (in order)", "field (pixels)", [][]float64{xs}, [][]float64{ys}, []string{"receptive field"}, -1)
}

// NewLayerPanelOn is NewLayerPanel with the network's RFChart made once by the caller
// (the static export makes every panel of a network); layer i is marked on a copy.
func NewLayerPanelOn(archID string, r *engine.Report, i int, query string, chart *chart.LineChart) *LayerPanel {
	l := &r.Layers[i]
	p := &LayerPanel{ArchID: archID, Report: r, Layer: l, Explain: r.Explain(i), Words: Describe(r, l), Settings: Settings(l), Query: query}
	for _, k := range l.Inputs {
		if k < 0 {
			p.Inputs = append(p.Inputs, r.Input.String()+" (the image)")
		} else {
			p.Inputs = append(p.Inputs, r.Layers[k].Out.String()+" from "+r.Layers[k].Name)
		}
	}
	if i > 0 {
		p.Prev = &r.Layers[i-1]
	}
	if i+1 < len(r.Layers) {
		p.Next = &r.Layers[i+1]
	}
	drawn := diagram.DrawnLayers(r)
	prev, next := boxSteps(drawn, i)
	if prev >= 0 {
		p.PrevBox, p.First = &r.Layers[prev], &r.Layers[drawn[0]]
	}
	if next >= 0 {
		p.NextBox, p.Last = &r.Layers[next], &r.Layers[drawn[len(drawn)-1]]
	}
	p.Box, _ = slices.BinarySearch(drawn, i+1)
	p.Boxes = len(drawn)
	p.Field = diagram.NewFieldPicture(r, l)
	c := *chart
	c.Mark = nil
	if !l.Aux && len(c.Series) > 0 {
		mark := 0
		for k := 0; k < i; k++ {
			if !r.Layers[k].Aux {
				mark++
			}
		}
		if mark < len(c.Series[0].Points) {
			m := c.Series[0].Points[mark]
			c.Mark = &m
		}
	}
	p.Chart = &c
	return p
}
