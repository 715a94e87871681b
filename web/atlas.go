package web

import (
	"fmt"
	"slices"
	"strings"

	"convatlas/archdefs"
	"convatlas/chart"
	"convatlas/diagram"
	"convatlas/engine"
	"convatlas/markdown"
	"convatlas/templates"
)

// entry is one architecture with what the pages show of it, computed once.
type entry struct {
	arch    *archdefs.Arch
	report  *engine.Report
	notes   string // HTML
	card    templates.Card
	volumes *diagram.Volumes // nil when its main path has more than diagram.MaxVolumes
}

// atlas is the analysed catalogue.
type atlas struct {
	entries  []*entry
	byID     map[string]*entry
	index    *archdefs.Index
	timeline *chart.BarChart
	// The accuracy timeline of the catalogue's networks (not a teacher's own), on a page
	// and in presentation mode.
	accuracy, accuracySlide *chart.AccuracyTimeline
}

// newAtlas analyses every architecture of the catalogue and renders its notes; extra
// are a teacher's own definitions, shown as a family of their own.
func newAtlas(cat *archdefs.Catalogue, extra []*archdefs.Arch) (*atlas, error) {
	idx, err := archdefs.LoadIndex(cat)
	if err != nil {
		return nil, err
	}
	if len(extra) > 0 {
		own := archdefs.Family{Name: "Your definitions", Summary: "The definitions of your own folder, reloaded when they change."}
		for _, a := range extra {
			own.IDs = append(own.IDs, a.ID)
		}
		idx.Families = append(idx.Families, own)
	}
	a := &atlas{byID: map[string]*entry{}, index: idx, timeline: chart.ILSVRCTimeline(idx)}
	for i, arch := range append(slices.Clip(cat.Archs), extra...) {
		var lim engine.Limits
		if i >= len(cat.Archs) {
			lim = teacherLimits // served to everyone on every request, like the catalogue
		}
		r, err := engine.Analyze(arch.Model, engine.Options{Limits: lim})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", arch.ID, err)
		}
		notes, err := markdown.Render([]byte(arch.Notes))
		if err != nil {
			return nil, fmt.Errorf("%s notes: %w", arch.ID, err)
		}
		thumb := chart.NewThumb(r)
		e := &entry{arch: arch, report: r, notes: notes, card: templates.Card{
			ID: arch.ID, Name: arch.Name, Family: arch.Meta.Family, Summary: arch.Meta.Summary, Year: arch.Meta.Year,
			Result: headlineResult(arch.Meta.Results), Params: r.Totals.Params, MACs: r.Totals.MACs, Depth: r.Totals.Depth, DepthNote: arch.Meta.DepthNote, Thumb: thumb,
		}}
		if v, err := diagram.NewVolumes(r); err == nil {
			e.volumes = v
		}
		a.entries = append(a.entries, e)
		a.byID[arch.ID] = e
	}
	catalogue := make([]chart.Compared, len(cat.Archs))
	for i, e := range a.entries[:len(cat.Archs)] {
		catalogue[i] = chart.Compared{Arch: e.arch, Report: e.report}
	}
	a.accuracy = chart.NewAccuracyTimeline(catalogue, chart.PageTimeline)
	a.accuracySlide = chart.NewAccuracyTimeline(catalogue, chart.SlideTimeline)
	return a, nil
}

// headlineResult picks the result a card shows, an ILSVRC result first, written with
// its metric and setting (templates.ResultLine).
func headlineResult(results []archdefs.Result) string {
	for _, r := range results {
		if strings.Contains(r.Metric, "ILSVRC") {
			return templates.ResultLine(r)
		}
	}
	if len(results) > 0 {
		return templates.ResultLine(results[0])
	}
	return ""
}

// groups orders the cards: by family (families by their first year), by year, or
// newest first.
func (a *atlas) groups(sort string) []templates.FamilyGroup {
	cards := make([]templates.Card, len(a.entries))
	for i, e := range a.entries {
		cards[i] = e.card
	}
	byYear := func(x, y templates.Card) int {
		if x.Year != y.Year {
			return x.Year - y.Year
		}
		return strings.Compare(x.ID, y.ID)
	}
	switch sort {
	case "year", "newest":
		slices.SortStableFunc(cards, byYear)
		if sort == "newest" {
			slices.Reverse(cards)
		}
		var groups []templates.FamilyGroup
		for _, c := range cards {
			name := fmt.Sprint(c.Year)
			if len(groups) == 0 || groups[len(groups)-1].Name != name {
				groups = append(groups, templates.FamilyGroup{Name: name})
			}
			groups[len(groups)-1].Cards = append(groups[len(groups)-1].Cards, c)
		}
		return groups
	}
	byID := map[string]templates.Card{}
	for _, c := range cards {
		byID[c.ID] = c
	}
	var groups []templates.FamilyGroup
	for _, f := range a.index.Families {
		g := templates.FamilyGroup{Name: f.Name, Summary: f.Summary}
		for _, id := range f.IDs {
			g.Cards = append(g.Cards, byID[id])
		}
		groups = append(groups, g)
	}
	return groups
}

// get finds an architecture by id.
func (a *atlas) get(id string) (*entry, error) {
	e, ok := a.byID[id]
	if !ok {
		return nil, fmt.Errorf("There is no architecture %q in the atlas.", id)
	}
	return e, nil
}

// compared lists architectures for a comparison, with their ImageNet accuracy.
func (a *atlas) compared(ids []string) ([]chart.Compared, error) {
	items := make([]chart.Compared, 0, len(ids))
	for _, id := range ids {
		e, err := a.get(id)
		if err != nil {
			return nil, err
		}
		acc, _ := chart.Top1(e.arch)
		items = append(items, chart.Compared{Arch: e.arch, Report: e.report, Accuracy: acc})
	}
	return items, nil
}
