package main

import (
	"fmt"
	"io"
	"os"
)

// readBounded reads at most limit bytes of the file at path, refusing a larger one
// before reading the rest: a definition is bounded at archdefs.MaxSourceBytes and
// notes at markdown.MaxSource, whatever the path names (/dev/zero included). What the
// definition expands to is bounded by the engine's cost model (engine.DefaultLimits).
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than the limit of %d KiB", path, limit>>10)
	}
	return b, nil
}
