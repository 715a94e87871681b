package templates

import (
	"strings"

	"convatlas/archdefs"
)

// LeftOut is a network a chart does not draw, with the reason.
type LeftOut struct {
	Name, Why string
}

// accuracyMissing says why a network has no ImageNet top-1 accuracy to chart: its
// results are top-5 errors only (GoogLeNet's paper), or on another data set (LeNet-5 on
// MNIST, FractalNet on CIFAR), or there are none.
func accuracyMissing(a *archdefs.Arch) string {
	sets := map[string]bool{}
	var order []string
	top5 := false
	for _, r := range a.Meta.Results {
		m := strings.ToLower(r.Metric + " " + r.Setting)
		set := "ImageNet"
		for _, s := range []string{"MNIST", "CIFAR-100", "CIFAR-10", "SVHN"} {
			if strings.Contains(m, strings.ToLower(s)) {
				set = s
				break
			}
		}
		if set == "ImageNet" && strings.Contains(m, "top-5") {
			top5 = true
		}
		if !sets[set] {
			sets[set] = true
			order = append(order, set)
		}
	}
	switch {
	case top5:
		return "only top-5 error published"
	case len(order) > 0 && !sets["ImageNet"]:
		return "results on " + strings.Join(order, " and ") + " only"
	}
	return "no accuracy given"
}

// ResultLine writes a published result with its metric first, so that a card never
// shows a bare percentage: "top-5 error 16.4% (ILSVRC-2012; ensemble of 5 CNNs)".
func ResultLine(r archdefs.Result) string {
	s := r.Metric + " " + r.Value
	if r.Setting != "" {
		s += " (" + r.Setting + ")"
	}
	return s
}

// leftOutText writes the networks a chart leaves out on one line:
// "GoogLeNet (only top-5 error published); LeNet-5 (results on MNIST only)".
func leftOutText(left []LeftOut) string {
	parts := make([]string, len(left))
	for i, l := range left {
		parts[i] = l.Name + " (" + l.Why + ")"
	}
	return strings.Join(parts, "; ")
}
