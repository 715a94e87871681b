package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"convatlas/templates"
)

// maxSuggestions is how many near ids a 404 offers.
const maxSuggestions = 3

// notFoundError is a network that is not in the atlas, with the ids nearest to the one
// asked for.
type notFoundError struct {
	msg         string
	suggestions []templates.Suggestion
}

func (e *notFoundError) Error() string { return e.msg }

// Unwrap makes it a 404 to every reader of echo's errors (the SVG and JSON answers
// too); the page's error handler reads the suggestions.
func (e *notFoundError) Unwrap() error { return echo.NewHTTPError(http.StatusNotFound, e.msg) }

// nearest lists the networks whose id or name is closest to what was typed, by edit
// distance, at most maxSuggestions and only those that differ in under half the letters.
func (a *atlas) nearest(id string) []templates.Suggestion {
	if r := []rune(id); len(r) > templates.MaxSearchQuery {
		id = string(r[:templates.MaxSearchQuery])
	}
	want := strings.ToLower(id)
	type scored struct {
		e    *entry
		dist int
	}
	var all []scored
	for _, e := range a.entries {
		d := min(templates.EditDistance(want, e.arch.ID), templates.EditDistance(want, strings.ToLower(e.arch.Name)))
		if d*2 < max(len([]rune(want)), 2) || strings.HasPrefix(e.arch.ID, want) {
			all = append(all, scored{e, d})
		}
	}
	slices.SortStableFunc(all, func(x, y scored) int { return x.dist - y.dist })
	var out []templates.Suggestion
	for _, s := range all[:min(len(all), maxSuggestions)] {
		out = append(out, templates.Suggestion{ID: s.e.arch.ID, Name: s.e.arch.Name})
	}
	return out
}

// nav finds a network's neighbours in the atlas's order and its family.
func (a *atlas) nav(id string) templates.Nav {
	var order []string
	n := templates.Nav{Current: id}
	for _, f := range a.index.Families {
		for _, fid := range f.IDs {
			if _, ok := a.byID[fid]; ok {
				order = append(order, fid)
			}
		}
		if slices.Contains(f.IDs, id) {
			n.Family = f.Name
			for _, fid := range f.IDs {
				if e, ok := a.byID[fid]; ok {
					n.Members = append(n.Members, templates.NavLink{ID: fid, Name: e.arch.Name})
				}
			}
		}
	}
	if k := slices.Index(order, id); k >= 0 {
		if k > 0 {
			e := a.byID[order[k-1]]
			n.Prev = &templates.NavLink{ID: e.arch.ID, Name: e.arch.Name}
		}
		if k+1 < len(order) {
			e := a.byID[order[k+1]]
			n.Next = &templates.NavLink{ID: e.arch.ID, Name: e.arch.Name}
		}
	}
	return n
}

// filterGroups keeps the cards that match every word of q, and the groups that keep one.
func filterGroups(groups []templates.FamilyGroup, q string) []templates.FamilyGroup {
	words := templates.SearchTokens(q)
	if len(words) == 0 {
		return groups
	}
	var out []templates.FamilyGroup
	for _, g := range groups {
		g.Cards = slices.DeleteFunc(slices.Clone(g.Cards), func(c templates.Card) bool {
			return !templates.Matches(words, templates.SearchText(c.ID, c.Name, c.Family, fmt.Sprint(c.Year)))
		})
		if len(g.Cards) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// searchQuery reads ?q=, refusing one longer than the search reads.
func searchQuery(c echo.Context) (string, error) {
	q := c.QueryParam("q")
	if len([]rune(q)) > templates.MaxSearchQuery {
		return "", echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("a search holds at most %d characters", templates.MaxSearchQuery))
	}
	return q, nil
}

// findLayers answers a search among a network's layers: the list alone for htmx, a
// page without.
func (s *server) findLayers(c echo.Context) error {
	e, err := s.lookup(c)
	if err != nil {
		return err
	}
	q, err := searchQuery(c)
	if err != nil {
		return err
	}
	hits := templates.FindLayers(e.report, q)
	if isFragment(c) {
		return render(c, http.StatusOK, echo.MIMETextHTMLCharsetUTF8, templates.LayerFindResults(e.arch.ID, q, hits))
	}
	shell := templates.Shell{Title: "Layers of " + e.arch.Name, Nav: "atlas"}
	return s.page(c, shell, templates.LayerFindPage(e.arch.ID, e.arch.Name, q, hits))
}
