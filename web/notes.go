package web

import (
	"bytes"
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

// notesLimits bound the networks defined inside notes, which anyone can write.
var notesLimits = engine.Limits{MaxLayers: 20_000, MaxNesting: 48, MaxChannels: 1 << 16, MaxSpatial: 4096, MaxFeatures: 1 << 20}

// Drawer draws the arch blocks of notes from the catalogue, for the server and for
// `convatlas notes`.
type Drawer struct {
	atlas *atlas
	n     int // diagrams drawn, to keep SVG ids apart
}

// NewDrawer analyses the catalogue for drawing notes.
func NewDrawer(cat *archdefs.Catalogue) (*Drawer, error) {
	a, err := newAtlas(cat, nil)
	if err != nil {
		return nil, err
	}
	return &Drawer{atlas: a}, nil
}

func renderString(c templ.Component) (string, error) {
	var b bytes.Buffer
	err := c.Render(context.Background(), &b)
	return b.String(), err
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
		if r, err = engine.Analyze(a.Model, engine.Options{Limits: notesLimits}); err != nil {
			return "", err
		}
		name = a.Name
	}
	opt := templates.DiagramView{Dir: opts["dir"], Expand: templates.StageList(opts["expand"])}.Options()
	opt.Stage = opts["stage"]
	p, ok := templates.Palettes[orDefault(opts["theme"], "light")]
	if !ok {
		return "", fmt.Errorf("theme is light or dark")
	}
	dg, err := templates.Layout(r, opt)
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
	p := &templates.ArchPage{Arch: e.arch, Report: e.report}
	return renderString(templates.TableView(p, templates.LayerTable(e.report, ""), ""))
}

// Compare is the accuracy-against-operations chart of catalogue networks.
func (d *Drawer) Compare(refs []string) (string, error) {
	items, err := d.atlas.compared(refs)
	if err != nil {
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

// maxNotesQuery bounds notes carried in a URL.
const maxNotesQuery = 16 << 10

func (s *server) notesPage(c echo.Context) error {
	src := c.QueryParam("src")
	if len(src) > maxNotesQuery {
		return echo.NewHTTPError(http.StatusRequestURITooLong, "Notes this long cannot travel in a link; keep them in a file and use convatlas notes.")
	}
	if src == "" {
		src = templates.NotesExample
	}
	preview, err := markdown.Notes([]byte(src), &Drawer{atlas: s.atlas()})
	if err != nil {
		return notesError(err)
	}
	return s.page(c, templates.Shell{Title: "Course notes", Nav: "notes"}, templates.NotesEditor(src, preview))
}

// notesError answers notes that cannot be rendered: too large (413), or nested
// too deeply to render in reasonable time (422).
func notesError(err error) *echo.HTTPError {
	if errors.Is(err, markdown.ErrTooLarge) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, err.Error())
	}
	return echo.NewHTTPError(http.StatusUnprocessableEntity, err.Error())
}

// notesPreview renders posted notes: the live preview of the editor.
func (s *server) notesPreview(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if ct := c.Request().Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") && !strings.HasPrefix(ct, "multipart/form-data") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "post the notes as a form")
	}
	src := c.FormValue("src")
	preview, err := markdown.Notes([]byte(src), &Drawer{atlas: s.atlas()})
	if err != nil {
		// The editor shows why in place of the preview (static/js/atlas.js swaps it in).
		return render(c, notesError(err).Code, echo.MIMETextHTMLCharsetUTF8, templates.NotesPreviewError(err.Error()))
	}
	return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.NotesPreview(preview))
}
