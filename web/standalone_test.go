package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// wellFormed parses an SVG as XML and returns its ids.
func wellFormed(t *testing.T, svg []byte) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return ids
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%.300s", err, svg)
		}
		if el, ok := tok.(xml.StartElement); ok {
			for _, a := range el.Attr {
				if a.Name.Local == "id" {
					ids[a.Value] = true
				}
			}
		}
	}
}

func TestEmbedSVGOptions(t *testing.T) {
	e := newTestServer(t)
	vgg := get(t, e, "/embed/vgg16.svg?theme=auto&background=transparent")
	body := vgg.Body.Bytes()
	if vgg.Code != http.StatusOK {
		t.Fatalf("%d %s", vgg.Code, body)
	}
	ids := wellFormed(t, body)
	for _, want := range []string{"prefers-color-scheme: dark", `class="diagram-bg" x="0" y="0" width=`, `fill="none"`, "<title id=", "<desc id=", `aria-describedby="`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("theme=auto&background=transparent: no %s", want)
		}
	}
	// Opened alone, the SVG may apply its own <style> and no other.
	style := regexp.MustCompile(`<style>([^<]*)</style>`).FindSubmatch(body)
	sum := sha256.Sum256(style[1])
	if csp := vgg.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("the policy does not name the SVG's style: %s", csp)
	}
	if again := get(t, e, "/embed/vgg16.svg?theme=auto&background=transparent"); again.Header().Get("Content-Security-Policy") != vgg.Header().Get("Content-Security-Policy") {
		t.Error("a cached SVG is served with another policy")
	}
	// Two networks, or one with other options, never share an id.
	resnet := wellFormed(t, get(t, e, "/embed/resnet50.svg").Body.Bytes())
	dark := wellFormed(t, get(t, e, "/embed/vgg16.svg?theme=dark").Body.Bytes())
	for id := range ids {
		if resnet[id] || dark[id] {
			t.Errorf("id %q in two different diagrams", id)
		}
	}
	// A stage, one block, collapsed stages, a slide.
	for query, want := range map[string]string{
		"stage=conv3_x":                   "conv3_x of ResNet-50",
		"stage=conv2_x.1":                 "conv2_x.1 of ResNet-50 drawn top to bottom: 4 boxes",
		"collapse=all":                    "6 of them collapsed stages",
		"preset=slide-16x9":               `width="1280" height="720"`,
		"collapse=conv2_x,conv3_x&dir=lr": "drawn left to right",
	} {
		rec := get(t, e, "/embed/resnet50.svg?"+query)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("?%s: %d, no %q", query, rec.Code, want)
		}
	}
	// Errors are SVG too, saying what went wrong, with the error's status.
	for query, want := range map[string]struct {
		status int
		msg    string
	}{
		"/embed/resnet50.svg?stage=conv9_x":  {400, `ResNet-50 has no stage or block &#34;conv9_x&#34;`},
		"/embed/resnet50.svg?theme=pink":     {400, "theme is light, dark or auto"},
		"/embed/resnet50.svg?preset=poster":  {400, "preset is slide-16x9 or slide-4x3"},
		"/embed/resnet50.svg?expand=conv9_x": {400, "has no stage"},
		"/embed/nope.svg":                    {404, "There is no architecture"},
	} {
		rec := get(t, e, query)
		if rec.Code != want.status || rec.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(rec.Body.String(), want.msg) {
			t.Errorf("%s: %d %s\n%s", query, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
		wellFormed(t, rec.Body.Bytes())
	}
}

// The iframe page takes the block's options too: one block, and theme=auto.
func TestEmbedPageOptions(t *testing.T) {
	e := newTestServer(t)
	rec := get(t, e, "/embed/resnet50?stage=conv2_x.1&theme=auto")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `data-theme="auto"`) || !strings.Contains(rec.Body.String(), `data-layer="conv2_x.1.conv1"`) || strings.Contains(rec.Body.String(), `data-layer="conv3_x.1.conv1"`) {
		t.Errorf("%d", rec.Code)
	}
	if rec := get(t, e, "/embed/resnet50?stage=conv9_x.1"); rec.Code != http.StatusBadRequest {
		t.Errorf("an unknown block: %d", rec.Code)
	}
}

func TestAPIRenderOptions(t *testing.T) {
	e := newTestServer(t)
	const staged = "id: staged\ninput: {c: 3, h: 32, w: 32}\nlayers:\n  - stage: s1\n    layers: [{conv: {out: 8, k: 3, p: 1}}, relu]\n  - stage: s2\n    layers: [{conv: {out: 16, k: 3, p: 1}}, relu, gap, {fc: 10}]\n"
	for query, want := range map[string]string{
		"?stage=s2":               "s2 of staged",
		"?collapse=all":           "2 of them collapsed stages",
		"?theme=auto":             "prefers-color-scheme",
		"?background=transparent": `fill="none"`,
	} {
		rec := post(t, e, "/api/render"+query, "application/yaml", staged)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("render%s: %d, no %q\n%.400s", query, rec.Code, want, rec.Body.String())
		}
	}
	if rec := post(t, e, "/api/render?stage=s9", "application/yaml", staged); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `no stage or block \"s9\"`) {
		t.Errorf("unknown stage: %d %s", rec.Code, rec.Body.String())
	}
}

func TestNotesDownload(t *testing.T) {
	e := newTestServer(t)
	src := "# Week 3\n\n```arch vgg16\n```\n\n```arch-table alexnet\n```\n\n```python\nprint(1)\n```\n"
	rec := postForm(t, e, "/notes/download", url.Values{"src": {src}}, "application/x-www-form-urlencoded")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), `attachment; filename="notes.html"`) {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	for _, want := range []string{"<!doctype html>", "<style>", ".hl-chroma", `class="convatlas"`, `href="http://example.com/a/alexnet/layer/conv1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the downloaded notes lack %s", want)
		}
	}
	if regexp.MustCompile(`(href|src)="/`).MatchString(body) || strings.Contains(body, "<script") {
		t.Error("the downloaded notes refer to the server by a relative address, or run a script")
	}
	if rec := postForm(t, e, "/notes/download", url.Values{"src": {"x"}}, "application/json"); rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("JSON: %d", rec.Code)
	}
	// The editor offers it.
	if page := get(t, e, "/notes"); !strings.Contains(page.Body.String(), `formaction="/notes/download"`) {
		t.Error("the editor has no download button")
	}
}
