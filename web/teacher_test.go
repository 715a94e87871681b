package web

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"convatlas/archdefs"
)

func TestTeacherFoldersReload(t *testing.T) {
	defs, notes := t.TempDir(), t.TempDir()
	def := func(name string) string {
		return "id: mynet\nname: " + name + "\ninput: {c: 3, h: 32, w: 32}\nmeta: {year: 2026, family: Mine}\nlayers: [{conv: {out: 8, k: 3}}, relu, gap, {fc: 10}]\n"
	}
	write := func(dir, name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(defs, "mynet.yaml", def("First"))
	write(notes, "week1.md", "# Week 1\n\n```arch mynet\n```\n")
	cat, _ := archdefs.Default()
	done := make(chan struct{})
	defer close(done)
	e, err := New(Config{Catalogue: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ArchdefsDir: defs, NotesDir: notes, Done: done})
	if err != nil {
		t.Fatal(err)
	}
	title := func() string { return parse(t, get(t, e, "/a/mynet")).Find("h1").First().Text() }
	if got := title(); got != "First" {
		t.Fatalf("title %q", got)
	}
	if !strings.Contains(get(t, e, "/").Body.String(), "Your definitions") {
		t.Error("the atlas does not show the teacher's family")
	}
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for title() != want {
			if time.Now().After(deadline) {
				t.Fatalf("title still %q, want %q", title(), want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	write(defs, "mynet.yaml", def("Second"))
	waitFor("Second")
	// A broken file keeps the last good version.
	write(defs, "mynet.yaml", "id: mynet\nlayers: [\n")
	time.Sleep(1500 * time.Millisecond)
	if got := title(); got != "Second" {
		t.Errorf("after a broken edit: %q", got)
	}
	rec := get(t, e, "/notes/week1")
	if rec.Code != http.StatusOK || parse(t, rec).Find("svg.diagram").Length() != 1 {
		t.Errorf("notes: %d", rec.Code)
	}
	for _, bad := range []string{"/notes/..%2fmynet", "/notes/.hidden", "/notes/nope"} {
		if rec := get(t, e, bad); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
	if rec := get(t, e, "/notes/"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "week1") {
		t.Errorf("notes list: %d", rec.Code)
	}
}
