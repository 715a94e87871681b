package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"convatlas/archdefs"
	"convatlas/web"
)

func serveCmd(args []string, stderr io.Writer) error {
	fs := flagSet("serve")
	addr := fs.String("addr", "localhost:8080", "address to listen on, HOST:PORT")
	archdefsDir := fs.String("archdefs", "", "a folder of your own definitions (*.yaml, *.md notes), reloaded when they change")
	notesDir := fs.String("notes", "", "a folder of Markdown notes, served under /notes/")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{"serve takes no arguments"}
	}
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(web.MemoryLimit)
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cat, err := archdefs.Default()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e, err := web.New(web.Config{Catalogue: cat, Logger: log, ArchdefsDir: *archdefsDir, NotesDir: *notesDir, Done: ctx.Done()})
	if err != nil {
		return err
	}
	return web.Serve(ctx, e, *addr, log)
}
