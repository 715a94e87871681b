package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// fields walks the fields of one message held in memory, calling each for every field
// with its number, wire type and value (v for scalars, b for length-delimited).
func fields(buf []byte, each func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error) error {
	for len(buf) > 0 {
		num, typ, n := protowire.ConsumeTag(buf)
		if n < 0 {
			return fmt.Errorf("a malformed field tag: %v", protowire.ParseError(n))
		}
		buf = buf[n:]
		var v uint64
		var b []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(buf)
		case protowire.Fixed32Type:
			var x uint32
			x, n = protowire.ConsumeFixed32(buf)
			v = uint64(x)
		case protowire.Fixed64Type:
			v, n = protowire.ConsumeFixed64(buf)
		case protowire.BytesType:
			b, n = protowire.ConsumeBytes(buf)
		default:
			return fmt.Errorf("wire type %d is not used by ONNX", typ)
		}
		if n < 0 {
			return fmt.Errorf("field %d is cut short: %v", num, protowire.ParseError(n))
		}
		buf = buf[n:]
		if err := each(num, typ, v, b); err != nil {
			return err
		}
	}
	return nil
}

func text(b []byte, what string) (string, error) {
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%s is not valid UTF-8", what)
	}
	if len(b) > 4096 {
		return "", fmt.Errorf("%s of %d bytes is longer than 4,096", what, len(b))
	}
	return string(b), nil
}

func wrongType(what string, typ protowire.Type) error {
	return fmt.Errorf("%s has wire type %d, which ONNX does not use for it", what, typ)
}

// ints reads a repeated int64 field, packed or not, into dst.
func ints(dst []int64, typ protowire.Type, v uint64, b []byte, lim *Limits, what string) ([]int64, error) {
	switch typ {
	case protowire.VarintType:
		dst = append(dst, int64(v))
	case protowire.BytesType:
		for len(b) > 0 {
			x, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return nil, fmt.Errorf("%s: a malformed packed number", what)
			}
			dst = append(dst, int64(x))
			b = b[n:]
			if len(dst) > lim.MaxFields {
				return nil, fmt.Errorf("%s has more than %d values", what, lim.MaxFields)
			}
		}
	default:
		return nil, wrongType(what, typ)
	}
	if len(dst) > lim.MaxFields {
		return nil, fmt.Errorf("%s has more than %d values", what, lim.MaxFields)
	}
	return dst, nil
}

func floats(dst []float32, typ protowire.Type, v uint64, b []byte, lim *Limits, what string) ([]float32, error) {
	switch typ {
	case protowire.Fixed32Type:
		dst = append(dst, math.Float32frombits(uint32(v)))
	case protowire.BytesType:
		if len(b)%4 != 0 {
			return nil, fmt.Errorf("%s: packed floats of %d bytes", what, len(b))
		}
		for i := 0; i+4 <= len(b); i += 4 {
			dst = append(dst, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
			if len(dst) > lim.MaxFields {
				return nil, fmt.Errorf("%s has more than %d values", what, lim.MaxFields)
			}
		}
	default:
		return nil, wrongType(what, typ)
	}
	return dst, nil
}

// parseNode reads a NodeProto.
func parseNode(buf []byte, lim *Limits) (Node, error) {
	var nd Node
	err := fields(buf, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		isBytes := typ == protowire.BytesType
		switch num {
		case 1, 2, 3, 4, 7:
			if !isBytes {
				return wrongType(fmt.Sprintf("node field %d", num), typ)
			}
			s, err := text(b, "a name")
			if err != nil {
				return err
			}
			switch num {
			case 1:
				nd.Inputs = append(nd.Inputs, s)
			case 2:
				nd.Outputs = append(nd.Outputs, s)
			case 3:
				nd.Name = s
			case 4:
				nd.OpType = s
			case 7:
				nd.Domain = s
			}
		case 5:
			if !isBytes {
				return wrongType("an attribute", typ)
			}
			a, err := parseAttr(b, lim)
			if err != nil {
				return err
			}
			nd.Attrs = append(nd.Attrs, a)
		}
		if len(nd.Inputs)+len(nd.Outputs)+len(nd.Attrs) > lim.MaxFields {
			return fmt.Errorf("more than %d inputs, outputs and attributes", lim.MaxFields)
		}
		return nil
	})
	if err == nil && nd.OpType == "" {
		err = fmt.Errorf("an operator without its type")
	}
	if err != nil && nd.Name != "" {
		err = fmt.Errorf("node %q: %w", nd.Name, err)
	}
	return nd, err
}

// parseAttr reads an AttributeProto.
func parseAttr(buf []byte, lim *Limits) (Attr, error) {
	var a Attr
	err := fields(buf, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		var err error
		switch num {
		case 1:
			if typ != protowire.BytesType {
				return wrongType("an attribute's name", typ)
			}
			a.Name, err = text(b, "an attribute's name")
		case 2:
			if typ != protowire.Fixed32Type {
				return wrongType("attribute "+a.Name+" (a float)", typ)
			}
			a.F, a.Set = math.Float32frombits(uint32(v)), true
		case 3:
			if typ != protowire.VarintType {
				return wrongType("attribute "+a.Name+" (an integer)", typ)
			}
			a.I, a.Set = int64(v), true
		case 4:
			if typ != protowire.BytesType {
				return wrongType("attribute "+a.Name+" (a string)", typ)
			}
			a.S, err = text(b, "attribute "+a.Name)
		case 5:
			if typ != protowire.BytesType {
				return wrongType("attribute "+a.Name+" (a tensor)", typ)
			}
			a.T, err = parseTensor(b, lim)
		case 7:
			a.Floats, err = floats(a.Floats, typ, v, b, lim, "attribute "+a.Name)
		case 8:
			a.Ints, err = ints(a.Ints, typ, v, b, lim, "attribute "+a.Name)
		}
		return err
	})
	return a, err
}

// parseValue reads a ValueInfoProto: its name and, for a tensor, its shape.
func parseValue(buf []byte, lim *Limits) (Value, error) {
	var val Value
	err := fields(buf, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
		if typ != protowire.BytesType {
			return nil // doc strings and future fields
		}
		switch num {
		case 1:
			var err error
			val.Name, err = text(b, "a value's name")
			return err
		case 2: // TypeProto
			return fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
				if num != 1 || typ != protowire.BytesType { // tensor_type
					return nil
				}
				return fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
					if num != 2 || typ != protowire.BytesType { // shape
						return nil
					}
					return fields(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
						if num != 1 || typ != protowire.BytesType { // dim
							return nil
						}
						d := int64(-1)
						err := fields(b, func(num protowire.Number, typ protowire.Type, v uint64, _ []byte) error {
							if num == 1 && typ == protowire.VarintType {
								d = int64(v)
							}
							return nil
						})
						if err != nil {
							return err
						}
						if d > lim.MaxDim {
							return fmt.Errorf("dimension %d of %q exceeds %d", d, val.Name, lim.MaxDim)
						}
						val.Dims = append(val.Dims, d)
						if len(val.Dims) > 16 {
							return fmt.Errorf("%q has more than 16 dimensions", val.Name)
						}
						return nil
					})
				})
			})
		}
		return nil
	})
	return val, err
}

// parseTensor reads a TensorProto held in memory (a Constant's value).
func parseTensor(buf []byte, lim *Limits) (*Tensor, error) {
	t := &Tensor{}
	err := fields(buf, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		if typ == protowire.BytesType {
			return tensorBytes(t, num, typ, b, lim)
		}
		return tensorScalar(t, num, typ, v, lim)
	})
	return t, err
}

// The TensorProto data types whose values are kept.
const (
	typeFloat = 1
	typeInt32 = 6
	typeInt64 = 7
)

func tensorScalar(t *Tensor, num protowire.Number, typ protowire.Type, v uint64, lim *Limits) error {
	var err error
	switch num {
	case 1:
		if int64(v) < 0 || int64(v) > lim.MaxDim {
			return fmt.Errorf("a tensor dimension of %d", int64(v))
		}
		t.Dims, err = ints(t.Dims, typ, v, nil, lim, "a tensor's dims")
	case 2:
		if typ != protowire.VarintType {
			return wrongType("a tensor's data type", typ)
		}
		t.DataType = int32(v)
	case 4:
		if len(t.Floats) < maxKeptValues {
			t.Floats, err = floats(t.Floats, typ, v, nil, lim, "float_data")
		}
	case 5, 7:
		if len(t.Ints) < maxKeptValues {
			t.Ints, err = ints(t.Ints, typ, v, nil, lim, "int_data")
		}
	}
	return err
}

func tensorBytes(t *Tensor, num protowire.Number, typ protowire.Type, b []byte, lim *Limits) error {
	var err error
	switch num {
	case 1:
		if t.Dims, err = ints(t.Dims, typ, 0, b, lim, "a tensor's dims"); err != nil {
			return err
		}
		for _, d := range t.Dims {
			if d < 0 || d > lim.MaxDim {
				return fmt.Errorf("a tensor dimension of %d", d)
			}
		}
	case 2:
		return wrongType("a tensor's data type", typ)
	case 4:
		if len(b) <= 4*maxKeptValues {
			t.Floats, err = floats(t.Floats, typ, 0, b, lim, "float_data")
		}
	case 5, 7:
		if len(b) <= 10*maxKeptValues {
			t.Ints, err = ints(t.Ints, typ, 0, b, lim, "int_data")
		}
	case 8:
		t.Name, err = text(b, "a tensor's name")
	case 9: // raw_data, little-endian
		switch {
		case len(b) > 8*maxKeptValues:
		case t.DataType == typeInt64 && len(b)%8 == 0:
			for i := 0; i < len(b); i += 8 {
				t.Ints = append(t.Ints, int64(binary.LittleEndian.Uint64(b[i:])))
			}
		case t.DataType == typeInt32 && len(b)%4 == 0:
			for i := 0; i < len(b); i += 4 {
				t.Ints = append(t.Ints, int64(int32(binary.LittleEndian.Uint32(b[i:]))))
			}
		case t.DataType == typeFloat && len(b)%4 == 0:
			for i := 0; i < len(b); i += 4 {
				t.Floats = append(t.Floats, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
			}
		}
	}
	return err
}

// Elements is the number of values the tensor holds, or -1 when that overflows.
func (t *Tensor) Elements() int64 {
	n := int64(1)
	for _, d := range t.Dims {
		if d != 0 && n > math.MaxInt64/d {
			return -1
		}
		n *= d
	}
	return n
}
