package web

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func bracketCounts(doc *goquery.Document) []string {
	var out []string
	doc.Find("g.bracket").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-stage", "")+" ×"+s.AttrOr("data-count", ""))
	})
	return out
}

// A network with repeated blocks opens on one block per run; view=full draws every
// block; the switcher offers both and marks the one shown; a network without runs has
// no switcher and takes either name.
func TestDiagramViews(t *testing.T) {
	e := newTestServer(t)
	r50 := []string{"conv2_x ×3", "conv3_x ×4", "conv4_x ×6", "conv5_x ×3"}
	for _, c := range []struct {
		url     string
		runs    []string
		current string // the switcher's marked entry, "" for no switcher
		adds    int
	}{
		{"/a/resnet50", r50, "blocks", 4},
		{"/a/resnet50?view=diagram", r50, "blocks", 4},
		{"/a/resnet50?view=blocks", r50, "blocks", 4},
		{"/a/resnet50?view=full", nil, "full", 16},
		{"/a/resnet50?expand=conv4_x", []string{"conv2_x ×3", "conv3_x ×4", "conv5_x ×3"}, "blocks", 9},
		{"/a/resnet50/diagram?view=full", nil, "full", 16},
		// AlexNet repeats no block: its drawings are one stream or two (its GPUs).
		{"/a/alexnet", nil, "full", 0},
		{"/a/alexnet?view=blocks", nil, "full", 0},
		{"/a/alexnet?view=full", nil, "full", 0},
		{"/a/alexnet?view=streams", nil, "streams", 0},
		{"/a/vgg16", nil, "", 0},
	} {
		var rec = get(t, e, c.url, "HX-Request", "true")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", c.url, rec.Code, rec.Body)
		}
		doc := parse(t, rec)
		if got := bracketCounts(doc); !slices.Equal(got, c.runs) {
			t.Errorf("%s: runs %q, want %q", c.url, got, c.runs)
		}
		if n := doc.Find(`#diagram g.join[data-merge="add"]`).Length(); n != c.adds {
			t.Errorf("%s: %d additions drawn, want %d", c.url, n, c.adds)
		}
		cur := doc.Find(`.mode-switch a[aria-current="page"]`)
		if got := cur.AttrOr("data-mode", ""); got != c.current || c.current == "" && doc.Find(".mode-switch").Length() > 0 {
			t.Errorf("%s: the switcher marks %q, want %q", c.url, got, c.current)
		}
	}
	rec := get(t, e, "/a/resnet50?view=nope")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "view is blocks") {
		t.Errorf("view=nope: %d, want 400 naming the views", rec.Code)
	}
}

// The links of the representative view: a bracket expands its stage in place (a plain
// link and an htmx swap of the same state), the expanded stage's toggle draws it once per
// run again, the switcher keeps the direction, and downloads and embed code carry the
// view on screen.
func TestRepresentativeViewLinks(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/resnet50?dir=lr"))
	a := doc.Find(`g.bracket[data-stage="conv4_x"] a.bracket-link`)
	if href, _ := a.Attr("href"); href != "/a/resnet50?dir=lr&expand=conv4_x" {
		t.Errorf("the conv4_x bracket links to %q", href)
	}
	if hx, _ := a.Attr("hx-get"); hx != "/a/resnet50/diagram?dir=lr&expand=conv4_x" || a.AttrOr("hx-target", "") != "#diagram" {
		t.Errorf("the conv4_x bracket swaps %q into %q", hx, a.AttrOr("hx-target", ""))
	}
	if got := doc.Find(`.mode-switch a[data-mode="full"]`).AttrOr("href", ""); got != "/a/resnet50?dir=lr&view=full" {
		t.Errorf("the switcher's full link is %q", got)
	}
	doc = parse(t, get(t, e, "/a/resnet50?expand=conv4_x"))
	if got := doc.Find(`g.frame[data-stage="conv4_x"] a.stage-link`).AttrOr("href", ""); got != "/a/resnet50" {
		t.Errorf("the expanded conv4_x's toggle links to %q, want one block per run again", got)
	}
	if got := doc.Find(`g.frame[data-stage="conv1"] a.stage-link`).AttrOr("href", ""); got != "/a/resnet50?collapse=conv1&expand=conv4_x" {
		t.Errorf("conv1's toggle links to %q, want it collapsed", got)
	}
	doc = parse(t, get(t, e, "/a/resnet50?view=full"))
	if got := doc.Find(`a[data-action="svg"]`).AttrOr("href", ""); got != "/embed/resnet50.svg?view=full" {
		t.Errorf("Download SVG is %q", got)
	}
	if got := doc.Find(`button[data-png]`).AttrOr("data-png", ""); got != "/embed/resnet50.png?view=full" {
		t.Errorf("Download PNG is %q", got)
	}
	if code := doc.Find(".embed-code textarea").First().Text(); !strings.Contains(code, "/embed/resnet50.svg?view=full") {
		t.Errorf("the embed code is %q", code)
	}
}

// A layer that a bracket stands for, selected, expands its stage so that it is drawn.
func TestSelectingAHiddenLayerExpandsItsStage(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/resnet50/layer/conv4_x.3.conv1"))
	if doc.Find(`g.box.selected[data-layer="conv4_x.3.conv1"]`).Length() != 1 {
		t.Error("conv4_x.3.conv1 is not drawn selected")
	}
	if got := bracketCounts(doc); slices.Contains(got, "conv4_x ×6") {
		t.Errorf("conv4_x still drawn once: %q", got)
	}
	// The htmx step brings the diagram along, expanded.
	body := get(t, e, "/a/resnet50/layer/conv4_x.3.conv1", "HX-Request", "true").Body.String()
	if !strings.Contains(body, `hx-swap-oob="true"`) || !strings.Contains(body, `data-layer="conv4_x.3.conv1"`) {
		t.Error("the htmx step does not bring the expanded diagram")
	}
}

// ResNet-50's default embed: under 1,600 px tall at its natural size, no text under
// 11 px, and the ×3 ×4 ×6 ×3 of the paper's Table 1; view=full is the long drawing.
func TestResNet50EmbedIsShortAndLegible(t *testing.T) {
	e := newTestServer(t)
	type svg struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
	}
	size := func(url string) (w, h float64, body string) {
		rec := get(t, e, url)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", url, rec.Code)
		}
		var s svg
		if err := xml.Unmarshal(rec.Body.Bytes(), &s); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		w, _ = strconv.ParseFloat(s.Width, 64)
		h, _ = strconv.ParseFloat(s.Height, 64)
		return w, h, rec.Body.String()
	}
	_, h, body := size("/embed/resnet50.svg")
	if h >= 1600 {
		t.Errorf("ResNet-50's embed is %.0f px tall", h)
	}
	for _, m := range regexp.MustCompile(`font-size="([0-9.]+)"`).FindAllStringSubmatch(body, -1) {
		if f, _ := strconv.ParseFloat(m[1], 64); f < 11 {
			t.Errorf("text of %g px", f)
		}
	}
	var counts []string
	for _, m := range regexp.MustCompile(`<text class="bracket-count"[^>]*>([^<]*)</text>`).FindAllStringSubmatch(body, -1) {
		counts = append(counts, m[1])
	}
	if !slices.Equal(counts, []string{"×3", "×4", "×6", "×3"}) {
		t.Errorf("the embed's counts are %q", counts)
	}
	if _, full, _ := size("/embed/resnet50.svg?view=full"); full < 2*h {
		t.Errorf("view=full is %.0f px tall, one block per run %.0f", full, h)
	}
	if rec := get(t, e, "/embed/resnet50.svg?view=every"); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "view is") {
		t.Errorf("view=every: %d %s", rec.Code, rec.Body)
	}
	// The iframe page and the API draw the same view.
	page := parse(t, get(t, e, "/embed/resnet50"))
	if got := bracketCounts(page); len(got) != 4 {
		t.Errorf("/embed/resnet50 draws runs %q", got)
	}
	if got := bracketCounts(parse(t, get(t, e, "/embed/resnet50?view=full"))); len(got) != 0 {
		t.Errorf("/embed/resnet50?view=full draws runs %q", got)
	}
}
