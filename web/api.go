package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/archdefs"
	"convatlas/engine"
	"convatlas/templates"
)

// apiError is the JSON form of every API error.
type apiError struct {
	Error struct {
		Message string `json:"message"`
		Line    int    `json:"line,omitempty"`
		Column  int    `json:"column,omitempty"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// definitionError is a bad definition: 400 when the YAML or its fields are wrong, 422
// when the definition is well formed but the network is not (a shape mismatch).
type definitionError struct {
	status int
	err    *engine.Error
}

func (e *definitionError) Error() string { return e.err.Error() }

// readDefinition reads a YAML (or JSON, which is YAML) body.
func readDefinition(c echo.Context) ([]byte, error) {
	ct := c.Request().Header.Get("Content-Type")
	mediaType, _, _ := strings.Cut(ct, ";")
	// Media types are case-insensitive (RFC 9110, 8.3.1).
	switch strings.ToLower(strings.TrimSpace(mediaType)) {
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain", "application/json":
	default:
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the definition as application/yaml, text/plain or application/json")
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, archdefs.MaxSourceBytes+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &tooBig), errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
			return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the definition is larger than 1 MiB")
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "the body could not be read")
	}
	if len(body) > archdefs.MaxSourceBytes {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the definition is larger than 1 MiB")
	}
	return body, nil
}

// analyzeDefinition parses and analyses a posted definition within the playground's
// limits, stopping when ctx is done.
func analyzeDefinition(ctx context.Context, src []byte) (*archdefs.Arch, *engine.Report, error) {
	a, err := archdefs.Parse("definition", src)
	if err != nil {
		var e *engine.Error
		if errors.As(err, &e) {
			return nil, nil, &definitionError{status: http.StatusBadRequest, err: e}
		}
		return nil, nil, err
	}
	r, err := engine.AnalyzeContext(ctx, a.Model, engine.Options{Limits: playgroundLimits})
	if err != nil {
		var e *engine.Error
		if errors.As(err, &e) {
			return nil, nil, &definitionError{status: http.StatusUnprocessableEntity, err: e}
		}
		return nil, nil, err
	}
	return a, r, nil
}

func writeAPIError(c echo.Context, status int, e *engine.Error, msg string) error {
	var out apiError
	out.Error.Message = msg
	if e != nil {
		out.Error.Message, out.Error.Line, out.Error.Column, out.Error.Field = e.Error(), e.Pos.Line, e.Pos.Column, e.Pos.Field
	}
	return c.JSON(status, out)
}

// apiAnalyze answers POST /api/analyze with the JSON report of the CLI's contract.
func (s *server) apiAnalyze(c echo.Context) error {
	src, err := readDefinition(c)
	if err != nil {
		return err
	}
	_, r, err := analyzeDefinition(c.Request().Context(), src)
	if err != nil {
		return err
	}
	report, err := r.JSONContext(c.Request().Context(), true)
	if err != nil {
		return err // every formula written out costs more than the analysis
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, report)
}

// apiRender answers POST /api/render with the network's diagram as SVG, taking the
// options of an embed and an arch block (dir, expand, collapse, stage, theme,
// background, preset).
func (s *server) apiRender(c echo.Context) error {
	src, err := readDefinition(c)
	if err != nil {
		return err
	}
	a, r, err := analyzeDefinition(c.Request().Context(), src)
	if err != nil {
		return err
	}
	opts := map[string]string{}
	for _, k := range embedKeys {
		if v := c.QueryParam(k); v != "" {
			opts[k] = v
		}
	}
	o, err := templates.ParseSVGOptions(opts)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	doc, err := DrawReport(c.Request().Context(), r, a.Name, "definition:"+string(src), o)
	if err != nil {
		if c.Request().Context().Err() != nil {
			return err // past the request's budget: the error handler answers 503
		}
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	doc.Fluid = false // as an embed's
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, "image/svg+xml", templates.StandaloneSVG(doc))
}

// apiArchs lists the catalogue.
func (s *server) apiArchs(c echo.Context) error {
	out := make([]archdefs.Summary, 0, len(s.atlas().entries))
	for _, e := range s.atlas().entries {
		out = append(out, archdefs.Summarize(e.arch, e.report))
	}
	return writeJSON(c, http.StatusOK, out)
}

// apiArch is one architecture's report.
func (s *server) apiArch(c echo.Context) error {
	e, err := s.lookup(c)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, e.report.JSON(true))
}
