package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// rendered is a response body kept for reuse, with its gzipped form and ETag.
type rendered struct {
	body, gz    []byte
	etag        string
	contentType string
}

// renderCache keeps rendered catalogue views (embeds are requested again and again
// by the pages that include them). Keys are canonical request URLs; the set is
// bounded, and emptied when full.
type renderCache struct {
	mu      sync.RWMutex
	entries map[string]*rendered
	limit   int
}

func newRenderCache(limit int) *renderCache {
	return &renderCache{entries: map[string]*rendered{}, limit: limit}
}

func (rc *renderCache) get(key string) (*rendered, bool) {
	rc.mu.RLock()
	defer rc.mu.RUnlock()
	r, ok := rc.entries[key]
	return r, ok
}

func (rc *renderCache) put(key string, body []byte, contentType string) *rendered {
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = w.Write(body)
	_ = w.Close()
	sum := sha256.Sum256(body)
	r := &rendered{body: body, gz: gz.Bytes(), etag: `"` + hex.EncodeToString(sum[:8]) + `"`, contentType: contentType}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.entries) >= rc.limit {
		clear(rc.entries)
	}
	rc.entries[key] = r
	return r
}

// serve writes a cached body: 304 when the client has it, gzipped when it accepts that.
func (r *rendered) serve(c echo.Context, cacheControl string) error {
	h := c.Response().Header()
	h.Set("ETag", r.etag)
	h.Set("Cache-Control", cacheControl)
	h.Add("Vary", "Accept-Encoding")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, r.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		return c.Blob(http.StatusOK, r.contentType, r.gz)
	}
	return c.Blob(http.StatusOK, r.contentType, r.body)
}

// clear forgets every entry (the catalogue changed).
func (rc *renderCache) clear() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	clear(rc.entries)
}
