// Package chart lays out the comparison and timeline charts in pixels: line charts of
// per-layer figures, the accuracy bubble chart, bars, stacked stage bars, the cards'
// miniature profiles and the frame of a chart drawn on its own. The templates emit
// the geometry as SVG; nothing here knows SVG.
package chart
