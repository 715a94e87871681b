package archdefs

import (
	"testing"

	"convatlas/engine"
)

func benchmarkArch(b *testing.B, id string) {
	cat, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	a, ok := cat.Get(id)
	if !ok {
		b.Skipf("%s is not in the catalogue", id)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := engine.Analyze(a.Model, engine.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyzeResNet50(b *testing.B)  { benchmarkArch(b, "resnet50") }
func BenchmarkAnalyzeResNet152(b *testing.B) { benchmarkArch(b, "resnet152") }
