package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/templates"
)

// embed serves /embed/{id}.svg, a standalone SVG for any web page or slide, and
// /embed/{id}, a page to put in an iframe.
func (s *server) embed(c echo.Context) error {
	name := c.Param("name")
	id, isSVG := strings.CutSuffix(name, ".svg")
	e, err := s.lookupID(id)
	if err != nil {
		return err
	}
	view, err := diagramView(c, e)
	if err != nil {
		return err
	}
	palette, theme, err := themed(c, templates.Palettes)
	if err != nil {
		return err
	}
	opt := view.Options()
	opt.Stage = c.QueryParam("stage")
	if opt.Stage != "" && !hasStage(e, opt.Stage) {
		return echo.NewHTTPError(http.StatusBadRequest, e.arch.Name+" has no stage "+opt.Stage)
	}
	key := embedKey(c.Request().URL.Path, view, opt.Stage, theme)
	if cached, ok := s.cache.get(key); ok && isSVG {
		return cached.serve(c, "public, max-age=3600")
	}
	d, err := templates.LayoutContext(c.Request().Context(), e.report, opt)
	if err != nil {
		return err
	}
	if !isSVG {
		return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.EmbedPage(e.arch.Name, s.assets.urls(), d, palette, theme))
	}
	a := newAnswer(c.Request().Context())
	defer a.done()
	a.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := templates.DiagramSVG(d, "d", e.arch.Name, palette, nil).Render(c.Request().Context(), a); err != nil {
		return err
	}
	// The cache keeps its own copy: the answer's buffer goes back to the pool.
	return s.cache.put(key, bytes.Clone(a.buf.Bytes()), "image/svg+xml").serve(c, "public, max-age=3600")
}

func hasStage(e *entry, name string) bool {
	for _, st := range e.report.Stages {
		if st.Name == name {
			return true
		}
	}
	return false
}

// embedKey is the cache key of an embed: its path and every parameter that changes
// the drawing, in canonical form (diagramView's), so that equal views share an entry
// and no parameter is left out (present and paths change the drawing too).
func embedKey(path string, view templates.DiagramView, stage, theme string) string {
	q := url.Values{}
	q.Set("stage", stage)
	q.Set("theme", theme)
	return path + view.Query(nil) + "#" + q.Encode()
}

// themed reads ?theme= (light when absent) and picks that theme's colours from byTheme:
// a diagram's palette or a chart's ink.
func themed[T any](c echo.Context, byTheme map[string]T) (T, string, error) {
	theme := c.QueryParam("theme")
	if theme == "" {
		theme = "light"
	}
	colours, ok := byTheme[theme]
	if !ok {
		return colours, "", echo.NewHTTPError(http.StatusBadRequest, "theme is light or dark")
	}
	return colours, theme, nil
}
