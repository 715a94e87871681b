package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"convatlas/archdefs"
	"convatlas/markdown"
	"convatlas/static"
	"convatlas/templates"
	"convatlas/web"
)

// notesCmd renders a Markdown file into one self-contained HTML file: inline style
// and SVG, no script, no request to anywhere.
func notesCmd(args []string, out io.Writer) error {
	fs := flagSet("notes")
	output := fs.String("o", "", "write to this file instead of standard output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"notes takes one Markdown file"}
	}
	src, err := readBounded(pos[0], markdown.MaxSource)
	if err != nil {
		return err
	}
	cat, err := archdefs.Default()
	if err != nil {
		return err
	}
	d, err := web.NewDrawer(cat)
	if err != nil {
		return err
	}
	body, err := markdown.Notes(src, d)
	if err != nil {
		return err
	}
	css, err := static.Files.ReadFile("css/site.css")
	if err != nil {
		return err
	}
	title := strings.TrimSuffix(filepath.Base(pos[0]), filepath.Ext(pos[0]))
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	return templates.NotesDocument(title, string(css), body).Render(context.Background(), out)
}
