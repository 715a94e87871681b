package main

import (
	"fmt"
	"io"
	"log/slog"

	"convatlas/archdefs"
	"convatlas/web"
)

// exportCmd writes the whole atlas as a static site.
func exportCmd(args []string, out io.Writer) error {
	fs := flagSet("export")
	baseURL := fs.String("base-url", "", "where the site will be served (https://host/path): embed code and link previews use it; default: paths relative to each page")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"export takes the folder to write the site into"}
	}
	cat, err := archdefs.Default()
	if err != nil {
		return err
	}
	files, err := web.Export(web.Config{Catalogue: cat, Logger: slog.New(slog.DiscardHandler), BaseURL: *baseURL}, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d files into %s; open %s/index.html\n", len(files), pos[0], pos[0])
	return nil
}
