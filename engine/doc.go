// Package engine computes what a convolutional network does to a tensor, layer by
// layer: output volume, parameters, multiply-adds, activation memory, receptive field
// and depth, each with the formula that produced it.
//
// A network is a tree (Model.Root) of a few constructs: leaf operations (Op), sequences,
// parallel branches with a merge, residual blocks, dense blocks, repeats, named stages,
// auxiliary classifiers and cells with named inputs. Analyze walks the tree once, in
// topological order, and returns a Report: one Layer per leaf operation and per merge,
// totals, and per-stage subtotals. Every number a Layer holds can be explained: Explain
// re-runs the very formula that computed it with the numbers written out, so the
// explanation and the figure cannot disagree.
//
// Conventions (those of torchvision and fvcore):
//   - MACs count multiply-adds of convolutions (Cout·H′·W′·(Cin/groups)·kh·kw) and fully
//     connected layers (in·out) only; pooling, normalisation, activations and merges are
//     counted apart as OtherOps.
//   - Params are weights and biases, batch norm's γ and β included; its running mean and
//     variance are Buffers.
//   - Activations are output elements. The input is not counted, nor are operations that
//     keep the shape element by element (bn, relu, dropout, sigmoid, add, …), which a
//     framework fuses or runs in place; flatten is a view. Concatenation makes a copy and
//     is counted.
//   - The receptive field is the theoretical one, propagated per axis as an interval of
//     input pixels (see Field).
//
// The package imports the standard library only.
package engine
