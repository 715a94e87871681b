package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"convatlas/archdefs"
	"convatlas/engine"
	"convatlas/onnx"
)

// flagSet makes a flag set that reports errors instead of exiting.
func flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses flags that may come before or after the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// loadArch finds a catalogue id, or reads a definition file.
func loadArch(ref string) (*archdefs.Arch, error) {
	if strings.HasSuffix(ref, ".yaml") || strings.HasSuffix(ref, ".yml") || strings.ContainsRune(ref, os.PathSeparator) {
		src, err := readBounded(ref, archdefs.MaxSourceBytes)
		if err != nil {
			return nil, err
		}
		return archdefs.Parse(ref, src)
	}
	a, err := archdefs.Lookup(ref)
	if err != nil {
		return nil, fmt.Errorf("%w (convatlas list shows them)", err)
	}
	return a, nil
}

// parseInput reads "3x224x224" (C×H×W).
func parseInput(s string) (engine.Shape, error) {
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == 'x' || r == '×' || r == ',' })
	if len(parts) != 3 {
		return engine.Shape{}, usageError{fmt.Sprintf("--input %q: expected CxHxW, such as 3x224x224", s)}
	}
	var v [3]int64
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 1 {
			return engine.Shape{}, usageError{fmt.Sprintf("--input %q: %q is not a positive whole number", s, p)}
		}
		v[i] = n
	}
	return engine.Shape{C: v[0], H: v[1], W: v[2]}, nil
}

func analyzeCmd(args []string, out io.Writer) error {
	fs := flagSet("analyze")
	asJSON := fs.Bool("json", false, "print the JSON report")
	explain := fs.Bool("explain", false, "add every figure's formula")
	input := fs.String("input", "", "input volume CxHxW")
	freeze := fs.String("freeze", "", "freeze the layers up to and including this one")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"analyze takes one architecture id or definition file"}
	}
	var im *onnx.Import
	var a *archdefs.Arch
	if isONNX(pos[0]) {
		a, im, err = loadONNX(pos[0])
	} else {
		a, err = loadArch(pos[0])
	}
	if err != nil {
		return err
	}
	model := *a.Model
	if *input != "" {
		if model.Input, err = parseInput(*input); err != nil {
			return err
		}
	}
	r, err := engine.Analyze(&model, engine.Options{FreezeThrough: *freeze})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", " ")
		return enc.Encode(r.JSON(true))
	}
	if im != nil {
		fmt.Fprintln(out, im.Summary(r))
	}
	return printTable(out, r, *explain)
}

// printTable prints the layers as torchinfo does, then the totals.
func printTable(out io.Writer, r *engine.Report, explain bool) error {
	fmt.Fprintf(out, "%s — input %s\n\n", r.Name, r.Input)
	tw := tabwriter.NewWriter(out, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layer\top\toutput\tparams\tMACs\tRF\tjump\t")
	for i := range r.Layers {
		l := &r.Layers[i]
		name := l.Name
		if l.Aux {
			name += " (aux)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t\n", name, l.Op, l.Out, engine.Group(l.Params), engine.Group(l.MACs), l.RF, l.RF.H.Jump)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if explain {
		fmt.Fprintln(out, "\nFormulas")
		for i := range r.Layers {
			l := &r.Layers[i]
			x := r.Explain(i)
			fmt.Fprintf(out, "\n%s (%s)\n  output  %s\n  params  %s\n  MACs    %s\n  RF      %s\n", l.Name, l.Op, x.Out, x.Params, x.MACs, x.RF)
		}
	}
	t := r.Totals
	fmt.Fprintf(out, "\nparameters   %s (trainable %s; batch-norm buffers %s)\n", engine.Group(t.Params), engine.Group(t.Trainable), engine.Group(t.Buffers))
	if t.AuxParams > 0 {
		fmt.Fprintf(out, "auxiliary    %s parameters, %s MACs (training only, not in the totals)\n", engine.Group(t.AuxParams), engine.Group(t.AuxMACs))
	}
	fmt.Fprintf(out, "MACs         %s (%.3f G multiply-adds; FLOPs ≈ 2 × MACs)\n", engine.Group(t.MACs), float64(t.MACs)/1e9)
	fmt.Fprintf(out, "activations  %s values (%.1f MiB at fp32 per image, forward)\n", engine.Group(t.Activations), float64(t.Activations)*4/(1<<20))
	fmt.Fprintf(out, "depth        %d weight layers on the longest path; %d layers listed\n", t.Depth, t.Layers)
	return nil
}
