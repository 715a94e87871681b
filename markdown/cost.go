package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark/ast"
)

// The cost of a document's arch blocks is bounded before any is drawn: each draws a
// network, a table or a chart, which can be megabytes (ResNet-1202's table is 3.3 MB).
// The Drawer bounds what the blocks draw together (layers, bytes) as it goes.
const (
	// MaxArchBlocks bounds the arch blocks of one document: a lecture's notes draw a
	// handful; the catalogue's notes draw none.
	MaxArchBlocks = 32
	// MaxCompareIDs bounds the networks of one arch-compare block, as the compare page.
	MaxCompareIDs = 12
)

// BlockLimitError refuses a document whose arch blocks pass their limits, naming the
// block's line and column, and the field (the block's kind, or "arch blocks" for what
// they draw together).
type BlockLimitError struct {
	Line, Column int
	Field        string
	Reason       string
}

func (e *BlockLimitError) Error() string {
	return fmt.Sprintf("line %d, column %d, %s: %s", e.Line, e.Column, e.Field, e.Reason)
}

// checkArchBlocks refuses a document with more arch blocks than MaxArchBlocks, or an
// arch-compare block naming more than MaxCompareIDs networks, naming the block's line.
func checkArchBlocks(doc ast.Node, src []byte) error {
	n := 0
	return ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := node.(*ArchBlock)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		n++
		if n > MaxArchBlocks {
			return ast.WalkStop, b.limit(src, "arch blocks", fmt.Sprintf("a document draws at most %d arch blocks; this is the %dth", MaxArchBlocks, n))
		}
		if b.Lang == "arch-compare" && len(b.Args) > MaxCompareIDs {
			return ast.WalkStop, b.limit(src, "arch-compare", fmt.Sprintf("an arch-compare block compares at most %d networks, got %d", MaxCompareIDs, len(b.Args)))
		}
		return ast.WalkContinue, nil
	})
}

// limit is a BlockLimitError at the block's info string.
func (b *ArchBlock) limit(src []byte, field, reason string) *BlockLimitError {
	at := min(b.Offset, len(src))
	line := 1 + bytes.Count(src[:at], []byte("\n"))
	column := 1 + at - (bytes.LastIndexByte(src[:at], '\n') + 1)
	return &BlockLimitError{Line: line, Column: column, Field: field, Reason: reason}
}
