package diagram

import (
	"context"
	"math"

	"convatlas/engine"
)

// Layout lays out the diagram of a report. Its work is linear in the report's layers,
// edges and blocks, which engine.Estimate bounds before the report exists.
func Layout(r *engine.Report, opt Options) (*Diagram, error) {
	return LayoutContext(context.Background(), r, opt)
}

// layoutCheckEvery is how many parts the layout places between two looks at its
// context: well under a millisecond of work.
const layoutCheckEvery = 128

// stopped reports, every layoutCheckEvery parts, whether the layout's context is done;
// once it is, every later part is skipped and LayoutContext returns the error.
func (lo *layouter) stopped() bool {
	if lo.err != nil {
		return true
	}
	lo.placed++
	if lo.placed%layoutCheckEvery == 0 && lo.ctx != nil {
		lo.err = lo.ctx.Err()
	}
	return lo.err != nil
}

// markArrows gives an arrowhead to every edge that ends on a box's outline or a join's
// circle (entersShape). The shapes are found through a grid, so that the cost is
// linear in the edges and shapes, not their product: a chain of 20,000 boxes took
// 2.8 s when every edge looked at every box.
func (d *Diagram) markArrows() {
	g := newShapeGrid(d)
	for i := range d.Edges {
		d.Edges[i].Arrow = g.entersShape(d.Edges[i].Points[len(d.Edges[i].Points)-1])
	}
}

// gridCell is the side of a cell of the shape grid, in pixels: about a box's height.
const gridCell = 64

// maxShapeCells is the most cells one shape is filed under; a larger one is looked at
// for every point.
const maxShapeCells = 64

// shapeGrid files each box and join under the cells its extent, grown by entersShape's
// tolerance, touches: a point on a shape's outline lies in one of them.
type shapeGrid struct {
	d           *Diagram
	boxes       map[[2]int][]int
	joins       map[[2]int][]int
	wideBoxes   []int
	wideJoins   []int
	single      Diagram // the shapes of one cell, for Diagram.entersShape
	singleBoxes []Box
	singleJoins []Join
}

const gridEps = 0.5 // entersShape's tolerance

func cellOf(v float64) int { return int(math.Floor(v / gridCell)) }

func newShapeGrid(d *Diagram) *shapeGrid {
	g := &shapeGrid{d: d, boxes: map[[2]int][]int{}, joins: map[[2]int][]int{}}
	file := func(into map[[2]int][]int, wide *[]int, i int, x0, y0, x1, y1 float64) {
		cx0, cy0, cx1, cy1 := cellOf(x0), cellOf(y0), cellOf(x1), cellOf(y1)
		if (cx1-cx0+1)*(cy1-cy0+1) > maxShapeCells {
			*wide = append(*wide, i)
			return
		}
		for cx := cx0; cx <= cx1; cx++ {
			for cy := cy0; cy <= cy1; cy++ {
				into[[2]int{cx, cy}] = append(into[[2]int{cx, cy}], i)
			}
		}
	}
	for i, b := range d.Boxes {
		file(g.boxes, &g.wideBoxes, i, b.X-gridEps, b.Y-gridEps, b.X+b.W+gridEps, b.Y+b.H+gridEps)
	}
	for i, j := range d.Joins {
		file(g.joins, &g.wideJoins, i, j.X-j.R-gridEps, j.Y-j.R-gridEps, j.X+j.R+gridEps, j.Y+j.R+gridEps)
	}
	return g
}

// entersShape is Diagram.entersShape over the shapes filed near p only.
func (g *shapeGrid) entersShape(p Point) bool {
	c := [2]int{cellOf(p.X), cellOf(p.Y)}
	g.singleBoxes, g.singleJoins = g.singleBoxes[:0], g.singleJoins[:0]
	for _, list := range [][]int{g.boxes[c], g.wideBoxes} {
		for _, i := range list {
			g.singleBoxes = append(g.singleBoxes, g.d.Boxes[i])
		}
	}
	for _, list := range [][]int{g.joins[c], g.wideJoins} {
		for _, i := range list {
			g.singleJoins = append(g.singleJoins, g.d.Joins[i])
		}
	}
	g.single.Boxes, g.single.Joins = g.singleBoxes, g.singleJoins
	return g.single.entersShape(p)
}
