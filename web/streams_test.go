package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// AlexNet's two streams on the page: both GPUs' boxes, the toggle back to one stream,
// and every way out of the page (downloads, embed code, layer links) in the same view.
func TestArchPageDrawsTwoStreams(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/a/alexnet?view=streams")
	if rec.Code != http.StatusOK {
		t.Fatalf("/a/alexnet?view=streams: %d %s", rec.Code, rec.Body.String())
	}
	doc := parse(t, rec)
	svg := doc.Find("#diagram svg.diagram")
	for _, layer := range []string{"conv1", "conv3", "fc6", "fc7"} {
		if n := svg.Find(`g.box[data-layer="` + layer + `"]`).Length(); n != 2 {
			t.Errorf("%s is drawn %d times, want once per GPU", layer, n)
		}
	}
	if n := svg.Find(`g.box[data-layer="fc8"]`).Length(); n != 1 {
		t.Errorf("fc8 is drawn %d times, want once", n)
	}
	titles := svg.Find(".frame-device .frame-title").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(titles, ",") != "GPU 1,GPU 2" {
		t.Errorf("device frames %q", titles)
	}
	toggle := doc.Find(`.mode-switch [data-mode="full"]`)
	if href, _ := toggle.Attr("href"); strings.TrimSpace(toggle.Text()) != "One stream" || href != "/a/alexnet" {
		t.Errorf("streams toggle %q → %q", toggle.Text(), href)
	}
	if doc.Find(`[data-action="paths"]`).Length() != 0 {
		t.Error("AlexNet's groups are its GPUs: the streams show them, not a toggle of paths")
	}
	for _, sel := range []string{`[data-action="svg"]`, `[data-png]`} {
		attr := "href"
		if sel == `[data-png]` {
			attr = "data-png"
		}
		if v, _ := doc.Find(sel).Attr(attr); !strings.Contains(v, "view=streams") {
			t.Errorf("%s downloads %q, not the streams on screen", sel, v)
		}
	}
	doc.Find(".embed-code textarea").Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(s.Text(), "view=streams") {
			t.Errorf("embed code %q is not the streams on screen", s.Text())
		}
	})
	if href, _ := svg.Find(`g.box[data-layer="conv3"] a`).First().Attr("href"); href != "/a/alexnet/layer/conv3?view=streams" {
		t.Errorf("a box links to %q", href)
	}
}

func TestArchPageOffersTwoStreams(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/alexnet"))
	toggle := doc.Find(`.mode-switch [data-mode="streams"]`)
	if href, _ := toggle.Attr("href"); strings.TrimSpace(toggle.Text()) != "Two streams (as the paper's Figure 2)" || href != "/a/alexnet?view=streams" {
		t.Errorf("streams toggle %q → %q", toggle.Text(), href)
	}
	if n := doc.Find(`#diagram g.box[data-layer="conv3"]`).Length(); n != 1 {
		t.Errorf("the plain diagram draws conv3 %d times", n)
	}
	resnext := parse(t, get(t, e, "/a/resnext50_32x4d"))
	if resnext.Find(`[data-mode="streams"]`).Length() != 0 || resnext.Find(`[data-action="paths"]`).Length() != 1 {
		t.Error("ResNeXt's groups are paths, not devices")
	}
}

// A step on the streams selects the layer on both GPUs, and the htmx swap of the
// diagram keeps the view.
func TestStreamsStepAndSwap(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/alexnet/layer/conv3?view=streams"))
	if n := doc.Find(`#diagram g.box.selected[data-layer="conv3"]`).Length(); n != 2 {
		t.Errorf("conv3 is selected on %d streams", n)
	}
	frag := parse(t, get(t, e, "/a/alexnet/diagram?view=streams", "HX-Request", "true"))
	if n := frag.Find(`g.box[data-layer="conv3"]`).Length(); n != 2 {
		t.Errorf("the swapped diagram draws conv3 %d times", n)
	}
}

// Downloads and embeds draw what the page shows.
func TestStreamsDownloadsAndEmbeds(t *testing.T) {
	e := newTestServer(t)
	svg := get(t, e, "/embed/alexnet.svg?view=streams")
	if svg.Code != http.StatusOK {
		t.Fatalf("SVG: %d %s", svg.Code, svg.Body.String())
	}
	wellFormedXML(t, svg.Body.Bytes(), svg.Header())
	doc := parse(t, svg)
	if n := doc.Find(`g.box[data-layer="conv3"]`).Length(); n != 2 {
		t.Errorf("the SVG draws conv3 %d times", n)
	}
	if d := doc.Find("desc").Text(); !strings.Contains(d, "as one stream per GPU") {
		t.Errorf("the SVG's description: %q", d)
	}
	page := parse(t, get(t, e, "/embed/alexnet?view=streams"))
	if n := page.Find(`g.box[data-layer="conv3"]`).Length(); n != 2 {
		t.Errorf("the embed page draws conv3 %d times", n)
	}
	plain, streams := get(t, e, "/embed/alexnet.png"), get(t, e, "/embed/alexnet.png?view=streams")
	if streams.Code != http.StatusOK || streams.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("PNG: %d %s", streams.Code, streams.Header().Get("Content-Type"))
	}
	if plain.Body.String() == streams.Body.String() {
		t.Error("the PNG of the streams is the plain diagram")
	}
	golden, err := os.ReadFile("../render/testdata/png.sha256")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(streams.Body.Bytes())
	if runtime.GOARCH == "amd64" && !strings.Contains(string(golden), hex.EncodeToString(sum[:])+"  alexnet-streams-light\n") {
		t.Error("/embed/alexnet.png?view=streams is not render's golden alexnet-streams-light")
	}
	pdf := get(t, e, "/embed/alexnet.pdf?view=streams")
	if pdf.Code != http.StatusOK || !strings.HasPrefix(pdf.Body.String(), "%PDF") || pdf.Body.String() == get(t, e, "/embed/alexnet.pdf").Body.String() {
		t.Errorf("PDF: %d, the streams drawn: %v", pdf.Code, pdf.Body.String() != get(t, e, "/embed/alexnet.pdf").Body.String())
	}
	if tikz := get(t, e, "/embed/alexnet.tikz?view=streams"); tikz.Code != http.StatusOK || !strings.Contains(tikz.Body.String(), "{GPU 2}") {
		t.Errorf("TikZ: %d", tikz.Code)
	}
}

// A network on one device has no streams: every output says so, naming it.
func TestStreamsOfANetworkOnOneDevice(t *testing.T) {
	e := newTestServer(t)
	for _, url := range []string{"/a/resnet50?view=streams", "/embed/resnet50.svg?view=streams", "/embed/resnet50.png?view=streams", "/embed/resnet50?view=streams", "/a/resnet50/diagram?view=streams"} {
		rec := get(t, e, url, "HX-Request", "true")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "ResNet-50 is not split across devices") {
			t.Errorf("%s: %d %.200s", url, rec.Code, rec.Body.String())
		}
	}
}
