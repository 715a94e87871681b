// Package diagram lays out what the engine computed as pictures, in pixels with the
// origin at the top left: block diagrams (boxes, joins, edges and frames), tensor
// volumes and the receptive-field picture. It knows nothing of SVG or templ: the
// templates emit its geometry as SVG, and render draws the same geometry as PNG, PDF
// and TikZ, so that every output shows the same drawing.
//
// Layout starts from the report's tree of blocks and layers (viewTree), folds the
// element-wise layers into the box before them (fold), and lays each construct out
// in flow coordinates — u along the flow, v across it — before turning the whole to
// the chosen direction (top-down or left-right).
package diagram
