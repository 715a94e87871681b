package markdown

import (
	"bytes"
	"context"
	"errors"
	"html"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Drawer draws what an arch block asks for. The web package provides it, so that
// this package imports neither the engine nor the catalogue. Each method returns
// markup it has escaped itself (templ components), or an error to show in place.
type Drawer interface {
	// Diagram draws a catalogue network (ref is its id) or, when ref is empty, the
	// network defined by the block's YAML body; opts are the info string's key=value
	// pairs (stage=conv3_x dir=lr).
	Diagram(ref string, opts map[string]string, body []byte) (string, error)
	// Table is a network's layer table.
	Table(ref string) (string, error)
	// Compare is a comparison chart of several networks.
	Compare(refs []string) (string, error)
}

// KindArch is the AST node of an arch block.
var KindArch = ast.NewNodeKind("Arch")

// ArchBlock is a fenced block of language arch, arch-table or arch-compare.
type ArchBlock struct {
	ast.BaseBlock
	Lang string
	Args []string          // positional words of the info string after the language
	Opts map[string]string // key=value words
	Body []byte
	Err  error // a malformed info string, shown in place of the diagram
	// Offset is where the block's info string starts in the source, for errors.
	Offset int
}

// Kind implements ast.Node.
func (n *ArchBlock) Kind() ast.NodeKind { return KindArch }

// Dump implements ast.Node.
func (n *ArchBlock) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// archTransformer replaces the arch fenced blocks by ArchBlocks: it first collects
// them, then replaces them, so that the walk never sees a changed tree.
type archTransformer struct{}

func (archTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var blocks []*ast.FencedCodeBlock
	var fences []*ArchBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fb, ok := n.(*ast.FencedCodeBlock)
		if !ok || !entering || fb.Info == nil {
			return ast.WalkContinue, nil
		}
		var body bytes.Buffer
		lines := fb.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			body.Write(seg.Value(src))
		}
		// Language() gives the first word only: read the whole info string.
		f, isArch, err := ParseFence(string(fb.Info.Segment.Value(src)), body.Bytes())
		if isArch {
			blocks = append(blocks, fb)
			fences = append(fences, &ArchBlock{Lang: f.Lang, Args: f.Args, Opts: f.Opts, Body: f.Body, Err: err, Offset: fb.Info.Segment.Start})
		}
		return ast.WalkContinue, nil
	})
	for i, fb := range blocks {
		fb.Parent().ReplaceChild(fb.Parent(), fb, fences[i])
	}
}

// archRenderer writes ArchBlocks with the Drawer; a failure becomes a visible error
// box, and the rest of the document renders.
type archRenderer struct{ draw Drawer }

func (r archRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindArch, r.render)
}

func (r archRenderer) render(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b := n.(*ArchBlock)
	var out string
	var err error
	switch {
	case b.Err != nil:
		err = b.Err
	case r.draw == nil:
		err = errString("diagrams are not available here")
	case b.Lang == "arch-table" && len(b.Args) == 1:
		out, err = r.draw.Table(b.Args[0])
	case b.Lang == "arch-compare" && len(b.Args) >= 1:
		out, err = r.draw.Compare(b.Args)
	case b.Lang == "arch" && len(b.Args) <= 1:
		ref := ""
		if len(b.Args) == 1 {
			ref = b.Args[0]
		}
		if ref == "" && len(bytes.TrimSpace(b.Body)) == 0 {
			err = errString("an arch block names a network (```arch resnet50) or holds a definition")
		} else {
			out, err = r.draw.Diagram(ref, b.Opts, b.Body)
		}
	default:
		err = errString("```" + b.Lang + " takes " + map[string]string{"arch": "one network id, or a definition in the block", "arch-table": "one network id", "arch-compare": "network ids"}[b.Lang])
	}
	var limit *BlockLimitError
	if errors.As(err, &limit) {
		// A block past what the document may draw refuses the document, naming the block.
		at := b.limit(source, limit.Field, limit.Reason)
		return ast.WalkStop, at
	}
	if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return ast.WalkStop, err // the request's budget is spent: stop drawing
	}
	if err != nil {
		_, _ = w.WriteString(`<div class="arch-error" role="alert"><strong>This diagram could not be drawn:</strong> ` + html.EscapeString(err.Error()) + "</div>\n")
		return ast.WalkSkipChildren, nil
	}
	// The figure scrolls when the drawing is wide: focusable, so that keys scroll it too.
	_, _ = w.WriteString(`<figure class="arch-figure" tabindex="0">` + out + "</figure>\n")
	return ast.WalkSkipChildren, nil
}

type errString string

func (e errString) Error() string { return string(e) }

// Arch is the goldmark extension for arch blocks, drawing with d.
type Arch struct{ Draw Drawer }

// Extend implements goldmark.Extender.
func (a Arch) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(archTransformer{}, 100)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(archRenderer{draw: a.Draw}, 100)))
}
