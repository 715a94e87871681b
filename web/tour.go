package web

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/archdefs"
	"convatlas/chart"
	"convatlas/diagram"
	"convatlas/engine"
	"convatlas/markdown"
	"convatlas/templates"
)

// tourSet is the tours being served: the embedded ones, then a teacher's.
type tourSet struct {
	list []*archdefs.Tour
	own  map[string]bool
	byID map[string]*archdefs.Tour
}

// initTours loads the tours, checked against the atlas, and watches the teacher's
// folder if there is one.
func (s *server) initTours(cfg Config) error {
	stamp := dirStamp(cfg.ToursDir)
	set, err := s.loadTours(cfg.ToursDir)
	if err != nil {
		return err
	}
	s.tours.Store(set)
	if cfg.ToursDir != "" {
		go s.watchTours(cfg, stamp)
	}
	return nil
}

// loadTours reads the embedded tours and those of dir, and checks every one against
// the atlas: a mistake is an error naming file, line and column.
func (s *server) loadTours(dir string) (*tourSet, error) {
	builtin, err := archdefs.DefaultTours()
	if err != nil {
		return nil, err
	}
	set := &tourSet{own: map[string]bool{}, byID: map[string]*archdefs.Tour{}}
	add := func(t *archdefs.Tour, own bool) error {
		if _, clash := set.byID[t.ID]; clash {
			return fmt.Errorf("%s: the tour id %q is taken; give your tour another", t.File, t.ID)
		}
		if err := s.checkTour(t); err != nil {
			return err
		}
		set.list = append(set.list, t)
		set.byID[t.ID], set.own[t.ID] = t, own
		return nil
	}
	for _, t := range builtin {
		if err := add(t, false); err != nil {
			return nil, err
		}
	}
	if dir == "" {
		return set, nil
	}
	// os.Root keeps every read inside the folder, symbolic links included.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	own, err := archdefs.LoadTours(root.FS())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	for _, t := range own {
		if err := add(t, true); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
	}
	return set, nil
}

// watchTours reloads the teacher's tours when a file changes; a broken file keeps
// the last good tours and is logged with its position.
func (s *server) watchTours(cfg Config, last string) {
	watchFolder(cfg.Done, cfg.ToursDir, last, func() {
		set, err := s.loadTours(cfg.ToursDir)
		if err != nil {
			s.log.Error("your tours were not reloaded", "err", err)
			return
		}
		s.tours.Store(set)
		s.log.Info("reloaded your tours", "dir", cfg.ToursDir)
	})
}

// at is an error at a field of a step.
func at(v *archdefs.View, field string, fallback engine.Pos, msg string) error {
	pos, ok := v.Pos[field]
	if !ok {
		pos = fallback
	}
	return &engine.Error{Pos: pos, Msg: msg}
}

// checkTour checks a tour against the atlas: every network, stage, layer, calculator,
// chart, question and figure it names must exist, and every figure must compute.
func (s *server) checkTour(t *archdefs.Tour) error {
	if len(t.Worksheet) > 0 {
		if _, err := s.worksheet(t.Worksheet, nil); err != nil {
			return &engine.Error{Pos: t.WorksheetPos, Msg: err.Error()}
		}
	}
	for _, st := range t.Steps {
		if _, err := s.drawStep(t, st, false); err != nil {
			return err
		}
	}
	return nil
}

// drawStep builds a step's page. Every error it returns is positioned in the tour file.
func (s *server) drawStep(t *archdefs.Tour, st *archdefs.Step, present bool) (*templates.TourStep, error) {
	v := &st.View
	p := &templates.TourStep{TourID: t.ID, TourTitle: t.Title, Title: st.Title, Present: present}
	var calc *templates.Calculator
	switch {
	case v.Arch != "":
		e, err := s.atlas().get(v.Arch)
		if err != nil {
			return nil, at(v, "arch", st.Pos, err.Error())
		}
		opt := diagram.Options{Dir: "tb", AutoCollapse: diagram.DefaultAutoCollapse, Expand: map[string]bool{}, Collapse: map[string]bool{}}
		if v.Dir != "" {
			opt.Dir = v.Dir
		}
		if present {
			opt.Scale = 1.25
		}
		stages := map[string]bool{}
		for _, sg := range e.report.Stages {
			stages[sg.Name] = true
		}
		for i, x := range v.Expand {
			if !stages[x] {
				return nil, at(v, "expand", st.Pos, fmt.Sprintf("expand[%d]: %s has no stage %q", i, e.arch.Name, x))
			}
			opt.Expand[x] = true
		}
		p.Kind, p.ArchID, p.ArchName, p.Names = "arch", e.arch.ID, e.arch.Name, e.arch.ID
		p.AtlasURL = "/a/" + e.arch.ID
		if v.Stage != "" {
			if !stages[v.Stage] {
				return nil, at(v, "stage", st.Pos, fmt.Sprintf("%s has no stage %q", e.arch.Name, v.Stage))
			}
			opt.Stage = v.Stage
			opt.Expand[v.Stage] = true
			p.Names += " stage " + v.Stage
			p.AtlasURL += "?expand=" + url.QueryEscape(v.Stage)
		}
		var layer *engine.Layer
		if v.Layer != "" {
			l, ok := e.report.Layer(v.Layer)
			if !ok {
				return nil, at(v, "layer", st.Pos, fmt.Sprintf("%s has no layer %q", e.arch.Name, v.Layer))
			}
			if v.Stage != "" && l.Stage != v.Stage {
				return nil, at(v, "layer", st.Pos, fmt.Sprintf("layer %q is in stage %q, not in %q", v.Layer, l.Stage, v.Stage))
			}
			if l.Stage != "" && diagram.StageCollapsed(e.report, opt, l.Stage) {
				opt.Expand[l.Stage] = true
			}
			layer = l
			p.Names += " layer " + l.Name
			p.AtlasURL = "/a/" + e.arch.ID + "/layer/" + url.PathEscape(l.Name)
		}
		d, err := diagram.Layout(e.report, opt)
		if err != nil {
			return nil, at(v, "arch", st.Pos, err.Error())
		}
		if layer != nil {
			d.Select(layer.Name)
			p.Selected = layer.Name
			x := e.report.Explain(layer.Index)
			p.Layer = []templates.Figure{
				{Label: "layer", Value: diagram.Label(layer), Note: layer.Name + " · input " + layer.In.String()},
				{Label: "output", Value: layer.Out.String(), Note: x.Out},
				{Label: "parameters", Value: engine.Group(layer.Params), Note: x.Params},
				{Label: "multiply-adds", Value: engine.Group(layer.MACs), Note: x.MACs},
				{Label: "receptive field", Value: layer.RF.String(), Note: x.RF},
			}
		}
		p.Diagram = d
	case v.Concept != "":
		q := url.Values{}
		for _, a := range v.Args {
			q.Add(a[0], a[1])
		}
		if !slices.ContainsFunc(templates.ConceptLinks, func(c struct{ Slug, Title, Summary string }) bool { return c.Slug == v.Concept }) {
			var names []string
			for _, c := range templates.ConceptLinks {
				names = append(names, c.Slug)
			}
			return nil, at(v, "concept", st.Pos, fmt.Sprintf("there is no calculator %q; the calculators are %s", v.Concept, strings.Join(names, ", ")))
		}
		var err error
		if calc, _, err = s.calculator(v.Concept, q); err != nil {
			return nil, at(v, "args", st.Pos, fmt.Sprintf("calculator %s: %s", v.Concept, httpMessage(err)))
		}
		p.Kind, p.Calc, p.Names = "concept", calc, "concept "+v.Concept
		p.AtlasURL = "/concepts/" + v.Concept
		if len(q) > 0 {
			p.AtlasURL += "?" + q.Encode()
		}
	case v.Chart != "":
		if len(v.IDs) > maxCompared {
			return nil, at(v, "ids", st.Pos, fmt.Sprintf("a chart compares at most %d networks", maxCompared))
		}
		for i, id := range v.IDs {
			if _, err := s.atlas().get(id); err != nil {
				return nil, at(v, fmt.Sprintf("ids[%d]", i), st.Pos, err.Error())
			}
		}
		items, err := s.atlas().compared(v.IDs)
		if err != nil {
			return nil, at(v, "ids", st.Pos, err.Error())
		}
		ids := strings.Join(v.IDs, ",")
		var names []string
		var chart *chart.Chart
		for _, ch := range compareCharts(items, ids) {
			names = append(names, ch.id)
			if ch.id == v.Chart {
				chart = ch.build()
			}
		}
		if chart == nil {
			return nil, at(v, "chart", st.Pos, fmt.Sprintf("there is no chart %q; the charts are %s", v.Chart, strings.Join(names, ", ")))
		}
		p.Kind, p.Names = "chart", "chart "+v.Chart
		p.ChartURL = "/embed/chart/" + v.Chart + ".svg?ids=" + ids
		p.ChartAlt = chart.Title + ": " + strings.Join(v.IDs, ", ")
		p.AtlasURL = "/compare?ids=" + ids
	}
	if len(v.Questions) > 0 {
		qs, err := s.worksheet(v.Questions, nil)
		if err != nil {
			return nil, at(v, "questions", st.Pos, err.Error())
		}
		p.Questions = qs
		p.Worksheet = worksheetURL(v.Questions, "")
	}
	text, err := s.stepText(st, calc)
	if err != nil {
		return nil, err
	}
	if p.Text, err = markdown.Render([]byte(text)); err != nil {
		return nil, &engine.Error{Pos: st.Pos, Msg: err.Error()}
	}
	return p, nil
}

// httpMessage is the message of an error a handler would have answered with.
func httpMessage(err error) string {
	if he, ok := err.(*echo.HTTPError); ok {
		return fmt.Sprint(he.Message)
	}
	return err.Error()
}

// stepText replaces the figures of a step's text by their values.
func (s *server) stepText(st *archdefs.Step, calc *templates.Calculator) (string, error) {
	var b strings.Builder
	last := 0
	for i := range st.Figures {
		f := &st.Figures[i]
		val, err := f.Eval(func(t archdefs.Term) (float64, string, error) { return s.termValue(t, calc) })
		if err != nil {
			return "", &engine.Error{Pos: f.Pos, Msg: fmt.Sprintf("figure {{ %s }}: %s", f.Source, err)}
		}
		b.WriteString(st.Text[last:f.Start])
		b.WriteString(val)
		last = f.End
	}
	b.WriteString(st.Text[last:])
	return b.String(), nil
}

// termValue looks a figure's term up in the atlas or the step's calculator.
func (s *server) termValue(t archdefs.Term, calc *templates.Calculator) (float64, string, error) {
	if t.IsCalc {
		if calc == nil {
			return 0, "", fmt.Errorf("calc: terms need a step with a concept: calculator")
		}
		for _, r := range calc.Rows {
			if strings.ReplaceAll(r.Label, " ", "-") != t.Row {
				continue
			}
			if t.Col >= len(r.Values) {
				return 0, "", fmt.Errorf("the row %q has %d columns (from 0)", t.Row, len(r.Values))
			}
			if t.Col < len(r.Values) {
				if n, ok := leadingNumber(r.Values[t.Col]); ok {
					return n, "", nil
				}
				return 0, r.Values[t.Col], nil
			}
		}
		var rows []string
		for _, r := range calc.Rows {
			rows = append(rows, strings.ReplaceAll(r.Label, " ", "-"))
		}
		return 0, "", fmt.Errorf("the calculator has no row %q; its rows are %s", t.Row, strings.Join(rows, ", "))
	}
	e, err := s.atlas().get(t.Net)
	if err != nil {
		return 0, "", err
	}
	r := e.report
	if t.Layer == "" {
		tot := r.Totals
		switch t.What {
		case "params":
			return float64(tot.Params), "", nil
		case "macs":
			return float64(tot.MACs), "", nil
		case "flops":
			return 2 * float64(tot.MACs), "", nil
		case "activations":
			return float64(tot.Activations), "", nil
		case "memory":
			return 4 * float64(tot.Activations), "", nil
		case "input":
			return float64(r.Input.Elements()), "", nil
		case "depth":
			return float64(tot.Depth), "", nil
		case "out":
			return 0, r.Output.String(), nil
		case "rf":
			return float64(r.Layers[len(r.Layers)-1].RF.H.Size), "", nil
		}
		return 0, "", fmt.Errorf("no figure %q", t.What)
	}
	l, ok := r.Layer(t.Layer)
	if !ok {
		return 0, "", fmt.Errorf("%s has no layer %q", e.arch.Name, t.Layer)
	}
	if t.Formula {
		x := r.Explain(l.Index)
		return 0, map[string]string{"out": x.Out, "params": x.Params, "macs": x.MACs, "rf": x.RF}[t.What], nil
	}
	switch t.What {
	case "params":
		return float64(l.Params), "", nil
	case "macs":
		return float64(l.MACs), "", nil
	case "flops":
		return 2 * float64(l.MACs), "", nil
	case "activations":
		return float64(l.Activations), "", nil
	case "memory":
		return 4 * float64(l.Activations), "", nil
	case "input":
		return float64(l.In.Elements()), "", nil
	case "depth":
		return float64(l.Depth), "", nil
	case "out":
		return 0, l.Out.String(), nil
	case "rf":
		return float64(l.RF.H.Size), "", nil
	}
	return 0, "", fmt.Errorf("no figure %q", t.What)
}

// leadingNumber reads the number a calculator's cell starts with: "2,049,000 of …".
func leadingNumber(s string) (float64, bool) {
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == ',') {
		end++
	}
	if end == 0 || (end < len(s) && s[end] != ' ' && s[end] != '.') {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s[:end], ",", ""), 10, 64)
	return float64(n), err == nil
}

func (s *server) tourAssets() templates.TourAssets {
	return templates.TourAssets{JS: s.assets.url("js/tour.js"), CSS: s.assets.url("css/tour.css")}
}

func (s *server) tourIndex(c echo.Context) error {
	set := s.tours.Load()
	var cards []templates.TourCard
	for _, t := range set.list {
		cards = append(cards, templates.TourCard{ID: t.ID, Title: t.Title, Source: t.Source, Steps: len(t.Steps), Own: set.own[t.ID]})
	}
	return s.page(c, templates.Shell{Title: "Tours", Nav: "tour", Description: "Guided tours of the lecture, and exercises on any layer of any network."},
		templates.TourIndex(cards, s.lectureWorksheet(), s.tourAssets()))
}

// lectureWorksheet is the URL of the first tour's worksheet: the lecture's questions.
func (s *server) lectureWorksheet() string {
	t := s.tours.Load().byID["lecture9"]
	if t == nil || len(t.Worksheet) == 0 {
		return "/exercises"
	}
	return worksheetURL(t.Worksheet, "The lecture's questions")
}

// worksheetURL is the address of a worksheet.
func worksheetURL(specs []string, title string) string {
	q := url.Values{"q": specs}
	if title != "" {
		q.Set("t", title)
	}
	return "/exercises?" + q.Encode()
}

func (s *server) lookupTour(c echo.Context) (*archdefs.Tour, error) {
	t := s.tours.Load().byID[c.Param("tour")]
	if t == nil {
		return nil, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("There is no tour %q.", c.Param("tour")))
	}
	return t, nil
}

func (s *server) tourOverview(c echo.Context) error {
	t, err := s.lookupTour(c)
	if err != nil {
		return err
	}
	intro, err := markdown.Render([]byte(t.Intro))
	if err != nil {
		return err
	}
	p := &templates.TourStep{TourID: t.ID, TourTitle: t.Title, Text: intro, Assets: s.tourAssets()}
	for _, st := range t.Steps {
		p.Titles = append(p.Titles, st.Title)
	}
	if len(t.Worksheet) > 0 {
		p.Worksheet = worksheetURL(t.Worksheet, t.Title)
	}
	return s.page(c, templates.Shell{Title: t.Title, Nav: "tour"}, templates.TourOverview(p))
}

// tourStep is one step of a tour; ?q=…&a=… (its questions' form sent without
// JavaScript) checks the answers given.
func (s *server) tourStep(c echo.Context) error {
	t, err := s.lookupTour(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("step"))
	if err != nil || n < 1 || n > len(t.Steps) {
		return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("%s has steps 1 to %d.", t.Title, len(t.Steps)))
	}
	present := c.QueryParam("present") == "1"
	p, err := s.drawStep(t, t.Steps[n-1], present)
	if err != nil {
		// The tour was checked when it was loaded; the atlas may have changed since.
		return echo.NewHTTPError(http.StatusUnprocessableEntity, err.Error())
	}
	p.N, p.Count, p.Assets = n, len(t.Steps), s.tourAssets()
	suffix := ""
	if present {
		suffix = "?present=1"
	}
	if n > 1 {
		p.Prev = fmt.Sprintf("/tour/%s/%d%s", t.ID, n-1, suffix)
	}
	if n < len(t.Steps) {
		p.Next = fmt.Sprintf("/tour/%s/%d%s", t.ID, n+1, suffix)
	}
	if answers := c.QueryParams()["a"]; len(answers) > 0 && len(p.Questions) > 0 {
		if p.Questions, err = s.worksheet(t.Steps[n-1].View.Questions, answers); err != nil {
			return err
		}
	}
	return s.page(c, templates.Shell{Title: fmt.Sprintf("%s · %s", t.Steps[n-1].Title, t.Title), Nav: "tour"}, templates.TourStepView(p))
}

// tourExport lists the tour pages of a static export, with the files of those whose
// URL fileFor cannot name: worksheets (their query holds slashes) and the charts of
// steps (one file per set of networks).
func (s *server) tourExport() (pages []string, files map[string]string) {
	files = map[string]string{"/tour/": "tour/index.html", "/exercises": "exercises/index.html", "/exercises/make": "exercises/index.html"}
	pages = []string{"/tour/", "/exercises"}
	for _, t := range s.tours.Load().list {
		overview := "/tour/" + t.ID
		pages = append(pages, overview)
		files[overview] = "tour/" + t.ID + "/index.html"
		if len(t.Worksheet) > 0 {
			for i, title := range []string{t.Title, "The lecture's questions"} {
				if i == 1 && t.ID != "lecture9" {
					continue
				}
				u := worksheetURL(t.Worksheet, title)
				pages = append(pages, u)
				files[u] = fmt.Sprintf("exercises/%s-%d.html", t.ID, i+1)
			}
		}
		for n, st := range t.Steps {
			u := fmt.Sprintf("/tour/%s/%d", t.ID, n+1)
			pages = append(pages, u)
			files[u] = fmt.Sprintf("tour/%s/%d.html", t.ID, n+1)
			if v := st.View; v.Chart != "" {
				chart := "/embed/chart/" + v.Chart + ".svg?ids=" + strings.Join(v.IDs, ",")
				if _, done := files[chart]; !done {
					pages = append(pages, chart)
					files[chart] = fmt.Sprintf("tour/%s/chart-%d.svg", t.ID, n+1)
				}
			}
		}
	}
	return pages, files
}
