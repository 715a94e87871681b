package diagram

import (
	"fmt"
	"strings"
	"testing"
)

// diagramTexts is every piece of text a diagram writes.
func diagramTexts(d *Diagram) []string {
	var out []string
	for _, b := range d.Boxes {
		out = append(out, b.Label, b.Detail)
	}
	for _, j := range d.Joins {
		out = append(out, j.Tags)
	}
	for _, f := range d.Frames {
		out = append(out, f.Title)
	}
	return out
}

func writes(texts []string, s string) bool {
	for _, t := range texts {
		if t == s || strings.HasPrefix(t, s+" · ") || strings.HasPrefix(t, s+": ") {
			return true
		}
	}
	return false
}

// The papers' and the lecture's names are on the drawings: every title a definition
// gives is written on its diagram, in both directions, and the networks the lecture
// names layer by layer keep their names (AlexNet's CONV1 … FC8, LeNet-5's C1 … F6,
// GoogLeNet's inception (3a) … (5b), ResNet's conv2_x … conv5_x, DenseNet's blocks,
// Inception-v4's Stem, Inception-A … Inception-C of its Figure 9).
func TestPaperNamesAreDrawn(t *testing.T) {
	reps := catalogueReports(t)
	for id, r := range reps {
		for _, opt := range []Options{{Dir: "tb", Expand: map[string]bool{"all": true}}, {Dir: "lr", Expand: map[string]bool{"all": true}}} {
			d, err := Layout(r, opt)
			if err != nil {
				t.Fatal(err)
			}
			texts := diagramTexts(d)
			for _, l := range r.Layers {
				if l.Title != "" && !writes(texts, l.Title+" · "+Label(&l)) {
					t.Errorf("%s %s: layer %s's title %q is not drawn", id, opt.Dir, l.Name, l.Title)
				}
			}
			for _, b := range r.Blocks {
				if title := blockTitle(&b); title != "" && !writes(texts, title) {
					t.Errorf("%s %s: block %s's title %q is not drawn", id, opt.Dir, b.Name, title)
				}
			}
		}
	}
	want := map[string][]string{
		"alexnet":      {"CONV1", "NORM1", "POOL1", "CONV2", "CONV3", "CONV4", "CONV5", "FC6", "FC7", "FC8"},
		"zfnet":        {"CONV1", "CONV2", "CONV3", "CONV4", "CONV5", "FC6", "FC7", "FC8"},
		"lenet5":       {"C1", "S2", "C3", "S4", "C5", "F6", "OUTPUT"},
		"googlenet":    {"inception (3a)", "inception (3b)", "inception (4a)", "inception (4b)", "inception (4c)", "inception (4d)", "inception (4e)", "inception (5a)", "inception (5b)"},
		"resnet50":     {"conv2_x", "conv3_x", "conv4_x", "conv5_x"},
		"resnet18":     {"conv2_x", "conv3_x", "conv4_x", "conv5_x"},
		"densenet121":  {"dense block (1)", "transition layer (1)", "dense block (4)"},
		"inception_v4": {"Stem", "Inception-A", "Reduction-A", "Inception-B", "Reduction-B", "Inception-C"},
	}
	for id, names := range want {
		d, err := Layout(reps[id], Options{Expand: map[string]bool{"all": true}})
		if err != nil {
			t.Fatal(err)
		}
		texts := diagramTexts(d)
		for _, n := range names {
			found := false
			for _, s := range texts {
				found = found || s == n || strings.HasPrefix(s, n+" · ") || strings.HasPrefix(s, n+":")
			}
			if !found {
				t.Errorf("%s: %q is not drawn", id, n)
			}
		}
	}
}

// Every diagram of a whole network starts at an input box that gives the input volume.
func TestInputIsDrawn(t *testing.T) {
	for id, r := range catalogueReports(t) {
		for _, view := range layoutViews {
			if !view.of(r) {
				continue
			}
			opt := view.opt
			d, err := Layout(r, opt)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, b := range d.Boxes {
				if b.Kind == "port" && b.Label == "input" && b.Detail == r.Input.String() {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s %s: %d input boxes", id, opt.Dir, n)
			}
		}
	}
	d, _ := Layout(catalogueReports(t)["alexnet"], Options{})
	if !writes(diagramTexts(d), "227×227×3") {
		t.Error("AlexNet's input 227×227×3 is not drawn")
	}
}

// A concatenation writes its output: inception (3a) makes 28×28×256 (Szegedy et al. 2014,
// Table 1: 64 + 128 + 32 + 32); DenseNet-121's first block grows from 64 channels by
// 32 a layer, 96, 128, …, 256 (Huang et al. 2017, growth rate k = 32).
func TestConcatenationsWriteTheirOutput(t *testing.T) {
	reps := catalogueReports(t)
	tags := func(id, prefix string) map[string]bool {
		d, err := Layout(reps[id], Options{Expand: map[string]bool{"all": true}})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, j := range d.Joins {
			if j.Merge == "concat" && strings.HasPrefix(j.Layer, prefix) {
				out[strings.SplitN(j.Tags, " · ", 2)[0]] = true
			}
		}
		return out
	}
	if got := tags("googlenet", "inception_3.inception_3a."); !got["28×28×256"] || len(got) != 1 {
		t.Errorf("inception (3a)'s concatenation writes %v, want 28×28×256", got)
	}
	got := tags("densenet121", "denseblock1.")
	for c := 96; c <= 256; c += 32 {
		if s := fmt.Sprintf("56×56×%d", c); !got[s] {
			t.Errorf("dense block (1) does not write %s: %v", s, got)
		}
	}
}
