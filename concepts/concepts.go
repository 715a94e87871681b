// Package concepts makes the lecture's arguments into calculators: each builds small
// networks from the reader's numbers as definitions, analyses them with the engine,
// and sets their figures side by side with the formulas.
package concepts

import (
	"fmt"

	"convatlas/archdefs"
	"convatlas/engine"
	"convatlas/templates"
)

// analyze parses and analyses a definition built from the reader's numbers.
func analyze(src string) (*engine.Report, error) {
	a, err := archdefs.Parse("calculator.yaml", []byte(src))
	if err != nil {
		return nil, err
	}
	return engine.Analyze(a.Model, engine.Options{})
}

func group(n int64) string { return engine.Group(n) }

// sumOf adds a figure over the non-auxiliary layers of the given ops.
func sumOf(r *engine.Report, ops ...string) (params, macs int64) {
	for _, l := range r.Layers {
		for _, op := range ops {
			if l.Op == op {
				params += l.Params
				macs += l.MACs
			}
		}
	}
	return params, macs
}

// Stacked compares n stacked 3×3 convolutions with one (2n+1)×(2n+1) convolution, both
// C → C channels on H×H, without biases (the lecture's count).
func Stacked(c, n, h int64) (*templates.Calculator, error) {
	k := 2*n + 1
	stack, err := analyze(fmt.Sprintf("id: stacked\ninput: {c: %d, h: %d, w: %d}\nlayers:\n  - {repeat: %d, layers: [{conv: {out: %d, k: 3, p: 1, bias: false}}, relu]}\n", c, h, h, n, c))
	if err != nil {
		return nil, err
	}
	one, err := analyze(fmt.Sprintf("id: single\ninput: {c: %d, h: %d, w: %d}\nlayers:\n  - {conv: {out: %d, k: %d, p: %d, bias: false}}\n  - relu\n", c, h, h, c, k, n))
	if err != nil {
		return nil, err
	}
	last, single := stack.Layers[len(stack.Layers)-2], one.Layers[0]
	calc := &templates.Calculator{
		Slug: "stacked-3x3", Title: fmt.Sprintf("%d stacked 3×3 convolutions or one %d×%d?", n, k, k),
		Intro:   "A stack of 3×3 convolutions sees as far as one larger convolution, with fewer parameters and a non-linearity after each layer — VGG's argument for using nothing but 3×3 filters.",
		Fields:  []templates.Field{{Name: "c", Label: "channels C", Value: c, Min: 1, Max: 4096}, {Name: "n", Label: "3×3 layers", Value: n, Min: 1, Max: 10}, {Name: "h", Label: "map size H", Value: h, Min: k, Max: 1024}},
		Columns: []string{fmt.Sprintf("%d × (3×3 conv, %d)", n, c), fmt.Sprintf("1 × (%d×%d conv, %d)", k, k, c)},
	}
	p3, m3 := sumOf(stack, "conv")
	calc.Rows = []templates.CalcRow{
		{Label: "receptive field", Values: []string{fmt.Sprintf("%d×%d", last.RF.H.Size, last.RF.W.Size), fmt.Sprintf("%d×%d", single.RF.H.Size, single.RF.W.Size)},
			Formulas: []string{fmt.Sprintf("1 + %d·(3 − 1) = %d", n, last.RF.H.Size), stackExplain(one, 0, "rf")}},
		{Label: "parameters", Values: []string{group(p3), group(single.Params)},
			Formulas: []string{fmt.Sprintf("%d·(3·3·%d·%d) = %d·3²·C² = %s", n, c, c, n, group(p3)), stackExplain(one, 0, "params")}},
		{Label: "multiply-adds", Values: []string{group(m3), group(single.MACs)},
			Formulas: []string{fmt.Sprintf("%d layers · %s", n, group(stack.Layers[0].MACs)), stackExplain(one, 0, "macs")}},
		{Label: "non-linearities", Values: []string{fmt.Sprint(n), "1"}},
	}
	calc.Notes = []string{fmt.Sprintf("The stack needs %.0f%% of the single convolution's parameters for the same %d×%d field: %d·3² = %d against %d² = %d weights per pair of channels.",
		100*float64(p3)/float64(single.Params), k, k, n, 9*n, k, k*k)}
	return calc, nil
}

// stackExplain is one formula of a layer of a report.
func stackExplain(r *engine.Report, i int, what string) string {
	x := r.Explain(i)
	switch what {
	case "rf":
		return x.RF
	case "params":
		return x.Params
	}
	return x.MACs
}

// Inception compares the naive inception module with the one with 1×1 bottlenecks,
// on the lecture's 28×28×256 input by default.
func Inception(h, c, n1, n3, n5, r int64) (*templates.Calculator, error) {
	input := fmt.Sprintf("input: {c: %d, h: %d, w: %d}\n", c, h, h)
	naive, err := analyze("id: naive\n" + input + fmt.Sprintf(`layers:
  - branch:
      merge: concat
      paths:
        - [{conv: {out: %d, k: 1}}]
        - [{conv: {out: %d, k: 3, p: 1}}]
        - [{conv: {out: %d, k: 5, p: 2}}]
        - [{maxpool: {k: 3, s: 1, p: 1}}]
`, n1, n3, n5))
	if err != nil {
		return nil, err
	}
	bottle, err := analyze("id: bottleneck\n" + input + fmt.Sprintf(`layers:
  - branch:
      merge: concat
      paths:
        - [{conv: {out: %d, k: 1}}]
        - [{conv: {out: %d, k: 1}}, {conv: {out: %d, k: 3, p: 1}}]
        - [{conv: {out: %d, k: 1}}, {conv: {out: %d, k: 5, p: 2}}]
        - [{maxpool: {k: 3, s: 1, p: 1}}, {conv: {out: %d, k: 1}}]
`, n1, r, n3, r, n5, r))
	if err != nil {
		return nil, err
	}
	calc := &templates.Calculator{
		Slug: "inception", Title: "Naive or bottleneck inception module",
		Intro: "The naive module runs 1×1, 3×3 and 5×5 convolutions and a 3×3 pool on the same input and concatenates them: the pool keeps all input channels, so the depth only grows, and the 5×5 convolution reads every channel. 1×1 convolutions that first reduce the depth make the module cheap.",
		Fields: []templates.Field{{Name: "h", Label: "map size", Value: h, Min: 5, Max: 512}, {Name: "c", Label: "input depth", Value: c, Min: 1, Max: 4096},
			{Name: "n1", Label: "1×1 filters", Value: n1, Min: 1, Max: 4096}, {Name: "n3", Label: "3×3 filters", Value: n3, Min: 1, Max: 4096},
			{Name: "n5", Label: "5×5 filters", Value: n5, Min: 1, Max: 4096}, {Name: "r", Label: "bottleneck 1×1 filters", Value: r, Min: 1, Max: 4096}},
		Columns: []string{"naive module", "with 1×1 bottlenecks"},
	}
	naiveOps, bottleOps := naive.Totals.MACs, bottle.Totals.MACs
	calc.Rows = []templates.CalcRow{
		{Label: "output", Values: []string{naive.Output.String(), bottle.Output.String()},
			Formulas: []string{naive.Explain(len(naive.Layers) - 1).Out, bottle.Explain(len(bottle.Layers) - 1).Out}},
		{Label: "multiply-adds", Values: []string{group(naiveOps), group(bottleOps)},
			Formulas: []string{convTerms(naive), convTerms(bottle)}},
		{Label: "parameters", Values: []string{group(naive.Totals.Params), group(bottle.Totals.Params)}},
	}
	calc.Notes = []string{fmt.Sprintf("The bottlenecks cut the multiply-adds to %.0f%% of the naive module's.", 100*float64(bottleOps)/float64(naiveOps))}
	if h == 28 && c == 256 && n1 == 128 && n3 == 192 && n5 == 96 && r == 64 {
		calc.Notes = append(calc.Notes, fmt.Sprintf("These are the lecture's numbers. Its naive total, 854M ops, is right (%s). Its bottleneck total, \"358M ops\", is not: the six convolutions it lists add up to %s (271M), as computed here — the lecture's own terms do not give 358M.", group(naiveOps), group(bottleOps)))
	}
	return calc, nil
}

// convTerms writes a module's multiply-adds as the sum of its convolutions.
func convTerms(r *engine.Report) string {
	s := ""
	for _, l := range r.Layers {
		if l.Op != "conv" {
			continue
		}
		if s != "" {
			s += " + "
		}
		op := l.Operation()
		s += fmt.Sprintf("[%d×%d conv, %d] %s", op.K[0], op.K[1], l.Out.C, group(l.MACs))
	}
	return s
}

// Separable compares a standard convolution with a depthwise separable one.
func Separable(m, n, k, h int64) (*templates.Calculator, error) {
	input := fmt.Sprintf("input: {c: %d, h: %d, w: %d}\n", m, h, h)
	p := (k - 1) / 2
	std, err := analyze("id: standard\n" + input + fmt.Sprintf("layers:\n  - conv: {out: %d, k: %d, p: %d, bias: false}\n", n, k, p))
	if err != nil {
		return nil, err
	}
	sep, err := analyze("id: separable\n" + input + fmt.Sprintf("layers:\n  - dwconv: {k: %d, p: %d, bias: false}\n  - conv: {out: %d, k: 1, bias: false}\n", k, p, n))
	if err != nil {
		return nil, err
	}
	calc := &templates.Calculator{
		Slug: "separable", Title: "Standard or depthwise separable convolution",
		Intro: "A depthwise separable convolution filters each input channel with its own Dk×Dk kernel, then mixes the channels with a 1×1 convolution: MobileNet's building block.",
		Fields: []templates.Field{{Name: "m", Label: "input channels M", Value: m, Min: 1, Max: 4096}, {Name: "n", Label: "output channels N", Value: n, Min: 1, Max: 4096},
			{Name: "k", Label: "kernel Dk", Value: k, Min: 1, Max: 15}, {Name: "h", Label: "map size", Value: h, Min: 1, Max: 1024}},
		Columns: []string{fmt.Sprintf("%d×%d conv, %d", k, k, n), fmt.Sprintf("%d×%d depthwise + 1×1 conv, %d", k, k, n)},
	}
	calc.Rows = []templates.CalcRow{
		{Label: "parameters", Values: []string{group(std.Totals.Params), group(sep.Totals.Params)},
			Formulas: []string{fmt.Sprintf("M·Dk²·N = %s", std.Explain(0).Params), fmt.Sprintf("Dk²·M + M·N = %s + %s", sep.Explain(0).Params, sep.Explain(1).Params)}},
		{Label: "multiply-adds", Values: []string{group(std.Totals.MACs), group(sep.Totals.MACs)},
			Formulas: []string{std.Explain(0).MACs, fmt.Sprintf("%s + %s", group(sep.Layers[0].MACs), group(sep.Layers[1].MACs))}},
		{Label: "output", Values: []string{std.Output.String(), sep.Output.String()}},
	}
	calc.Notes = []string{fmt.Sprintf("The separable pair costs %.1f%% of the standard convolution: 1/N + 1/Dk² = 1/%d + 1/%d.", 100*float64(sep.Totals.MACs)/float64(std.Totals.MACs), n, k*k)}
	return calc, nil
}

// Residual compares n basic blocks with and without their shortcuts.
func Residual(c, n, h int64) (*templates.Calculator, error) {
	input := fmt.Sprintf("input: {c: %d, h: %d, w: %d}\n", c, h, h)
	body := fmt.Sprintf("[{conv: {out: %d, k: 3, p: 1, bias: false}}, bn, relu, {conv: {out: %d, k: 3, p: 1, bias: false}}, bn]", c, c)
	plain, err := analyze("id: plain\n" + input + fmt.Sprintf("layers:\n  - {repeat: %d, layers: [{conv: {out: %d, k: 3, p: 1, bias: false}}, bn, relu, {conv: {out: %d, k: 3, p: 1, bias: false}}, bn, relu]}\n", n, c, c))
	if err != nil {
		return nil, err
	}
	res, err := analyze("id: residual\n" + input + fmt.Sprintf("layers:\n  - {repeat: %d, layers: [{residual: {body: %s, shortcut: identity, after: [relu]}}]}\n", n, body))
	if err != nil {
		return nil, err
	}
	calc := &templates.Calculator{
		Slug: "residual", Title: "Plain or residual",
		Intro:   "The same stack of 3×3 convolutions, with and without identity shortcuts. The shortcut adds no parameter and almost no computation; what it changes is what the layers must learn — a residual F(x) instead of the whole mapping — and how gradients flow.",
		Fields:  []templates.Field{{Name: "c", Label: "channels", Value: c, Min: 1, Max: 4096}, {Name: "n", Label: "blocks", Value: n, Min: 1, Max: 100}, {Name: "h", Label: "map size", Value: h, Min: 3, Max: 1024}},
		Columns: []string{"plain", "residual"},
	}
	calc.Rows = []templates.CalcRow{
		{Label: "parameters", Values: []string{group(plain.Totals.Params), group(res.Totals.Params)}},
		{Label: "multiply-adds", Values: []string{group(plain.Totals.MACs), group(res.Totals.MACs)}},
		{Label: "other operations (additions, BN, ReLU)", Values: []string{group(plain.Totals.OtherOps), group(res.Totals.OtherOps)},
			Formulas: []string{"", fmt.Sprintf("+ %d additions of %s values", n, group(c*h*h))}},
		{Label: "depth", Values: []string{fmt.Sprint(plain.Totals.Depth), fmt.Sprint(res.Totals.Depth)}},
		{Label: "receptive field", Values: []string{plain.Layers[len(plain.Layers)-1].RF.String(), res.Layers[len(res.Layers)-1].RF.String()}},
	}
	calc.Notes = []string{fmt.Sprintf("The shortcuts cost %s extra operations, %.3f%% of the multiply-adds, and no parameters.", group(res.Totals.OtherOps-plain.Totals.OtherOps), 100*float64(res.Totals.OtherOps-plain.Totals.OtherOps)/float64(plain.Totals.MACs))}
	return calc, nil
}
