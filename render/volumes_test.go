package render

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"testing"

	"convatlas/archdefs"
	"convatlas/diagram"
	"convatlas/engine"
)

func catalogueVolumes(t *testing.T, id string) *diagram.Volumes {
	t.Helper()
	a, err := archdefs.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := diagram.NewVolumes(r)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func rgba(t *testing.T, hex string) color.RGBA {
	t.Helper()
	r, g, b, ok := parseColour(hex)
	if !ok {
		t.Fatalf("colour %q", hex)
	}
	return color.RGBA{r, g, b, 255}
}

func TestPNGVolumesDrawsTheGeometry(t *testing.T) {
	for _, tc := range []struct {
		id, theme   string
		transparent bool
		scale       float64
	}{{"alexnet", "light", false, 1}, {"resnet50", "dark", false, 2}, {"vgg16", "light", true, 1}} {
		v := catalogueVolumes(t, tc.id)
		body, err := PNGVolumes(v, tc.theme, tc.transparent, Size{Scale: tc.scale})
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		if b.Dx() != int(math.Ceil(v.W*tc.scale-1e-6)) || b.Dy() != int(math.Ceil(v.H*tc.scale-1e-6)) {
			t.Errorf("%s: %v for a %g×%g drawing at %g×", tc.id, b, v.W, v.H, tc.scale)
		}
		ink := diagram.VolumeInks[tc.theme]
		at := func(p diagram.Point) color.RGBA {
			return color.RGBAModel.Convert(img.At(int(p.X*tc.scale), int(p.Y*tc.scale))).(color.RGBA)
		}
		corner := at(diagram.Point{X: 1, Y: 1})
		if tc.transparent && corner.A != 0 || !tc.transparent && corner != rgba(t, ink.Background) {
			t.Errorf("%s: the corner is %v", tc.id, corner)
		}
		// The middle of each volume's front face (clear of its window, which is on the
		// side face) is the front's colour.
		for _, vol := range v.Items {
			f := vol.Parts()[0]
			if f.W*tc.scale < 6 || f.H*tc.scale < 6 {
				continue
			}
			if got := at(diagram.Point{X: f.X + f.W/2, Y: f.Y + f.H/2}); got != rgba(t, ink.Front) {
				t.Errorf("%s %s: the front face is %v, want %s", tc.id, vol.Layer, got, ink.Front)
			}
		}
	}
}

func TestPNGVolumesKeepsTheLimits(t *testing.T) {
	v := catalogueVolumes(t, "alexnet")
	if _, err := PNGVolumes(v, "light", false, Size{Scale: MaxScale * 2}); err == nil {
		t.Error("a PNG past the limits was drawn")
	}
	if _, err := PNGVolumes(v, "light", false, Size{Width: MaxWidth + 1}); err == nil {
		t.Error("a PNG wider than MaxWidth was drawn")
	}
}
