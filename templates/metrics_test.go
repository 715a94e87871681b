package templates

import (
	"strings"
	"testing"

	"convatlas/archdefs"
)

// Every result a card can show names its metric before its value, and every metric of the
// catalogue says whether it is an error or an accuracy, or names the segmentation
// score it is (U-Net's intersection over union).
func TestResultsNameTheirMetric(t *testing.T) {
	if got := ResultLine(archdefs.Result{Metric: "ILSVRC-2012 top-5 error", Value: "16.4%", Setting: "ensemble of 5 CNNs"}); got != "ILSVRC-2012 top-5 error 16.4% (ensemble of 5 CNNs)" {
		t.Errorf("ResultLine = %q", got)
	}
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range cat.Archs {
		for _, r := range a.Meta.Results {
			m := strings.ToLower(r.Metric)
			if !strings.Contains(m, "error") && !strings.Contains(m, "accuracy") && m != "intersection over union" {
				t.Errorf("%s: the metric %q says neither error nor accuracy", a.ID, r.Metric)
			}
			if strings.Count(r.Value, "/") > 0 && !strings.Contains(r.Value, "(") {
				t.Errorf("%s: the value %q lists several figures without saying which is which", a.ID, r.Value)
			}
		}
	}
}
