package archdefs

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"sync"

	"convatlas/engine"

	"go.yaml.in/yaml/v4"
)

// A tour is a lecture told as a sequence of steps, each a live view of the atlas (a
// diagram with a stage or layer selected, a calculator with the lecture's numbers, a
// chart) with a short text. It is a Markdown file:
//
//	---
//	id: lecture9
//	title: CNN architectures
//	worksheet: [alexnet/conv1:out,params]
//	---
//	## AlexNet
//	```step
//	arch: alexnet
//	layer: conv1
//	```
//	CONV1 has {{ alexnet/conv1.params }} parameters.
//
// Each "## " heading starts a step; the fenced step block right under it says what
// the step shows; the rest is its text, in which {{ … }} is a figure computed by the
// engine when the page is drawn (see Figure). Every error names file, line and column.

//go:embed tours
var embeddedTours embed.FS

// The limits of a tour file, each with its reason.
const (
	// MaxTourBytes bounds a tour file; the lecture's is about 20 KB.
	MaxTourBytes = 256 << 10
	// MaxTourSteps bounds the steps of a tour; the lecture has 24.
	MaxTourSteps = 100
	// MaxFigures bounds the {{ … }} figures of one tour, each an engine look-up when a
	// step is drawn; the lecture has about 60.
	MaxFigures = 500
	// MaxFigureTerms bounds one figure's expression: "a / b" has two terms.
	MaxFigureTerms = 8
	// MaxTours bounds the tours of a folder.
	MaxTours = 50
)

// Tour is a parsed tour file.
type Tour struct {
	ID, Title, Source string
	File              string
	Intro             string   // Markdown before the first step
	Worksheet         []string // question specs (concepts.ParseSpecs), checked by the server
	WorksheetPos      engine.Pos
	Steps             []*Step
}

// Step is one stop of a tour.
type Step struct {
	Title   string
	Pos     engine.Pos // the heading
	View    View
	Text    string   // Markdown, with {{ … }} figures in it
	Figures []Figure // in the order they appear in Text
}

// View is what a step shows: an architecture (Arch), a calculator (Concept) or a
// chart (Chart); Questions may go with any of them.
type View struct {
	Arch   string
	Stage  string   // expanded and framed
	Layer  string   // selected
	Expand []string // further stages drawn expanded
	Mode   string   // diagram (the default), table or volumes
	Dir    string   // tb or lr

	Concept string
	Args    [][2]string // the calculator's query parameters, in order

	Chart string
	IDs   []string

	Questions []string

	// Pos holds the position of each field written, for errors found when the tour
	// is checked against the atlas ("arch", "layer", "questions[1]", …).
	Pos map[string]engine.Pos
}

// Figure is one {{ … }} of a step's text: terms combined left to right by Ops, written
// with a Format. "{{ alexnet.params / googlenet.params | ratio }}" gives "8.7×".
type Figure struct {
	Source     string // the text between the braces
	Start, End int    // byte offsets of "{{" and after "}}" in Step.Text
	Terms      []Term
	Ops        []byte // '+', '-', '*', '/' between the terms
	Format     string // group (the default), human, bytes, ratio, percent
	Pos        engine.Pos
}

// Term is a number in a figure: a literal, a figure of a network (Net, with Layer for
// one layer's), or a cell of the step's calculator (Row, Col).
type Term struct {
	Literal   float64
	Net       string
	Layer     string
	What      string // params, macs, flops, activations, memory, input, rf, depth, out
	Row       string // the calculator row's label: "multiply-adds"
	Col       int
	IsCalc    bool
	IsLiteral bool
	Formula   bool // the figure's formula with its numbers, not the figure: "11·11·3·96 + 96 = 34,944"
}

// FigureNames are the figures a term may ask for; out is a shape and stands alone.
var FigureNames = []string{"params", "macs", "flops", "activations", "memory", "input", "rf", "depth", "out"}

// FigureFormats are the ways a figure may be written.
var FigureFormats = []string{"group", "human", "bytes", "ratio", "percent", "formula"}

var (
	toursOnce sync.Once
	toursDef  []*Tour
	toursErr  error
)

// DefaultTours are the embedded tours, loaded once.
func DefaultTours() ([]*Tour, error) {
	toursOnce.Do(func() {
		sub, err := fs.Sub(embeddedTours, "tours")
		if err != nil {
			toursErr = err
			return
		}
		toursDef, toursErr = LoadTours(sub)
	})
	return toursDef, toursErr
}

// LoadTours reads every *.md file at the top of fsys as a tour; the id must be the
// file's name. Symbolic links are refused, so that a folder cannot point outside itself.
func LoadTours(fsys fs.FS) ([]*Tour, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []*Tour
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".md") || strings.HasPrefix(name, ".") {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s: a symbolic link; tours are read from the folder's own files only", name)
		}
		if len(out) == MaxTours {
			return nil, fmt.Errorf("%s: a folder holds at most %d tours", name, MaxTours)
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		if info.Size() > MaxTourBytes {
			return nil, &engine.Error{Pos: engine.Pos{File: name}, Msg: fmt.Sprintf("the tour is %s bytes, more than the limit of %s", engine.Group(info.Size()), engine.Group(MaxTourBytes))}
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		t, err := ParseTour(name, src)
		if err != nil {
			return nil, err
		}
		if want := strings.TrimSuffix(name, ".md"); t.ID != want {
			return nil, &engine.Error{Pos: engine.Pos{File: name, Line: 2, Column: 1, Field: "id"}, Msg: fmt.Sprintf("the id %q differs from the file name %q", t.ID, want)}
		}
		if seen[t.ID] {
			return nil, fmt.Errorf("%s: a second tour has the id %q", name, t.ID)
		}
		seen[t.ID] = true
		out = append(out, t)
	}
	return out, nil
}

// ParseTour reads a tour file. It checks the file's own form (front matter, steps,
// fields, figures); whether its networks, layers and calculators exist is checked by
// the server against the atlas it serves, with the positions kept here.
func ParseTour(file string, src []byte) (*Tour, error) {
	at := func(line, col int, field, msg string) error {
		return &engine.Error{Pos: engine.Pos{File: file, Line: line, Column: col, Field: field}, Msg: msg}
	}
	if len(src) > MaxTourBytes {
		return nil, at(0, 0, "", fmt.Sprintf("the tour is %s bytes, more than the limit of %s", engine.Group(int64(len(src))), engine.Group(MaxTourBytes)))
	}
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || strings.TrimRight(lines[0], " ") != "---" {
		return nil, at(1, 1, "", "a tour starts with its front matter: a line ---, then id: and title:, then ---")
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " ") == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, at(1, 1, "", "the front matter opened on line 1 is not closed by a line ---")
	}
	t := &Tour{File: file}
	front, err := yamlAt(file, lines[1:end], 1)
	if err != nil {
		return nil, err
	}
	p := &parser{file: file}
	err = p.fields(front, "", []string{"id", "title", "source", "worksheet"}, func(key string, v *yaml.Node, path string) error {
		var err error
		switch key {
		case "id":
			if t.ID, err = p.str(v, path); err == nil {
				if cerr := checkID(t.ID); cerr != nil {
					err = p.errAt(v, path, cerr.Error())
				}
			}
		case "title":
			t.Title, err = p.str(v, path)
		case "source":
			t.Source, err = p.str(v, path)
		case "worksheet":
			t.WorksheetPos = p.pos(v, path)
			t.Worksheet, err = p.strs(v, path)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if t.ID == "" || t.Title == "" {
		return nil, at(1, 1, "", "the front matter needs an id and a title")
	}
	var intro []string
	var step *Step
	var body []string
	bodyLine := 0
	finish := func() error {
		if step == nil {
			return nil
		}
		step.Text = strings.TrimSpace(strings.Join(body, "\n"))
		return parseFigures(file, step, body, bodyLine)
	}
	figures := 0
	for i := end + 1; i < len(lines); i++ {
		line := lines[i]
		if title, ok := strings.CutPrefix(line, "## "); ok {
			if err := finish(); err != nil {
				return nil, err
			}
			if step != nil {
				figures += len(step.Figures)
			}
			if len(t.Steps) == MaxTourSteps {
				return nil, at(i+1, 1, "", fmt.Sprintf("a tour has at most %d steps", MaxTourSteps))
			}
			step = &Step{Title: strings.TrimSpace(title), Pos: engine.Pos{File: file, Line: i + 1, Column: 1}}
			if step.Title == "" {
				return nil, at(i+1, 1, "", "a step's heading needs a title")
			}
			t.Steps = append(t.Steps, step)
			// The step block: the first non-blank line after the heading.
			j := i + 1
			for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
				j++
			}
			if j >= len(lines) || strings.TrimSpace(lines[j]) != "```step" {
				return nil, at(i+1, 1, "", fmt.Sprintf("step %q needs a ```step block right under its heading, saying what it shows (arch:, concept: or chart:)", step.Title))
			}
			k := j + 1
			for k < len(lines) && strings.TrimSpace(lines[k]) != "```" {
				k++
			}
			if k >= len(lines) {
				return nil, at(j+1, 1, "", "the ```step block is not closed by a line ```")
			}
			node, err := yamlAt(file, lines[j+1:k], j+1)
			if err != nil {
				return nil, err
			}
			if step.View, err = p.view(node); err != nil {
				return nil, err
			}
			body, bodyLine, i = nil, k+2, k
			continue
		}
		if step == nil {
			intro = append(intro, line)
		} else {
			body = append(body, line)
		}
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if step != nil {
		figures += len(step.Figures)
	}
	if figures > MaxFigures {
		return nil, at(0, 0, "", fmt.Sprintf("the tour has %d figures, more than the limit of %d", figures, MaxFigures))
	}
	if len(t.Steps) == 0 {
		return nil, at(end+2, 1, "", "a tour needs at least one step: a heading \"## Title\" with a ```step block under it")
	}
	t.Intro = strings.TrimSpace(strings.Join(intro, "\n"))
	return t, nil
}

// yamlAt parses lines of a tour as one YAML mapping, with positions in the file:
// the lines begin after line offset (1-based lines of the file).
func yamlAt(file string, lines []string, offset int) (*yaml.Node, error) {
	src := strings.Join(lines, "\n")
	if strings.TrimSpace(src) == "" {
		return nil, &engine.Error{Pos: engine.Pos{File: file, Line: offset, Column: 1}, Msg: "the block is empty"}
	}
	n, err := parseYAML(file, []byte(src))
	if err != nil {
		if e, ok := err.(*engine.Error); ok && e.Pos.Line > 0 {
			e.Pos.Line += offset
		}
		return nil, err
	}
	shiftLines(n, offset, 0)
	return n, nil
}

func shiftLines(n *yaml.Node, offset, depth int) {
	if depth > maxYAMLNesting {
		return
	}
	n.Line += offset
	for _, c := range n.Content {
		shiftLines(c, offset, depth+1)
	}
}

// view reads a step block.
func (p *parser) view(n *yaml.Node) (View, error) {
	v := View{Pos: map[string]engine.Pos{}}
	known := []string{"arch", "stage", "layer", "expand", "view", "dir", "concept", "args", "chart", "ids", "questions"}
	err := p.fields(n, "", known, func(key string, val *yaml.Node, path string) error {
		v.Pos[key] = p.pos(val, path)
		var err error
		switch key {
		case "arch":
			v.Arch, err = p.str(val, path)
		case "stage":
			v.Stage, err = p.str(val, path)
		case "layer":
			v.Layer, err = p.str(val, path)
		case "expand":
			v.Expand, err = p.strs(val, path)
		case "view":
			if v.Mode, err = p.str(val, path); err == nil && !contains([]string{"diagram", "table", "volumes"}, v.Mode) {
				err = p.errAt(val, path, "view is diagram, table or volumes")
			}
		case "dir":
			if v.Dir, err = p.str(val, path); err == nil && v.Dir != "tb" && v.Dir != "lr" {
				err = p.errAt(val, path, "dir is tb (top-down) or lr (left-right)")
			}
		case "concept":
			v.Concept, err = p.str(val, path)
		case "args":
			if val.Kind != yaml.MappingNode {
				return p.errAt(val, path, "args is a mapping of the calculator's fields: {h: 28, c: 256}")
			}
			for i := 0; i+1 < len(val.Content); i += 2 {
				k := val.Content[i].Value
				s, err := p.str(val.Content[i+1], path+"."+k)
				if err != nil {
					return err
				}
				v.Args = append(v.Args, [2]string{k, s})
				v.Pos["args."+k] = p.pos(val.Content[i+1], path+"."+k)
			}
		case "chart":
			v.Chart, err = p.str(val, path)
		case "ids":
			v.IDs, err = p.strs(val, path)
			for i := range v.IDs {
				if val.Kind == yaml.SequenceNode {
					v.Pos[fmt.Sprintf("ids[%d]", i)] = p.pos(val.Content[i], fmt.Sprintf("%s[%d]", path, i))
				}
			}
		case "questions":
			v.Questions, err = p.strs(val, path)
			for i := range v.Questions {
				if val.Kind == yaml.SequenceNode {
					v.Pos[fmt.Sprintf("questions[%d]", i)] = p.pos(val.Content[i], fmt.Sprintf("%s[%d]", path, i))
				}
			}
		}
		return err
	})
	if err != nil {
		return v, err
	}
	kinds := 0
	for _, s := range []string{v.Arch, v.Concept, v.Chart} {
		if s != "" {
			kinds++
		}
	}
	if kinds != 1 {
		return v, p.errAt(n, "", "a step shows one thing: write exactly one of arch:, concept: or chart:")
	}
	if v.Arch == "" && (v.Stage != "" || v.Layer != "" || len(v.Expand) > 0 || v.Mode != "" || v.Dir != "") {
		return v, p.errAt(n, "", "stage:, layer:, expand:, view: and dir: go with arch:")
	}
	if v.Chart == "" && len(v.IDs) > 0 {
		return v, p.errAt(n, "ids", "ids: goes with chart:")
	}
	if v.Chart != "" && len(v.IDs) == 0 {
		return v, p.errAt(n, "ids", "a chart needs the networks it compares: ids: [alexnet, vgg16]")
	}
	if v.Concept == "" && len(v.Args) > 0 {
		return v, p.errAt(n, "args", "args: goes with concept:")
	}
	return v, nil
}

// parseFigures finds the {{ … }} of a step's body lines (the first is line first of the
// file) and reads each.
func parseFigures(file string, s *Step, body []string, first int) error {
	// Step.Text is the body trimmed; offsets are found again in it.
	lead := len(strings.Join(body, "\n")) - len(strings.TrimLeft(strings.Join(body, "\n"), " \t\n"))
	offset := 0
	for i, line := range body {
		for col := 0; col < len(line); {
			open := strings.Index(line[col:], "{{")
			if open < 0 {
				break
			}
			open += col
			pos := engine.Pos{File: file, Line: first + i, Column: open + 1}
			shut := strings.Index(line[open:], "}}")
			if shut < 0 {
				return &engine.Error{Pos: pos, Msg: "a figure {{ … }} must close on the same line"}
			}
			shut += open
			f, err := parseFigure(line[open+2:shut], pos)
			if err != nil {
				return err
			}
			f.Start, f.End = offset+open-lead, offset+shut+2-lead
			s.Figures = append(s.Figures, f)
			col = shut + 2
		}
		offset += len(line) + 1
	}
	return nil
}

// parseFigure reads "alexnet.params / googlenet.params | ratio".
func parseFigure(src string, pos engine.Pos) (Figure, error) {
	f := Figure{Source: strings.TrimSpace(src), Pos: pos, Format: "group"}
	fail := func(msg string) (Figure, error) {
		return f, &engine.Error{Pos: pos, Msg: fmt.Sprintf("figure {{ %s }}: %s", f.Source, msg)}
	}
	expr, format, hasFormat := strings.Cut(src, "|")
	if hasFormat {
		f.Format = strings.TrimSpace(format)
		if !contains(FigureFormats, f.Format) {
			return fail(fmt.Sprintf("%q is not a format; the formats are %s", f.Format, strings.Join(FigureFormats, ", ")))
		}
	}
	fields := strings.Fields(expr)
	if len(fields) == 0 {
		return fail("it is empty")
	}
	if len(fields)%2 == 0 || len(fields) > 2*MaxFigureTerms-1 {
		return fail(fmt.Sprintf("write terms with + − * / between them, spaced, at most %d terms", MaxFigureTerms))
	}
	for i, w := range fields {
		if i%2 == 1 {
			if len(w) != 1 || !strings.Contains("+-*/", w) {
				return fail(fmt.Sprintf("%q is not one of + - * /", w))
			}
			f.Ops = append(f.Ops, w[0])
			continue
		}
		t, err := parseTerm(w)
		if err != nil {
			return fail(err.Error())
		}
		if t.What == "out" && len(fields) > 1 {
			return fail("out is a shape: it stands alone")
		}
		f.Terms = append(f.Terms, t)
	}
	if f.Format == "formula" {
		t := &f.Terms[0]
		if len(f.Terms) != 1 || t.Layer == "" || !contains([]string{"out", "params", "macs", "rf"}, t.What) {
			return fail("a formula is that of one layer's out, params, macs or rf: {{ alexnet/conv1.params | formula }}")
		}
		t.Formula = true
	}
	if !hasFormat {
		switch {
		case len(f.Ops) > 0 && f.Ops[len(f.Ops)-1] == '/':
			f.Format = "ratio"
		case f.Terms[0].What == "memory":
			f.Format = "bytes"
		}
	}
	return f, nil
}

// parseTerm reads 227, alexnet.params, alexnet/conv1.params or calc:multiply-adds:1.
func parseTerm(w string) (Term, error) {
	if n, err := strconv.ParseFloat(w, 64); err == nil && !math.IsInf(n, 0) && !math.IsNaN(n) && w[0] >= '0' && w[0] <= '9' {
		return Term{Literal: n, IsLiteral: true}, nil
	}
	if rest, ok := strings.CutPrefix(w, "calc:"); ok {
		row, col, ok := strings.Cut(rest, ":")
		c, err := strconv.Atoi(col)
		if !ok || row == "" || err != nil || c < 0 || c > 8 {
			return Term{}, fmt.Errorf("a calculator cell is calc:ROW:COLUMN, as calc:multiply-adds:1")
		}
		return Term{IsCalc: true, Row: row, Col: c}, nil
	}
	dot := strings.LastIndex(w, ".")
	if dot < 0 {
		return Term{}, fmt.Errorf("%q is not a term: write net.figure, net/layer.figure, calc:row:column or a number", w)
	}
	t := Term{What: w[dot+1:]}
	t.Net, t.Layer, _ = strings.Cut(w[:dot], "/")
	if !contains(FigureNames, t.What) {
		return Term{}, fmt.Errorf("%q is not a figure; the figures are %s", t.What, strings.Join(FigureNames, ", "))
	}
	if t.Net == "" {
		return Term{}, fmt.Errorf("%q names no network", w)
	}
	return t, nil
}

// Eval computes the figure, looking each term up with value (which gives a number, or
// a text for a shape), and writes it in its format.
func (f *Figure) Eval(value func(Term) (float64, string, error)) (string, error) {
	var acc float64
	for i, t := range f.Terms {
		v, text := t.Literal, ""
		if !t.IsLiteral {
			var err error
			if v, text, err = value(t); err != nil {
				return "", err
			}
		}
		if text != "" {
			return text, nil
		}
		if i == 0 {
			acc = v
			continue
		}
		switch f.Ops[i-1] {
		case '+':
			acc += v
		case '-':
			acc -= v
		case '*':
			acc *= v
		case '/':
			if v == 0 {
				return "", fmt.Errorf("figure {{ %s }} divides by zero", f.Source)
			}
			acc /= v
		}
	}
	return formatFigure(acc, f.Format), nil
}

func formatFigure(v float64, format string) string {
	switch format {
	case "ratio":
		return strconv.FormatFloat(v, 'f', 1, 64) + "×"
	case "percent":
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	case "human":
		return humanCount(v)
	case "bytes":
		return humanBytes(v)
	}
	return engine.Group(int64(math.Round(v)))
}

// humanCount writes 60,965,224 as 61.0M, as the lecture does.
func humanCount(v float64) string {
	for _, u := range []struct {
		scale float64
		unit  string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(v) >= u.scale {
			return strconv.FormatFloat(v/u.scale, 'f', 1, 64) + u.unit
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// humanBytes writes a byte count in binary units, as convnet-burden's MiB.
func humanBytes(v float64) string {
	for _, u := range []struct {
		scale float64
		unit  string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if math.Abs(v) >= u.scale {
			return strconv.FormatFloat(v/u.scale, 'f', 1, 64) + " " + u.unit
		}
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " B"
}
