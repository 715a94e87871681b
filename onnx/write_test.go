package onnx

import (
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

// An imported model written as a definition reads back to the same figures.
func TestImportWritesBack(t *testing.T) {
	for _, id := range []string{"resnet50", "densenet121", "inception_v3", "mobilenet_v3_large", "convnext_tiny", "squeezenet1_0", "resnet18_folded"} {
		t.Run(id, func(t *testing.T) {
			im, r := importFile(t, id)
			im.Model.ID = "imported"
			src, err := archdefs.Write(im.Model, "imported from "+id+".onnx")
			if err != nil {
				t.Fatal(err)
			}
			a, err := archdefs.Parse(id+".yaml", src)
			if err != nil {
				t.Fatalf("%v\n%s", err, src)
			}
			back, err := engine.Analyze(a.Model, engine.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if back.Totals != r.Totals || len(back.Stages) != len(r.Stages) || len(back.Blocks) != len(r.Blocks) {
				t.Errorf("read back: %+v, %d stages, %d blocks; imported %+v, %d stages, %d blocks",
					back.Totals, len(back.Stages), len(back.Blocks), r.Totals, len(r.Stages), len(r.Blocks))
			}
		})
	}
}
