package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// CodeFence is one fenced code block of a document, for the tools that draw arch
// blocks at build time outside goldmark's renderer (mdBook, Hugo).
type CodeFence struct {
	Ordinal    int    // its place among the document's fenced blocks, from 0, as Hugo numbers them
	Info       string // the whole info string
	Body       []byte
	Start, End int    // the block in the source: from its opening line's start to after its closing line
	Prefix     string // what precedes the opening fence on its line: a list's indent, a quote's >
}

var blockParser = goldmark.New(goldmark.WithExtensions(extension.GFM))

// FencedBlocks lists the fenced code blocks of src in document order, nested ones
// (in lists, quotes) included. src is bounded as notes are.
func FencedBlocks(src []byte) ([]CodeFence, error) {
	if len(src) > MaxSource {
		return nil, ErrTooLarge
	}
	if err := checkLimits(src); err != nil {
		return nil, err
	}
	doc := blockParser.Parser().Parse(text.NewReader(src))
	var out []CodeFence
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fb, ok := n.(*ast.FencedCodeBlock)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		f := CodeFence{Ordinal: len(out)}
		lines := fb.Lines()
		var body bytes.Buffer
		for i := range lines.Len() {
			seg := lines.At(i)
			body.Write(seg.Value(src))
		}
		f.Body = body.Bytes()
		// The opening line: where the info string is, or else the line before the body.
		open := -1
		if fb.Info != nil {
			f.Info = string(fb.Info.Segment.Value(src))
			open = fb.Info.Segment.Start
		} else if lines.Len() > 0 {
			open = lines.At(0).Start - 1
		}
		if open < 0 {
			// An empty fence without an info string: nothing to draw, nothing to locate.
			out = append(out, f)
			return ast.WalkContinue, nil
		}
		f.Start = bytes.LastIndexByte(src[:min(open, len(src))], '\n') + 1
		marker := bytes.IndexAny(src[f.Start:], "`~")
		f.Prefix = string(src[f.Start : f.Start+marker])
		after := lineEnd(src, open) // the end of the opening line
		if lines.Len() > 0 {
			after = lineEnd(src, lines.At(lines.Len()-1).Stop-1)
		}
		f.End = after
		// The closing fence, when there is one (an unclosed block runs to the end).
		if after < len(src) {
			next := lineEnd(src, after)
			line := bytes.TrimLeft(bytes.TrimPrefix(src[after:next], []byte(f.Prefix)), " ")
			if bytes.HasPrefix(line, []byte("```")) || bytes.HasPrefix(line, []byte("~~~")) {
				f.End = next
			}
		}
		out = append(out, f)
		return ast.WalkContinue, nil
	})
	return out, nil
}

// lineEnd is the offset just past the newline ending the line that holds offset i.
func lineEnd(src []byte, i int) int {
	if i < 0 {
		i = 0
	}
	if j := bytes.IndexByte(src[min(i, len(src)):], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(src)
}
