package diagram

import "convatlas/engine"

// findBlock finds the item of the stage or block named name (conv3_x, conv2_x.1), at
// any depth, so that one block can be drawn alone.
func findBlock(r *engine.Report, items []*item, name string) *item {
	for _, it := range items {
		if it.block < 0 {
			continue
		}
		if r.Blocks[it.block].Name == name {
			return it
		}
		if found := findBlock(r, it.items, name); found != nil {
			return found
		}
	}
	return nil
}

// HasBlock reports whether a report has a stage or block of that name: what stage=
// may name.
func HasBlock(r *engine.Report, name string) bool {
	for _, b := range r.Blocks {
		if b.Name == name {
			return true
		}
	}
	return false
}
