package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/archdefs"
	"convatlas/chart"
	"convatlas/diagram"
	"convatlas/engine"
	"convatlas/templates"
)

// defaultComparison is the lecture's trio, shown before anything is chosen.
var defaultComparison = []string{"vgg16", "googlenet", "resnet50"}

// maxCompared bounds a comparison, so that a page stays readable and cheap.
const maxCompared = 12

// comparedIDs reads ?ids=a,b,c or repeated ?id=a&id=b.
func (s *server) comparedIDs(c echo.Context) ([]string, error) {
	var ids []string
	for _, v := range append(strings.Split(c.QueryParam("ids"), ","), c.QueryParams()["id"]...) {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if _, err := s.atlas().get(v); err != nil {
			return nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
		}
		if !slices.Contains(ids, v) {
			ids = append(ids, v)
		}
		if len(ids) > maxCompared {
			break // refused below, before any more is read
		}
	}
	if len(ids) > maxCompared {
		return nil, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("Compare at most %d networks at once.", maxCompared))
	}
	if len(ids) == 0 && c.QueryParam("ids") == "" && len(c.QueryParams()["id"]) == 0 {
		ids = defaultComparison
	}
	return ids, nil
}

// comparison gathers the compared networks, their charts and their diagrams.
func (s *server) comparison(ids []string) (*templates.ComparePage, error) {
	items, err := s.atlas().compared(ids)
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	p := &templates.ComparePage{Selected: map[string]bool{}, IDs: strings.Join(ids, ","), Items: items}
	for _, e := range s.atlas().entries {
		p.All = append(p.All, e.arch)
	}
	// The chooser lists the networks by name, so that a reader finds one by eye too.
	slices.SortStableFunc(p.All, func(a, b *archdefs.Arch) int { return templates.NaturalLess(a.Name, b.Name) })
	// The diagrams side by side are drawn at one level of detail: a box per stage when
	// every network has stages, else a box per layer for all of them.
	level := diagram.Options{Dir: "tb", Collapse: map[string]bool{"all": true}}
	p.Detail = "stage"
	for _, it := range p.Items {
		if len(it.Report.Stages) == 0 {
			level = diagram.Options{Dir: "tb", Expand: map[string]bool{"all": true}}
			p.Detail = "layer"
		}
	}
	for i := range p.Items {
		d, err := diagram.Layout(p.Items[i].Report, level)
		if err != nil {
			return nil, err
		}
		p.Items[i].Diagram = d
		p.Selected[p.Items[i].Arch.ID] = true
	}
	for _, ch := range compareCharts(p.Items, p.IDs) {
		p.Charts = append(p.Charts, ch.build())
	}
	return p, nil
}

// accuracyChart is the accuracy-against-operations chart with the table of its data.
func accuracyChart(items []chart.Compared, ids string) *chart.Chart {
	accuracy := &chart.Chart{ID: "accuracy", Title: "Accuracy against operations (bubble area: parameters)", Alt: ids,
		Bubble: chart.AccuracyChart(items), Header: []string{"network", "multiply-adds", "top-1 accuracy", "parameters", "source"}}
	for _, it := range items {
		acc, src := chart.Top1(it.Arch)
		row := []string{it.Arch.Name, engine.Group(it.Report.Totals.MACs), "not on ImageNet", engine.Group(it.Report.Totals.Params), ""}
		if acc > 0 {
			row[2], row[4] = fmt.Sprintf("%g%%", acc), src
		}
		accuracy.Rows = append(accuracy.Rows, row)
	}
	return accuracy
}

// lazyChart is one chart of a comparison, built only when it is shown.
type lazyChart struct {
	id    string
	build func() *chart.Chart
}

// compareCharts lists every chart of a comparison, each built with the table of its data.
func compareCharts(items []chart.Compared, ids string) []lazyChart {
	bars := func(id, title, unit string, value func(*engine.Report) int64, format func(int64) string) lazyChart {
		return lazyChart{id, func() *chart.Chart {
			c := &chart.Chart{ID: id, Title: title, Alt: ids, Bars: chart.ValueBars(title, items, value, format), Header: []string{"network", unit}}
			for _, it := range items {
				c.Rows = append(c.Rows, []string{it.Arch.Name, engine.Group(value(it.Report))})
			}
			return c
		}}
	}
	series := func(id, title, ylabel, unit string, value func(*engine.Layer) float64, reduce func(a, b float64) float64) lazyChart {
		return lazyChart{id, func() *chart.Chart {
			c := &chart.Chart{ID: id, Title: title, Alt: ids, Line: chart.SeriesChart(title, ylabel, items, value, reduce),
				Header: []string{"network", "layers", "largest " + unit, "at layer"}}
			for _, it := range items {
				best, at := 0.0, ""
				for i := range it.Report.Layers {
					if l := &it.Report.Layers[i]; !l.Aux && value(l) > best {
						best, at = value(l), l.Name
					}
				}
				c.Rows = append(c.Rows, []string{it.Arch.Name, fmt.Sprint(it.Report.Totals.Layers), engine.Group(int64(best)), at})
			}
			return c
		}}
	}
	stacked := func(id, title string, value func(engine.StageTotals) int64, total func(*engine.Report) int64, format func(int64) string) lazyChart {
		return lazyChart{id, func() *chart.Chart {
			c := &chart.Chart{ID: id, Title: title, Alt: ids, Stacked: chart.NewStageBars(title, items, value, total, format),
				Header: []string{"network", "stage", title}}
			for _, row := range c.Stacked.Rows {
				for _, seg := range row.Segments {
					c.Rows = append(c.Rows, []string{row.Name, seg.Stage, seg.Value})
				}
			}
			return c
		}}
	}
	return []lazyChart{
		stacked("stage-params", "Parameters by stage", func(s engine.StageTotals) int64 { return s.Params },
			func(r *engine.Report) int64 { return r.Totals.Params }, diagram.HumanCount),
		stacked("stage-memory", "Activation memory by stage (fp32, forward, per image)", func(s engine.StageTotals) int64 { return 4 * s.Activations },
			func(r *engine.Report) int64 { return 4 * r.Totals.Activations }, templates.Bytes),
		{"accuracy", func() *chart.Chart { return accuracyChart(items, ids) }},
		bars("params", "Parameters", "parameters", func(r *engine.Report) int64 { return r.Totals.Params }, diagram.HumanCount),
		bars("memory", "Activation memory per image (fp32, forward)", "bytes", func(r *engine.Report) int64 { return 4 * r.Totals.Activations }, templates.Bytes),
		bars("depth", "Depth (weight layers on the longest path)", "layers", func(r *engine.Report) int64 { return int64(r.Totals.Depth) }, func(n int64) string { return fmt.Sprint(n) }),
		series("rf", "Receptive field by depth", "field (pixels)", "field (pixels)", func(l *engine.Layer) float64 { return float64(l.RF.H.Size) }, chart.Largest),
		series("layer-memory", "Activation memory by depth", "values", "values", func(l *engine.Layer) float64 { return float64(l.Activations) }, chart.Sum),
		series("layer-params", "Parameters by depth", "parameters", "parameters", func(l *engine.Layer) float64 { return float64(l.Params) }, chart.Sum),
	}
}

func (s *server) compare(c echo.Context) error {
	ids, err := s.comparedIDs(c)
	if err != nil {
		return err
	}
	p, err := s.comparison(ids)
	if err != nil {
		return err
	}
	return s.page(c, templates.Shell{Title: "Compare", Nav: "compare", Description: "Compare convolutional networks side by side."}, templates.Compare(p))
}

// chartEmbed serves one chart of a comparison as a standalone SVG, light or dark
// (?theme=dark) for the slides it goes on.
func (s *server) chartEmbed(c echo.Context) error {
	name, ok := strings.CutSuffix(c.Param("name"), ".svg")
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "charts are served as .svg")
	}
	ink, _, err := themed(c, chart.ChartInks)
	if err != nil {
		return err
	}
	ids, err := s.comparedIDs(c)
	if err != nil {
		return err
	}
	items, err := s.atlas().compared(ids)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	for _, ch := range compareCharts(items, strings.Join(ids, ",")) {
		if ch.id == name {
			return render(c, http.StatusOK, "image/svg+xml", templates.ChartSVG(ch.build(), ink))
		}
	}
	return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("no chart %q", name))
}
