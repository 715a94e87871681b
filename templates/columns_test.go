package templates

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
	o, err := ParseSVGOptions(map[string]string{"preset": "slide-16x9"})
	if err != nil {
		t.Fatal(err)
	}
	p := Presets["slide-16x9"]
	for _, a := range cat.Archs {
		r, err := engine.Analyze(a.Model, engine.Options{})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := NewSVGDoc(context.Background(), r, a.Name, a.ID, o)
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		d := doc.Diagram
		scale := fitScale(d, p)
		if len(doc.Columns) > 0 {
			w, h := columnsSize(d, doc.Columns)
			scale = math.Min(p.W/w, p.H/h)
			y := 0.0
			for _, c := range doc.Columns {
				if c.Y0 != y || c.H <= 0 {
					t.Errorf("%s: the columns do not follow each other: %+v", a.ID, doc.Columns)
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
		if doc.W != 1280 || doc.H != 720 {
			t.Errorf("%s: %gx%g, want the slide's 1280x720", a.ID, doc.W, doc.H)
		}
	}
}
