package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"convatlas/archdefs"
	"convatlas/engine"
)

func listCmd(args []string, out io.Writer) error {
	fs := flagSet("list")
	asJSON := fs.Bool("json", false, "print JSON")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{"list takes no arguments"}
	}
	cat, err := archdefs.Default()
	if err != nil {
		return err
	}
	entries := make([]archdefs.Summary, 0, len(cat.Archs))
	for _, a := range cat.Archs {
		r, err := engine.Analyze(a.Model, engine.Options{})
		if err != nil {
			return err
		}
		entries = append(entries, archdefs.Summarize(a, r))
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", " ")
		return enc.Encode(entries)
	}
	tw := tabwriter.NewWriter(out, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tname\tyear\tparams\tMACs\tdepth")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%d\n", e.ID, e.Name, e.Year, engine.Group(e.Params), engine.Group(e.MACs), e.Depth)
	}
	return tw.Flush()
}
