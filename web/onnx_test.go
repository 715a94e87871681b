package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"google.golang.org/protobuf/encoding/protowire"
)

func testModel(t *testing.T, id string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../onnx/testdata/" + id + ".onnx.gz")
	if err != nil {
		t.Fatal(err)
	}
	z, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	src, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func postModel(t *testing.T, src []byte, multipartForm bool) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := bytes.NewReader(src), "application/octet-stream"
	if multipartForm {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		f, _ := w.CreateFormFile("model", "my_resnet.onnx")
		_, _ = f.Write(src)
		_ = w.Close()
		body, ct = bytes.NewReader(b.Bytes()), w.FormDataContentType()
	}
	req := httptest.NewRequest(http.MethodPost, "/playground/onnx", body)
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	newTestServer(t).ServeHTTP(rec, req)
	return rec
}

// A model chosen on the playground is drawn and analysed, its definition in the editor.
func TestPlaygroundImportsONNX(t *testing.T) {
	for _, form := range []bool{true, false} {
		rec := postModel(t, testModel(t, "resnet18"), form)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Find(`[data-total="params"]`).Text(); got != "11,689,512" {
			t.Errorf("parameters %q, torchvision 11,689,512", got)
		}
		src := doc.Find("#pg-src").Text()
		if !strings.Contains(src, "stage: layer1") || !strings.Contains(src, "residual:") {
			t.Errorf("the editor holds %.300s", src)
		}
		if form && !strings.Contains(src, "id: my_resnet") {
			t.Errorf("the id is not the file's name: %.100s", src)
		}
		if doc.Find("#pg-result svg").Length() != 1 {
			t.Error("no diagram")
		}
	}
}

func TestPlaygroundRefusesBadONNX(t *testing.T) {
	for _, c := range []struct {
		name string
		src  []byte
		code int
		want string
	}{
		{"not a model", []byte("definitely not protobuf \xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"), http.StatusUnprocessableEntity, "cannot be imported"},
		{"truncated", testModel(t, "resnet18")[:5000], http.StatusUnprocessableEntity, "truncated"},
		{"unsupported", bytes.ReplaceAll(testModel(t, "resnet18"), []byte("Relu"), []byte("Relx")), http.StatusUnprocessableEntity, `unsupported operators: Relx (node &#34;/relu/Relx&#34;)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := postModel(t, c.src, true)
			if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("status %d, body %.300s", rec.Code, rec.Body.String())
			}
		})
	}
	req := httptest.NewRequest(http.MethodPost, "/playground/onnx", strings.NewReader("x"))
	req.Header.Set("Content-Type", "text/plain")
	rec := httptest.NewRecorder()
	newTestServer(t).ServeHTTP(rec, req)
	if rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: status %d", rec.Code)
	}
}

// A body over the limit is refused with 413, without being read to its end.
func TestPlaygroundONNXBodyLimit(t *testing.T) {
	// A model whose graph holds one initializer with 200 MB of raw data: valid protobuf
	// to the end, so only the limit stops it.
	const size = 200 << 20
	var head []byte
	head = protowire.AppendTag(head, 7, protowire.BytesType)
	head = protowire.AppendVarint(head, size+20)
	head = protowire.AppendTag(head, 5, protowire.BytesType)
	head = protowire.AppendVarint(head, size+10)
	head = protowire.AppendTag(head, 9, protowire.BytesType)
	head = protowire.AppendVarint(head, size)
	big := io.MultiReader(bytes.NewReader(head), io.LimitReader(zeros{}, size))
	req := httptest.NewRequest(http.MethodPost, "/playground/onnx", big)
	req.Header.Set("Content-Type", "application/octet-stream")
	rec := httptest.NewRecorder()
	newTestServer(t).ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d: %.200s", rec.Code, rec.Body.String())
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
