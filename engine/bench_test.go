package engine

import (
	"fmt"
	"testing"
)

// chain is a synthetic sequential network of n layers (conv, bn, relu repeated) that
// keeps its shape, to measure the cost per layer.
func chain(n int) *Model {
	nodes := make([]*Node, 0, n)
	for i := 0; len(nodes) < n; i++ {
		switch i % 3 {
		case 0:
			nodes = append(nodes, conv(16, 3, 1, 1))
		case 1:
			nodes = append(nodes, leaf(OpBN))
		default:
			nodes = append(nodes, leaf(OpReLU))
		}
	}
	return model(16, 32, 32, nodes...)
}

func BenchmarkAnalyzeChain(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		m := chain(n)
		b.Run(fmt.Sprintf("layers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Analyze(m, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/layer")
		})
	}
}

func TestChainAnalyses(t *testing.T) {
	r := analyze(t, chain(1000))
	if len(r.Layers) != 1000 || r.Totals.Depth != 334 {
		t.Fatalf("%d layers, depth %d", len(r.Layers), r.Totals.Depth)
	}
}
