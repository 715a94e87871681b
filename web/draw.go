package web

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"

	"convatlas/archdefs"
	"convatlas/diagram"
	"convatlas/engine"
	"convatlas/markdown"
	"convatlas/static"
	"convatlas/templates"
)

// Diagram draws a catalogue network, or the one a block defines, as a standalone SVG
// whose ids are unique on the page.
func (d *Drawer) Diagram(ref string, opts map[string]string, body []byte) (string, error) {
	doc, err := d.SVG(ref, opts, body)
	if err != nil {
		return "", err
	}
	if !d.Offline {
		// A page of the atlas themes and sizes its diagrams with its own stylesheet; its
		// CSP refuses inline styles.
		doc.Style, doc.Fluid = "", false
	}
	if d.seen == nil {
		d.seen = map[string]int{}
	}
	// The same diagram twice on one page: the second gets ids of its own.
	if d.seen[doc.ID]++; d.seen[doc.ID] > 1 {
		doc.ID = fmt.Sprintf("%s-%d", doc.ID, d.seen[doc.ID])
	}
	return renderString(templates.StandaloneSVG(doc))
}

// SVG lays out what an arch block, an embed, the API or the command line asks for:
// a catalogue network (ref), or the network defined by body when ref is empty.
func (d *Drawer) SVG(ref string, opts map[string]string, body []byte) (*templates.SVGDoc, error) {
	o, err := templates.ParseSVGOptions(opts)
	if err != nil {
		return nil, err
	}
	var r *engine.Report
	var name, seed string
	if ref != "" {
		e, err := d.get(ref)
		if err != nil {
			return nil, err
		}
		r, name, seed = e.report, e.arch.Name, "id:"+ref
	} else {
		a, err := archdefs.Parse("arch block", body)
		if err != nil {
			return nil, err
		}
		if r, err = engine.AnalyzeContext(d.context(), a.Model, engine.Options{Limits: notesLimits}); err != nil {
			return nil, err
		}
		name, seed = a.Name, "definition:"+string(body)
	}
	if err := d.spend(len(r.Layers)); err != nil {
		return nil, err
	}
	return DrawReport(d.context(), r, name, seed, o)
}

// get finds a catalogue network, analysing it first when the drawer works offline.
func (d *Drawer) get(id string) (*entry, error) {
	if d.atlas != nil {
		return d.atlas.get(id)
	}
	if e, ok := d.drawn[id]; ok {
		return e, nil
	}
	var arch *archdefs.Arch
	if d.cat == nil {
		arch, _ = archdefs.Lookup(id) // the embedded catalogue, one file read
	}
	for _, a := range catalogueArchs(d.cat) {
		if a.ID == id {
			arch = a
		}
	}
	if arch == nil {
		return nil, fmt.Errorf("There is no architecture %q in the atlas.", id)
	}
	r, err := engine.Analyze(arch.Model, engine.Options{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", id, err)
	}
	d.drawn[id] = &entry{arch: arch, report: r}
	return d.drawn[id], nil
}

func catalogueArchs(cat *archdefs.Catalogue) []*archdefs.Arch {
	if cat == nil {
		return nil
	}
	return cat.Archs
}

// whole is the analysed catalogue, for what compares networks.
func (d *Drawer) whole() (*atlas, error) {
	if d.atlas == nil {
		cat := d.cat
		if cat == nil {
			var err error
			if cat, err = archdefs.Default(); err != nil {
				return nil, err
			}
		}
		a, err := newAtlas(cat, nil)
		if err != nil {
			return nil, err
		}
		d.atlas = a
	}
	return d.atlas, nil
}

// DrawReport lays out an analysed network as o asks; stage= names a stage or one
// block of it (conv2_x.1).
func DrawReport(ctx context.Context, r *engine.Report, name, seed string, o templates.SVGOptions) (*templates.SVGDoc, error) {
	if o.Stage != "" && !diagram.HasBlock(r, o.Stage) {
		return nil, fmt.Errorf("%s has no stage or block %q (its stages: %s)", name, o.Stage, stageNames(r))
	}
	return templates.NewSVGDoc(ctx, r, name, seed, o)
}

func stageNames(r *engine.Report) string {
	names := make([]string, len(r.Stages))
	for i, s := range r.Stages {
		names[i] = s.Name
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// atlasLink is a link of a drawn table to a page of the atlas: /a/vgg16/layer/conv1.
var atlasLink = regexp.MustCompile(`<a href="(/[^"]*)"([^>]*)>([^<]*)</a>`)

// sortLinks are a drawn table's links to its other orders.
var sortLinks = regexp.MustCompile(`<span class="sort">(?:[^<]|<a [^>]*>[^<]*</a>)*</span>`)

// linked points the atlas links of drawn HTML where the notes will be read: on the
// server they stay as they are; in a file they are made absolute to BaseURL, or left
// out (their text kept) when there is no atlas to link to.
func (d *Drawer) linked(html string) string {
	switch {
	case !d.Offline:
		return html
	case d.BaseURL == "":
		// A table's sort links lead nowhere in a file: the choice goes with them.
		return atlasLink.ReplaceAllString(sortLinks.ReplaceAllString(html, ""), "$3")
	}
	base := strings.TrimSuffix(d.BaseURL, "/")
	return atlasLink.ReplaceAllStringFunc(html, func(a string) string {
		return strings.Replace(a, `href="/`, `href="`+base+`/`, 1)
	})
}

// NotesFile renders notes as one self-contained HTML file: the stylesheets inline,
// the diagrams inline, no script, no request to anywhere (links to the atlas aside,
// when d has a BaseURL).
func NotesFile(title string, src []byte, d *Drawer) ([]byte, error) {
	body, err := markdown.Notes(src, d)
	if err != nil {
		return nil, err
	}
	var css strings.Builder
	for _, name := range []string{"css/site.css", "css/code.css"} {
		b, err := static.Files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		css.Write(b)
	}
	var out bytes.Buffer
	if err := templates.NotesDocument(title, css.String(), body).Render(context.Background(), &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
