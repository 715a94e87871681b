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
	for _, format := range []string{"png", "pdf", "tikz"} {
		if id, ok := strings.CutSuffix(name, "."+format); ok {
			return s.drawing(c, id, format)
		}
	}
	id, isSVG := strings.CutSuffix(name, ".svg")
	key := c.Request().URL.Path + "?" + canonicalQuery(c)
	if cached, ok := s.cache.get(key); ok && isSVG {
		return cached.serve(c, "public, max-age=3600")
	}
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
	d, err := templates.Layout(e.report, opt)
	if err != nil {
		return err
	}
	if !isSVG {
		return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.EmbedPage(e.arch.Name, s.assets.urls(), d, palette, theme))
	}
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := templates.DiagramSVG(d, "d", e.arch.Name, palette, nil).Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return s.cache.put(key, buf.Bytes(), "image/svg+xml").serve(c, "public, max-age=3600")
}

func hasStage(e *entry, name string) bool {
	for _, st := range e.report.Stages {
		if st.Name == name {
			return true
		}
	}
	return false
}

// canonicalQuery writes the parameters that change an embed, sorted, so that equal
// views share a cache entry.
func canonicalQuery(c echo.Context) string {
	q := url.Values{}
	for _, k := range []string{"dir", "expand", "collapse", "stage", "theme"} {
		if v := c.QueryParam(k); v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode() // sorted by key
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
