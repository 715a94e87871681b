// Package archdefs holds the catalogue of architectures as YAML definitions with
// Markdown notes, embedded in the binary, and the loader that turns a definition into
// an engine.Model: it parses the YAML with positions, refuses what a definition never
// needs (anchors, aliases, unknown keys, wrong types), expands templates and checks
// every field, so that an error names the file, line, column and field.
package archdefs

import (
	"fmt"
	"reflect"
	"strings"

	"convatlas/engine"

	"go.yaml.in/yaml/v4"
)

// Arch is one architecture: the model the engine analyses and what a reader is told
// about it.
type Arch struct {
	ID     string
	Name   string
	Meta   Meta
	Model  *engine.Model
	Notes  string // Markdown
	File   string
	Source []byte // the definition as written
}

// Meta is what a definition says about its network besides the layers. Every figure
// that is not computed cites its source.
type Meta struct {
	Year        int      `yaml:"year"`
	Authors     []string `yaml:"authors"`
	Paper       Paper    `yaml:"paper"`
	Family      string   `yaml:"family"`
	DerivedFrom []string `yaml:"derived_from"`
	Summary     string   `yaml:"summary"`
	New         []string `yaml:"new"`
	Results     []Result `yaml:"results"`
	Recipe      Recipe   `yaml:"recipe"`
	// Variant says how this definition differs from a popular implementation.
	Variant string `yaml:"variant"`
	// Reference is what the computed figures are checked against: "torchvision" or "paper".
	Reference string `yaml:"reference"`
	// TableNote is shown under the layer table: where a well-known table of this
	// network (a lecture's, a paper's) differs from the computed one, and why.
	TableNote string `yaml:"table_note"`
	// DepthNote says why the computed depth (weight layers on the longest path) differs
	// from the number in the network's name or paper: SE-ResNet-50's gates add 32.
	DepthNote string `yaml:"depth_note"`
}

// Paper is the publication that introduced the network.
type Paper struct {
	Title string `yaml:"title"`
	URL   string `yaml:"url"`
	Venue string `yaml:"venue"`
}

// Result is a published accuracy or error rate.
type Result struct {
	Metric  string `yaml:"metric"`  // "ILSVRC top-5 error"
	Value   string `yaml:"value"`   // "16.4%"
	Setting string `yaml:"setting"` // "single model, 10 crops"
	Source  string `yaml:"source"`
}

// Recipe is the training recipe as the paper gives it.
type Recipe struct {
	BatchSize    string `yaml:"batch_size"`
	Optimizer    string `yaml:"optimizer"`
	LearningRate string `yaml:"learning_rate"`
	Schedule     string `yaml:"schedule"`
	WeightDecay  string `yaml:"weight_decay"`
	Dropout      string `yaml:"dropout"`
	Epochs       string `yaml:"epochs"`
	Augmentation string `yaml:"augmentation"`
	Other        string `yaml:"other"`
	Source       string `yaml:"source"`
}

// Parse reads one definition. file names it in errors.
func Parse(file string, src []byte) (*Arch, error) {
	root, err := parseYAML(file, src)
	if err != nil {
		return nil, err
	}
	p := &parser{file: file, blocks: map[string]*template{}}
	a := &Arch{File: file, Source: src}
	model := &engine.Model{Pos: engine.Pos{File: file, Line: root.Line, Column: root.Column}}
	var layersNode *yaml.Node
	err = p.fields(root, "", []string{"id", "name", "input", "devices", "meta", "blocks", "layers"}, func(k string, v *yaml.Node, path string) error {
		var err error
		switch k {
		case "id":
			if a.ID, err = p.str(v, path); err == nil {
				err = checkID(a.ID)
				if err != nil {
					err = p.errAt(v, path, err.Error())
				}
			}
		case "name":
			a.Name, err = p.str(v, path)
		case "input":
			model.Input, err = p.input(v, path)
		case "devices":
			model.Devices, err = p.devices(v, path)
		case "meta":
			err = p.decode(v, path, reflect.ValueOf(&a.Meta).Elem())
		case "blocks":
			err = p.readBlocks(v, path)
		case "layers":
			layersNode = v
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	switch {
	case a.ID == "":
		return nil, p.errAt(root, "id", "the definition needs an id: (letters, digits and _)")
	case model.Input == (engine.Shape{}):
		return nil, p.errAt(root, "input", "the definition needs an input: {c: 3, h: 224, w: 224}")
	case layersNode == nil:
		return nil, p.errAt(root, "layers", "the definition needs layers: [...]")
	}
	children, err := p.layers(layersNode, "layers")
	if err != nil {
		return nil, err
	}
	if len(children) == 0 {
		return nil, p.errAt(layersNode, "layers", "the network has no layers")
	}
	if a.Name == "" {
		a.Name = a.ID
	}
	model.ID, model.Name = a.ID, a.Name
	model.Root = &engine.Node{Kind: engine.KindSeq, Children: children, Pos: model.Pos}
	a.Model = model
	return a, nil
}

// checkID keeps ids usable as file names and URL segments.
func checkID(id string) error {
	if len(id) > 64 {
		return fmt.Errorf("an id has at most 64 characters")
	}
	for _, r := range id {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			return fmt.Errorf("an id uses lower-case letters, digits and _ only, got %q", id)
		}
	}
	return nil
}

// input reads {c: 3, h: 224, w: 224} or [3, 224, 224].
func (p *parser) input(v *yaml.Node, field string) (engine.Shape, error) {
	var s engine.Shape
	if v.Kind == yaml.SequenceNode {
		if len(v.Content) != 3 {
			return s, p.errAt(v, field, "input is [channels, height, width]")
		}
		var err error
		for i, dst := range []*int64{&s.C, &s.H, &s.W} {
			if *dst, err = p.count(v.Content[i], fmt.Sprintf("%s[%d]", field, i), 1); err != nil {
				return s, err
			}
		}
		return s, nil
	}
	err := p.fields(v, field, []string{"c", "h", "w"}, func(k string, x *yaml.Node, path string) error {
		n, err := p.count(x, path, 1)
		switch k {
		case "c":
			s.C = n
		case "h":
			s.H = n
		case "w":
			s.W = n
		}
		return err
	})
	if err == nil && (s.C == 0 || s.H == 0 || s.W == 0) {
		err = p.errAt(v, field, "input needs c, h and w")
	}
	return s, err
}

// decode fills a metadata struct from a mapping by its yaml tags, with the same
// strictness as the layers: unknown keys and wrong types are errors.
func (p *parser) decode(v *yaml.Node, field string, dst reflect.Value) error {
	switch dst.Kind() {
	case reflect.String:
		s, err := p.str(v, field)
		dst.SetString(s)
		return err
	case reflect.Int:
		n, err := p.int(v, field)
		dst.SetInt(n)
		return err
	case reflect.Float64:
		f, err := p.float(v, field)
		dst.SetFloat(f)
		return err
	case reflect.Bool:
		b, err := p.bool(v, field)
		dst.SetBool(b)
		return err
	case reflect.Slice:
		if v.Kind != yaml.SequenceNode {
			return p.errAt(v, field, "must be a list")
		}
		out := reflect.MakeSlice(dst.Type(), len(v.Content), len(v.Content))
		for i, c := range v.Content {
			if err := p.decode(c, fmt.Sprintf("%s[%d]", field, i), out.Index(i)); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	case reflect.Struct:
		t := dst.Type()
		known := make([]string, t.NumField())
		for i := range known {
			known[i] = strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		}
		return p.fields(v, field, known, func(k string, x *yaml.Node, path string) error {
			for i, name := range known {
				if name == k {
					return p.decode(x, path, dst.Field(i))
				}
			}
			return nil
		})
	}
	return p.errAt(v, field, "cannot be read")
}

// Summary is an architecture in a listing (`convatlas list --json`, GET /api/archs).
type Summary struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Year      int    `json:"year"`
	Family    string `json:"family"`
	Params    int64  `json:"params"`
	MACs      int64  `json:"macs"`
	Depth     int    `json:"depth"`
	Reference string `json:"reference"`
}

// Summarize lists an architecture with the totals of its analysis.
func Summarize(a *Arch, r *engine.Report) Summary {
	return Summary{ID: a.ID, Name: a.Name, Year: a.Meta.Year, Family: a.Meta.Family,
		Params: r.Totals.Params, MACs: r.Totals.MACs, Depth: r.Totals.Depth, Reference: a.Meta.Reference}
}
