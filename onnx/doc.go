// Package onnx reads ONNX models and recovers the architecture they were exported
// from: the definition tree of the engine (residual blocks, branches, dense blocks,
// squeeze-and-excitation gates, and stages grouped as the papers' tables group them:
// a stem, the blocks by the exporter's stage modules or else by resolution, the
// transitions between them, a head; stages.go), so that an imported model is drawn
// and analysed like a catalogue network.
//
// The protobuf is read as a stream with google.golang.org/protobuf's protowire: the
// weights of initializers are skipped as they pass and never held, so a 100 MB file
// with weights costs the same memory as a weight-free export of the same graph.
package onnx
