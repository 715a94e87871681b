package markdown

import (
	"strings"
	"testing"
)

// The worst notes found within the limits: 256 KB of 4 KB paragraphs of unclosed
// links, which goldmark reads in time quadratic in the paragraph's length.
func BenchmarkWorstAcceptedNotes(b *testing.B) {
	para := strings.Repeat("[](", (MaxParagraph-8)/3)
	src := []byte(strings.Repeat(para+"\n\n", MaxSource/(len(para)+2)))
	for b.Loop() {
		if _, err := Notes(src, fakeDrawer{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A typical page of notes: headings, paragraphs with links and emphasis, a list, math
// and code, about 6 KB.
func BenchmarkTypicalNotes(b *testing.B) {
	page := "# Week 3: residual networks\n\nA *residual block* adds its input to its output: $y = F(x) + x$. See [the paper](https://arxiv.org/abs/1512.03385) and `resnet50`.\n\n- identity shortcuts when shapes match\n- a **1×1 projection** when they do not\n\n```python\nx = relu(bn(conv(x)))\n```\n\n"
	src := []byte(strings.Repeat(page, 6<<10/len(page)))
	for b.Loop() {
		if _, err := Notes(src, fakeDrawer{}); err != nil {
			b.Fatal(err)
		}
	}
}
