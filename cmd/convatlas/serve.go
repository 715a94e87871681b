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
	toursDir := fs.String("tours", "", "a folder of your own tours (*.md), served under /tour/, reloaded when they change")
	baseURL := fs.String("base-url", "", "the atlas's public address (https://host/path), for embed code, link previews and oEmbed; default: the address each request came to")
	frameAncestors := fs.String("frame-ancestors", web.DefaultFrameAncestors, "who may frame /embed/ pages: CSP sources separated by spaces, e.g. \"https://lms.example.edu 'self'\" ('none': nobody)")
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
	e, err := web.New(web.Config{Catalogue: cat, Logger: log, ArchdefsDir: *archdefsDir, NotesDir: *notesDir, ToursDir: *toursDir, Done: ctx.Done(),
		BaseURL: *baseURL, FrameAncestors: *frameAncestors})
	if err != nil {
		return err
	}
	return web.Serve(ctx, e, *addr, log)
}
