package archdefs

import (
	"fmt"
	"slices"
	"strings"

	"convatlas/engine"

	"go.yaml.in/yaml/v4"
)

// readBlocks reads the templates under `blocks:`:
//
//	blocks:
//	  bottleneck:
//	    args: [mid, out, stride]          # or {mid: ~, stride: 1} with defaults
//	    residual: {...}                   # one construct, or layers: [...]
func (p *parser) readBlocks(v *yaml.Node, field string) error {
	if v.Kind != yaml.MappingNode {
		return p.errAt(v, field, "blocks maps template names to their definitions")
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, body := v.Content[i], v.Content[i+1]
		path := field + "." + k.Value
		if err := checkName(k.Value); err != nil {
			return p.errAt(k, path, err.Error())
		}
		if contains(constructs, k.Value) {
			return p.errAt(k, path, fmt.Sprintf("a template cannot be called %q: that is an operation", k.Value))
		}
		if body.Kind != yaml.MappingNode {
			return p.errAt(body, path, "a template is a mapping: args: [...] and one construct or layers: [...]")
		}
		t := &template{name: k.Value, defaults: map[string]*yaml.Node{}, node: k}
		rest := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: body.Line, Column: body.Column}
		for j := 0; j+1 < len(body.Content); j += 2 {
			bk, bv := body.Content[j], body.Content[j+1]
			if bk.Value != "args" {
				rest.Content = append(rest.Content, bk, bv)
				continue
			}
			switch bv.Kind {
			case yaml.SequenceNode:
				for n, a := range bv.Content {
					name, err := p.str(a, fmt.Sprintf("%s.args[%d]", path, n))
					if err != nil {
						return err
					}
					t.args = append(t.args, name)
				}
			case yaml.MappingNode:
				for n := 0; n+1 < len(bv.Content); n += 2 {
					name := bv.Content[n].Value
					t.args = append(t.args, name)
					if d := bv.Content[n+1]; d.Tag != "!!null" {
						t.defaults[name] = d
					}
				}
			default:
				return p.errAt(bv, path+".args", "args is a list of names, or a mapping of names to default values")
			}
		}
		t.body = rest
		p.blocks[k.Value] = t
	}
	return nil
}

// use expands a template: `use: name` or `use: {name: {arg: value, …}}`. Arguments are
// resolved where they are written, so a template may pass its own ($x) on.
func (p *parser) use(v *yaml.Node, field string) ([]*engine.Node, error) {
	v, err := p.resolve(v, field)
	if err != nil {
		return nil, err
	}
	var nameNode, argsNode *yaml.Node
	switch {
	case v.Kind == yaml.ScalarNode:
		nameNode = v
	case v.Kind == yaml.MappingNode && len(v.Content) == 2:
		nameNode, argsNode = v.Content[0], v.Content[1]
	default:
		return nil, p.errAt(v, field, "use names one template: use: name, or use: {name: {arg: value}}")
	}
	t, ok := p.blocks[nameNode.Value]
	if !ok {
		known := make([]string, 0, len(p.blocks))
		for k := range p.blocks {
			known = append(known, k)
		}
		slices.Sort(known)
		msg := fmt.Sprintf("unknown template %q", nameNode.Value)
		if len(known) > 0 {
			msg += " (defined under blocks: " + strings.Join(known, ", ") + ")"
		}
		return nil, p.errAt(nameNode, field, msg)
	}
	if slices.Contains(p.using, t.name) {
		return nil, p.errAt(nameNode, field, fmt.Sprintf("template %q uses itself: %s → %s", t.name, strings.Join(p.using, " → "), t.name))
	}
	env := make(map[string]*yaml.Node, len(t.args))
	if argsNode != nil && !(argsNode.Kind == yaml.ScalarNode && argsNode.Tag == "!!null") {
		if argsNode.Kind != yaml.MappingNode {
			return nil, p.errAt(argsNode, field+"."+t.name, "template arguments are a mapping: {arg: value}")
		}
		for i := 0; i+1 < len(argsNode.Content); i += 2 {
			k, a := argsNode.Content[i], argsNode.Content[i+1]
			if !contains(t.args, k.Value) {
				return nil, p.errAt(k, field+"."+t.name+"."+k.Value, fmt.Sprintf("template %q has no argument %q (its arguments: %s)", t.name, k.Value, strings.Join(t.args, ", ")))
			}
			if env[k.Value], err = p.resolve(a, field+"."+t.name+"."+k.Value); err != nil {
				return nil, err
			}
		}
	}
	for _, a := range t.args {
		if env[a] == nil {
			if d, ok := t.defaults[a]; ok {
				env[a] = d
				continue
			}
			return nil, p.errAt(nameNode, field, fmt.Sprintf("template %q needs the argument %q", t.name, a))
		}
	}
	outerEnv, outerUsing := p.env, p.using
	p.env, p.using = env, append(p.using, t.name)
	defer func() { p.env, p.using = outerEnv, outerUsing }()
	bodyField := "blocks." + t.name
	var nodes []*engine.Node
	if layers := valueOf(t.body, "layers"); layers != nil && len(t.body.Content) == 2 {
		nodes, err = p.layers(layers, bodyField+".layers")
	} else {
		nodes, err = p.item(t.body, bodyField)
	}
	if err != nil {
		return nil, withUse(err, nameNode, p, field, t.name)
	}
	if len(nodes) == 1 && nodes[0].Label == "" {
		nodes[0].Label = t.name
	}
	return nodes, nil
}

// withUse adds, to an error inside a template, where the template was used.
func withUse(err error, at *yaml.Node, p *parser, field, name string) error {
	e, ok := err.(*engine.Error)
	if !ok || strings.Contains(e.Msg, "(in template") {
		return err
	}
	e.Msg += fmt.Sprintf(" (in template %q used at %d:%d, %s)", name, at.Line, at.Column, field)
	return e
}
