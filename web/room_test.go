package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestNotFoundSuggestsTheNearestIDs(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/a/resnet51")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("/a/resnet51: %d", rec.Code)
	}
	doc := parse(t, rec)
	if first := doc.Find("[data-suggestion]").First().AttrOr("data-suggestion", ""); first != "resnet50" {
		t.Errorf("first suggestion %q, want resnet50", first)
	}
	if n := doc.Find("[data-suggestion]").Length(); n > maxSuggestions {
		t.Errorf("%d suggestions", n)
	}
	// By name as well as by id, and nothing for what is nothing like a network.
	if got := parse(t, get(t, e, "/a/googlenett")).Find("[data-suggestion]").First().AttrOr("data-suggestion", ""); got != "googlenet" {
		t.Errorf("googlenett: %q", got)
	}
	if n := parse(t, get(t, e, "/a/"+strings.Repeat("zq", 400))).Find("[data-suggestion]").Length(); n != 0 {
		t.Errorf("%d suggestions for nonsense", n)
	}
	// The API answers its own way.
	if rec := get(t, e, "/api/archs/resnet51"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"error"`) {
		t.Errorf("API: %d %s", rec.Code, rec.Body.String())
	}
}

func TestSearches(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/?q=res+50"))
	if doc.Find(`.card[data-arch="resnet50"]`).Length() != 1 || doc.Find(`.card[data-arch="vgg16"]`).Length() != 0 {
		t.Error("/?q=res 50 does not keep ResNet-50 alone among the families")
	}
	if rec := get(t, e, "/?q="+strings.Repeat("x", 101)); rec.Code != http.StatusBadRequest {
		t.Errorf("a 101-character search: %d", rec.Code)
	}
	frag := get(t, e, "/a/resnet50/find?q=conv4_x.3+conv2", "HX-Request", "true")
	hits := parse(t, frag).Find("[data-layer-hit]")
	if frag.Code != http.StatusOK || hits.Length() != 1 || hits.AttrOr("data-layer-hit", "") != "conv4_x.3.conv2" || strings.Contains(frag.Body.String(), "<html") {
		t.Errorf("layer search fragment: %d, %d hits", frag.Code, hits.Length())
	}
	if page := parse(t, get(t, e, "/a/resnet50/find?q=fc")); page.Find("html").Length() != 1 || page.Find(`[data-layer-hit="head.fc1"]`).Length() != 1 {
		t.Error("the layer search page without htmx")
	}
}

func TestArchPageNeighbours(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/resnet50"))
	if doc.Find(".arch-prev").Length() != 1 || doc.Find(".arch-next").Length() != 1 {
		t.Error("no previous or next network")
	}
	if doc.Find(`.arch-family a[data-member="resnet50"][aria-current="page"]`).Length() != 1 || doc.Find(`.arch-family a[data-member="resnet152"]`).Length() != 1 {
		t.Error("the family does not list ResNet-50 as current and ResNet-152")
	}
	steps := strings.Fields(doc.Find("article.arch").AttrOr("data-steps", ""))
	if len(steps) == 0 || steps[0] != "conv1.conv1" {
		t.Errorf("steps %v", steps[:min(3, len(steps))])
	}
	// Presentation mode: a way out, no download or embed chrome.
	present := parse(t, get(t, e, "/a/alexnet/layer/conv1?present=1"))
	if present.Find("[data-present-toggle]").AttrOr("href", "") != "/a/alexnet/layer/conv1" || present.Find("[data-png], .embed-code").Length() != 0 {
		t.Error("presentation mode: the way out or the chrome")
	}
}

func TestTableFoldsByStage(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/resnet1202?view=table"))
	if rows := doc.Find(".layer-table tbody tr[data-layer]").Length(); rows > 10 {
		t.Errorf("%d layer rows with every stage closed", rows)
	}
	if doc.Find("a.open-stage").Length() == 0 || doc.Find("[data-folded]").Length() != 1 {
		t.Error("no link opens a stage")
	}
	open := parse(t, get(t, e, "/a/resnet1202?view=table&stage=stage2"))
	if rows := open.Find(".layer-table tbody tr[data-layer]").Length(); rows < 1000 {
		t.Errorf("stage2 open: %d rows", rows)
	}
	if rec := get(t, e, "/a/resnet1202?view=table&stage=nope"); rec.Code != http.StatusBadRequest {
		t.Errorf("an unknown stage: %d", rec.Code)
	}
}
