package templates

import (
	"fmt"
	"strings"

	"convatlas/diagram"
	"convatlas/engine"
)

// LectureRow is one row of the lecture's "memory | params" table (cs231n's VGG-16 table):
// the volume a layer writes, and the weights it holds, each as its product written out.
type LectureRow struct {
	Name, Label string
	Out         string
	Memory      int64  // output values
	MemoryCalc  string // "224·224·64 = 3.2M"
	Weights     int64  // weights only, biases and batch norm's γ, β left out, as the lecture counts
	WeightsCalc string // "3·3·3·64 = 1,728"
}

// LectureTable is the memory and weight table of a network, as the lecture writes it.
type LectureTable struct {
	Rows         []LectureRow
	Memory       int64 // sum of the rows, the input included
	Weights      int64
	OtherParams  int64 // biases and batch norm's γ, β: Totals.Params less Weights
	Params       int64
	ActivationsF string // Memory at 4 bytes, in MB and MiB
}

// NewLectureTable lists the input and every layer that writes a new volume or holds
// parameters, with the products the lecture writes. Layers the engine counts as run in
// place (ReLU, dropout, additions; see the engine's package doc) and flatten, a view,
// write nothing and are left out unless they hold parameters (batch norm); auxiliary
// heads are left out, as from every total.
func NewLectureTable(r *engine.Report) *LectureTable {
	t := &LectureTable{Params: r.Totals.Params}
	add := func(row LectureRow) {
		t.Rows = append(t.Rows, row)
		t.Memory += row.Memory
		t.Weights += row.Weights
	}
	add(LectureRow{Name: "input", Label: "input", Out: r.Input.String(), Memory: r.Input.Elements(), MemoryCalc: volumeProduct(r.Input)})
	for i := range r.Layers {
		l := &r.Layers[i]
		if l.Aux || l.Activations == 0 && l.Params == 0 {
			continue
		}
		row := LectureRow{Name: l.Name, Label: diagram.TitledLabel(l), Out: l.Out.String(), Memory: l.Activations, MemoryCalc: volumeProduct(l.Out)}
		if l.Activations == 0 {
			row.MemoryCalc = "0 (in place)"
		}
		row.Weights, row.WeightsCalc = weightProduct(r, l)
		add(row)
	}
	t.OtherParams = t.Params - t.Weights
	t.ActivationsF = fmt.Sprintf("%.1f MB, %s", float64(4*t.Memory)/1e6, Bytes(4*t.Memory))
	return t
}

// volumeProduct writes a volume's size as the lecture does: H·W·C = 3.2M.
func volumeProduct(s engine.Shape) string {
	n := s.Elements()
	if s.Flat {
		return engine.Group(n)
	}
	return fmt.Sprintf("%d·%d·%d = %s", s.H, s.W, s.C, diagram.HumanCount(n))
}

// weightProduct is the number of weights of a layer, biases not counted, and its
// product: a convolution k·k·(Cin/groups)·Cout, a depthwise one k·k·C·multiplier, a
// fully connected layer in·out, with a flattened input written as the volume it came
// from (7·7·512·4096, as the lecture writes fc6). Other layers hold no weights here.
func weightProduct(r *engine.Report, l *engine.Layer) (int64, string) {
	op := l.Operation()
	if op == nil {
		return 0, ""
	}
	var factors []int64
	switch op.Kind {
	case engine.OpConv:
		factors = []int64{op.K[0], op.K[1], l.In.C / max(op.Groups, 1), l.Out.C}
	case engine.OpDWConv:
		factors = []int64{op.K[0], op.K[1], l.In.C, op.Out}
	case engine.OpFC:
		in := l.In
		if len(l.Inputs) == 1 && l.Inputs[0] >= 0 {
			if src := &r.Layers[l.Inputs[0]]; src.Op == string(engine.OpFlatten) && !src.In.Flat {
				in = src.In
			}
		}
		if in.Flat {
			factors = []int64{in.C, l.Out.C}
		} else {
			factors = []int64{in.H, in.W, in.C, l.Out.C}
		}
	default:
		return 0, ""
	}
	n := int64(1)
	parts := make([]string, len(factors))
	for i, f := range factors {
		n *= f
		parts[i] = fmt.Sprint(f)
	}
	return n, strings.Join(parts, "·") + " = " + engine.Group(n)
}
