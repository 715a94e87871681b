package templates

import (
	"strings"
	"unicode"

	"convatlas/diagram"
	"convatlas/engine"
)

// Search limits: a query is read in full and matched against every layer of a network
// (ResNet-1202 has 3,611), so both are bounded.
const (
	MaxSearchQuery   = 100 // characters; longer names than any of the catalogue's
	MaxSearchTokens  = 8   // words of a query; each is a substring test per layer
	MaxSearchResults = 40  // layers listed; more than fit a screen
)

// SearchTokens splits a query into lower-case words at spaces and commas: "Res 50" →
// [res 50], "conv4_x.3 conv2" → [conv4_x.3 conv2], "28×28" → [28x28]. At most
// MaxSearchTokens are kept.
func SearchTokens(q string) []string {
	if len(q) > 4*MaxSearchQuery {
		q = q[:4*MaxSearchQuery]
	}
	q = strings.NewReplacer("×", "x").Replace(strings.ToLower(q))
	words := strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	if len(words) > MaxSearchTokens {
		words = words[:MaxSearchTokens]
	}
	return words
}

// SearchText is what a query's words are looked for in: the fields lower-cased, and each
// of their words again without its punctuation ("ResNet-50" is found as "resnet-50",
// as "resnet50" and as "resnet 50"; "1×1 conv, 256" never as "conv2").
func SearchText(fields ...string) string {
	var b strings.Builder
	for _, f := range fields {
		f = strings.NewReplacer("×", "x").Replace(strings.ToLower(f))
		b.WriteString(f)
		for _, w := range strings.Fields(f) {
			b.WriteByte(' ')
			b.WriteString(strings.Map(func(r rune) rune {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					return r
				}
				return -1
			}, w))
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// Matches reports whether every word of a query occurs in text (a SearchText).
func Matches(words []string, text string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return len(words) > 0
}

// LayerHit is a layer found by a search.
type LayerHit struct {
	Name, Label, Kind, Shape string
}

// FindLayers lists the layers of r whose name, operation, label or output shape hold
// every word of q, in order, at most MaxSearchResults.
func FindLayers(r *engine.Report, q string) []LayerHit {
	words := SearchTokens(q)
	if len(words) == 0 {
		return nil
	}
	var hits []LayerHit
	for i := range r.Layers {
		l := &r.Layers[i]
		label, shape := diagram.Label(l), l.Out.String()
		if !Matches(words, SearchText(l.Name, l.Op, label, shape)) {
			continue
		}
		hits = append(hits, LayerHit{Name: l.Name, Label: label, Kind: diagram.Kind(l.Op), Shape: shape})
		if len(hits) == MaxSearchResults {
			break
		}
	}
	return hits
}

// EditDistance is the Levenshtein distance between a and b, in runes.
func EditDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	row := make([]int, len(y)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(x); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			diag, row[j] = row[j], min(row[j]+1, row[j-1]+1, diag+cost)
		}
	}
	return row[len(y)]
}

// NaturalLess orders names as people read them: the runs of digits by their value, so
// that ResNet-18 comes before ResNet-101; letters without regard to case.
func NaturalLess(a, b string) int {
	a, b = strings.ToLower(a), strings.ToLower(b)
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			x, y := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(x) != len(y) {
				return len(x) - len(y)
			}
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
