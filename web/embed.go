package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/diagram"
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
	if id, isSVG := strings.CutSuffix(name, ".svg"); isSVG {
		return s.embedSVG(c, id)
	}
	e, err := s.lookupID(name)
	if err != nil {
		return err
	}
	if c.QueryParam("view") == "volumes" {
		return s.embedVolumesPage(c, e)
	}
	view, err := diagramView(c, e)
	if err != nil {
		return err
	}
	palette, theme := diagram.Palettes["light"], "auto" // auto: the page follows the reader's scheme
	if c.QueryParam("theme") != "auto" {
		if palette, theme, err = themed(c, diagram.Palettes); err != nil {
			return err
		}
	}
	opt := view.Options()
	opt.Stage = c.QueryParam("stage")
	if opt.Stage != "" && !diagram.HasBlock(e.report, opt.Stage) {
		return echo.NewHTTPError(http.StatusBadRequest, e.arch.Name+" has no stage or block "+opt.Stage)
	}
	d, err := diagram.LayoutContext(c.Request().Context(), e.report, opt)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.EmbedPage(e.arch.Name, s.assets.urls(), d, palette, theme))
}

// embedSVG answers /embed/{id}.svg with the options of an arch block; a failure is
// answered as an SVG that says what went wrong, so that an <img> in notes or on a
// slide shows the reason instead of a broken-image icon.
func (s *server) embedSVG(c echo.Context, id string) error {
	e, err := s.lookupID(id)
	if err != nil {
		return svgError(c, err)
	}
	view, err := diagramView(c, e) // the stage names of expand= and collapse=, canonical
	if err != nil {
		return svgError(c, err)
	}
	opts := embedOptions(c, view)
	key := embedKey(c.Request().URL.Path, opts)
	if cached, ok := s.cache.get(key); ok {
		allowOwnStyle(c, cached.body)
		return cached.serve(c, "public, max-age=3600")
	}
	o, err := templates.ParseSVGOptions(opts)
	if err != nil {
		return svgError(c, echo.NewHTTPError(http.StatusBadRequest, err.Error()))
	}
	doc, err := DrawReport(c.Request().Context(), e.report, e.arch.Name, "id:"+e.arch.ID, o)
	if err != nil {
		return svgError(c, echo.NewHTTPError(http.StatusBadRequest, err.Error()))
	}
	doc.Fluid = false // the policy refuses style attributes; an <img> is sized by its page
	a := newAnswer(c.Request().Context())
	defer a.done()
	a.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := templates.StandaloneSVG(doc).Render(c.Request().Context(), a); err != nil {
		return err
	}
	allowOwnStyle(c, a.buf.Bytes())
	// The cache keeps its own copy: the answer's buffer goes back to the pool.
	return s.cache.put(key, bytes.Clone(a.buf.Bytes()), "image/svg+xml").serve(c, "public, max-age=3600")
}

// ownStyle is the <style> a standalone SVG carries (theme=auto's dark rules).
var ownStyle = regexp.MustCompile(`<style>([^<]*)</style>`)

// allowOwnStyle lets an SVG opened alone in a tab apply its own <style>, and no other:
// the policy names the style by its hash.
func allowOwnStyle(c echo.Context, svg []byte) {
	m := ownStyle.FindSubmatch(svg)
	if m == nil {
		return
	}
	sum := sha256.Sum256(m[1])
	h := c.Response().Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "style-src 'self'",
		"style-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", 1))
}

// embedKeys are the query parameters of an SVG embed: the options of an arch block.
var embedKeys = []string{"dir", "expand", "collapse", "stage", "theme", "background", "preset", "view", "present", "paths"}

// svgError answers a failed SVG request with an SVG naming the reason, and the
// error's status.
func svgError(c echo.Context, err error) error {
	status, msg := http.StatusInternalServerError, "the diagram could not be drawn"
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status, msg = he.Code, fmt.Sprint(he.Message)
	}
	var buf bytes.Buffer
	if err := templates.ErrorSVG(msg).Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(status, "image/svg+xml", buf.Bytes())
}

// embedOptions are an SVG embed's options as an arch block's key=value pairs, with
// the stage lists in canonical form (diagramView's: each stage once, in the network's
// order, all alone), so that equal views are one drawing and one cache entry.
func embedOptions(c echo.Context, view templates.DiagramView) map[string]string {
	opts := map[string]string{}
	for _, k := range embedKeys {
		if v := c.QueryParam(k); v != "" {
			opts[k] = v
		}
	}
	delete(opts, "expand")
	delete(opts, "collapse")
	if len(view.Expand) > 0 {
		opts["expand"] = strings.Join(view.Expand, ",")
	}
	if len(view.Collapse) > 0 {
		opts["collapse"] = strings.Join(view.Collapse, ",")
	}
	return opts
}

// embedKey is the cache key of an embed: its path and every option that changes the
// drawing, sorted, so that no option is left out of it.
func embedKey(path string, opts map[string]string) string {
	q := url.Values{}
	for k, v := range opts {
		q.Set(k, v)
	}
	return path + "?" + q.Encode()
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
