package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"convatlas/archdefs"
	"convatlas/concepts"
)

// The lecture tour's text states the lecture's figures as the engine computes them;
// the expected values are the published ones (REFERENCES.md), not the program's.
func TestLectureTourFigures(t *testing.T) {
	e := newTestServer(t)
	doc := parse(t, get(t, e, "/tour/lecture9"))
	steps := doc.Find("[data-testid=tour-steps] li")
	if steps.Length() < 20 {
		t.Fatalf("%d steps", steps.Length())
	}
	text := map[string]string{}
	for n := 1; n <= steps.Length(); n++ {
		rec := get(t, e, "/tour/lecture9/"+strconv.Itoa(n))
		if rec.Code != http.StatusOK {
			t.Fatalf("step %d: %d %s", n, rec.Code, rec.Body.String())
		}
		d := parse(t, rec)
		title := d.Find("#tour-step-title").Text()
		text[title] = d.Find(".tour-text").Text()
		if d.Find("#tour-step[data-view]").Length() != 1 || d.Find("[data-testid=tour-view]").Children().Length() == 0 {
			t.Errorf("step %d (%s) shows nothing", n, title)
		}
		if strings.Contains(text[title], "{{") {
			t.Errorf("step %d (%s): a figure was not replaced", n, title)
		}
	}
	for title, want := range map[string][]string{
		"AlexNet CONV1: the parameters":      {"(227 + 2·0 − 11)/4⌋ + 1 = 55 → 55×55×96"}, // (227 − 11)/4 + 1 = 55
		"AlexNet POOL1":                      {"11·11·3·96 + 96 = 34,944"},                // (11·11·3)·96 + 96
		"AlexNet on two GPUs":                {"(55 + 2·0 − 3)/2⌋ + 1 = 27 → 27×27×96", "and 0 parameters"},
		"VGG's memory, checked":              {"15,237,608", "58.1 MiB"}, // its own rows add to 15,237,608 values, ≈58 MiB
		"The naive inception module":         {"854,196,224"},
		"Bottlenecks: the \"358M\", checked": {"271,351,808"},
		"\"12× fewer parameters\", checked":  {"8.7×"}, // 61M / 7M
		"SENet: squeeze and excitation":      {"2.5M"}, // ~2.5M extra parameters over ResNet-50
		"LeNet-5":                            {"61,706"},
		"MobileNets":                         {"4.2M", "568.7M"}, // the paper: 4.2M and 569M
		"NAS and NASNet":                     {"5.3M", "563.6M"}, // the paper: 5.3M and 564M
	} {
		got, ok := text[title]
		if !ok {
			t.Errorf("no step %q", title)
			continue
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q not in %q", title, w, got)
			}
		}
	}
}

func TestTourPagesAndErrors(t *testing.T) {
	e := newTestServer(t)
	for _, u := range []string{"/tour/", "/tour/lecture9", "/tour/lecture9/1", "/tour/lecture9/4?present=1", "/exercises", "/exercises/make?net=resnet50"} {
		if rec := get(t, e, u); rec.Code != http.StatusOK {
			t.Errorf("%s: %d", u, rec.Code)
		} else if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", u, csp)
		}
	}
	if d := parse(t, get(t, e, "/tour/lecture9/4?present=1")); d.Find("a[data-tour-next]").AttrOr("href", "") != "/tour/lecture9/5?present=1" {
		t.Errorf("presentation mode is not kept by the next link")
	}
	for u, code := range map[string]int{
		"/tour/nope/1": 404, "/tour/lecture9/0": 404, "/tour/lecture9/999999999999999999999": 404, "/tour/lecture9/x": 404,
		"/tour/..%2f..%2fgo.mod/1": 404, "/tour/lecture9/4?q=alexnet/conv1:out&a=" + strings.Repeat("9", 5000): 200,
		"/exercises?q=alexnet": 400, "/exercises?q=nope/conv1:out": 400, "/exercises?q=alexnet/conv9:out": 400,
		"/exercises?q=alexnet/conv1:size": 400, "/exercises?q=alexnet/relu1:memory": 400,
		"/exercises?q=alexnet/conv1:out&t=" + strings.Repeat("t", 200):                  400,
		"/exercises?" + strings.Repeat("q=alexnet/conv1:out&", concepts.MaxQuestions+1): 400,
		"/exercises?q=alexnet/conv1:" + strings.Repeat("out,", 50) + "out":              400,
		"/exercises/make?net=alexnet&layer=conv1":                                       400, "/exercises/make?net=nope&layer=conv1&kind=out": 404,
		"/exercises/make?net=alexnet&layer=conv1&kind=size": 400,
	} {
		if rec := get(t, e, u); rec.Code != code {
			t.Errorf("%.80s: %d, want %d", u, rec.Code, code)
		}
	}
	rec := get(t, e, "/exercises/make?net=alexnet&layer=conv1&layer=pool1&kind=out&kind=params&estimate=1")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != worksheetURL([]string{"alexnet/conv1:out~,params~", "alexnet/pool1:out~,params~"}, "AlexNet worksheet") {
		t.Errorf("make: %d %s", rec.Code, rec.Header().Get("Location"))
	}
}

func postAnswer(e http.Handler, path string, form url.Values, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// The answer checker over HTTP: a fragment for htmx, a page without; malformed or
// hostile forms get a 4xx with a message, never a 500.
func TestCheckAnswerEndpoint(t *testing.T) {
	e := newTestServer(t)
	qs := []string{"alexnet/conv1:out,params"}
	form := func(check string, answers ...string) url.Values {
		return url.Values{"q": qs, "a": answers, "check": {check}}
	}
	rec := postAnswer(e, "/exercises/check", form("0", "54x54x96", ""), "HX-Request", "true")
	d := parse(t, rec)
	if rec.Code != 200 || d.Find("#v0[data-state=wrong]").Length() != 1 || !strings.Contains(d.Find("[data-testid=mistake]").Text(), "224") {
		t.Errorf("wrong answer: %d %s", rec.Code, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "<html") || rec.Header().Get("Cache-Control") != "no-store" || !strings.Contains(rec.Header().Get("Vary"), "HX-Request") {
		t.Errorf("a fragment: %v", rec.Header())
	}
	rec = postAnswer(e, "/exercises/check", form("1", "", "34,944"), "HX-Request", "true")
	if d := parse(t, rec); d.Find("#v1[data-state=right]").Length() != 1 || !strings.Contains(d.Text(), "11·11·3·96 + 96 = 34,944") {
		t.Errorf("right answer: %s", rec.Body.String())
	}
	rec = postAnswer(e, "/exercises/check", form("1", "", "lots"), "HX-Request", "true")
	if d := parse(t, rec); d.Find("#v1[data-state=invalid]").Length() != 1 {
		t.Errorf("malformed answer: %s", rec.Body.String())
	}
	rec = postAnswer(e, "/exercises/check", form("0", "55x55x96"))
	if d := parse(t, rec); rec.Code != 200 || d.Find("html").Length() != 1 || d.Find("#v0[data-state=right]").Length() != 1 {
		t.Errorf("without htmx: %d", rec.Code)
	}
	for name, f := range map[string]url.Values{
		"no question":    {"a": {"1"}, "check": {"0"}},
		"bad question":   {"q": {"alexnet/conv1"}, "check": {"0"}},
		"out of range":   form("7", "1"),
		"negative":       form("-1", "1"),
		"many answers":   {"q": qs, "a": strings.Split(strings.Repeat("1,", 20), ","), "check": {"0"}},
		"many questions": {"q": strings.Split(strings.Repeat("alexnet/conv1:out;", concepts.MaxQuestions+1), ";"), "check": {"0"}},
	} {
		rec := postAnswer(e, "/exercises/check", f, "HX-Request", "true")
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("%s: %d", name, rec.Code)
		}
	}
	big := url.Values{"q": qs, "a": {strings.Repeat("9", 20_000)}, "check": {"0"}}
	if rec := postAnswer(e, "/exercises/check", big, "HX-Request", "true"); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a large body: %d", rec.Code)
	}
	rec = postAnswer(e, "/exercises/check", url.Values{"q": qs, "a": {strings.Repeat("9", 100)}, "check": {"0"}}, "HX-Request", "true")
	if d := parse(t, rec); rec.Code != 200 || !strings.Contains(d.Text(), "at most 64 characters") {
		t.Errorf("a long answer: %d %s", rec.Code, rec.Body.String())
	}
}

// A teacher's tours: served, reloaded on change, a mistake named by file:line:col.
func TestTeacherTours(t *testing.T) {
	dir := t.TempDir()
	tour := func(layer string) string {
		return "---\nid: week3\ntitle: Week 3\n---\n## CONV1\n```step\narch: alexnet\nlayer: " + layer + "\n```\nIt has {{ alexnet/" + layer + ".params }} parameters.\n"
	}
	write := func(body string) {
		if err := os.WriteFile(filepath.Join(dir, "week3.md"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(tour("conv9"))
	cat, _ := archdefs.Default()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, err := New(Config{Catalogue: cat, Logger: quiet, ToursDir: dir})
	if err == nil || !strings.Contains(err.Error(), "week3.md:8:8: layer: AlexNet has no layer \"conv9\"") {
		t.Fatalf("a wrong layer: %v", err)
	}
	write("---\nid: week3\ntitle: Week 3\n---\n## CONV1\n```step\narch: alexnet\n```\nIt has {{ alexnet/conv9.params }}.\n")
	if _, err := New(Config{Catalogue: cat, Logger: quiet, ToursDir: dir}); err == nil || !strings.Contains(err.Error(), "week3.md:9:8: figure {{ alexnet/conv9.params }}") {
		t.Fatalf("a wrong figure: %v", err)
	}
	write(tour("conv1"))
	done := make(chan struct{})
	defer close(done)
	e, err := New(Config{Catalogue: cat, Logger: quiet, ToursDir: dir, Done: done})
	if err != nil {
		t.Fatal(err)
	}
	body := func() string { return parse(t, get(t, e, "/tour/week3/1")).Find(".tour-text").Text() }
	if !strings.Contains(body(), "34,944") {
		t.Fatalf("the teacher's tour: %q", body())
	}
	write(tour("conv2"))
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(body(), "307,456") {
		if time.Now().After(deadline) {
			t.Fatalf("not reloaded: %q", body())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// A broken edit keeps the last good tour.
	write(tour("conv9"))
	time.Sleep(1500 * time.Millisecond)
	if !strings.Contains(body(), "307,456") {
		t.Errorf("after a broken edit: %q", body())
	}
	if !strings.Contains(get(t, e, "/tour/").Body.String(), "your folder") {
		t.Error("the index does not mark the teacher's tour")
	}
}

// The static export holds the tours, the lecture's worksheet and the charts of its
// steps, every link resolving to a file.
func TestExportHasTours(t *testing.T) {
	if testing.Short() {
		t.Skip("exports the whole atlas")
	}
	cat, _ := archdefs.Default()
	dir := t.TempDir()
	if _, err := Export(Config{Catalogue: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"tour/index.html", "tour/lecture9/index.html", "tour/lecture9/1.html", "tour/lecture9/32.html", "tour/lecture9/chart-20.svg", "exercises/lecture9-2.html", "exercises/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	page, err := os.ReadFile(filepath.Join(dir, "tour/lecture9/20.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `src="chart-20.svg"`) || !strings.Contains(string(page), `href="21.html"`) {
		t.Errorf("the step's links are not relative files")
	}
	sheet, _ := os.ReadFile(filepath.Join(dir, "tour/index.html"))
	if !strings.Contains(string(sheet), `href="../exercises/lecture9-2.html"`) {
		t.Errorf("the lecture's worksheet is not linked in the export")
	}
}
