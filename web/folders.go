package web

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"convatlas/archdefs"
)

// A teacher's folders are read as plain files only: a symbolic link (out of the folder,
// or to /dev/zero), a device, a pipe or a subfolder is refused, and so is a file
// larger than the loader reads, before its bytes are read.

// openRegular opens the regular file at path without following a symbolic link, and
// refuses it when it holds more than limit bytes.
func openRegular(path string, limit int64) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s is a symbolic link: only plain files of the folder are read", filepath.Base(path))
		}
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a plain file: only plain files of the folder are read", filepath.Base(path))
	}
	if info.Size() > limit {
		f.Close()
		return nil, fmt.Errorf("%s is larger than the limit of %d KiB", filepath.Base(path), limit>>10)
	}
	return f, nil
}

// readRegular reads a plain file of at most limit bytes (see openRegular); a file that
// grows while it is read is refused too.
func readRegular(path string, limit int64) ([]byte, error) {
	f, err := openRegular(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than the limit of %d KiB", filepath.Base(path), limit>>10)
	}
	return b, nil
}

// plainFiles is the top level of a folder as an fs.FS of its plain files only, for
// archdefs.Load.
type plainFiles struct{ root string }

func (p plainFiles) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) || strings.Contains(name, "/") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	if name == "." {
		return os.Open(p.root)
	}
	f, err := openRegular(filepath.Join(p.root, name), archdefs.MaxSourceBytes)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

// ReadFile implements fs.ReadFileFS, bounded as openRegular.
func (p plainFiles) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) || strings.Contains(name, "/") || name == "." {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	b, err := readRegular(filepath.Join(p.root, name), archdefs.MaxSourceBytes)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

var _ fs.ReadFileFS = plainFiles{}
