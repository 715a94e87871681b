package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"
)

func decodePNG(t *testing.T, body []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

func TestEmbedPNGSameBytesFromEveryServer(t *testing.T) {
	// Two servers, so that the second answer is drawn again rather than cached.
	var sums [2][32]byte
	for i := range sums {
		rec := get(t, newTestServer(t), "/embed/resnet50.png")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
			t.Fatalf("/embed/resnet50.png: %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		decodePNG(t, rec.Body.Bytes())
		sums[i] = sha256.Sum256(rec.Body.Bytes())
	}
	if sums[0] != sums[1] {
		t.Error("two servers drew different PNG bytes")
	}
	// The bytes render's golden test pins (made on amd64, see render/render_test.go).
	golden, err := os.ReadFile("../render/testdata/png.sha256")
	if err != nil {
		t.Fatal(err)
	}
	// The default drawing is the representative view: one block per stage.
	if runtime.GOARCH == "amd64" && !strings.Contains(string(golden), hex.EncodeToString(sums[0][:])+"  resnet50-blocks-light\n") {
		t.Error("/embed/resnet50.png is not render's golden resnet50-blocks-light")
	}
	rec := get(t, newTestServer(t), "/embed/resnet50.png?view=full")
	if sum := sha256.Sum256(rec.Body.Bytes()); runtime.GOARCH == "amd64" && !strings.Contains(string(golden), hex.EncodeToString(sum[:])+"  resnet50-light\n") {
		t.Error("/embed/resnet50.png?view=full is not render's golden resnet50-light")
	}
}

func TestEmbedPNGOptions(t *testing.T) {
	e := newTestServer(t)
	for _, c := range []struct {
		query       string
		width       int
		cornerAlpha uint32
		cornerRed   uint32
	}{
		{"?width=600", 600, 0xff, 0xff},
		{"?theme=dark&scale=2", 1382, 0xff, 0x11}, // 691 px wide: one block per stage, the ×N brackets beside
		{"?view=full&scale=2", 886, 0xff, 0xff},
		{"?background=transparent&dir=lr&collapse=all&width=1000", 1000, 0, 0},
		{"?theme=dark&background=transparent&stage=conv3_x", 0, 0, 0},
	} {
		rec := get(t, e, "/embed/resnet50.png"+c.query)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", c.query, rec.Code, rec.Body)
		}
		img := decodePNG(t, rec.Body.Bytes())
		if c.width > 0 && img.Bounds().Dx() != c.width {
			t.Errorf("%s: width %d, want %d", c.query, img.Bounds().Dx(), c.width)
		}
		r, _, _, a := img.At(0, 0).RGBA()
		if a>>8 != c.cornerAlpha || r>>8 != c.cornerRed {
			t.Errorf("%s: corner red %x alpha %x, want %x %x", c.query, r>>8, a>>8, c.cornerRed, c.cornerAlpha)
		}
	}
}

func TestEmbedDrawingsRefuseWhatCostsTooMuch(t *testing.T) {
	e := newTestServer(t)
	for _, u := range []string{
		"/embed/resnet50.png?width=100000", "/embed/resnet50.png?scale=9", "/embed/resnet50.png?scale=NaN",
		"/embed/resnet50.png?scale=-1", "/embed/resnet50.png?width=0", "/embed/resnet50.png?width=300&scale=2",
		"/embed/resnet152.png?expand=all&scale=8", "/embed/resnet50.png?background=red", "/embed/resnet50.png?theme=pink",
		"/embed/resnet50.pdf?width=300", "/embed/resnet50.png?stage=nope",
	} {
		if rec := get(t, e, u); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", u, rec.Code)
		}
	}
	if rec := get(t, e, "/embed/nonet.png"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown network: %d", rec.Code)
	}
}

func TestEmbedPDFAndTikZ(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/embed/resnet50.pdf?theme=dark")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF-")) {
		t.Fatalf("PDF: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	rec = get(t, e, "/embed/resnet50.tikz?dir=lr")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `\begin{tikzpicture}`) {
		t.Fatalf("TikZ: %d", rec.Code)
	}
}

func TestArchPageHasPreviewTagsAndDiscovery(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/resnet50"))
	meta := func(attr, name string) string {
		v, _ := doc.Find(`meta[` + attr + `="` + name + `"]`).Attr("content")
		return v
	}
	if meta("property", "og:title") != "ResNet-50" || meta("property", "og:url") != "http://example.com/a/resnet50" ||
		meta("name", "twitter:card") != "summary_large_image" || meta("property", "og:description") == "" {
		t.Errorf("og tags: title %q url %q card %q", meta("property", "og:title"), meta("property", "og:url"), meta("name", "twitter:card"))
	}
	img, err := url.Parse(meta("property", "og:image"))
	if err != nil || img.Host != "example.com" || img.Path != "/og/resnet50.png" {
		t.Fatalf("og:image %q", meta("property", "og:image"))
	}
	rec := get(t, e, img.Path)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d", img.Path, rec.Code)
	}
	if b := decodePNG(t, rec.Body.Bytes()).Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
		t.Errorf("og:image is %v, want 1200×630", b)
	}
	href, ok := doc.Find(`link[rel="alternate"][type="application/json+oembed"]`).Attr("href")
	if !ok {
		t.Fatal("no oEmbed discovery link")
	}
	u, _ := url.Parse(href)
	rec = get(t, e, u.RequestURI())
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"type":"rich"`) {
		t.Errorf("discovered oEmbed: %d %s", rec.Code, rec.Body)
	}
	// Every page carries the tags, those without a diagram a plain card.
	doc = parse(t, get(t, e, "/compare"))
	if v, _ := doc.Find(`meta[property="og:title"]`).Attr("content"); v == "" {
		t.Error("/compare has no og:title")
	}
	if v, _ := doc.Find(`meta[name="twitter:card"]`).Attr("content"); v != "summary" {
		t.Errorf("/compare twitter:card %q", v)
	}
}

func TestOEmbed(t *testing.T) {
	e := newTestServerWith(t, Config{BaseURL: "https://atlas.example.edu/course/"})
	q := url.Values{"url": {"https://atlas.example.edu/course/a/resnet50?expand=conv3_x"}, "maxwidth": {"500"}, "format": {"json"}}
	rec := get(t, e, "/oembed?"+q.Encode())
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("oEmbed: %d %s", rec.Code, rec.Body)
	}
	var got oEmbedResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != "1.0" || got.Type != "rich" || got.Width != 500 || got.Height != 600 || got.Title != "ResNet-50" || got.ProviderName != "ConvAtlas" {
		t.Errorf("oEmbed answer %+v", got)
	}
	if !strings.Contains(got.HTML, `<iframe src="https://atlas.example.edu/course/embed/resnet50?expand=conv3_x" width="500" height="600"`) {
		t.Errorf("html %s", got.HTML)
	}
	for _, c := range []struct {
		query url.Values
		code  int
	}{
		{url.Values{"url": {"https://atlas.example.edu/course/a/nonet"}}, http.StatusNotFound},
		{url.Values{"url": {"https://elsewhere.example/course/a/resnet50"}}, http.StatusNotFound},
		{url.Values{"url": {"https://atlas.example.edu/course/compare"}}, http.StatusNotFound},
		{url.Values{"url": {"https://atlas.example.edu/course/a/resnet50"}, "format": {"xml"}}, http.StatusNotImplemented},
		{url.Values{"url": {"https://atlas.example.edu/course/a/resnet50"}, "maxwidth": {"wide"}}, http.StatusBadRequest},
		{url.Values{}, http.StatusBadRequest},
		{url.Values{"url": {"https://atlas.example.edu/course/embed/resnet50.svg"}, "maxheight": {"300"}}, http.StatusOK},
	} {
		if rec := get(t, e, "/oembed?"+c.query.Encode()); rec.Code != c.code {
			t.Errorf("%s: %d, want %d", c.query.Encode(), rec.Code, c.code)
		}
	}
}

func TestEmbedFrameAncestors(t *testing.T) {
	csp := get(t, newTestServer(t), "/embed/resnet50").Header().Get("Content-Security-Policy")
	if !strings.HasSuffix(csp, "frame-ancestors * file:") {
		t.Errorf("default embed CSP %q", csp)
	}
	e := newTestServerWith(t, Config{FrameAncestors: "https://lms.example.edu 'self'"})
	if csp := get(t, e, "/embed/resnet50").Header().Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors https://lms.example.edu 'self'") {
		t.Errorf("configured embed CSP %q", csp)
	}
	if csp := get(t, e, "/a/resnet50").Header().Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'none'") {
		t.Errorf("page CSP %q", csp)
	}
	if _, err := New(Config{Catalogue: nil, FrameAncestors: "x; script-src *"}); err == nil {
		t.Error("a frame-ancestors value with a ';' was accepted")
	}
}
