package engine

// Figures are what one leaf operation does to an input, as Analyze computes them.
type Figures struct {
	Out         Shape
	Params      int64
	MACs        int64
	Activations int64
}

// Leaf computes the figures of op on an input of shape in, with their explanation, by
// the same formulas as Analyze. Exercises use it to work out what a learner's mistake
// would have given (the bias forgotten, 224 instead of 227, no padding), so that each
// wrong answer is named by the formula that produces it rather than by a copy of it.
func Leaf(op Op, in Shape) (Figures, Explanation, error) {
	var x Explanation
	lim := DefaultLimits
	f, err := computeLeaf(&op, in, &lim, &x)
	if err != nil {
		return Figures{}, x, err
	}
	return Figures{Out: f.out, Params: f.params, MACs: f.macs, Activations: f.activations}, x, nil
}
