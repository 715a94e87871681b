package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func dense(n int, layer ...*Node) *Node {
	return &Node{Kind: KindDense, Count: n, Children: layer, Pos: Pos{Line: 4, Column: 5, Field: "layers[0].dense"}}
}

// The estimate counts a dense block's edges exactly: its k-th layer starts with a
// concatenation of k tensors.
func TestEstimateDenseEdges(t *testing.T) {
	for _, n := range []int{1, 2, 5, 40} {
		m := model(4, 8, 8, dense(n, conv(2, 1, 1, 0), leaf(OpReLU)))
		c, err := Estimate(m, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		r := analyze(t, m)
		edges := 0
		for _, l := range r.Layers {
			edges += len(l.Inputs)
		}
		// per·n + n(n+1)/2 + n: two layers a dense layer, n − 1 inner concatenations
		// and the final one.
		want := int64(2*n + n*(n+1)/2 + n)
		if c.Edges != want || int64(edges) != want || c.Layers != int64(len(r.Layers)) {
			t.Errorf("n=%d: estimate %+v, report %d layers %d edges, want %d edges", n, c, len(r.Layers), edges, want)
		}
	}
}

func TestEstimateRefusesAtTheConstruct(t *testing.T) {
	lim := Limits{MaxLayers: 1000, MaxEdges: 2000, MaxPaths: 8, MaxMergeInputs: 16}
	wide := &Node{Kind: KindBranch, Merge: MergeAdd, Pos: Pos{Line: 7, Column: 3, Field: "layers[2].branch"}}
	for range 9 {
		wide.Children = append(wide.Children, seq())
	}
	rep := &Node{Kind: KindRepeat, Count: 2000, Children: []*Node{leaf(OpReLU)}, Pos: Pos{Line: 9, Column: 5, Field: "layers[1]"}}
	empty := &Node{Kind: KindRepeat, Count: 1 << 30, Children: []*Node{{Kind: KindRepeat, Count: 1 << 30, Pos: Pos{Line: 2, Column: 1, Field: "layers[0].layers[0]"}}}}
	for _, c := range []struct {
		name  string
		m     *Model
		line  int
		field string
		msg   string
	}{
		{"dense merge inputs", model(1, 4, 4, dense(9999, conv(1, 1, 1, 0))), 4, "layers[0].dense", "a merge of 10,000 inputs exceeds the limit of 16"},
		{"paths", model(1, 4, 4, wide), 7, "layers[2].branch", "9 paths exceed the limit of 8"},
		{"layers", model(1, 4, 4, rep), 9, "layers[1]", "more layers than the limit of 1,000"},
		{"empty repeats", model(1, 4, 4, empty), 2, "layers[0].layers[0]", "more blocks than the limit of 1,000"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Analyze(c.m, Options{Limits: lim})
			var e *Error
			if !errors.As(err, &e) || e.Pos.Line != c.line || e.Pos.Field != c.field || !strings.Contains(e.Msg, c.msg) {
				t.Fatalf("%v (%+v), want line %d field %s: %s", err, e, c.line, c.field, c.msg)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refused after %v", d)
			}
		})
	}
}

func TestAnalyzeContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := model(1, 4, 4, &Node{Kind: KindRepeat, Count: 10_000, Children: []*Node{leaf(OpReLU)}})
	if _, err := AnalyzeContext(ctx, m, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v, want context.Canceled", err)
	}
	if _, err := AnalyzeContext(context.Background(), m, Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestNameBytesLimit(t *testing.T) {
	long := strings.Repeat("n", 60)
	node := &Node{Kind: KindRepeat, Count: 500, Children: []*Node{leaf(OpReLU)}}
	for range 10 {
		node = &Node{Kind: KindSeq, Name: long, Children: []*Node{node}}
		long += "x"
	}
	m := model(1, 4, 4, node)
	_, err := Analyze(m, Options{Limits: Limits{MaxNameBytes: 64 << 10}})
	if err == nil || !strings.Contains(err.Error(), "names take more than the limit of 65,536 bytes") {
		t.Fatalf("%v", err)
	}
}

// The command line's limits (DefaultLimits) hold the same cost model: the dense block
// that reached n = 125,000 there is refused before any work.
func TestDefaultLimitsRefuseHugeDenseBlocks(t *testing.T) {
	m := model(1, 4, 4, dense(125_000, conv(1, 1, 1, 0)))
	_, err := Analyze(m, Options{})
	if err == nil || !strings.Contains(err.Error(), "a merge of 125,001 inputs exceeds the limit of 256") {
		t.Fatalf("%v", err)
	}
}
