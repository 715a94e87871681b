package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"convatlas/chart"
	"convatlas/diagram"
	"convatlas/templates"
)

// exportOrigin stands for the site's address while pages are rendered for an export
// without a base URL; every address under it is then made relative to its page.
const exportOrigin = "http://convatlas.invalid"

// Export writes the atlas as a static site into dir that keeps its interactions
// without a server, from a file server or from disk (file://):
//
//   - every architecture page in the views its toolbar links to (expand all,
//     collapse all, left-right, and each stage that starts collapsed expanded), as
//     plain pages, with links made relative;
//   - its layer panels, rendered by the same component the server swaps in, bundled
//     as one script per network (a/{id}/panels.js) that static/js/offline.js loads on
//     the first click, so clicking a box, ← → stepping and permalinks (#layer=conv1)
//     work where no request can be made (browsers refuse XHR on file://);
//   - the compare page for every family of the atlas, the concept pages, the notes
//     page, the embeds (SVG and the iframe page) and the static files;
//   - the tours and their worksheets (checking answers needs the server; offline,
//     each question's worked answer is there to open).
//
// htmx is left out: offline.js takes its place for the panels, presentation mode and
// the PNG download (drawn by the browser from the diagram on screen). Embed code uses
// baseURL when given ("https://course.example.edu/atlas"), else paths relative to the
// page. Links to views that were not exported lead to the nearest one that was.
func Export(cfg Config, dir string) ([]string, error) {
	relative := cfg.BaseURL == ""
	if relative {
		cfg.BaseURL = exportOrigin
	}
	s, e, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	a := s.atlas()
	pages := []string{"/", "/?sort=year", "/?sort=newest", "/compare", "/concepts/", "/notes"}
	for _, c := range templates.ConceptLinks {
		pages = append(pages, "/concepts/"+c.Slug)
	}
	comparisons := map[string]string{} // the ids of an exported comparison, sorted → its file
	for _, f := range a.index.Families {
		if len(f.IDs) > 1 && len(f.IDs) <= maxCompared {
			u := "/compare?ids=" + strings.Join(f.IDs, ",")
			pages = append(pages, u)
			key := slices.Sorted(slices.Values(f.IDs))
			comparisons[strings.Join(key, ",")] = path.Base(fileFor(u))
		}
	}
	expandedPage := map[string]map[string]string{} // id → stage → the page where it is expanded
	for _, en := range a.entries {
		id := en.arch.ID
		pages = append(pages, "/embed/"+id, "/embed/"+id+".svg", "/a/"+id+"?view=table")
		if !relative {
			pages = append(pages, "/og/"+id+".png") // the preview cards the pages name
		}
		for _, q := range exportedViews(en) {
			pages = append(pages, "/a/"+id+q)
		}
		expandedPage[id] = map[string]string{}
		for _, st := range en.report.Stages {
			if diagram.StageReduced(en.report, templates.DiagramView{Dir: "tb"}.Options(), st.Name) {
				expandedPage[id][st.Name] = path.Base(fileFor("/a/" + id + expandedView(en, st.Name)))
			}
		}
		if en.volumes != nil {
			pages = append(pages, "/a/"+id+"?view=volumes", "/embed/"+id+".svg?view=volumes")
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
	x := &exporter{files: files, queries: map[string]string{}, relative: relative}
	for u, f := range files {
		if _, q, ok := strings.Cut(u, "?"); ok {
			x.queries[f] = q
		}
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
			body = x.relink(body, files[p])
			if strings.HasPrefix(p, "/compare") {
				body = listComparisons(body, comparisons)
			}
		}
		if err := write(dir, files[p], body); err != nil {
			return nil, err
		}
	}
	// The panels are most of the work: made on every core.
	errs := make([]error, len(a.entries))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				en := a.entries[i]
				body, err := x.panels(en, expandedPage[en.arch.ID])
				if err == nil {
					err = write(dir, path.Join("a", en.arch.ID, "panels.js"), body)
				}
				errs[i] = err
			}
		})
	}
	for i := range a.entries {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, en := range a.entries {
		files["panels:"+en.arch.ID] = path.Join("a", en.arch.ID, "panels.js")
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
	slices.Sort(out)
	return out, nil
}

// listComparisons tells offline.js which comparisons were exported: the network
// chooser then leads to one of them, or says which there are.
func listComparisons(body []byte, comparisons map[string]string) []byte {
	list, _ := json.Marshal(comparisons)
	attr := ` data-exported="` + html.EscapeString(string(list)) + `"`
	return bytes.Replace(body, []byte(`<form class="chooser"`), []byte(`<form class="chooser"`+attr), 1)
}

// exportedViews are the diagram views of an architecture written as pages: the
// default, collapse all and left-right, and where a stage starts collapsed or with its
// runs of repeated blocks drawn once, expand all and each such stage expanded. Left out, to keep the export small (docs/PERFORMANCE.md):
// views that draw what another does (expand all, where no stage starts collapsed),
// every layer drawn left-right (a strip no screen shows whole), and every layer of the
// networks of over maxExpandedLayers layers at once (their stages expand one by one);
// links to them lead to the nearest view.
func exportedViews(en *entry) []string {
	var collapsed, alone []string
	for _, st := range en.report.Stages {
		if diagram.StageReduced(en.report, templates.DiagramView{Dir: "tb"}.Options(), st.Name) {
			collapsed = append(collapsed, st.Name)
			if q := expandedView(en, st.Name); q != "?expand=all" {
				alone = append(alone, q)
			}
		}
	}
	views := []string{""}
	for _, dir := range []string{"tb", "lr"} {
		v := templates.DiagramView{ID: en.arch.ID, Dir: dir}
		qs := []string{v.Query(nil), v.Query(func(w *templates.DiagramView) { w.Collapse = []string{"all"} })}
		if len(collapsed) > 0 && dir == "tb" && len(en.report.Layers) <= maxExpandedLayers {
			qs = append(qs, v.Query(func(w *templates.DiagramView) { w.Expand = []string{"all"} }))
		}
		for _, q := range qs {
			if !slices.Contains(views, q) {
				views = append(views, q)
			}
		}
	}
	return append(views, alone...)
}

// expandedView is the exported view where a stage that starts collapsed or with its runs
// drawn once is drawn whole: its own page if it starts collapsed, or if the network is
// too large to be drawn whole at once; else, for a stage whose runs are drawn once, the
// page of every block (one page for all such stages, to keep the export small).
func expandedView(en *entry, stage string) string {
	if !diagram.StageCollapsed(en.report, templates.DiagramView{Dir: "tb"}.Options(), stage) && len(en.report.Layers) <= maxExpandedLayers {
		return "?expand=all"
	}
	return "?expand=" + url.QueryEscape(stage)
}

// maxExpandedLayers: ResNet-1202 and PreAct-ResNet-1001 (4,208 and 3,339 layers, 2 MB
// pages drawn whole) are over it; every other network of the catalogue is under 1,000.
const maxExpandedLayers = 1000

// fileFor names the file of an exported URL: /a/vgg16 → a/vgg16/index.html,
// /a/vgg16?view=table → a/vgg16/view-table.html, /embed/vgg16.svg → embed/vgg16.svg,
// /embed/vgg16.svg?view=volumes → embed/vgg16.view-volumes.svg.
func fileFor(u string) string {
	p, q, _ := strings.Cut(u, "?")
	if ext := path.Ext(p); ext == ".svg" || ext == ".png" {
		if q != "" {
			p = strings.TrimSuffix(p, ext) + "." + strings.NewReplacer("=", "-", "&", "-").Replace(q) + ext
		}
		return strings.TrimPrefix(p, "/")
	}
	base := "index.html"
	if q != "" {
		base = strings.NewReplacer("=", "-", "&", "-", ",", "-", "%2C", "-").Replace(q) + ".html"
	}
	return path.Join(strings.TrimPrefix(p, "/"), base)
}

// exporter rewrites the server's pages for the static site.
type exporter struct {
	files    map[string]string // URL → file
	queries  map[string]string // file of a page → the query of its view
	relative bool              // no base URL: addresses under exportOrigin become relative
}

var linkAttr = regexp.MustCompile(`(href|src|action)="(/[^"]*)"`)

// A static site answers no oEmbed request, and without a base URL a preview image has
// no address (OpenGraph wants absolute ones): those tags are left out.
var (
	oEmbedLink  = regexp.MustCompile(`<link rel="alternate" type="application/json\+oembed"[^>]*>`)
	addressTags = regexp.MustCompile(`<meta (property="og:(url|image[:a-z]*)"|name="twitter:image")[^>]*>`)
)
var htmxScript = regexp.MustCompile(`<script src="/static/vendor/htmx\.min\.js[^"]*" defer></script>`)

// embedPage finds the iframe page's address in embed code: a folder, whose index.html
// a browser opens from a file server but not from disk.
var embedPage = regexp.MustCompile(regexp.QuoteMeta(exportOrigin) + `(/embed/[A-Za-z0-9_-]+)(&#34;|\?)`)

// offlineScript is what takes htmx's place in an exported page.
const offlineScript = `<script src="/static/js/offline.js" defer></script>`

// relink makes the links of a page relative to its file, sends links to views that
// were not exported to the nearest that was, and puts offline.js in htmx's place.
func (x *exporter) relink(body []byte, from string) []byte {
	body = htmxScript.ReplaceAll(body, []byte(offlineScript))
	body = oEmbedLink.ReplaceAll(body, nil)
	if x.relative {
		body = addressTags.ReplaceAll(body, nil)
	}
	dir := path.Dir(from)
	body = linkAttr.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := linkAttr.FindSubmatch(m)
		attr, raw := string(sub[1]), string(sub[2])
		target := x.target(strings.ReplaceAll(raw, "&amp;", "&"), from)
		return []byte(attr + `="` + relativeTo(dir, target) + `"`)
	})
	if x.relative {
		// Addresses meant for other sites (embed code, link previews) are relative to
		// this page: the export does not know where it will be put.
		up := relativeTo(dir, ".")
		if up == "." {
			up = ""
		} else {
			up += "/"
		}
		body = embedPage.ReplaceAll(body, []byte(exportOrigin+"${1}/index.html$2"))
		body = bytes.ReplaceAll(body, []byte(exportOrigin+"/"), []byte(up))
		body = bytes.ReplaceAll(body, []byte(url.QueryEscape(exportOrigin+"/")), []byte(url.QueryEscape(up)))
	}
	return body
}

func relativeTo(dir, target string) string {
	frag := ""
	if i := strings.Index(target, "#"); i >= 0 {
		target, frag = target[:i], target[i:]
	}
	rel, err := filepath.Rel(dir, target)
	if err != nil {
		rel = target
	}
	return filepath.ToSlash(rel) + frag
}

// target is the file a link of the server leads to in the export: the file of that
// URL, or for a layer the page of its view with #layer=, or the nearest exported view.
func (x *exporter) target(u, from string) string {
	if uu, err := url.Parse(u); err == nil && strings.HasPrefix(uu.Path, "/static/") {
		u = uu.Path // checksummed asset URLs lose their query
	}
	if f, ok := x.files[u]; ok {
		return f
	}
	p, q, _ := strings.Cut(u, "?")
	if rest, ok := strings.CutPrefix(p, "/a/"); ok {
		id, sub, _ := strings.Cut(rest, "/")
		page := x.nearestView(id, q, x.queries[from])
		if layer, ok := strings.CutPrefix(sub, "layer/"); ok && page != "" {
			if name, err := url.PathUnescape(layer); err == nil {
				return page + "#layer=" + url.QueryEscape(name)
			}
		}
		if page != "" {
			return page
		}
	}
	if strings.HasPrefix(p, "/embed/") {
		if f, ok := x.files[p]; ok {
			return f // an embed in another view: the default one
		}
	}
	if f, ok := x.files[p]; ok {
		return f
	}
	return from
}

// nearestView is the exported page of an architecture closest to the view of query q,
// reached from the page of view cur: the same view, else without its collapsed stages;
// then what the link changes comes first: a link that turns the direction leads to that
// direction's page, one that expands to the page with every stage expanded.
func (x *exporter) nearestView(id, q, cur string) string {
	vals, _ := url.ParseQuery(q)
	now, _ := url.ParseQuery(cur)
	vals.Del("layer")
	vals.Del("present")
	if vals.Get("view") == templates.ModeFull { // every block: what expand=all draws
		vals.Del("view")
		vals.Set("expand", "all")
	}
	try := func(v url.Values) (string, bool) {
		u := "/a/" + id
		if s := v.Encode(); s != "" {
			u += "?" + s
		}
		f, ok := x.files[u]
		return f, ok
	}
	if f, ok := try(vals); ok {
		return f
	}
	for _, drop := range []string{"collapse", "paths"} {
		vals.Del(drop)
		if f, ok := try(vals); ok {
			return f
		}
	}
	dir := url.Values{}
	if d := vals.Get("dir"); d != "" {
		dir.Set("dir", d)
	}
	candidates := []url.Values{dir}
	if vals.Get("expand") != "" {
		all := url.Values{"expand": {"all"}}
		if vals.Get("dir") != now.Get("dir") {
			candidates = append(candidates, all)
		} else {
			candidates = append([]url.Values{all}, candidates...)
		}
	}
	for _, v := range append(candidates, url.Values{}) {
		if f, ok := try(v); ok {
			return f
		}
	}
	return ""
}

// panelBundle is one network's layer panels, with the stage of each layer and the
// page where each collapsed stage is drawn expanded. The receptive-field chart's line,
// the same in every panel, is sent once (Shared) and put back by offline.js in place of
// the empty points="@0" of each panel, which gives the server's HTML exactly.
type panelBundle struct {
	ID       string            `json:"id"`
	Panels   map[string]string `json:"panels"`
	Stages   map[string]string `json:"stages"`
	Expanded map[string]string `json:"expanded"`
	Shared   []string          `json:"shared"`
	// Find is every layer as the layer search lists it, in order, each carrying what a
	// query is matched against: offline.js filters them where the server would answer.
	Find []string `json:"find"`
}

var chartPoints = regexp.MustCompile(`<polyline class="series series-0" points="([^"]*)"`)

// panels writes a network's bundle as a script: the JSON gzipped and in base64, which
// offline.js inflates with the browser's DecompressionStream (the panels of ResNet-1202
// are 40 MB as HTML, 2 MB so).
func (x *exporter) panels(en *entry, expanded map[string]string) ([]byte, error) {
	r := en.report
	id := en.arch.ID
	b := panelBundle{ID: id, Panels: make(map[string]string, len(r.Layers)), Stages: map[string]string{}, Expanded: expanded}
	chart := templates.RFChart(r)
	var buf bytes.Buffer
	if len(r.Layers) > 0 {
		// The chart's line as the server writes it.
		if err := templates.Panel(templates.NewLayerPanelOn(id, r, 0, "", chart)).Render(context.Background(), &buf); err != nil {
			return nil, err
		}
		if m := chartPoints.FindSubmatch(buf.Bytes()); m != nil {
			b.Shared = []string{string(m[1])}
		}
	}
	// Links of a panel lead to layers of its network: the page's own #layer=.
	links := strings.NewReplacer(`href="/a/`+id+`/layer/`, `href="index.html#layer=`, `href="/a/`+id+`"`, `href="index.html"`)
	for i := range r.Layers {
		buf.Reset()
		p := templates.NewLayerPanelOn(id, r, i, "", chart)
		stripLine(p.Chart)
		if err := templates.Panel(p).Render(context.Background(), &buf); err != nil {
			return nil, err
		}
		html := links.Replace(buf.String())
		if b.Shared != nil {
			html = strings.Replace(html, `<polyline class="series series-0" points=""`, `<polyline class="series series-0" points="@0"`, 1)
		}
		b.Panels[r.Layers[i].Name] = html
		l := &r.Layers[i]
		hit := templates.LayerHit{Name: l.Name, Label: diagram.Label(l), Kind: diagram.Kind(l.Op), Shape: l.Out.String()}
		buf.Reset()
		if err := templates.LayerHitItem(id, hit, templates.SearchText(l.Name, l.Op, hit.Label, hit.Shape)).Render(context.Background(), &buf); err != nil {
			return nil, err
		}
		b.Find = append(b.Find, links.Replace(buf.String()))
		if st := r.Layers[i].Stage; st != "" {
			b.Stages[r.Layers[i].Name] = st
		}
	}
	data, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	out := []byte("(window.ConvAtlasPanels = window.ConvAtlasPanels || {})[" + strconv.Quote(id) + "] = \"")
	out = base64.StdEncoding.AppendEncode(out, gz.Bytes())
	return append(out, "\";\n"...), nil
}

// stripLine empties the marked copy's line, which the bundle sends once.
func stripLine(c *chart.LineChart) {
	if c == nil || len(c.Series) == 0 {
		return
	}
	c.Series = slices.Clone(c.Series)
	c.Series[0].Points = nil
}

func write(dir, name string, body []byte) error {
	full := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return os.WriteFile(full, body, 0o644)
}
