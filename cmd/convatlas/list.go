package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"convatlas/archdefs"
	"convatlas/engine"
)

// listEntry is one architecture in `convatlas list --json`.
type listEntry struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Year      int    `json:"year"`
	Family    string `json:"family"`
	Params    int64  `json:"params"`
	MACs      int64  `json:"macs"`
	Depth     int    `json:"depth"`
	Reference string `json:"reference"`
}

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
	entries := make([]listEntry, 0, len(cat.Archs))
	for _, a := range cat.Archs {
		r, err := engine.Analyze(a.Model, engine.Options{})
		if err != nil {
			return err
		}
		entries = append(entries, listEntry{ID: a.ID, Name: a.Name, Year: a.Meta.Year, Family: a.Meta.Family,
			Params: r.Totals.Params, MACs: r.Totals.MACs, Depth: r.Totals.Depth, Reference: a.Meta.Reference})
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
