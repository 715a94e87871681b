// Package markdown renders the notes of the catalogue and of teachers with goldmark
// in its safe default: raw HTML is omitted and dangerous links are dropped.
package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// MaxSource bounds a Markdown document; notes are a few KB.
const MaxSource = 256 << 10

// ErrTooLarge refuses notes past MaxSource.
var ErrTooLarge error = errString("the notes are larger than 256 KB")

var md = goldmark.New(goldmark.WithExtensions(extension.GFM, Math{}))

// Render turns Markdown into HTML that is safe to include in a page. arch blocks are
// left as code (the catalogue's notes have none).
func Render(src []byte) (string, error) {
	if err := checkLimits(src); err != nil {
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
// refused past MaxSource and the limits of checkLimits.
func Notes(src []byte, d Drawer) (string, error) {
	if len(src) > MaxSource {
		return "", ErrTooLarge
	}
	if err := checkLimits(src); err != nil {
		return "", err
	}
	m := goldmark.New(goldmark.WithExtensions(extension.GFM, Math{}, Arch{Draw: d}, highlight))
	doc := m.Parser().Parse(text.NewReader(src))
	if err := checkArchBlocks(doc, src); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := m.Renderer().Render(&buf, src, doc); err != nil {
		return "", err
	}
	return buf.String(), nil
}
