// Package docs embeds the documents the server shows: the definition format guide,
// whose examples the archdefs tests parse.
package docs

import _ "embed"

// Format is the definition format guide (FORMAT.md).
//
//go:embed FORMAT.md
var Format []byte
