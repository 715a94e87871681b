package archdefs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestLectureTour(t *testing.T) {
	tours, err := DefaultTours()
	if err != nil {
		t.Fatal(err)
	}
	var lecture *Tour
	for _, tr := range tours {
		if tr.ID == "lecture9" {
			lecture = tr
		}
	}
	if lecture == nil {
		t.Fatal("no lecture9 tour")
	}
	if len(lecture.Steps) < 20 {
		t.Errorf("%d steps, want at least 20", len(lecture.Steps))
	}
	if len(lecture.Worksheet) == 0 {
		t.Error("the lecture has no worksheet")
	}
	for _, st := range lecture.Steps {
		for _, f := range st.Figures {
			if got := st.Text[f.Start:f.End]; !strings.HasPrefix(got, "{{") || !strings.HasSuffix(got, "}}") || !strings.Contains(got, f.Source) {
				t.Errorf("step %q: figure %q at %d:%d is %q", st.Title, f.Source, f.Start, f.End, got)
			}
		}
	}
}

const goodTour = `---
id: mine
title: My tour
---
Intro.

## First
` + "```step" + `
arch: alexnet
layer: conv1
` + "```" + `
CONV1 has {{ alexnet/conv1.params }} parameters, {{ alexnet.params / 1000 | human }}.
`

func TestParseTour(t *testing.T) {
	tr, err := ParseTour("mine.md", []byte(goodTour))
	if err != nil {
		t.Fatal(err)
	}
	if tr.ID != "mine" || len(tr.Steps) != 1 || tr.Intro != "Intro." {
		t.Fatalf("%+v", tr)
	}
	st := tr.Steps[0]
	if st.View.Arch != "alexnet" || st.View.Layer != "conv1" || len(st.Figures) != 2 {
		t.Fatalf("%+v", st)
	}
	if p := st.View.Pos["layer"]; p.Line != 10 || p.Column != 8 {
		t.Errorf("layer at %d:%d, want 10:8", p.Line, p.Column)
	}
	if f := st.Figures[0]; f.Pos.Line != 12 || f.Pos.Column != 11 || f.Terms[0].Net != "alexnet" || f.Terms[0].Layer != "conv1" || f.Terms[0].What != "params" {
		t.Errorf("figure %+v", f)
	}
	if f := st.Figures[1]; f.Format != "human" || len(f.Ops) != 1 || f.Ops[0] != '/' || !f.Terms[1].IsLiteral {
		t.Errorf("figure %+v", f)
	}
	got, err := st.Figures[1].Eval(func(Term) (float64, string, error) { return 60_965_224, "", nil })
	if err != nil || got != "61.0k" {
		t.Errorf("eval %q %v", got, err)
	}
}

// A teacher's mistake is an error naming file, line and column.
func TestTourErrors(t *testing.T) {
	step := func(block, text string) string {
		return "---\nid: mine\ntitle: T\n---\n## S\n```step\n" + block + "```\n" + text + "\n"
	}
	cases := []struct{ src, want string }{
		{"# no front matter\n", "mine.md:1:1: "},
		{"---\nid: mine\n", "mine.md:1:1: the front matter opened on line 1 is not closed"},
		{"---\nid: mine\ntitel: T\n---\n", `mine.md:3:1: titel: unknown key "titel": did you mean "title"?`},
		{"---\nid: mine\ntitle: T\n---\n", "mine.md:5:1: a tour needs at least one step"},
		{"---\nid: mine\ntitle: T\n---\n## S\nno block\n", `mine.md:5:1: step "S" needs a ` + "```step block"},
		{"---\nid: mine\ntitle: T\n---\n## S\n```step\narch: alexnet\n", "mine.md:6:1: the ```step block is not closed"},
		{step("arch: alexnet\nlayr: conv1\n", ""), `mine.md:8:1: layr: unknown key "layr": did you mean "layer"?`},
		{step("arch: alexnet\nconcept: inception\n", ""), "mine.md:7:1: a step shows one thing"},
		{step("arch: [alexnet\n", ""), "mine.md:"},
		{step("arch: &a alexnet\nlayer: *a\n", ""), "mine.md:7:"},
		{step("arch: alexnet\nview: slides\n", ""), "mine.md:8:7: view: view is diagram, table or volumes"},
		{step("chart: params\n", ""), "a chart needs the networks"},
		{step("arch: alexnet\n", "A {{ alexnet.size }}."), `mine.md:9:3: figure {{ alexnet.size }}: "size" is not a figure`},
		{step("arch: alexnet\n", "A\nB {{ alexnet.params | big }}."), `mine.md:10:3: figure {{ alexnet.params | big }}: "big" is not a format`},
		{step("arch: alexnet\n", "A {{ alexnet.params"), "mine.md:9:3: a figure {{ … }} must close on the same line"},
		{step("arch: alexnet\n", "A {{ alexnet.out + alexnet.params }}"), "out is a shape"},
		{step("arch: alexnet\n", "A {{ alexnet.params alexnet.macs }}"), "write terms with"},
		{step("arch: alexnet\n", "A {{ calc:x }}"), "calc:ROW:COLUMN"},
		{step("arch: alexnet\n", "A {{ alexnet.params | formula }}"), "a formula is that of one layer's"},
		{"---\nid: Mine!\ntitle: T\n---\n", "mine.md:2:5: id: "},
	}
	for _, c := range cases {
		_, err := ParseTour("mine.md", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.src, err, c.want)
		}
	}
}

// Hostile tours are refused by size, steps and figures before any work, quickly.
func TestTourLimits(t *testing.T) {
	head := "---\nid: mine\ntitle: T\n---\n"
	oneStep := "## S\n```step\narch: alexnet\n```\ntext\n"
	for name, src := range map[string]string{
		"too large":   head + strings.Repeat("x", MaxTourBytes),
		"many steps":  head + strings.Repeat(oneStep, MaxTourSteps+1),
		"many figs":   head + "## S\n```step\narch: alexnet\n```\n" + strings.Repeat("{{ alexnet.params }} ", MaxFigures+1) + "\n",
		"long figure": head + "## S\n```step\narch: alexnet\n```\n{{ " + strings.Repeat("1 + ", MaxFigureTerms) + "1 }}\n",
		"deep yaml":   head + "## S\n```step\narch: " + strings.Repeat("[", 100_000) + "\n```\n",
		"alias bomb":  head + "## S\n```step\narch: alexnet\nexpand: &a [x, x, x, x, x, x, x, x, x]\nids: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n```\n",
	} {
		start := time.Now()
		_, err := ParseTour("mine.md", []byte(src))
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
}

func TestLoadTours(t *testing.T) {
	if _, err := LoadTours(fstest.MapFS{"other.md": {Data: []byte(goodTour)}}); err == nil || !strings.Contains(err.Error(), "other.md:2:1: id: the id \"mine\" differs from the file name") {
		t.Errorf("id and file name: %v", err)
	}
	tours, err := LoadTours(fstest.MapFS{"mine.md": {Data: []byte(goodTour)}, "notes.txt": {Data: []byte("x")}})
	if err != nil || len(tours) != 1 {
		t.Fatalf("%v %v", tours, err)
	}
	many := fstest.MapFS{}
	for i := range MaxTours + 1 {
		id := "t" + strings.Repeat("x", i)
		many[id+".md"] = &fstest.MapFile{Data: []byte(strings.Replace(goodTour, "id: mine", "id: "+id, 1))}
	}
	if _, err := LoadTours(many); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("%d tours: %v", MaxTours+1, err)
	}
	// A symbolic link is refused: a folder cannot point outside itself.
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(outside, []byte(goodTour), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "mine.md")); err != nil {
		t.Skip(err)
	}
	if _, err := LoadTours(os.DirFS(dir)); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("symlink: %v", err)
	}
}

func FuzzParseTour(f *testing.F) {
	f.Add([]byte(goodTour))
	f.Add([]byte("---\nid: x\ntitle: y\n---\n## a\n```step\nchart: params\nids: [a]\n```\n{{ a.params / b.macs | ratio }}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		tr, err := ParseTour("f.md", src)
		if err != nil {
			return
		}
		for _, st := range tr.Steps {
			for _, fig := range st.Figures {
				if fig.Start < 0 || fig.End > len(st.Text) || fig.Start >= fig.End {
					t.Fatalf("figure offsets %d:%d outside the text (%d)", fig.Start, fig.End, len(st.Text))
				}
			}
		}
	})
}
