package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/concepts"
	"convatlas/diagram"
	"convatlas/templates"
)

// exerciseLimits says the limits of worksheets once, on the pages that use them.
var exerciseLimits = fmt.Sprintf("A worksheet has at most %d questions and a link of at most %d bytes of questions; an answer is at most %d characters; estimates are accepted within %.0f%% where the worksheet asks for one.",
	concepts.MaxQuestions, concepts.MaxWorksheetBytes, concepts.MaxAnswerBytes, 100*concepts.EstimateTolerance)

// worksheet asks the questions of specs ("alexnet/conv1:out,params") and, for every
// answer given (in order), checks it.
func (s *server) worksheet(specs []string, answers []string) ([]templates.QuestionView, error) {
	parsed, err := concepts.ParseSpecs(specs)
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	views := make([]templates.QuestionView, 0, len(parsed))
	for i, sp := range parsed {
		e, err := s.atlas().get(sp.Net)
		if err != nil {
			return nil, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("question %d: %s", i+1, err))
		}
		q, err := concepts.Ask(e.report, e.arch.Name, sp)
		if err != nil {
			return nil, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("question %d: %s", i+1, err))
		}
		v := templates.QuestionView{N: i, Spec: sp.String(), Prompt: e.arch.Name + ": " + q.Prompt, Hint: q.Hint, Net: sp.Net, Layer: sp.Layer,
			LayerURL: "/a/" + sp.Net + "/layer/" + url.PathEscape(sp.Layer), Worked: q.Answer + " — " + q.Formula}
		if sp.Estimate {
			v.Prompt += fmt.Sprintf(" (an estimate within %.0f%% will do)", 100*concepts.EstimateTolerance)
		}
		if i < len(answers) && strings.TrimSpace(answers[i]) != "" {
			v.Given = answers[i]
			if len(v.Given) > concepts.MaxAnswerBytes {
				v.Given = ""
			}
			v.Verdict = verdictOf(q.Check(answers[i]))
		}
		views = append(views, v)
	}
	return views, nil
}

func verdictOf(v concepts.Verdict) *templates.Verdict {
	return &templates.Verdict{Correct: v.Correct, Close: v.Close, Invalid: v.Invalid, Message: v.Message, Mistake: v.Mistake, Answer: v.Answer, Formula: v.Formula}
}

// readWorksheet reads a worksheet's questions and title from a query or form.
func readWorksheet(q url.Values) (specs []string, title string, err error) {
	specs = q["q"]
	if len(specs) > concepts.MaxQuestions {
		return nil, "", echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("a worksheet has at most %d questions", concepts.MaxQuestions))
	}
	title = strings.TrimSpace(q.Get("t"))
	if len(title) > concepts.MaxTitleBytes {
		return nil, "", echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("a worksheet's title is at most %d bytes", concepts.MaxTitleBytes))
	}
	if title == "" {
		title = "Worksheet"
	}
	return specs, title, nil
}

// exercises is a worksheet (?q=net/layer:kinds…, answers ?a=… when its form is sent
// without JavaScript), or the form that makes one.
func (s *server) exercises(c echo.Context) error {
	specs, title, err := readWorksheet(c.QueryParams())
	if err != nil {
		return err
	}
	if len(specs) == 0 {
		return s.builder(c, "alexnet")
	}
	var answers []string
	if c.QueryParam("check") != "" {
		answers = c.QueryParams()["a"]
	}
	qs, err := s.worksheet(specs, answers)
	if err != nil {
		return err
	}
	w := &templates.WorksheetPage{Title: title, Query: url.Values{"q": specs}.Encode(), Questions: qs, Assets: s.tourAssets(), Lecture: s.lectureWorksheet(), Limits: exerciseLimits}
	return s.page(c, templates.Shell{Title: title, Nav: "tour"}, templates.Worksheet(w))
}

// builder is the form that makes a worksheet from the layers of network net.
func (s *server) builder(c echo.Context, net string) error {
	e, err := s.lookupID(net)
	if err != nil {
		return err
	}
	b := &templates.WorksheetBuilder{Net: e.arch.ID, NetName: e.arch.Name}
	for _, en := range s.atlas().entries {
		b.Networks = append(b.Networks, [2]string{en.arch.ID, en.arch.Name})
	}
	for i := range e.report.Layers {
		l := &e.report.Layers[i]
		if l.Aux || !(l.Weighted || l.IsMerge() || l.Op == "maxpool" || l.Op == "avgpool") {
			continue
		}
		b.Layers = append(b.Layers, [2]string{l.Name, diagram.Label(l) + " → " + l.Out.String()})
	}
	for _, k := range concepts.QuestionKinds {
		b.Kinds = append(b.Kinds, [2]string{string(k), concepts.KindLabel(k)})
	}
	w := &templates.WorksheetPage{Title: "Make a worksheet", Builder: b, Assets: s.tourAssets(), Lecture: s.lectureWorksheet(), Limits: exerciseLimits}
	return s.page(c, templates.Shell{Title: "Exercises", Nav: "tour"}, templates.Worksheet(w))
}

// makeWorksheet turns the builder's choices into a worksheet's address.
func (s *server) makeWorksheet(c echo.Context) error {
	net := c.QueryParam("net")
	if net == "" {
		net = "alexnet"
	}
	layers, kinds := c.QueryParams()["layer"], c.QueryParams()["kind"]
	if c.QueryParam("pick") != "" || len(layers) == 0 {
		return s.builder(c, net)
	}
	e, err := s.lookupID(net)
	if err != nil {
		return err
	}
	if len(kinds) == 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose at least one kind of question.")
	}
	if len(layers)*len(kinds) > concepts.MaxQuestions {
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("That makes %d questions; a worksheet has at most %d.", len(layers)*len(kinds), concepts.MaxQuestions))
	}
	tilde := ""
	if c.QueryParam("estimate") == "1" {
		tilde = "~"
	}
	var specs []string
	for _, l := range layers {
		var ks []string
		for _, k := range kinds {
			ks = append(ks, k+tilde)
		}
		specs = append(specs, e.arch.ID+"/"+l+":"+strings.Join(ks, ","))
	}
	// Every question must be one the checker can ask.
	if _, err := s.worksheet(specs, nil); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, worksheetURL(specs, e.arch.Name+" worksheet"))
}

// checkAnswer checks question ?check=N of a worksheet's form: for htmx its verdict
// alone, otherwise the worksheet with every answer given checked.
func (s *server) checkAnswer(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	specs, title, err := readWorksheet(form)
	if err != nil {
		return err
	}
	if len(specs) == 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "The form names no question (q=net/layer:kind).")
	}
	answers := form["a"]
	if len(answers) > len(specs)*5 {
		return echo.NewHTTPError(http.StatusBadRequest, "More answers than questions.")
	}
	qs, err := s.worksheet(specs, answers)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(form.Get("check"))
	if err != nil || n < 0 || n >= len(qs) {
		n = -1
	}
	if isFragment(c) {
		c.Response().Header().Set("Cache-Control", "no-store")
		if n < 0 {
			return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("check is the number of a question, 0 to %d", len(qs)-1))
		}
		q := qs[n]
		if q.Verdict == nil {
			q.Verdict = &templates.Verdict{Invalid: true, Message: "Type an answer first: " + q.Hint + "."}
		}
		return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.VerdictView(q))
	}
	w := &templates.WorksheetPage{Title: title, Query: url.Values{"q": specs}.Encode(), Questions: qs, Assets: s.tourAssets(), Lecture: s.lectureWorksheet(), Limits: exerciseLimits}
	return s.page(c, templates.Shell{Title: title, Nav: "tour"}, templates.Worksheet(w))
}
