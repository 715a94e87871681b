package web

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"convatlas/archdefs"
	"convatlas/diagram"
	"convatlas/docs"
	"convatlas/markdown"
	"convatlas/templates"
)

// playgroundStart is the blank template a new definition starts from.
const playgroundStart = `id: mynet
name: My network
input: {c: 3, h: 32, w: 32}
layers:
  - stage: features
    layers:
      - conv: {out: 16, k: 3, p: 1}
      - relu
      - maxpool: 2
      - conv: {out: 32, k: 3, p: 1}
      - relu
      - maxpool: 2
  - stage: head
    layers: [gap, {fc: 10}]
`

// decodeShared reads a definition from a share link: raw DEFLATE, base64url, bounded
// after decompression.
func decodeShared(s string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("the shared definition is not valid base64url")
	}
	src, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), archdefs.MaxSourceBytes+1))
	if err != nil {
		return nil, fmt.Errorf("the shared definition could not be decompressed")
	}
	if len(src) > archdefs.MaxSourceBytes {
		return nil, fmt.Errorf("the shared definition is larger than 1 MiB")
	}
	return src, nil
}

// encodeShared is decodeShared's inverse (for tests and links made by the server).
func encodeShared(src []byte) string {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	_, _ = w.Write(src)
	_ = w.Close()
	return base64.RawURLEncoding.EncodeToString(b.Bytes())
}

func (s *server) playground(c echo.Context) error {
	src := []byte(playgroundStart)
	switch {
	case c.QueryParam("def") != "":
		var err error
		if src, err = decodeShared(c.QueryParam("def")); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, err.Error())
		}
	case c.QueryParam("from") != "":
		e, err := s.lookupID(c.QueryParam("from"))
		if err != nil {
			return err
		}
		src = e.arch.Source
	}
	result, perr, err := playgroundResult(c.Request().Context(), src)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.page(c, templates.Shell{Title: "Playground", Nav: "playground"}, templates.Playground(string(src), result, perr))
}

// playgroundResult analyses and draws a definition, or says what is wrong with it;
// err is the context's, once the request's budget is spent.
func playgroundResult(ctx context.Context, src []byte) (*templates.PlaygroundResult, *templates.PlaygroundError, error) {
	a, r, err := analyzeDefinition(ctx, src)
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	if err != nil {
		var de *definitionError
		if errors.As(err, &de) {
			return nil, &templates.PlaygroundError{Message: de.err.Detail(), Line: de.err.Pos.Line, Column: de.err.Pos.Column, Field: de.err.Pos.Field}, nil
		}
		return nil, &templates.PlaygroundError{Message: err.Error()}, nil
	}
	d, err := diagram.LayoutContext(ctx, r, diagram.Options{Dir: "tb", AutoCollapse: diagram.DefaultAutoCollapse})
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	if err != nil {
		return nil, &templates.PlaygroundError{Message: err.Error()}, nil
	}
	return &templates.PlaygroundResult{Name: a.Name, Report: r, Diagram: d}, nil, nil
}

// playgroundPreview answers the editor's debounced posts: the new diagram and totals,
// or, for a mistake, only the error (the last good diagram stays, greyed).
func (s *server) playgroundPreview(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	src := []byte(c.FormValue("src"))
	if len(src) > archdefs.MaxSourceBytes {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the definition is larger than 1 MiB")
	}
	result, perr, err := playgroundResult(c.Request().Context(), src)
	if err != nil {
		return err
	}
	if perr != nil {
		c.Response().Header().Set("HX-Reswap", "none")
	}
	return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.PlaygroundSwap(result, perr))
}

// formatGuide shows the definition format, the same document the tests parse.
func (s *server) formatGuide(c echo.Context) error {
	html, err := markdown.Render(docs.Format)
	if err != nil {
		return err
	}
	return s.page(c, templates.Shell{Title: "The definition format", Nav: "playground"}, templates.FormatGuide(html))
}
