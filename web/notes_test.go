package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func postForm(t *testing.T, h http.Handler, path string, form url.Values, contentType string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("HX-Request", "true")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestNotesPreview(t *testing.T) {
	e := newTestServer(t)
	src := "# T\n\n```arch resnet50 stage=conv3_x\n```\n\n```arch nope\n```\n\n```arch\nid: x\ninput: {c: 3, h: 8, w: 8}\nlayers: [{conv: {out: 4, k: 3}}, {conv: {out: 4, k: 9}}]\n```\n\n<script>alert(1)</script> [x](javascript:alert(1))\n\n```arch\nid: x\ninput: {c: 3, h: 8, w: 8}\nlayers: [{conv: {out: 4, k: 3, name: \"\\\"><script>\"}}]\n```\n"
	rec := postForm(t, e, "/notes/preview", url.Values{"src": {src}}, "application/x-www-form-urlencoded")
	if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("%d %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
	doc := parse(t, rec)
	if doc.Find(`svg.diagram [data-stage], svg.diagram .frame-stage`).Length() == 0 {
		t.Error("the conv3_x diagram is missing")
	}
	errs := doc.Find(".arch-error")
	if errs.Length() != 3 || !strings.Contains(errs.Eq(0).Text(), `no architecture "nope"`) || !strings.Contains(errs.Eq(1).Text(), "kernel 9×9 larger than padded input 6×6") {
		t.Errorf("%d error boxes: %s", errs.Length(), errs.Text())
	}
	if doc.Find("script").Length() != 0 || doc.Find(`a[href^="javascript"]`).Length() != 0 {
		t.Error("hostile markup survived")
	}
	if rec := postForm(t, e, "/notes/preview", url.Values{"src": {"x"}}, "application/json"); rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("wrong content type: %d", rec.Code)
	}
	big := url.Values{"src": {strings.Repeat("a", 600<<10)}}
	if rec := postForm(t, e, "/notes/preview", big, "application/x-www-form-urlencoded"); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("600 KB of notes: %d", rec.Code)
	}
	// Nesting that would cost goldmark seconds is refused at once, naming the line.
	deep := url.Values{"src": {"# Notes\n\n" + strings.Repeat("- ", 100_000) + "x\n"}}
	start := time.Now()
	if rec := postForm(t, e, "/notes/preview", deep, "application/x-www-form-urlencoded"); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "line 3: quotes, lists and indentation nest more than 100 levels deep") {
		t.Errorf("a list nested 100,000 deep: %d %.300s", rec.Code, rec.Body.String())
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing deep nesting took %v", d)
	}
	// So is a paragraph of unclosed links, which goldmark reads in quadratic time.
	links := url.Values{"src": {"# Notes\n\n" + strings.Repeat("[a](b", 40_000) + "\n"}}
	start = time.Now()
	if rec := postForm(t, e, "/notes/preview", links, "application/x-www-form-urlencoded"); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "line 3: a paragraph, table or list item longer than 4 KB") {
		t.Errorf("200 KB of unclosed links: %d %.300s", rec.Code, rec.Body.String())
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing a long paragraph took %v", d)
	}
	page := get(t, e, "/notes?src="+url.QueryEscape("# Hello\n\n```arch alexnet\n```\n"))
	if page.Code != http.StatusOK || parse(t, page).Find("#notes-preview svg.diagram").Length() != 1 {
		t.Errorf("notes page: %d", page.Code)
	}
}
