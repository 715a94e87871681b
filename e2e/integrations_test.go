// Package e2e holds the tests that build documents with the tools teachers write
// with (Pandoc, Hugo, MkDocs, nbconvert) and the convatlas binary, and the browser
// tests (*.test.mjs, run by node).
package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"convatlas/markdown"
)

// The integrations test needs Debian's pandoc, hugo, mkdocs, python3-pymdownx,
// python3-nbconvert and python3-ipykernel. Without them it is skipped, unless
// CONVATLAS_INTEGRATIONS=1 (CI) makes a missing tool a failure.
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CONVATLAS_INTEGRATIONS") == "1" {
				t.Fatalf("%s is not installed (CI installs it from Debian)", tool)
			}
			t.Skipf("%s is not installed; CONVATLAS_INTEGRATIONS=1 makes this a failure", tool)
		}
	}
}

// binDir holds the convatlas binary built once for every integration.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "convatlas-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "convatlas"), "./cmd/convatlas")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func integration(name string) string {
	p, _ := filepath.Abs(filepath.Join("..", "integrations", name))
	return p
}

// run runs a tool with the convatlas binary first on PATH.
func run(t *testing.T, dir string, env []string, stdin string, name string, args ...string) string {
	t.Helper()
	if name == "convatlas" {
		name = filepath.Join(binDir, name) // exec looks up names on this process's PATH
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

func source(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("testdata/three-blocks.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

var svgStart = regexp.MustCompile(`<svg[^>]*class="convatlas"`)

// inlineSVGs finds the diagrams written into an HTML page, each parsed as XML.
func inlineSVGs(t *testing.T, page string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, loc := range svgStart.FindAllStringIndex(page, -1) {
		dec := xml.NewDecoder(strings.NewReader(page[loc[0]:]))
		depth := 0
		for {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("an inline SVG is not well-formed XML: %v", err)
			}
			switch tok.(type) {
			case xml.StartElement:
				depth++
			case xml.EndElement:
				depth--
			}
			if depth == 0 {
				break
			}
		}
		out = append(out, []byte(page[loc[0]:loc[0]+int(dec.InputOffset())]))
	}
	return out
}

var externalURL = regexp.MustCompile(`url\(\s*['"]?[^#'"\s)]`)

// checkSVGs checks that a document holds the source's three diagrams: well-formed,
// with ids of their own, referring to nothing outside themselves.
func checkSVGs(t *testing.T, svgs [][]byte) {
	t.Helper()
	if len(svgs) != 3 {
		t.Fatalf("%d diagrams, want 3", len(svgs))
	}
	ids := map[string]int{}
	titles := map[string]bool{}
	for i, svg := range svgs {
		dec := xml.NewDecoder(bytes.NewReader(svg))
		var inTitle bool
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("diagram %d is not well-formed XML: %v", i+1, err)
			}
			switch el := tok.(type) {
			case xml.StartElement:
				inTitle = el.Name.Local == "title" && len(titles) <= i
				for _, a := range el.Attr {
					switch {
					case a.Name.Local == "id":
						ids[a.Value]++
					case a.Name.Local == "href" || a.Name.Local == "src":
						if !strings.HasPrefix(a.Value, "#") {
							t.Errorf("diagram %d refers outside itself: %s=%q", i+1, a.Name.Local, a.Value)
						}
					}
					if externalURL.MatchString(a.Value) {
						t.Errorf("diagram %d refers outside itself: %s=%q", i+1, a.Name.Local, a.Value)
					}
				}
			case xml.CharData:
				if externalURL.MatchString(string(el)) || bytes.Contains(el, []byte("@import")) {
					t.Errorf("diagram %d's style refers outside itself: %.80s", i+1, el)
				}
				if inTitle {
					titles[string(el)] = true
					inTitle = false
				}
			}
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q is used %d times in one document", id, n)
		}
	}
	for _, want := range []string{"VGG-16 block diagram", "A tiny CNN block diagram", "ResNet-50 block diagram"} {
		if !titles[want] {
			t.Errorf("no diagram titled %q among %v", want, titles)
		}
	}
}

func TestPandoc(t *testing.T) {
	need(t, "pandoc")
	dir := t.TempDir()
	filter := filepath.Join(integration("pandoc"), "convatlas.lua")
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte(source(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("html", func(t *testing.T) {
		run(t, dir, nil, "", "pandoc", "notes.md", "--standalone", "--metadata", "title=Week 3", "--lua-filter", filter, "-o", "notes.html")
		page, _ := os.ReadFile(filepath.Join(dir, "notes.html"))
		checkSVGs(t, inlineSVGs(t, string(page)))
	})
	t.Run("latex", func(t *testing.T) {
		tex := run(t, dir, nil, "", "pandoc", "notes.md", "--lua-filter", filter, "-t", "latex")
		files := regexp.MustCompile(`\\includegraphics(?:\[[^]]*\])?\{([^}]+)\}`).FindAllStringSubmatch(tex, -1)
		var svgs [][]byte
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f[1]))
			if err != nil {
				t.Fatal(err)
			}
			svgs = append(svgs, b)
		}
		checkSVGs(t, svgs)
		if !bytes.Contains(svgs[0], []byte(`fill="#ffffff"`)) || bytes.Contains(svgs[0], []byte("prefers-color-scheme")) {
			t.Error("a diagram for paper is not drawn in the light theme")
		}
	})
	// A PDF needs LaTeX (texlive-latex-recommended, lmodern) and rsvg-convert
	// (librsvg2-bin), with which Pandoc turns the SVGs into PDF: CONVATLAS_PDF=1 makes
	// them required.
	t.Run("pdf", func(t *testing.T) {
		for _, tool := range []string{"pdflatex", "rsvg-convert", "pdftotext"} {
			if _, err := exec.LookPath(tool); err != nil {
				if os.Getenv("CONVATLAS_PDF") == "1" {
					t.Fatalf("%s is not installed", tool)
				}
				t.Skipf("%s is not installed; CONVATLAS_PDF=1 makes this a failure", tool)
			}
		}
		run(t, dir, nil, "", "pandoc", "notes.md", "--lua-filter", filter, "-o", "notes.pdf")
		text := run(t, dir, nil, "", "pdftotext", "notes.pdf", "-")
		// The diagrams are drawn as vector text: a word of each is in the PDF.
		for _, want := range []string{"classifier", "fc 10", "conv3_x", "keep the gradient flowing"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
	})
}

func TestHugo(t *testing.T) {
	need(t, "hugo")
	site := t.TempDir()
	for path, text := range map[string]string{
		"hugo.toml":                    "baseURL = \"http://example.org/\"\ntitle = \"Course\"\ntheme = [\"convatlas\"]\ndisableKinds = [\"home\", \"section\", \"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n",
		"layouts/_default/single.html": "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n",
		"content/week3.md":             "---\ntitle: Week 3\n---\n" + source(t),
		"content/other.md":             "---\ntitle: Other\n---\n```go\nfunc f() {}\n```\n\n{{< arch \"resnet50 stage=conv2_x.1\" >}}\n\n{{< arch id=\"alexnet\" dir=\"lr\" >}}\n\n```arch\nalexnet\n```\n",
	} {
		p := filepath.Join(site, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(site, "themes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(integration("hugo"), filepath.Join(site, "themes", "convatlas")); err != nil {
		t.Fatal(err)
	}
	run(t, site, nil, "", "convatlas", "hugo")
	run(t, site, nil, "", "hugo", "--quiet")
	page, err := os.ReadFile(filepath.Join(site, "public", "week3", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkSVGs(t, inlineSVGs(t, string(page)))
	// Shortcodes, and blocks counted past other languages' blocks (Hugo's .Ordinal).
	other, _ := os.ReadFile(filepath.Join(site, "public", "other", "index.html"))
	svgs := inlineSVGs(t, string(other))
	if len(svgs) != 3 || !bytes.Contains(svgs[0], []byte("conv2_x.1 of ResNet-50")) || !bytes.Contains(svgs[1], []byte("AlexNet drawn left to right")) || !bytes.Contains(svgs[2], []byte("AlexNet drawn top to bottom")) {
		t.Errorf("the shortcodes and the block after a Go block are not drawn as written: %d diagrams", len(svgs))
	}
	// A block added after the drawings were made fails the build, naming the step.
	if err := os.WriteFile(filepath.Join(site, "content", "new.md"), []byte("```arch\nvgg16\n```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("hugo")
	cmd.Dir = site
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "run `convatlas hugo`") {
		t.Errorf("hugo with a block not drawn: %v\n%s", err, out)
	}
}

func TestMkDocs(t *testing.T) {
	need(t, "mkdocs")
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "docs", "index.md"), []byte(source(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	config := `site_name: Course
theme: {name: mkdocs}
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: arch
          class: arch
          format: !!python/name:convatlas_mkdocs.fence
          validator: !!python/name:convatlas_mkdocs.validator
`
	if err := os.WriteFile(filepath.Join(dir, "mkdocs.yml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, []string{"PYTHONPATH=" + integration("mkdocs")}, "", "mkdocs", "build", "--strict", "--quiet")
	page, err := os.ReadFile(filepath.Join(dir, "site", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkSVGs(t, inlineSVGs(t, string(page)))
	if !strings.Contains(string(page), "keep the gradient flowing") {
		t.Error("the paragraph after the last block is lost")
	}
}

// TestNotebook builds a notebook from the source — its text as Markdown cells, each
// arch block as a cell calling convatlas.show — executes it and exports it to HTML
// with nbconvert, which keeps the diagrams as <img> with data URIs.
func TestNotebook(t *testing.T) {
	need(t, "/usr/bin/python3")
	probe := exec.Command("/usr/bin/python3", "-c", "import nbconvert, ipykernel")
	if err := probe.Run(); err != nil {
		if os.Getenv("CONVATLAS_INTEGRATIONS") == "1" {
			t.Fatal("python3-nbconvert and python3-ipykernel are not installed")
		}
		t.Skip("python3-nbconvert and python3-ipykernel are not installed")
	}
	src := source(t)
	fences, err := markdown.FencedBlocks([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	code := func(src string) map[string]any {
		return map[string]any{"cell_type": "code", "source": src, "metadata": map[string]any{}, "outputs": []any{}, "execution_count": nil}
	}
	text := func(src string) map[string]any {
		return map[string]any{"cell_type": "markdown", "source": src, "metadata": map[string]any{}}
	}
	cells := []map[string]any{code("import convatlas")}
	at := 0
	for _, cf := range fences {
		f, ok, err := markdown.ParseFence(cf.Info, cf.Body)
		if !ok || err != nil {
			t.Fatalf("block %q: %v", cf.Info, err)
		}
		cells = append(cells, text(src[at:cf.Start]))
		var args []string
		if len(f.Args) == 1 {
			args = append(args, fmt.Sprintf("%q", f.Args[0]))
		} else {
			args = append(args, fmt.Sprintf("definition=%q", f.Body))
		}
		for k, v := range f.Opts {
			args = append(args, fmt.Sprintf("%s=%q", k, v))
		}
		cells = append(cells, code("convatlas.show("+strings.Join(args, ", ")+")"))
		at = cf.End
	}
	cells = append(cells, text(src[at:]))
	nb, _ := json.Marshal(map[string]any{"cells": cells, "nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]string{"name": "python3", "display_name": "Python 3", "language": "python"}}})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "week3.ipynb"), nb, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, []string{"PYTHONPATH=" + integration("jupyter"), "PYDEVD_DISABLE_FILE_VALIDATION=1"}, "",
		"/usr/bin/python3", "-m", "nbconvert", "--execute", "--to", "html", "week3.ipynb")
	page, err := os.ReadFile(filepath.Join(dir, "week3.html"))
	if err != nil {
		t.Fatal(err)
	}
	var svgs [][]byte
	for _, m := range regexp.MustCompile(`<img class="convatlas" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"`).FindAllStringSubmatch(string(page), -1) {
		b, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			t.Fatal(err)
		}
		svgs = append(svgs, b)
	}
	checkSVGs(t, svgs)
}

// TestMdBook runs the preprocessor as mdBook does: `supports RENDERER`, then the
// [context, book] JSON on standard input, the book back on standard output.
func TestMdBook(t *testing.T) {
	bin := filepath.Join(binDir, "convatlas")
	for renderer, want := range map[string]int{"html": 0, "latex": 1, "markdown": 1} {
		err := exec.Command(bin, "mdbook", "supports", renderer).Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != want {
			t.Errorf("supports %s: exit %d, want %d", renderer, code, want)
		}
	}
	chapter := func(name, content string, number []int, sub ...any) map[string]any {
		return map[string]any{"Chapter": map[string]any{"name": name, "content": content, "number": number,
			"sub_items": append([]any{}, sub...), "path": name + ".md", "source_path": name + ".md", "parent_names": []string{}}}
	}
	book := map[string]any{
		"sections": []any{
			chapter("intro", "# Intro\n\nNo diagrams.\n", []int{1}),
			chapter("week3", source(t), []int{2}, chapter("bad", "```arch\nnope\n```\n", []int{2, 1})),
			"Separator",
			map[string]any{"PartTitle": "Appendix"},
		},
		"__non_exhaustive": nil,
	}
	context := map[string]any{"root": "/book", "renderer": "html", "mdbook_version": "0.4.40",
		"config": map[string]any{"book": map[string]any{"title": "Course"}, "preprocessor": map[string]any{"convatlas": map[string]any{"command": "convatlas mdbook"}}}}
	in, _ := json.Marshal([]any{context, book})
	cmd := exec.Command(bin, "mdbook")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mdbook: %v\n%s", err, stderr.String())
	}
	var got struct {
		Sections []json.RawMessage `json:"sections"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("the book written back is not JSON: %v\n%.300s", err, out)
	}
	if len(got.Sections) != 4 || string(got.Sections[2]) != `"Separator"` || string(got.Sections[3]) != `{"PartTitle":"Appendix"}` {
		t.Fatalf("the book's sections are not kept as they came: %s", out)
	}
	var week3 struct {
		Chapter struct {
			Content  string
			Number   []int
			SubItems []struct{ Chapter struct{ Content string } } `json:"sub_items"`
		}
	}
	if err := json.Unmarshal(got.Sections[1], &week3); err != nil {
		t.Fatal(err)
	}
	checkSVGs(t, inlineSVGs(t, week3.Chapter.Content))
	if strings.Contains(week3.Chapter.Content, "```arch") || !strings.Contains(week3.Chapter.Content, "keep the gradient flowing") {
		t.Errorf("the chapter's blocks are not replaced, or its text is lost:\n%.500s", week3.Chapter.Content)
	}
	if fmt.Sprint(week3.Chapter.Number) != "[2]" {
		t.Errorf("number %v, want [2]", week3.Chapter.Number)
	}
	bad := week3.Chapter.SubItems[0].Chapter.Content
	if !strings.Contains(bad, `class="arch-error"`) || !strings.Contains(stderr.String(), `bad.md: line 1: There is no architecture "nope"`) {
		t.Errorf("a block that cannot be drawn is not shown and reported:\n%s\n%s", bad, stderr.String())
	}
	// Not mdBook's JSON: an error, not a panic or an empty book.
	cmd = exec.Command(bin, "mdbook")
	cmd.Stdin = strings.NewReader(`{"not": "a list"}`)
	if msg, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(msg), "[context, book]") {
		t.Errorf("bad input: %v %s", err, msg)
	}
}
