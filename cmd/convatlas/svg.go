package main

import (
	"context"
	"io"
	"os"

	"convatlas/engine"
	"convatlas/templates"
)

func svgCmd(args []string, out io.Writer) error {
	fs := flagSet("svg")
	dir := fs.String("dir", "tb", "flow direction: tb (top-down) or lr (left-right)")
	expand := fs.String("expand", "", "stages to expand (comma-separated), or all")
	stage := fs.String("stage", "", "draw one stage")
	theme := fs.String("theme", "light", "light or dark")
	output := fs.String("o", "", "write to this file instead of standard output")
	format, size, bg := outputFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"svg takes one architecture id or definition file"}
	}
	a, err := loadArch(pos[0])
	if err != nil {
		return err
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		return err
	}
	p, ok := templates.Palettes[*theme]
	if !ok {
		return usageError{"--theme is light or dark"}
	}
	opt := templates.DiagramView{Dir: *dir, Expand: templates.StageList(*expand)}.Options()
	opt.Stage = *stage
	d, err := templates.Layout(r, opt)
	if err != nil {
		return err
	}
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	if *format != "svg" {
		return writeDrawing(out, d, a.Name, *theme, *format, *size, *bg)
	}
	return templates.DiagramSVG(d, "d", a.Name, p, nil).Render(context.Background(), out)
}
