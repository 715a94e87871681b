package templates

import (
	"fmt"

	"convatlas/archdefs"
	"convatlas/chart"
	"convatlas/diagram"
)

// ComparePage is the comparison of several networks.
type ComparePage struct {
	All      []*archdefs.Arch // every architecture, for the chooser
	Selected map[string]bool
	IDs      string // the selection as the ids parameter
	Items    []chart.Compared
	Charts   []*chart.Chart
	Detail   string // what a box of the side-by-side diagrams is: "stage" or "layer"
}

func accuracyText(a float64) string {
	if a == 0 {
		return "—"
	}
	return diagram.TrimZeros(fmt.Sprintf("%.2f", a)) + "%"
}
