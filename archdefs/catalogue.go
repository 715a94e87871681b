package archdefs

import (
	"convatlas/engine"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed catalogue
var embedded embed.FS

// Catalogue is a set of architectures, ordered by year then id.
type Catalogue struct {
	Archs []*Arch
	byID  map[string]*Arch
}

// Get finds an architecture by id.
func (c *Catalogue) Get(id string) (*Arch, bool) {
	a, ok := c.byID[id]
	return a, ok
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalogue
	defaultErr  error
)

// Default is the embedded catalogue, loaded once.
func Default() (*Catalogue, error) {
	defaultOnce.Do(func() {
		sub, err := fs.Sub(embedded, "catalogue")
		if err != nil {
			defaultErr = err
			return
		}
		defaultCat, defaultErr = Load(sub)
	})
	return defaultCat, defaultErr
}

// Load reads every *.yaml file of fsys (its top folder), with the notes of each in the
// Markdown file of the same name. An id must match its file name.
func Load(fsys fs.FS) (*Catalogue, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	c := &Catalogue{byID: map[string]*Arch{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".yaml") {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		a, err := Parse(name, src)
		if err != nil {
			return nil, err
		}
		if want := strings.TrimSuffix(name, ".yaml"); a.ID != want {
			return nil, fmt.Errorf("%s: the id %q differs from the file name", name, a.ID)
		}
		if _, dup := c.byID[a.ID]; dup {
			return nil, fmt.Errorf("%s: a second architecture has the id %q", name, a.ID)
		}
		if notes, err := fs.ReadFile(fsys, path.Join(".", a.ID+".md")); err == nil {
			a.Notes = string(notes)
		}
		c.byID[a.ID] = a
		c.Archs = append(c.Archs, a)
	}
	slices.SortFunc(c.Archs, func(x, y *Arch) int {
		if x.Meta.Year != y.Meta.Year {
			return x.Meta.Year - y.Meta.Year
		}
		return strings.Compare(x.ID, y.ID)
	})
	return c, nil
}

// Lookup reads one architecture of the embedded catalogue by id, without loading the
// others (the command line analyses one network per run).
func Lookup(id string) (*Arch, error) {
	if checkID(id) != nil {
		return nil, fmt.Errorf("no architecture %q in the catalogue", id)
	}
	src, err := fs.ReadFile(embedded, "catalogue/"+id+".yaml")
	if err != nil {
		return nil, fmt.Errorf("no architecture %q in the catalogue", id)
	}
	a, err := Parse(id+".yaml", src)
	if err != nil {
		return nil, err
	}
	if notes, err := fs.ReadFile(embedded, "catalogue/"+id+".md"); err == nil {
		a.Notes = string(notes)
	}
	return a, nil
}

// Reports analyses every network of the catalogue with the engine's default options,
// by id: what the tests of the packages that draw them start from.
func (c *Catalogue) Reports() (map[string]*engine.Report, error) {
	out := make(map[string]*engine.Report, len(c.Archs))
	for _, a := range c.Archs {
		r, err := engine.Analyze(a.Model, engine.Options{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.ID, err)
		}
		out[a.ID] = r
	}
	return out, nil
}
