package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/templates"
)

// oEmbedResponse is a "rich" answer of the oEmbed spec (oembed.com, version 1.0): an
// iframe of the embed page, with its size, title and a thumbnail (the preview card).
type oEmbedResponse struct {
	Version         string `json:"version"`
	Type            string `json:"type"`
	HTML            string `json:"html"`
	Width           int    `json:"width"`
	Height          int    `json:"height"`
	Title           string `json:"title"`
	ProviderName    string `json:"provider_name"`
	ProviderURL     string `json:"provider_url"`
	CacheAge        int    `json:"cache_age"`
	ThumbnailURL    string `json:"thumbnail_url"`
	ThumbnailWidth  int    `json:"thumbnail_width"`
	ThumbnailHeight int    `json:"thumbnail_height"`
}

// The iframe's size when the consumer sets no bounds, and the smallest it shrinks to.
const (
	oEmbedWidth, oEmbedHeight = 800, 600
	oEmbedMinSide             = 100
)

// oembed answers GET /oembed?url=…&maxwidth=…&maxheight=…&format=json for the URL of an
// architecture's page (/a/{id}, a layer of it, any view) or its embed (/embed/{id},
// .svg, .png): 404 for any other URL, 501 for a format other than JSON, as the spec says.
func (s *server) oembed(c echo.Context) error {
	if f := c.QueryParam("format"); f != "" && f != "json" {
		return echo.NewHTTPError(http.StatusNotImplemented, "only format=json is answered")
	}
	raw := c.QueryParam("url")
	if raw == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "url is required: the address of an architecture's page")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return echo.NewHTTPError(http.StatusNotFound, "not an address of this atlas")
	}
	origin, err := url.Parse(s.origin(c))
	if err != nil || !strings.EqualFold(u.Host, origin.Host) || !strings.HasPrefix(u.Path, origin.Path+"/") {
		return echo.NewHTTPError(http.StatusNotFound, "not an address of this atlas")
	}
	id, ok := oEmbedID(strings.TrimPrefix(u.Path, origin.Path))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "not an architecture's page or embed")
	}
	e, err := s.lookupID(id)
	if err != nil {
		return err
	}
	w, h := oEmbedWidth, oEmbedHeight
	for _, bound := range []struct {
		param string
		side  *int
	}{{"maxwidth", &w}, {"maxheight", &h}} {
		if v := c.QueryParam(bound.param); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return echo.NewHTTPError(http.StatusBadRequest, bound.param+" is a number of pixels")
			}
			*bound.side = max(oEmbedMinSide, min(*bound.side, n))
		}
	}
	// Keep the views the page's address carries that the embed understands.
	q := url.Values{}
	for _, k := range []string{"dir", "expand", "collapse", "stage", "theme"} {
		if v := u.Query().Get(k); v != "" {
			q.Set(k, v)
		}
	}
	src := s.origin(c) + "/embed/" + e.arch.ID
	if len(q) > 0 {
		src += "?" + q.Encode()
	}
	title := e.arch.Name + " block diagram"
	frame := fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" title="%s" style="border:0" loading="lazy" allowfullscreen></iframe>`,
		html.EscapeString(src), w, h, html.EscapeString(title))
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.JSON(http.StatusOK, oEmbedResponse{
		Version: "1.0", Type: "rich", HTML: frame, Width: w, Height: h, Title: e.arch.Name,
		ProviderName: "ConvAtlas", ProviderURL: s.origin(c) + "/", CacheAge: 3600,
		ThumbnailURL: s.origin(c) + "/og/" + e.arch.ID + ".png", ThumbnailWidth: 1200, ThumbnailHeight: 630,
	})
}

// oEmbedID finds the architecture of a path of this atlas: /a/{id}[/…] or
// /embed/{id}[.svg|.png|.pdf].
func oEmbedID(p string) (string, bool) {
	if rest, ok := strings.CutPrefix(p, "/a/"); ok {
		id, _, _ := strings.Cut(rest, "/")
		return id, id != ""
	}
	if rest, ok := strings.CutPrefix(p, "/embed/"); ok && !strings.Contains(rest, "/") {
		for _, ext := range []string{".svg", ".png", ".pdf"} {
			rest = strings.TrimSuffix(rest, ext)
		}
		return rest, rest != ""
	}
	return "", false
}

// preview fills a page's link-preview tags: its address (its path and query, "?…"
// or empty; an architecture's view in canonical form), and for an architecture the
// card image and the oEmbed discovery link.
func (s *server) preview(c echo.Context, shell *templates.Shell, id, query string) {
	origin := s.origin(c)
	pageURL := origin + c.Request().URL.Path + query
	shell.Preview.URL = pageURL
	if id != "" {
		shell.Preview.Image = origin + "/og/" + id + ".png"
		shell.Preview.ImageAlt = shell.Title + " block diagram with its parameters and multiply-adds"
		shell.Preview.OEmbed = origin + "/oembed?format=json&url=" + url.QueryEscape(pageURL)
	}
}
