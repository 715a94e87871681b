package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/diagram"
	"convatlas/engine"
	renderer "convatlas/render"
)

// maxCachedDrawing is the largest PNG, PDF or TikZ body kept in the render cache: the
// cache holds 512 entries, so 2 MB each bounds it at 1 GB in the worst case, and every
// catalogue view at 1× or 2× is below it (ResNet-50 top-down at 2× is about 700 KB).
// Larger drawings are made again on each request, within the render limits.
const maxCachedDrawing = 2 << 20

// drawingQuery lists the parameters that change a PNG, PDF or TikZ embed besides the
// view (dir, expand, collapse, present, paths), which diagramView reads.
var drawingQuery = []string{"stage", "theme", "background", "width", "scale"}

// drawing serves /embed/{id}.png, .pdf and .tikz: the embed's diagram drawn by
// render, with the SVG embed's options (stage, expand, collapse, dir, theme) and
// background=transparent; a PNG also takes width= (pixels) or scale= (of the natural size).
func (s *server) drawing(c echo.Context, id, format string) error {
	e, err := s.lookupID(id)
	if err != nil {
		return err
	}
	if c.QueryParam("view") == "volumes" {
		return s.volumesDrawing(c, e, format)
	}
	view, err := diagramView(c, e)
	if err != nil {
		return err
	}
	// The key holds the view in canonical form (diagramView's) and every other
	// parameter that changes the drawing, so that equal drawings share an entry.
	q := url.Values{}
	for _, k := range drawingQuery {
		if v := c.QueryParam(k); v != "" {
			q.Set(k, v)
		}
	}
	key := c.Request().URL.Path + view.Query(nil) + "#" + q.Encode()
	if cached, ok := s.cache.get(key); ok {
		return cached.serve(c, "public, max-age=3600")
	}
	opt := view.Options()
	opt.Stage = c.QueryParam("stage")
	if opt.Stage != "" && !diagram.HasBlock(e.report, opt.Stage) {
		return echo.NewHTTPError(http.StatusBadRequest, e.arch.Name+" has no stage "+opt.Stage)
	}
	st, err := drawingStyle(c)
	if err != nil {
		return err
	}
	size, err := drawingSize(c, format)
	if err != nil {
		return err
	}
	d, err := diagram.LayoutContext(c.Request().Context(), e.report, opt)
	if err != nil {
		return err
	}
	release, err := s.drawSlot(c)
	if err != nil {
		return err
	}
	defer release()
	var body []byte
	var contentType string
	switch format {
	case "png":
		if body, err = renderer.PNG(d, st, size); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, err.Error())
		}
		contentType = "image/png"
	case "pdf":
		if body, err = renderer.PDF(d, st, e.arch.Name+" block diagram"); err != nil {
			return err
		}
		contentType = "application/pdf"
		c.Response().Header().Set("Content-Disposition", `inline; filename="`+e.arch.ID+`.pdf"`)
	case "tikz":
		body = renderer.TikZ(d, st, e.arch.Name+" block diagram")
		contentType = "text/x-tex; charset=utf-8"
	}
	if err := c.Request().Context().Err(); err != nil {
		return err
	}
	if len(body) > maxCachedDrawing {
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		return c.Blob(http.StatusOK, contentType, body)
	}
	return s.cache.put(key, body, contentType).serve(c, "public, max-age=3600")
}

// drawingStyle reads theme= (light or dark) and background= (transparent, or the theme's).
func drawingStyle(c echo.Context) (renderer.Style, error) {
	_, theme, err := themed(c, diagram.Palettes)
	if err != nil {
		return renderer.Style{}, err
	}
	bg := c.QueryParam("background")
	if bg != "" && bg != "transparent" {
		return renderer.Style{}, echo.NewHTTPError(http.StatusBadRequest, "background is transparent, or absent for the theme's background")
	}
	return renderer.NewStyle(theme, bg == "transparent")
}

// drawingSize reads width= or scale=, which only a PNG takes.
func drawingSize(c echo.Context, format string) (renderer.Size, error) {
	var sz renderer.Size
	w, sc := c.QueryParam("width"), c.QueryParam("scale")
	if format != "png" && (w != "" || sc != "") {
		return sz, echo.NewHTTPError(http.StatusBadRequest, "width and scale are for PNG; a "+strings.ToUpper(format)+" is vector")
	}
	if w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n <= 0 {
			return sz, echo.NewHTTPError(http.StatusBadRequest, "width is a number of pixels, 1 to "+strconv.Itoa(renderer.MaxWidth))
		}
		sz.Width = n
	}
	if sc != "" {
		f, err := strconv.ParseFloat(sc, 64)
		if err != nil || f <= 0 || f > renderer.MaxScale {
			return sz, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("scale is a number above 0, at most %g", renderer.MaxScale))
		}
		sz.Scale = f
	}
	if sz.Width > 0 && sz.Scale > 0 {
		return sz, echo.NewHTTPError(http.StatusBadRequest, "give width or scale, not both")
	}
	return sz, nil
}

// previewCard serves /og/{id}.png, the 1200×630 link preview of an architecture: its
// name, key figures and diagram (left-right, stages collapsed), light.
func (s *server) previewCard(c echo.Context) error {
	id, ok := strings.CutSuffix(c.Param("name"), ".png")
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "previews are PNG: /og/{id}.png")
	}
	key := "/og/" + id
	if cached, ok := s.cache.get(key); ok {
		return cached.serve(c, "public, max-age=86400")
	}
	e, err := s.lookupID(id)
	if err != nil {
		return err
	}
	st, _ := renderer.NewStyle("light", false)
	collapsed := map[string]bool{"all": true}
	wide, err := diagram.Layout(e.report, diagram.Options{Dir: "lr", Collapse: collapsed})
	if err != nil {
		return err
	}
	tall, err := diagram.Layout(e.report, diagram.Options{Dir: "tb", Collapse: collapsed})
	if err != nil {
		return err
	}
	footer := "ConvAtlas"
	if r := e.card.Result; r != "" {
		footer += " · " + r
	}
	body, err := renderer.Card([]*diagram.Diagram{wide, tall}, st, e.arch.Name, cardFigures(e), footer)
	if err != nil {
		return err
	}
	return s.cache.put(key, body, "image/png").serve(c, "public, max-age=86400")
}

// cardFigures is the preview's line of key figures.
func cardFigures(e *entry) string {
	t := e.report.Totals
	parts := []string{}
	if e.arch.Meta.Year > 0 {
		parts = append(parts, strconv.Itoa(e.arch.Meta.Year))
	}
	parts = append(parts, diagram.HumanCount(t.Params)+" parameters", diagram.HumanCount(t.MACs)+" MACs",
		strconv.Itoa(t.Depth)+" layers deep")
	return strings.Join(parts, " · ")
}

// figuresText is a page's description for previews when its definition has no summary.
func figuresText(r *engine.Report) string {
	return fmt.Sprintf("%s parameters, %s multiply-adds, depth %d.", engine.Group(r.Totals.Params), engine.Group(r.Totals.MACs), r.Totals.Depth)
}

// drawSlot waits for one of the drawing slots, one per core: a large PNG takes a second
// of CPU and up to renderer.MaxPixels·4 bytes, so others wait their turn within the
// request's budget. The caller releases the slot when its drawing is done.
func (s *server) drawSlot(c echo.Context) (release func(), err error) {
	select {
	case s.drawSlots <- struct{}{}:
		return func() { <-s.drawSlots }, nil
	case <-c.Request().Context().Done():
		return nil, echo.NewHTTPError(http.StatusServiceUnavailable, "too many drawings at once; try again")
	}
}
