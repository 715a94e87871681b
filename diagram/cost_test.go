package diagram

import (
	"context"
	"errors"
	"testing"
)

// The grid finds exactly the arrowheads that testing every shape finds, on every
// catalogue diagram in every view.
func TestArrowGridMatchesEveryShape(t *testing.T) {
	for id, r := range catalogueReports(t) {
		for _, view := range layoutViews {
			if !view.of(r) {
				continue
			}
			opt := view.opt
			d, err := Layout(r, opt)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range d.Edges {
				if want := d.entersShape(e.Points[len(e.Points)-1]); e.Arrow != want {
					t.Fatalf("%s %+v: edge %d has arrow %v, want %v", id, opt, i, e.Arrow, want)
				}
			}
		}
	}
}

func TestLayoutContextStops(t *testing.T) {
	r := catalogueReports(t)["resnet1202"]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LayoutContext(ctx, r, Options{Expand: map[string]bool{"all": true}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v, want context.Canceled", err)
	}
}
