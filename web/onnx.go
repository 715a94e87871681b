package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/archdefs"
	"convatlas/engine"
	"convatlas/onnx"
	"convatlas/templates"
)

// maxONNXBytes bounds an uploaded ONNX model. The weights stream past unread (the
// reader keeps shapes only), so memory stays small whatever the size; the cost is
// reading the bytes: ResNet-50 with its weights is 98 MB.
const maxONNXBytes = 128 << 20

// playgroundONNX imports a model chosen or dropped on the playground: a multipart
// form with the file as "model", or the file itself as application/octet-stream. The
// answer is the playground with the imported definition in the editor, drawn and
// analysed, or with what is wrong with the file.
func (s *server) playgroundONNX(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, maxONNXBytes)
	body, name, err := onnxBody(req)
	if err != nil {
		return err
	}
	g, err := onnx.Read(body, onnx.Limits{})
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the model is larger than %d MiB", maxONNXBytes>>20))
		}
		return s.playgroundFailure(c, name, err)
	}
	id := onnx.ModelID(name)
	im, err := onnx.Convert(g, id, strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
	if err != nil {
		return s.playgroundFailure(c, name, err)
	}
	r, err := engine.AnalyzeContext(c.Request().Context(), im.Model, engine.Options{})
	if err != nil {
		return s.playgroundFailure(c, name, err)
	}
	src, err := archdefs.Write(im.Model, fmt.Sprintf("Imported from %s.\n%s", filepath.Base(name), im.Summary(r)))
	if err != nil {
		return s.playgroundFailure(c, name, err)
	}
	result, perr, err := playgroundResult(c.Request().Context(), src)
	if err != nil {
		return err // past the request's budget
	}
	return s.page(c, templates.Shell{Title: "Playground", Nav: "playground"}, templates.Playground(string(src), result, perr))
}

// playgroundFailure answers a file that cannot be imported: the playground, with the
// reason, as a 422.
func (s *server) playgroundFailure(c echo.Context, name string, err error) error {
	msg := fmt.Sprintf("%s cannot be imported: %v", filepath.Base(name), err)
	body := templates.Playground(playgroundStart, nil, &templates.PlaygroundError{Message: msg})
	if isFragment(c) {
		return render(c, http.StatusUnprocessableEntity, echo.MIMETextHTMLCharsetUTF8, body)
	}
	shell := templates.Shell{Title: "Playground", Nav: "playground", Assets: s.assets.urls()}
	return render(c, http.StatusUnprocessableEntity, echo.MIMETextHTMLCharsetUTF8, templates.Page(shell, body))
}

// onnxBody finds the uploaded file in the request, without reading it.
func onnxBody(req *http.Request) (io.Reader, string, error) {
	media, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil {
		return nil, "", echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the model as multipart/form-data (field model) or application/octet-stream")
	}
	switch media {
	case "application/octet-stream":
		return req.Body, "model.onnx", nil
	case "multipart/form-data":
		mr, err := req.MultipartReader()
		if err != nil {
			return nil, "", echo.NewHTTPError(http.StatusBadRequest, "the form could not be read")
		}
		for range 8 { // a handful of fields at most before the file
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if part.FormName() == "model" {
				name := part.FileName()
				if name == "" {
					name = "model.onnx"
				}
				return part, name, nil
			}
		}
		return nil, "", echo.NewHTTPError(http.StatusBadRequest, "no file in the form's model field")
	}
	return nil, "", echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the model as multipart/form-data (field model) or application/octet-stream")
}
