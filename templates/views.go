package templates

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"convatlas/archdefs"
	"convatlas/chart"
	"convatlas/diagram"
	"convatlas/engine"
)

// Assets are the URLs of the static files, checksummed so that they can be cached for
// good.
type Assets struct {
	CSS, JS, HTMX string
	CodeCSS       string // highlighted code in notes (markdown.CodeCSS)
	// RoomCSS and RoomJS lay out the diagram-first page, presentation mode and search.
	RoomCSS, RoomJS string
}

// Shell is what every page's frame needs.
type Shell struct {
	Title       string
	Description string
	Assets      Assets
	Present     bool   // presentation mode: large type, no chrome
	Nav         string // the section the page belongs to
	Preview     Preview
}

// Card is one architecture on the atlas page.
type Card struct {
	ID, Name, Family, Summary string
	Year                      int
	Result                    string // "16.4% top-5 error (ILSVRC-2012)"
	Params, MACs              int64
	Depth                     int
	DepthNote                 string // why the depth differs from the name's
	Thumb                     *chart.Thumb
}

// FamilyGroup is a family of cards.
type FamilyGroup struct {
	Name, Summary string
	Cards         []Card
}

// ArchPage is one architecture's page.
type ArchPage struct {
	Arch        *archdefs.Arch
	Report      *engine.Report
	Diagram     *diagram.Diagram
	View        DiagramView
	Notes       string // HTML rendered from the notes' Markdown by goldmark (safe mode)
	Summary     []Figure
	Stages      []StageRow
	Panel       *LayerPanel // the selected layer, if any
	OOB         bool        // the diagram travels with a panel swap (its stage had to expand)
	ViewName    string      // diagram, table or volumes
	Table       []TableRow
	TableSort   string
	TableHidden int              // layer rows FoldTable left out
	Lecture     *LectureTable    // the lecture's memory | params table, shown with the layer table unless it is folded
	Volumes     *diagram.Volumes // nil for a network whose main path is too long to draw
	Origin      string           // scheme and host of the server, for embed code
	Nav         Nav              // the neighbouring networks and the family
}

// DiagramView is the state of a diagram that lives in the URL.
type DiagramView struct {
	ID string
	// Mode is which drawing of the network: ModeBlocks, ModeFull or ModeStreams (view=);
	// "" is ModeBlocks, the default of every place that draws a diagram.
	Mode     string
	Default  string // the network's default mode, which Query leaves out of the URL
	Dir      string
	Expand   []string
	Collapse []string
	Theme    string
	Scale    float64 // 1.5 in presentation mode
	Paths    bool    // grouped convolutions drawn as parallel paths
	here     string  // Query(nil), computed once by Freeze
}

// The drawings of a network's block diagram, as the URL's and the command line's view
// names them. ViewDiagram, the old name, is each network's default.
const (
	ModeBlocks  = "blocks"  // one block per run of repeated blocks, marked ×N (diagram.Options.Blocks)
	ModeFull    = "full"    // every block drawn
	ModeStreams = "streams" // one stream per device, for a network split across devices (diagram.HasStreams)
	ViewDiagram = "diagram"
)

// DefaultMode is a network's default drawing: one block per run for a network with
// repeated blocks, where the drawing of every block is a long scroll; every block
// otherwise (the two are the same drawing then).
func DefaultMode(r *engine.Report) string {
	if diagram.HasRepeats(r) {
		return ModeBlocks
	}
	return ModeFull
}

// ModeChoice is an entry of the diagram toolbar's view switcher.
type ModeChoice struct{ Mode, Label, Hint string }

// DiagramModes are the drawings the toolbar offers for a network, nil when it has only
// one. (A drawing of another kind adds a line here.)
func DiagramModes(r *engine.Report) []ModeChoice {
	var modes []ModeChoice
	if diagram.HasRepeats(r) {
		modes = append(modes,
			ModeChoice{ModeBlocks, "One block per run", "each run of repeated blocks drawn once, marked ×N, as the papers' tables do"},
			ModeChoice{ModeFull, "Every block", "every block drawn"})
	}
	if diagram.HasStreams(r) {
		if len(modes) == 0 {
			modes = append(modes, ModeChoice{ModeFull, "One stream", "every layer drawn once, its groups written g2"})
		}
		modes = append(modes, ModeChoice{ModeStreams, "Two streams (as the paper's Figure 2)", "one stream per GPU with the cross-connections, as the paper's Figure 2 draws it"})
	}
	if len(modes) < 2 {
		return nil
	}
	return modes
}

// blocks reports whether the view draws each run of repeated blocks once.
func (v DiagramView) blocks() bool { return v.Mode == "" || v.Mode == ModeBlocks }

// Freeze computes the view's own query once, for the hundreds of links of a diagram.
func (v *DiagramView) Freeze() { v.here = v.Query(nil) }

// Here is the view's own query ("?expand=conv4_x"), as frozen, or computed now.
func (v *DiagramView) Here() string {
	if v.here != "" {
		return v.here
	}
	return v.Query(nil)
}

// Figure is a headline number with its unit and how it was obtained.
type Figure struct {
	Label, Value, Note string
}

// StageRow is a row of the stage table.
type StageRow struct {
	Name                     string
	Title                    string // the paper's name of the stage, if the definition gives one
	Out                      string
	Params, MACs, Activation int64
	ParamShare, MACShare     float64 // of the network's total, 0–100
}

// Query writes the view's state as URL parameters, changed by f.
func (v DiagramView) Query(f func(*DiagramView)) string {
	w := v
	w.Expand = slices.Clone(v.Expand)
	w.Collapse = slices.Clone(v.Collapse)
	if f != nil {
		f(&w)
	}
	q := url.Values{}
	if w.Mode != "" && w.Mode != w.Default && !(w.Default == "" && w.Mode == ModeBlocks) {
		q.Set("view", w.Mode)
	}
	if w.Dir != "" && w.Dir != "tb" {
		q.Set("dir", w.Dir)
	}
	if len(w.Expand) > 0 {
		q.Set("expand", strings.Join(w.Expand, ","))
	}
	if len(w.Collapse) > 0 {
		q.Set("collapse", strings.Join(w.Collapse, ","))
	}
	if w.Scale > 1 {
		q.Set("present", "1")
	}
	if w.Paths {
		q.Set("paths", "1")
	}
	if s := q.Encode(); s != "" {
		return "?" + s
	}
	return ""
}

// Toggle is the query that expands a collapsed stage or collapses an expanded one.
func (v DiagramView) Toggle(stage string, collapsed bool) string {
	return v.Query(func(w *DiagramView) {
		w.Expand = slices.DeleteFunc(w.Expand, func(s string) bool { return s == stage || s == "all" && !collapsed })
		w.Collapse = slices.DeleteFunc(w.Collapse, func(s string) bool { return s == stage })
		if collapsed {
			w.Expand = append(w.Expand, stage)
		} else {
			w.Collapse = append(w.Collapse, stage)
		}
	})
}

// Reduce is the query that draws an expanded stage's runs once again (the
// representative view's toggle of a stage drawn in full).
func (v DiagramView) Reduce(stage string) string {
	return v.Query(func(w *DiagramView) {
		w.Expand = slices.DeleteFunc(w.Expand, func(s string) bool { return s == stage || s == "all" })
	})
}

// WithMode is the query of the same view in another drawing, its stages expanded in
// this one no longer (in the representative view an expanded stage draws every block).
func (v DiagramView) WithMode(mode string) string {
	return v.Query(func(w *DiagramView) { w.Mode, w.Expand = mode, nil })
}

// StageList reads a comma-separated list of stage names ("conv3_x,conv4_x", "all").
func StageList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' })
}

// Options turns the view into layout options.
func (v DiagramView) Options() diagram.Options {
	opt := diagram.Options{Dir: v.Dir, Expand: map[string]bool{}, Collapse: map[string]bool{}, AutoCollapse: diagram.DefaultAutoCollapse, Scale: v.Scale, Paths: v.Paths, Blocks: v.blocks(), Streams: v.Mode == ModeStreams}
	for _, s := range v.Expand {
		opt.Expand[s] = true
	}
	for _, s := range v.Collapse {
		opt.Collapse[s] = true
		delete(opt.Expand, s)
	}
	return opt
}

// Bytes writes a byte count in binary units: 43.2 MiB.
func Bytes(n int64) string {
	f := float64(n)
	switch {
	case f >= 1<<30:
		return fmt.Sprintf("%.2f GiB", f/(1<<30))
	case f >= 1<<20:
		return fmt.Sprintf("%.1f MiB", f/(1<<20))
	case f >= 1<<10:
		return fmt.Sprintf("%.1f KiB", f/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// slug makes an id from a name: "ResNet family" → "resnet-family".
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// recipeRows lists the recipe's filled fields with their labels.
func recipeRows(r archdefs.Recipe) [][2]string {
	var rows [][2]string
	for _, kv := range [][2]string{
		{"batch size", r.BatchSize}, {"optimizer", r.Optimizer}, {"learning rate", r.LearningRate},
		{"schedule", r.Schedule}, {"weight decay", r.WeightDecay}, {"dropout", r.Dropout}, {"epochs", r.Epochs},
		{"augmentation", r.Augmentation}, {"also", r.Other}, {"source", r.Source},
	} {
		if kv[1] != "" {
			rows = append(rows, kv)
		}
	}
	return rows
}

func setting(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func flipDir(d string) string {
	if d == "lr" {
		return "tb"
	}
	return "lr"
}

func dirLabel(d string) string {
	if d == "lr" {
		return "Top-down"
	}
	return "Left-right"
}

// frameToggle is the query of an expanded stage's toggle: one block per run again if
// it has runs drawn in full, else collapsed to one box.
func frameToggle(v *DiagramView, f diagram.Frame) string {
	if f.Runs {
		return v.Reduce(f.Stage)
	}
	return v.Toggle(f.Stage, false)
}

func frameToggleLabel(f diagram.Frame) string {
	if f.Runs {
		return "Collapse stage " + f.Stage + " to one block per run"
	}
	return toggleLabel(f.Stage, false)
}

func toggleLabel(stage string, collapsed bool) string {
	if collapsed {
		return "Expand stage " + stage
	}
	return "Collapse stage " + stage
}

func statusTitle(code int) string {
	switch code {
	case 400:
		return "that request does not make sense here"
	case 404:
		return "not found"
	case 413:
		return "too large"
	case 415:
		return "unsupported content type"
	case 422:
		return "not a valid network"
	case 503:
		return "too slow"
	}
	if code >= 500 {
		return "server error"
	}
	return "error"
}

func tableURL(id, sort string) string {
	if sort == "" {
		return "/a/" + id + "?view=table"
	}
	return "/a/" + id + "?view=table&sort=" + sort
}

// NotesExample opens the notes editor.
const NotesExample = "# Why 3×3 convolutions?\n\nThree stacked 3×3 convolutions see a 7×7 window with $3 \\cdot 3^2 C^2$ weights instead of $7^2 C^2$.\n\n```arch vgg16 dir=lr\n```\n\nThe output size of a convolution is $\\lfloor (n + 2p - k)/s \\rfloor + 1$.\n"

// EmbedSnippets are the ways to put a diagram into a page: an image, an iframe with
// pan and zoom, and a Markdown image.
func EmbedSnippets(origin, id, name, query string) [][2]string {
	svg := origin + "/embed/" + id + ".svg" + query
	return [][2]string{
		{"HTML image", fmt.Sprintf(`<img src="%s" alt="%s block diagram">`, svg, name)},
		{"iframe with pan and zoom", fmt.Sprintf(`<iframe src="%s/embed/%s%s" width="800" height="600" title="%s block diagram"></iframe>`, origin, id, query, name)},
		{"Markdown", fmt.Sprintf("![%s block diagram](%s)", name, svg)},
	}
}

func lineAttr(p *PlaygroundError) string {
	if p == nil || p.Line == 0 {
		return ""
	}
	return fmt.Sprint(p.Line)
}

// hasGroups reports a network with grouped (not depthwise) convolutions that are no
// devices: the groups of a network split across devices are drawn as its streams.
func hasGroups(r *engine.Report) bool {
	if diagram.HasStreams(r) {
		return false
	}
	for i := range r.Layers {
		if op := r.Layers[i].Operation(); op != nil && op.Kind == engine.OpConv && op.Groups > 1 {
			return true
		}
	}
	return false
}

func pathsLabel(on bool) string {
	if on {
		return "Groups as one conv"
	}
	return "Groups as paths"
}

// bracketHit is the rectangle a click on a bracket hits: x, y, width, height.
func bracketHit(b diagram.Bracket) [4]string {
	x, y, w, h := b.Bounds()
	return [4]string{num(x), num(y), num(w), num(h)}
}

// bracketTextClass is the class of a bracket's line: the count first, then its figures.
func bracketTextClass(line int) string {
	if line == 0 {
		return "bracket-count"
	}
	return "bracket-figure"
}

func bracketInk(line int, p diagram.Palette) string {
	if line == 0 {
		return p.Text
	}
	return p.Muted
}
