// Package web serves the atlas over HTTP with echo: pages rendered by templ, htmx
// fragments, standalone SVG embeds, and the security headers and limits that keep it
// safe to link from course sites.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"convatlas/archdefs"
	"convatlas/concepts"
	"convatlas/engine"
	"convatlas/templates"
)

// Config sets up a server.
type Config struct {
	Catalogue *archdefs.Catalogue
	Logger    *slog.Logger
	// RequestTimeout bounds the work of one request; 0 means 10 s.
	RequestTimeout time.Duration
	// ArchdefsDir holds a teacher's own definitions (*.yaml, with *.md notes), shown
	// beside the catalogue and reloaded when they change; NotesDir holds Markdown notes
	// served under /notes/. Done stops the watching.
	ArchdefsDir, NotesDir string
	// ToursDir holds a teacher's tours (*.md, see archdefs.ParseTour), reloaded when
	// they change.
	ToursDir string
	Done     <-chan struct{}
	// BaseURL is the atlas's public address ("https://atlas.example.edu/course"), for
	// embed code, link previews and oEmbed; empty means the address each request came to.
	BaseURL string
	// FrameAncestors is who may put /embed/ pages in a frame, as CSP sources
	// ("https://lms.example.edu 'self'"); empty means DefaultFrameAncestors.
	FrameAncestors string
}

// DefaultFrameAncestors lets any page frame the embeds, pages opened from disk too:
// "*" matches only http and https pages, and a notebook's HTML or a slide deck opened
// from a file has a file: address.
const DefaultFrameAncestors = "* file:"

// server holds what the handlers need.
type server struct {
	live     atomic.Pointer[atlas] // swapped whole when a teacher's definitions change
	assets   *assetStore
	cache    *renderCache
	log      *slog.Logger
	notesDir string
	tours    atomic.Pointer[tourSet] // swapped whole when a teacher's tours change
	baseURL  string                  // Config.BaseURL without its final slash
	// drawSlots bounds the PNG, PDF and TikZ drawings made at once (one per core).
	drawSlots chan struct{}
	turns     chan struct{} // one a request rendering now (work.go)
}

// atlas is the catalogue being served now.
func (s *server) atlas() *atlas { return s.live.Load() }

// New builds the HTTP handler of the atlas.
func New(cfg Config) (*echo.Echo, error) {
	_, e, err := newServer(cfg)
	return e, err
}

// newServer builds the handler and the server state behind it.
func newServer(cfg Config) (*server, *echo.Echo, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if strings.ContainsAny(cfg.FrameAncestors, ";,\r\n") {
		return nil, nil, fmt.Errorf("frame ancestors are CSP sources separated by spaces, got %q", cfg.FrameAncestors)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	// The teacher's folder is stamped before it is read, so that an edit made while it
	// is read, or before the watcher's first look, is still seen as a change.
	stamp := dirStamp(cfg.ArchdefsDir)
	a, err := loadAtlas(cfg)
	if err != nil {
		return nil, nil, err
	}
	assets, err := newAssetStore()
	if err != nil {
		return nil, nil, err
	}
	s := &server{assets: assets, cache: newRenderCache(maxCacheBytes), log: cfg.Logger, notesDir: cfg.NotesDir, turns: make(chan struct{}, workers()),
		baseURL: strings.TrimSuffix(cfg.BaseURL, "/"), drawSlots: make(chan struct{}, runtime.GOMAXPROCS(0))}
	s.live.Store(a)
	if err := s.initTours(cfg); err != nil {
		return nil, nil, err
	}
	if cfg.ArchdefsDir != "" {
		go s.watch(cfg, stamp)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		s.log.Error("panic", "path", c.Request().URL.Path, "err", err, "stack", string(stack))
		return err
	}}))
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			s.log.Info("request", "method", v.Method, "uri", v.URI, "status", v.Status, "latency", v.Latency)
			return nil
		},
	}))
	frameAncestors := cfg.FrameAncestors
	if frameAncestors == "" {
		frameAncestors = DefaultFrameAncestors
	}
	e.Use(securityHeaders(frameAncestors))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 5, MinLength: 1024, Skipper: func(c echo.Context) bool {
		// Embeds are cached already compressed; PNG and PDF are compressed already.
		p := c.Request().URL.Path
		return strings.HasSuffix(p, ".svg") || strings.HasSuffix(p, ".png") || strings.HasSuffix(p, ".pdf") || strings.HasSuffix(p, ".tikz")
	}}))
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: cfg.RequestTimeout}))
	e.Use(s.workLimit)
	s.routes(e)
	return s, e, nil
}

// routes lists every route of the atlas.
func (s *server) routes(e *echo.Echo) {
	e.GET("/", s.index)
	e.GET("/a/:id", s.archPage)
	e.GET("/a/:id/diagram", s.diagramFragment)
	e.GET("/a/:id/layer/:name", s.layerPage)
	e.GET("/a/:id/find", s.findLayers)
	e.GET("/embed/:name", s.embed)
	e.GET("/embed/chart/:name", s.chartEmbed)
	e.GET("/compare", s.compare)
	e.GET("/concepts/", s.conceptsIndex)
	e.GET("/concepts/:name", s.concept)
	e.GET("/playground", s.playground)
	e.POST("/playground/preview", s.playgroundPreview, bodyLimit(maxFormBody))
	e.GET("/playground/format", s.formatGuide)
	e.POST("/playground/onnx", s.playgroundONNX) // body bounded in the handler (maxONNXBytes), streamed
	e.GET("/notes", s.notesPage)
	e.GET("/notes/", s.notesFile)
	e.GET("/notes/:name", s.notesFile)
	e.POST("/notes/preview", s.notesPreview, bodyLimit(maxFormBody))
	// Guided tours and exercises (tour.go, exercises.go).
	e.GET("/tour/", s.tourIndex)
	e.GET("/tour/:tour", s.tourOverview)
	e.GET("/tour/:tour/:step", s.tourStep)
	e.GET("/exercises", s.exercises)
	e.GET("/exercises/make", s.makeWorksheet)
	e.POST("/exercises/check", s.checkAnswer, middleware.BodyLimit(strconv.Itoa(concepts.MaxFormBytes/1024)+"K"))

	e.POST("/notes/download", s.notesDownload, bodyLimit(maxFormBody))
	e.GET("/healthz", s.healthz)
	// Link previews and outputs away from the server (issue 18).
	e.GET("/og/:name", s.previewCard)
	e.GET("/oembed", s.oembed)
	// Pages declare no icon; a browser showing an SVG or JSON alone still asks for one.
	e.GET("/favicon.ico", func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		return c.NoContent(http.StatusNoContent)
	})
	// The addresses people type with or without a final slash lead to the page.
	for from, to := range map[string]string{"/concepts": "/concepts/", "/compare/": "/compare", "/playground/": "/playground", "/a": "/", "/a/": "/", "/tour": "/tour/", "/exercises/": "/exercises"} {
		e.GET(from, moved(to))
	}
	api := e.Group("/api", bodyLimit(maxDefinitionBody))
	api.POST("/analyze", s.apiAnalyze)
	api.POST("/render", s.apiRender)
	api.GET("/archs", s.apiArchs)
	api.GET("/archs/:id", s.apiArch)
	e.GET("/static/*", s.assets.serve)
}

// securityHeaders sets the Content-Security-Policy and friends on every response.
// Only /embed/ pages may be framed, by the sources in embedAncestors.
func securityHeaders(embedAncestors string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			return withSecurityHeaders(c, next, embedAncestors)
		}
	}
}

func withSecurityHeaders(c echo.Context, next echo.HandlerFunc, embedAncestors string) error {
	h := c.Response().Header()
	frame := "'none'"
	if strings.HasPrefix(c.Request().URL.Path, "/embed/") {
		frame = embedAncestors
	} else {
		h.Set("X-Frame-Options", "DENY")
	}
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "+
		"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "+frame)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Response().Before(func() { joinVary(h) })
	return next(c)
}

// origin is the atlas's public address: the configured base URL, or the scheme and
// host of this request.
func (s *server) origin(c echo.Context) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	return c.Scheme() + "://" + c.Request().Host
}

// joinVary writes the Vary tokens that several layers added (compression, htmx, the
// embed cache) as one header line, each once.
func joinVary(h http.Header) {
	lines := h.Values("Vary")
	if len(lines) < 2 {
		return
	}
	var tokens []string
	for _, line := range lines {
		for _, t := range strings.Split(line, ",") {
			if t = strings.TrimSpace(t); t != "" && !slices.ContainsFunc(tokens, func(u string) bool { return strings.EqualFold(u, t) }) {
				tokens = append(tokens, t)
			}
		}
	}
	h.Set("Vary", strings.Join(tokens, ", "))
}

// isFragment reports an htmx request, which gets a fragment instead of a page. Every
// URL that answers both ways says so with Vary.
func isFragment(c echo.Context) bool {
	c.Response().Header().Add("Vary", "HX-Request")
	return c.Request().Header.Get("HX-Request") == "true"
}

// page renders a full page, or only body for an htmx request.
func (s *server) page(c echo.Context, shell templates.Shell, body templ.Component) error {
	if isFragment(c) {
		return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, body)
	}
	shell.Assets = s.assets.urls()
	if shell.Preview.URL == "" {
		query := ""
		if q := c.Request().URL.RawQuery; q != "" {
			query = "?" + q
		}
		s.preview(c, &shell, "", query)
	}
	shell.Present = c.QueryParam("present") == "1"
	return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.Page(shell, body))
}

// handleError renders every error as a page, or a fragment for htmx; a 5xx shows a
// generic message and never a stack trace.
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := http.StatusInternalServerError, "Something went wrong on our side; the error was logged."
	var he *echo.HTTPError
	var de *definitionError
	var nf *notFoundError
	switch {
	case errors.As(err, &nf):
		code, msg = http.StatusNotFound, nf.msg
	case errors.As(err, &de):
		code, msg = de.status, de.Error()
	case errors.As(err, &he):
		code = he.Code
		if code < 500 {
			msg = fmt.Sprint(he.Message)
		}
	case errors.Is(err, context.DeadlineExceeded):
		code, msg = http.StatusServiceUnavailable, "This took longer than the server allows; try a smaller network or view."
	}
	if code == http.StatusServiceUnavailable {
		msg = "This took longer than the server allows; try a smaller network or view."
	}
	if code >= 500 {
		s.log.Error("request failed", "path", c.Request().URL.Path, "err", err)
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		var pos *engine.Error
		if de != nil {
			pos = de.err
		}
		_ = writeAPIError(c, code, pos, msg)
		return
	}
	// The request's own context may be spent (its time budget is why we are here).
	ctx := context.WithoutCancel(c.Request().Context())
	comp := templates.ErrorMessage(code, msg)
	if nf != nil {
		comp = templates.NotFound(msg, nf.suggestions)
	}
	if !isFragment(c) {
		comp = templates.Page(templates.Shell{Title: http.StatusText(code), Assets: s.assets.urls()}, comp)
	}
	if err := renderCtx(ctx, c, code, echo.MIMETextHTMLCharsetUTF8, comp); err != nil {
		s.log.Error("rendering an error page failed", "err", err)
		_ = c.String(code, msg)
	}
}

// moved redirects permanently to the page at path, keeping the query.
func moved(path string) echo.HandlerFunc {
	return func(c echo.Context) error {
		to := path
		if q := c.Request().URL.RawQuery; q != "" {
			to += "?" + q
		}
		return c.Redirect(http.StatusMovedPermanently, to)
	}
}

func (s *server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// Serve runs the server on addr until ctx is cancelled, then shuts it down gracefully.
func Serve(ctx context.Context, e *echo.Echo, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return ServeListener(ctx, e, ln, log)
}

// ServeListener is Serve on a listener of the caller's. Its timeouts keep slow
// clients from holding connections: headers within 5 s, a body within 15 s.
func ServeListener(ctx context.Context, e *echo.Echo, ln net.Listener, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           answerHEAD(e),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       90 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	log.Info("serving the atlas", "url", "http://"+ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log.Info("shutting down")
	return srv.Shutdown(shutdown)
}
