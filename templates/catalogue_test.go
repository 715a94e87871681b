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

// catalogueReport is one network of the catalogue, analysed.
func catalogueReport(t testing.TB, id string) *engine.Report {
	t.Helper()
	r, ok := catalogueReports(t)[id]
	if !ok {
		t.Fatalf("no %s in the catalogue", id)
	}
	return r
}
