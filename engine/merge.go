package engine

import (
	"fmt"
	"strings"
)

// mergeFigures computes the tensor made from several paths:
//
//	concat: channels add up, C = C₁ + C₂ + …; heights and widths must agree
//	add, mean: shapes must agree
//	mul: shapes must agree, except that a C×1×1 path broadcasts over H×W (an SE gate)
//
// Concatenation copies its inputs into a new tensor (activations C·H·W); the
// element-wise merges are counted apart as (paths − 1)·C·H·W operations.
func mergeFigures(kind MergeKind, ins []Shape, x *Explanation) (leafFigures, error) {
	if len(ins) == 0 {
		return leafFigures{}, fmt.Errorf("nothing to merge")
	}
	switch kind {
	case MergeConcat:
		out := ins[0]
		for _, s := range ins[1:] {
			if s.H != out.H || s.W != out.W || s.Flat != out.Flat {
				return leafFigures{}, fmt.Errorf("cannot concatenate %s with %s: heights and widths must agree (paths: %s)", out, s, shapeList(ins))
			}
			out.C += s.C
		}
		if x != nil {
			parts := make([]string, len(ins))
			for i, s := range ins {
				parts[i] = fmt.Sprint(s.C)
			}
			x.Out = fmt.Sprintf("channels %s = %d → %s", strings.Join(parts, " + "), out.C, out)
			x.Params = "0: concatenation stacks the paths' channels"
			x.MACs = "0"
		}
		return leafFigures{out: out, activations: out.Elements()}, nil
	case MergeAdd, MergeMean, MergeMul:
		out := ins[0]
		for _, s := range ins[1:] {
			if kind == MergeMul && s.C == out.C {
				if s.H == 1 && s.W == 1 {
					continue
				}
				if out.H == 1 && out.W == 1 {
					out = s
					continue
				}
			}
			if s.C == out.C && (s.Flat || out.Flat) && s.H == 1 && s.W == 1 && out.H == 1 && out.W == 1 {
				continue // a vector of C and a C×1×1 tensor hold the same values
			}
			if s != out {
				what := "add"
				if kind == MergeMean {
					what = "average"
				} else if kind == MergeMul {
					what = "multiply"
				}
				return leafFigures{}, fmt.Errorf("cannot %s %s and %s: shapes must agree (paths: %s)", what, out, s, shapeList(ins))
			}
		}
		other := int64(len(ins)-1) * out.Elements()
		if x != nil {
			x.Out = fmt.Sprintf("element by element over %d paths → %s", len(ins), out)
			if kind == MergeMul {
				x.Out = fmt.Sprintf("element by element (a %d×1×1 gate scales whole channels) → %s", out.C, out)
			}
			x.Params = "0"
			x.MACs = fmt.Sprintf("0 (counted apart: %d·%s = %s)", len(ins)-1, Group(out.Elements()), Group(other))
		}
		return leafFigures{out: out, other: other}, nil
	}
	return leafFigures{}, fmt.Errorf("unknown merge %q", kind)
}

func shapeList(ins []Shape) string {
	parts := make([]string, len(ins))
	for i, s := range ins {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

// mergeField is the field of a merged tensor: per axis, the union of the paths'
// intervals; global if any path is.
func mergeField(fields []RF) (RF, error) {
	var out RF
	var err error
	for _, f := range fields {
		out.Global = out.Global || f.Global
	}
	if out.H, err = union(fields, func(r *RF) Field { return r.H }); err != nil {
		return RF{}, err
	}
	if out.W, err = union(fields, func(r *RF) Field { return r.W }); err != nil {
		return RF{}, err
	}
	return out, nil
}

// explainMergeField writes mergeField's arithmetic.
func explainMergeField(kind MergeKind, fields []RF, to RF) string {
	sizes := make([]string, len(fields))
	for i, f := range fields {
		sizes[i] = f.String()
	}
	text := fmt.Sprintf("union of the paths' fields (%s) = %d, from %d, jump %d", strings.Join(sizes, ", "), to.H.Size, to.H.Start, to.H.Jump)
	if to.W != to.H {
		text = fmt.Sprintf("union of the paths' fields (%s) = %d×%d, from %d and %d, jump %d", strings.Join(sizes, ", "), to.H.Size, to.W.Size, to.H.Start, to.W.Start, to.H.Jump)
	}
	if to.Global {
		text += "; global, since a path sees the whole input"
	}
	return text
}
