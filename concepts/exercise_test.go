package concepts

import (
	"strings"
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

func reportOf(t *testing.T, id string) *engine.Report {
	t.Helper()
	a, err := archdefs.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// answerCase is one answer to one question, and what the checker must say.
type answerCase struct {
	net, layer string
	kind       QuestionKind
	estimate   bool
	answer     string
	correct    bool
	close      bool
	invalid    bool
	mistake    string // a word of the diagnosis, when wrong
}

// The lecture's worked answers (cs231n lecture 9, AlexNet): CONV1 (227 − 11)/4 + 1 = 55
// → 55×55×96, (11·11·3)·96 weights + 96 biases; POOL1 27×27×96 and 0 parameters. The
// other figures are the layers' own formulas on the catalogue's definitions, every
// layer kind of the catalogue: conv, grouped, depthwise, pool with ceil, fc, concat,
// add, SE gate, dense.
var answerCases = []answerCase{
	// conv: AlexNet CONV1
	{"alexnet", "conv1", AskOut, false, "55x55x96", true, false, false, ""},
	{"alexnet", "conv1", AskOut, false, "55 × 55 × 96", true, false, false, ""},
	{"alexnet", "conv1", AskOut, false, "96×55×55", true, false, false, ""},
	{"alexnet", "conv1", AskOut, false, "(96, 55, 55)", true, false, false, ""},
	{"alexnet", "conv1", AskOut, false, "54x54x96", false, false, false, "224"},
	{"alexnet", "conv1", AskOut, false, "55x55x3", false, false, false, "number of filters"},
	{"alexnet", "conv1", AskOut, false, "217x217x96", false, false, false, "stride"},
	{"alexnet", "conv1", AskOut, false, "57x57x96", false, false, false, "padding"},
	{"alexnet", "conv1", AskOut, false, "54x54", false, false, true, ""},
	{"alexnet", "conv1", AskParams, false, "34,944", true, false, false, ""},
	{"alexnet", "conv1", AskParams, false, "34944", true, false, false, ""},
	{"alexnet", "conv1", AskParams, false, "34 944 parameters", true, false, false, ""},
	{"alexnet", "conv1", AskParams, false, "3.5e4", false, true, false, ""},
	{"alexnet", "conv1", AskParams, true, "3.5e4", true, false, false, ""},
	{"alexnet", "conv1", AskParams, true, "35k", true, false, false, ""},
	{"alexnet", "conv1", AskParams, true, "3.5×10^4", true, false, false, ""},
	{"alexnet", "conv1", AskParams, true, "4e4", false, false, false, ""},
	{"alexnet", "conv1", AskParams, false, "34848", false, false, false, "bias"},
	{"alexnet", "conv1", AskParams, false, "11712", false, false, false, "depth"},
	{"alexnet", "conv1", AskMACs, false, "105,415,200", true, false, false, ""},
	{"alexnet", "conv1", AskMACs, false, "210830400", false, false, false, "FLOPs"},
	{"alexnet", "conv1", AskMACs, false, "101616768", false, false, false, "224"},
	{"alexnet", "conv1", AskMemory, false, "290400", true, false, false, ""},
	{"alexnet", "conv1", AskMemory, false, "1,161,600 bytes", true, false, false, ""},
	{"alexnet", "conv1", AskMemory, true, "1.16 MB", true, false, false, ""},
	{"alexnet", "conv1", AskMemory, false, "1161600", false, false, false, "byte"},
	{"alexnet", "conv1", AskRF, false, "11", true, false, false, ""},
	{"alexnet", "conv1", AskRF, false, "11x11", true, false, false, ""},
	// pool, floor: AlexNet POOL1
	{"alexnet", "pool1", AskOut, false, "27x27x96", true, false, false, ""},
	{"alexnet", "pool1", AskOut, false, "28x28x96", false, false, false, "padding"},
	{"alexnet", "pool1", AskParams, false, "0", true, false, false, ""},
	{"alexnet", "pool1", AskParams, false, "864", false, false, false, "no weights"},
	{"alexnet", "pool1", AskRF, false, "19", true, false, false, ""},
	{"alexnet", "pool1", AskRF, false, "13", false, false, false, "jump"},
	// grouped: AlexNet CONV2 in two groups, 5×5×48 filters: 5·5·48·256 + 256
	{"alexnet", "conv2", AskParams, false, "307456", true, false, false, ""},
	{"alexnet", "conv2", AskParams, false, "614656", false, false, false, "groups"},
	{"alexnet", "conv2", AskOut, false, "23x23x256", false, false, false, "padding"},
	// fc: 6·6·256·4096 + 4096
	{"alexnet", "fc6", AskParams, false, "37,752,832", true, false, false, ""},
	{"alexnet", "fc6", AskParams, false, "37748736", false, false, false, "bias"},
	{"alexnet", "fc6", AskOut, false, "4096", true, false, false, ""},
	{"alexnet", "fc6", AskOut, false, "1x1x4096", true, false, false, ""},
	{"alexnet", "fc6", AskMACs, false, "75497472", false, false, false, "FLOPs"},
	// depthwise: MobileNet's first 3×3 depthwise, 3·3·32
	{"mobilenet_v1", "stage_112.dwsep1.dwconv1", AskParams, false, "288", true, false, false, ""},
	{"mobilenet_v1", "stage_112.dwsep1.dwconv1", AskParams, false, "9216", false, false, false, "ordinary convolution"},
	{"mobilenet_v1", "stage_112.dwsep1.dwconv1", AskMACs, false, "3612672", true, false, false, ""},
	{"mobilenet_v1", "stage_112.dwsep1.dwconv1", AskMACs, false, "115605504", false, false, false, "ordinary convolution"},
	// pool with ceil: GoogLeNet's first pool, ⌈(112 − 3)/2⌉ + 1 = 56
	{"googlenet", "stem.pool1", AskOut, false, "56x56x64", true, false, false, ""},
	{"googlenet", "stem.pool1", AskOut, false, "55x55x64", false, false, false, "ceil"},
	{"googlenet", "stem.pool1", AskMACs, false, "0", true, false, false, ""},
	// concat: inception 3a stacks 64 + 128 + 32 + 32
	{"googlenet", "inception_3.inception_3a.concat", AskOut, false, "28x28x256", true, false, false, ""},
	{"googlenet", "inception_3.inception_3a.concat", AskOut, false, "28x28x128", false, false, false, "one input"},
	{"googlenet", "inception_3.inception_3a.concat", AskParams, false, "0", true, false, false, ""},
	// add: a residual block keeps the shape
	{"resnet50", "conv2_x.1.add", AskOut, false, "56x56x256", true, false, false, ""},
	{"resnet50", "conv2_x.1.add", AskOut, false, "56x56x512", false, false, false, "addition keeps"},
	{"resnet50", "conv2_x.1.add", AskMACs, false, "0", true, false, false, ""},
	// SE gate: the C×1×1 gate multiplies the map
	{"se_resnet50", "conv2_x.1.se.mul", AskOut, false, "56x56x256", true, false, false, ""},
	{"se_resnet50", "conv2_x.1.se.mul", AskOut, false, "1x1x256", false, false, false, "broadcast"},
	{"se_resnet50", "conv2_x.1.se.excite.conv1", AskParams, false, "4112", true, false, false, ""},
	{"se_resnet50", "conv2_x.1.se.excite.conv1", AskParams, false, "4096", false, false, false, "bias"},
	// dense: the second layer of a dense block reads 64 + 32 channels
	{"densenet121", "denseblock1.dense1.layer2.concat", AskOut, false, "56x56x96", true, false, false, ""},
	{"densenet121", "denseblock1.dense1.layer2.concat", AskOut, false, "56x56x32", false, false, false, "one input"},
	{"densenet121", "denseblock1.dense1.layer2.concat", AskMemory, false, "301056", true, false, false, ""},
	{"densenet121", "stem.norm0", AskParams, false, "128", true, false, false, ""},
	{"densenet121", "stem.norm0", AskParams, false, "256", false, false, false, "buffers"},
	// malformed answers: a clear message, never a guess
	{"alexnet", "conv1", AskParams, false, "", false, false, true, ""},
	{"alexnet", "conv1", AskParams, false, "lots", false, false, true, ""},
	{"alexnet", "conv1", AskParams, false, "0x1p4", false, false, true, ""},
	{"alexnet", "conv1", AskParams, false, "1e400", false, false, true, ""},
	{"alexnet", "conv1", AskParams, false, "-5", false, false, true, ""},
	{"alexnet", "conv1", AskParams, false, strings.Repeat("9", 65), false, false, true, ""},
	{"alexnet", "conv1", AskParams, false, "NaN", false, false, true, ""},
	{"alexnet", "conv1", AskOut, false, "55x55x96x2", false, false, true, ""},
	{"alexnet", "conv1", AskOut, false, "fifty-five", false, false, true, ""},
	{"alexnet", "conv1", AskOut, false, "\xff\xfe", false, false, true, ""},
}

func TestCheckAnswers(t *testing.T) {
	reports := map[string]*engine.Report{}
	for _, c := range answerCases {
		r := reports[c.net]
		if r == nil {
			r = reportOf(t, c.net)
			reports[c.net] = r
		}
		q, err := Ask(r, c.net, Spec{Net: c.net, Layer: c.layer, Kind: c.kind, Estimate: c.estimate})
		if err != nil {
			t.Errorf("%s/%s:%s: %v", c.net, c.layer, c.kind, err)
			continue
		}
		v := q.Check(c.answer)
		name := c.net + "/" + c.layer + ":" + string(c.kind) + " " + c.answer
		if v.Correct != c.correct || v.Close != c.close || v.Invalid != c.invalid {
			t.Errorf("%s: correct %v close %v invalid %v, want %v %v %v (%s / %s)", name, v.Correct, v.Close, v.Invalid, c.correct, c.close, c.invalid, v.Message, v.Mistake)
			continue
		}
		if c.invalid && (v.Message == "" || v.Formula != "") {
			t.Errorf("%s: an unreadable answer needs a message and no formula yet: %+v", name, v)
		}
		if !c.invalid && v.Formula == "" {
			t.Errorf("%s: no formula shown", name)
		}
		if c.mistake != "" && !strings.Contains(v.Mistake, c.mistake) {
			t.Errorf("%s: diagnosis %q does not say %q", name, v.Mistake, c.mistake)
		}
	}
}

func TestLectureFormulas(t *testing.T) {
	r := reportOf(t, "alexnet")
	q, err := Ask(r, "AlexNet", Spec{Net: "alexnet", Layer: "conv1", Kind: AskOut})
	if err != nil {
		t.Fatal(err)
	}
	if q.Formula != "⌊(227 + 2·0 − 11)/4⌋ + 1 = 55 → 55×55×96" {
		t.Errorf("out formula %q", q.Formula)
	}
	q, _ = Ask(r, "AlexNet", Spec{Net: "alexnet", Layer: "conv1", Kind: AskParams})
	if q.Formula != "11·11·3·96 + 96 = 34,944" {
		t.Errorf("params formula %q", q.Formula)
	}
}

func TestParseSpecs(t *testing.T) {
	specs, err := ParseSpecs([]string{"alexnet/conv1:out,params~", "vgg16/conv1.conv2:rf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 3 || specs[1].Kind != AskParams || !specs[1].Estimate || specs[2].Layer != "conv1.conv2" {
		t.Errorf("specs %+v", specs)
	}
	if specs[1].String() != "alexnet/conv1:params~" {
		t.Errorf("spec string %q", specs[1].String())
	}
	for _, bad := range [][]string{
		{"alexnet"}, {"alexnet/conv1"}, {"alexnet/conv1:size"}, {"/conv1:out"},
		{strings.Repeat("a", MaxSpecBytes+1) + "/x:out"},
		{"alexnet/conv1:" + strings.Repeat("out,", MaxQuestions) + "out"},
		strings.Split(strings.Repeat("alexnet/conv1:out,params,macs,memory,rf;", 20), ";"),
	} {
		if _, err := ParseSpecs(bad); err == nil {
			t.Errorf("%.60q accepted", bad)
		}
	}
}

func TestAskRefuses(t *testing.T) {
	r := reportOf(t, "alexnet")
	for _, s := range []Spec{{Layer: "conv9", Kind: AskOut}, {Layer: "relu1", Kind: AskMemory}, {Layer: "conv1", Kind: "size"}} {
		if _, err := Ask(r, "AlexNet", s); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
}

// FuzzCheck: no answer makes the checker panic, and an unreadable one always says why.
func FuzzCheck(f *testing.F) {
	a, _ := archdefs.Lookup("alexnet")
	r, _ := engine.Analyze(a.Model, engine.Options{})
	var qs []*Question
	for _, k := range QuestionKinds {
		q, err := Ask(r, "AlexNet", Spec{Layer: "conv1", Kind: k})
		if err != nil {
			f.Fatal(err)
		}
		qs = append(qs, q)
	}
	for _, s := range []string{"55x55x96", "3.5e4", "1.1 MiB", "((", "1e-400", "x", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range qs {
			v := q.Check(s)
			if v.Invalid && v.Message == "" {
				t.Errorf("%q: invalid without a message", s)
			}
		}
	})
}
