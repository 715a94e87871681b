package archdefs

import (
	"os"
	"regexp"
	"testing"

	"convatlas/engine"
)

// Every YAML example of docs/FORMAT.md parses and analyses.
func TestFormatDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) < 4 {
		t.Fatalf("found %d examples", len(blocks))
	}
	for i, b := range blocks {
		a, err := Parse("FORMAT.md", b[1])
		if err != nil {
			t.Errorf("example %d: %v", i+1, err)
			continue
		}
		if _, err := engine.Analyze(a.Model, engine.Options{}); err != nil {
			t.Errorf("example %d (%s): %v", i+1, a.ID, err)
		}
	}
}
