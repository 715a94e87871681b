package static

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// The vendored htmx is the version package.json pins, byte for byte when node_modules
// holds the package.
func TestVendoredHTMXIsThePinnedVersion(t *testing.T) {
	raw, err := os.ReadFile("../package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	pin := pkg.Dependencies["htmx.org"]
	if pin == "" || strings.ContainsAny(pin, "^~<>*x ") {
		t.Fatalf("package.json must pin an exact htmx.org version, has %q", pin)
	}
	vendored, err := fs.ReadFile(Files, "vendor/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(vendored, []byte(`version:"`+pin+`"`)) {
		t.Fatalf("static/vendor/htmx.min.js is not htmx %s", pin)
	}
	if fromNPM, err := os.ReadFile("../node_modules/htmx.org/dist/htmx.min.js"); err == nil {
		if !bytes.Equal(fromNPM, vendored) {
			t.Fatal("static/vendor/htmx.min.js differs from node_modules/htmx.org: run npm run vendor")
		}
	}
}
