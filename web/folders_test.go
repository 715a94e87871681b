package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

// A teacher's folders are read as plain files only: a symbolic link out of the folder
// or to a device, and a definition larger than the loader's limit, are refused by name
// before their bytes are read.
func TestTeacherFoldersReadPlainFilesOnly(t *testing.T) {
	cat, _ := archdefs.Default()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.yaml")
	if err := os.WriteFile(secret, []byte("id: secret\ninput: {c: 3, h: 8, w: 8}\nlayers: [relu]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, c := range []struct {
		name, file, target string
		want               string
	}{
		{"a link out of the folder", "secret.yaml", secret, "secret.yaml is a symbolic link"},
		{"a link to /dev/zero", "zero.yaml", "/dev/zero", "zero.yaml is a symbolic link"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Symlink(c.target, filepath.Join(dir, c.file)); err != nil {
				t.Fatal(err)
			}
			_, err := New(Config{Catalogue: cat, Logger: logs, ArchdefsDir: dir})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("%v, want %q", err, c.want)
			}
		})
	}
	t.Run("a definition over 1 MiB", func(t *testing.T) {
		dir := t.TempDir()
		big := "id: big\ninput: {c: 3, h: 8, w: 8}\nlayers: [relu]\n#" + strings.Repeat("x", archdefs.MaxSourceBytes) + "\n"
		if err := os.WriteFile(filepath.Join(dir, "big.yaml"), []byte(big), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := New(Config{Catalogue: cat, Logger: logs, ArchdefsDir: dir}); err == nil || !strings.Contains(err.Error(), "larger than the limit of 1024 KiB") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("a teacher's network past the cost model", func(t *testing.T) {
		dir := t.TempDir()
		dense := "id: wide\ninput: {c: 3, h: 8, w: 8}\nlayers:\n  - dense: {n: 125000, layer: [{conv: {out: 1, k: 1}}]}\n"
		if err := os.WriteFile(filepath.Join(dir, "wide.yaml"), []byte(dense), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := New(Config{Catalogue: cat, Logger: logs, ArchdefsDir: dir}); err == nil || !strings.Contains(err.Error(), "wide.yaml:4:5") || !strings.Contains(err.Error(), "exceeds the limit of 128") {
			t.Fatalf("%v", err)
		}
	})
	t.Run("notes: a link out of the folder", func(t *testing.T) {
		notes := t.TempDir()
		if err := os.WriteFile(filepath.Join(outside, "private.md"), []byte("# private\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, "private.md"), filepath.Join(notes, "week1.md")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("/dev/zero", filepath.Join(notes, "zero.md")); err != nil {
			t.Fatal(err)
		}
		e := newTestServerWith(t, Config{NotesDir: notes})
		for _, name := range []string{"week1", "zero"} {
			rec := get(t, e, "/notes/"+name)
			if rec.Code != 404 || strings.Contains(rec.Body.String(), "private") || !strings.Contains(rec.Body.String(), "symbolic link") {
				t.Errorf("/notes/%s: %d %.300s", name, rec.Code, rec.Body.String())
			}
		}
	})
}

// The catalogue fits the limits anyone's definitions get, with room: a teacher can
// paste any catalogue network into the playground. The maxima logged are those
// web/limits.go and docs/FORMAT.md give.
func TestCatalogueWithinWebLimits(t *testing.T) {
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	var layers, edges, merge, paths, names int
	for _, a := range cat.Archs {
		r, err := engine.Analyze(a.Model, engine.Options{Limits: playgroundLimits})
		if err != nil {
			t.Errorf("%s: %v", a.ID, err)
			continue
		}
		e, n := 0, 0
		for _, l := range r.Layers {
			e += len(l.Inputs)
			n += len(l.Name)
			merge = max(merge, len(l.Inputs))
		}
		for _, b := range r.Blocks {
			if b.Kind == engine.KindBranch {
				paths = max(paths, len(b.Node.Children))
			}
		}
		layers, edges, names = max(layers, len(r.Layers)), max(edges, e), max(names, n)
	}
	t.Logf("catalogue maxima: %d layers, %d edges, %d inputs to a merge, %d paths to a branch, %d bytes of names", layers, edges, merge, paths, names)
}

// HEAD is answered as GET without a body, by the handler every listener serves.
func TestHeadAnsweredAsGet(t *testing.T) {
	h := answerHEAD(newTestServer(t))
	for _, path := range []string{"/", "/a/resnet50", "/embed/resnet50.svg"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, path, nil))
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") == "" {
			t.Errorf("HEAD %s: %d, %d bytes, %q", path, rec.Code, rec.Body.Len(), rec.Header().Get("Content-Type"))
		}
	}
}
