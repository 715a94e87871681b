package archdefs

import (
	"errors"
	"strings"
	"testing"
	"time"

	"convatlas/engine"
)

const header = "id: net\ninput: {c: 3, h: 32, w: 32}\nlayers:\n"

// analyzeSource parses and analyses a definition, as the CLI and the web do.
func analyzeSource(file, src string) (*engine.Report, error) {
	a, err := Parse(file, []byte(src))
	if err != nil {
		return nil, err
	}
	return engine.Analyze(a.Model, engine.Options{})
}

func TestMalformedDefinitions(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
	}{
		{"misspelled key", header + "  - conv: {out: 8, k: 3}\n  - conv: {out: 8, k: 3, strdie: 2}\n",
			`net.yaml:5:26: layers[1].conv.strdie: unknown key "strdie": did you mean "stride"?`},
		{"kernel larger than input", header + "  - conv: {out: 8, k: 5, s: 2}\n  - conv: {out: 8, k: 3, s: 3}\n  - conv: {out: 8, k: 5, s: 2}\n",
			`net.yaml:6:5: conv "conv3" (layers[2].conv): kernel 5×5 larger than padded input 4×4`},
		{"stride as text", header + "  - conv: {out: 8, k: 3, s: \"2\"}\n", `net.yaml:4:29: layers[0].conv.s: must be a whole number, got the text "2"`},
		{"fractional stride", header + "  - conv: {out: 8, k: 3, s: 2.5}\n", `net.yaml:4:29: layers[0].conv.s: must be a whole number, got "2.5"`},
		{"huge number", header + "  - conv: {out: 9223372036854775808, k: 3}\n", `net.yaml:4:17: layers[0].conv.out: the number 9223372036854775808 is out of range`},
		{"infinite", header + "  - conv: {out: .inf, k: 3}\n", `layers[0].conv.out: must be a whole number, got ".inf"`},
		{"1e309", header + "  - conv: {out: 1e309, k: 3}\n", `layers[0].conv.out: must be a whole number`},
		{"zero kernel", header + "  - conv: {out: 8, k: 0}\n", `net.yaml:4:23: layers[0].conv.k: must be at least 1, got 0`},
		{"negative padding", header + "  - maxpool: {k: 2, p: -1}\n", `net.yaml:4:24: layers[0].maxpool.p: must be at least 0, got -1`},
		{"unknown op", header + "  - convolution: {out: 8}\n", `net.yaml:4:5: layers[0].convolution: unknown key "convolution"`},
		{"syntax error", header + "  - conv: {out: 8, k: 3}\n  - relu\n  - bn\n  - conv: {out: 8, k: 3]\n", `net.yaml:7:`},
		{"tab indentation", header + "  - relu\n  - bn\n  - relu\n\t- bn\n", `net.yaml:7:`},
		{"duplicate key", header + "  - conv: {out: 8, k: 3, k: 5}\n", `net.yaml:4:26: the key "k" appears twice`},
		{"two documents", header + "  - relu\n---\nid: other\n", `a definition is one YAML document`},
		{"alias", "id: net\ninput: &in {c: 3, h: 32, w: 32}\nx: *in\nlayers: [relu]\n", `net.yaml:2:8: anchors (&) and aliases (*) are not allowed`},
		{"missing template argument", "id: net\ninput: {c: 3, h: 32, w: 32}\nblocks:\n  b:\n    args: [out]\n    layers: [{conv: {out: $out, k: 3}}]\nlayers:\n  - use: {b: {}}\n", `net.yaml:8:11: layers[0].use: template "b" needs the argument "out"`},
		{"unknown template argument", "id: net\ninput: {c: 3, h: 32, w: 32}\nblocks:\n  b:\n    args: [out]\n    layers: [{conv: {out: $outs, k: 3}}]\nlayers:\n  - use: {b: {out: 8}}\n", `net.yaml:6:27: blocks.b.layers[0].conv.out: unknown template argument $outs in template "b"`},
		{"template recursion", "id: net\ninput: {c: 3, h: 32, w: 32}\nblocks:\n  a:\n    layers: [{use: b}]\n  b:\n    layers: [{use: a}]\nlayers:\n  - use: a\n", `template "a" uses itself: a → b → a`},
		{"unknown template", header + "  - use: bottleneck\n", `net.yaml:4:10: layers[0].use: unknown template "bottleneck"`},
		{"concat mismatch", header + "  - branch:\n      merge: concat\n      paths:\n        - [{conv: {out: 8, k: 3, s: 2, p: 1}}]\n        - [{conv: {out: 8, k: 3, p: 1}}]\n",
			`net.yaml:4:5: concat "1.concat" (layers[0].branch): cannot concatenate 16×16×8 with 32×32×8`},
		{"cell unknown input", header + "  - cell:\n      inputs: [x, prev]\n      nodes:\n        - {name: a, from: y, layers: [relu]}\n      output: {concat: [a]}\n", `net.yaml:7:11: cell "cell1.a" (layers[0].cell.nodes[0]): unknown input "y"`},
		{"cell self loop", header + "  - cell:\n      inputs: [x]\n      nodes:\n        - {name: a, add: [x, a]}\n      output: {concat: [a]}\n", `"a" reads itself`},
		{"not a mapping", "- relu\n", `net.yaml:1:1: must be a mapping (key: value), got a list`},
		{"empty", "", `the definition is empty`},
		{"bad id", "id: Net One\ninput: {c: 3, h: 32, w: 32}\nlayers: [relu]\n", `net.yaml:1:5: id: an id uses lower-case letters`},
		{"deep brackets", "id: net\ninput: {c: 3, h: 32, w: 32}\nlayers: " + strings.Repeat("[", 100000), `net.yaml:3:73: lists or mappings nested more than 64 deep`},
		{"deep lists", "id: net\ninput: {c: 3, h: 32, w: 32}\nlayers:\n" + strings.Repeat("- ", 50000) + "relu\n", `net.yaml:4:129: lists or mappings nested more than 64 deep`},
		{"odd YAML", "{{},<<}", `net.yaml`},
		{"odd YAML 2", "0::", `net.yaml`},
		{"BOM in a key", "id: net\ninput: {c: 3, h: 32, w: 32}\n\ufefflayers: [relu]\n", `net.yaml`},
		{"empty stage", header + "  - {stage: s, layers: []}\n", `net.yaml:4:5: layers[0].layers: stage needs at least one layer`},
		{"huge repeat", header + "  - {repeat: 100000000, layers: [relu]}\n", `more layers than the limit of 250,000`},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := analyzeSource("net.yaml", c.src)
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", c.want)
			}
			var e *engine.Error
			if !errors.As(err, &e) {
				t.Errorf("error %T %v is not an *engine.Error", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error\n  %s\nwant it to contain\n  %s", err, c.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestAliasBombIsRefusedQuickly(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i := 'b'; i <= 'i'; i++ {
		prev := string(i - 1)
		b.WriteString(string(i) + ": &" + string(i) + " [*" + prev)
		for range 8 {
			b.WriteString(",*" + prev)
		}
		b.WriteString("]\n")
	}
	_, err := Parse("bomb.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "anchors (&) and aliases (*) are not allowed") {
		t.Fatalf("alias bomb: %v", err)
	}
}

func TestLongNamesAndPairs(t *testing.T) {
	r, err := analyzeSource("net.yaml", header+"  - conv: {out: 8, kernel: [1, 7], padding: [0, 3], stride: 1, bias: false}\n")
	if err != nil {
		t.Fatal(err)
	}
	l := r.Layers[0]
	if l.Out != (engine.Shape{C: 8, H: 32, W: 32}) || l.Params != 7*3*8 {
		t.Fatalf("1×7 conv: %v, %d params", l.Out, l.Params)
	}
}

func TestTemplatesRepeatAndNames(t *testing.T) {
	src := `id: net
input: {c: 16, h: 8, w: 8}
blocks:
  unit:
    args: {out: ~, s: 1}
    residual:
      body: [{conv: {out: $out, k: 3, s: $s, p: 1}}, bn]
      after: [relu]
layers:
  - stage: s1
    layers:
      - use: {unit: {out: 32, s: 2}}
      - {repeat: 2, use: {unit: {out: 32}}}
  - {fc: 10, name: classifier}
`
	r, err := analyzeSource("net.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range r.Layers {
		names = append(names, l.Name)
	}
	want := "s1.1.conv1 s1.1.bn1 s1.1.shortcut.conv1 s1.1.shortcut.bn1 s1.1.add s1.1.relu1 " +
		"s1.2.conv1 s1.2.bn1 s1.2.add s1.2.relu1 s1.3.conv1 s1.3.bn1 s1.3.add s1.3.relu1 classifier"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("names\n  %s\nwant\n  %s", got, want)
	}
	if len(r.Stages) != 1 || r.Stages[0].Name != "s1" || r.Stages[0].Out != (engine.Shape{C: 32, H: 4, W: 4}) {
		t.Fatalf("stages %+v", r.Stages)
	}
}
