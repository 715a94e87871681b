package archdefs

import (
	"strings"
	"testing"
)

func TestTitles(t *testing.T) {
	src := "id: net\ninput: {c: 3, h: 32, w: 32}\nblocks:\n  pair:\n    layers: [{conv: {out: 8, k: 3}}, relu]\nlayers:\n" +
		"  - {conv: {out: 8, k: 3}, name: conv1, title: CONV1}\n" +
		"  - {use: pair, name: p, title: \"block (2a)\"}\n"
	r, err := analyzeSource("net.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := r.Layer("conv1"); l.Title != "CONV1" {
		t.Errorf("conv1's title %q", l.Title)
	}
	found := false
	for _, b := range r.Blocks {
		if b.Name == "p" {
			found = b.Node.Title == "block (2a)"
		}
	}
	if !found {
		t.Errorf("the template's group carries no title: %+v", r.Blocks)
	}
	for _, c := range []struct{ name, src, want string }{
		{"not text", header + "  - {relu: ~, title: [a]}\n", `net.yaml:4:22: layers[0].title: must be a text, got a list`},
		{"too long", header + "  - {relu: ~, title: " + strings.Repeat("x", 33) + "}\n", `net.yaml:4:22: layers[0].title: a title has 1 to 32 characters, got 33`},
		{"blank", header + "  - {relu: ~, title: \" \"}\n", `net.yaml:4:22: layers[0].title: a title cannot be blank`},
		{"two lines", header + "  - {relu: ~, title: \"a\\nb\"}\n", `net.yaml:4:22: layers[0].title: a title is one line of printable text`},
		{"on a repeat", header + "  - {repeat: 2, layers: [relu], title: R}\n", `net.yaml:4:40: layers[0].title: a repeated block cannot carry one title`},
		{"misspelled", header + "  - {relu: ~, titel: R}\n", `net.yaml:4:15: layers[0].titel: unknown key "titel": did you mean "title"?`},
	} {
		_, err := analyzeSource("net.yaml", c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.want)
		}
	}
}
