package onnx

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	"convatlas/archdefs"
	"convatlas/engine"
)

// Hand-built protobuf for hostile files.

func field(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}

func str(b []byte, num protowire.Number, s string) []byte { return field(b, num, []byte(s)) }

func node(name, op string, ins, outs []string, attrs ...[]byte) []byte {
	var b []byte
	for _, in := range ins {
		b = str(b, 1, in)
	}
	for _, out := range outs {
		b = str(b, 2, out)
	}
	b = str(b, 3, name)
	b = str(b, 4, op)
	for _, a := range attrs {
		b = field(b, 5, a)
	}
	return b
}

func value(name string, dims ...int64) []byte {
	var shape []byte
	for _, d := range dims {
		var dim []byte
		dim = protowire.AppendTag(dim, 1, protowire.VarintType)
		dim = protowire.AppendVarint(dim, uint64(d))
		shape = field(shape, 1, dim)
	}
	var tensor []byte
	tensor = protowire.AppendTag(tensor, 1, protowire.VarintType)
	tensor = protowire.AppendVarint(tensor, 1)
	tensor = field(tensor, 2, shape)
	return field(str(nil, 1, name), 2, field(nil, 1, tensor))
}

func model(graph []byte) []byte { return field(str(nil, 2, "test"), 7, graph) }

// tiny is a valid model: a 3×3 convolution and a ReLU.
func tiny(extra ...[]byte) []byte {
	var g []byte
	g = field(g, 1, node("/conv/Conv", "Conv", []string{"x", "w"}, []string{"c"}))
	g = field(g, 1, node("/relu/Relu", "Relu", []string{"c"}, []string{"y"}))
	for _, e := range extra {
		g = field(g, 1, e)
	}
	g = field(g, 11, value("x", 1, 3, 8, 8))
	g = field(g, 11, value("w", 4, 3, 3, 3))
	g = field(g, 12, value("y"))
	return model(g)
}

func convert(src []byte) (*Import, error) {
	g, err := Read(bytes.NewReader(src), Limits{})
	if err != nil {
		return nil, err
	}
	return Convert(g, "t", "t")
}

func TestTinyModel(t *testing.T) {
	im, err := convert(tiny())
	if err != nil {
		t.Fatal(err)
	}
	// Two single operations from modules "conv" and "relu": one stage, named after the first.
	if st := im.Model.Root.Children; len(st) != 1 || st[0].Name != "conv" || len(st[0].Children) != 2 {
		t.Errorf("stages %+v", st)
	}
}

func TestHostileFiles(t *testing.T) {
	good := tiny()
	wrongType := model(nil)
	wrongType = protowire.AppendTag(wrongType, 7, protowire.VarintType)
	wrongType = protowire.AppendVarint(wrongType, 5)
	attrWrong := protowire.AppendTag(str(nil, 1, "group"), 3, protowire.BytesType)
	attrWrong = protowire.AppendBytes(attrWrong, []byte("x"))
	for _, c := range []struct {
		name string
		src  []byte
		want string
	}{
		{"empty", nil, "no graph"},
		{"not protobuf", []byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"), "not a protobuf file"},
		{"text", []byte("hello, this is not a model\n"), "onnx:"},
		{"truncated", good[:len(good)-7], "truncated"},
		{"wrong wire type", wrongType, "field 7 has wire type 0"},
		{"attribute of the wrong type", tiny(node("/n/Relu", "Relu", []string{"y"}, []string{"z"}, attrWrong)), "attribute group (an integer) has wire type 2"},
		{"unknown operator", tiny(node("/head/Frobnicate", "Frobnicate", []string{"y"}, []string{"z"})), `Frobnicate (node "/head/Frobnicate")`},
		{"cycle", model(field(field(field(field(nil,
			1, node("a", "Relu", []string{"x", "b_out"}, []string{"a_out"})),
			1, node("b", "Relu", []string{"a_out"}, []string{"b_out"})),
			11, value("x", 1, 3, 8, 8)), 12, value("b_out"))), `node "a" reads "b_out", which node "b" computes later`},
		{"huge input", model(field(field(nil, 11, value("x", 1, 3, 1<<40, 8)), 12, value("x"))), "exceeds"},
		{"no image input", model(field(field(nil, 11, value("x", 1, 3)), 12, value("x"))), "N×C×H×W"},
		{"huge weights", tiny(node("/big/Conv", "Conv", []string{"y", "wb"}, []string{"z"})), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := convert(c.src)
			if err == nil {
				if c.want == "" {
					return // accepted; the engine's own limits apply next
				}
				t.Fatalf("accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// A million nodes are refused when the limit is reached, not after reading them all.
func TestMillionNodes(t *testing.T) {
	one := field(nil, 1, node("n", "Relu", []string{"x"}, []string{"x"}))
	var g bytes.Buffer
	for range 1_000_000 {
		g.Write(one)
	}
	src := model(g.Bytes())
	r := &countingReader{r: bytes.NewReader(src)}
	_, err := Read(r, Limits{})
	if err == nil || !strings.Contains(err.Error(), "more than 100000 operators") {
		t.Fatalf("got %v", err)
	}
	if r.n > int64(len(src))/5 {
		t.Errorf("read %d of %d bytes before refusing", r.n, len(src))
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// A file with large weights streams past them: memory does not grow with them.
func TestWeightsAreNotKept(t *testing.T) {
	var tensor []byte
	tensor = protowire.AppendTag(tensor, 1, protowire.VarintType)
	tensor = protowire.AppendVarint(tensor, 4)
	tensor = protowire.AppendTag(tensor, 2, protowire.VarintType)
	tensor = protowire.AppendVarint(tensor, 1)
	tensor = str(tensor, 8, "big")
	tensor = field(tensor, 9, make([]byte, 64<<20)) // 64 MB of raw_data
	src := model(field(nil, 5, tensor))
	g, err := Read(bytes.NewReader(src), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if tn := g.Initializers["big"]; tn == nil || len(tn.Dims) != 1 || tn.Ints != nil || tn.Floats != nil {
		t.Errorf("initializer %+v", tn)
	}
}

func TestErrorsAreTyped(t *testing.T) {
	_, err := convert(tiny()[:20])
	var e *Error
	if !errors.As(err, &e) || e.Offset == 0 {
		t.Errorf("%v is not an *Error with an offset", err)
	}
}

// A region that is not a sequence, branch, residual or dense block is kept as a cell:
// x → a, x → b, c = a + b, d = c + a (a feeds two merges).
func TestUngroupableRegionIsACell(t *testing.T) {
	var g []byte
	g = field(g, 1, node("/a/Relu", "Relu", []string{"x"}, []string{"a"}))
	g = field(g, 1, node("/b/Sigmoid", "Sigmoid", []string{"x"}, []string{"b"}))
	g = field(g, 1, node("/c/Add", "Add", []string{"a", "b"}, []string{"c"}))
	g = field(g, 1, node("/d/Add", "Add", []string{"c", "a"}, []string{"d"}))
	g = field(g, 11, value("x", 1, 3, 8, 8))
	g = field(g, 12, value("d"))
	im, err := convert(model(g))
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Cells) != 1 {
		t.Fatalf("cells %v", im.Cells)
	}
	r, err := engine.Analyze(im.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// relu, sigmoid, two adds: every operator kept, none invented.
	ops := map[string]int{}
	for _, l := range r.Layers {
		ops[l.Op]++
	}
	if ops["relu"] != 1 || ops["sigmoid"] != 1 || ops["add"] != 2 || len(r.Layers) != 4 {
		t.Errorf("layers %v", ops)
	}
	src, err := archdefs.Write(im.Model, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := archdefs.Parse("cell.yaml", src); err != nil {
		t.Errorf("%v\n%s", err, src)
	}
}

// Huge weight dimensions are the engine's to refuse, with its limit named.
func TestHugeWeightDims(t *testing.T) {
	var g []byte
	g = field(g, 1, node("/conv/Conv", "Conv", []string{"x", "w"}, []string{"y"}))
	g = field(g, 11, value("x", 1, 3, 8, 8))
	g = field(g, 11, value("w", 1<<30, 3, 3, 3))
	g = field(g, 12, value("y"))
	im, err := convert(model(g))
	if err != nil {
		t.Fatal(err)
	}
	_, err = engine.Analyze(im.Model, engine.Options{})
	if err == nil || !strings.Contains(err.Error(), "exceed the limit") {
		t.Errorf("got %v", err)
	}
}
