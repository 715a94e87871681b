package web

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"convatlas/archdefs"
)

// The exported site has no broken link: every relative href and src names a file.
func TestExportHasNoBrokenLink(t *testing.T) {
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	start := time.Now()
	files, err := Export(Config{Catalogue: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("exported %d files in %v", len(files), time.Since(start))
	checked := 0
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := html.Parse(f)
		if err != nil {
			return err
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			for _, a := range n.Attr {
				if a.Key != "href" && a.Key != "src" && a.Key != "action" {
					continue
				}
				v := a.Val
				switch {
				case strings.HasPrefix(v, "http://"), strings.HasPrefix(v, "https://"), strings.HasPrefix(v, "mailto:"), strings.HasPrefix(v, "#"), strings.HasPrefix(v, "data:"):
					continue
				case strings.HasPrefix(v, "/"):
					t.Errorf("%s: absolute link %q", p, v)
					continue
				}
				target := filepath.Join(filepath.Dir(p), strings.SplitN(strings.SplitN(v, "#", 2)[0], "?", 2)[0])
				if st, err := os.Stat(target); err != nil || st.IsDir() {
					t.Errorf("%s: broken link %q", p, v)
				}
				checked++
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 1000 {
		t.Errorf("only %d links checked", checked)
	}
	idx, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if strings.Contains(string(idx), "htmx.min.js") {
		t.Error("the exported pages still load htmx")
	}
}
