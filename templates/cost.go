package templates

import (
	"context"

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
	lo.parts++
	if lo.parts%layoutCheckEvery == 0 && lo.ctx != nil {
		lo.err = lo.ctx.Err()
	}
	return lo.err != nil
}
