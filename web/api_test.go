package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func post(t testing.TB, h http.Handler, path, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

const okNet = "id: net\ninput: {c: 3, h: 32, w: 32}\nlayers: [{conv: {out: 8, k: 3, p: 1}}, relu, gap, {fc: 10}]\n"

func TestAPIAnalyzeAndRender(t *testing.T) {
	e := newTestServer(t)
	rec := post(t, e, "/api/analyze", "application/yaml", okNet)
	var r struct {
		ID     string `json:"id"`
		Totals struct{ Params int64 }
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &r) != nil || r.Totals.Params != 3*9*8+8+8*10+10 {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	// JSON is YAML: the same definition as JSON.
	if rec := post(t, e, "/api/analyze", "application/json", `{"id": "net", "input": {"c": 3, "h": 32, "w": 32}, "layers": [{"conv": {"out": 8, "k": 3}}]}`); rec.Code != http.StatusOK {
		t.Errorf("JSON body: %d %s", rec.Code, rec.Body.String())
	}
	svg := post(t, e, "/api/render?dir=lr", "text/plain", okNet)
	if svg.Code != http.StatusOK || svg.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg.Body.String(), `data-dir="lr"`) {
		t.Errorf("render: %d", svg.Code)
	}
	list := get(t, e, "/api/archs")
	var archs []struct{ ID string }
	if list.Code != http.StatusOK || json.Unmarshal(list.Body.Bytes(), &archs) != nil || len(archs) < 43 {
		t.Errorf("archs: %d, %d", list.Code, len(archs))
	}
	if rec := get(t, e, "/api/archs/resnet50"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"params":25557032`) {
		t.Errorf("archs/resnet50: %d", rec.Code)
	}
	if rec := get(t, e, "/api/archs/nope"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"error"`) {
		t.Errorf("archs/nope: %d %s", rec.Code, rec.Body.String())
	}
}

func bomb() string {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&b, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", c, c, c-1, c-1, c-1, c-1, c-1, c-1, c-1, c-1, c-1)
	}
	return b.String()
}

func TestAPIHostileBodies(t *testing.T) {
	e := newTestServer(t)
	head := "id: net\ninput: {c: 3, h: 32, w: 32}\nlayers:\n"
	for _, c := range []struct {
		name, ct, body string
		status         int
		message        string
		line           int
	}{
		{"bad YAML", "application/yaml", head + "  - conv: {out: 8, k: 3]\n", 400, "YAML syntax", 4},
		{"unknown op", "application/yaml", head + "  - convolve: {out: 8}\n", 400, `unknown key "convolve"`, 4},
		{"misspelled key", "application/yaml", head + "  - conv: {out: 8, k: 3, strdie: 2}\n", 400, `did you mean "stride"`, 4},
		{"negative stride", "application/yaml", head + "  - conv: {out: 8, k: 3, s: -2}\n", 400, "must be at least 1, got -2", 4},
		{"zero kernel", "application/yaml", head + "  - conv: {out: 8, k: 0}\n", 400, "must be at least 1, got 0", 4},
		{"stride as text", "application/yaml", head + "  - conv: {out: 8, k: 3, s: \"2\"}\n", 400, "must be a whole number", 4},
		{"huge number", "application/yaml", head + "  - conv: {out: 9223372036854775808, k: 3}\n", 400, "out of range", 4},
		{"concat mismatch", "application/yaml", head + "  - branch: {merge: concat, paths: [[{conv: {out: 4, k: 3, s: 2, p: 1}}], [{conv: {out: 4, k: 3, p: 1}}]]}\n", 422, "cannot concatenate 16×16×4 with 32×32×4", 4},
		{"add mismatch", "application/yaml", head + "  - residual: {body: [{conv: {out: 8, k: 3, p: 1}}], shortcut: identity}\n", 422, "cannot add", 4},
		{"1e12 channels", "application/yaml", head + "  - conv: {out: 1000000000000, k: 1}\n", 422, "exceed the limit", 4},
		{"kernel too large", "application/yaml", head + "  - conv: {out: 8, k: 99}\n", 422, "kernel 99×99 larger than padded input 32×32", 4},
		{"alias bomb", "application/yaml", bomb(), 400, "anchors (&) and aliases (*) are not allowed", 1},
		{"self anchor", "application/yaml", "a: &a [*a]\n", 400, "anchors", 1},
		{"deep nesting", "application/yaml", "id: x\nlayers: " + strings.Repeat("[", 20000), 400, "nested more than 64 deep", 2},
		{"deep JSON", "application/json", strings.Repeat(`{"a":`, 20000), 400, "nested more than 64 deep", 1},
		{"template recursion", "application/yaml", "id: net\ninput: {c: 3, h: 8, w: 8}\nblocks:\n  a: {layers: [{use: b}]}\n  b: {layers: [{use: a}]}\nlayers: [{use: a}]\n", 400, `template "a" uses itself`, 5},
		{"a million layers", "application/yaml", head + "  - {repeat: 1000000, layers: [relu]}\n", 422, "more layers than the limit of 20,000", 0},
		{"two documents", "application/yaml", okNet + "---\n" + okNet, 400, "one YAML document", 4},
		{"invalid UTF-8", "application/yaml", "id: net\xff\xfe\n", 400, "", 0},
		{"trailing garbage", "application/json", `{"id": "net"} }`, 400, "", 0},
		{"wrong type", "application/xml", "<net/>", 415, "application/yaml", 0},
		{"no type", "", okNet, 415, "application/yaml", 0},
		{"10 MB", "application/yaml", strings.Repeat("#", 10<<20), 413, "Too Large", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			rec := post(t, e, "/api/analyze", c.ct, c.body)
			var out apiError
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatalf("%d, not JSON: %.200s", rec.Code, rec.Body.String())
			}
			if rec.Code != c.status || !strings.Contains(out.Error.Message, c.message) {
				t.Errorf("%d %q, want %d containing %q", rec.Code, out.Error.Message, c.status, c.message)
			}
			if c.line > 0 && out.Error.Line != c.line {
				t.Errorf("line %d, want %d (%s)", out.Error.Line, c.line, out.Error.Message)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	// The server is still up.
	if rec := get(t, e, "/healthz"); rec.Code != http.StatusOK {
		t.Fatal("healthz after the hostile bodies")
	}
}

func TestShareLinkRoundTrips300Layers(t *testing.T) {
	var b strings.Builder
	b.WriteString("id: deep\ninput: {c: 16, h: 32, w: 32}\nlayers:\n")
	for i := range 100 {
		fmt.Fprintf(&b, "  - {conv: {out: 16, k: 3, p: 1}, name: c%d}\n  - bn\n  - relu\n", i)
	}
	src := b.String()
	e := newTestServer(t)
	link := "/playground?def=" + encodeShared([]byte(src))
	rec := get(t, e, link)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d", rec.Code)
	}
	doc := parse(t, rec)
	if got := doc.Find("#pg-src").Text(); got != src {
		t.Fatalf("the definition did not survive the link (%d of %d bytes)", len(got), len(src))
	}
	if n := doc.Find(`svg.diagram [data-layer]`).Length(); n != 100 {
		t.Errorf("%d boxes for 100 conv-bn-relu", n)
	}
	if rec := get(t, e, "/playground?def=!!!"); rec.Code != http.StatusBadRequest {
		t.Errorf("a broken link: %d", rec.Code)
	}
}

// A body over the limit is refused whether its length is announced, hidden (chunked)
// or understated.
func TestAPIBodyLimitWithoutContentLength(t *testing.T) {
	e := newTestServer(t)
	for _, length := range []int64{-1, 100} {
		req := httptest.NewRequest(http.MethodPost, "/api/analyze", strings.NewReader(okNet+strings.Repeat("#", 3<<20)))
		req.Header.Set("Content-Type", "application/yaml")
		req.ContentLength = length
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if length < 0 && rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked: %d %s", rec.Code, rec.Body.String())
		}
		if length > 0 && rec.Code == http.StatusOK {
			t.Errorf("an understated length was read past: %d", rec.Code)
		}
	}
}
