package web

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"convatlas/archdefs"
	"convatlas/chart"
	"convatlas/engine"
)

func TestComparePage(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/compare?ids=vgg16,googlenet,resnet50")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d", rec.Code)
	}
	doc := parse(t, rec)
	for _, chart := range []string{"accuracy", "params", "memory", "depth", "rf", "layer-memory", "layer-params"} {
		sec := doc.Find(`[data-chart="` + chart + `"]`)
		if sec.Length() != 1 || sec.Find("svg title").Length() == 0 || sec.Find("details table tbody tr").Length() != 3 {
			t.Errorf("chart %s: %d sections, %d data rows", chart, sec.Length(), sec.Find("details table tbody tr").Length())
		}
	}
	// The chart data is the engine's.
	cat, _ := archdefs.Default()
	for _, id := range []string{"vgg16", "googlenet", "resnet50"} {
		a, _ := cat.Get(id)
		r, _ := engine.Analyze(a.Model, engine.Options{})
		row := doc.Find(`[data-chart="params"] tbody tr`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Find("td").First().Text() == a.Name
		})
		if got := row.Find("td").Eq(1).Text(); got != engine.Group(r.Totals.Params) {
			t.Errorf("%s params in the chart data: %q, engine %s", id, got, engine.Group(r.Totals.Params))
		}
	}
	if n := doc.Find(`[data-chart="accuracy"] .bubble`).Length(); n != 2 {
		t.Errorf("%d bubbles; VGG-16 and ResNet-50 have an ImageNet top-1 accuracy, GoogLeNet's paper gives none", n)
	}
	if doc.Find(`input[name="id"][value="resnet50"][checked]`).Length() != 1 {
		t.Error("resnet50 is not ticked")
	}
	for _, bad := range []string{"/compare?ids=nope", "/compare?ids=" + strings.Repeat("vgg16,resnet50,alexnet,lenet5,", 4) + "zfnet,nin,googlenet,resnet18,resnet34,resnet101,resnet152,densenet121,mobilenet_v1"} {
		if rec := get(t, e, bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", bad[:30], rec.Code)
		}
	}
	svg := get(t, e, "/embed/chart/accuracy.svg?ids=vgg16,resnet50")
	if svg.Code != http.StatusOK || svg.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg.Body.String(), "ResNet-50") {
		t.Errorf("chart embed: %d %s", svg.Code, svg.Header().Get("Content-Type"))
	}
	// Every chart of the page is embeddable by its name, and the embed is that chart,
	// with its heading drawn in it (the page's heading does not travel with the SVG).
	doc.Find("[data-chart]").Each(func(_ int, sec *goquery.Selection) {
		id, _ := sec.Attr("data-chart")
		svg := get(t, e, "/embed/chart/"+id+".svg?ids=vgg16,googlenet,resnet50")
		title := strings.TrimSuffix(sec.Find("svg title").First().Text(), " The data is in the table below.")
		if svg.Code != http.StatusOK || !strings.Contains(svg.Body.String(), `<title id="`+id+`-title">`+title) {
			t.Errorf("chart embed %s: %d, want the chart titled %q", id, svg.Code, title)
		}
		if strings.Contains(svg.Body.String(), "table below") {
			t.Errorf("chart embed %s speaks of a table it does not have", id)
		}
		alone := parse(t, svg)
		if got, want := alone.Find("text.chart-title").Text(), sec.Find("h2").Text(); got != want {
			t.Errorf("chart embed %s: drawn title %q, want the page's heading %q", id, got, want)
		}
		// A line chart's legend is drawn in it: one stroke and name per network.
		if sec.Find(".chart-legend").Length() > 0 {
			var names []string
			alone.Find("g.legend-item text").Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
			if want := []string{"VGG-16", "GoogLeNet (Inception v1)", "ResNet-50"}; !slices.Equal(names, want) {
				t.Errorf("chart embed %s: legend %q, want %q", id, names, want)
			}
		}
	})
	// Charts for dark slides are drawn in the dark ink; other themes are refused.
	dark := parse(t, get(t, e, "/embed/chart/rf.svg?ids=vgg16,resnet50&theme=dark"))
	if bg, _ := dark.Find("rect.background").Attr("fill"); bg != chart.ChartInks["dark"].Background {
		t.Errorf("dark chart background %q", bg)
	}
	if stroke, _ := dark.Find("polyline.series").First().Attr("stroke"); stroke != chart.ChartInks["dark"].Series[0] {
		t.Errorf("dark chart's first line %q", stroke)
	}
	if rec := get(t, e, "/embed/chart/rf.svg?ids=vgg16&theme=pink"); rec.Code != http.StatusBadRequest {
		t.Errorf("theme=pink: %d", rec.Code)
	}
	if doc.Find(`.chart-links a[href$="&theme=dark"]`).Length() != len(doc.Find("[data-chart]").Nodes) {
		t.Error("a chart has no link to its dark SVG")
	}
	// The accuracy chart alone says which networks it leaves out.
	if note := parse(t, get(t, e, "/embed/chart/accuracy.svg?ids=vgg16,googlenet,resnet50")).Find("text.chart-note").Text(); !strings.Contains(note, "GoogLeNet (Inception v1)") {
		t.Errorf("accuracy chart alone: note %q does not name GoogLeNet", note)
	}
}
