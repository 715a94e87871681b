package templates

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"convatlas/diagram"
	"convatlas/engine"
)

// SVGOptions are what a diagram drawn alone may ask for — in notes, embeds, the API,
// the command line and every integration — read from the same words everywhere:
// dir=lr expand=conv3_x collapse=all stage=conv2_x.1 theme=auto background=transparent
// preset=slide-16x9.
type SVGOptions struct {
	Dir         string   // tb (default) or lr
	Expand      []string // stages drawn expanded; "all"
	Collapse    []string // stages drawn collapsed; "all"
	Stage       string   // draw one stage (conv3_x) or one block (conv2_x.1) alone
	Theme       string   // light (default), dark, or auto: the reader's prefers-color-scheme
	Transparent bool     // no background: the page's shows through
	Preset      string   // a frame to fit: "" or one of Presets
	View        string   // blocks (each run of repeated blocks once, ×N), full, streams (one per device), volumes, or diagram (the default)
	Present     bool     // presentation mode's enlarged drawing (present=1)
	Paths       bool     // grouped convolutions drawn as parallel paths (paths=1)
}

// svgViews are the values of view=, the old name first.
var svgViews = []string{ViewDiagram, ModeBlocks, ModeFull, ModeStreams, "volumes"}

// svgOptionKeys are the words SVGOptions reads, for the message that names them.
var svgOptionKeys = []string{"dir", "expand", "collapse", "stage", "theme", "background", "preset", "view", "present", "paths"}

// ParseSVGOptions reads options from key=value pairs (an arch block's info string, a
// query, command-line flags); an unknown key or value is an error naming it.
func ParseSVGOptions(kv map[string]string) (SVGOptions, error) {
	o := SVGOptions{Dir: "tb", Theme: "light", View: "diagram"}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := kv[k]
		switch k {
		case "dir":
			if v != "tb" && v != "lr" && v != "" {
				return o, fmt.Errorf("dir is tb or lr, not %q", v)
			}
			o.Dir = orElse(v, "tb")
		case "expand":
			o.Expand = StageList(v)
		case "collapse":
			o.Collapse = StageList(v)
		case "stage":
			o.Stage = v
		case "theme":
			if v != "light" && v != "dark" && v != "auto" && v != "" {
				return o, fmt.Errorf("theme is light, dark or auto, not %q", v)
			}
			o.Theme = orElse(v, "light")
		case "background":
			if v != "transparent" && v != "" && v != "theme" {
				return o, fmt.Errorf("background is transparent or theme, not %q", v)
			}
			o.Transparent = v == "transparent"
		case "preset":
			if _, ok := diagram.Presets[v]; !ok && v != "" {
				return o, fmt.Errorf("preset is %s, not %q", strings.Join(presetNames(), " or "), v)
			}
			o.Preset = v
		case "view":
			if !slices.Contains(svgViews, v) && v != "" {
				return o, fmt.Errorf("view is %s (or diagram, the network's default), not %q", strings.Join(svgViews[1:], ", "), v)
			}
			o.View = orElse(v, ViewDiagram)
		case "present", "paths":
			if v != "1" && v != "0" && v != "" {
				return o, fmt.Errorf("%s is 1 or 0, not %q", k, v)
			}
			if k == "present" {
				o.Present = v == "1"
			} else {
				o.Paths = v == "1"
			}
		default:
			return o, fmt.Errorf("unknown option %q: a diagram takes %s", k, strings.Join(svgOptionKeys, ", "))
		}
	}
	if o.Preset != "" && o.Stage == "" && len(o.Expand) == 0 && len(o.Collapse) == 0 && kv["view"] == "" {
		// A whole network on a slide: its stages as boxes, unless asked otherwise.
		o.Collapse = []string{"all"}
	}
	return o, nil
}

func presetNames() []string {
	names := make([]string, 0, len(diagram.Presets))
	for k := range diagram.Presets {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func orElse(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// canonical writes the options in one order, for the id prefix.
func (o SVGOptions) canonical() string {
	return fmt.Sprintf("dir=%s expand=%s collapse=%s stage=%s theme=%s transparent=%t preset=%s view=%s present=%t paths=%t",
		o.Dir, strings.Join(o.Expand, ","), strings.Join(o.Collapse, ","), o.Stage, o.Theme, o.Transparent, o.Preset, o.View, o.Present, o.Paths)
}

// SVGDoc is a diagram ready to be written alone: as a file, an <img>, or inline among
// other diagrams on one page.
type SVGDoc struct {
	Diagram *diagram.Diagram
	Volumes *diagram.Volumes // instead of the diagram, for view=volumes
	ID      string           // unique per network and options: prefixes every id inside
	Title   string           // read by screen readers, shown as a tooltip
	Desc    string           // what the diagram shows, for screen readers
	W, H    float64          // intrinsic size; the viewBox is the diagram's own
	Palette diagram.Palette
	Columns []diagram.Column // a long chain on a slide: windows of the diagram side by side
	Style   string           // the rules for theme=auto's dark half
	// Fluid shrinks the SVG to its column (an inline style): for documents of other
	// tools; a page of the atlas, whose CSP refuses inline styles, sizes it itself.
	Fluid bool
}

// NewSVGDoc lays out report r as o asks. seed names what was drawn (a catalogue id,
// a definition's source) so that two different diagrams never share ids, and the same
// one always gets the same ones.
func NewSVGDoc(ctx context.Context, r *engine.Report, name, seed string, o SVGOptions) (doc *SVGDoc, err error) {
	if o.View == "volumes" {
		return newVolumesDoc(r, name, seed, o)
	}
	view := DiagramView{Dir: o.Dir, Expand: o.Expand, Collapse: o.Collapse, Paths: o.Paths}
	if o.View != ViewDiagram {
		view.Mode = o.View
	}
	if o.Present {
		view.Scale = 1.5 // as the page's presentation mode draws it
	}
	opt := view.Options()
	opt.Stage = o.Stage
	var d *diagram.Diagram
	var cols []diagram.Column
	w, h := 0.0, 0.0
	if p, ok := diagram.Presets[o.Preset]; ok {
		// Fitted to a slide: the direction (and columns) that fill it at the largest scale.
		d, cols, err = diagram.LayoutPreset(ctx, r, opt, p)
		w, h = p.W, p.H
	} else {
		d, err = diagram.LayoutContext(ctx, r, opt)
	}
	if err != nil {
		return nil, err
	}
	if w == 0 {
		w, h = d.W, d.H
	}
	sum := sha256.Sum256([]byte(seed + "\x00" + o.canonical()))
	doc = &SVGDoc{Diagram: d, Columns: cols, ID: "ca-" + hex.EncodeToString(sum[:5]), W: w, H: h, Title: name + " block diagram", Fluid: true}
	doc.Desc = describe(r, name, o, d)
	doc.Palette = diagram.Palettes["light"]
	if o.Theme == "dark" {
		doc.Palette = diagram.Palettes["dark"]
	}
	if o.Transparent {
		doc.Palette.Background = "none"
	}
	if o.Theme == "auto" {
		doc.Style = "@media (prefers-color-scheme: dark) { " + paletteCSS("#"+doc.ID, diagram.Palettes["dark"], o.Transparent) + "}"
	}
	return doc, nil
}

// describe says in a sentence what a diagram shows.
func describe(r *engine.Report, name string, o SVGOptions, d *diagram.Diagram) string {
	what := name
	if o.Stage != "" {
		what = o.Stage + " of " + name
	}
	dir := "top to bottom"
	if d.Dir == "lr" {
		dir = "left to right"
	}
	// Ports (the network's input, a cell's inputs) are drawn as boxes but are no layers.
	collapsed, ports := 0, 0
	for _, b := range d.Boxes {
		switch {
		case b.Kind == "port":
			ports++
		case b.Stage != "":
			collapsed++
		}
	}
	s := fmt.Sprintf("%s drawn %s: %d boxes", what, dir, len(d.Boxes)-ports)
	if o.View == "streams" {
		s = fmt.Sprintf("%s drawn %s as one stream per %s, as its paper draws it: %d boxes", what, dir, r.Devices.Noun(), len(d.Boxes)-ports)
	}
	if collapsed > 0 {
		s += fmt.Sprintf(", %d of them collapsed stages", collapsed)
	}
	if len(d.Brackets) > 0 {
		runs := make([]string, len(d.Brackets))
		for i, b := range d.Brackets {
			runs[i] = b.Stage + " " + b.Label
		}
		s += "; each run of repeated blocks drawn once: " + strings.Join(runs, ", ")
	}
	return s + fmt.Sprintf(". The network has %s parameters and %s multiply-adds for a %d×%d×%d input.",
		diagram.HumanCount(r.Totals.Params), diagram.HumanCount(r.Totals.MACs), r.Input.C, r.Input.H, r.Input.W)
}

// paletteCSS colours a diagram under scope with p, overriding its presentation
// attributes (any author rule does), for theme=auto's dark half.
func paletteCSS(scope string, p diagram.Palette, transparent bool) string {
	var b strings.Builder
	rule := func(sel, decl string) {
		parts := strings.Split(sel, ", ")
		for i, s := range parts {
			parts[i] = scope + " " + s
		}
		b.WriteString(strings.Join(parts, ", ") + " { " + decl + " } ")
	}
	if !transparent {
		rule(".diagram-bg", "fill: "+p.Background)
	}
	rule("text.label, .join-symbol", "fill: "+p.Text)
	rule("text.detail, .join-tags, .frame-title, .stage-toggle", "fill: "+p.Muted)
	rule(".edge", "stroke: "+p.Edge)
	rule(".edge-skip", "stroke: "+p.Skip)
	rule(".edge-aux", "stroke: "+p.AuxFrame)
	rule(".arrowhead", "fill: "+p.Edge)
	rule(".tap", "fill: "+p.Skip)
	rule(".frame rect", "stroke: "+p.Frame)
	rule(".frame-stage rect", "stroke: "+p.StageFrame)
	rule(".frame-aux rect", "stroke: "+p.AuxFrame)
	rule(".join circle", "fill: "+p.Fill["merge"]+"; stroke: "+p.Stroke["merge"])
	rule(".bracket-line", "stroke: "+p.Edge)
	rule(".bracket-count", "fill: "+p.Text)
	rule(".bracket-figure", "fill: "+p.Muted)
	kinds := make([]string, 0, len(p.Fill))
	for k := range p.Fill {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		if k != "merge" {
			rule(".box-"+k+" rect", "fill: "+p.Fill[k]+"; stroke: "+p.Stroke[k])
		}
	}
	return b.String()
}

func (doc *SVGDoc) viewBox() string {
	if doc.Volumes != nil {
		return fmt.Sprintf("0 0 %s %s", num(doc.Volumes.W), num(doc.Volumes.H))
	}
	if len(doc.Columns) > 0 {
		w, h := diagram.ColumnsSize(doc.Diagram, doc.Columns)
		return fmt.Sprintf("0 0 %s %s", num(w), num(h))
	}
	return viewBox(doc.Diagram)
}

// columnBox is the viewBox of a column: its window on the diagram.
func columnBox(d *diagram.Diagram, c diagram.Column) string {
	return fmt.Sprintf("0 %s %s %s", num(c.Y0), num(d.W), num(c.H))
}

// newVolumesDoc draws a network's tensors as volumes, alone, with the caption that
// states their scales: the colours the page's stylesheet gives them in the atlas are
// written inside.
func newVolumesDoc(r *engine.Report, name, seed string, o SVGOptions) (*SVGDoc, error) {
	if o.Stage != "" {
		return nil, fmt.Errorf("view=volumes draws the whole network: it takes no stage")
	}
	v, err := diagram.NewVolumes(r)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(seed + "\x00" + o.canonical()))
	doc := &SVGDoc{Volumes: v, ID: "ca-" + hex.EncodeToString(sum[:5]), W: v.W, H: v.H, Title: name + " as tensor volumes", Fluid: true}
	if p, ok := diagram.Presets[o.Preset]; ok {
		doc.W, doc.H = p.W, p.H
	}
	what := "output volumes"
	if v.MainPath {
		what = "tensors along the main path"
	}
	doc.Desc = fmt.Sprintf("%s's %s, from the %d×%d×%d input to the %s output: %d volumes. %s", name, what, r.Input.C, r.Input.H, r.Input.W, r.Output, len(v.Items), strings.Join(v.Caption, " "))
	scope := "#" + doc.ID
	light, dark := volumeCSS(scope, diagram.VolumeInks["light"], o.Transparent), volumeCSS(scope, diagram.VolumeInks["dark"], o.Transparent)
	switch o.Theme {
	case "dark":
		doc.Style = dark
	case "auto":
		doc.Style = light + "@media (prefers-color-scheme: dark) { " + dark + "}"
	default:
		doc.Style = light
	}
	return doc, nil
}

// volumeCSS colours the volumes under scope with ink (diagram.VolumeInks), and sizes
// their text as diagram.VolumeTextSizes says, which the layout measured.
func volumeCSS(scope string, ink diagram.VolumeInk, transparent bool) string {
	bg := ink.Background
	if transparent {
		bg = "none"
	}
	size := func(class string) string { return num(diagram.VolumeTextSizes[class]) + "px" }
	return scope + " .volumes-bg { fill: " + bg + " } " +
		scope + " .volume-front { fill: " + ink.Front + "; stroke: " + ink.Edge + "; stroke-width: 1.2 } " +
		scope + " .volume-top { fill: " + ink.Top + "; stroke: " + ink.Edge + "; stroke-width: 1 } " +
		scope + " .volume-side { fill: " + ink.Side + "; stroke: " + ink.Edge + "; stroke-width: 1 } " +
		scope + " .volume-kernel { fill: " + ink.Kernel + "; fill-opacity: .5; stroke: " + ink.Kernel + " } " +
		scope + " .volume-ray { stroke: " + ink.Kernel + "; stroke-width: 1.2; stroke-dasharray: 4 3 } " +
		scope + " .volume-name { fill: " + ink.Text + "; font-size: " + size("volume-name") + "; font-weight: bold } " +
		scope + " .volume-label { fill: " + ink.Text + "; font-size: " + size("volume-label") + " } " +
		scope + " .volume-shape { fill: " + ink.Muted + "; font-size: " + size("volume-shape") + " } " +
		scope + " .volume-window { fill: " + ink.Text + "; font-size: " + size("volume-window") + " } " +
		scope + " .volume-caption { fill: " + ink.Muted + "; font-size: " + size("volume-caption") + " } "
}

// errorID names an error's title, apart from another error's on the same page.
func errorID(msg string) string {
	sum := sha256.Sum256([]byte(msg))
	return "ca-error-" + hex.EncodeToString(sum[:5]) + "-title"
}
