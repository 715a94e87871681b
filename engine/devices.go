package engine

import "fmt"

// Devices says that a network was trained split across N devices, as AlexNet was across
// two GPUs (Krizhevsky et al. 2012, section 3.2 and Figure 2): every layer before Join
// keeps 1/N of its channels on each device. A convolution whose groups are a multiple
// of N reads only its own device's channels (AlexNet's CONV2, CONV4 and CONV5); every
// other layer that mixes channels reads all of them, and is where the devices
// communicate (CONV3, FC6, FC7). Join, if set, names the first layer that runs once,
// reading every device's channels (FC8); the layers after it run once too. The split
// changes no figure: it says how the figures were divided between the devices, for the
// diagram that draws one stream per device.
type Devices struct {
	N     int    // devices; 0 or 1 for a network on one device
	Join  string // the layer from which the network runs once; "" for none
	Title string // what a device is called in the diagram ("GPU"); "" for "device"
	Pos   Pos    // where the definition says so, for errors
}

// MaxDevices bounds Devices.N: the diagram draws one stream per device side by side,
// and a box of a stream has room for the arrowheads of two devices' edges apart (a
// left-right box is 42 px across); AlexNet, the network this is for, has 2.
const MaxDevices = 2

// Split reports whether the network is split across devices at all.
func (d Devices) Split() bool { return d.N > 1 }

// Noun is what a device is called: the definition's title ("GPU"), or "device".
func (d Devices) Noun() string {
	if d.Title == "" {
		return "device"
	}
	return d.Title
}

// Name is what the diagram calls device i (0-based): "GPU 1", "device 2".
func (d Devices) Name(i int) string { return fmt.Sprintf("%s %d", d.Noun(), i+1) }

// ReadsAllDevices reports whether layer i, before the join of a network split across
// devices (the layers from the join on run once), reads the channels of every device
// rather than its own device's only: the cross-device connections. A fully connected layer does, as does a convolution whose groups are not
// a multiple of the devices, and an operation that mixes all channels (softmax, channel
// shuffle, squeeze-and-excitation, layer norm). The first layer reads the network's
// input, which every device holds whole: it is no cross-connection. Element-wise
// operations, pools and LRN (normalised within a device's own maps, section 3.3) keep to
// their device.
func (r *Report) ReadsAllDevices(i int) bool {
	l := &r.Layers[i]
	if !r.Devices.Split() || l.IsMerge() || (len(l.Inputs) == 1 && l.Inputs[0] < 0) {
		return false
	}
	switch op := l.Operation(); op.Kind {
	case OpFC, OpSoftmax, OpShuffle, OpSE, OpLayerNorm:
		return true
	case OpConv, OpConvT:
		return op.Groups%int64(r.Devices.N) != 0
	}
	return false
}

// Joined is the index of the first layer that runs once (Devices.Join), or the number of
// layers when every layer is split.
func (r *Report) Joined() int {
	if r.Devices.Join != "" {
		for i := range r.Layers {
			if r.Layers[i].Name == r.Devices.Join {
				return i
			}
		}
	}
	return len(r.Layers)
}

// checkDeviceNode refuses, in a network split across devices, a construct other than a
// sequence, before the join or after it: a branch, a residual block, a dense block, a
// cell or an auxiliary classifier is no stream of layers, which is what the diagram of
// a split network draws, one per device.
func (w *walker) checkDeviceNode(n *Node) error {
	switch n.Kind {
	case KindSeq, KindRepeat, KindStage:
		return nil
	}
	return &Error{Pos: n.Pos, What: n.Kind.String(), Msg: fmt.Sprintf("the network is split across %d devices (devices: at line %d), drawn as one stream of layers per device: it cannot hold a %s",
		w.devices.N, w.devices.Pos.Line, n.Kind)}
}

// checkDeviceLeaf refuses, before the join, a convolution whose groups do not divide
// among the devices and an output whose channels do not.
func (w *walker) checkDeviceLeaf(op *Op, out Shape) error {
	n := int64(w.devices.N)
	if (op.Kind == OpConv || op.Kind == OpConvT) && op.Groups > 1 && op.Groups%n != 0 {
		return fmt.Errorf("its %d groups do not divide among the %d devices (devices: at line %d): use groups that are a multiple of %d, or none", op.Groups, n, w.devices.Pos.Line, n)
	}
	if out.C%n != 0 {
		what := "channels"
		if out.Flat {
			what = "features"
		}
		return fmt.Errorf("its %d output %s do not split into %d equal parts, one per device (devices: at line %d)", out.C, what, n, w.devices.Pos.Line)
	}
	return nil
}
