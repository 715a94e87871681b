package archdefs

import (
	_ "embed"
	"fmt"
	"reflect"
)

//go:embed atlas.yaml
var atlasYAML []byte

// Index is what the atlas says about the catalogue as a whole: its families, and the
// ILSVRC classification results by year.
type Index struct {
	Families []Family `yaml:"families"`
	ILSVRC   []Winner `yaml:"ilsvrc"`
	Human    struct {
		Top5   float64 `yaml:"top5"`
		Source string  `yaml:"source"`
	} `yaml:"human"`
}

// Family is a group of related architectures, in the order a lecture takes them.
type Family struct {
	Name    string   `yaml:"name"`
	Summary string   `yaml:"summary"`
	IDs     []string `yaml:"ids"`
}

// Winner is an ILSVRC classification result: the year's winner (or a runner-up worth
// showing), its top-5 error in percent and its source.
type Winner struct {
	Year     int     `yaml:"year"`
	Entry    string  `yaml:"entry"`
	Short    string  `yaml:"short"` // a label that fits under a bar
	ID       string  `yaml:"id"`
	Top5     float64 `yaml:"top5"`
	Source   string  `yaml:"source"`
	RunnerUp bool    `yaml:"runner_up"`
}

// LoadIndex reads the embedded index and checks it against the catalogue: every id
// known, every architecture in exactly one family, named as it names its family.
func LoadIndex(cat *Catalogue) (*Index, error) {
	root, err := parseYAML("atlas.yaml", atlasYAML)
	if err != nil {
		return nil, err
	}
	p := &parser{file: "atlas.yaml"}
	var idx Index
	if err := p.decode(root, "", reflect.ValueOf(&idx).Elem()); err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for _, f := range idx.Families {
		for _, id := range f.IDs {
			a, ok := cat.Get(id)
			switch {
			case !ok:
				return nil, fmt.Errorf("atlas.yaml: family %q lists unknown %q", f.Name, id)
			case seen[id] != "":
				return nil, fmt.Errorf("atlas.yaml: %q is in families %q and %q", id, seen[id], f.Name)
			case a.Meta.Family != f.Name:
				return nil, fmt.Errorf("atlas.yaml: %q is listed in %q but its definition says %q", id, f.Name, a.Meta.Family)
			}
			seen[id] = f.Name
		}
	}
	for _, a := range cat.Archs {
		if seen[a.ID] == "" {
			return nil, fmt.Errorf("atlas.yaml: %q is in no family", a.ID)
		}
	}
	for _, w := range idx.ILSVRC {
		if _, ok := cat.Get(w.ID); w.ID != "" && !ok {
			return nil, fmt.Errorf("atlas.yaml: ILSVRC %d names unknown %q", w.Year, w.ID)
		}
		if w.Source == "" {
			return nil, fmt.Errorf("atlas.yaml: ILSVRC %d has no source", w.Year)
		}
	}
	return &idx, nil
}
