package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"convatlas/markdown"
	"convatlas/web"
)

// notesCmd renders a Markdown file into one self-contained HTML file: inline style
// and SVG, no script, no request to anywhere; links to the atlas go to --base-url, or
// are left out.
func notesCmd(args []string, out io.Writer) error {
	fs := flagSet("notes")
	output := fs.String("o", "", "write to this file instead of standard output")
	base := fs.String("base-url", "", "the atlas that links in the notes go to (https://atlas.example.org); none: no links")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"notes takes one Markdown file"}
	}
	if *base != "" && !strings.HasPrefix(*base, "https://") && !strings.HasPrefix(*base, "http://") {
		return usageError{"--base-url is an http:// or https:// address"}
	}
	src, err := readBounded(pos[0], markdown.MaxSource)
	if err != nil {
		return err
	}
	d, err := newDrawer()
	if err != nil {
		return err
	}
	d.BaseURL = *base
	title := strings.TrimSuffix(filepath.Base(pos[0]), filepath.Ext(pos[0]))
	html, err := web.NotesFile(title, src, d)
	if err != nil {
		return err
	}
	if *output != "" {
		return os.WriteFile(*output, html, 0o644)
	}
	_, err = out.Write(html)
	return err
}
