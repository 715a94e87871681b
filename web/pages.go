package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"convatlas/chart"
	"convatlas/diagram"
	"convatlas/engine"
	"convatlas/templates"
)

func (s *server) index(c echo.Context) error {
	sort := c.QueryParam("sort")
	switch sort {
	case "", "family":
		sort = "family"
	case "year", "newest":
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "sort is family, year or newest")
	}
	q, err := searchQuery(c)
	if err != nil {
		return err
	}
	shell := templates.Shell{Title: "The atlas", Nav: "atlas", Description: "An interactive atlas of convolutional network architectures."}
	accuracy := s.atlas().accuracy
	if c.QueryParam("present") == "1" {
		accuracy = s.atlas().accuracySlide
	}
	return s.page(c, shell, templates.Index(filterGroups(s.atlas().groups(sort), q), sort, s.atlas().timeline, chart.TimelineRows(s.atlas().index), accuracy, chart.AccuracyRows(accuracy), q))
}

// lookup finds the architecture of the :id parameter.
func (s *server) lookup(c echo.Context) (*entry, error) {
	return s.lookupID(c.Param("id"))
}

// lookupID finds an architecture, or answers 404.
func (s *server) lookupID(id string) (*entry, error) {
	e, err := s.atlas().get(id)
	if err != nil {
		return nil, &notFoundError{msg: err.Error(), suggestions: s.atlas().nearest(id)}
	}
	return e, nil
}

// diagramView reads the diagram's state from the URL.
func diagramView(c echo.Context, e *entry) (templates.DiagramView, error) {
	v := templates.DiagramView{ID: e.arch.ID, Dir: c.QueryParam("dir"), Default: templates.DefaultMode(e.report)}
	switch mode := c.QueryParam("view"); mode {
	case templates.ModeBlocks, templates.ModeFull:
		v.Mode = mode
		if mode == templates.ModeBlocks && v.Default == templates.ModeFull {
			v.Mode = templates.ModeFull // no runs: the same drawing, one URL
		}
	case templates.ModeStreams:
		if !diagram.HasStreams(e.report) {
			return v, echo.NewHTTPError(http.StatusBadRequest, e.arch.Name+" is not split across devices: view=streams draws a network whose definition says its groups are devices (AlexNet's two GPUs)")
		}
		v.Mode = mode
	default: // diagram, absent, or a page's other tab (table, volumes): archData checks those
		v.Mode = v.Default
	}
	if c.QueryParam("present") == "1" {
		v.Scale = 1.5
	}
	v.Paths = c.QueryParam("paths") == "1"
	if v.Dir == "" {
		v.Dir = "tb"
	}
	if v.Dir != "tb" && v.Dir != "lr" {
		return v, echo.NewHTTPError(http.StatusBadRequest, "dir is tb (top-down) or lr (left-right)")
	}
	var err error
	if v.Expand, err = stageList(c, e, "expand"); err != nil {
		return v, err
	}
	v.Collapse, err = stageList(c, e, "collapse")
	return v, err
}

// archData gathers an architecture's page; layer, if not empty, is the selected layer,
// whose stage is expanded if the view had it collapsed. panelOnly skips the diagram
// unless that stage had to expand (an htmx step needs only the panel).
func (s *server) archData(c echo.Context, layer string, panelOnly bool) (*templates.ArchPage, error) {
	e, err := s.lookup(c)
	if err != nil {
		return nil, err
	}
	view, err := diagramView(c, e)
	if err != nil {
		return nil, err
	}
	var panel *templates.LayerPanel
	expanded := false
	if layer != "" {
		l, ok := e.report.Layer(layer)
		if !ok {
			return nil, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("%s has no layer %q.", e.arch.Name, layer))
		}
		if l.Stage != "" && diagram.StageHides(e.report, view.Options(), l.Stage, l.Index) {
			view.Expand = append(view.Expand, l.Stage)
			view.Collapse = slices.DeleteFunc(view.Collapse, func(s string) bool { return s == l.Stage || s == "all" })
			expanded = true
		}
		panel = templates.NewLayerPanel(e.arch.ID, e.report, l.Index, view.Query(nil))
	}
	view.Freeze()
	var d *diagram.Diagram
	if !panelOnly || expanded {
		if d, err = diagram.LayoutContext(c.Request().Context(), e.report, view.Options()); err != nil {
			return nil, err
		}
		if layer != "" {
			d.Select(layer)
		}
	}
	r := e.report
	t := r.Totals
	p := &templates.ArchPage{Arch: e.arch, Report: r, Diagram: d, View: view, Notes: e.notes, Panel: panel, OOB: expanded,
		Origin: s.origin(c), Nav: s.atlas().nav(e.arch.ID)}
	p.Volumes = e.volumes
	switch p.ViewName = c.QueryParam("view"); p.ViewName {
	case "", templates.ViewDiagram, templates.ModeBlocks, templates.ModeFull, templates.ModeStreams:
		p.ViewName = "diagram"
	case "table":
		p.TableSort = c.QueryParam("sort")
		if !slices.ContainsFunc(templates.TableSorts, func(s struct{ Key, Label string }) bool { return s.Key == p.TableSort }) {
			return nil, echo.NewHTTPError(http.StatusBadRequest, "sort is params, macs, memory or rf")
		}
		p.Table = templates.LayerTable(r, p.TableSort)
		open := c.QueryParam("stage")
		if open != "" && open != "all" && !slices.ContainsFunc(r.Stages, func(s engine.StageTotals) bool { return s.Name == open }) {
			return nil, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("%s has no stage %q", e.arch.Name, open))
		}
		p.Table, p.TableHidden = templates.FoldTable(r, p.Table, p.TableSort != "", open)
		if p.TableHidden == 0 { // the lecture's table lists every layer: only beside a table that does too
			p.Lecture = templates.NewLectureTable(r)
		}
	case "volumes":
		if p.Volumes == nil {
			_, err := diagram.NewVolumes(r)
			return nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
		}
	default:
		return nil, echo.NewHTTPError(http.StatusBadRequest, "view is blocks (one block per run of repeated blocks), full (every block), streams (one stream per device), table or volumes")
	}
	p.Summary = []templates.Figure{
		{Label: "parameters", Value: diagram.HumanCount(t.Params), Note: engine.Group(t.Params)},
		{Label: "multiply-adds (MACs)", Value: diagram.HumanCount(t.MACs), Note: fmt.Sprintf("%s; FLOPs ≈ 2 × MACs", engine.Group(t.MACs))},
		{Label: "activations", Value: templates.Bytes(4 * t.Activations), Note: fmt.Sprintf("%s values at fp32, per image, forward", engine.Group(t.Activations))},
		{Label: "depth", Value: fmt.Sprint(t.Depth), Note: depthNote(e.arch.Meta.DepthNote)},
		{Label: "input", Value: r.Input.String(), Note: "output " + r.Output.String()},
	}
	if t.AuxParams > 0 {
		p.Summary = append(p.Summary, templates.Figure{Label: "auxiliary heads", Value: diagram.HumanCount(t.AuxParams), Note: "parameters used in training only"})
	}
	for _, st := range r.Stages {
		row := templates.StageRow{Name: st.Name, Title: diagram.StageTitle(r, st.Name), Out: st.Out.String(), Params: st.Params, MACs: st.MACs, Activation: st.Activations}
		if t.Params > 0 {
			row.ParamShare = 100 * float64(st.Params) / float64(t.Params)
		}
		if t.MACs > 0 {
			row.MACShare = 100 * float64(st.MACs) / float64(t.MACs)
		}
		p.Stages = append(p.Stages, row)
	}
	return p, nil
}

func (s *server) archPage(c echo.Context) error {
	p, err := s.archData(c, c.QueryParam("layer"), false)
	if err != nil {
		return err
	}
	shell := templates.Shell{Title: p.Arch.Name, Nav: "atlas", Description: archDescription(p)}
	s.preview(c, &shell, p.Arch.ID, p.View.Query(nil))
	return s.page(c, shell, templates.Arch(p))
}

// layerPage is a layer's permalink: for htmx the panel alone (with the diagram when its
// stage had to expand), otherwise the whole page with the layer selected.
func (s *server) layerPage(c echo.Context) error {
	fragment := isFragment(c)
	p, err := s.archData(c, c.Param("name"), fragment)
	if err != nil {
		return err
	}
	if fragment {
		return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.PanelSwap(p))
	}
	shell := templates.Shell{Title: p.Panel.Layer.Name + " · " + p.Arch.Name, Nav: "atlas", Description: archDescription(p)}
	s.preview(c, &shell, p.Arch.ID, p.View.Query(nil))
	return s.page(c, shell, templates.Arch(p))
}

// diagramFragment is the diagram panel alone, for htmx swaps; without htmx it
// redirects to the page in the same state.
func (s *server) diagramFragment(c echo.Context) error {
	p, err := s.archData(c, "", false)
	if err != nil {
		return err
	}
	if !isFragment(c) {
		return c.Redirect(http.StatusSeeOther, "/a/"+p.Arch.ID+p.View.Query(nil))
	}
	return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.DiagramPanel(p))
}

// depthNote explains the depth figure, and why it differs from the name's where the
// definition says.
func depthNote(why string) string {
	if why == "" {
		return "weight layers on the longest path"
	}
	return "weight layers on the longest path: " + why
}

// archDescription is an architecture page's description: its summary, or its figures.
func archDescription(p *templates.ArchPage) string {
	if p.Arch.Meta.Summary != "" {
		return p.Arch.Meta.Summary
	}
	return figuresText(p.Report)
}
