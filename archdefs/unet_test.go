package archdefs

import "testing"

// U-Net against its paper (Ronneberger et al. 2015, Figure 1) and against the field
// measured by gradients on the same network (scripts/unet_field.py).
func TestUNetAsInThePaper(t *testing.T) {
	r := analyzeID(t, "unet")
	if r.Input.H != 572 || r.Output.C != 2 || r.Output.H != 388 || r.Output.W != 388 {
		t.Errorf("U-Net maps %v to %v, the paper 572×572×1 to 388×388×2", r.Input, r.Output)
	}
	convs := 0
	for _, l := range r.Layers {
		if l.Op == "conv" || l.Op == "convt" {
			convs++
		}
	}
	if convs != 23 {
		t.Errorf("%d convolutional layers, the paper's 23", convs)
	}
	last := r.Layers[len(r.Layers)-1].RF
	// scripts/unet_field.py: the units' own fields are 188 or 204 rows, by phase; their
	// envelope is rows −15 … 199 around the unit.
	if last.H.Size != 215 || last.H.Jump != 1 || last.H.Start != -15 || last.W != last.H {
		t.Errorf("output field %+v, measured envelope 215/1/−15", last)
	}
}
