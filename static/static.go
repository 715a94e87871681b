// Package static holds the stylesheet, the scripts and the vendored htmx, embedded in
// the binary so that the atlas runs without Node.
package static

import "embed"

// Files are the static assets: css/, js/, vendor/.
//
//go:embed css js vendor
var Files embed.FS
