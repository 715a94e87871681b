package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"convatlas/archdefs"
	"convatlas/diagram"
	"convatlas/engine"
)

var update = flag.Bool("update", false, "rewrite testdata/png.sha256 with the hashes of this run")

// layOut lays out a catalogue network as the page does: stages past the default size
// collapsed unless opt says otherwise.
func layOut(t testing.TB, id string, opt diagram.Options) (*diagram.Diagram, string) {
	t.Helper()
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	a, ok := cat.Get(id)
	if !ok {
		t.Fatalf("no %s", id)
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt.AutoCollapse = diagram.DefaultAutoCollapse
	d, err := diagram.Layout(r, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d, a.Name
}

func style(t testing.TB, theme string, transparent bool) Style {
	st, err := NewStyle(theme, transparent)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func hash(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// The cases whose PNG bytes are pinned in testdata/png.sha256.
var pngCases = []struct {
	name, id, theme string
	transparent     bool
	size            Size
	view            diagram.Options
}{
	{"resnet50-light", "resnet50", "light", false, Size{}, diagram.Options{Dir: "tb"}},
	{"resnet50-dark-2x", "resnet50", "dark", false, Size{Scale: 2}, diagram.Options{Dir: "tb"}},
	{"resnet50-transparent-lr", "resnet50", "light", true, Size{Width: 1200}, diagram.Options{Dir: "lr", Collapse: map[string]bool{"all": true}}},
	{"alexnet-dark-transparent", "alexnet", "dark", true, Size{}, diagram.Options{Dir: "tb"}},
	{"googlenet-light", "googlenet", "light", false, Size{}, diagram.Options{Dir: "tb"}},
	{"alexnet-streams-light", "alexnet", "light", false, Size{}, diagram.Options{Dir: "tb", Streams: true}},
	// The representative view, every embed's and download's default: one block per stage, ×N.
	{"resnet50-blocks-light", "resnet50", "light", false, Size{}, diagram.Options{Dir: "tb", Blocks: true}},
}

func TestPNGSameBytesEveryRunAndGolden(t *testing.T) {
	golden := map[string]string{}
	goldenFile := filepath.Join("testdata", "png.sha256")
	if b, err := os.ReadFile(goldenFile); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if h, name, ok := strings.Cut(line, "  "); ok {
				golden[name] = h
			}
		}
	}
	var out strings.Builder
	for _, c := range pngCases {
		d, _ := layOut(t, c.id, c.view)
		st := style(t, c.theme, c.transparent)
		first, err := PNG(d, st, c.size)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		second, err := PNG(d, st, c.size)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Errorf("%s: two renderings differ", c.name)
		}
		fmt.Fprintf(&out, "%s  %s\n", hash(first), c.name)
		// The golden hashes were made on amd64, where Go never fuses floating-point
		// operations; on other processors the rasteriser's rounding may differ.
		if !*update && runtime.GOARCH == "amd64" && golden[c.name] != hash(first) {
			t.Errorf("%s: PNG hash %s, golden %s (look at the image; if it is right, rerun with -update)", c.name, hash(first), golden[c.name])
		}
	}
	if *update {
		if err := os.WriteFile(goldenFile, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

func TestPNGSizeAndBackground(t *testing.T) {
	d, _ := layOut(t, "alexnet", diagram.Options{Dir: "tb"})
	for _, c := range []struct {
		name       string
		st         Style
		size       Size
		w          int
		r, g, b, a uint32 // the top-left pixel, 8-bit
		wantOpaque bool
	}{
		{"light", style(t, "light", false), Size{}, int(d.W), 0xff, 0xff, 0xff, 0xff, true},
		{"dark at 2×", style(t, "dark", false), Size{Scale: 2}, int(2 * d.W), 0x11, 0x18, 0x27, 0xff, true},
		{"transparent at 800 px", style(t, "light", true), Size{Width: 800}, 800, 0, 0, 0, 0, false},
	} {
		img := decode(t, mustPNG(t, d, c.st, c.size))
		if got := img.Bounds().Dx(); got != c.w {
			t.Errorf("%s: width %d, want %d", c.name, got, c.w)
		}
		r, g, b, a := img.At(0, 0).RGBA()
		if r>>8 != c.r || g>>8 != c.g || b>>8 != c.b || a>>8 != c.a {
			t.Errorf("%s: corner pixel %02x%02x%02x/%02x, want %02x%02x%02x/%02x", c.name, r>>8, g>>8, b>>8, a>>8, c.r, c.g, c.b, c.a)
		}
		// Something is drawn: the first box's stroke crosses the middle column.
		inked := 0
		bounds := img.Bounds()
		for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
			if _, _, _, a := img.At(bounds.Dx()/2, y).RGBA(); a > 0 {
				if c.wantOpaque {
					if r, _, _, _ := img.At(bounds.Dx()/2, y).RGBA(); r>>8 != c.r {
						inked++
					}
				} else {
					inked++
				}
			}
		}
		if inked < bounds.Dy()/4 {
			t.Errorf("%s: only %d inked pixels down the middle of %d", c.name, inked, bounds.Dy())
		}
	}
}

func mustPNG(t *testing.T, d *diagram.Diagram, st Style, sz Size) []byte {
	t.Helper()
	b, err := PNG(d, st, sz)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPNGLimits(t *testing.T) {
	d, _ := layOut(t, "resnet152", diagram.Options{Dir: "tb", Expand: map[string]bool{"all": true}})
	for _, sz := range []Size{{Width: MaxWidth + 1}, {Scale: MaxScale + 1}, {Scale: -1}, {Width: 100, Scale: 2}, {Scale: 8}} {
		if _, err := PNG(d, style(t, "light", false), sz); err == nil {
			t.Errorf("%+v: drawn, want refused", sz)
		}
	}
}

func TestPDFOnePageWithSelectableText(t *testing.T) {
	d, name := layOut(t, "resnet50", diagram.Options{Dir: "tb"})
	for _, theme := range []string{"light", "dark"} {
		for _, transparent := range []bool{false, true} {
			b, err := PDF(d, style(t, theme, transparent), name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", b[:16])
			}
			if n := len(regexp.MustCompile(`/Type /Page\b`).FindAll(b, -1)); n != 1 {
				t.Errorf("%s: %d pages, want 1", theme, n)
			}
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Skip("pdftotext (poppler-utils) is not installed")
			}
			f := filepath.Join(t.TempDir(), "d.pdf")
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			text, err := exec.Command("pdftotext", f, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"7×7 conv, 64, /2", "112×112×64 · BN · ReLU", "conv5_x", "fc 1000"} {
				if !strings.Contains(string(text), want) {
					t.Errorf("%s: pdftotext has no %q", theme, want)
				}
			}
			info, err := exec.Command("pdfinfo", f).Output()
			if err == nil && !strings.Contains(string(info), "Pages:           1") {
				t.Errorf("pdfinfo: %s", info)
			}
		}
	}
}

// checkPGF checks the structure of TikZ's output: one tikzpicture, every line a colour
// definition, a path or a node ending in ";", braces and brackets balanced on each line,
// and every colour used defined before.
func checkPGF(t *testing.T, src string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if !strings.HasPrefix(lines[1], `\begin{tikzpicture}[`) || lines[len(lines)-1] != `\end{tikzpicture}` {
		t.Fatalf("not one tikzpicture: %q … %q", lines[1], lines[len(lines)-1])
	}
	defined := map[string]bool{}
	def := regexp.MustCompile(`^\\definecolor\{(ca\d+)\}\{HTML\}\{[0-9A-F]{6}\}$`)
	path := regexp.MustCompile(`^\\path\[[^\]]+\] \(-?[\d.]+,-?[\d.]+\)( (--|rectangle|circle\[radius=[\d.]+\])( \(-?[\d.]+,-?[\d.]+\))?)*;$`)
	node := regexp.MustCompile(`^\\node\[anchor=base( west| east)?,text=(ca\d+),font=\\sffamily\\fontsize\{[\d.]+\}\{[\d.]+\}\\selectfont(\\bfseries)?\] at \(-?[\d.]+,-?[\d.]+\) \{.*\};$`)
	colourUse := regexp.MustCompile(`(?:fill|draw|text)=(ca\d+)`)
	for i, line := range lines[2 : len(lines)-1] {
		switch {
		case def.MatchString(line):
			defined[def.FindStringSubmatch(line)[1]] = true
			continue
		case path.MatchString(line), node.MatchString(line):
		default:
			t.Fatalf("line %d is not a colour, a path or a node: %q", i+3, line)
		}
		for _, m := range colourUse.FindAllStringSubmatch(line, -1) {
			if !defined[m[1]] {
				t.Fatalf("line %d uses %s before defining it", i+3, m[1])
			}
		}
		depth := 0
		for k := 0; k < len(line); k++ {
			switch line[k] {
			case '\\':
				k++ // an escaped character
			case '{':
				depth++
			case '}':
				depth--
			}
			if depth < 0 {
				t.Fatalf("line %d closes a brace it did not open: %q", i+3, line)
			}
		}
		if depth != 0 {
			t.Fatalf("line %d leaves %d braces open: %q", i+3, depth, line)
		}
	}
}

func TestTikZ(t *testing.T) {
	for _, id := range []string{"resnet50", "googlenet", "densenet121"} {
		d, name := layOut(t, id, diagram.Options{Dir: "tb"})
		src := string(TikZ(d, style(t, "light", false), name))
		checkPGF(t, src)
		if !strings.Contains(src, `{7\ensuremath{\times}7 conv, 64, /2}`) {
			t.Errorf("%s: the first convolution's label is not there", id)
		}
		if !texHas(t, "tikz.sty") {
			continue // the structure is checked; compiling needs texlive-latex-base and texlive-pictures
		}
		// As a paper includes it: \input in a figure, scaled to the column.
		dir := t.TempDir()
		doc := "\\documentclass{article}\n\\usepackage{tikz}\n\\usepackage{graphicx}\n\\begin{document}\n" +
			"\\begin{figure}\\resizebox{\\linewidth}{!}{\\input{d.tikz}}\\caption{" + texText(name) + "}\\end{figure}\n\\end{document}\n"
		if err := os.WriteFile(filepath.Join(dir, "d.tikz"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "d.tex"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "d.tex")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: pdflatex failed: %v\n%s", id, err, out[max(0, len(out)-2000):])
		}
		if st, err := os.Stat(filepath.Join(dir, "d.pdf")); err != nil || st.Size() == 0 {
			t.Fatalf("%s: pdflatex wrote no PDF", id)
		}
	}
}

// texHas reports whether pdflatex is installed with the given package file.
func texHas(t *testing.T, file string) bool {
	t.Helper()
	if _, err := exec.LookPath("pdflatex"); err != nil {
		return false
	}
	out, err := exec.Command("kpsewhich", file).Output()
	return err == nil && strings.TrimSpace(string(out)) != ""
}

func TestTeXEscapes(t *testing.T) {
	got := texText(`a_b {x} 50% $1 #2 & ~^ \ </text>`)
	want := `a\_b \{x\} 50\% \$1 \#2 \& \~{}\^{} \textbackslash{} \textless{}/text\textgreater{}`
	if got != want {
		t.Errorf("texText = %q, want %q", got, want)
	}
}

func BenchmarkPNG(b *testing.B) {
	d, _ := layOut(b, "resnet50", diagram.Options{Dir: "tb"})
	st := style(b, "light", false)
	for _, sz := range []Size{{Scale: 1}, {Scale: 2}} {
		b.Run(fmt.Sprintf("resnet50-%gx", sz.Scale), func(b *testing.B) {
			for b.Loop() {
				if _, err := PNG(d, st, sz); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPDFAndTikZ(b *testing.B) {
	d, name := layOut(b, "resnet50", diagram.Options{Dir: "tb"})
	st := style(b, "light", false)
	b.Run("pdf", func(b *testing.B) {
		for b.Loop() {
			if _, err := PDF(d, st, name); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tikz", func(b *testing.B) {
		for b.Loop() {
			TikZ(d, st, name)
		}
	})
}
