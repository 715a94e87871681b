package engine

import "fmt"

// Cost is what a definition expands to, computed from the tree before the walk: the
// work of the walk, the size of the report and of every drawing of it grow with the
// layers and with the edges between them, and with nothing else.
type Cost struct {
	Layers int64 // leaf operations and merges after expanding repeats and dense blocks
	// Edges are the inputs those layers read, Σ len(Layer.Inputs): one per leaf, one
	// per path of a merge. A dense block of n layers of per layers each costs
	// about per·n + n(n+1)/2, since its k-th concatenation reads k tensors.
	Edges int64
	// Blocks are the composite constructs the walk enters, repeats counted each time:
	// an empty block costs a step of the walk and a frame of a drawing, and no layer.
	Blocks int64
}

// Estimate is the cost of m within lim, refused at the construct that passes a limit:
// layers, edges, paths per branch, inputs per merge or nesting. It walks the
// definition tree once, never the expanded network, so it costs the size of the
// definition whatever that expands to.
func Estimate(m *Model, lim Limits) (Cost, error) {
	lim = lim.withDefaults()
	if m.Root == nil {
		return Cost{}, &Error{Pos: m.Pos, Msg: "the model has no layers"}
	}
	e := estimator{lim: &lim}
	c, err := e.seq(m.Root.Children, 1)
	if err != nil {
		return Cost{}, err
	}
	return c, nil
}

type estimator struct{ lim *Limits }

// over refuses a cost past the limits at n, the construct whose expansion passed them.
func (e *estimator) over(n *Node, c Cost) error {
	switch {
	case c.Layers > int64(e.lim.MaxLayers):
		return &Error{Pos: n.Pos, Msg: fmt.Sprintf("the network expands to more layers than the limit of %s (here %s at least)", Group(int64(e.lim.MaxLayers)), Group(c.Layers))}
	case c.Blocks > int64(e.lim.MaxLayers):
		return &Error{Pos: n.Pos, Msg: fmt.Sprintf("the network expands to more blocks than the limit of %s (here %s at least)", Group(int64(e.lim.MaxLayers)), Group(c.Blocks))}
	case c.Edges > int64(e.lim.MaxEdges):
		return &Error{Pos: n.Pos, Msg: fmt.Sprintf("the network's layers read more inputs than the limit of %s (here %s at least: a dense block of n layers reads about n²/2)", Group(int64(e.lim.MaxEdges)), Group(c.Edges))}
	}
	return nil
}

// plus adds b to a, refusing at n once the sum passes the limits; the limits are far
// below 2⁶³, so a sum of two costs within them cannot overflow.
func (e *estimator) plus(n *Node, a, b Cost) (Cost, error) {
	s := Cost{Layers: a.Layers + b.Layers, Edges: a.Edges + b.Edges, Blocks: a.Blocks + b.Blocks}
	return s, e.over(n, s)
}

// times is c repeated k times (k ≥ 0), refused at n past the limits.
func (e *estimator) times(n *Node, c Cost, k int64) (Cost, error) {
	if k == 0 {
		return Cost{}, nil
	}
	layers, err1 := mul(c.Layers, k)
	edges, err2 := mul(c.Edges, k)
	blocks, err3 := mul(c.Blocks, k)
	if err1 != nil || err2 != nil || err3 != nil {
		return Cost{}, e.over(n, Cost{Layers: 1<<63 - 1, Edges: 1<<63 - 1, Blocks: 1<<63 - 1})
	}
	out := Cost{Layers: layers, Edges: edges, Blocks: blocks}
	return out, e.over(n, out)
}

func (e *estimator) seq(nodes []*Node, nesting int) (Cost, error) {
	var total Cost
	for _, c := range nodes {
		k, err := e.node(c, nesting)
		if err != nil {
			return Cost{}, err
		}
		if total, err = e.plus(c, total, k); err != nil {
			return Cost{}, err
		}
	}
	return total, nil
}

// mergeInputs refuses a merge of more than MaxMergeInputs tensors at n.
func (e *estimator) mergeInputs(n *Node, pos Pos, what string, k int) error {
	if k > e.lim.MaxMergeInputs {
		return &Error{Pos: pos, What: what, Msg: fmt.Sprintf("a merge of %s inputs exceeds the limit of %s", Group(int64(k)), Group(int64(e.lim.MaxMergeInputs)))}
	}
	return nil
}

func (e *estimator) node(n *Node, nesting int) (Cost, error) {
	c, err := e.construct(n, nesting)
	if err != nil || n.Kind == KindLeaf {
		return c, err
	}
	return e.plus(n, c, Cost{Blocks: 1})
}

func (e *estimator) construct(n *Node, nesting int) (Cost, error) {
	if nesting > e.lim.MaxNesting {
		return Cost{}, &Error{Pos: n.Pos, What: n.Kind.String(), Msg: fmt.Sprintf("nested more than %d levels deep", e.lim.MaxNesting)}
	}
	one := Cost{Layers: 1, Edges: 1}
	switch n.Kind {
	case KindLeaf:
		return one, nil
	case KindBranch:
		if len(n.Children) > e.lim.MaxPaths {
			return Cost{}, &Error{Pos: n.Pos, What: "branch", Msg: fmt.Sprintf("%s paths exceed the limit of %s paths a branch", Group(int64(len(n.Children))), Group(int64(e.lim.MaxPaths)))}
		}
		body, err := e.seq(n.Children, nesting+1)
		if err != nil {
			return Cost{}, err
		}
		return e.plus(n, body, Cost{Layers: 1, Edges: int64(len(n.Children))})
	case KindSeq, KindStage, KindAux:
		// A path of a branch is a sequence that holds its layers directly.
		return e.seq(n.Children, nesting+1)
	case KindResidual:
		body, err := e.seq(n.Children, nesting+1)
		if err != nil {
			return Cost{}, err
		}
		short, err := e.seq(n.Shortcut, nesting+1)
		if err != nil {
			return Cost{}, err
		}
		after, err := e.seq(n.After, nesting+1)
		if err != nil {
			return Cost{}, err
		}
		// The add reads two tensors; an automatic shortcut has up to two layers, in a
		// block of its own.
		c, err := e.plus(n, body, short)
		if err == nil {
			c, err = e.plus(n, c, after)
		}
		if err == nil {
			c, err = e.plus(n, c, Cost{Layers: 3, Edges: 4, Blocks: 1}) // and the shortcut's block
		}
		return c, err
	case KindRepeat, KindDense:
		if n.Count < 0 {
			return Cost{}, &Error{Pos: n.Pos, What: n.Kind.String(), Msg: fmt.Sprintf("count must not be negative, got %d", n.Count)}
		}
		body, err := e.seq(n.Children, nesting+1)
		if err != nil {
			return Cost{}, err
		}
		k := int64(n.Count)
		if n.Kind == KindRepeat {
			body.Blocks++ // each repetition is a step, even of nothing
			return e.times(n, body, k)
		}
		// The final concatenation reads the block's input and every layer's output.
		if err := e.mergeInputs(n, n.Pos, "dense", n.Count+1); err != nil {
			return Cost{}, err
		}
		c, err := e.times(n, body, k)
		if err != nil {
			return Cost{}, err
		}
		// Layer i ≥ 2 starts with a concatenation of i tensors; then the final one of
		// n + 1: n layers and Σᵢ₌₂ⁿ i + n + 1 = n(n+1)/2 + n edges. k is at most
		// MaxMergeInputs here, so the square cannot overflow.
		// Each layer is a block of its own.
		return e.plus(n, c, Cost{Layers: k, Edges: k*(k+1)/2 + k, Blocks: k})
	case KindCell:
		if n.Cell == nil {
			return Cost{}, nil
		}
		c := Cost{}
		var err error
		for _, cn := range n.Cell.Nodes {
			if cn.From != "" {
				k, err := e.seq(cn.Layers, nesting+1)
				if err != nil {
					return Cost{}, err
				}
				k.Blocks++
				if c, err = e.plus(n, c, k); err != nil {
					return Cost{}, err
				}
				continue
			}
			if err := e.mergeInputs(n, cn.Pos, "cell", len(cn.Of)); err != nil {
				return Cost{}, err
			}
			if c, err = e.plus(n, c, Cost{Layers: 1, Edges: int64(len(cn.Of))}); err != nil {
				return Cost{}, err
			}
		}
		out := n.Cell.Output
		if err := e.mergeInputs(n, out.Pos, "cell", len(out.Of)); err != nil {
			return Cost{}, err
		}
		return e.plus(n, c, Cost{Layers: 1, Edges: int64(len(out.Of))})
	}
	return e.seq(n.Children, nesting+1)
}

// checkEvery is how many layers the walk emits between two looks at its context: a
// few microseconds of work, so that a request past its budget stops at once.
const checkEvery = 256

// withDefaults fills the limits left zero from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxLayers == 0 {
		l.MaxLayers = d.MaxLayers
	}
	if l.MaxNesting == 0 {
		l.MaxNesting = d.MaxNesting
	}
	if l.MaxChannels == 0 {
		l.MaxChannels = d.MaxChannels
	}
	if l.MaxSpatial == 0 {
		l.MaxSpatial = d.MaxSpatial
	}
	if l.MaxFeatures == 0 {
		l.MaxFeatures = d.MaxFeatures
	}
	if l.MaxEdges == 0 {
		l.MaxEdges = d.MaxEdges
	}
	if l.MaxPaths == 0 {
		l.MaxPaths = d.MaxPaths
	}
	if l.MaxMergeInputs == 0 {
		l.MaxMergeInputs = d.MaxMergeInputs
	}
	if l.MaxNameBytes == 0 {
		l.MaxNameBytes = d.MaxNameBytes
	}
	return l
}
