package markdown

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseFence(t *testing.T) {
	want := Fence{Lang: "arch", Args: []string{"resnet50"}, Opts: map[string]string{"stage": "conv3_x"}}
	for _, tc := range []struct{ info, body string }{
		{"arch resnet50 stage=conv3_x", ""},
		{"{.arch #resnet50 stage=conv3_x}", ""},
		{`{.arch #resnet50 stage="conv3_x"}`, ""},
		{`{#resnet50 .arch .wide stage='conv3_x'}`, ""},
		{`arch {id="resnet50" stage="conv3_x"}`, ""},
		{`arch {id="resnet50", stage="conv3_x"}`, ""},
		{"arch", "resnet50 stage=conv3_x\n"},
		{"{.arch}", "  resnet50 stage=\"conv3_x\"\n\n"},
	} {
		got, ok, err := ParseFence(tc.info, []byte(tc.body))
		if !ok || err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseFence(%q, %q) = %+v, %v, %v; want %+v", tc.info, tc.body, got, ok, err, want)
		}
	}
	def := "name: tiny\ninput: 3x32x32\nlayers:\n  - conv: {out: 8, k: 3}\n"
	if f, ok, err := ParseFence("{.arch dir=lr}", []byte(def)); !ok || err != nil || string(f.Body) != def || len(f.Args) != 0 || f.Opts["dir"] != "lr" {
		t.Errorf("a definition's body: %+v %v %v", f, ok, err)
	}
	if f, ok, _ := ParseFence("arch-compare vgg16 resnet50", nil); !ok || f.Lang != "arch-compare" || len(f.Args) != 2 {
		t.Errorf("arch-compare: %+v", f)
	}
	for _, other := range []string{"", "go", "python {linenos=true}", "{.python}", "archive", "mermaid arch"} {
		if _, ok, _ := ParseFence(other, []byte("resnet50")); ok {
			t.Errorf("%q read as an arch block", other)
		}
	}
	for _, bad := range []string{`{.arch #resnet50`, `{.arch stage="conv3_x}`, `.arch}`} {
		if _, ok, err := ParseFence(bad, nil); !ok || err == nil {
			t.Errorf("%q: ok %v, err %v; want an error", bad, ok, err)
		}
	}
}

func TestFenceFormsInNotes(t *testing.T) {
	src := "```{.arch #resnet50 stage=conv3_x}\n```\n\nText.\n\n```arch\nresnet50 stage=conv3_x\n```\n\n```{.arch #x stage=\"y}\n```\n"
	out, err := Notes([]byte(src), fakeDrawer{})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out, `data-ref="resnet50" data-opts="conv3_x"`); n != 2 {
		t.Errorf("%d diagrams of the two forms, want 2:\n%s", n, out)
	}
	if !strings.Contains(out, `class="arch-error"`) || !strings.Contains(out, "unclosed") {
		t.Errorf("a malformed attribute list is not reported:\n%s", out)
	}
	if !strings.Contains(out, "<p>Text.</p>") {
		t.Errorf("the paragraph after an attribute fence is lost:\n%s", out)
	}
}

func TestFencedBlocks(t *testing.T) {
	src := "# T\n\n```go\nx\n```\n\n- item\n\n  ```arch vgg16\n  ```\n\n> ```arch\n> resnet50\n> ```\n\n    indented, not fenced\n\n~~~arch alexnet\n"
	got, err := FencedBlocks([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ info, text, prefix string }{
		{"go", "```go\nx\n```\n", ""},
		{"arch vgg16", "  ```arch vgg16\n  ```\n", "  "},
		{"arch", "> ```arch\n> resnet50\n> ```\n", "> "},
		{"arch alexnet", "~~~arch alexnet\n", ""}, // unclosed: to the end
	}
	if len(got) != len(want) {
		t.Fatalf("%d blocks, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Ordinal != i || g.Info != w.info || src[g.Start:g.End] != w.text || g.Prefix != w.prefix {
			t.Errorf("block %d: %d %q %q %q; want %q %q %q", i, g.Ordinal, g.Info, src[g.Start:g.End], g.Prefix, w.info, w.text, w.prefix)
		}
	}
}
