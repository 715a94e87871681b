package onnx

import (
	"bytes"
	"io"
	"testing"

	"convatlas/engine"
)

// BenchmarkImport reads, converts and analyses a test model, in process (the whole
// process is timed with hyperfine; docs/PERFORMANCE.md).
func BenchmarkImport(b *testing.B) {
	for _, id := range []string{"resnet50", "densenet201", "inception_v3"} {
		src, err := io.ReadAll(openTestdata(b, id))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(id, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				g, err := Read(bytes.NewReader(src), Limits{})
				if err != nil {
					b.Fatal(err)
				}
				im, err := Convert(g, "b", "b")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := engine.Analyze(im.Model, engine.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
