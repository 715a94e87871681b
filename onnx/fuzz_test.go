package onnx

import (
	"bytes"
	"io"
	"testing"

	"convatlas/engine"
)

// FuzzImport reads, converts and analyses arbitrary bytes: an error is fine, a panic
// or a hang is not.
func FuzzImport(f *testing.F) {
	f.Add(tiny())
	f.Add(tiny()[:30])
	for _, id := range []string{"resnet18", "squeezenet1_1", "mobilenet_v3_small"} {
		src, err := io.ReadAll(openTestdata(f, id))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		g, err := Read(bytes.NewReader(src), Limits{})
		if err != nil {
			return
		}
		im, err := Convert(g, "f", "f")
		if err != nil {
			return
		}
		_, _ = engine.Analyze(im.Model, engine.Options{})
	})
}
