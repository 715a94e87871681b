package web

import (
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"convatlas/archdefs"
)

func newTestServer(t testing.TB) *echo.Echo {
	t.Helper()
	return newTestServerWith(t, Config{})
}

func newTestServerWith(t testing.TB, cfg Config) *echo.Echo {
	t.Helper()
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Catalogue, cfg.Logger = cat, slog.New(slog.NewTextHandler(io.Discard, nil))
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func get(t testing.TB, e *echo.Echo, url string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func parse(t testing.TB, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestIndexListsEveryArchitecture(t *testing.T) {
	e := newTestServer(t)
	cat, _ := archdefs.Default()
	for _, sort := range []string{"", "?sort=year", "?sort=newest"} {
		rec := get(t, e, "/"+sort)
		if rec.Code != http.StatusOK {
			t.Fatalf("/%s: %d", sort, rec.Code)
		}
		doc := parse(t, rec)
		for _, a := range cat.Archs {
			if doc.Find(`[data-arch="`+a.ID+`"]`).Length() != 1 {
				t.Errorf("/%s: no card for %s", sort, a.ID)
			}
		}
	}
	if rec := get(t, e, "/?sort=size"); rec.Code != http.StatusBadRequest {
		t.Errorf("bad sort: %d", rec.Code)
	}
}

func TestEveryArchitecturePageRenders(t *testing.T) {
	e := newTestServer(t)
	cat, _ := archdefs.Default()
	for _, a := range cat.Archs {
		for _, q := range []string{"", "?expand=all", "?dir=lr", "?collapse=all"} {
			rec := get(t, e, "/a/"+a.ID+q)
			if rec.Code != http.StatusOK {
				t.Errorf("/a/%s%s: %d", a.ID, q, rec.Code)
				continue
			}
			doc := parse(t, rec)
			if doc.Find("h1").First().Text() != a.Name {
				t.Errorf("/a/%s: title %q", a.ID, doc.Find("h1").First().Text())
			}
			if doc.Find("svg.diagram").Length() != 1 {
				t.Errorf("/a/%s%s: no diagram", a.ID, q)
			}
		}
	}
}

func TestArchPageShowsFiguresAndLayers(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/resnet50?expand=all"))
	text := doc.Find(".figures").Text()
	for _, want := range []string{"25.6M", "25,557,032", "4.09G", "4,089,184,256", "43.2 MiB", "50"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q: %s", want, text)
		}
	}
	if n := doc.Find(`[data-merge="add"]`).Length(); n != 16 {
		t.Errorf("%d add merges, want 16", n)
	}
	if doc.Find(`[data-layer="conv1.conv1"]`).Length() != 1 {
		t.Error("no box for conv1.conv1")
	}
	if n := doc.Find(".stages tbody tr").Length(); n != 6 {
		t.Errorf("%d stage rows", n)
	}
}

func TestStagesCollapseAndExpand(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/a/resnet50?collapse=conv4_x"))
	box := doc.Find(`.box[data-stage="conv4_x"]`)
	if box.Length() != 1 || box.AttrOr("data-repeat", "") != "6" {
		t.Fatalf("collapsed conv4_x: %d boxes, repeat %q", box.Length(), box.AttrOr("data-repeat", ""))
	}
	link := box.Find("a")
	if href, _ := link.Attr("href"); href != "/a/resnet50?expand=conv4_x" {
		t.Errorf("expand link %q", href)
	}
	if hx, _ := link.Attr("hx-get"); hx != "/a/resnet50/diagram?expand=conv4_x" {
		t.Errorf("hx-get %q", hx)
	}
	// The htmx request gets the panel alone.
	rec := get(t, e, "/a/resnet50/diagram?expand=conv4_x", "HX-Request", "true")
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<html") || !strings.Contains(rec.Body.String(), `id="diagram"`) {
		t.Fatalf("fragment: %d %.200s", rec.Code, rec.Body.String())
	}
	if !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "HX-Request") {
		t.Error("the fragment does not vary on HX-Request")
	}
	// Without htmx the fragment URL sends the reader to the page.
	rec = get(t, e, "/a/resnet50/diagram?expand=conv4_x")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/a/resnet50?expand=conv4_x" {
		t.Errorf("plain fragment request: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	for _, bad := range []string{"/a/resnet50?expand=conv9_x", "/a/resnet50?dir=up", "/embed/resnet50.svg?theme=pink"} {
		if rec := get(t, e, bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, rec.Code)
		}
	}
}

func TestEmbedSVGIsStandaloneXML(t *testing.T) {
	e := newTestServer(t)
	cat, _ := archdefs.Default()
	for _, a := range cat.Archs {
		rec := get(t, e, "/embed/"+a.ID+".svg?expand=all&theme=dark")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s: %d %s", a.ID, rec.Code, rec.Header().Get("Content-Type"))
		}
		dec := xml.NewDecoder(strings.NewReader(rec.Body.String()))
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: not XML: %v", a.ID, err)
			}
			if el, ok := tok.(xml.StartElement); ok {
				for _, at := range el.Attr {
					if (at.Name.Local == "href" || at.Name.Local == "src") && !strings.HasPrefix(at.Value, "#") {
						t.Errorf("%s: external reference %s=%q", a.ID, at.Name.Local, at.Value)
					}
				}
				if el.Name.Local == "style" || el.Name.Local == "script" || el.Name.Local == "image" {
					t.Errorf("%s: <%s> in a standalone SVG", a.ID, el.Name.Local)
				}
			}
		}
	}
	etag := get(t, e, "/embed/resnet50.svg").Header().Get("ETag")
	if rec := get(t, e, "/embed/resnet50.svg", "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("ETag revalidation: %d", rec.Code)
	}
	rec := get(t, e, "/embed/resnet50")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "data-panzoom") {
		t.Errorf("embed page: %d", rec.Code)
	}
	if got := rec.Header().Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors *") {
		t.Errorf("embed page CSP %q", got)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newTestServer(t)
	for _, url := range []string{"/", "/a/alexnet", "/a/nope", "/embed/alexnet.svg", "/static/css/site.css", "/healthz", "/a/alexnet/diagram"} {
		rec := get(t, e, url, "HX-Request", "true")
		csp := rec.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "script-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", url, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q allows unsafe code", url, csp)
		}
		if !strings.HasPrefix(url, "/embed/") && !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: may be framed: %q", url, csp)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", url)
		}
	}
}

func TestStaticFilesStayInTheirFolder(t *testing.T) {
	e := newTestServer(t)
	for _, url := range []string{"/static/../go.mod", "/static/..%2fgo.mod", "/static/%2e%2e/go.mod", "/static/..%5cgo.mod", "/static//etc/passwd", "/static/static.go", "/static/css/../../go.mod"} {
		rec := get(t, e, url)
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "module convatlas") {
			t.Errorf("%s: %d", url, rec.Code)
		}
	}
	rec := get(t, e, "/static/css/site.css?v=wrong")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Cache-Control"), "max-age=300") {
		t.Errorf("site.css: %d %s", rec.Code, rec.Header().Get("Cache-Control"))
	}
}

func TestNotFoundIsAPage(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/a/nope")
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `There is no architecture &#34;nope&#34;`) {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	rec = get(t, e, "/a/nope", "HX-Request", "true")
	if strings.Contains(rec.Body.String(), "<html") {
		t.Error("an htmx error got a whole page")
	}
}

// The Vary tokens that compression and htmx each add travel as one header line.
func TestVaryIsOneLine(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/a/alexnet/layer/conv1", "HX-Request", "true", "Accept-Encoding", "gzip")
	vary := rec.Header().Values("Vary")
	if len(vary) != 1 || !strings.Contains(vary[0], "Accept-Encoding") || !strings.Contains(vary[0], "HX-Request") {
		t.Errorf("Vary %q, want one line with Accept-Encoding and HX-Request", vary)
	}
}

func TestSlashVariantsRedirect(t *testing.T) {
	e := newTestServer(t)
	if rec := get(t, e, "/favicon.ico"); rec.Code != http.StatusNoContent {
		t.Errorf("/favicon.ico: %d", rec.Code)
	}
	for from, to := range map[string]string{
		"/concepts": "/concepts/", "/compare/?ids=vgg16,resnet50": "/compare?ids=vgg16,resnet50",
		"/playground/": "/playground", "/a": "/", "/a/": "/",
	} {
		rec := get(t, e, from)
		if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != to {
			t.Errorf("%s: %d to %q, want 301 to %q", from, rec.Code, rec.Header().Get("Location"), to)
		}
		if got := get(t, e, to); got.Code != http.StatusOK {
			t.Errorf("%s: %d", to, got.Code)
		}
	}
}

func TestLayerFragmentAndPage(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/a/alexnet/layer/conv1", "HX-Request", "true")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `id="layer-panel"`) {
		t.Fatalf("fragment: %d %.200s", rec.Code, body)
	}
	for _, want := range []string{"55×55×96", "34,944", "⌊(227 + 2·0 − 11)/4⌋ + 1 = 55", "11·11·3·96 + 96 = 34,944"} {
		if !strings.Contains(body, want) {
			t.Errorf("the panel lacks %q", want)
		}
	}
	if !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "HX-Request") {
		t.Error("no Vary: HX-Request")
	}
	page := get(t, e, "/a/alexnet/layer/conv1")
	doc := parse(t, page)
	if page.Code != http.StatusOK || doc.Find("html").Length() != 1 || doc.Find(`#layer-panel[data-layer="conv1"]`).Length() != 1 {
		t.Fatalf("page: %d", page.Code)
	}
	if doc.Find(`svg.diagram .box.selected[data-layer="conv1"]`).Length() != 1 {
		t.Error("conv1's box is not highlighted")
	}
	if rec := get(t, e, "/a/alexnet/layer/conv9"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown layer: %d", rec.Code)
	}
	// ?layer= selects too.
	if parse(t, get(t, e, "/a/alexnet?layer=pool1")).Find(`#layer-panel[data-layer="pool1"]`).Length() != 1 {
		t.Error("?layer=pool1 did not select pool1")
	}
}

func TestEmbedCounts(t *testing.T) {
	e := newTestServer(t)
	count := func(url, sel string) int {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(get(t, e, url).Body.String()))
		if err != nil {
			t.Fatal(err)
		}
		return doc.Find(sel).Length()
	}
	if n := count("/embed/googlenet.svg?expand=all", `[data-merge="concat"]`); n != 9 {
		t.Errorf("googlenet: %d concat merges", n)
	}
	if n := count("/embed/googlenet.svg?expand=all", `[data-aux]`); n != 2 {
		t.Errorf("googlenet: %d auxiliary branches", n)
	}
	if n := count("/embed/resnet50.svg?expand=all", `[data-merge="add"]`); n != 16 {
		t.Errorf("resnet50: %d additions", n)
	}
	if n := count("/embed/densenet121.svg?expand=all", `.frame-dense`); n != 4 {
		t.Errorf("densenet121: %d dense blocks", n)
	}
}
