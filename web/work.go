package web

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strings"

	"github.com/labstack/echo/v4"
)

// workers bounds the requests that render at once, so that the memory a burst of
// expensive requests holds is this many times one request's (each is bounded by the
// cost model), not the number of connections times it; the others wait for a turn
// within their time budget. Twice the cores keeps every core busy.
func workers() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// workLimit takes a turn for every request but the static files and the health check,
// until its answer starts.
// A posted body is read before the turn is taken, so that a client sending its body
// slowly holds a connection, never a turn; it is read up to maxFormBody and a byte,
// and the route's own body limit then refuses what is too large.
func (s *server) workLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		path := c.Request().URL.Path
		if strings.HasPrefix(path, "/static/") || path == "/healthz" {
			return next(c)
		}
		if r := c.Request(); r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > maxFormBody {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "Request Entity Too Large")
			}
			body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody+1))
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "the body could not be read")
			}
			if len(body) > maxFormBody {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "Request Entity Too Large")
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		select {
		case s.turns <- struct{}{}:
		case <-c.Request().Context().Done():
			return c.Request().Context().Err()
		}
		// The turn ends when the answer, rendered, starts on its way: a client reading
		// slowly holds its connection and its answer, not a turn.
		held := true
		release := func() {
			if held {
				held = false
				<-s.turns
			}
		}
		c.Response().Before(release)
		defer release()
		return next(c)
	}
}
