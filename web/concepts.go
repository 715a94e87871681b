package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"convatlas/concepts"
	"convatlas/diagram"
	"convatlas/templates"
)

// intParam reads a whole-number parameter within [least, most], or its default.
func intParam(q url.Values, name string, def, least, most int64) (int64, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < least || v > most {
		return 0, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("%s is a whole number from %d to %d", name, least, most))
	}
	return v, nil
}

func (s *server) conceptsIndex(c echo.Context) error {
	return s.page(c, templates.Shell{Title: "Concepts", Nav: "concepts"}, templates.ConceptsIndex())
}

// concept answers one calculator; its figures come from the engine.
func (s *server) concept(c echo.Context) error {
	calc, extra, err := s.calculator(c.Param("name"), c.QueryParams())
	if err != nil {
		return err
	}
	return s.page(c, templates.Shell{Title: calc.Title, Nav: "concepts"}, templates.CalculatorPage(calc, extra))
}

// calculator builds the calculator name from its parameters q (a page's query, or a
// tour step's args).
func (s *server) calculator(name string, q url.Values) (*templates.Calculator, templ.Component, error) {
	var calc *templates.Calculator
	var extra templ.Component
	var err error
	read := func(name string, def, least, most int64) int64 {
		if err != nil {
			return 0
		}
		var v int64
		v, err = intParam(q, name, def, least, most)
		return v
	}
	switch name {
	case "stacked-3x3":
		cc, n := read("c", 64, 1, 4096), read("n", 3, 1, 10)
		h := read("h", 56, 2*n+1, 1024)
		if err == nil {
			calc, err = concepts.Stacked(cc, n, h)
		}
	case "inception":
		h, cc, n1, n3, n5, r := read("h", 28, 5, 512), read("c", 256, 1, 4096), read("n1", 128, 1, 4096), read("n3", 192, 1, 4096), read("n5", 96, 1, 4096), read("r", 64, 1, 4096)
		if err == nil {
			calc, err = concepts.Inception(h, cc, n1, n3, n5, r)
		}
	case "separable":
		m, n, k, h := read("m", 32, 1, 4096), read("n", 64, 1, 4096), read("k", 3, 1, 15), read("h", 112, 1, 1024)
		if err == nil && k > h {
			err = echo.NewHTTPError(http.StatusBadRequest, "the kernel must fit the map")
		}
		if err == nil {
			calc, err = concepts.Separable(m, n, k, h)
		}
	case "residual":
		cc, n, h := read("c", 64, 1, 4096), read("n", 3, 1, 100), read("h", 56, 3, 1024)
		if err == nil {
			calc, err = concepts.Residual(cc, n, h)
		}
	case "transfer":
		id := q.Get("net")
		if id == "" {
			id = "resnet50"
		}
		e, err := s.atlas().get(id)
		if err != nil {
			return nil, nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
		}
		data, similar := q.Get("data"), q.Get("similar")
		if data == "" {
			data = "little"
		}
		if similar == "" {
			similar = "similar"
		}
		var cells []templates.TransferCell
		var frozen int
		calc, cells, frozen, err = concepts.Transfer(e.arch, e.report, data, similar, "/concepts/transfer")
		if err != nil {
			return nil, nil, echo.NewHTTPError(http.StatusBadRequest, err.Error())
		}
		choice := templates.Choice{Name: "net", Label: "network", Value: id}
		for _, en := range s.atlas().entries {
			choice.Options = append(choice.Options, [2]string{en.arch.ID, en.arch.Name})
		}
		calc.Choices = []templates.Choice{choice}
		d, lerr := diagram.Layout(e.report, diagram.Options{Dir: "tb", AutoCollapse: diagram.DefaultAutoCollapse})
		if lerr != nil {
			return nil, nil, lerr
		}
		d.Freeze(frozen)
		extra = templates.TransferTable(cells, d, nil, e.arch.Name)
	default:
		return nil, nil, echo.NewHTTPError(http.StatusNotFound, "There is no such concept page.")
	}
	if err != nil {
		if _, ok := err.(*echo.HTTPError); ok {
			return nil, nil, err
		}
		return nil, nil, echo.NewHTTPError(http.StatusUnprocessableEntity, err.Error())
	}
	return calc, extra, nil
}
