package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/static"
	"convatlas/templates"
)

// asset is a static file with its checksum, served with long cache lifetimes under a
// URL that changes when the file does.
type asset struct {
	body []byte
	etag string
	mime string
}

type assetStore struct {
	files map[string]*asset // by path under static/: "css/site.css"
}

func newAssetStore() (*assetStore, error) {
	s := &assetStore{files: map[string]*asset{}}
	err := fs.WalkDir(static.Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		body, err := fs.ReadFile(static.Files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		s.files[p] = &asset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, mime: mime.TypeByExtension(path.Ext(p))}
		return nil
	})
	return s, err
}

// url is the cache-busting URL of a static file.
func (s *assetStore) url(p string) string {
	a := s.files[p]
	return "/static/" + p + "?v=" + strings.Trim(a.etag, `"`)
}

func (s *assetStore) urls() templates.Assets {
	return templates.Assets{CSS: s.url("css/site.css"), JS: s.url("js/atlas.js"), HTMX: s.url("vendor/htmx.min.js"), CodeCSS: s.url("css/code.css"),
		RoomCSS: s.url("css/room.css"), RoomJS: s.url("js/room.js")}
}

// serve answers /static/*: only files of the embedded set, by exact name, so that no
// path can climb out of it.
func (s *assetStore) serve(c echo.Context) error {
	a, ok := s.files[c.Param("*")]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	h := c.Response().Header()
	h.Set("ETag", a.etag)
	if c.QueryParam("v") == strings.Trim(a.etag, `"`) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if c.Request().Header.Get("If-None-Match") == a.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, a.mime, a.body)
}
