package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"convatlas/diagram"
	renderer "convatlas/render"
	"convatlas/templates"
)

// The volumes view outside the page: the iframe page /embed/{id}?view=volumes and the
// PNG /embed/{id}.png?view=volumes (the SVG goes through embedSVG with the other views).

// volumesOf is an entry's volumes, or the 400 that says why it has none.
func volumesOf(e *entry) (*diagram.Volumes, error) {
	if e.volumes != nil {
		return e.volumes, nil
	}
	_, err := diagram.NewVolumes(e.report)
	return nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
}

// embedVolumesPage answers /embed/{id}?view=volumes.
func (s *server) embedVolumesPage(c echo.Context, e *entry) error {
	v, err := volumesOf(e)
	if err != nil {
		return err
	}
	theme := "auto"
	if c.QueryParam("theme") != "auto" {
		if _, theme, err = themed(c, diagram.VolumeInks); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.EmbedVolumesPage(e.arch.Name, s.assets.urls(), v, theme))
}

// volumesDrawing answers /embed/{id}.png?view=volumes: the volumes and their caption
// drawn by render. A PDF or TikZ of the volumes is not made: the SVG is the vector.
func (s *server) volumesDrawing(c echo.Context, e *entry, format string) error {
	if format != "png" {
		return echo.NewHTTPError(http.StatusBadRequest, "view=volumes is drawn as SVG or PNG, not "+format+": /embed/"+e.arch.ID+".svg?view=volumes")
	}
	v, err := volumesOf(e)
	if err != nil {
		return err
	}
	q := url.Values{}
	for _, k := range drawingQuery {
		if val := c.QueryParam(k); val != "" {
			q.Set(k, val)
		}
	}
	if q.Get("stage") != "" {
		return echo.NewHTTPError(http.StatusBadRequest, "view=volumes draws the whole network: it takes no stage")
	}
	key := c.Request().URL.Path + "?view=volumes#" + q.Encode()
	if cached, ok := s.cache.get(key); ok {
		return cached.serve(c, "public, max-age=3600")
	}
	_, theme, err := themed(c, diagram.VolumeInks)
	if err != nil {
		return err
	}
	bg := c.QueryParam("background")
	if bg != "" && bg != "transparent" {
		return echo.NewHTTPError(http.StatusBadRequest, "background is transparent, or absent for the theme's background")
	}
	size, err := drawingSize(c, format)
	if err != nil {
		return err
	}
	release, err := s.drawSlot(c)
	if err != nil {
		return err
	}
	defer release()
	body, err := renderer.PNGVolumes(v, theme, bg == "transparent", size)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	if len(body) > maxCachedDrawing {
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		return c.Blob(http.StatusOK, "image/png", body)
	}
	return s.cache.put(key, body, "image/png").serve(c, "public, max-age=3600")
}
