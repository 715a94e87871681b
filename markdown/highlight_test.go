package markdown

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite static/css/code.css from CodeCSS")

// The stylesheet served for highlighted code is CodeCSS, committed.
func TestCodeCSS(t *testing.T) {
	const path = "../static/css/code.css"
	if *update {
		if err := os.WriteFile(path, []byte(CodeCSS()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != CodeCSS() {
		t.Fatal("static/css/code.css is not CodeCSS(): go test ./markdown -run TestCodeCSS -update")
	}
	for _, want := range []string{".notes .hl-chroma .hl-k {", "@media (prefers-color-scheme: dark)", `:root[data-theme="dark"] .notes .hl-chroma .hl-k`} {
		if !strings.Contains(CodeCSS(), want) {
			t.Errorf("CodeCSS lacks %s", want)
		}
	}
}

func TestHighlightedCode(t *testing.T) {
	out, err := Notes([]byte("```python\ndef f(x):\n    return x  # identity\n```\n\n```\nplain <b>\n```\n\n```arch resnet50\n```\n"), fakeDrawer{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<span class="hl-k">def</span>`, `<span class="hl-c1"># identity</span>`, "plain &lt;b&gt;", `data-ref="resnet50"`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}
