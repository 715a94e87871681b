package templates

import (
	"testing"

	"convatlas/archdefs"
	"convatlas/engine"
)

// catalogueReports analyses the whole catalogue, by id.
func catalogueReports(t testing.TB) map[string]*engine.Report {
	t.Helper()
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	reports, err := cat.Reports()
	if err != nil {
		t.Fatal(err)
	}
	return reports
}

// catalogueReport analyses one network of the catalogue.
func catalogueReport(t testing.TB, id string) *engine.Report {
	t.Helper()
	a, err := archdefs.Lookup(id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
