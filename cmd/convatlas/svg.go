package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"convatlas/archdefs"
	"convatlas/engine"
	"convatlas/templates"
	"convatlas/web"
)

// svgCmd draws a network as a standalone SVG, with the options of an arch block.
func svgCmd(args []string, stdin io.Reader, out io.Writer) error {
	fs := flagSet("svg")
	opts := map[string]*string{
		"dir":        fs.String("dir", "tb", "flow direction: tb (top-down) or lr (left-right)"),
		"expand":     fs.String("expand", "", "stages to expand (comma-separated), or all"),
		"collapse":   fs.String("collapse", "", "stages to collapse (comma-separated), or all"),
		"stage":      fs.String("stage", "", "draw one stage (conv3_x) or one block (conv2_x.1)"),
		"theme":      fs.String("theme", "light", "light, dark, or auto (follows prefers-color-scheme)"),
		"background": fs.String("background", "", "transparent: no background"),
		"preset":     fs.String("preset", "", "fit a frame: slide-16x9 (1280×720) or slide-4x3 (1024×768)"),
		"view": fs.String("view", "diagram", "blocks: each run of repeated blocks drawn once, marked ×N (the default for networks that repeat blocks);\n"+
			"full: every block; streams: one stream per device (AlexNet's two GPUs); volumes: the tensors in perspective (a branching network's main path); diagram: the network's default"),
	}
	output := fs.String("o", "", "write to this file instead of standard output")
	format, size := outputFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"svg takes one architecture id, definition file, or - (a definition on standard input)"}
	}
	kv := map[string]string{}
	for k, v := range opts {
		kv[k] = *v
	}
	o, err := templates.ParseSVGOptions(kv)
	if err != nil {
		return usageError{"svg: " + err.Error()}
	}
	a, seed, err := readArch(pos[0], stdin)
	if err != nil {
		return err
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		return err
	}
	doc, err := web.DrawReport(context.Background(), r, a.Name, seed, o)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if *format != "svg" {
		if doc.Diagram == nil {
			return usageError{"--format " + *format + " draws the block diagram; view=volumes is drawn as SVG only"}
		}
		if err := writeDrawing(&buf, doc.Diagram, a.Name, o.Theme, *format, *size, o.Transparent); err != nil {
			return err
		}
	} else {
		buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
		if err := templates.StandaloneSVG(doc).Render(context.Background(), &buf); err != nil {
			return err
		}
		buf.WriteByte('\n')
	}
	if *output != "" {
		return os.WriteFile(*output, buf.Bytes(), 0o644)
	}
	_, err = out.Write(buf.Bytes())
	return err
}

// readArch reads a catalogue id, a definition file, or (for -) a definition on
// standard input, bounded as the web bounds one; seed names it for the SVG's ids.
func readArch(ref string, stdin io.Reader) (*archdefs.Arch, string, error) {
	if ref != "-" {
		a, err := loadArch(ref)
		return a, "id:" + ref, err
	}
	src, err := io.ReadAll(io.LimitReader(stdin, archdefs.MaxSourceBytes+1))
	if err != nil {
		return nil, "", err
	}
	if len(src) > archdefs.MaxSourceBytes {
		return nil, "", fmt.Errorf("the definition on standard input is larger than %d KiB", archdefs.MaxSourceBytes>>10)
	}
	a, err := archdefs.Parse("standard input", src)
	return a, "definition:" + string(src), err
}
