package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// errAnswerTooLarge refuses an answer past maxAnswerBytes: the request asked for more
// than the server draws at once.
var errAnswerTooLarge = echo.NewHTTPError(http.StatusUnprocessableEntity,
	fmt.Sprintf("The answer would be larger than the limit of %d MiB; ask for a smaller view (fewer stages expanded).", maxAnswerBytes>>20))

// answerCheckBytes is how many bytes an answer grows between two looks at the
// request's context: a fraction of a millisecond of rendering.
const answerCheckBytes = 64 << 10

// answer is a response body being written: bounded by maxAnswerBytes, and stopped
// with the context's error once the request's budget is spent.
type answer struct {
	ctx  context.Context
	buf  *bytes.Buffer
	next int // the length at which to look at ctx again
}

func (a *answer) Write(p []byte) (int, error) {
	if a.buf.Len()+len(p) > maxAnswerBytes {
		return 0, errAnswerTooLarge
	}
	if a.buf.Len()+len(p) >= a.next {
		if err := a.ctx.Err(); err != nil {
			return 0, err
		}
		a.next = a.buf.Len() + len(p) + answerCheckBytes
	}
	return a.buf.Write(p)
}

func (a *answer) WriteString(s string) (int, error) {
	if a.buf.Len()+len(s) > maxAnswerBytes {
		return 0, errAnswerTooLarge
	}
	if a.buf.Len()+len(s) >= a.next {
		if err := a.ctx.Err(); err != nil {
			return 0, err
		}
		a.next = a.buf.Len() + len(s) + answerCheckBytes
	}
	return a.buf.WriteString(s)
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// newAnswer takes a buffer from the pool; done hands it back, unless it grew past
// maxPooledBuffer: a rare large answer must not stay resident.
func newAnswer(ctx context.Context) *answer {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	return &answer{ctx: ctx, buf: buf}
}

func (a *answer) done() {
	if a.buf.Cap() <= maxPooledBuffer {
		bufPool.Put(a.buf)
	}
	a.buf = nil
}

// render writes a component through a pooled buffer, so that an error while rendering
// still produces a clean error page.
func render(c echo.Context, status int, contentType string, comp templ.Component) error {
	return renderCtx(c.Request().Context(), c, status, contentType, comp)
}

func renderCtx(ctx context.Context, c echo.Context, status int, contentType string, comp templ.Component) error {
	a := newAnswer(ctx)
	defer a.done()
	if err := comp.Render(ctx, a); err != nil {
		return err
	}
	return c.Blob(status, contentType, a.buf.Bytes())
}

// writeJSON writes v as JSON through a bounded pooled buffer, as render does.
func writeJSON(c echo.Context, status int, v any) error {
	// The encoder builds the whole text before it writes: look at the budget first.
	if err := c.Request().Context().Err(); err != nil {
		return err
	}
	a := newAnswer(c.Request().Context())
	defer a.done()
	if err := json.NewEncoder(a).Encode(v); err != nil {
		return err
	}
	return c.JSONBlob(status, a.buf.Bytes())
}

// bodyLimit refuses a body of more than n bytes with 413, whether it says its length or
// not (echo's BodyLimit, given the size in bytes so that 1 MiB is 1,048,576).
func bodyLimit(n int) echo.MiddlewareFunc {
	return middleware.BodyLimit(strconv.Itoa(n))
}

// answerHEAD answers HEAD as GET without the body (routes are registered for GET
// only, and echo answers HEAD with 405): the handler writes into a writer that drops
// the body, and net/http drops it for HEAD anyway.
func answerHEAD(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		h.ServeHTTP(headWriter{w}, get)
	})
}

// headWriter drops a body; the net/http server does so for HEAD by itself, test
// recorders do not.
type headWriter struct{ http.ResponseWriter }

func (headWriter) Write(p []byte) (int, error) { return len(p), nil }
