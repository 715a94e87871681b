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
// by the pages that include them). Keys are canonical views (embedKey); the bytes
// held are bounded: entries are dropped, any of them, until a new one fits, and an
// entry larger than an eighth of the bound is served without being kept.
type renderCache struct {
	mu      sync.RWMutex
	entries map[string]*rendered
	size    int // bytes held: bodies, gzipped bodies and keys
	limit   int
}

func newRenderCache(limitBytes int) *renderCache {
	return &renderCache{entries: map[string]*rendered{}, limit: limitBytes}
}

func (r *rendered) bytes(key string) int { return len(key) + len(r.body) + len(r.gz) + len(r.etag) }

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
	size := r.bytes(key)
	if size > rc.limit/8 {
		return r
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if old, ok := rc.entries[key]; ok {
		rc.size -= old.bytes(key)
		delete(rc.entries, key)
	}
	for k, old := range rc.entries {
		if rc.size+size <= rc.limit {
			break
		}
		rc.size -= old.bytes(k)
		delete(rc.entries, k)
	}
	rc.entries[key] = r
	rc.size += size
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
	rc.size = 0
}
