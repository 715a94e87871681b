package templates

import (
	"convatlas/archdefs"
)

// ResultLine writes a published result with its metric first, so that a card never
// shows a bare percentage: "top-5 error 16.4% (ILSVRC-2012; ensemble of 5 CNNs)".
func ResultLine(r archdefs.Result) string {
	s := r.Metric + " " + r.Value
	if r.Setting != "" {
		s += " (" + r.Setting + ")"
	}
	return s
}
