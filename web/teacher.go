package web

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"convatlas/archdefs"
	"convatlas/markdown"
	"convatlas/templates"
)

// loadAtlas analyses the catalogue and, if configured, a teacher's own definitions.
func loadAtlas(cfg Config) (*atlas, error) {
	var extra []*archdefs.Arch
	if cfg.ArchdefsDir != "" {
		own, err := archdefs.Load(plainFiles{root: cfg.ArchdefsDir})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cfg.ArchdefsDir, err)
		}
		for _, a := range own.Archs {
			if _, clash := cfg.Catalogue.Get(a.ID); clash {
				return nil, fmt.Errorf("%s: %q is already in the catalogue; give your definition another id", cfg.ArchdefsDir, a.ID)
			}
			extra = append(extra, a)
		}
	}
	return newAtlas(cfg.Catalogue, extra)
}

// watch reloads the teacher's definitions when a file of theirs changes from the
// stamp last was taken of them; a broken file keeps the last good atlas and is logged.
func (s *server) watch(cfg Config, last string) {
	watchFolder(cfg.Done, cfg.ArchdefsDir, last, func() {
		a, err := loadAtlas(cfg)
		if err != nil {
			s.log.Error("your definitions were not reloaded", "err", err)
			return
		}
		s.live.Store(a)
		s.cache.clear()
		s.log.Info("reloaded your definitions", "dir", cfg.ArchdefsDir)
	})
}

// watchFolder calls reload once a second while dir's stamp differs from the one last
// taken, until done; a reload that fails (reload logs why) waits for the next change.
func watchFolder(done <-chan struct{}, dir, last string, reload func()) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		stamp := dirStamp(dir)
		if stamp == last {
			continue
		}
		last = stamp
		reload()
	}
}

// dirStamp changes when a file of dir is added, removed or modified; it is empty for
// no folder.
func dirStamp(dir string) string {
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			fmt.Fprintf(&b, "%s %d %d;", p, info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	return b.String()
}

// notesFile serves a teacher's Markdown file from the notes folder, read at each
// request, so that an edit shows on reload.
func (s *server) notesFile(c echo.Context) error {
	if s.notesDir == "" {
		return echo.NewHTTPError(http.StatusNotFound, "No notes folder is served here (convatlas serve --notes DIR).")
	}
	name := c.Param("name")
	if name == "" {
		entries, err := os.ReadDir(s.notesDir)
		if err != nil {
			return err
		}
		var names []string
		for _, e := range entries {
			if n, ok := strings.CutSuffix(e.Name(), ".md"); ok && !e.IsDir() {
				names = append(names, n)
			}
		}
		slices.Sort(names)
		return s.page(c, templates.Shell{Title: "Your notes", Nav: "notes"}, templates.NotesList(names))
	}
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return echo.NewHTTPError(http.StatusNotFound, "no such notes")
	}
	src, err := readRegular(filepath.Join(s.notesDir, name+".md"), markdown.MaxSource)
	if errors.Is(err, fs.ErrNotExist) {
		return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("There are no notes %q.", name))
	}
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("The notes %q cannot be served: %v.", name, err))
	}
	body, err := markdown.Notes(src, &Drawer{atlas: s.atlas(), ctx: c.Request().Context()})
	if err != nil {
		return notesError(err)
	}
	return s.page(c, templates.Shell{Title: name, Nav: "notes"}, templates.NotesPreview(body))
}
