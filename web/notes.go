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
	"convatlas/chart"
	"convatlas/engine"
	"convatlas/markdown"
	"convatlas/templates"
)

// Drawer draws the arch blocks of notes from the catalogue, for the server and for
// `convatlas notes`.
type Drawer struct {
	atlas *atlas              // the server's analysed catalogue; nil until needed offline
	cat   *archdefs.Catalogue // offline: the catalogue, analysed network by network
	drawn map[string]*entry   // offline: the networks analysed so far
	seen  map[string]int      // ids drawn so far, to keep a diagram drawn twice apart
	// Offline notes (a file, not a page of the server) link to the atlas at BaseURL,
	// or not at all when it is empty.
	Offline bool
	BaseURL string
	ctx     context.Context // the request's; nil for the command line
	layers  int             // layers drawn so far, against maxNotesLayers
}

// NewDrawer draws the notes of a file (read offline) from the catalogue (nil: the
// embedded one, each network read when it is named). It analyses
// only the networks the notes name, when they name them: a command drawing one block
// for a build tool starts in milliseconds rather than analysing the whole catalogue.
func NewDrawer(cat *archdefs.Catalogue) (*Drawer, error) {
	return &Drawer{cat: cat, drawn: map[string]*entry{}, Offline: true}, nil
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
	if d.layers+layers > maxNotesLayers {
		return &markdown.BlockLimitError{Field: "arch blocks", Reason: fmt.Sprintf("the arch blocks of one document draw at most %s layers together; this block would bring them to %s", engine.Group(maxNotesLayers), engine.Group(int64(d.layers+layers)))}
	}
	d.layers += layers
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

// Table is a catalogue network's layer table.
func (d *Drawer) Table(ref string) (string, error) {
	e, err := d.get(ref)
	if err != nil {
		return "", err
	}
	if err := d.spend(len(e.report.Layers)); err != nil {
		return "", err
	}
	p := &templates.ArchPage{Arch: e.arch, Report: e.report}
	html, err := renderString(templates.TableView(p, templates.LayerTable(e.report, ""), ""))
	return d.linked(html), err
}

// Compare is the accuracy-against-operations chart of catalogue networks.
func (d *Drawer) Compare(refs []string) (string, error) {
	if len(refs) > maxCompared {
		return "", fmt.Errorf("compare at most %d networks at once", maxCompared)
	}
	a, err := d.whole()
	if err != nil {
		return "", err
	}
	items, err := a.compared(refs)
	if err != nil {
		return "", err
	}
	if err := d.spend(len(items)); err != nil {
		return "", err
	}
	return renderString(templates.ChartSVG(accuracyChart(items, strings.Join(refs, ",")), chart.ChartInks["light"]))
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

// notesDownload answers the editor's Download button: the notes as one self-contained
// HTML file, as `convatlas notes` writes it, its links to the atlas pointing here.
func (s *server) notesDownload(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if ct := c.Request().Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "post the notes as a form")
	}
	d := &Drawer{atlas: s.atlas(), Offline: true, BaseURL: c.Scheme() + "://" + c.Request().Host}
	file, err := NotesFile("Course notes", []byte(c.FormValue("src")), d)
	if err != nil {
		return notesError(err)
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="notes.html"`)
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, file)
}
