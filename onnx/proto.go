package onnx

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Graph is what the importer keeps of an ONNX model: the operators and the shapes of
// the tensors they read, never the weights' values.
type Graph struct {
	Producer string // "pytorch 1.13.1"
	Nodes    []Node
	Inputs   []Value // the graph's inputs: the data, and the weights when the file has none
	Outputs  []Value
	// Initializers are the weights (and constants) stored in the file, by name: their
	// shapes, and the values of small integer tensors (shapes, axes, pads).
	Initializers map[string]*Tensor
}

// Node is one operator.
type Node struct {
	Name    string // "/layer1/layer1.0/conv1/Conv": the exporter's scope
	OpType  string
	Domain  string
	Inputs  []string
	Outputs []string
	Attrs   []Attr
}

// Attr is a node attribute; which field is set depends on the attribute.
type Attr struct {
	Name   string
	F      float32
	I      int64
	S      string
	Ints   []int64
	Floats []float32
	T      *Tensor
	Set    bool // I or F was written
}

// Tensor is a tensor's description: its dimensions and, for small integer and
// float tensors, its values.
type Tensor struct {
	Name     string
	Dims     []int64
	DataType int32
	Ints     []int64   // kept when the tensor has at most maxKeptValues elements
	Floats   []float32 // likewise
}

// Value is a graph input or output: a name and a shape (-1 for a symbolic dimension).
type Value struct {
	Name string
	Dims []int64
}

// Limits bound the work of reading a file whatever its size: weights are skipped as
// they stream past, and everything kept is counted.
type Limits struct {
	MaxNodes   int   // operators in the graph
	MaxMessage int64 // bytes of one node or value description, read into memory whole
	MaxValues  int   // graph inputs, outputs, value descriptions and initializers together
	MaxFields  int   // attributes, inputs, outputs and dimensions of one node or tensor
	MaxDim     int64 // any one dimension
}

// DefaultLimits fit every torchvision model with room to spare.
var DefaultLimits = Limits{
	MaxNodes:   100_000, // DenseNet-201 exports about 2,000 operators
	MaxMessage: 1 << 20, // a node is a few hundred bytes; a Concat of 1,000 inputs about 30 KB
	MaxValues:  200_000, // a weight-free export lists every parameter as an input: DenseNet-201 has about 1,000
	MaxFields:  10_000,  // the widest Concat of a DenseNet has 49 inputs
	MaxDim:     1 << 31, // the engine's own limits are far below
	// Weights themselves are never kept: raw_data and the *_data fields of large
	// tensors are discarded as they are read.
}

// maxKeptValues is the largest integer or float tensor whose values are kept: shapes,
// pads, axes, scales and split sizes have a handful.
const maxKeptValues = 64

// Error is a malformed file: where the reader was (byte offset and the field path)
// and what was wrong.
type Error struct {
	Offset int64
	Where  string // "graph.node[12].attribute[0]"
	Msg    string
	Err    error // the reader's error, if one stopped the reading
}

// Unwrap gives the reader's error (an http.MaxBytesError for an upload over its limit).
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	if e.Where == "" {
		return fmt.Sprintf("onnx: byte %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("onnx: byte %d: %s: %s", e.Offset, e.Where, e.Msg)
}

// stream reads protobuf fields from a reader, counting bytes, so that large fields can
// be skipped without being held in memory.
type stream struct {
	r   *bufio.Reader
	off int64
	lim *Limits
}

func (s *stream) fail(where, format string, args ...any) error {
	return &Error{Offset: s.off, Where: where, Msg: fmt.Sprintf(format, args...)}
}

func (s *stream) varint(where string) (uint64, error) {
	var v uint64
	for i := 0; i < 10; i++ {
		b, err := s.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, s.fail(where, "the file ends inside a number (truncated?)")
			}
			return 0, &Error{Offset: s.off, Where: where, Msg: err.Error(), Err: err}
		}
		s.off++
		v |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			return v, nil
		}
	}
	return 0, s.fail(where, "a number longer than 10 bytes: not a protobuf file")
}

// tag reads a field's number and wire type; ok is false at the end of the stream.
func (s *stream) tag(where string) (num protowire.Number, typ protowire.Type, ok bool, err error) {
	if _, err := s.r.Peek(1); err != nil {
		if errors.Is(err, io.EOF) {
			return 0, 0, false, nil
		}
		return 0, 0, false, &Error{Offset: s.off, Where: where, Msg: err.Error(), Err: err}
	}
	v, err := s.varint(where)
	if err != nil {
		return 0, 0, false, err
	}
	num, typ = protowire.DecodeTag(v)
	if num < 1 || num > protowire.MaxValidNumber {
		return 0, 0, false, s.fail(where, "field number %d is invalid: not an ONNX file", num)
	}
	return num, typ, true, nil
}

// length reads the length of a length-delimited field and checks it against what is
// left of the enclosing message.
func (s *stream) length(where string, left int64) (int64, error) {
	v, err := s.varint(where)
	if err != nil {
		return 0, err
	}
	if v > uint64(left) {
		return 0, s.fail(where, "a field of %d bytes in the %d bytes left (truncated or corrupt)", v, left)
	}
	return int64(v), nil
}

// skip discards n bytes, or a field of wire type typ.
func (s *stream) discard(where string, n int64) error {
	got, err := io.CopyN(io.Discard, s.r, n)
	s.off += got
	if err != nil {
		if !errors.Is(err, io.EOF) {
			return &Error{Offset: s.off, Where: where, Msg: err.Error(), Err: err}
		}
		return s.fail(where, "the file ends %d bytes into a field of %d (truncated)", got, n)
	}
	return nil
}

func (s *stream) skip(where string, typ protowire.Type, left int64) (int64, error) {
	start := s.off
	switch typ {
	case protowire.VarintType:
		_, err := s.varint(where)
		return s.off - start, err
	case protowire.Fixed32Type:
		return 4, s.discard(where, min(4, left))
	case protowire.Fixed64Type:
		return 8, s.discard(where, min(8, left))
	case protowire.BytesType:
		n, err := s.length(where, left)
		if err != nil {
			return 0, err
		}
		return s.off - start + n, s.discard(where, n)
	}
	return 0, s.fail(where, "wire type %d is not used by ONNX (groups are obsolete): not an ONNX file", typ)
}

// message reads a length-delimited field whole, bounded by MaxMessage.
func (s *stream) message(where string, left int64) ([]byte, int64, error) {
	start := s.off
	n, err := s.length(where, left)
	if err != nil {
		return nil, 0, err
	}
	if n > s.lim.MaxMessage {
		return nil, 0, s.fail(where, "a description of %d bytes exceeds the limit of %d", n, s.lim.MaxMessage)
	}
	buf := make([]byte, n)
	got, err := io.ReadFull(s.r, buf)
	s.off += int64(got)
	if err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, 0, &Error{Offset: s.off, Where: where, Msg: err.Error(), Err: err}
		}
		return nil, 0, s.fail(where, "the file ends %d bytes into a field of %d (truncated)", got, n)
	}
	return buf, s.off - start, nil
}

// Read reads an ONNX ModelProto from r, streaming: the weights of initializers are
// skipped as they pass, so memory stays bounded by what the graph describes.
func Read(r io.Reader, lim Limits) (*Graph, error) {
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	s := &stream{r: bufio.NewReaderSize(r, 64<<10), lim: &lim}
	g := &Graph{Initializers: map[string]*Tensor{}}
	seenGraph := false
	var producer, version string
	for {
		num, typ, ok, err := s.tag("model")
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		switch {
		case num == 7 && typ == protowire.BytesType: // ModelProto.graph
			if seenGraph {
				return nil, s.fail("model.graph", "a second graph")
			}
			seenGraph = true
			n, err := s.length("model.graph", math.MaxInt64)
			if err != nil {
				return nil, err
			}
			if err := s.graph(g, n); err != nil {
				return nil, err
			}
		case (num == 2 || num == 3) && typ == protowire.BytesType: // producer_name, producer_version
			b, _, err := s.message("model.producer", math.MaxInt64)
			if err != nil {
				return nil, err
			}
			if num == 2 {
				producer = string(b)
			} else {
				version = string(b)
			}
		case num == 7 || num == 2 || num == 3:
			return nil, s.fail("model", "field %d has wire type %d, expected a length-delimited field", num, typ)
		default:
			if _, err := s.skip("model", typ, math.MaxInt64); err != nil {
				return nil, err
			}
		}
	}
	if !seenGraph {
		return nil, s.fail("model", "no graph: not an ONNX model (empty or another file type?)")
	}
	g.Producer = producer
	if version != "" {
		g.Producer += " " + version
	}
	return g, nil
}

// graph reads a GraphProto of n bytes.
func (s *stream) graph(g *Graph, n int64) error {
	end := s.off + n
	values := 0
	for s.off < end {
		where := "graph"
		num, typ, ok, err := s.tag(where)
		if err != nil {
			return err
		}
		if !ok {
			return s.fail(where, "the file ends inside the graph (truncated)")
		}
		left := end - s.off
		switch num {
		case 1, 11, 12, 13: // node, input, output, value_info
			if typ != protowire.BytesType {
				return s.fail(where, "field %d has wire type %d, expected a message", num, typ)
			}
			if num == 1 {
				where = fmt.Sprintf("graph.node[%d]", len(g.Nodes))
				if len(g.Nodes) >= s.lim.MaxNodes {
					return s.fail(where, "more than %d operators", s.lim.MaxNodes)
				}
			} else if values++; values > s.lim.MaxValues {
				return s.fail(where, "more than %d inputs, outputs and value descriptions", s.lim.MaxValues)
			}
			buf, _, err := s.message(where, left)
			if err != nil {
				return err
			}
			switch num {
			case 1:
				node, err := parseNode(buf, s.lim)
				if err != nil {
					return s.fail(where, "%v", err)
				}
				g.Nodes = append(g.Nodes, node)
			case 11, 12:
				v, err := parseValue(buf, s.lim)
				if err != nil {
					return s.fail(where, "%v", err)
				}
				if num == 11 {
					g.Inputs = append(g.Inputs, v)
				} else {
					g.Outputs = append(g.Outputs, v)
				}
			}
		case 5: // initializer: streamed, its data skipped
			if typ != protowire.BytesType {
				return s.fail(where, "field 5 (initializer) has wire type %d, expected a message", typ)
			}
			if values++; values > s.lim.MaxValues {
				return s.fail(where, "more than %d initializers and values", s.lim.MaxValues)
			}
			where = fmt.Sprintf("graph.initializer[%d]", len(g.Initializers))
			tn, err := s.length(where, left)
			if err != nil {
				return err
			}
			t, err := s.tensor(where, tn)
			if err != nil {
				return err
			}
			g.Initializers[t.Name] = t
		default:
			if _, err := s.skip(where, typ, left); err != nil {
				return err
			}
		}
	}
	if s.off != end {
		return s.fail("graph", "a field runs past the end of the graph (corrupt)")
	}
	return nil
}

// tensor streams a TensorProto of n bytes: dims, type and name are kept, the values of
// small tensors too, everything else discarded.
func (s *stream) tensor(where string, n int64) (*Tensor, error) {
	end := s.off + n
	t := &Tensor{}
	small := n <= 8*maxKeptValues+256
	for s.off < end {
		num, typ, ok, err := s.tag(where)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, s.fail(where, "the file ends inside a tensor (truncated)")
		}
		left := end - s.off
		if small || num == 1 || num == 2 || num == 8 {
			var buf []byte
			if typ == protowire.BytesType {
				if buf, _, err = s.message(where, left); err != nil {
					return nil, err
				}
			} else {
				// A scalar field: re-encode it so one parser handles both forms.
				var v uint64
				switch typ {
				case protowire.VarintType:
					v, err = s.varint(where)
				case protowire.Fixed32Type, protowire.Fixed64Type:
					size := 4
					if typ == protowire.Fixed64Type {
						size = 8
					}
					b := make([]byte, size)
					got, e := io.ReadFull(s.r, b)
					s.off += int64(got)
					if e != nil {
						return nil, s.fail(where, "the file ends inside a tensor (truncated)")
					}
					if size == 4 {
						v = uint64(binary.LittleEndian.Uint32(b))
					} else {
						v = binary.LittleEndian.Uint64(b)
					}
				default:
					return nil, s.fail(where, "wire type %d is not used by ONNX", typ)
				}
				if err != nil {
					return nil, err
				}
				if err := tensorScalar(t, num, typ, v, s.lim); err != nil {
					return nil, s.fail(where, "%v", err)
				}
				continue
			}
			if err := tensorBytes(t, num, typ, buf, s.lim); err != nil {
				return nil, s.fail(where, "%v", err)
			}
			continue
		}
		if _, err := s.skip(where, typ, left); err != nil {
			return nil, err
		}
	}
	if s.off != end {
		return nil, s.fail(where, "a field runs past the end of the tensor (corrupt)")
	}
	return t, nil
}
