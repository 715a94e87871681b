package archdefs

import (
	"fmt"
	"strings"

	"convatlas/engine"

	"go.yaml.in/yaml/v4"
)

// template is a reusable block under `blocks:`, expanded by `use:` with arguments.
type template struct {
	name     string
	args     []string
	defaults map[string]*yaml.Node
	body     *yaml.Node // a layer item (a mapping with one construct) or a mapping with layers:
	node     *yaml.Node
}

// parser turns a definition's YAML tree into an engine.Model, expanding templates.
type parser struct {
	file    string
	blocks  map[string]*template
	env     map[string]*yaml.Node // the arguments of the template being expanded
	using   []string              // templates being expanded, innermost last
	nesting int
	nodes   int // engine nodes made, bounded by maxNodes
}

// maxNodes bounds the definition tree after template expansion (before repeats).
const maxNodes = 200_000

func (p *parser) errAt(n *yaml.Node, field, msg string) error {
	return &engine.Error{Pos: p.pos(n, field), Msg: msg}
}

func (p *parser) pos(n *yaml.Node, field string) engine.Pos {
	pos := engine.Pos{File: p.file, Field: field}
	if n != nil {
		pos.Line, pos.Column = n.Line, n.Column
	}
	return pos
}

// resolve replaces a "$arg" scalar by the argument's value.
func (p *parser) resolve(n *yaml.Node, field string) (*yaml.Node, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || !strings.HasPrefix(n.Value, "$") {
		return n, nil
	}
	name := n.Value[1:]
	if p.env == nil {
		return nil, p.errAt(n, field, fmt.Sprintf("%s is a template argument, but this is not inside a template", n.Value))
	}
	v, ok := p.env[name]
	if !ok {
		return nil, p.errAt(n, field, fmt.Sprintf("unknown template argument %s in template %q", n.Value, p.using[len(p.using)-1]))
	}
	return v, nil
}

// opNames are the leaf operations; constructs adds the composites.
var (
	opNames = []string{
		"conv", "dwconv", "fc", "maxpool", "avgpool", "gap", "bn", "lrn", "relu", "relu6", "sigmoid", "hswish",
		"tanh", "dropout", "flatten", "softmax", "shuffle", "identity",
		"silu", "swish", "hsigmoid", "gelu", "layernorm", "layerscale", "droppath", "se", "convt", "upsample", "crop",
	}
	constructs = append(append([]string{}, opNames...),
		"branch", "residual", "dense", "repeat", "use", "stage", "aux", "cell", "fractal")
)

// companions are the keys an item may have beside its construct.
var companions = map[string][]string{
	"repeat": {"use", "layers", "name"},
	"stage":  {"layers"},
	"aux":    {"layers"},
}

func (p *parser) newNode(n *yaml.Node, field string, kind engine.NodeKind) (*engine.Node, error) {
	p.nodes++
	if p.nodes > maxNodes {
		return nil, p.errAt(n, field, fmt.Sprintf("the definition expands to more than %s constructs", engine.Group(maxNodes)))
	}
	return &engine.Node{Kind: kind, Pos: p.pos(n, field)}, nil
}

// layers reads a list of layer items.
func (p *parser) layers(n *yaml.Node, field string) ([]*engine.Node, error) {
	n, err := p.resolve(n, field)
	if err != nil {
		return nil, err
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errAt(n, field, fmt.Sprintf("must be a list of layers, got %s", p.kindName(n)))
	}
	p.nesting++
	defer func() { p.nesting-- }()
	if p.nesting > maxYAMLNesting {
		return nil, p.errAt(n, field, fmt.Sprintf("layers nested more than %d levels deep", maxYAMLNesting))
	}
	out := make([]*engine.Node, 0, len(n.Content))
	for i, c := range n.Content {
		nodes, err := p.item(c, fmt.Sprintf("%s[%d]", field, i))
		if err != nil {
			return nil, err
		}
		out = append(out, nodes...)
	}
	return out, nil
}

// item reads one layer item; `use` may splice several nodes.
func (p *parser) item(n *yaml.Node, field string) ([]*engine.Node, error) {
	n, err := p.resolve(n, field)
	if err != nil {
		return nil, err
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		node, err := p.op(n.Value, nil, n, field)
		if err != nil {
			return nil, err
		}
		return []*engine.Node{node}, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errAt(n, field, fmt.Sprintf("a layer is an operation name (relu) or a mapping (conv: {...}), got %s", p.kindName(n)))
	}
	var key string
	var value, nameNode, titleNode *yaml.Node
	extra := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case contains(constructs, k.Value) && key == "":
			key, value = k.Value, v
		case k.Value == "name":
			nameNode = v
		case k.Value == "title":
			titleNode = v
		case contains(constructs, k.Value) || k.Value == "layers":
			extra[k.Value] = k
		default:
			return nil, p.errAt(k, field+"."+k.Value, unknownKey(k.Value, append(constructs, "name", "title", "layers")))
		}
	}
	if key == "" {
		return nil, p.errAt(n, field, "the layer has no operation: expected one of "+strings.Join(constructs, ", "))
	}
	// `repeat: 3` goes with `use:` or `layers:`; everything else stands alone.
	var companion map[string]*yaml.Node
	if key == "use" && extra["repeat"] != nil {
		key, value = "repeat", valueOf(n, "repeat")
	}
	allowed := companions[key]
	for k, kn := range extra {
		if k == "use" && key == "repeat" || contains(allowed, k) {
			if companion == nil {
				companion = map[string]*yaml.Node{}
			}
			companion[k] = valueOf(n, k)
			continue
		}
		return nil, p.errAt(kn, field+"."+k, fmt.Sprintf("a layer has one operation: %q and %q cannot stand together", key, k))
	}
	name := ""
	if nameNode != nil {
		if name, err = p.str(nameNode, field+".name"); err != nil {
			return nil, err
		}
		if err := checkName(name); err != nil {
			return nil, p.errAt(nameNode, field+".name", err.Error())
		}
	}
	title := ""
	if titleNode != nil {
		if title, err = p.str(titleNode, field+".title"); err != nil {
			return nil, err
		}
		if err := checkTitle(title); err != nil {
			return nil, p.errAt(titleNode, field+".title", err.Error())
		}
		if key == "repeat" {
			return nil, p.errAt(titleNode, field+".title", "a repeated block cannot carry one title: give each of its copies a title instead")
		}
	}
	path := field + "." + key
	var nodes []*engine.Node
	switch key {
	case "branch":
		nodes, err = one(p.branch(value, path))
	case "residual":
		nodes, err = one(p.residual(value, path))
	case "dense":
		nodes, err = one(p.dense(value, path))
	case "repeat":
		nodes, err = one(p.repeat(value, companion, n, path))
	case "use":
		nodes, err = p.use(value, path)
	case "stage", "aux":
		nodes, err = one(p.group(key, value, companion, n, path))
	case "cell":
		nodes, err = one(p.cell(value, path))
	case "fractal":
		nodes, err = one(p.fractal(value, path))
	default:
		nodes, err = one(p.op(key, value, n, path))
	}
	if err != nil {
		return nil, err
	}
	if key != "use" {
		// A construct is found where its key is written.
		nodes[0].Pos.Line, nodes[0].Pos.Column = n.Line, n.Column
	}
	if name != "" || title != "" {
		if len(nodes) != 1 {
			// A named template of several layers becomes a named group of them.
			group, err := p.newNode(n, field, engine.KindSeq)
			if err != nil {
				return nil, err
			}
			group.Children, group.Label = nodes, templateLabel(value)
			nodes = []*engine.Node{group}
		}
		if name != "" {
			nodes[0].Name = name
		}
		nodes[0].Title = title
	}
	return nodes, nil
}

func one(n *engine.Node, err error) ([]*engine.Node, error) {
	if err != nil {
		return nil, err
	}
	return []*engine.Node{n}, nil
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// checkName keeps layer names usable in URLs and dotted paths.
func checkName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("a name has 1 to 64 characters")
	}
	for _, r := range name {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return fmt.Errorf("a name uses letters, digits, _ and - only, got %q", name)
		}
	}
	return nil
}

// maxTitle bounds a display title: the papers' names are short ("inception (3a)",
// "CONV1"), and a title is written on a box, whose width it sets.
const maxTitle = 32

// checkTitle keeps a display title short and on one line.
func checkTitle(title string) error {
	n := 0
	for _, r := range title {
		n++
		if r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029 {
			return fmt.Errorf("a title is one line of printable text, got %q", title)
		}
	}
	if strings.TrimSpace(title) == "" {
		return fmt.Errorf("a title cannot be blank")
	}
	if n > maxTitle {
		return fmt.Errorf("a title has 1 to %d characters, got %d", maxTitle, n)
	}
	return nil
}

// op reads a leaf operation and its settings.
func (p *parser) op(kind string, v *yaml.Node, item *yaml.Node, field string) (*engine.Node, error) {
	if !contains(opNames, kind) {
		return nil, p.errAt(item, field, unknownKey(kind, opNames)+" — an operation name is expected")
	}
	node, err := p.newNode(item, field, engine.KindLeaf)
	if err != nil {
		return nil, err
	}
	op := &node.Op
	if kind == "swish" {
		kind = "silu" // the same function, x·σ(x), under its two names
	}
	op.Kind = engine.OpKind(kind)
	op.K, op.S, op.D = [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{1, 1}
	op.Groups, op.Bias = 1, true
	if v != nil {
		if v, err = p.resolve(v, field); err != nil {
			return nil, err
		}
	}
	empty := v == nil || v.Kind == yaml.ScalarNode && v.Tag == "!!null"
	if !empty && v.Kind == yaml.MappingNode && len(v.Content) == 0 {
		empty = true
	}
	switch op.Kind {
	case engine.OpConvT:
		if empty {
			return nil, p.errAt(item, field, "convt needs its settings: {out: channels, k: kernel, s: stride}")
		}
		return node, p.window(op, v, field, true)
	case engine.OpDropPath:
		if !empty {
			if v.Kind == yaml.MappingNode {
				return node, p.fields(v, field, []string{"p"}, func(_ string, x *yaml.Node, path string) error {
					op.Rate, err = p.rate(x, path)
					return err
				})
			}
			op.Rate, err = p.rate(v, field)
		}
		return node, err
	case engine.OpUpsample:
		op.Mode = "nearest"
		if empty {
			return nil, p.errAt(item, field, "upsample needs its factor: upsample: 2, or {scale: 2, mode: bilinear}")
		}
		if v.Kind == yaml.ScalarNode {
			op.Scale, err = p.count(v, field, 1)
			return node, err
		}
		hasScale := false
		err := p.fields(v, field, []string{"scale", "mode"}, func(k string, x *yaml.Node, path string) error {
			var err error
			if k == "scale" {
				op.Scale, err = p.count(x, path, 1)
				hasScale = true
				return err
			}
			if op.Mode, err = p.str(x, path); err == nil && op.Mode != "nearest" && op.Mode != "bilinear" {
				err = p.errAt(x, path, fmt.Sprintf("the mode is nearest or bilinear, got %q", op.Mode))
			}
			return err
		})
		if err == nil && !hasScale {
			err = p.errAt(v, field, "upsample needs its factor: scale")
		}
		return node, err
	case engine.OpCrop:
		if empty {
			return nil, p.errAt(item, field, "crop needs the size it keeps: crop: 392, or [height, width]")
		}
		op.CropTo, err = p.pair(v, field, 1)
		return node, err
	case engine.OpSE:
		op.Act, op.Gate = engine.OpReLU, engine.OpSigmoid
		if empty {
			return nil, p.errAt(item, field, "se needs its squeezed width: {squeeze: 16, act: relu, gate: sigmoid}")
		}
		hasSqueeze := false
		err := p.fields(v, field, []string{"squeeze", "act", "gate"}, func(k string, x *yaml.Node, path string) error {
			if k == "squeeze" {
				var err error
				op.Squeeze, err = p.count(x, path, 1)
				hasSqueeze = true
				return err
			}
			name, err := p.str(x, path)
			if err != nil {
				return err
			}
			allowed := []string{"relu", "relu6", "silu", "swish", "hswish", "gelu"}
			if k == "gate" {
				allowed = []string{"sigmoid", "hsigmoid"}
			}
			if !contains(allowed, name) {
				return p.errAt(x, path, fmt.Sprintf("%s is one of %s, got %q", k, strings.Join(allowed, ", "), name))
			}
			if name == "swish" {
				name = "silu"
			}
			if k == "act" {
				op.Act = engine.OpKind(name)
			} else {
				op.Gate = engine.OpKind(name)
			}
			return nil
		})
		if err == nil && !hasSqueeze {
			err = p.errAt(v, field, "se needs its squeezed width: squeeze")
		}
		return node, err
	case engine.OpConv, engine.OpDWConv:
		if empty && op.Kind == engine.OpConv {
			return nil, p.errAt(item, field, "conv needs its settings: {out: channels, k: kernel}")
		}
		if op.Kind == engine.OpDWConv {
			op.Out = 1
			if empty {
				return nil, p.errAt(item, field, "dwconv needs its settings: {k: kernel}")
			}
		}
		return node, p.window(op, v, field, true)
	case engine.OpMaxPool, engine.OpAvgPool:
		if empty {
			return nil, p.errAt(item, field, string(op.Kind)+" needs a kernel: "+string(op.Kind)+": 2, or {k: 3, s: 2}")
		}
		if v.Kind == yaml.ScalarNode {
			k, err := p.pair(v, field, 1)
			op.K, op.S = k, k
			return node, err
		}
		return node, p.window(op, v, field, false)
	case engine.OpFC:
		if empty {
			return nil, p.errAt(item, field, "fc needs its output features: fc: 4096, or {out: 4096}")
		}
		if v.Kind == yaml.ScalarNode {
			op.Out, err = p.count(v, field, 1)
			return node, err
		}
		return node, p.fields(v, field, []string{"out", "bias"}, func(k string, x *yaml.Node, path string) error {
			var err error
			if k == "out" {
				op.Out, err = p.count(x, path, 1)
			} else {
				op.Bias, err = p.bool(x, path)
			}
			return err
		})
	case engine.OpDropout:
		op.Rate = 0.5
		if !empty {
			if v.Kind == yaml.MappingNode {
				return node, p.fields(v, field, []string{"p"}, func(_ string, x *yaml.Node, path string) error {
					op.Rate, err = p.rate(x, path)
					return err
				})
			}
			op.Rate, err = p.rate(v, field)
		}
		return node, err
	case engine.OpShuffle:
		if empty {
			return nil, p.errAt(item, field, "shuffle needs its groups: shuffle: 3")
		}
		if v.Kind == yaml.MappingNode {
			return node, p.fields(v, field, []string{"groups"}, func(_ string, x *yaml.Node, path string) error {
				op.Groups, err = p.count(x, path, 1)
				return err
			})
		}
		op.Groups, err = p.count(v, field, 1)
		return node, err
	case engine.OpLRN:
		// AlexNet's constants: n = 5, α = 10⁻⁴, β = 0.75, k = 2.
		op.Size, op.Alpha, op.Beta, op.Bias0 = 5, 1e-4, 0.75, 2
		if empty {
			return node, nil
		}
		return node, p.fields(v, field, []string{"size", "alpha", "beta", "k"}, func(k string, x *yaml.Node, path string) error {
			var err error
			switch k {
			case "size":
				op.Size, err = p.count(x, path, 1)
			case "alpha":
				op.Alpha, err = p.float(x, path)
			case "beta":
				op.Beta, err = p.float(x, path)
			case "k":
				op.Bias0, err = p.float(x, path)
			}
			return err
		})
	}
	if !empty {
		return nil, p.errAt(v, field, fmt.Sprintf("%s takes no settings", kind))
	}
	return node, nil
}

func (p *parser) rate(n *yaml.Node, field string) (float64, error) {
	r, err := p.float(n, field)
	if err == nil && (r < 0 || r >= 1) {
		err = p.errAt(n, field, fmt.Sprintf("a dropout probability is in [0, 1), got %g", r))
	}
	return r, err
}

// window reads the settings of a convolution or a pool.
func (p *parser) window(op *engine.Op, v *yaml.Node, field string, conv bool) error {
	known := []string{"k", "kernel", "s", "stride", "p", "padding", "d", "dilation"}
	switch {
	case conv && op.Kind == engine.OpDWConv:
		known = append(known, "bias", "multiplier")
	case op.Kind == engine.OpConvT:
		known = append(known, "out", "groups", "bias", "output_padding")
	case conv:
		known = append(known, "out", "groups", "bias")
	default:
		known = append(known, "ceil")
	}
	seen := map[string]string{}
	hasK, hasS, hasOut := false, false, false
	err := p.fields(v, field, known, func(k string, x *yaml.Node, path string) error {
		long := map[string]string{"kernel": "k", "stride": "s", "padding": "p", "dilation": "d"}
		if short, ok := long[k]; ok {
			k = short
		}
		if prev, dup := seen[k]; dup {
			return p.errAt(x, path, fmt.Sprintf("%q repeats %q", path, prev))
		}
		seen[k] = path
		var err error
		switch k {
		case "k":
			op.K, err = p.pair(x, path, 1)
			hasK = true
		case "s":
			op.S, err = p.pair(x, path, 1)
			hasS = true
		case "p":
			err = p.padding(op, x, path, conv && op.Kind != engine.OpConvT)
		case "output_padding":
			op.OutPad, err = p.pair(x, path, 0)
		case "d":
			op.D, err = p.pair(x, path, 1)
		case "out":
			op.Out, err = p.count(x, path, 1)
			hasOut = true
		case "multiplier":
			op.Out, err = p.count(x, path, 1)
		case "groups":
			op.Groups, err = p.count(x, path, 1)
		case "bias":
			op.Bias, err = p.bool(x, path)
		case "ceil":
			op.Ceil, err = p.bool(x, path)
		}
		return err
	})
	if err != nil {
		return err
	}
	if !hasK {
		return p.errAt(v, field, fmt.Sprintf("%s needs a kernel size k", op.Kind))
	}
	if conv && (op.Kind == engine.OpConv || op.Kind == engine.OpConvT) && !hasOut {
		return p.errAt(v, field, "conv needs its output channels: out")
	}
	if !conv && !hasS {
		op.S = op.K // PyTorch's default: the stride of a pool is its kernel
	}
	return nil
}

// padding reads p: a number, [height, width], or for convolutions also
// [top, bottom, left, right] (asymmetric) or "same".
func (p *parser) padding(op *engine.Op, x *yaml.Node, path string, conv bool) error {
	x, err := p.resolve(x, path)
	if err != nil {
		return err
	}
	if x.Kind == yaml.ScalarNode && x.Tag == "!!str" && x.Value == "same" {
		if !conv {
			return p.errAt(x, path, `"same" padding is for convolutions`)
		}
		op.Same = true
		return nil
	}
	if x.Kind == yaml.SequenceNode && len(x.Content) == 4 {
		if !conv {
			return p.errAt(x, path, "asymmetric padding [top, bottom, left, right] is for convolutions")
		}
		var v [4]int64
		for i, c := range x.Content {
			if v[i], err = p.count(c, fmt.Sprintf("%s[%d]", path, i), 0); err != nil {
				return err
			}
		}
		op.P = [2]int64{v[0], v[2]}
		op.PadAfter = [2]int64{v[1] - v[0], v[3] - v[2]}
		return nil
	}
	if x.Kind == yaml.SequenceNode && len(x.Content) != 2 {
		return p.errAt(x, path, fmt.Sprintf(`padding is one number, [height, width], [top, bottom, left, right] or "same", got %d numbers`, len(x.Content)))
	}
	op.P, err = p.pair(x, path, 0)
	return err
}

// templateLabel is the name of the template a use: item expands.
func templateLabel(use *yaml.Node) string {
	switch {
	case use == nil:
		return ""
	case use.Kind == yaml.ScalarNode:
		return use.Value
	case use.Kind == yaml.MappingNode && len(use.Content) == 2:
		return use.Content[0].Value
	}
	return ""
}
