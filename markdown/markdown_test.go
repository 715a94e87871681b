package markdown

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

type fakeDrawer struct{}

func (fakeDrawer) Diagram(ref string, opts map[string]string, body []byte) (string, error) {
	if ref == "nope" {
		return "", errors.New(`no architecture "nope" <b>`)
	}
	return `<svg data-ref="` + ref + `" data-opts="` + opts["stage"] + `" data-body="` + string(rune('0'+len(body)%10)) + `"></svg>`, nil
}
func (fakeDrawer) Table(ref string) (string, error) {
	return `<table data-ref="` + ref + `"></table>`, nil
}
func (fakeDrawer) Compare(refs []string) (string, error) {
	return `<svg data-compare="` + strings.Join(refs, ",") + `"></svg>`, nil
}

// parseHTML checks markup with a real HTML parser, and returns every element.
func parseHTML(t *testing.T, s string) []*html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func TestArchBlocks(t *testing.T) {
	src := "# Notes\n\n```arch resnet50 stage=conv3_x dir=lr\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```arch nope\n```\n\n```arch\nid: x\n```\n\n```arch-table vgg16\n```\n\n```arch-compare vgg16 resnet50\n```\n\nThe output is $\\lfloor (n + 2p - k)/s \\rfloor + 1$ and $$3 \\cdot 3^2 C^2$$.\n"
	out, err := Notes([]byte(src), fakeDrawer{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`data-ref="resnet50" data-opts="conv3_x"`, `class="arch-error"`, `no architecture &#34;nope&#34; &lt;b&gt;`,
		`data-ref="" data-opts="" data-body="6"`, `<table data-ref="vgg16">`, `data-compare="vgg16,resnet50"`, `<table>`,
		`<math display="inline">`, `<mo>⌊</mo>`, `<math display="block">`, `<msup>`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
}

func TestHostileNotesRenderInert(t *testing.T) {
	src := strings.Join([]string{
		"<script>alert(1)</script>", `<img src=x onerror="alert(1)">`, `<svg onload="alert(1)"></svg>`, `<iframe src="https://evil.example"></iframe>`,
		"[a](javascript:alert(1))", "[b](JaVaScRiPt:alert(1))", "[c](javascript&colon;alert(1))", "[d](&#106;avascript:alert(1))",
		"[e](vbscript:msgbox(1))", "[f](data:text/html;base64,PHNjcmlwdD4=)", "<javascript:alert(1)>", "![g](javascript:alert(1))",
		"[ok](https://example.org) [rel](/a/resnet50) <mailto:a@example.org>", "$\\text{</math><script>alert(1)</script>}$",
	}, "\n\n")
	out, err := Notes([]byte(src), fakeDrawer{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range parseHTML(t, out) {
		switch n.Data {
		case "script", "iframe", "object", "embed":
			t.Errorf("<%s> survived", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("event handler %s=%q survived", a.Key, a.Val)
			}
			if a.Key == "href" || a.Key == "src" {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "mailto:") || strings.HasPrefix(v, "/") || v == "" || v == "x") {
					t.Errorf("dangerous %s=%q", a.Key, a.Val)
				}
			}
		}
	}
}

// Quotes and lists nested deeper than MaxNesting, and paragraphs longer than
// MaxParagraph, are refused before goldmark sees them (its time grows with the square
// of either), naming the line; ordinary notes are not.
func TestLimitsAreRefused(t *testing.T) {
	long := strings.Repeat("[a](b", 1000) // 5 KB of unclosed links
	for _, c := range []struct {
		src  string
		line int // 0: accepted
	}{
		{"# T\n\n" + strings.Repeat("> ", 101) + "x\n", 3},
		{strings.Repeat("- ", 101) + "x", 1},
		{"a\n" + strings.Repeat("1. ", 101) + "x", 2},
		{strings.Repeat("> - ", 51) + "x", 1},
		{"- a\n" + strings.Repeat(" ", 202) + "- b\n", 2},
		{strings.Repeat("> ", 100) + "x", 0},
		// Paragraphs, however they are split into lines or quoted.
		{"# T\n\n" + long + "\n", 3},
		{"a\n\n" + strings.Repeat("[a](b\n", 1000), 3},
		{"x\n" + strings.Repeat("2. [a](b\n", 800), 1},
		{"> x\n" + strings.Repeat("> [a](b\n", 1000), 1},
		{"> x\n" + strings.Repeat("[a](b lazily continued\n", 300), 1},
		{"a\n    ```\n" + long, 1},
		{"```x`\n" + long, 1},
		{"> ```\n" + long, 1},
		{"```\n" + long + "\n````\n" + long, 4},
		{"- a\n" + strings.Repeat("  [a](b\n", 1000), 1},
		// What notes hold: long lists, code and text split by blank lines.
		{strings.Repeat("- [a](b) item\n", 1000), 0},
		{"```yaml\n" + long + "\n```\n\n" + strings.Repeat(long[:3000]+"\n\n", 20), 0},
		{strings.Repeat("# "+long[:3000]+"\n", 3), 0},
		{"- a\n  - b\n    - c\n\n    code\n\n---\n- - -\n* * *\n2024. A year\n", 0},
	} {
		_, err := Notes([]byte(c.src), fakeDrawer{})
		var limit *LimitError
		switch {
		case c.line == 0 && err != nil:
			t.Errorf("%.20q…: %v", c.src, err)
		case c.line > 0 && (!errors.As(err, &limit) || limit.Line != c.line):
			t.Errorf("%.20q…: %v, want a limit error on line %d", c.src, err, c.line)
		}
	}
}

func TestPathologicalMarkdownIsQuick(t *testing.T) {
	// The deep quote is refused (TestLimitsAreRefused); the 100-deep one is rendered.
	for _, src := range []string{strings.Repeat("*_", 100_000), strings.Repeat("> ", 10_000) + "x", strings.Repeat("> ", 100) + "x", strings.Repeat("[", 50_000), strings.Repeat("$", 100_000)} {
		start := time.Now()
		var limit *LimitError
		if _, err := Notes([]byte(src), fakeDrawer{}); err != nil && !errors.As(err, &limit) {
			t.Fatal(err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%.10q…: %v", src, d)
		}
	}
	if _, err := Notes(make([]byte, MaxSource+1), fakeDrawer{}); err == nil {
		t.Error("notes over the size limit were accepted")
	}
}
