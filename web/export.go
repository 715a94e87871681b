package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"convatlas/templates"
)

// Export writes the atlas as a static site into dir: every architecture page (diagram,
// layer table, tensor volumes), the embeds, the compare and concept pages, the tours
// and their worksheets (checking answers needs the server; offline, each question's
// worked answer is there to open), and the static files, with links made relative so that it works from a file server or a USB
// stick. Links to views that are not exported (a selected layer, an expanded stage)
// lead to the page they belong to; htmx is left out, so every link is a plain page.
func Export(cfg Config, dir string) ([]string, error) {
	s, e, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	a := s.atlas()
	pages := []string{"/", "/?sort=year", "/?sort=newest", "/compare", "/concepts/", "/notes"}
	for _, c := range templates.ConceptLinks {
		pages = append(pages, "/concepts/"+c.Slug)
	}
	for _, en := range a.entries {
		id := en.arch.ID
		pages = append(pages, "/a/"+id, "/a/"+id+"?view=table", "/embed/"+id, "/embed/"+id+".svg")
		if en.volumes != nil {
			pages = append(pages, "/a/"+id+"?view=volumes")
		}
	}
	files := map[string]string{} // URL → file, relative to dir
	for _, p := range pages {
		files[p] = fileFor(p)
	}
	tourPages, tourFiles := s.tourExport()
	pages = append(pages, tourPages...)
	for u, f := range tourFiles {
		files[u] = f
	}
	for name := range s.assets.files {
		files["/static/"+name] = filepath.ToSlash(filepath.Join("static", name))
	}
	for _, p := range pages {
		req := httptest.NewRequest(http.MethodGet, p, nil)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return nil, fmt.Errorf("%s: HTTP %d", p, rec.Code)
		}
		body := rec.Body.Bytes()
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			body = relink(body, files[p], files)
		}
		if err := write(dir, files[p], body); err != nil {
			return nil, err
		}
	}
	for name, asset := range s.assets.files {
		if err := write(dir, files["/static/"+name], asset.body); err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(files))
	for _, f := range files {
		out = append(out, f)
	}
	return out, nil
}

// fileFor names the file of an exported URL: /a/vgg16 → a/vgg16/index.html,
// /a/vgg16?view=table → a/vgg16/view-table.html, /embed/vgg16.svg → embed/vgg16.svg.
func fileFor(u string) string {
	p, q, _ := strings.Cut(u, "?")
	if strings.HasSuffix(p, ".svg") {
		return strings.TrimPrefix(p, "/")
	}
	base := "index.html"
	if q != "" {
		base = strings.NewReplacer("=", "-", "&", "-", ",", "-").Replace(q) + ".html"
	}
	return path.Join(strings.TrimPrefix(p, "/"), base)
}

var linkAttr = regexp.MustCompile(`(href|src|action)="(/[^"]*)"`)
var htmxScript = regexp.MustCompile(`<script src="/static/vendor/htmx\.min\.js[^"]*" defer></script>`)

// relink makes the links of a page relative to its file, sends links to views that
// were not exported to their page, and drops htmx.
func relink(body []byte, from string, files map[string]string) []byte {
	body = htmxScript.ReplaceAll(body, nil)
	dir := path.Dir(from)
	return linkAttr.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := linkAttr.FindSubmatch(m)
		attr, raw := string(sub[1]), string(sub[2])
		u := strings.ReplaceAll(raw, "&amp;", "&")
		if uu, err := url.Parse(u); err == nil && strings.HasPrefix(uu.Path, "/static/") {
			u = uu.Path // checksummed asset URLs lose their query
		}
		target, ok := files[u]
		if !ok {
			p, _, _ := strings.Cut(u, "?")
			p = strings.TrimSuffix(p, "/diagram")
			if i := strings.Index(p, "/layer/"); i > 0 {
				p = p[:i]
			}
			if target, ok = files[p]; !ok {
				target = from
			}
		}
		rel, err := filepath.Rel(dir, target)
		if err != nil {
			rel = target
		}
		return []byte(attr + `="` + filepath.ToSlash(rel) + `"`)
	})
}

func write(dir, name string, body []byte) error {
	full := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return os.WriteFile(full, body, 0o644)
}
