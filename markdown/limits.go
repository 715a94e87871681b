package markdown

import (
	"bytes"
	"fmt"
)

// goldmark's time grows with the square of some inputs: quotes and lists nested on one
// line ("- - - … x"), and runs of unclosed links, code spans or emphasis within one
// paragraph ("[a](b[a](b…", "*a_*a_…"). 256 KB of either takes from seconds to a minute
// of CPU. Notes are refused, naming the line, past these bounds, which course notes
// never come near; within them the worst 256 KB found renders in about a second
// (paragraphs of 4 KB of "[](" on this project's machine).
const (
	MaxNesting   = 100     // quotes, list markers and two-column indents opening one line
	MaxParagraph = 4 << 10 // bytes of text in one paragraph, table or list item
)

// LimitError refuses notes past MaxNesting or MaxParagraph.
type LimitError struct {
	Line   int
	Reason string
}

func (e *LimitError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// checkLimits reads src line by line as goldmark will split it into blocks: top-level
// fenced code is skipped (it is not parsed for links or emphasis); a paragraph ends at a
// blank line, and a list item or heading starts a new one. Where that reading is unsure
// it joins lines rather than splitting them, so that a paragraph is never measured
// shorter than goldmark will parse it.
func checkLimits(src []byte) error {
	first, size := 0, 0 // the paragraph being read: its first line and its bytes so far
	var fence []byte    // the marker of the open top-level fenced block
	for n, line := range bytes.Split(src, []byte("\n")) {
		if fence != nil {
			if closesFence(line, fence) {
				fence = nil
			}
			continue
		}
		if openers(line) > MaxNesting {
			return &LimitError{n + 1, fmt.Sprintf("quotes, lists and indentation nest more than %d levels deep", MaxNesting)}
		}
		if fence = opensFence(line); fence != nil {
			size = 0
			continue
		}
		inner := unquote(line)
		text := bytes.TrimSpace(inner)
		if len(text) == 0 {
			size = 0
			continue
		}
		heading := startsHeading(inner)
		if heading || startsListItem(inner) {
			size = 0
		}
		if size == 0 {
			first = n + 1
		}
		if size += len(text); size > MaxParagraph {
			return &LimitError{first, fmt.Sprintf("a paragraph, table or list item longer than %d KB: break it with a blank line", MaxParagraph>>10)}
		}
		if heading {
			size = 0
		}
	}
	return nil
}

// indent is the width of a line's leading spaces, and where its text starts; a tab
// counts as four.
func indent(line []byte) (width, at int) {
	for ; at < len(line) && (line[at] == ' ' || line[at] == '\t'); at++ {
		width++
		if line[at] == '\t' {
			width += 3
		}
	}
	return width, at
}

// opensFence returns the marker of a fenced code block opened by line at the top
// level (no quote, less than four columns of indent): three or more backticks or
// tildes; a backtick fence's info string holds no backtick.
func opensFence(line []byte) []byte {
	w, at := indent(line)
	if w >= 4 || at >= len(line) || (line[at] != '`' && line[at] != '~') {
		return nil
	}
	end := at
	for end < len(line) && line[end] == line[at] {
		end++
	}
	if end-at < 3 || (line[at] == '`' && bytes.IndexByte(line[end:], '`') >= 0) {
		return nil
	}
	return line[at:end]
}

// closesFence reports whether line closes the fenced block opened by marker: the same
// character, at least as many, and nothing else.
func closesFence(line, marker []byte) bool {
	w, at := indent(line)
	end := at
	for end < len(line) && line[end] == marker[0] {
		end++
	}
	return w < 4 && end-at >= len(marker) && len(bytes.TrimSpace(line[end:])) == 0
}

// unquote is line without its block quote markers.
func unquote(line []byte) []byte {
	for {
		w, at := indent(line)
		if w >= 4 || at >= len(line) || line[at] != '>' {
			return line
		}
		line = line[at+1:]
		if len(line) > 0 && line[0] == ' ' {
			line = line[1:]
		}
	}
}

// startsListItem reports whether line starts a list item that interrupts any paragraph
// before it: a bullet, or an ordered item numbered 1, with text after it.
func startsListItem(line []byte) bool {
	w, at := indent(line)
	rest := line[at:]
	switch {
	case w >= 4 || len(rest) < 3:
		return false
	case rest[0] == '-' || rest[0] == '*' || rest[0] == '+':
		rest = rest[1:]
	case bytes.HasPrefix(rest, []byte("1.")) || bytes.HasPrefix(rest, []byte("1)")):
		rest = rest[2:]
	default:
		return false
	}
	return len(rest) > 1 && (rest[0] == ' ' || rest[0] == '\t') && len(bytes.TrimSpace(rest)) > 0
}

// startsHeading reports whether line is an ATX heading: one to six #, then a space or
// nothing.
func startsHeading(line []byte) bool {
	w, at := indent(line)
	end := at
	for end < len(line) && line[end] == '#' {
		end++
	}
	return w < 4 && end > at && end-at <= 6 && (end == len(line) || line[end] == ' ' || line[end] == '\t')
}

// openers counts the levels a line may open before its text: block quote markers (>),
// list markers (-, *, + or a number with . or ), each followed by a space), and each two
// columns of indentation.
func openers(line []byte) int {
	count, cols := 0, 0
	for i := 0; i < len(line); {
		c := line[i]
		spaced := func(j int) bool { return j < len(line) && (line[j] == ' ' || line[j] == '\t') }
		switch {
		case c == ' ' || c == '\t':
			// Indentation nests lists too: a level takes at least two columns.
			if cols++; cols%2 == 0 {
				count++
			}
			i++
		case c == '>':
			count, i = count+1, i+1
			if spaced(i) {
				i++ // the space after a quote marker belongs to it
			}
		case (c == '-' || c == '*' || c == '+') && spaced(i+1):
			count, i = count+1, i+2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j >= len(line) || (line[j] != '.' && line[j] != ')') || !spaced(j+1) {
				return count
			}
			count, i = count+1, j+2
		default:
			return count
		}
	}
	return count
}
