package archdefs

import (
	"fmt"
	"strings"

	"convatlas/engine"

	"go.yaml.in/yaml/v4"
)

var merges = []string{"concat", "add", "mul", "mean"}

func (p *parser) merge(n *yaml.Node, field string) (engine.MergeKind, error) {
	s, err := p.str(n, field)
	if err != nil {
		return "", err
	}
	if !contains(merges, s) {
		return "", p.errAt(n, field, fmt.Sprintf("unknown merge %q: use concat, add, mul or mean", s))
	}
	return engine.MergeKind(s), nil
}

// branch: parallel paths from the same tensor, merged. With split: true the paths
// share the input's channels equally instead (ShuffleNet v2's channel split).
//
//	branch: {merge: concat, paths: [[conv: …], [conv: …, conv: …], {name: pool, layers: [...]}]}
func (p *parser) branch(v *yaml.Node, field string) (*engine.Node, error) {
	node, err := p.newNode(v, field, engine.KindBranch)
	if err != nil {
		return nil, err
	}
	var paths *yaml.Node
	err = p.fields(v, field, []string{"merge", "paths", "split"}, func(k string, x *yaml.Node, path string) error {
		var err error
		switch k {
		case "merge":
			node.Merge, err = p.merge(x, path)
		case "split":
			node.Split, err = p.bool(x, path)
		default:
			paths, err = p.resolve(x, path)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if node.Merge == "" {
		return nil, p.errAt(v, field, "a branch needs merge: concat, add, mul or mean")
	}
	if paths == nil || paths.Kind != yaml.SequenceNode || len(paths.Content) < 2 {
		return nil, p.errAt(v, field+".paths", "a branch needs paths: a list of at least two paths, each a list of layers")
	}
	for i, pathNode := range paths.Content {
		path := fmt.Sprintf("%s.paths[%d]", field, i)
		seq, err := p.newNode(pathNode, path, engine.KindSeq)
		if err != nil {
			return nil, err
		}
		pathNode, err = p.resolve(pathNode, path)
		if err != nil {
			return nil, err
		}
		if pathNode.Kind == yaml.MappingNode {
			err = p.fields(pathNode, path, []string{"name", "layers"}, func(k string, x *yaml.Node, sub string) error {
				var err error
				if k == "name" {
					if seq.Name, err = p.str(x, sub); err == nil {
						if err = checkName(seq.Name); err != nil {
							err = p.errAt(x, sub, err.Error())
						}
					}
				} else {
					seq.Children, err = p.layers(x, sub)
				}
				return err
			})
		} else {
			seq.Children, err = p.layers(pathNode, path)
		}
		if err != nil {
			return nil, err
		}
		node.Children = append(node.Children, seq)
	}
	return node, nil
}

// residual: body + shortcut, added, then after.
//
//	residual: {body: [...], shortcut: auto | auto-conv | auto-pad | identity | [...], after: [relu]}
func (p *parser) residual(v *yaml.Node, field string) (*engine.Node, error) {
	node, err := p.newNode(v, field, engine.KindResidual)
	if err != nil {
		return nil, err
	}
	hasBody := false
	err = p.fields(v, field, []string{"body", "shortcut", "after"}, func(k string, x *yaml.Node, path string) error {
		var err error
		switch k {
		case "body":
			node.Children, err = p.layers(x, path)
			hasBody = true
		case "after":
			node.After, err = p.layers(x, path)
		case "shortcut":
			if x, err = p.resolve(x, path); err != nil {
				return err
			}
			if x.Kind == yaml.SequenceNode {
				node.ShortcutMode = engine.ShortcutLayers
				node.Shortcut, err = p.layers(x, path)
				return err
			}
			modes := map[string]engine.ShortcutMode{"auto": engine.ShortcutAuto, "auto-conv": engine.ShortcutAutoConv,
				"auto-pad": engine.ShortcutAutoPad, "identity": engine.ShortcutIdentity}
			s, err := p.str(x, path)
			if err != nil {
				return err
			}
			mode, ok := modes[s]
			if !ok {
				return p.errAt(x, path, fmt.Sprintf("unknown shortcut %q: use auto, auto-conv, auto-pad, identity or a list of layers", s))
			}
			node.ShortcutMode = mode
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !hasBody {
		return nil, p.errAt(v, field, "a residual block needs a body: a list of layers")
	}
	return node, nil
}

// dense: DenseNet's block of n layers, each fed the concatenation of all before it.
//
//	dense: {n: 6, layer: [bn, relu, conv: …]}
func (p *parser) dense(v *yaml.Node, field string) (*engine.Node, error) {
	node, err := p.newNode(v, field, engine.KindDense)
	if err != nil {
		return nil, err
	}
	hasN := false
	err = p.fields(v, field, []string{"n", "layer"}, func(k string, x *yaml.Node, path string) error {
		var err error
		if k == "n" {
			var n int64
			n, err = p.count(x, path, 1)
			node.Count, hasN = int(min(n, 1<<30)), true
		} else {
			node.Children, err = p.layers(x, path)
		}
		return err
	})
	if err == nil && (!hasN || node.Children == nil) {
		err = p.errAt(v, field, "a dense block needs n (its number of layers) and layer (the layers of one)")
	}
	return node, err
}

// repeat: `repeat: 3` with `use:` or `layers:`; the body is repeated in place.
func (p *parser) repeat(v *yaml.Node, with map[string]*yaml.Node, item *yaml.Node, field string) (*engine.Node, error) {
	node, err := p.newNode(item, field, engine.KindRepeat)
	if err != nil {
		return nil, err
	}
	n, err := p.count(v, field, 1)
	if err != nil {
		return nil, err
	}
	node.Count = int(min(n, 1<<30))
	base := strings.TrimSuffix(field, ".repeat")
	switch {
	case with["use"] != nil && with["layers"] != nil:
		return nil, p.errAt(item, base, "repeat takes use: or layers:, not both")
	case with["use"] != nil:
		node.Children, err = p.use(with["use"], base+".use")
		if err == nil && len(node.Children) == 1 {
			node.Label = node.Children[0].Label
		}
	case with["layers"] != nil:
		node.Children, err = p.layers(with["layers"], base+".layers")
	default:
		return nil, p.errAt(item, base, "repeat needs what to repeat: use: {template: {...}} or layers: [...]")
	}
	return node, err
}

// group reads a stage (`stage: conv2_x`) or an auxiliary classifier (`aux: aux1`),
// each with `layers:`.
func (p *parser) group(key string, v *yaml.Node, with map[string]*yaml.Node, item *yaml.Node, field string) (*engine.Node, error) {
	kind := engine.KindStage
	if key == "aux" {
		kind = engine.KindAux
	}
	node, err := p.newNode(item, field, kind)
	if err != nil {
		return nil, err
	}
	if node.Name, err = p.str(v, field); err != nil {
		return nil, err
	}
	if err := checkName(node.Name); err != nil {
		return nil, p.errAt(v, field, err.Error())
	}
	base := strings.TrimSuffix(field, "."+key)
	if with["layers"] == nil {
		return nil, p.errAt(item, base, key+" needs layers: [...]")
	}
	node.Children, err = p.layers(with["layers"], base+".layers")
	if err == nil && len(node.Children) == 0 {
		err = p.errAt(item, base+".layers", key+" needs at least one layer")
	}
	return node, err
}

// cell: a small graph with named inputs (NASNet).
//
//	cell:
//	  inputs: [x, prev]            # the current tensor, the previous cell's input
//	  nodes:
//	    - {name: a, from: prev, layers: [...]}
//	    - {name: s1, add: [a, b]}
//	  output: {concat: [s1, s2]}
func (p *parser) cell(v *yaml.Node, field string) (*engine.Node, error) {
	node, err := p.newNode(v, field, engine.KindCell)
	if err != nil {
		return nil, err
	}
	c := &engine.Cell{}
	node.Cell = c
	hasOut := false
	err = p.fields(v, field, []string{"inputs", "nodes", "output"}, func(k string, x *yaml.Node, path string) error {
		var err error
		switch k {
		case "inputs":
			if c.Inputs, err = p.strs(x, path); err == nil && (len(c.Inputs) < 1 || len(c.Inputs) > 2) {
				err = p.errAt(x, path, "a cell has one or two inputs: [current, previous]")
			}
		case "nodes":
			if x, err = p.resolve(x, path); err != nil {
				return err
			}
			if x.Kind != yaml.SequenceNode {
				return p.errAt(x, path, "nodes is a list")
			}
			for i, cn := range x.Content {
				node, err := p.cellNode(cn, fmt.Sprintf("%s[%d]", path, i), true)
				if err != nil {
					return err
				}
				c.Nodes = append(c.Nodes, node)
			}
		case "output":
			c.Output, err = p.cellNode(x, path, false)
			c.Output.Name, hasOut = "out", true
		}
		return err
	})
	if err == nil && (len(c.Inputs) == 0 || !hasOut) {
		err = p.errAt(v, field, "a cell needs inputs: [...] and output: {concat: [...]}")
	}
	return node, err
}

func (p *parser) cellNode(v *yaml.Node, field string, named bool) (engine.CellNode, error) {
	cn := engine.CellNode{Pos: p.pos(v, field)}
	known := append([]string{"name", "from", "layers"}, merges...)
	if !named {
		known = merges
	}
	err := p.fields(v, field, known, func(k string, x *yaml.Node, path string) error {
		var err error
		switch k {
		case "name":
			if cn.Name, err = p.str(x, path); err == nil {
				if err = checkName(cn.Name); err != nil {
					err = p.errAt(x, path, err.Error())
				}
			}
		case "from":
			cn.From, err = p.str(x, path)
		case "layers":
			cn.Layers, err = p.layers(x, path)
		default:
			if cn.Merge != "" {
				return p.errAt(x, path, "a cell node has one merge")
			}
			cn.Merge = engine.MergeKind(k)
			cn.Of, err = p.strs(x, path)
		}
		return err
	})
	if err != nil {
		return cn, err
	}
	switch {
	case named && cn.Name == "":
		return cn, p.errAt(v, field, "a cell node needs a name")
	case cn.From != "" && cn.Merge != "":
		return cn, p.errAt(v, field, "a cell node either applies layers to one input (from:) or merges several (add: [...])")
	case cn.From == "" && cn.Merge == "":
		return cn, p.errAt(v, field, "a cell node needs from: (with layers:) or a merge (add: [a, b], concat: [...])")
	}
	return cn, nil
}

// fractal: FractalNet's expansion rule with C columns, a block B and a join:
//
//	f₁ = B,  f_{C+1} = join(B, f_C ∘ f_C)
//
// The joins are kept as nested two-way joins; the paper merges the joins that meet at
// one place into one, which changes the mean's weights but no figure computed here.
func (p *parser) fractal(v *yaml.Node, field string) (*engine.Node, error) {
	var columns int64
	var block []*engine.Node
	join := engine.MergeMean
	err := p.fields(v, field, []string{"columns", "block", "join"}, func(k string, x *yaml.Node, path string) error {
		var err error
		switch k {
		case "columns":
			if columns, err = p.count(x, path, 1); err == nil && columns > 8 {
				err = p.errAt(x, path, fmt.Sprintf("at most 8 columns (2⁸ − 1 blocks), got %d", columns))
			}
		case "block":
			block, err = p.layers(x, path)
		case "join":
			join, err = p.merge(x, path)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if columns == 0 || len(block) == 0 {
		return nil, p.errAt(v, field, "a fractal needs columns: C and block: [layers]")
	}
	pos := p.pos(v, field)
	var expand func(c int64) []*engine.Node
	expand = func(c int64) []*engine.Node {
		if c == 1 {
			return block
		}
		deeper := append(append([]*engine.Node{}, expand(c-1)...), expand(c-1)...)
		return []*engine.Node{{Kind: engine.KindBranch, Merge: join, Label: "join", Pos: pos, Children: []*engine.Node{
			{Kind: engine.KindSeq, Name: "col1", Children: block, Pos: pos},
			{Kind: engine.KindSeq, Name: fmt.Sprintf("col%d", c), Children: deeper, Pos: pos},
		}}}
	}
	return &engine.Node{Kind: engine.KindSeq, Label: "fractal", Children: expand(columns), Pos: pos}, nil
}
