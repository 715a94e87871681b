package diagram

import (
	"fmt"
	"math"

	"convatlas/engine"
)

// The two-stream drawing of a network split across devices, as AlexNet's Figure 2 draws
// its two GPUs (Krizhevsky et al. 2012): one stream per device side by side, each layer
// drawn once per device with its share of the channels ("5×5 conv, 128" on each GPU for
// CONV2's 256), in a frame per device; an edge from every device into each layer that
// reads all of them (the cross-device connections: CONV3, FC6, FC7); the input, which
// every device reads whole, above the streams, and the layers from the join on (FC8)
// below them, once.

// HasStreams reports whether the network's definition says its groups are devices, so
// that it can be drawn as one stream per device (Options.Streams).
func HasStreams(r *engine.Report) bool { return r.Devices.Split() }

// crossGap is the gap along the flow before a rank that some edges reach at a slant:
// room for the crossing of the cross-device connections to be seen.
const crossGap = 40.0

// rank is one step of the streams drawing: a layer with the element-wise layers folded
// into it, drawn once per device (split) or once.
type rank struct {
	layer  int // -1 for the network's input
	folded []int
	split  bool // before the join: one box per device
	cross  bool // its layer reads every device's channels
}

// streamRanks lists the ranks of a split network, in order.
func streamRanks(r *engine.Report) []rank {
	join := r.Joined()
	ranks := []rank{{layer: -1}}
	for i := range r.Layers {
		last := &ranks[len(ranks)-1]
		// An element-wise layer is drawn inside the box before it, on the same side of the
		// join; one that mixes the devices' channels (a softmax before the join) is not.
		cross := i < join && r.ReadsAllDevices(i)
		if elementwise(r.Layers[i].Op) && last.layer >= 0 && i != join && last.split == (i < join) && !cross {
			last.folded = append(last.folded, i)
			continue
		}
		ranks = append(ranks, rank{layer: i, split: i < join, cross: cross})
	}
	return ranks
}

// streamLabel is a layer's label on one of n devices: its share of the filters or
// features, and of the groups ("CONV2 · 5×5 conv, 128" for AlexNet's 256 in 2 groups).
func streamLabel(l *engine.Layer, n int64) string {
	op := l.Operation()
	label := Label(l)
	switch engine.OpKind(l.Op) {
	case engine.OpConv, engine.OpConvT:
		verb := "conv"
		stride := strideText(op.S, "/")
		if op.Kind == engine.OpConvT {
			verb, stride = "up-conv", strideText(op.S, "×")
		}
		label = fmt.Sprintf("%d×%d %s, %d%s", op.K[0], op.K[1], verb, l.Out.C/n, stride)
		if g := op.Groups / n; op.Groups%n == 0 && g > 1 {
			label += fmt.Sprintf(", g%d", g)
		}
		if op.D[0] > 1 {
			label += fmt.Sprintf(", d%d", op.D[0])
		}
	case engine.OpFC:
		label = fmt.Sprintf("fc %d", l.Out.C/n)
	}
	if l.Title != "" {
		return l.Title + " · " + label
	}
	return label
}

// strideText writes a stride as Label does: "", ", /2", ", /2×1" (sign "×" for an
// up-convolution's factor).
func strideText(s [2]int64, sign string) string {
	switch {
	case s[0] == 1 && s[1] == 1:
		return ""
	case s[0] == s[1]:
		return fmt.Sprintf(", %s%d", sign, s[0])
	}
	return fmt.Sprintf(", %s%d×%d", sign, s[0], s[1])
}

// streamBox is the box of one rank, on device (from 1), or on none (0).
func (lo *layouter) streamBox(rk rank, device int) Box {
	if rk.layer < 0 {
		return lo.inputPart().boxes[0]
	}
	l := &lo.r.Layers[rk.layer]
	label, out := TitledLabel(l), l.Out
	if device > 0 {
		n := int64(lo.r.Devices.N)
		label, out.C = streamLabel(l, n), out.C/n
	}
	detail := out.String()
	if tags := foldedTags(lo.r, rk.folded); tags != "" {
		detail += " · " + tags
	}
	du, dv := lo.boxSize(label, detail)
	return Box{W: du, H: dv, Layer: l.Name, Index: l.Index, Folded: lo.names(rk.folded), Kind: Kind(l.Op),
		Label: label, Detail: detail, Aux: l.Aux, Stream: device}
}

// streams lays out a split network as one stream per device, in flow coordinates (u
// along the flow, v across it) like every other part, then turns it to the direction.
// Its work is linear in the layers: a rank has at most engine.MaxDevices boxes and
// engine.MaxDevices² edges.
func (lo *layouter) streams() (*Diagram, error) {
	r := lo.r
	if !HasStreams(r) {
		return nil, fmt.Errorf("%s is not split across devices: its definition has no devices, so it has no streams to draw", r.Name)
	}
	if lo.opt.Stage != "" {
		return nil, fmt.Errorf("the streams view draws the whole of %s: it takes no stage", r.Name)
	}
	n := r.Devices.N
	ranks := streamRanks(r)
	// The columns: as wide as the widest split box; each in a frame titled by its device.
	along, across := frameTitle, framePad // the frame's title band lies before its content
	if lo.lr {
		along, across = framePad, frameTitle
	}
	colW, once := 0.0, 0.0
	boxes := make([][]Box, len(ranks))
	for k, rk := range ranks {
		if lo.stopped() {
			return nil, lo.err
		}
		if !rk.split {
			boxes[k] = []Box{lo.streamBox(rk, 0)}
			once = math.Max(once, boxes[k][0].H)
			continue
		}
		for d := range n {
			boxes[k] = append(boxes[k], lo.streamBox(rk, d+1))
		}
		colW = math.Max(colW, boxes[k][0].H)
	}
	titleW := TextWidth(r.Devices.Name(n-1), detailSize) + 2*framePad
	if !lo.lr {
		// Top-down, a stream's boxes are as wide as its column, so that its edges run
		// straight down it; the first edge enters the column under the frame's title band,
		// at the first of its n+1 slots (streamEdges), which lies right of the title.
		colW = math.Max(colW, float64(n+1)*(titleW-framePad+4))
		for k := range boxes {
			for d := range boxes[k] {
				if ranks[k].split {
					boxes[k][d].H = colW
				}
			}
		}
	}
	frameV := across + colW + framePad
	streamsV := float64(n)*frameV + float64(n-1)*gapCross
	total := math.Max(streamsV, once)
	v0 := (total - streamsV) / 2 // where the first frame starts across
	axis := func(d int) float64 { return v0 + float64(d)*(frameV+gapCross) + across + colW/2 }
	centre := total / 2

	var s sub
	s.V, s.A = total, centre
	u := 0.0
	frameStart, frameEnd := -1.0, 0.0
	for k, rk := range ranks {
		if k > 0 {
			prev := ranks[k-1]
			switch {
			case rk.split && !prev.split:
				u += crossGap
				frameStart = u
				u += along
			case !rk.split && prev.split:
				u += framePad
				frameEnd = u
				u += crossGap
			case rk.cross:
				u += crossGap
			default:
				u += gapFlow
			}
		}
		for d := range boxes[k] {
			b := &boxes[k][d]
			b.X, b.Y = u, centre-b.H/2
			if rk.split {
				b.Y = axis(d) - b.H/2
			}
		}
		if k > 0 {
			lo.streamEdges(&s, ranks[k-1], rk, boxes[k-1], boxes[k], frameStart)
		}
		s.boxes = append(s.boxes, boxes[k]...)
		u += boxes[k][0].W
	}
	if ranks[len(ranks)-1].split {
		u += framePad
		frameEnd = u
	}
	s.U = u
	if lo.lr {
		s.U = math.Max(s.U, frameStart+titleW)
		frameEnd = math.Max(frameEnd, frameStart+titleW)
	}
	for d := range n {
		s.frames = append(s.frames, Frame{X: frameStart, Y: axis(d) - colW/2 - across, W: frameEnd - frameStart, H: frameV,
			Kind: "device", Title: r.Devices.Name(d)})
	}
	return lo.finish(s, Span{First: 0, Last: len(r.Layers) - 1}), nil
}

// streamEdges draws the edges from one rank into the next. Each box has a slot for
// every device across it, in the devices' order: an edge from device o into a box of
// device d leaves o's box at slot d and arrives at slot o, so that the edge within a
// device runs straight along its stream, a cross-device connection leaves and arrives
// on the side of the device it goes to or comes from, and no two arrowheads meet. The
// input fans out from its slots to the streams, and the streams fan in to the first
// layer after the join.
func (lo *layouter) streamEdges(s *sub, prev, cur rank, from, to []Box, frameStart float64) {
	n := lo.r.Devices.N
	end := func(b Box) float64 { return b.X + b.W }
	slot := func(b Box, o int) float64 { return b.Y + b.H*float64(o+1)/float64(n+1) }
	switch {
	case !prev.split && !cur.split:
		s.edge(false, Point{end(from[0]), from[0].Y + from[0].H/2}, Point{to[0].X, to[0].Y + to[0].H/2})
	case !prev.split:
		// The input, held whole by every device: each edge turns onto its stream before
		// the device's frame, so that it crosses no frame's title.
		for d, b := range to {
			s.edge(false, Point{end(from[0]), slot(from[0], d)}, Point{frameStart, slot(b, d)}, Point{b.X, slot(b, d)})
		}
	case !cur.split:
		for o, b := range from {
			s.edge(false, Point{end(b), slot(b, o)}, Point{to[0].X, slot(to[0], o)})
		}
	default:
		for d, b := range to {
			for o := range n {
				if o == d || cur.cross {
					s.edge(false, Point{end(from[o]), slot(from[o], d)}, Point{b.X, slot(b, o)})
				}
			}
		}
	}
}
