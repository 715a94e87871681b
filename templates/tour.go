package templates

import "convatlas/diagram"

// TourCard is one tour on the tour index.
type TourCard struct {
	ID, Title, Source string
	Steps             int
	Own               bool // from the teacher's folder
}

// TourStep is one step of a tour, drawn: its view, its text and the way on.
type TourStep struct {
	TourID, TourTitle string
	N, Count          int    // 1-based step number, number of steps
	Title             string // the step's heading
	Text              string // HTML rendered from the step's Markdown (goldmark, safe mode)
	Prev, Next        string // URLs, empty at the ends
	Present           bool
	Titles            []string // every step's title, for the overview

	// What the step shows, named for tests and screen readers: "alexnet conv1",
	// "concept inception", "chart accuracy".
	Names    string
	Kind     string // arch, concept, chart
	Diagram  *diagram.Diagram
	ArchID   string
	ArchName string
	Selected string   // the selected layer's name
	AtlasURL string   // the same view in the atlas
	Layer    []Figure // the selected layer's figures with their formulas
	Calc     *Calculator
	ChartURL string
	ChartAlt string

	Questions []QuestionView
	Worksheet string // the query of the step's questions as a worksheet

	Assets TourAssets
}

// TourAssets are the tour's own script and stylesheet.
type TourAssets struct{ JS, CSS string }

// QuestionView is one exercise on a page.
type QuestionView struct {
	N        int // 0-based, in its worksheet
	Spec     string
	Prompt   string
	Hint     string
	Net      string
	Layer    string
	LayerURL string
	Given    string // the answer typed, if any
	Verdict  *Verdict
	Worked   string // the figure and its formula, for "show the worked answer"
}

// Verdict is the checker's reply to an answer.
type Verdict struct {
	Correct, Close, Invalid bool
	Message, Mistake        string
	Answer, Formula         string
}

// WorksheetPage is a worksheet: its questions, or the form that makes one.
type WorksheetPage struct {
	Title     string
	Query     string // q=…&q=…, the worksheet's identity in links and in the browser's progress
	Questions []QuestionView
	Builder   *WorksheetBuilder
	Assets    TourAssets
	Lecture   string // the lecture's worksheet URL
	Limits    string // the limits, said once
}

// WorksheetBuilder is the form that makes a worksheet: a network, its weight layers
// and merges, the kinds of question.
type WorksheetBuilder struct {
	Net      string
	NetName  string
	Networks [][2]string // id, name
	Layers   [][2]string // name, label
	Kinds    [][2]string // kind, label
}
