package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"convatlas/archdefs"
)

// A tour step with a diagram, a layer selected and its questions.
func BenchmarkTourStepAlexNet(b *testing.B) { benchmarkPage(b, "/tour/lecture9/4") }

// The largest step: DenseNet-121's first dense block.
func BenchmarkTourStepDenseNet(b *testing.B) { benchmarkPage(b, "/tour/lecture9/28") }

// The lecture's worksheet: 16 questions asked.
func BenchmarkLectureWorksheet(b *testing.B) { benchmarkPage(b, worksheetURLFor(b)) }

func worksheetURLFor(b *testing.B) string {
	b.Helper()
	rec := get(b, newTestServer(b), "/tour/")
	doc := parse(b, rec)
	href, ok := doc.Find("[data-testid=lecture-worksheet]").Attr("href")
	if !ok {
		b.Fatal("no worksheet link")
	}
	return href
}

// One answer checked, the htmx request.
func BenchmarkCheckAnswer(b *testing.B) {
	e := newTestServer(b)
	body := url.Values{"q": {"alexnet/conv1:out,params"}, "a": {"54x54x96", ""}, "check": {"0"}}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/exercises/check", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// Loading and checking every tour against the atlas, as at start-up and on each
// change of a teacher's folder: every step is drawn once.
func BenchmarkLoadTours(b *testing.B) {
	cat, err := archdefs.Default()
	if err != nil {
		b.Fatal(err)
	}
	s, _, err := newServer(Config{Catalogue: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.loadTours(""); err != nil {
			b.Fatal(err)
		}
	}
}
