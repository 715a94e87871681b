package archdefs

import (
	"testing"

	"convatlas/engine"
)

// SE-ResNet-50's stem pool is the authors' (hujie-frank/SENet, SE-ResNet-50.prototxt:
// pool1 3×3 stride 2, no padding, Caffe rounding up), as in senet154: worked by hand,
// conv1 (7×7/2, padding 3) starts at −3 with size 7 and jump 2; the pool (3×3/2, no
// padding) keeps the start at −3 − 0·2 = −3, size 7 + 2·2 = 11, jump 4, and the map at
// ⌈(112 − 3)/2⌉ + 1 = 56. A torchvision-style padded pool would start at −5.
func TestSEResNet50StemPoolIsTheAuthors(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"se_resnet50", "senet154"} {
		a, _ := cat.Get(id)
		r, err := engine.Analyze(a.Model, engine.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var pool *engine.Layer
		for i := range r.Layers {
			if r.Layers[i].Op == "maxpool" {
				pool = &r.Layers[i]
				break
			}
		}
		if pool == nil || pool.Out != (engine.Shape{C: pool.Out.C, H: 56, W: 56}) {
			t.Fatalf("%s: stem pool %+v", id, pool)
		}
		if op := pool.Operation(); op.P != [2]int64{0, 0} || !op.Ceil {
			t.Errorf("%s: the stem pool is padded %v, ceil %v; the authors' has no padding and rounds up", id, op.P, op.Ceil)
		}
		if id == "se_resnet50" && (pool.RF.H != engine.Field{Size: 11, Jump: 4, Start: -3}) {
			t.Errorf("%s: the stem pool's field %+v, want size 11, jump 4, start −3", id, pool.RF.H)
		}
	}
}
