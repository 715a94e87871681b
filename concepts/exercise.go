package concepts

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"convatlas/diagram"
	"convatlas/engine"
	"convatlas/templates"
)

// An exercise asks for one figure of one layer of one network — its output volume,
// parameters, multiply-adds, activation memory or receptive field — and checks a
// learner's answer against the engine. A wrong answer is compared with what the usual
// slips would have given (the bias forgotten, 224 instead of 227, no padding, FLOPs
// for MACs), each computed by the engine's own formulas on the changed layer, so the
// feedback names the step that differs.

// The limits of exercises, each with its reason; every one is checked before any work.
const (
	// MaxQuestions bounds a worksheet: the lecture's has 12; a class sheet rarely 20.
	MaxQuestions = 40
	// MaxSpecBytes bounds one question of a worksheet URL ("alexnet/conv1:out,params");
	// the longest layer name of the catalogue is under 60 bytes.
	MaxSpecBytes = 160
	// MaxWorksheetBytes bounds a worksheet's query string: 40 questions of typical
	// length, well under the 8 KB that servers and browsers accept in a URL.
	MaxWorksheetBytes = 4096
	// MaxAnswerBytes bounds an answer: "1,234,567,890 values" or "224 × 224 × 3" fit.
	MaxAnswerBytes = 64
	// MaxTitleBytes bounds a worksheet's title (?t=): one line of a heading.
	MaxTitleBytes = 120
	// MaxFormBytes bounds the form that sends answers (POST /exercises/check): the
	// questions, every answer and the title, with room for URL encoding.
	MaxFormBytes = 16 << 10
	// EstimateTolerance is how far an estimate may be from the figure, relative (5%):
	// 3.5e4 for 34,944 (0.2%), 61M for 60,965,224 (0.06%).
	EstimateTolerance = 0.05
)

// QuestionKind is what a question asks for.
type QuestionKind string

// The kinds of question.
const (
	AskOut    QuestionKind = "out"    // the output volume
	AskParams QuestionKind = "params" // weights and biases
	AskMACs   QuestionKind = "macs"   // multiply-adds
	AskMemory QuestionKind = "memory" // values of the output kept in memory
	AskRF     QuestionKind = "rf"     // receptive field of an output unit, in input pixels
)

// QuestionKinds lists the kinds in the order a worksheet shows them.
var QuestionKinds = []QuestionKind{AskOut, AskParams, AskMACs, AskMemory, AskRF}

// KindLabel names a kind for a form.
func KindLabel(k QuestionKind) string {
	return map[QuestionKind]string{AskOut: "output volume", AskParams: "parameters", AskMACs: "multiply-adds", AskMemory: "activation memory", AskRF: "receptive field"}[k]
}

// Spec names one question: network, layer, kind, and whether an estimate is enough.
// Written "alexnet/conv1:params" or, for an estimate, "alexnet/conv1:params~".
type Spec struct {
	Net, Layer string
	Kind       QuestionKind
	Estimate   bool
}

func (s Spec) String() string {
	t := ""
	if s.Estimate {
		t = "~"
	}
	return s.Net + "/" + s.Layer + ":" + string(s.Kind) + t
}

// ParseSpecs reads the questions of a worksheet: each item is "net/layer:kind,kind~"
// (one layer, one or more kinds). The whole is refused past the limits, naming the item.
func ParseSpecs(items []string) ([]Spec, error) {
	total := 0
	for _, it := range items {
		total += len(it) + 3
	}
	if total > MaxWorksheetBytes {
		return nil, fmt.Errorf("the worksheet is %d bytes, more than the limit of %d", total, MaxWorksheetBytes)
	}
	var out []Spec
	for i, it := range items {
		if len(it) > MaxSpecBytes {
			return nil, fmt.Errorf("question %d is %d bytes, more than the limit of %d", i+1, len(it), MaxSpecBytes)
		}
		where, kinds, ok := strings.Cut(it, ":")
		net, layer, ok2 := strings.Cut(where, "/")
		if !ok || !ok2 || net == "" || layer == "" || kinds == "" {
			return nil, fmt.Errorf("question %d (%q) is not written net/layer:kind, as in alexnet/conv1:out,params", i+1, it)
		}
		for _, k := range strings.Split(kinds, ",") {
			s := Spec{Net: net, Layer: layer}
			k, s.Estimate = strings.CutSuffix(k, "~")
			s.Kind = QuestionKind(k)
			if KindLabel(s.Kind) == "" {
				return nil, fmt.Errorf("question %d (%q): %q is not a kind of question; the kinds are out, params, macs, memory and rf (add ~ to accept an estimate)", i+1, it, k)
			}
			out = append(out, s)
			if len(out) > MaxQuestions {
				return nil, fmt.Errorf("a worksheet has at most %d questions", MaxQuestions)
			}
		}
	}
	return out, nil
}

// Question is one exercise with its worked answer.
type Question struct {
	Spec
	NetName string
	Prompt  string // "Output volume of conv1 (11×11 conv, 96, /4) on its 227×227×3 input?"
	Hint    string // the form of the answer: "H×W×C, as 55×55×96"
	Answer  string // the figure as the atlas writes it: "55×55×96", "34,944"
	Formula string // how it is computed, the numbers substituted

	want     int64
	shape    engine.Shape // AskOut
	rf       [2]int64     // AskRF: height, width
	mistakes []mistake
}

// mistake is what a common slip gives, and how to say so.
type mistake struct {
	value int64
	shape *engine.Shape
	why   string
}

// Verdict is the checker's answer to an answer.
type Verdict struct {
	Correct bool
	Close   bool   // an estimate within tolerance where the exact figure was asked
	Message string // what the checker says first: right, close, wrong, or why it cannot read it
	Mistake string // when wrong: the step that differs, if a usual slip explains it
	Answer  string // the figure
	Formula string // its formula, the numbers substituted
	Invalid bool   // the answer could not be read (no formula shown yet)
}

// Ask makes the question of spec about layer name of report r (a network called netName).
func Ask(r *engine.Report, netName string, s Spec) (*Question, error) {
	l, ok := r.Layer(s.Layer)
	if !ok {
		return nil, fmt.Errorf("%s has no layer %q", netName, s.Layer)
	}
	if l.Aux {
		return nil, fmt.Errorf("%s is part of an auxiliary classifier; ask about a layer used at inference", s.Layer)
	}
	q := &Question{Spec: s, NetName: netName}
	x := r.Explain(l.Index)
	what := diagram.Label(l)
	if what != l.Name && what != l.Op {
		what = l.Name + " (" + what + ")"
	} else {
		what = l.Name + " (" + l.Op + ")"
	}
	op := l.Operation()
	switch s.Kind {
	case AskOut:
		q.Prompt = fmt.Sprintf("Output volume of %s, on its %s input?", what, inputDesc(r, l))
		q.Hint = "H×W×C as 55×55×96 (C×H×W as 96×55×55 is read too), or N for a vector"
		q.shape, q.Answer, q.Formula = l.Out, l.Out.String(), x.Out
		q.mistakes = outMistakes(r, l, op)
	case AskParams:
		q.Prompt = fmt.Sprintf("Parameters of %s (weights and biases)?", what)
		q.Hint = "a count, as 34,944 or 34944"
		q.want, q.Answer, q.Formula = l.Params, engine.Group(l.Params), x.Params
		q.mistakes = paramMistakes(l, op)
	case AskMACs:
		q.Prompt = fmt.Sprintf("Multiply-adds (MACs) of %s?", what)
		q.Hint = "a count, as 105,415,200 or 1.05e8"
		q.want, q.Answer, q.Formula = l.MACs, engine.Group(l.MACs), x.MACs
		q.mistakes = macMistakes(r, l, op)
	case AskMemory:
		if l.Activations == 0 {
			return nil, fmt.Errorf("%s keeps no values of its own (it runs in place or is a view); ask for its output volume instead", l.Name)
		}
		q.Prompt = fmt.Sprintf("Activation memory of %s's output: how many values, or how many bytes at fp32?", what)
		q.Hint = "values, as 290,400, or bytes with a unit, as 1.16 MB"
		q.want, q.Answer = l.Activations, engine.Group(l.Activations)+" values"
		q.Formula = fmt.Sprintf("%s = %s values · 4 bytes = %s bytes (%s) at fp32", memoryTerms(l), engine.Group(l.Activations), engine.Group(4*l.Activations), templates.Bytes(4*l.Activations))
		q.mistakes = memoryMistakes(r, l, op)
	case AskRF:
		q.Prompt = fmt.Sprintf("Receptive field of one output unit of %s, in input pixels?", what)
		q.Hint = "a size, as 11 or 11×11"
		q.rf = [2]int64{l.RF.H.Size, l.RF.W.Size}
		q.Answer = fmt.Sprintf("%d×%d", l.RF.H.Size, l.RF.W.Size)
		q.Formula = x.RF
		q.mistakes = fieldMistakes(r, l, op)
	default:
		return nil, fmt.Errorf("%q is not a kind of question", s.Kind)
	}
	return q, nil
}

// inputDesc writes what a layer reads: one shape, or the shapes of a merge's inputs.
func inputDesc(r *engine.Report, l *engine.Layer) string {
	if len(l.Inputs) < 2 {
		return l.In.String()
	}
	var parts []string
	for _, k := range l.Inputs {
		s := r.Input
		if k >= 0 {
			s = r.Layers[k].Out
		}
		parts = append(parts, s.String())
	}
	return strings.Join(parts, " and ")
}

func memoryTerms(l *engine.Layer) string {
	if l.Out.Flat {
		return engine.Group(l.Out.C)
	}
	return fmt.Sprintf("%d·%d·%d", l.Out.H, l.Out.W, l.Out.C)
}

// variant is the figures of op with a change, by the engine's formulas; ok is false
// when the changed layer is impossible (a kernel larger than the input).
func variant(op *engine.Op, in engine.Shape, change func(o *engine.Op, in *engine.Shape)) (engine.Figures, bool) {
	if op == nil {
		return engine.Figures{}, false
	}
	o := *op
	change(&o, &in)
	f, _, err := engine.Leaf(o, in)
	return f, err == nil
}

// otherInputSize is the input size a learner may take by mistake: AlexNet's 227 is
// often written 224 (its paper says 224), and the other way round.
func otherInputSize(n int64) int64 {
	switch n {
	case 227:
		return 224
	case 224:
		return 227
	}
	return 0
}

// windowed reports a convolution or pooling window.
func windowed(op *engine.Op) bool {
	if op == nil {
		return false
	}
	switch op.Kind {
	case engine.OpConv, engine.OpDWConv, engine.OpMaxPool, engine.OpAvgPool:
		return true
	}
	return false
}

// windowSlips are the changes to a window that learners make, each with its reason.
func windowSlips(op *engine.Op, in engine.Shape) []struct {
	change func(o *engine.Op, in *engine.Shape)
	why    string
} {
	type slip = struct {
		change func(o *engine.Op, in *engine.Shape)
		why    string
	}
	var out []slip
	if n := otherInputSize(in.H); n != 0 && in.H == in.W {
		out = append(out, slip{func(o *engine.Op, s *engine.Shape) { s.H, s.W = n, n }, fmt.Sprintf("this is what an input of %d×%d gives: the layer's input is %d×%d", n, n, in.H, in.W)})
	}
	if op.P[0] > 0 || op.P[1] > 0 {
		out = append(out, slip{func(o *engine.Op, _ *engine.Shape) { o.P = [2]int64{} }, fmt.Sprintf("this is the figure without padding: the layer pads by %d on each side (the 2·%d in the formula)", op.P[0], op.P[0])})
	} else if op.K[0] > 1 {
		out = append(out, slip{func(o *engine.Op, _ *engine.Shape) { o.P = [2]int64{(o.K[0] - 1) / 2, (o.K[1] - 1) / 2} }, fmt.Sprintf("this is the figure with \"same\" padding %d: this layer has no padding", (op.K[0]-1)/2)})
	}
	if op.S[0] > 1 {
		out = append(out, slip{func(o *engine.Op, _ *engine.Shape) { o.S = [2]int64{1, 1} }, fmt.Sprintf("this is the figure with stride 1: the layer moves by %d (divide by the stride)", op.S[0])})
	}
	if op.Kind == engine.OpMaxPool || op.Kind == engine.OpAvgPool {
		if op.Ceil {
			out = append(out, slip{func(o *engine.Op, _ *engine.Shape) { o.Ceil = false }, "this is the figure rounded down: this pool uses ceil mode, so a partial last window still gives an output (⌈⌉ in the formula)"})
		} else {
			out = append(out, slip{func(o *engine.Op, _ *engine.Shape) { o.Ceil = true }, "this is the figure rounded up: this pool rounds down (floor), a partial last window is dropped"})
		}
	}
	return out
}

func outMistakes(r *engine.Report, l *engine.Layer, op *engine.Op) []mistake {
	var ms []mistake
	add := func(s engine.Shape, why string) {
		if s != l.Out {
			ms = append(ms, mistake{shape: &s, why: why})
		}
	}
	if windowed(op) {
		for _, sl := range windowSlips(op, l.In) {
			if f, ok := variant(op, l.In, sl.change); ok {
				add(f.Out, sl.why)
			}
		}
		// (n + 2p − k)/s without the + 1.
		add(engine.Shape{C: l.Out.C, H: l.Out.H - 1, W: l.Out.W - 1}, "one short on each side: the formula ends with + 1 (the first window's position)")
		if op.Kind == engine.OpConv || op.Kind == engine.OpDWConv {
			add(engine.Shape{C: l.In.C, H: l.Out.H, W: l.Out.W}, fmt.Sprintf("the height and width are right; the depth is the number of filters (%d), not the input's depth", l.Out.C))
		} else {
			add(engine.Shape{C: l.Out.C * 2, H: l.Out.H, W: l.Out.W}, "the height and width are right; a pool keeps the depth of its input")
		}
	}
	if op != nil && op.Kind == engine.OpFC {
		add(engine.Shape{C: l.In.Elements(), H: 1, W: 1, Flat: true}, fmt.Sprintf("that is the number of inputs: a fully connected layer gives one value per output feature, %d", l.Out.C))
	}
	if l.IsMerge() {
		shapes := mergeInputs(r, l)
		switch engine.MergeKind(l.Op) {
		case engine.MergeConcat:
			for _, s := range shapes {
				add(s, "that is one input only: a concatenation stacks the depths of all its inputs ("+channelSum(shapes)+")")
			}
		case engine.MergeAdd, engine.MergeMean:
			sum := l.Out
			sum.C = 0
			for _, s := range shapes {
				sum.C += s.C
			}
			add(sum, "the depths were stacked as a concatenation would: an addition keeps the shape of its inputs")
		case engine.MergeMul:
			for _, s := range shapes {
				add(s, "that is the gate's shape: its C×1×1 values broadcast over the whole map, the product keeps the map's shape")
			}
		}
	}
	return ms
}

func mergeInputs(r *engine.Report, l *engine.Layer) []engine.Shape {
	var out []engine.Shape
	for _, k := range l.Inputs {
		if k < 0 {
			out = append(out, r.Input)
		} else {
			out = append(out, r.Layers[k].Out)
		}
	}
	return out
}

func channelSum(shapes []engine.Shape) string {
	var parts []string
	var sum int64
	for _, s := range shapes {
		parts = append(parts, strconv.FormatInt(s.C, 10))
		sum += s.C
	}
	return strings.Join(parts, " + ") + " = " + strconv.FormatInt(sum, 10) + " channels"
}

func paramMistakes(l *engine.Layer, op *engine.Op) []mistake {
	var ms []mistake
	add := func(v int64, why string) {
		if v != l.Params && v >= 0 {
			ms = append(ms, mistake{value: v, why: why})
		}
	}
	if op == nil {
		return nil
	}
	switch op.Kind {
	case engine.OpConv, engine.OpDWConv, engine.OpFC:
		if f, ok := variant(op, l.In, func(o *engine.Op, _ *engine.Shape) { o.Bias = !o.Bias }); ok {
			if op.Bias {
				add(f.Params, fmt.Sprintf("the weights are right; you forgot the biases, one per %s (+ %d)", map[bool]string{true: "output feature", false: "filter"}[op.Kind == engine.OpFC], l.Out.C))
			} else {
				add(f.Params, "this layer has no bias (a batch norm follows it and has its own shift): count the weights only")
			}
		}
		if op.Kind == engine.OpFC && !l.In.Flat {
			perOut := l.In.C
			v := perOut * l.Out.C
			if op.Bias {
				v += l.Out.C
			}
			add(v, fmt.Sprintf("a fully connected layer reads every value of its %s input (%s), not only its %d channels", l.In, engine.Group(l.In.Elements()), l.In.C))
		}
		if op.Kind == engine.OpConv || op.Kind == engine.OpDWConv {
			if op.Kind == engine.OpDWConv || op.Groups > 1 {
				if f, ok := variant(op, l.In, func(o *engine.Op, in *engine.Shape) {
					if o.Kind == engine.OpDWConv {
						o.Kind, o.Out = engine.OpConv, in.C*max(o.Out, 1)
					}
					o.Groups = 1
				}); ok {
					add(f.Params, "that is an ordinary convolution's count: in groups, each filter sees only its group's channels (Cin/groups in the formula)")
				}
			}
			// Each filter is k×k×Cin: the input depth forgotten.
			v := op.K[0] * op.K[1] * l.Out.C
			if op.Bias {
				v += l.Out.C
			}
			if l.In.C > 1 && !(op.Kind == engine.OpDWConv) {
				add(v, fmt.Sprintf("each filter spans the input's depth as well: %d×%d×%d weights", op.K[0], op.K[1], l.In.C/max(op.Groups, 1)))
			}
		}
	case engine.OpBN:
		add(4*l.In.C, "the running mean and variance are buffers, not parameters: only γ and β are learned")
	}
	if l.Params == 0 {
		// Any count for a layer without weights: said in Check.
		return ms
	}
	return ms
}

func macMistakes(r *engine.Report, l *engine.Layer, op *engine.Op) []mistake {
	var ms []mistake
	add := func(v int64, why string) {
		if v != l.MACs && v > 0 {
			ms = append(ms, mistake{value: v, why: why})
		}
	}
	add(2*l.MACs, "that is FLOPs, two per multiply-add; MACs count each multiply-add once")
	if op == nil {
		if l.OtherOps > 0 {
			add(l.OtherOps, "those are the merge's additions or products, counted apart: MACs count the multiply-adds of convolutions and fully connected layers")
		}
		return ms
	}
	if l.MACs == 0 && l.OtherOps > 0 {
		add(l.OtherOps, fmt.Sprintf("those are the %s's own operations, counted apart: MACs count the multiply-adds of convolutions and fully connected layers only", l.Op))
		return ms
	}
	if windowed(op) {
		for _, sl := range windowSlips(op, l.In) {
			if f, ok := variant(op, l.In, sl.change); ok {
				add(f.MACs, sl.why)
			}
		}
		// Every filter weight times every input position instead of output position.
		add(l.Params*l.In.H*l.In.W, "that multiplies by the input's positions: each weight is used once per output position (H′·W′)")
		if op.Bias {
			add(l.Params*l.Out.H*l.Out.W, "that counts the biases as multiply-adds: a bias is an addition, MACs are weights × output positions")
		}
		if op.Kind == engine.OpDWConv || op.Groups > 1 {
			if f, ok := variant(op, l.In, func(o *engine.Op, in *engine.Shape) {
				if o.Kind == engine.OpDWConv {
					o.Kind, o.Out = engine.OpConv, in.C*max(o.Out, 1)
				}
				o.Groups = 1
			}); ok {
				add(f.MACs, "that is an ordinary convolution's count: in groups, each output reads only its group's channels")
			}
		}
		add(l.Params, "that is the parameter count: each weight is used at every output position")
	}
	if op.Kind == engine.OpFC && op.Bias {
		add(l.Params, "that is the parameter count, biases included; MACs are inputs × outputs")
	}
	return ms
}

func memoryMistakes(r *engine.Report, l *engine.Layer, op *engine.Op) []mistake {
	var ms []mistake
	add := func(v int64, why string) {
		if v != l.Activations && v > 0 {
			ms = append(ms, mistake{value: v, why: why})
		}
	}
	add(l.In.Elements(), "that is the input's size: the memory asked is the output's")
	if windowed(op) {
		for _, sl := range windowSlips(op, l.In) {
			if f, ok := variant(op, l.In, sl.change); ok {
				add(f.Activations, sl.why)
			}
		}
	}
	add(l.Params, "that is the parameter count: activations are the output's values, one per H′·W′·C")
	return ms
}

func fieldMistakes(r *engine.Report, l *engine.Layer, op *engine.Op) []mistake {
	var ms []mistake
	if !windowed(op) || len(l.Inputs) != 1 {
		return nil
	}
	from := engine.Field{Size: 1, Jump: 1}
	if k := l.Inputs[0]; k >= 0 {
		from = r.Layers[k].RF.H
	}
	size := l.RF.H.Size
	if noJump := from.Size + (op.K[0]-1)*op.D[0]; noJump != size {
		ms = append(ms, mistake{value: noJump, why: fmt.Sprintf("the kernel's growth is multiplied by the jump (effective stride) of its input, %d: %d + (%d − 1)·%d", from.Jump, from.Size, op.K[0], from.Jump)})
	}
	if op.K[0] != size {
		ms = append(ms, mistake{value: op.K[0], why: fmt.Sprintf("that is the kernel alone: the field adds up through every layer before it (the input's field is %d)", from.Size)})
	}
	return ms
}

// Check reads answer and says whether it is right, close, or which step differs.
// A malformed or too long answer is Invalid, with a message saying what form to use.
func (q *Question) Check(answer string) Verdict {
	v := Verdict{Answer: q.Answer, Formula: q.Formula}
	answer = strings.TrimSpace(answer)
	switch {
	case answer == "":
		return Verdict{Invalid: true, Message: "Type an answer first: " + q.Hint + "."}
	case len(answer) > MaxAnswerBytes:
		return Verdict{Invalid: true, Message: fmt.Sprintf("An answer is at most %d characters.", MaxAnswerBytes)}
	case !utf8.ValidString(answer):
		return Verdict{Invalid: true, Message: "The answer is not valid text."}
	}
	switch q.Kind {
	case AskOut:
		return q.checkShape(answer, v)
	case AskRF:
		return q.checkField(answer, v)
	}
	n, err := parseCount(answer, q.Kind == AskMemory)
	if err != nil {
		return Verdict{Invalid: true, Message: err.Error() + " Write " + q.Hint + "."}
	}
	value := n.value
	bytesNote := ""
	if n.bytes {
		value /= 4
		bytesNote = fmt.Sprintf(" (%s bytes at fp32 are %s values)", engine.Group(int64(n.value)), engine.Group(int64(value)))
	}
	return q.judgeCount(value, n.exact, bytesNote, v, n.bytes)
}

func (q *Question) judgeCount(value float64, exact bool, note string, v Verdict, bytes bool) Verdict {
	want := float64(q.want)
	off := relative(value, want)
	switch {
	case value == want:
		v.Correct, v.Message = true, "Right"+note+"."
		return v
	case q.Estimate && off <= EstimateTolerance:
		v.Correct, v.Message = true, fmt.Sprintf("Right, as an estimate: within %.1f%% of the figure (the tolerance is %.0f%%)%s.", 100*off, 100*EstimateTolerance, note)
		return v
	case !exact && off <= EstimateTolerance:
		v.Close, v.Message = true, fmt.Sprintf("Close: within %.1f%%, but the exact figure was asked%s.", 100*off, note)
		return v
	}
	v.Message = "Not quite" + note + "."
	if !bytes && q.Kind == AskMemory && value == 4*want {
		v.Mistake = "that is the byte count at fp32 (4 bytes per value): write it with its unit, as " + engine.Group(4*q.want) + " B, or count values"
		return v
	}
	for _, m := range q.mistakes {
		if m.shape == nil && (float64(m.value) == value || (!exact && relative(value, float64(m.value)) < min(off, EstimateTolerance))) {
			v.Mistake = m.why
			return v
		}
	}
	if q.want == 0 {
		v.Mistake = "this layer has no weights and does no multiply-adds: the answer is 0"
		return v
	}
	v.Mistake = "no usual slip gives this figure: compare your steps with the formula"
	return v
}

func relative(v, want float64) float64 {
	if want == 0 {
		if v == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return math.Abs(v-want) / math.Abs(want)
}

// count is a number read from an answer.
type count struct {
	value float64
	exact bool // written in full, not as 3.5e4 or 35k
	bytes bool // given with a memory unit
}

// parseCount reads 34,944 · 34944 · 34 944 · 3.5e4 · 3.5×10^4 · 35k · 61M · 1.5G, and
// for memory 1.16 MB · 1.1 MiB · 1161600 B.
func parseCount(s string, memory bool) (count, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, w := range []string{"parameters", "params", "values", "multiply-adds", "mult-adds", "macs", "mac", "pixels", "px"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, w))
	}
	c := count{exact: true}
	if memory {
		units := []struct {
			suffix string
			scale  float64
		}{{"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10}, {"gb", 1e9}, {"mb", 1e6}, {"kb", 1e3}, {"bytes", 1}, {"byte", 1}, {"b", 1}}
		for _, u := range units {
			if rest, ok := strings.CutSuffix(s, u.suffix); ok {
				s, c.bytes = strings.TrimSpace(rest), true
				n, err := parseCount(s, false)
				if err != nil {
					return c, err
				}
				c.value, c.exact = n.value*u.scale, n.exact && u.scale == 1
				return c, nil
			}
		}
	}
	scale := 1.0
	for _, m := range []struct {
		suffix string
		scale  float64
	}{{"billion", 1e9}, {"million", 1e6}, {"thousand", 1e3}, {"bn", 1e9}, {"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"b", 1e9}} {
		if rest, ok := strings.CutSuffix(s, m.suffix); ok {
			s, scale, c.exact = strings.TrimSpace(rest), m.scale, false
			break
		}
	}
	for _, p := range []string{"×10^", "x10^", "*10^", "·10^", "× 10^", "x 10^"} {
		if strings.Contains(s, p) {
			s, c.exact = strings.Replace(s, p, "e", 1), false
		}
	}
	s = strings.NewReplacer(",", "", "_", "", " ", "", "\u202f", "", "\u00a0", "", "'", "").Replace(s)
	if s == "" {
		return c, fmt.Errorf("There is no number in this answer.")
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789.e+-", r) {
			return c, fmt.Errorf("%q is not a number this checker reads.", string(r))
		}
	}
	if strings.ContainsAny(s, ".e") {
		c.exact = false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < 0 || f > 1e18 {
		return c, fmt.Errorf("%q is not a number this checker reads.", s)
	}
	c.value = f * scale
	if c.value != math.Trunc(c.value) {
		c.exact = false
	}
	return c, nil
}

// parseDims reads "55x55x96", "55 × 55 × 96", "(96, 55, 55)", "55*55*96" or "4096".
func parseDims(s string) ([]int64, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Trim(s, "()[]{} ")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(s, "pixels")), "px"))
	s = strings.NewReplacer("×", " ", "*", " ", ",", " ", "x", " ", " by ", " ", "·", " ").Replace(s)
	fields := strings.Fields(s)
	if len(fields) == 0 || len(fields) > 3 {
		return nil, fmt.Errorf("This does not read as a shape.")
	}
	var out []int64
	for _, f := range fields {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n < 0 || n > 1<<40 {
			return nil, fmt.Errorf("%q is not a whole number.", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// readShape matches dims with want in either order: H×W×C (the lecture's, the atlas's)
// or C×H×W (PyTorch's). A reading matches if either order gives the shape; for a
// diagnosis the order is told by which pair is equal (55×55×96: the square map comes
// first; 96×55×55: last), H×W×C when neither or both are.
func readShape(d []int64, flat bool) (engine.Shape, engine.Shape, bool) {
	switch len(d) {
	case 1:
		s := engine.Shape{C: d[0], H: 1, W: 1, Flat: flat}
		return s, s, true
	case 3:
		last := engine.Shape{H: d[0], W: d[1], C: d[2]}
		first := engine.Shape{C: d[0], H: d[1], W: d[2]}
		if flat && (last.H == 1 && last.W == 1 || first.H == 1 && first.W == 1) {
			if last.H == 1 && last.W == 1 {
				return engine.Shape{C: last.C, H: 1, W: 1, Flat: true}, engine.Shape{C: last.C, H: 1, W: 1, Flat: true}, true
			}
			return engine.Shape{C: first.C, H: 1, W: 1, Flat: true}, engine.Shape{C: first.C, H: 1, W: 1, Flat: true}, true
		}
		return last, first, true
	}
	return engine.Shape{}, engine.Shape{}, false
}

func (q *Question) checkShape(answer string, v Verdict) Verdict {
	d, err := parseDims(answer)
	if err != nil {
		return Verdict{Invalid: true, Message: err.Error() + " Write " + q.Hint + "."}
	}
	want := q.shape
	if len(d) == 2 || (len(d) == 1 && !want.Flat) {
		return Verdict{Invalid: true, Message: "Give all three sizes, height × width × depth, as " + want.String() + " is written."}
	}
	last, first, ok := readShape(d, want.Flat)
	if !ok {
		return Verdict{Invalid: true, Message: "Write " + q.Hint + "."}
	}
	if last == want || first == want {
		v.Correct, v.Message = true, "Right."
		if first == want && last != want {
			v.Message = "Right (read as C×H×W)."
		}
		return v
	}
	v.Message = "Not quite."
	for _, m := range q.mistakes {
		if m.shape != nil && (*m.shape == last || *m.shape == first) {
			v.Mistake = m.why
			return v
		}
	}
	got := last
	if d[0] != d[1] && d[1] == d[2] {
		got = first
	}
	switch {
	case got.H == want.H && got.W == want.W:
		v.Mistake = fmt.Sprintf("the height and width are right; the depth is %d", want.C)
	case got.C == want.C:
		v.Mistake = "the depth is right; the height and width are not: (n + 2p − k)/s + 1 on each axis"
	default:
		v.Mistake = "no usual slip gives this shape: compare your steps with the formula"
	}
	return v
}

func (q *Question) checkField(answer string, v Verdict) Verdict {
	d, err := parseDims(answer)
	if err != nil || len(d) > 2 {
		return Verdict{Invalid: true, Message: "Write " + q.Hint + "."}
	}
	h, w := d[0], d[0]
	if len(d) == 2 {
		w = d[1]
	} else if q.rf[0] != q.rf[1] {
		return Verdict{Invalid: true, Message: fmt.Sprintf("This field is not square: give height × width, as %d×%d is written.", q.rf[0], q.rf[1])}
	}
	if h == q.rf[0] && w == q.rf[1] {
		v.Correct, v.Message = true, "Right."
		return v
	}
	v.Message = "Not quite."
	for _, m := range q.mistakes {
		if m.value == h {
			v.Mistake = m.why
			return v
		}
	}
	v.Mistake = "no usual slip gives this field: each layer adds (k − 1)·jump, the jump being the product of the strides before it"
	return v
}
