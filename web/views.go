package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// stageList reads ?expand= or ?collapse= as its canonical form: each stage once, in
// the network's order, and "all" alone when it is named, since it subsumes the rest.
// The list is thus never longer than the stages that exist, however long the URL, and
// equal views read equal lists: the links of a page and the cache's keys are made
// from it.
func stageList(c echo.Context, e *entry, param string) ([]string, error) {
	raw := c.QueryParam(param)
	if raw == "" {
		return nil, nil
	}
	named := map[string]bool{}
	for _, name := range strings.Split(raw, ",") {
		if name == "" || named[name] {
			continue
		}
		if name != "all" && !hasStage(e, name) {
			return nil, echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("%s has no stage %q", e.arch.Name, name))
		}
		named[name] = true
	}
	if named["all"] {
		return []string{"all"}, nil
	}
	var out []string
	for _, st := range e.report.Stages {
		if named[st.Name] {
			out = append(out, st.Name)
		}
	}
	return out, nil
}

// hasStage reports whether e has a stage of that name.
func hasStage(e *entry, name string) bool {
	for _, st := range e.report.Stages {
		if st.Name == name {
			return true
		}
	}
	return false
}
