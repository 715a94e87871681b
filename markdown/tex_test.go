package markdown

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTeXOfCourseNotes(t *testing.T) {
	for _, tc := range []struct{ tex, want string }{
		{`\mathcal{L}`, "<mi>ℒ</mi>"},
		{`\mathbb{R}^{n}`, "<mi>ℝ</mi>"},
		{`\mathbf{W}x`, "<mi>𝐖</mi>"},
		{`\mathbf{x}_1`, "<msub><mrow><mrow><mi>𝐱</mi></mrow></mrow>"},
		{`\hat{y}`, `<mover accent="true"><mrow><mrow><mi>y</mi></mrow></mrow><mo>^</mo></mover>`},
		{`\bar{x}`, `<mo>‾</mo></mover>`},
		{`\max_i x_i`, "<msub><mrow><mi>max</mi></mrow>"},
		{`W^\top`, "<mo>⊤</mo>"},
		{`\operatorname{softmax}(z)`, "<mi>softmax</mi>"},
		{`\operatorname*{arg\,max}`, "<mi>argmax</mi>"},
		{`\text{if } x`, "<mtext>if </mtext>"},
		{`\begin{pmatrix} a & b \\ c & d \end{pmatrix}`, "<mrow><mo>(</mo><mtable><mtr><mtd><mrow><mi>a</mi></mrow></mtd><mtd><mrow><mi>b</mi></mrow></mtd></mtr><mtr><mtd><mrow><mi>c</mi></mrow></mtd><mtd><mrow><mi>d</mi></mrow></mtd></mtr></mtable><mo>)</mo></mrow>"},
		{`\begin{bmatrix} 1 \\ 2 \end{bmatrix}`, "<mo>[</mo><mtable><mtr><mtd><mrow><mn>1</mn></mrow></mtd></mtr>"},
		{`\begin{aligned} y &= Wx + b \\ z &= \sigma(y) \end{aligned}`, `<mtable columnalign="right left right left right left"><mtr><mtd><mrow><mi>y</mi></mrow></mtd><mtd><mrow><mo>=</mo>`},
		{`f(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}`, `<mo>{</mo><mtable columnalign="left left">`},
		{`\|x\|_2 \odot \ell`, "<mo>‖</mo>"},
		{`a \, b`, "<mi>a</mi><mi>b</mi>"},
		{`\nabla_\theta \mathcal{L}`, "<mi>∇</mi>"},
		{`\dfrac{1}{2}`, "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac>"},
	} {
		got := MathML(tc.tex, true)
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.tex, got, tc.want)
		}
		if strings.Contains(got, "tex-warning") {
			t.Errorf("%s: a warning for TeX that is drawn: %s", tc.tex, got)
		}
	}
}

func TestTeXWarnsOfWhatItDoesNotDraw(t *testing.T) {
	got := MathML(`\xrightarrow{f} \mathcal{L} \overbrace{x} \begin{tikzcd}a\end{tikzcd}`, false)
	for _, want := range []string{`class="tex-warning"`, `\begin{tikzcd}, \overbrace, \xrightarrow`, "<mi>ℒ</mi>"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	// A warning is text, escaped like the rest.
	if got := MathML(`\foo<b>`, false); strings.Contains(got, "<b>") {
		t.Errorf("unescaped: %s", got)
	}
}

// Any formula converts to well-formed markup, quickly: the TeX is the reader's to write.
func FuzzMathML(f *testing.F) {
	for _, s := range []string{`\begin{pmatrix} a & b \\ c & d \end{pmatrix}`, `\mathbf{W}^\top \hat{y}_{i}`, `\begin{cases} x & \text{if } x>0 \\ 0 \end{cases}`,
		`\operatorname*{arg\,max}_\theta \mathcal{L}`, `\begin{aligned} a &= b \\ &= \frac{1}{2} \end{aligned}`, `\frac{\sqrt{x}}{\left( y \right)}`, `\begin{bmatrix}\begin{matrix}1\end{matrix}\end{bmatrix}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tex string) {
		// Bytes that are not text (invalid UTF-8, control characters) pass through as
		// goldmark gives them, for the browser to replace: not this test's subject.
		if len(tex) > maxFormula || !utf8.ValidString(tex) || strings.ContainsFunc(tex, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
		}) {
			return
		}
		out := MathML(tex, true)
		dec := xml.NewDecoder(strings.NewReader("<root>" + out + "</root>"))
		dec.Strict = true
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%q: %v\n%s", tex, err, out)
			}
		}
	})
}
