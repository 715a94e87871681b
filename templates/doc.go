// Package templates holds the templ components that emit the atlas — pages, panels,
// and the SVG of the diagrams and charts that diagram and chart lay out — and the view
// models the pages are made from. Geometry is computed in those two packages, never
// here: a component reads positions and sizes, it does not work them out.
package templates
