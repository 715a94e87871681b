package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"convatlas/archdefs"
	"convatlas/engine"
)

func benchmarkPage(b *testing.B, url string, header ...string) {
	e := newTestServer(b)
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", url, rec.Code)
		}
	}
}

// The architecture page, rendered server-side (layout, templ, gzip off: no Accept-Encoding).
func BenchmarkArchPageResNet152(b *testing.B) { benchmarkPage(b, "/a/resnet152") }
func BenchmarkArchPageResNet152Expanded(b *testing.B) {
	benchmarkPage(b, "/a/resnet152?expand=all")
}
func BenchmarkEmbedResNet50(b *testing.B) {
	benchmarkPage(b, "/embed/resnet50.svg", "Accept-Encoding", "gzip")
}

// BenchmarkLayerPanelResNet152 swaps the panel to every layer of ResNet-152 (the htmx
// request from the default view, so that layers in collapsed stages bring the diagram
// along). One op is a pass over all layers; "worst-layer-ms" is the slowest layer's
// fastest of the passes, which leaves out pauses that are not the layer's own.
func BenchmarkLayerPanelResNet152(b *testing.B) {
	e := newTestServer(b)
	cat, _ := archdefs.Default()
	a, _ := cat.Get("resnet152")
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	best := make([]time.Duration, len(r.Layers))
	for i := range best {
		best[i] = time.Hour
	}
	for b.Loop() {
		for i, l := range r.Layers {
			req := httptest.NewRequest(http.MethodGet, "/a/resnet152/layer/"+l.Name, nil)
			req.Header.Set("HX-Request", "true")
			rec := httptest.NewRecorder()
			start := time.Now()
			e.ServeHTTP(rec, req)
			best[i] = min(best[i], time.Since(start))
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: %d", l.Name, rec.Code)
			}
		}
	}
	worst := slices.Max(best)
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-layer-ms")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*len(r.Layers)), "mean-ms/panel")
}
