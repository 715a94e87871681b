package markdown

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Math renders $…$ (inline) and $$…$$ (display) as MathML, which browsers draw
// natively: no script, no fonts to ship, and the HTML stays self-contained for
// offline notes. The converter covers the TeX that CNN notes use — sub- and
// superscripts, \frac, \sqrt, floors, Greek letters, ·, ×, ≤ — and writes anything
// else as text.
type Math struct{}

// KindMath is the AST node of a formula.
var KindMath = ast.NewNodeKind("Math")

// MathNode is a TeX formula.
type MathNode struct {
	ast.BaseInline
	TeX     string
	Display bool
}

// Kind implements ast.Node.
func (n *MathNode) Kind() ast.NodeKind { return KindMath }

// Dump implements ast.Node.
func (n *MathNode) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// maxFormula bounds the search for a formula's end, so that a line of dollars costs
// linear time.
const maxFormula = 1000

type mathParser struct{}

func (mathParser) Trigger() []byte { return []byte{'$'} }

func (mathParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, _ := block.PeekLine()
	display := len(line) > 1 && line[1] == '$'
	open := 1
	if display {
		open = 2
	}
	rest := line[open:]
	if len(rest) > maxFormula {
		rest = rest[:maxFormula]
	}
	end := bytes.Index(rest, []byte("$$")[:open])
	if end <= 0 {
		return nil
	}
	tex := string(line[open : open+end])
	if !display && (strings.HasPrefix(tex, " ") || strings.HasSuffix(tex, " ")) {
		return nil // "$5 and $6" is money, not math
	}
	block.Advance(open + end + open)
	return &MathNode{TeX: tex, Display: display}
}

type mathRenderer struct{}

func (mathRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindMath, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			m := n.(*MathNode)
			_, _ = w.WriteString(MathML(m.TeX, m.Display))
		}
		return ast.WalkContinue, nil
	})
}

// Extend implements goldmark.Extender.
func (Math) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(mathParser{}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(mathRenderer{}, 500)))
}

var texSymbols = map[string]string{
	"cdot": "·", "times": "×", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "leq": "≤", "le": "≤",
	"geq": "≥", "ge": "≥", "approx": "≈", "neq": "≠", "sum": "∑", "prod": "∏", "to": "→", "rightarrow": "→",
	"infty": "∞", "pm": "±", "ldots": "…", "cdots": "⋯", "in": "∈", "partial": "∂", "nabla": "∇",
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ",
	"mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ",
}

// MathML converts a TeX formula to MathML, escaping everything it copies.
func MathML(tex string, display bool) string {
	c := &texConv{src: []rune(tex), unknown: map[string]bool{}}
	body := c.row(0)
	mode := "inline"
	if display {
		mode = "block"
	}
	return `<math display="` + mode + `"><semantics><mrow>` + body + `</mrow><annotation encoding="application/x-tex">` + html.EscapeString(tex) + `</annotation></semantics></math>` + c.warning()
}

type texConv struct {
	src     []rune
	i       int
	unknown map[string]bool // commands not drawn, for the warning (tex.go)
}

// row converts atoms until the end or a closing brace, at nesting depth d.
func (c *texConv) row(d int) string {
	var b strings.Builder
	for c.i < len(c.src) {
		if c.src[c.i] == '}' {
			if d > 0 {
				c.i++
				return b.String()
			}
			c.i++
			continue
		}
		atom := c.atom(d)
		// Scripts attach to the atom before them.
		for c.i < len(c.src) && (c.src[c.i] == '^' || c.src[c.i] == '_') {
			op := c.src[c.i]
			c.i++
			arg := c.atom(d)
			if op == '^' {
				atom = "<msup><mrow>" + atom + "</mrow><mrow>" + arg + "</mrow></msup>"
			} else {
				atom = "<msub><mrow>" + atom + "</mrow><mrow>" + arg + "</mrow></msub>"
			}
		}
		b.WriteString(atom)
	}
	return b.String()
}

// atom converts one group, command or character.
func (c *texConv) atom(d int) string {
	if d > 32 {
		c.i = len(c.src)
		return ""
	}
	for c.i < len(c.src) && c.src[c.i] == ' ' {
		c.i++
	}
	if c.i >= len(c.src) {
		return ""
	}
	r := c.src[c.i]
	c.i++
	switch {
	case r == '{':
		return "<mrow>" + c.row(d+1) + "</mrow>"
	case r == '\\':
		start := c.i
		for c.i < len(c.src) && (c.src[c.i] >= 'a' && c.src[c.i] <= 'z' || c.src[c.i] >= 'A' && c.src[c.i] <= 'Z') {
			c.i++
		}
		name := string(c.src[start:c.i])
		if name == "" && c.i < len(c.src) {
			c.i++
			switch ch := c.src[c.i-1]; ch {
			case ',', ';', ':', '!', ' ':
				return "" // spacing: MathML spaces operators itself
			case '|':
				return "<mo>‖</mo>"
			default:
				return "<mo>" + html.EscapeString(string(ch)) + "</mo>"
			}
		}
		switch name {
		case "frac":
			return "<mfrac>" + c.atom(d+1) + c.atom(d+1) + "</mfrac>"
		case "sqrt":
			return "<msqrt>" + c.atom(d+1) + "</msqrt>"
		case "text", "mathrm":
			return "<mtext>" + c.plain() + "</mtext>"
		}
		if out, ok := c.command(name, d); ok {
			return out
		}
		if s, ok := texSymbols[name]; ok {
			return "<mo>" + s + "</mo>"
		}
		c.unknown["\\"+name] = true
		return "<mtext>" + html.EscapeString("\\"+name) + "</mtext>"
	case r >= '0' && r <= '9' || r == '.':
		start := c.i - 1
		for c.i < len(c.src) && (c.src[c.i] >= '0' && c.src[c.i] <= '9' || c.src[c.i] == '.' || c.src[c.i] == ',') {
			c.i++
		}
		return "<mn>" + html.EscapeString(string(c.src[start:c.i])) + "</mn>"
	case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 && !strings.ContainsRune("·×⌊⌋−≤≥", r):
		return "<mi>" + html.EscapeString(string(r)) + "</mi>"
	}
	if r == '-' {
		return "<mo>−</mo>"
	}
	return "<mo>" + html.EscapeString(string(r)) + "</mo>"
}

// plain reads a {text} argument verbatim.
func (c *texConv) plain() string {
	for c.i < len(c.src) && c.src[c.i] == ' ' {
		c.i++
	}
	if c.i >= len(c.src) || c.src[c.i] != '{' {
		return ""
	}
	c.i++
	start := c.i
	for c.i < len(c.src) && c.src[c.i] != '}' {
		c.i++
	}
	s := string(c.src[start:c.i])
	if c.i < len(c.src) {
		c.i++
	}
	return html.EscapeString(s)
}
