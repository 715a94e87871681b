package web

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"convatlas/archdefs"
)

// TestExportOffline exports the atlas once and checks what the static site needs to
// keep its interactions.
func TestExportOffline(t *testing.T) {
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Export(Config{Catalogue: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, dir); err != nil {
		t.Fatal(err)
	}
	t.Run("panels are the server's", func(t *testing.T) { exportedPanelsAreTheServers(t, dir) })
	t.Run("views and links", func(t *testing.T) { exportedViewsAndLinks(t, dir) })
}

func readBundle(t *testing.T, dir, id string) panelBundle {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "a", id, "panels.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^\(window\.ConvAtlasPanels = window\.ConvAtlasPanels \|\| \{\}\)\["` + id + `"\] = "([A-Za-z0-9+/=]+)";\n$`).FindSubmatch(src)
	if m == nil {
		t.Fatalf("%s/panels.js is not one assignment of base64: %.100s", id, src)
	}
	packed, err := base64.StdEncoding.DecodeString(string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	r, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		t.Fatal(err)
	}
	var b panelBundle
	if err := json.NewDecoder(r).Decode(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

// The export's panels are the server's: what offline.js puts in the page (the shared
// line put back) is the htmx fragment the server answers, with its links made the
// page's own #layer= links. (The layers are drawn in the default view: the server's
// panel of a layer its stage hides carries the stage's expansion, which the export
// finds in its bundle's Expanded instead.)
func exportedPanelsAreTheServers(t *testing.T, dir string) {
	e := newTestServer(t)
	for _, c := range []struct{ id, layer string }{{"alexnet", "conv1"}, {"alexnet", "prob"}, {"resnet50", "conv3_x.1.conv2"}, {"googlenet", "inception_3.inception_3a.concat"}} {
		b := readBundle(t, dir, c.id)
		html, ok := b.Panels[c.layer]
		if !ok {
			t.Fatalf("%s: no panel for %s", c.id, c.layer)
		}
		html = strings.ReplaceAll(html, `points="@0"`, `points="`+b.Shared[0]+`"`)
		server := get(t, e, "/a/"+c.id+"/layer/"+c.layer, "HX-Request", "true").Body.String()
		server = strings.NewReplacer(`href="/a/`+c.id+`/layer/`, `href="index.html#layer=`, `href="/a/`+c.id+`"`, `href="index.html"`).Replace(server)
		if html != server {
			t.Errorf("%s %s: the exported panel differs from the server's\nexport: %.300s\nserver: %.300s", c.id, c.layer, html, server)
		}
	}
	if b := readBundle(t, dir, "alexnet"); !strings.Contains(b.Panels["conv1"], "34,944") {
		t.Error("AlexNet's CONV1 panel does not show 34,944 parameters")
	}
	// A stage drawn once per run is drawn whole on the page of every block; in a network
	// too large for that page, on a page of its own.
	b := readBundle(t, dir, "resnet152")
	if b.Stages["conv4_x.1.conv1"] != "conv4_x" || b.Expanded["conv4_x"] != "expand-all.html" {
		t.Errorf("ResNet-152's bundle: stage %q, expanded on %q", b.Stages["conv4_x.1.conv1"], b.Expanded["conv4_x"])
	}
	if b := readBundle(t, dir, "resnet1202"); b.Expanded["stage2"] != "expand-stage2.html" {
		t.Errorf("ResNet-1202's stage2 is expanded on %q", b.Expanded["stage2"])
	}
}

// Links lead to the exported view nearest to what they change, and no page loads htmx
// or names an address of the server.
func exportedViewsAndLinks(t *testing.T, dir string) {
	page := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	action := func(html, name string) string {
		m := regexp.MustCompile(`<a href="([^"]*)"[^>]*data-action="` + name + `"`).FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("no %s link", name)
		}
		return m[1]
	}
	for _, c := range []struct{ page, action, want string }{
		{"a/resnet152/index.html", "expand-all", "expand-all.html"},
		{"a/resnet152/expand-all.html", "direction", "dir-lr.html"},
		{"a/resnet152/dir-lr.html", "expand-all", "expand-all.html"},
		{"a/resnet152/index.html", "collapse-all", "collapse-all.html"},
		{"a/alexnet/index.html", "expand-all", "index.html"}, // nothing starts collapsed
		{"a/resnet1202/index.html", "expand-all", "index.html"},
	} {
		if got := action(page(c.page), c.action); got != c.want {
			t.Errorf("%s: %s leads to %q, want %q", c.page, c.action, got, c.want)
		}
	}
	alex := page("a/alexnet/index.html")
	if !strings.Contains(alex, `href="index.html#layer=conv1"`) {
		t.Error("AlexNet's CONV1 box does not link to its panel")
	}
	for _, want := range []string{`<script src="../../static/js/offline.js" defer></script>`, `src=&#34;../../embed/alexnet.svg&#34;`, `src=&#34;../../embed/alexnet/index.html&#34;`} {
		if !strings.Contains(alex, want) {
			t.Errorf("AlexNet's page has no %s", want)
		}
	}
	for _, bad := range []string{"htmx.min.js", exportOrigin, "example.com", "json+oembed", `property="og:image"`} {
		if strings.Contains(alex, bad) {
			t.Errorf("AlexNet's page still names %s", bad)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "compare", "ids-vgg11-vgg11_bn-vgg13-vgg13_bn-vgg16-vgg16_bn-vgg19-vgg19_bn.html")); err != nil {
		t.Errorf("no comparison of the ResNet family: %v", err)
	}
}
