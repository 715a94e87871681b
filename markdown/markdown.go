// Package markdown renders the notes of the catalogue and of teachers with goldmark
// in its safe default: raw HTML is omitted and dangerous links are dropped.
package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// MaxSource bounds a Markdown document; notes are a few KB.
const MaxSource = 256 << 10

// MaxNesting bounds how deeply block quotes and lists nest on one line. goldmark's time
// grows with the square of that depth (a list nested 40,000 deep, "- - - … x", takes
// seconds); notes nest a few levels.
const MaxNesting = 100

// ErrTooLarge refuses notes past MaxSource.
var ErrTooLarge error = errString("the notes are larger than 256 KB")

// NestingError refuses a line whose quotes and lists nest past MaxNesting.
type NestingError struct{ Line int }

func (e *NestingError) Error() string {
	return fmt.Sprintf("line %d: quotes, lists and indentation nest more than %d levels deep", e.Line, MaxNesting)
}

// checkNesting finds the first line that opens more than MaxNesting quotes and list
// items before its text.
func checkNesting(src []byte) error {
	for n, line := range bytes.Split(src, []byte("\n")) {
		if openers(line) > MaxNesting {
			return &NestingError{Line: n + 1}
		}
	}
	return nil
}

// openers counts the levels a line may open before its text: block quote markers (>),
// list markers (-, *, + or a number with . or ), each followed by a space), and each two
// columns of indentation.
func openers(line []byte) int {
	count, indent := 0, 0
	for i := 0; i < len(line); {
		c := line[i]
		spaced := func(j int) bool { return j < len(line) && (line[j] == ' ' || line[j] == '\t') }
		switch {
		case c == ' ' || c == '\t':
			// Indentation nests lists too: a level takes at least two columns.
			if indent++; indent%2 == 0 {
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

var md = goldmark.New(goldmark.WithExtensions(extension.GFM, Math{}))

// Render turns Markdown into HTML that is safe to include in a page. arch blocks are
// left as code (the catalogue's notes have none).
func Render(src []byte) (string, error) {
	if err := checkNesting(src); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := md.Convert(src, &buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// Notes renders a teacher's notes: Markdown with math and arch blocks drawn by d.
// Raw HTML is omitted and dangerous links dropped (goldmark's safe default); src is
// refused past MaxSource or MaxNesting.
func Notes(src []byte, d Drawer) (string, error) {
	if len(src) > MaxSource {
		return "", ErrTooLarge
	}
	if err := checkNesting(src); err != nil {
		return "", err
	}
	m := goldmark.New(goldmark.WithExtensions(extension.GFM, Math{}, Arch{Draw: d}))
	var buf bytes.Buffer
	if err := m.Convert(src, &buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}
