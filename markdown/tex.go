package markdown

import (
	"html"
	"sort"
	"strings"
)

// The TeX of course notes beyond the basics of math.go: letter styles (\mathbf W,
// \mathbb R, \mathcal L) written with Unicode's mathematical letters, which MathML
// Core draws without fonts of its own; accents (\hat y); named operators (\max,
// \operatorname{softmax}); matrices and aligned equations as <mtable>. A command not
// listed is shown as written and named in a warning beside the formula.

// texIdentifiers are the commands written as identifiers (<mi>): Greek letters, ℓ.
var texIdentifiers = map[string]string{
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ", "eta": "η",
	"theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
	"rho": "ρ", "varrho": "ϱ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
	"omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
	"Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ", "hbar": "ℏ", "emptyset": "∅", "infty": "∞",
	"partial": "∂", "nabla": "∇",
}

// texOperators are the commands written as operators (<mo>), besides texSymbols.
var texOperators = map[string]string{
	"top": "⊤", "intercal": "⊺", "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "circ": "∘", "ast": "∗", "star": "⋆",
	"mid": "∣", "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|", "rvert": "|", "vert": "|", "langle": "⟨", "rangle": "⟩",
	"forall": "∀", "exists": "∃", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "cup": "∪", "cap": "∩", "sim": "∼",
	"propto": "∝", "ll": "≪", "gg": "≫", "equiv": "≡", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
	"iff": "⇔", "implies": "⟹", "mapsto": "↦", "leftrightarrow": "↔", "uparrow": "↑", "downarrow": "↓", "vdots": "⋮",
	"ddots": "⋱", "dots": "…", "int": "∫", "oint": "∮", "neg": "¬", "land": "∧", "lor": "∨", "wedge": "∧", "vee": "∨",
	"setminus": "∖", "div": "÷", "mp": "∓", "prime": "′", "colon": ":", "ne": "≠", "lbrace": "{", "rbrace": "}",
	"notin": "∉", "coloneqq": "≔", "triangleq": "≜", "simeq": "≃", "cong": "≅", "bigcup": "⋃", "bigcap": "⋂",
	"lbrack": "[", "rbrack": "]", "bullet": "∙", "dagger": "†",
}

// texFunctions are the named operators written upright: \max, \log.
var texFunctions = map[string]bool{
	"max": true, "min": true, "arg": true, "argmax": true, "argmin": true, "log": true, "ln": true, "exp": true,
	"sin": true, "cos": true, "tan": true, "tanh": true, "sup": true, "inf": true, "lim": true, "det": true, "dim": true,
	"sgn": true, "sign": true, "softmax": true, "ker": true, "rank": true, "tr": true, "Pr": true, "deg": true,
}

// texAccents put a mark over (or under) their argument.
var texAccents = map[string]string{
	"hat": "^", "widehat": "^", "bar": "‾", "overline": "‾", "tilde": "~", "widetilde": "~", "vec": "→",
	"dot": "˙", "ddot": "¨", "check": "ˇ", "breve": "˘", "underline": "_",
}

// texIgnored are sizing and spacing commands, drawn as nothing (MathML spaces its
// operators itself).
var texIgnored = map[string]bool{
	"left": true, "right": true, "big": true, "Big": true, "bigg": true, "Bigg": true, "bigl": true, "bigr": true,
	"Bigl": true, "Bigr": true, "biggl": true, "biggr": true, "quad": true, "qquad": true, "limits": true,
	"nolimits": true, "displaystyle": true, "textstyle": true, "middle": true,
}

// letterStyles map a style command to the first code point of its capitals, small
// letters and digits in Unicode's Mathematical Alphanumeric Symbols (0: none), and
// the letters Unicode encodes elsewhere (the "holes" of the block).
var letterStyles = map[string]struct {
	upper, lower, digit rune
	holes               map[rune]rune
}{
	"mathbf":     {0x1D400, 0x1D41A, 0x1D7CE, nil},
	"boldsymbol": {0x1D468, 0x1D482, 0x1D7CE, nil},
	"bm":         {0x1D468, 0x1D482, 0x1D7CE, nil},
	"mathit":     {0x1D434, 0x1D44E, 0, map[rune]rune{'h': 'ℎ'}},
	"mathcal":    {0x1D49C, 0x1D4B6, 0, map[rune]rune{'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ', 'e': 'ℯ', 'g': 'ℊ', 'o': 'ℴ'}},
	"mathscr":    {0x1D49C, 0x1D4B6, 0, map[rune]rune{'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ', 'e': 'ℯ', 'g': 'ℊ', 'o': 'ℴ'}},
	"mathbb":     {0x1D538, 0x1D552, 0x1D7D8, map[rune]rune{'C': 'ℂ', 'H': 'ℍ', 'N': 'ℕ', 'P': 'ℙ', 'Q': 'ℚ', 'R': 'ℝ', 'Z': 'ℤ'}},
	"mathfrak":   {0x1D504, 0x1D51E, 0, map[rune]rune{'C': 'ℭ', 'H': 'ℌ', 'I': 'ℑ', 'R': 'ℜ', 'Z': 'ℨ'}},
	"mathsf":     {0x1D5A0, 0x1D5BA, 0x1D7E2, nil},
	"mathtt":     {0x1D670, 0x1D68A, 0x1D7F6, nil},
	"mathbfcal":  {0x1D4D0, 0x1D4EA, 0, nil},
	"symbf":      {0x1D400, 0x1D41A, 0x1D7CE, nil},
	"textbf":     {0x1D400, 0x1D41A, 0x1D7CE, nil},
	"pmb":        {0x1D400, 0x1D41A, 0x1D7CE, nil},
	"mathnormal": {0x1D434, 0x1D44E, 0, map[rune]rune{'h': 'ℎ'}},
	"symcal":     {0x1D49C, 0x1D4B6, 0, map[rune]rune{'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ', 'e': 'ℯ', 'g': 'ℊ', 'o': 'ℴ'}},
	"symbb":      {0x1D538, 0x1D552, 0x1D7D8, map[rune]rune{'C': 'ℂ', 'H': 'ℍ', 'N': 'ℕ', 'P': 'ℙ', 'Q': 'ℚ', 'R': 'ℝ', 'Z': 'ℤ'}},
	"mathbbm":    {0x1D538, 0x1D552, 0x1D7D8, map[rune]rune{'C': 'ℂ', 'H': 'ℍ', 'N': 'ℕ', 'P': 'ℙ', 'Q': 'ℚ', 'R': 'ℝ', 'Z': 'ℤ'}},
}

// styleLetters writes s in a letter style; characters the style has no form for stay.
func styleLetters(style string, s string) string {
	st := letterStyles[style]
	var b strings.Builder
	for _, r := range s {
		switch {
		case st.holes[r] != 0:
			b.WriteRune(st.holes[r])
		case r >= 'A' && r <= 'Z' && st.upper != 0:
			b.WriteRune(st.upper + r - 'A')
		case r >= 'a' && r <= 'z' && st.lower != 0:
			b.WriteRune(st.lower + r - 'a')
		case r >= '0' && r <= '9' && st.digit != 0:
			b.WriteRune(st.digit + r - '0')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// environments are the \begin{…} blocks drawn as tables, with the fences around them.
var environments = map[string][2]string{
	"matrix": {"", ""}, "pmatrix": {"(", ")"}, "bmatrix": {"[", "]"}, "Bmatrix": {"{", "}"}, "vmatrix": {"|", "|"},
	"Vmatrix": {"‖", "‖"}, "smallmatrix": {"", ""}, "cases": {"{", ""}, "aligned": {"", ""}, "align": {"", ""},
	"align*": {"", ""}, "gathered": {"", ""}, "gather": {"", ""}, "gather*": {"", ""}, "split": {"", ""},
	"array": {"", ""}, "equation": {"", ""}, "equation*": {"", ""},
}

// environment converts \begin{name}…\end{name}, the \begin{name} read: rows split at
// \\, cells at &, each cell converted at depth d. aligned equations alternate right-
// and left-aligned columns around their &; cases align left.
func (c *texConv) environment(d int) string {
	name := c.group()
	fence, ok := environments[name]
	if !ok {
		c.unknown["\\begin{"+name+"}"] = true
	}
	if name == "array" {
		c.group() // the column spec: {cc}
	}
	body := c.until(`\end{` + name + `}`)
	var rows strings.Builder
	for _, row := range splitTop(body, `\\`) {
		if strings.TrimSpace(row) == "" {
			continue
		}
		rows.WriteString("<mtr>")
		for _, cell := range splitTop(row, "&") {
			inner := &texConv{src: []rune(cell), unknown: c.unknown}
			rows.WriteString("<mtd><mrow>" + inner.row(d+1) + "</mrow></mtd>")
		}
		rows.WriteString("</mtr>")
	}
	align := ""
	switch name {
	case "aligned", "align", "align*", "split":
		align = ` columnalign="right left right left right left"`
	case "cases":
		align = ` columnalign="left left"`
	}
	out := "<mtable" + align + ">" + rows.String() + "</mtable>"
	if fence[0] != "" || fence[1] != "" {
		out = "<mrow><mo>" + html.EscapeString(fence[0]) + "</mo>" + out + "<mo>" + html.EscapeString(fence[1]) + "</mo></mrow>"
	}
	return out
}

// group reads a {…} argument verbatim, nested braces included; "" when there is none.
func (c *texConv) group() string {
	for c.i < len(c.src) && c.src[c.i] == ' ' {
		c.i++
	}
	if c.i >= len(c.src) || c.src[c.i] != '{' {
		return ""
	}
	depth, start := 0, c.i+1
	for ; c.i < len(c.src); c.i++ {
		switch c.src[c.i] {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				c.i++
				return string(c.src[start : c.i-1])
			}
		}
	}
	return string(c.src[start:])
}

// until reads up to end (consumed), or to the end of the formula.
func (c *texConv) until(end string) string {
	rest := string(c.src[c.i:])
	k := strings.Index(rest, end)
	if k < 0 {
		c.i = len(c.src)
		return rest
	}
	c.i += len([]rune(rest[:k+len(end)]))
	return rest[:k]
}

// splitTop splits s at sep outside braces and nested environments.
func splitTop(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '{':
			depth++
		case s[i] == '}':
			depth--
		case strings.HasPrefix(s[i:], `\begin{`):
			depth++
		case strings.HasPrefix(s[i:], `\end{`):
			depth--
		case s[i] == '\\' && sep != `\\` && i+1 < len(s):
			i++ // an escaped character (\&) is not a separator
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(out, s[start:])
}

// warning names the commands a formula used that are not drawn.
func (c *texConv) warning() string {
	if len(c.unknown) == 0 {
		return ""
	}
	names := make([]string, 0, len(c.unknown))
	for n := range c.unknown {
		names = append(names, n)
	}
	sort.Strings(names)
	return `<span class="tex-warning" role="note">TeX not supported here, shown as written: ` + html.EscapeString(strings.Join(names, ", ")) + `</span>`
}

// command converts the commands of this file; ok is false for one it does not know.
func (c *texConv) command(name string, d int) (string, bool) {
	if s, ok := texIdentifiers[name]; ok {
		return "<mi>" + s + "</mi>", true
	}
	if s, ok := texOperators[name]; ok {
		return "<mo>" + html.EscapeString(s) + "</mo>", true
	}
	if texFunctions[name] {
		return "<mi>" + name + "</mi>", true
	}
	if texIgnored[name] {
		return "", true
	}
	if mark, ok := texAccents[name]; ok {
		arg := c.atom(d + 1)
		if name == "underline" {
			return "<munder accentunder=\"true\"><mrow>" + arg + "</mrow><mo>" + mark + "</mo></munder>", true
		}
		return "<mover accent=\"true\"><mrow>" + arg + "</mrow><mo>" + html.EscapeString(mark) + "</mo></mover>", true
	}
	if _, ok := letterStyles[name]; ok {
		inner := &texConv{src: []rune(styleLetters(name, c.group())), unknown: c.unknown}
		return "<mrow>" + inner.row(d+1) + "</mrow>", true
	}
	switch name {
	case "operatorname":
		if c.i < len(c.src) && c.src[c.i] == '*' {
			c.i++
		}
		return "<mi>" + html.EscapeString(texPlain(c.group())) + "</mi>", true
	case "dfrac", "tfrac", "cfrac":
		return "<mfrac>" + c.atom(d+1) + c.atom(d+1) + "</mfrac>", true
	case "binom":
		return `<mrow><mo>(</mo><mfrac linethickness="0">` + c.atom(d+1) + c.atom(d+1) + `</mfrac><mo>)</mo></mrow>`, true
	case "begin":
		return c.environment(d), true
	case "end":
		c.group() // a stray \end
		return "", true
	case "textrm", "textit", "mbox", "textsf", "texttt":
		return "<mtext>" + html.EscapeString(texPlain(c.group())) + "</mtext>", true
	}
	return "", false
}

// texPlain drops the spacing commands of a {text} argument: arg\,max is argmax.
func texPlain(s string) string {
	return strings.NewReplacer(`\,`, "", `\;`, " ", `\:`, " ", `\!`, "", `\ `, " ", `\_`, "_", `\&`, "&", `\%`, "%").Replace(s)
}
