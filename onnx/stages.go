package onnx

import (
	"strconv"
	"strings"

	"convatlas/engine"
)

// The stages of an imported network are recovered from the graph and the exporter's
// module names, as the papers' tables group layers ("conv2_x … conv5_x"):
//
//   - the head is the global pooling (or the flatten) that ends the maps, what follows
//     it, and what its module or the model's forward computes just before it;
//   - the stem is everything before the first block;
//   - blocks — a residual block, a branch, a dense block, or a module of two weighted
//     layers or more (an inverted residual without its shortcut) — form the stages:
//     when the exporter put them in several sibling modules (ResNet's layer1 … layer4,
//     EfficientNet's features.1 … features.7), each of those is a stage; when they are
//     all in one list (MobileNet's features, Inception's Mixed_5b … Mixed_7c), a block
//     that changes the resolution starts a stage and the blocks after it join it;
//   - plain layers between blocks (DenseNet's transitions, MobileNet's last 1×1
//     convolution) are a stage of their own, unless they open with a strided
//     convolution (ConvNeXt's downsampling layers), then they start the next stage, or
//     are only pools, then they end the stage before;
//   - a network without blocks (VGG, AlexNet) has a stage per run of convolutions that a
//     pool of stride 2 or more ends.
//
// A catalogue network's stages follow its paper, which these rules reproduce for the
// torchvision networks except where papers disagree (see TestImportDrawsLikeTheCatalogue).

// unit is a run of top-level constructs from one of the exporter's modules: a block
// (ResNet's layer1.0, Inception's Mixed_5b, a MobileNet inverted residual) or a plain
// layer (the convolution, batch norm or ReLU of a stem).
type unit struct {
	key       string // the module, "" for the model's forward
	items     []*engine.Node
	weighted  int  // convolutions and fully connected layers
	composite bool // it holds a residual block, a branch, a dense block or a cell
	strided   bool // a window of stride other than 1: it changes the resolution
	opens     bool // its first weighted layer is strided: a downsampling layer
	pools     bool // it holds pools only
}

func (u *unit) block() bool { return u.composite || u.weighted >= 2 }

// module is the exporter's module a top-level construct comes from: a leaf's own, and
// for a block the module whose forward merges it (the residual's addition, the
// inception module's concatenation).
func (c *converter) module(n *engine.Node) string {
	if n.Kind == engine.KindLeaf {
		return c.im.Scopes[&n.Op]
	}
	return scopeOf(n.Pos.Field)
}

// parentModule is "layer1" for "layer1.0", "" for "Mixed_5b".
func parentModule(m string) string {
	if i := strings.LastIndexByte(m, '.'); i >= 0 {
		return m[:i]
	}
	return ""
}

func moduleDepth(m string) int {
	if m == "" {
		return 0
	}
	return strings.Count(m, ".") + 1
}

// truncateModule keeps the first depth components of m.
func truncateModule(m string, depth int) string {
	parts := strings.Split(m, ".")
	if len(parts) <= depth {
		return m
	}
	return strings.Join(parts[:depth], ".")
}

// eachLeaf calls f on every leaf operation of n.
func eachLeaf(n *engine.Node, f func(*engine.Op)) {
	if n.Kind == engine.KindLeaf {
		f(&n.Op)
		return
	}
	if n.Kind == engine.KindCell && n.Cell != nil {
		for _, cn := range append(n.Cell.Nodes, n.Cell.Output) {
			for _, l := range cn.Layers {
				eachLeaf(l, f)
			}
		}
		return
	}
	for _, list := range [][]*engine.Node{n.Children, n.Shortcut, n.After} {
		for _, x := range list {
			eachLeaf(x, f)
		}
	}
}

func isWeighted(k engine.OpKind) bool {
	return k == engine.OpConv || k == engine.OpDWConv || k == engine.OpFC || k == engine.OpConvT
}

// isStrided reports a window that changes the resolution: a stride other than 1.
func isStrided(o *engine.Op) bool {
	switch o.Kind {
	case engine.OpConv, engine.OpDWConv, engine.OpConvT, engine.OpMaxPool, engine.OpAvgPool, engine.OpPadChannels:
		return o.S[0] > 1 || o.S[1] > 1
	}
	return false
}

func isPool(k engine.OpKind) bool { return k == engine.OpMaxPool || k == engine.OpAvgPool }

// keepsSize reports a pool that leaves the map's size as it is: stride 1 and
// 2p = k − 1, as torchvision's adaptive pooling exports when the map already has its
// output size (VGG's 7×7).
func keepsSize(o *engine.Op) bool {
	if !isPool(o.Kind) {
		return false
	}
	for a := range 2 {
		if o.S[a] != 1 || o.K[a]-1 != 2*o.P[a] {
			return false
		}
	}
	return true
}

func (u *unit) add(n *engine.Node) {
	u.items = append(u.items, n)
	if n.Kind != engine.KindLeaf {
		u.composite = true
	}
	eachLeaf(n, func(o *engine.Op) {
		if isWeighted(o.Kind) {
			if u.weighted == 0 {
				u.opens = isStrided(o)
			}
			u.weighted++
		}
		u.strided = u.strided || isStrided(o)
		u.pools = u.pools && isPool(o.Kind)
	})
}

// stages groups the top-level constructs into stages (see the rules above).
func (c *converter) stages(items []*engine.Node) []*engine.Node {
	h := c.headStart(items)
	var drafts [][]*unit
	if units, flat, ok := c.units(items[:h]); ok {
		drafts = groupBlocks(units, flat)
	} else {
		drafts = c.groupPlain(items[:h])
	}
	names := draftNames(drafts)
	var out []*engine.Node
	seen := map[string]int{}
	stage := func(name string, children []*engine.Node) {
		if seen[name]++; seen[name] > 1 {
			name += "_" + strconv.Itoa(seen[name])
		}
		out = append(out, &engine.Node{Kind: engine.KindStage, Name: name, Children: children})
	}
	for i, d := range drafts {
		var children []*engine.Node
		for _, u := range d {
			children = append(children, u.items...)
		}
		stage(names[i], children)
	}
	if h < len(items) {
		stage("head", items[h:])
	}
	return out
}

// headStart is where the head begins: at the first global pooling or flatten, with the
// operations before it that its module computes (SqueezeNet's classifier convolution),
// that the model's forward computes (DenseNet's functional ReLU), or pools that keep
// the map's size (VGG's adaptive pooling).
func (c *converter) headStart(items []*engine.Node) int {
	g := -1
	scoped := false
	for i, it := range items {
		if c.module(it) != "" {
			scoped = true
		}
		if g < 0 && it.Kind == engine.KindLeaf && (it.Op.Kind == engine.OpGAP || it.Op.Kind == engine.OpFlatten) {
			g = i
		}
	}
	if g < 0 {
		return len(items)
	}
	mod := parentModule(c.module(items[g]))
	for ; g > 0; g-- {
		prev := items[g-1]
		if prev.Kind != engine.KindLeaf {
			break
		}
		s := c.module(prev)
		if !(scoped && s == "" || mod != "" && strings.HasPrefix(s, mod+".") || keepsSize(&prev.Op)) {
			break
		}
	}
	return g
}

// units cuts the trunk into the exporter's modules at the level that holds the blocks;
// flat says that all blocks are in one list. It fails for a network without blocks.
func (c *converter) units(trunk []*engine.Node) (units []*unit, flat bool, ok bool) {
	parents := map[string]bool{}
	for _, it := range trunk {
		if it.Kind != engine.KindLeaf {
			parents[parentModule(c.module(it))] = true
		}
	}
	if len(parents) == 0 {
		return nil, false, false
	}
	depth := 0
	for p := range parents {
		if d := moduleDepth(p); p != "" && (depth == 0 || d < depth) {
			depth = d
		}
	}
	if flat = len(parents) == 1; flat {
		depth++
	}
	var cur *unit
	for _, it := range trunk {
		k := truncateModule(c.module(it), depth)
		// An operation of a forward without a module of its own goes with the module
		// before it.
		join := cur != nil && (k == cur.key && k != "" || k == "" && it.Kind == engine.KindLeaf)
		if !join {
			cur = &unit{key: k, pools: true}
			units = append(units, cur)
		}
		cur.add(it)
	}
	return units, flat, true
}

// groupBlocks makes the stages of a network with blocks (see the rules above).
func groupBlocks(units []*unit, flat bool) [][]*unit {
	var drafts [][]*unit
	first := 0
	for first < len(units) && !units[first].block() {
		first++
	}
	if first > 0 {
		drafts = append(drafts, units[:first])
	}
	prevBlock, opened := false, false
	for i := first; i < len(units); {
		u := units[i]
		if u.block() {
			if opened || flat && prevBlock && !u.strided {
				drafts[len(drafts)-1] = append(drafts[len(drafts)-1], u)
			} else {
				drafts = append(drafts, []*unit{u})
			}
			prevBlock, opened = true, false
			i++
			continue
		}
		j := i
		pools := true
		for j < len(units) && !units[j].block() {
			pools = pools && units[j].pools
			j++
		}
		run := units[i:j]
		opens := false
		for _, r := range run {
			if r.weighted > 0 {
				opens = r.opens
				break
			}
		}
		if pools && len(drafts) > 0 {
			drafts[len(drafts)-1] = append(drafts[len(drafts)-1], run...)
		} else {
			drafts = append(drafts, run)
			opened = opens && j < len(units)
		}
		prevBlock = false
		i = j
	}
	return drafts
}

// groupPlain makes the stages of a network without blocks: a pool of stride 2 or more
// ends a stage, a strided convolution after the stage's first weighted layer starts one.
func (c *converter) groupPlain(trunk []*engine.Node) [][]*unit {
	var drafts [][]*unit
	open, weighted := false, false
	for _, it := range trunk {
		u := &unit{key: c.module(it), pools: true}
		u.add(it)
		if open && weighted && u.opens {
			open = false
		}
		if !open {
			drafts = append(drafts, nil)
			open, weighted = true, false
		}
		drafts[len(drafts)-1] = append(drafts[len(drafts)-1], u)
		weighted = weighted || u.weighted > 0
		if u.pools && u.strided {
			open = false
		}
	}
	return drafts
}

// draftNames names the stages after the exporter's modules: the module, when one holds
// the whole stage and nothing else ("layer1", "stem"); the modules' common prefix
// ("Mixed_5" for Mixed_5b … Mixed_5d); or else the first module ("conv1" for the conv1,
// bn1, relu and maxpool of ResNet's stem).
func draftNames(drafts [][]*unit) []string {
	names := make([]string, len(drafts))
	for i, d := range drafts {
		keys := make([]string, len(d))
		for k, u := range d {
			keys[k] = u.key
		}
		name := nameOf(keys, func(m string) bool {
			for j, other := range drafts {
				for _, u := range other {
					if j != i && (u.key == m || strings.HasPrefix(u.key, m+".")) {
						return true
					}
				}
			}
			return false
		})
		// A graph without module names: the stem, then stages by number.
		if name == "" && i > 0 {
			name = "stage" + strconv.Itoa(i+1)
		}
		names[i] = stageName(name)
	}
	return names
}

// nameOf names a stage made of the modules keys; shared reports a module that other
// stages have layers of.
func nameOf(keys []string, shared func(string) bool) string {
	if len(keys) == 1 {
		return keys[0]
	}
	common := strings.Split(keys[0], ".")
	for _, k := range keys[1:] {
		parts := strings.Split(k, ".")
		n := 0
		for n < len(common) && n < len(parts) && common[n] == parts[n] {
			n++
		}
		common = common[:n]
	}
	prefix := strings.Join(common, ".")
	if prefix != "" && !shared(prefix) {
		return prefix
	}
	tails := make([]string, len(keys))
	for i, k := range keys {
		tails[i] = strings.Split(strings.TrimPrefix(strings.TrimPrefix(k, prefix), "."), ".")[0]
	}
	lcp := tails[0]
	for _, t := range tails[1:] {
		n := 0
		for n < len(lcp) && n < len(t) && lcp[n] == t[n] {
			n++
		}
		lcp = lcp[:n]
	}
	// A prefix that cuts a number (the "1" of features.14 … features.17) names nothing.
	cut := false
	for _, t := range tails {
		cut = cut || len(lcp) > 0 && len(t) > len(lcp) && isDigit(lcp[len(lcp)-1]) && isDigit(t[len(lcp)])
	}
	if lcp = strings.TrimRight(lcp, "_-"); len(lcp) >= 2 && !cut {
		if prefix == "" {
			return lcp
		}
		return prefix + "." + lcp
	}
	return keys[0]
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// stageName makes a module path a name of the definition format.
func stageName(path string) string {
	var b strings.Builder
	for _, r := range path {
		switch {
		case r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := b.String()
	if s == "" {
		s = "stem"
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}
