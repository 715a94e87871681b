package convatlas_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// layers ranks the module's packages: a package may import only packages of a lower
// rank, so that dependencies run one way, cmd → web → templates → {diagram, chart} →
// engine. Packages beside one another on a rank do not import one another.
var layers = map[string]int{
	"engine": 0, "docs": 0, "static": 0, "markdown": 0,
	"archdefs": 1,
	"diagram":  2, "onnx": 2,
	"chart":  3,
	"render": 4, "templates": 4,
	"concepts": 5,
	"web":      6,
	"cmd":      7, "e2e": 7,
}

// forbidden are imports outside the module a package must not use: geometry knows
// nothing of templ, HTML or HTTP, and the templates compute no geometry.
var forbidden = map[string][]string{
	"engine":    {"github.com/a-h/templ", "net/http", "html/template"},
	"diagram":   {"github.com/a-h/templ", "net/http", "html/template"},
	"chart":     {"github.com/a-h/templ", "net/http", "html/template"},
	"templates": {"math"},
}

func TestDependenciesRunOneWay(t *testing.T) {
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || filepath.Dir(path) == "." {
			return nil
		}
		top := strings.Split(filepath.ToSlash(path), "/")[0]
		rank, ok := layers[top]
		if !ok {
			t.Errorf("%s: the package %s has no place in the layers of layers_test.go", path, top)
			return nil
		}
		seen[top] = true
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		test := strings.HasSuffix(path, "_test.go")
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			for _, bad := range forbidden[top] {
				if imp == bad && !test {
					t.Errorf("%s imports %s, which %s must not use", path, imp, top)
				}
			}
			own, ok := strings.CutPrefix(imp, "convatlas/")
			if !ok || test && imp == "convatlas/"+top {
				continue
			}
			dep := strings.Split(own, "/")[0]
			if other, ok := layers[dep]; !ok || other >= rank && dep != top {
				t.Errorf("%s (%s, layer %d) imports %s (layer %d): dependencies run cmd → web → templates → {diagram, chart} → engine", path, top, rank, imp, other)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"engine", "diagram", "chart", "templates", "web", "cmd"} {
		if !seen[p] {
			t.Errorf("no Go files found in %s/: the test is not looking where it should", p)
		}
	}
}
