package archdefs

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"convatlas/engine"

	"go.yaml.in/yaml/v4"
)

// MaxSourceBytes bounds a definition's size; the largest catalogue entry is a few KB.
const MaxSourceBytes = 1 << 20

// maxYAMLNesting bounds the depth of the YAML tree before anything is expanded.
const maxYAMLNesting = 64

// parseYAML reads exactly one YAML document into a node tree, refusing what a
// definition never needs and what makes YAML dangerous: anchors, aliases (the
// "billion laughs"), several documents, deep nesting. Parser panics become errors.
func parseYAML(file string, src []byte) (doc *yaml.Node, err error) {
	fail := func(line, col int, msg string) error {
		return &engine.Error{Pos: engine.Pos{File: file, Line: line, Column: col}, Msg: msg}
	}
	if len(src) > MaxSourceBytes {
		return nil, fail(0, 0, fmt.Sprintf("the definition is %s bytes, more than the limit of %s", engine.Group(int64(len(src))), engine.Group(MaxSourceBytes)))
	}
	if line, col, ok := tooDeep(src); ok {
		return nil, fail(line, col, fmt.Sprintf("lists or mappings nested more than %d deep", maxYAMLNesting))
	}
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fail(0, 0, fmt.Sprintf("the YAML parser failed on this input: %v", r))
		}
	}()
	dec := yaml.NewDecoder(strings.NewReader(string(src)))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fail(1, 1, "the definition is empty")
		}
		return nil, yamlError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line, col := 0, 0
		if err == nil {
			line, col = extra.Line, extra.Column
		}
		return nil, fail(line, col, "a definition is one YAML document: remove the second one (after ---)")
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) != 1 {
		return nil, fail(1, 1, "the definition is empty")
	}
	if err := checkNodes(file, root.Content[0], 0); err != nil {
		return nil, err
	}
	return root.Content[0], nil
}

// tooDeep finds nesting beyond maxYAMLNesting before the parser sees it: brackets
// (100,000 "[" would otherwise cost the parser its stack) and block lists opened on one
// line ("- - - - …").
func tooDeep(src []byte) (line, col int, found bool) {
	depth, line, col := 0, 1, 0
	inQuote := byte(0)
	dashes, lineStart := 0, true
	for i, c := range src {
		col++
		if lineStart {
			switch {
			case c == '-' && i+1 < len(src) && (src[i+1] == ' ' || src[i+1] == '\t'):
				dashes++
				if dashes > maxYAMLNesting {
					return line, col, true
				}
			case c != ' ' && c != '\t' && c != '-':
				lineStart = false
			}
		}
		switch {
		case c == '\n':
			line, col = line+1, 0
			dashes, lineStart = 0, true
			if inQuote == 0 {
				continue
			}
		case inQuote != 0:
			if c == inQuote {
				inQuote = 0
			}
		case c == '"' || c == '\'':
			inQuote = c
		case c == '[' || c == '{':
			depth++
			if depth > maxYAMLNesting {
				return line, col, true
			}
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		case c == '#':
			// a comment may hold anything; skip to the end of the line is not needed
			// for a depth bound: brackets in comments only make the bound stricter.
		}
	}
	return 0, 0, false
}

// yamlError turns a parser error into a positioned one.
func yamlError(file string, err error) error {
	var le *yaml.LoadError
	if errors.As(err, &le) {
		msg := le.Message
		if le.ContextMsg != "" {
			msg += " (" + le.ContextMsg + ")"
		}
		return &engine.Error{Pos: engine.Pos{File: file, Line: le.Mark.Line, Column: le.Mark.Column}, Msg: "YAML syntax: " + msg}
	}
	return &engine.Error{Pos: engine.Pos{File: file}, Msg: "YAML syntax: " + strings.TrimPrefix(err.Error(), "yaml: ")}
}

// checkNodes refuses anchors, aliases, merge keys, duplicate keys and deep nesting.
func checkNodes(file string, n *yaml.Node, depth int) error {
	at := func(m *yaml.Node, msg string) error {
		return &engine.Error{Pos: engine.Pos{File: file, Line: m.Line, Column: m.Column}, Msg: msg}
	}
	if depth > maxYAMLNesting {
		return at(n, fmt.Sprintf("nested more than %d levels deep", maxYAMLNesting))
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return at(n, "anchors (&) and aliases (*) are not allowed in a definition: use a template under blocks: instead")
	}
	if n.Kind == yaml.MappingNode {
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return at(k, "a key must be a plain name")
			}
			if k.Tag == "!!merge" || k.Value == "<<" {
				return at(k, "merge keys (<<) are not allowed in a definition")
			}
			if seen[k.Value] {
				return at(k, fmt.Sprintf("the key %q appears twice", k.Value))
			}
			seen[k.Value] = true
		}
	}
	for _, c := range n.Content {
		if err := checkNodes(file, c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// scalars: typed reads of YAML scalars with positioned errors.

func (p *parser) kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!str":
		return fmt.Sprintf("the text %q", n.Value)
	case "!!null":
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (p *parser) int(n *yaml.Node, field string) (int64, error) {
	n, err := p.resolve(n, field)
	if err != nil {
		return 0, err
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return 0, p.errAt(n, field, fmt.Sprintf("must be a whole number, got %s", p.kindName(n)))
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil {
		return 0, p.errAt(n, field, fmt.Sprintf("the number %s is out of range", n.Value))
	}
	return v, nil
}

// count reads a positive whole number.
func (p *parser) count(n *yaml.Node, field string, least int64) (int64, error) {
	v, err := p.int(n, field)
	if err != nil {
		return 0, err
	}
	if v < least {
		return 0, p.errAt(n, field, fmt.Sprintf("must be at least %d, got %d", least, v))
	}
	return v, nil
}

// pair reads "3" or "[1, 7]" as (h, w).
func (p *parser) pair(n *yaml.Node, field string, least int64) ([2]int64, error) {
	n, err := p.resolve(n, field)
	if err != nil {
		return [2]int64{}, err
	}
	if n.Kind == yaml.SequenceNode {
		if len(n.Content) != 2 {
			return [2]int64{}, p.errAt(n, field, fmt.Sprintf("must be one number or a pair [height, width], got %d numbers", len(n.Content)))
		}
		h, err := p.count(n.Content[0], field+"[0]", least)
		if err != nil {
			return [2]int64{}, err
		}
		w, err := p.count(n.Content[1], field+"[1]", least)
		return [2]int64{h, w}, err
	}
	v, err := p.count(n, field, least)
	return [2]int64{v, v}, err
}

func (p *parser) float(n *yaml.Node, field string) (float64, error) {
	n, err := p.resolve(n, field)
	if err != nil {
		return 0, err
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") {
		return 0, p.errAt(n, field, fmt.Sprintf("must be a number, got %s", p.kindName(n)))
	}
	v, err := strconv.ParseFloat(n.Value, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, p.errAt(n, field, fmt.Sprintf("must be a finite number, got %s", n.Value))
	}
	return v, nil
}

func (p *parser) bool(n *yaml.Node, field string) (bool, error) {
	n, err := p.resolve(n, field)
	if err != nil {
		return false, err
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return false, p.errAt(n, field, fmt.Sprintf("must be true or false, got %s", p.kindName(n)))
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
}

func (p *parser) str(n *yaml.Node, field string) (string, error) {
	n, err := p.resolve(n, field)
	if err != nil {
		return "", err
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errAt(n, field, fmt.Sprintf("must be a text, got %s", p.kindName(n)))
	}
	if i, r := xmlUnsafe(n.Value); i >= 0 {
		return "", p.errAt(n, field, fmt.Sprintf("holds the control character %U at byte %d: texts are drawn into SVG, an XML document, which cannot hold it", r, i+1))
	}
	return n.Value, nil
}

// xmlUnsafe finds the first character XML 1.0 cannot hold (control characters other
// than tab, line feed and carriage return; U+FFFE, U+FFFF), or returns -1.
func xmlUnsafe(s string) (int, rune) {
	for i, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return i, r
		}
	}
	return -1, 0
}

func (p *parser) strs(n *yaml.Node, field string) ([]string, error) {
	n, err := p.resolve(n, field)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.SequenceNode {
		s, err := p.str(n, field)
		return []string{s}, err
	}
	out := make([]string, len(n.Content))
	for i, c := range n.Content {
		if out[i], err = p.str(c, fmt.Sprintf("%s[%d]", field, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fields walks a mapping's keys, refusing those not in known with a suggestion.
func (p *parser) fields(n *yaml.Node, field string, known []string, each func(key string, v *yaml.Node, path string) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errAt(n, field, fmt.Sprintf("must be a mapping (key: value), got %s", p.kindName(n)))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := k.Value
		if field != "" {
			path = field + "." + k.Value
		}
		if !contains(known, k.Value) {
			return p.errAt(k, path, unknownKey(k.Value, known))
		}
		if err := each(k.Value, v, path); err != nil {
			return err
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unknownKey says a key is not known, suggesting the nearest known one.
func unknownKey(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown key %q: did you mean %q?", key, best)
	}
	return fmt.Sprintf("unknown key %q (expected one of: %s)", key, strings.Join(known, ", "))
}

// editDistance is Levenshtein's distance between short keys.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
