package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"convatlas/archdefs"
	"convatlas/engine"
	"convatlas/onnx"
)

// isONNX reports whether a command-line argument names an ONNX file.
func isONNX(ref string) bool { return strings.HasSuffix(strings.ToLower(ref), ".onnx") }

// loadONNX reads and converts an ONNX file; the id is the file's base name.
func loadONNX(path string) (*archdefs.Arch, *onnx.Import, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	g, err := onnx.Read(f, onnx.Limits{})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	id := onnx.ModelID(path)
	im, err := onnx.Convert(g, id, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return &archdefs.Arch{ID: id, Name: im.Model.Name, Model: im.Model, File: path}, im, nil
}

func importCmd(args []string, out io.Writer) error {
	fs := flagSet("import")
	output := fs.String("o", "", "write the definition here instead of standard output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || !isONNX(pos[0]) {
		return usageError{"import takes one .onnx file"}
	}
	a, im, err := loadONNX(pos[0])
	if err != nil {
		return err
	}
	r, err := engine.Analyze(a.Model, engine.Options{})
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	summary := im.Summary(r)
	src, err := archdefs.Write(a.Model, fmt.Sprintf("Imported by convatlas import from %s.\n%s", filepath.Base(pos[0]), summary))
	if err != nil {
		return err
	}
	if *output == "" {
		_, err = out.Write(src)
		return err
	}
	if err := os.WriteFile(*output, src, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s%s written: %s parameters, %s MACs\n", summary, *output, engine.Group(r.Totals.Params), engine.Group(r.Totals.MACs))
	return nil
}
