package templates

import (
	"bytes"
	"context"
	"testing"

	"convatlas/diagram"
)

// The bytes of a diagram's SVG grow at most linearly with what its report holds:
// layers, edges and blocks (the layout's own bound is fuzzed in diagram/).
func TestSVGBytesGrowLinearly(t *testing.T) {
	for id, r := range catalogueReports(t) {
		edges := 0
		for _, l := range r.Layers {
			edges += len(l.Inputs)
		}
		units := len(r.Layers) + edges + len(r.Blocks)
		for _, opt := range []diagram.Options{{Dir: "tb", Expand: map[string]bool{"all": true}, Paths: true}, {Dir: "lr", Expand: map[string]bool{"all": true}}} {
			d, err := diagram.Layout(r, opt)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			var svg bytes.Buffer
			if err := DiagramSVG(d, "f", id, diagram.Palettes["light"], nil).Render(context.Background(), &svg); err != nil {
				t.Fatal(err)
			}
			if svg.Len() > 1024*units+8192 {
				t.Errorf("%s %s: %d bytes of SVG for %d layers, %d edges and %d blocks", id, opt.Dir, svg.Len(), len(r.Layers), edges, len(r.Blocks))
			}
		}
	}
}
