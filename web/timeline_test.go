package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"convatlas/archdefs"
	"convatlas/chart"
)

// The atlas's timeline goes on past ILSVRC: every network with an ImageNet top-1
// accuracy, the networks since 2018 among them, is a circle of the accuracy chart and a
// row of its table with the source of its figure; the others are named as left out.
func TestTimelineShowsTheNetworksSince2018(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("/: %d", rec.Code)
	}
	doc := parse(t, rec)
	sec := doc.Find(`[data-testid="accuracy-timeline"]`)
	if sec.Length() != 1 {
		t.Fatalf("%d accuracy timelines", sec.Length())
	}
	cat, _ := archdefs.Default()
	rows := map[string]*goquery.Selection{}
	sec.Find("details tbody tr").Each(func(_ int, tr *goquery.Selection) {
		href, _ := tr.Find("a").Attr("href")
		rows[strings.TrimPrefix(href, "/a/")] = tr
	})
	left := sec.Find(`[data-testid="timeline-left-out"]`).Text()
	for _, a := range cat.Archs {
		acc, r, ok := chart.Top1Result(a)
		dot := sec.Find(`svg a[data-net="` + a.ID + `"]`)
		if !ok {
			if dot.Length() != 0 || !strings.Contains(left, a.Name+" (") {
				t.Errorf("%s has no top-1 accuracy: %d circles, left-out note %q", a.ID, dot.Length(), left)
			}
			continue
		}
		if dot.Length() != 1 {
			t.Errorf("%s (%.1f%%): %d circles", a.ID, acc, dot.Length())
			continue
		}
		if flag := dot.Find("text.flag").Text(); !strings.HasSuffix(flag, fmt.Sprintf(" %.1f%%", acc)) {
			t.Errorf("%s: flag %q", a.ID, dot.Find("text.flag").Text())
		}
		tr := rows[a.ID]
		if tr == nil {
			t.Errorf("%s has no row in the timeline's table", a.ID)
			continue
		}
		cells := tr.Find("td")
		if src := strings.TrimSpace(cells.Eq(5).Text()); src == "" || src != r.Source {
			t.Errorf("%s: source %q, want %q", a.ID, src, r.Source)
		}
		if year := cells.Eq(0).Text(); year != fmt.Sprint(a.Meta.Year) {
			t.Errorf("%s: year %s, want %d", a.ID, year, a.Meta.Year)
		}
	}
	for _, id := range []string{"efficientnet_b0", "mobilenet_v3_large", "mobilenet_v3_small", "mnasnet1_0", "regnet_x_400mf", "regnet_y_400mf", "convnext_tiny"} {
		if sec.Find(`svg a[data-net="`+id+`"]`).Length() != 1 || rows[id] == nil {
			t.Errorf("%s is not on the accuracy timeline", id)
		}
	}
	if !strings.Contains(left, "U-Net (results on ISBI cell tracking only)") {
		t.Errorf("left-out note: %q", left)
	}
	// Presentation mode lays the chart out again with larger text, never by scaling
	// the page's text alone, which would make the flags collide.
	fonts := map[string]string{"/": fmt.Sprint(chart.PageTimeline.Font), "/?present=1": fmt.Sprint(chart.SlideTimeline.Font)}
	for url, want := range fonts {
		svg := parse(t, get(t, e, url)).Find(`[data-testid="accuracy-timeline"] svg`)
		if got, _ := svg.Attr("font-size"); got != want {
			t.Errorf("%s: font-size %q, want %s", url, got, want)
		}
	}
	// A search narrows the cards; the timelines are not shown then.
	if doc := parse(t, get(t, e, "/?q=resnet")); doc.Find(`[data-testid="accuracy-timeline"]`).Length() != 0 {
		t.Error("the accuracy timeline is shown with a search")
	}
}
