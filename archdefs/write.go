package archdefs

import (
	"fmt"
	"strconv"
	"strings"

	"convatlas/engine"
)

// Write writes a model as a definition a person can read and edit: the same tree,
// one construct per item, settings at their defaults left out. comment, if not
// empty, heads the file (each line prefixed by "# "). Parse reads the result back to
// the same model (the import tests check it).
func Write(m *engine.Model, comment string) ([]byte, error) {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(comment), "\n") {
		if line != "" {
			b.WriteString("# " + line + "\n")
		}
	}
	fmt.Fprintf(&b, "id: %s\nname: %s\ninput: {c: %d, h: %d, w: %d}\n", m.ID, quote(m.Name), m.Input.C, m.Input.H, m.Input.W)
	if d := m.Devices; d.Split() {
		fmt.Fprintf(&b, "devices: {n: %d", d.N)
		if d.Join != "" {
			fmt.Fprintf(&b, ", join: %s", d.Join)
		}
		if d.Title != "" {
			fmt.Fprintf(&b, ", title: %s", quote(d.Title))
		}
		b.WriteString("}\n")
	}
	b.WriteString("layers:\n")
	if m.Root == nil {
		return nil, fmt.Errorf("the model has no layers")
	}
	w := &writer{b: &b}
	if err := w.items(m.Root.Children, 1); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

type writer struct{ b *strings.Builder }

// quote writes a string as YAML reads it back unchanged.
func quote(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`\n") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	return s
}

func (w *writer) line(depth int, format string, args ...any) {
	w.b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(w.b, format, args...)
	w.b.WriteByte('\n')
}

func (w *writer) items(nodes []*engine.Node, depth int) error {
	if len(nodes) == 0 {
		w.line(depth, "[]")
		return nil
	}
	for _, n := range nodes {
		if err := w.item(n, depth); err != nil {
			return err
		}
	}
	return nil
}

// list writes key: followed by a list of items, or key: [] for none.
func (w *writer) list(depth int, key string, nodes []*engine.Node) error {
	if len(nodes) == 0 {
		w.line(depth, "%s: []", key)
		return nil
	}
	w.line(depth, "%s:", key)
	return w.items(nodes, depth+1)
}

func (w *writer) item(n *engine.Node, depth int) error {
	named := ""
	if n.Name != "" && n.Kind != engine.KindStage {
		named = ", name: " + n.Name
	}
	switch n.Kind {
	case engine.KindLeaf:
		op, err := leafYAML(&n.Op)
		if err != nil {
			return err
		}
		if named != "" {
			w.line(depth, "- {%s%s}", op, named)
		} else {
			w.line(depth, "- %s", op)
		}
	case engine.KindSeq:
		if n.Name == "" {
			return w.items(n.Children, depth)
		}
		w.line(depth, "- stage: %s", n.Name)
		return w.list(depth+1, "layers", n.Children)
	case engine.KindStage:
		w.line(depth, "- stage: %s", n.Name)
		return w.list(depth+1, "layers", n.Children)
	case engine.KindBranch:
		w.line(depth, "- branch:")
		w.line(depth+2, "merge: %s", n.Merge)
		if n.Split {
			w.line(depth+2, "split: true")
		}
		w.line(depth+2, "paths:")
		for _, p := range n.Children {
			if err := w.list(depth+3, "- layers", p.Children); err != nil {
				return err
			}
		}
	case engine.KindResidual:
		w.line(depth, "- residual:")
		if err := w.list(depth+2, "body", n.Children); err != nil {
			return err
		}
		switch n.ShortcutMode {
		case engine.ShortcutIdentity:
			w.line(depth+2, "shortcut: identity")
		case engine.ShortcutLayers:
			if err := w.list(depth+2, "shortcut", n.Shortcut); err != nil {
				return err
			}
		case engine.ShortcutAuto:
			w.line(depth+2, "shortcut: auto")
		case engine.ShortcutAutoConv:
			w.line(depth+2, "shortcut: auto-conv")
		case engine.ShortcutAutoPad:
			w.line(depth+2, "shortcut: auto-pad")
		}
		if len(n.After) > 0 {
			return w.list(depth+2, "after", n.After)
		}
	case engine.KindDense:
		w.line(depth, "- dense:")
		w.line(depth+2, "n: %d", n.Count)
		return w.list(depth+2, "layer", n.Children)
	case engine.KindRepeat:
		w.line(depth, "- repeat: %d", n.Count)
		return w.list(depth+1, "layers", n.Children)
	case engine.KindCell:
		return w.cell(n, depth)
	default:
		return fmt.Errorf("cannot write a %s", n.Kind)
	}
	return nil
}

func (w *writer) cell(n *engine.Node, depth int) error {
	c := n.Cell
	if c == nil {
		return fmt.Errorf("a cell without its graph")
	}
	w.line(depth, "- cell:")
	w.line(depth+2, "inputs: [%s]", strings.Join(c.Inputs, ", "))
	w.line(depth+2, "nodes:")
	for _, cn := range c.Nodes {
		if cn.Merge != "" {
			w.line(depth+3, "- {name: %s, %s: [%s]}", cn.Name, cn.Merge, strings.Join(cn.Of, ", "))
			continue
		}
		w.line(depth+3, "- name: %s", cn.Name)
		w.line(depth+4, "from: %s", cn.From)
		if err := w.list(depth+4, "layers", cn.Layers); err != nil {
			return err
		}
	}
	if c.Output.Merge == "" {
		return fmt.Errorf("a cell's output must be a merge")
	}
	w.line(depth+2, "output: {%s: [%s]}", c.Output.Merge, strings.Join(c.Output.Of, ", "))
	return nil
}

func pairYAML(v [2]int64) string {
	if v[0] == v[1] {
		return strconv.FormatInt(v[0], 10)
	}
	return fmt.Sprintf("[%d, %d]", v[0], v[1])
}

// window writes k, s, p and d, leaving out their defaults.
func windowYAML(op *engine.Op, parts []string) []string {
	parts = append(parts, "k: "+pairYAML(op.K))
	if op.S != [2]int64{1, 1} {
		parts = append(parts, "s: "+pairYAML(op.S))
	}
	switch {
	case op.Same:
		parts = append(parts, "p: same")
	case op.PadAfter != [2]int64{}:
		parts = append(parts, fmt.Sprintf("p: [%d, %d, %d, %d]", op.P[0], op.P[0]+op.PadAfter[0], op.P[1], op.P[1]+op.PadAfter[1]))
	case op.P != [2]int64{}:
		parts = append(parts, "p: "+pairYAML(op.P))
	}
	if op.D != [2]int64{1, 1} && op.D != [2]int64{} {
		parts = append(parts, "d: "+pairYAML(op.D))
	}
	return parts
}

// leafYAML writes one operation as a layer item.
func leafYAML(op *engine.Op) (string, error) {
	braces := func(kind string, parts []string) string {
		return fmt.Sprintf("%s: {%s}", kind, strings.Join(parts, ", "))
	}
	switch op.Kind {
	case engine.OpConv, engine.OpConvT:
		parts := windowYAML(op, []string{fmt.Sprintf("out: %d", op.Out)})
		if op.Kind == engine.OpConvT && op.OutPad != [2]int64{} {
			parts = append(parts, "output_padding: "+pairYAML(op.OutPad))
		}
		if op.Groups > 1 {
			parts = append(parts, fmt.Sprintf("groups: %d", op.Groups))
		}
		if !op.Bias {
			parts = append(parts, "bias: false")
		}
		return braces(string(op.Kind), parts), nil
	case engine.OpDWConv:
		parts := windowYAML(op, nil)
		if op.Out > 1 {
			parts = append(parts, fmt.Sprintf("multiplier: %d", op.Out))
		}
		if !op.Bias {
			parts = append(parts, "bias: false")
		}
		return braces("dwconv", parts), nil
	case engine.OpMaxPool, engine.OpAvgPool:
		parts := windowYAML(op, nil)
		if op.S == [2]int64{1, 1} {
			parts = append(parts, "s: 1") // a pool's stride defaults to its kernel
		}
		if op.Ceil {
			parts = append(parts, "ceil: true")
		}
		return braces(string(op.Kind), parts), nil
	case engine.OpFC:
		if op.Bias {
			return fmt.Sprintf("fc: %d", op.Out), nil
		}
		return fmt.Sprintf("fc: {out: %d, bias: false}", op.Out), nil
	case engine.OpDropout, engine.OpDropPath:
		return fmt.Sprintf("%s: %s", op.Kind, strconv.FormatFloat(op.Rate, 'g', -1, 64)), nil
	case engine.OpShuffle:
		return fmt.Sprintf("shuffle: %d", op.Groups), nil
	case engine.OpLRN:
		return fmt.Sprintf("lrn: {size: %d, alpha: %g, beta: %g, k: %g}", op.Size, op.Alpha, op.Beta, op.Bias0), nil
	case engine.OpSE:
		return fmt.Sprintf("se: {squeeze: %d, act: %s, gate: %s}", op.Squeeze, op.Act, op.Gate), nil
	case engine.OpUpsample:
		return fmt.Sprintf("upsample: {scale: %d, mode: %s}", op.Scale, op.Mode), nil
	case engine.OpCrop:
		return "crop: " + pairYAML(op.CropTo), nil
	case engine.OpPadChannels:
		return "", fmt.Errorf("the zero-padding shortcut is written as shortcut: auto-pad")
	}
	return string(op.Kind), nil
}
