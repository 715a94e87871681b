package templates

// Calculator is one of the lecture's arguments made live: a form of inputs and the
// engine's figures for two (or more) designs side by side.
type Calculator struct {
	Slug, Title, Intro string
	Fields             []Field
	Choices            []Choice // drop-down inputs
	Hidden             [][2]string
	Columns            []string // the designs compared
	Rows               []CalcRow
	Notes              []string // conclusions and corrections, computed from the figures
}

// Field is a numeric input of a calculator.
type Field struct {
	Name, Label string
	Value       int64
	Min, Max    int64
}

// CalcRow is one figure for each design, with the formula behind each.
type CalcRow struct {
	Label    string
	Values   []string
	Formulas []string
}

// ConceptLinks are the calculators, for the concepts index.
var ConceptLinks = []struct{ Slug, Title, Summary string }{
	{"stacked-3x3", "Three 3×3 convolutions or one 7×7?", "VGG's argument: the same receptive field with fewer parameters and more non-linearities."},
	{"inception", "Naive or bottleneck inception module", "GoogLeNet's 1×1 bottlenecks, and the lecture's own arithmetic checked."},
	{"separable", "Standard or depthwise separable convolution", "MobileNet's factorisation of a convolution into a depthwise and a pointwise one."},
	{"residual", "Plain or residual", "The same stack with and without shortcuts: what a skip costs."},
	{"transfer", "Transfer learning", "Which layers to freeze for how much data, how similar: the trainable parameters on a real network."},
}

// TransferCell is one cell of the lecture's transfer-learning table.
type TransferCell struct {
	Data, Similar string // "little" or "much"; "similar" or "different"
	Advice        string
	Selected      bool
	URL           string
}

func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Choice is a drop-down input of a calculator.
type Choice struct {
	Name, Label, Value string
	Options            [][2]string // value, label
}
