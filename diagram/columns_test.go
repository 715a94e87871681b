package diagram

import (
	"context"
	"math"
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

// On a 1280×720 slide every network of the catalogue is drawn whole with its labels
// at least 11 px high: stages collapsed, the direction that fits better, a long chain
// in columns. The columns show the whole diagram once, cut where no box is.
//
// The one exception is U-Net: its four skip connections cross every cut, so it cannot be
// set in columns, and its U of 20 rows leaves 9 px labels on a 16:9 slide (stage= draws
// one level larger). Its floor is checked too, so that it cannot get worse unseen.
func TestSlidePresetFitsEveryNetwork(t *testing.T) {
	minLabel := map[string]float64{"unet": 9}
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	// As preset=slide-16x9 draws it: every stage collapsed.
	opt := Options{Dir: "tb", Collapse: map[string]bool{"all": true}, AutoCollapse: DefaultAutoCollapse}
	p := Presets["slide-16x9"]
	for _, a := range cat.Archs {
		r, err := engine.Analyze(a.Model, engine.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d, columns, err := LayoutPreset(context.Background(), r, opt, p)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		scale := fitScale(d, p)
		if len(columns) > 0 {
			w, h := ColumnsSize(d, columns)
			scale = math.Min(p.W/w, p.H/h)
			y := 0.0
			for _, c := range columns {
				if c.Y0 != y || c.H <= 0 {
					t.Errorf("%s: the columns do not follow each other: %+v", a.ID, columns)
				}
				y += c.H
				for _, b := range d.Boxes {
					if b.Y < c.Y0 && b.Y+b.H > c.Y0 {
						t.Errorf("%s: a cut at %g runs through the box %q", a.ID, c.Y0, b.Label)
					}
				}
				if c.Y0 > 0 && crossings(d, c.Y0) > 1 {
					t.Errorf("%s: %d arrows cross the cut at %g", a.ID, crossings(d, c.Y0), c.Y0)
				}
			}
			if math.Abs(y-d.H) > 1e-9 {
				t.Errorf("%s: the columns show %g of the diagram's %g", a.ID, y, d.H)
			}
		}
		want, ok := minLabel[a.ID]
		if !ok {
			want = 11
		}
		if px := scale * labelSize; px < want {
			t.Errorf("%s on a slide: labels %.1f px high, want at least %g", a.ID, px, want)
		}
	}
}
