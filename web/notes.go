package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"convatlas/archdefs"
	"convatlas/engine"
	"convatlas/markdown"
	"convatlas/templates"
)

// Drawer draws the arch blocks of notes from the catalogue, for the server and for
// `convatlas notes`.
type Drawer struct {
	atlas *atlas
	n     int             // diagrams drawn, to keep SVG ids apart
	ctx   context.Context // the request's; nil for the command line
	drawn int             // layers drawn so far, against maxNotesLayers
}

// NewDrawer analyses the catalogue for drawing notes.
func NewDrawer(cat *archdefs.Catalogue) (*Drawer, error) {
	a, err := newAtlas(cat, nil)
	if err != nil {
		return nil, err
	}
	return &Drawer{atlas: a}, nil
}

func (d *Drawer) context() context.Context {
	if d.ctx == nil {
		return context.Background()
	}
	return d.ctx
}

// spend accounts for a block that draws layers (a table row or a box each) before it
// is drawn, refusing the document once its blocks would draw more than
// maxNotesLayers together, and stopping once the request's budget is spent.
func (d *Drawer) spend(layers int) error {
	if err := d.context().Err(); err != nil {
		return err
	}
	if d.drawn+layers > maxNotesLayers {
		return &markdown.BlockLimitError{Field: "arch blocks", Reason: fmt.Sprintf("the arch blocks of one document draw at most %s layers together; this block would bring them to %s", engine.Group(maxNotesLayers), engine.Group(int64(d.drawn+layers)))}
	}
	d.drawn += layers
	return nil
}

// renderString renders a block's markup, bounded as every answer is; the request's
// context is looked at before each block (spend) and by the layout.
func renderString(c templ.Component) (string, error) {
	a := newAnswer(context.Background())
	defer a.done()
	err := c.Render(context.Background(), a)
	return a.buf.String(), err
}

// Diagram draws a catalogue network, or the one a block defines.
func (d *Drawer) Diagram(ref string, opts map[string]string, body []byte) (string, error) {
	var r *engine.Report
	name := ref
	if ref != "" {
		e, err := d.atlas.get(ref)
		if err != nil {
			return "", err
		}
		r, name = e.report, e.arch.Name
	} else {
		a, err := archdefs.Parse("arch block", body)
		if err != nil {
			return "", err
		}
		if r, err = engine.AnalyzeContext(d.context(), a.Model, engine.Options{Limits: notesLimits}); err != nil {
			return "", err
		}
		name = a.Name
	}
	if err := d.spend(len(r.Layers)); err != nil {
		return "", err
	}
	opt := templates.DiagramView{Dir: opts["dir"], Expand: templates.StageList(opts["expand"])}.Options()
	opt.Stage = opts["stage"]
	p, ok := templates.Palettes[orDefault(opts["theme"], "light")]
	if !ok {
		return "", fmt.Errorf("theme is light or dark")
	}
	dg, err := templates.LayoutContext(d.context(), r, opt)
	if err != nil {
		return "", err
	}
	d.n++
	return renderString(templates.DiagramSVG(dg, fmt.Sprintf("n%d", d.n), name+" block diagram", p, nil))
}

// Table is a catalogue network's layer table.
func (d *Drawer) Table(ref string) (string, error) {
	e, err := d.atlas.get(ref)
	if err != nil {
		return "", err
	}
	if err := d.spend(len(e.report.Layers)); err != nil {
		return "", err
	}
	p := &templates.ArchPage{Arch: e.arch, Report: e.report}
	return renderString(templates.TableView(p, templates.LayerTable(e.report, ""), ""))
}

// Compare is the accuracy-against-operations chart of catalogue networks.
func (d *Drawer) Compare(refs []string) (string, error) {
	if len(refs) > maxCompared {
		return "", fmt.Errorf("compare at most %d networks at once", maxCompared)
	}
	items, err := d.atlas.compared(refs)
	if err != nil {
		return "", err
	}
	if err := d.spend(len(items)); err != nil {
		return "", err
	}
	return renderString(templates.ChartSVG(accuracyChart(items, strings.Join(refs, ",")), templates.ChartInks["light"]))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (s *server) notesPage(c echo.Context) error {
	src := c.QueryParam("src")
	if len(src) > maxNotesQuery {
		return echo.NewHTTPError(http.StatusRequestURITooLong, "Notes this long cannot travel in a link; keep them in a file and use convatlas notes.")
	}
	if src == "" {
		src = templates.NotesExample
	}
	preview, err := markdown.Notes([]byte(src), &Drawer{atlas: s.atlas(), ctx: c.Request().Context()})
	if err != nil {
		return notesError(err)
	}
	return s.page(c, templates.Shell{Title: "Course notes", Nav: "notes"}, templates.NotesEditor(src, preview))
}

// notesError answers notes that cannot be rendered: too large (413), nested too
// deeply to render in reasonable time or drawing more than their limits (422), or
// past the request's budget (503).
func notesError(err error) *echo.HTTPError {
	switch {
	case errors.Is(err, markdown.ErrTooLarge):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, err.Error())
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return echo.NewHTTPError(http.StatusServiceUnavailable, err.Error()).SetInternal(err)
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	return echo.NewHTTPError(http.StatusUnprocessableEntity, err.Error())
}

// notesPreview renders posted notes: the live preview of the editor.
func (s *server) notesPreview(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if ct := strings.ToLower(c.Request().Header.Get("Content-Type")); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "post the notes as a form")
	}
	src := c.FormValue("src")
	preview, err := markdown.Notes([]byte(src), &Drawer{atlas: s.atlas(), ctx: c.Request().Context()})
	if err != nil {
		// The editor shows why in place of the preview (static/js/atlas.js swaps it in).
		return render(c, notesError(err).Code, echo.MIMETextHTMLCharsetUTF8, templates.NotesPreviewError(err.Error()))
	}
	return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.NotesPreview(preview))
}
