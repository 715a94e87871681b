// Command convatlas serves the atlas of convolutional network architectures and
// analyses networks from the command line.
//
//	convatlas [serve]                       serve the atlas (the default)
//	convatlas list [--json]                 the catalogue
//	convatlas analyze ID|FILE.yaml [flags]  every layer's figures
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	// Most commands are short runs over a few megabytes: collect garbage less often.
	// The server sets its own pace (serveCmd).
	debug.SetGCPercent(400)
	out := bufio.NewWriterSize(os.Stdout, 64<<10)
	code := run(os.Args[1:], out, os.Stderr)
	if err := out.Flush(); err != nil && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// run dispatches a command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serveCmd(args, stderr)
	case "list":
		err = listCmd(args, stdout)
	case "analyze":
		err = analyzeCmd(args, stdout)
	case "import":
		err = importCmd(args, stdout)
	case "svg":
		err = svgCmd(args, stdin, stdout)
	case "fence":
		err = fenceCmd(args, stdin, stdout, stderr)
	case "mdbook":
		var code int
		if code, err = mdbookCmd(args, stdin, stdout); err == nil {
			return code
		}
	case "hugo":
		err = hugoCmd(args, stderr)
	case "notes":
		err = notesCmd(args, stdout)
	case "export":
		err = exportCmd(args, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "convatlas: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "convatlas:", err)
		if _, ok := err.(usageError); ok {
			return 2
		}
		return 1
	}
	return 0
}

const usage = `usage:
  convatlas [serve] [--addr HOST:PORT] [--archdefs DIR] [--notes DIR] [--tours DIR]
                                              serve the atlas (default localhost:8080), with your own
                                              definitions, notes and tours folders, reloaded when they change
  convatlas list [--json]                     list the catalogue
  convatlas analyze ID|FILE.yaml|FILE.onnx [--json] [--explain] [--input CxHxW] [--freeze LAYER]
                                              every layer's output, parameters, MACs and receptive field
  convatlas import FILE.onnx [-o OUT.yaml]    an ONNX model as a definition to read and edit
  convatlas svg ID|FILE.yaml|- [--dir tb|lr] [--expand STAGE,…|all] [--collapse STAGE,…|all] [--stage STAGE|BLOCK]
                [--theme light|dark|auto] [--background transparent] [--preset slide-16x9|slide-4x3] [--view blocks|full|volumes] [-o OUT.svg]
                                              the block diagram as a standalone SVG (- reads a definition):
                                              each run of repeated blocks drawn once with ×N, every block with --view full
  convatlas fence [--error-svg] INFO < BODY   one arch block (its info string, its body on standard input) as SVG
  convatlas mdbook [supports RENDERER]        an mdBook preprocessor drawing the book's arch blocks
  convatlas hugo [SITE]                       draw a Hugo site's arch blocks into SITE/assets/convatlas, before hugo
  convatlas notes IN.md [-o OUT.html] [--base-url URL]
                                              Markdown notes with arch blocks as one self-contained HTML file
  convatlas export DIR                        the whole atlas as a static site that works offline
`

// stdin is what a command reads for "-"; tests replace it.
var stdin io.Reader = os.Stdin

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
