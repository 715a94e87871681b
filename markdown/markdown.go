// Package markdown renders the notes of the catalogue and of teachers with goldmark
// in its safe default: raw HTML is omitted and dangerous links are dropped.
package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// MaxSource bounds a Markdown document; notes are a few KB.
const MaxSource = 256 << 10

var md = goldmark.New(goldmark.WithExtensions(extension.GFM))

// Render turns Markdown into HTML that is safe to include in a page.
func Render(src []byte) (string, error) {
	var buf bytes.Buffer
	if err := md.Convert(src, &buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}
