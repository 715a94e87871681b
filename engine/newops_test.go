package engine

import "testing"

// The field of a transposed convolution is the envelope of the true fields of its
// output units, computed here by brute force: output o reads input i when
// o = i·s − p + t·d for some tap t.
func TestTransposedFieldIsTheEnvelope(t *testing.T) {
	for _, c := range []struct{ k, s, p, d, jump int64 }{
		{2, 2, 0, 1, 16}, {3, 2, 1, 1, 8}, {4, 2, 1, 1, 4}, {5, 3, 1, 1, 3}, {3, 1, 1, 2, 5}, {7, 4, 2, 1, 8}, {1, 2, 0, 1, 2},
	} {
		in := Field{Size: 37, Jump: c.jump, Start: -11}
		got, err := in.transposed(c.k, c.s, c.p, c.d)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := int64(1<<40), int64(-1<<40)
		for o := int64(100); o < 100+4*c.s; o++ { // interior units, one period and more
			first, last := int64(1<<40), int64(-1<<40)
			for tap := int64(0); tap < c.k; tap++ {
				if v := o + c.p - tap*c.d; v%c.s == 0 {
					i := v / c.s
					first, last = min(first, in.Start+i*in.Jump), max(last, in.Start+i*in.Jump+in.Size-1)
				}
			}
			if first > last {
				continue // no tap lands on this output (k·d < s)
			}
			lo, hi = min(lo, first-o*got.Jump), max(hi, last-o*got.Jump)
		}
		want := Field{Size: hi - lo + 1, Jump: c.jump / c.s, Start: lo}
		if c.k*c.d < c.s {
			// Some outputs read nothing; the envelope still holds those that do.
			if got.Start > lo || got.Start+got.Size-1 < hi {
				t.Errorf("%+v: %+v does not hold the fields [%d, %d]", c, got, lo, hi)
			}
			continue
		}
		if got != want {
			t.Errorf("%+v: transposed field %+v, brute force %+v", c, got, want)
		}
	}
	if _, err := (Field{Size: 1, Jump: 1}).transposed(2, 2, 0, 1); err == nil {
		t.Error("a fractional jump was accepted")
	}
}

// Bilinear upsampling (PyTorch, align_corners=False) reads, for every output, the same
// input units as the transposed window upsampleWindow gives it.
func TestBilinearReadsItsTransposedWindow(t *testing.T) {
	for f := int64(1); f <= 7; f++ {
		k, s, p := upsampleWindow("bilinear", f)
		for o := int64(5 * f); o < 9*f; o++ {
			// source = (o + ½)/f − ½, in units of 1/(2f): 2o + 1 − f.
			num := 2*o + 1 - f
			i0 := num / (2 * f)
			want := [2]int64{i0, i0}
			if num%(2*f) != 0 {
				want[1] = i0 + 1
			}
			first := (o + p - (k - 1) + s - 1) / s
			last := (o + p) / s
			if got := [2]int64{first, last}; got != want {
				t.Errorf("f=%d o=%d: transposed window reads %v, bilinear reads %v", f, o, got, want)
			}
		}
	}
}

func TestSamePadding(t *testing.T) {
	for _, c := range []struct {
		n, k, s                 int64
		out, before, afterExtra int64
	}{
		{224, 3, 2, 112, 0, 1}, // TF: total 1, all of it after
		{224, 3, 1, 224, 1, 0},
		{225, 3, 2, 113, 1, 0},
		{112, 5, 2, 56, 1, 1}, // total 3: 1 before, 2 after
		{7, 4, 1, 7, 1, 1},    // even kernel: 1 before, 2 after
	} {
		op := Op{Kind: OpConv, Out: 8, K: [2]int64{c.k, c.k}, S: [2]int64{c.s, c.s}, D: [2]int64{1, 1}, Groups: 1, Same: true}
		r := analyze(t, model(3, c.n, c.n, &Node{Kind: KindLeaf, Op: op}))
		l := r.Layers[0]
		if l.Out.H != c.out {
			t.Errorf("%+v: out %d", c, l.Out.H)
		}
		res := samePadding(&op, Shape{C: 3, H: c.n, W: c.n})
		if res.P[0] != c.before || res.PadAfter[0] != c.afterExtra {
			t.Errorf("%+v: padding %d before, %d extra after", c, res.P[0], res.PadAfter[0])
		}
		if l.RF.H.Start != -c.before {
			t.Errorf("%+v: field start %d", c, l.RF.H.Start)
		}
	}
}

func TestNewOperationFigures(t *testing.T) {
	one := [2]int64{1, 1}
	se := &Node{Kind: KindLeaf, Op: Op{Kind: OpSE, Squeeze: 8, Act: OpSiLU, Gate: OpSigmoid}}
	convt := &Node{Kind: KindLeaf, Op: Op{Kind: OpConvT, Out: 512, K: [2]int64{2, 2}, S: [2]int64{2, 2}, D: one, Groups: 1, Bias: true}}
	ln := &Node{Kind: KindLeaf, Op: Op{Kind: OpLayerNorm}}
	ls := &Node{Kind: KindLeaf, Op: Op{Kind: OpLayerScale}}
	up := &Node{Kind: KindLeaf, Op: Op{Kind: OpUpsample, Scale: 2, Mode: "bilinear"}}
	crop := &Node{Kind: KindLeaf, Op: Op{Kind: OpCrop, CropTo: [2]int64{40, 40}}}
	full := analyze(t, model(1024, 112, 112, pool(OpMaxPool, 4, 4, 0, false), convt, se, ln, ls, up, crop))
	r := &Report{Layers: full.Layers[1:]}
	// U-Net's first up-convolution: 2·2·512·1024 + 512.
	if l := r.Layers[0]; l.Out != (Shape{C: 512, H: 56, W: 56}) || l.Params != 2*2*512*1024+512 || l.MACs != 28*28*1024*2*2*512 {
		t.Errorf("convt: %v, %d params, %d MACs", l.Out, l.Params, l.MACs)
	}
	if l := r.Layers[1]; l.Params != 512*8+8+8*512+512 || l.MACs != 2*512*8 || !l.RF.Global {
		t.Errorf("se: %d params, %d MACs, global %v", l.Params, l.MACs, l.RF.Global)
	}
	if l := r.Layers[2]; l.Params != 1024 || l.Buffers != 0 {
		t.Errorf("layernorm: %d params, %d buffers", l.Params, l.Buffers)
	}
	if l := r.Layers[3]; l.Params != 512 {
		t.Errorf("layerscale: %d params", l.Params)
	}
	if l := r.Layers[4]; l.Out != (Shape{C: 512, H: 112, W: 112}) {
		t.Errorf("upsample: %v", l.Out)
	}
	if l := r.Layers[5]; l.Out != (Shape{C: 512, H: 40, W: 40}) || l.RF.H.Start != r.Layers[4].RF.H.Start+36*r.Layers[4].RF.H.Jump {
		t.Errorf("crop: %v, field %+v after %+v", l.Out, l.RF.H, r.Layers[4].RF.H)
	}
	for i := range full.Layers {
		x := full.Explain(i)
		if x.Out == "" || x.Params == "" || x.MACs == "" || x.RF == "" {
			t.Errorf("layer %s: explanation missing a figure: %+v", full.Layers[i].Name, x)
		}
	}
}
