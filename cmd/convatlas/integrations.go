package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"convatlas/archdefs"
	"convatlas/markdown"
	"convatlas/templates"
	"convatlas/web"
)

// The build-time integrations (integrations/ in the repository) all come through
// here, so that an arch block means the same in Pandoc, MkDocs, Jupyter, mdBook, Hugo
// and convatlas notes.

// newDrawer is the embedded catalogue's drawer, for the commands that draw blocks.
func newDrawer() (*web.Drawer, error) { return web.NewDrawer(nil) }

// drawParsed draws a block that was parsed, or passes on why it could not be.
func drawParsed(d *web.Drawer, f markdown.Fence, parseErr error) (string, error) {
	if parseErr != nil {
		return "", parseErr
	}
	return drawFence(d, f)
}

// drawFence draws one arch block as HTML (an SVG for arch and arch-compare). Blocks
// drawn at build time follow the reader's colour scheme unless they say otherwise.
func drawFence(d *web.Drawer, f markdown.Fence) (string, error) {
	switch {
	case f.Lang == "arch-table" && len(f.Args) == 1:
		return d.Table(f.Args[0])
	case f.Lang == "arch-compare" && len(f.Args) >= 1:
		return d.Compare(f.Args)
	case f.Lang == "arch" && len(f.Args) <= 1:
		ref := ""
		if len(f.Args) == 1 {
			ref = f.Args[0]
		}
		if ref == "" && f.Body == nil {
			return "", errors.New("an arch block names a network (```arch resnet50) or holds a definition")
		}
		opts := map[string]string{"theme": "auto"}
		for k, v := range f.Opts {
			opts[k] = v
		}
		return d.Diagram(ref, opts, f.Body)
	}
	return "", fmt.Errorf("```%s takes %s", f.Lang, map[string]string{"arch": "one network id, or a definition in the block", "arch-table": "one network id", "arch-compare": "network ids"}[f.Lang])
}

// fenceCmd draws the arch block whose info string is the argument and whose body is
// standard input: what the Pandoc filter, the MkDocs fence and the Jupyter helper run.
func fenceCmd(args []string, stdin io.Reader, out, stderr io.Writer) error {
	fs := flagSet("fence")
	errorSVGs := fs.Bool("error-svg", false, "when the block cannot be drawn, write an SVG saying why (and the reason on standard error) and succeed: for tools that show only standard output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{`fence takes the block's info string as one argument ("arch resnet50 stage=conv3_x" or "{.arch #resnet50}") and its body on standard input`}
	}
	body, err := io.ReadAll(io.LimitReader(stdin, archdefs.MaxSourceBytes+1))
	if err != nil {
		return err
	}
	if len(body) > archdefs.MaxSourceBytes {
		return fmt.Errorf("the block is larger than %d KiB", archdefs.MaxSourceBytes>>10)
	}
	f, ok, err := markdown.ParseFence(pos[0], body)
	if !ok {
		return usageError{fmt.Sprintf("%q is not an arch, arch-table or arch-compare block", pos[0])}
	}
	d, derr := newDrawer()
	if derr != nil {
		return derr
	}
	html, err := drawParsed(d, f, err)
	if err != nil && *errorSVGs {
		fmt.Fprintln(stderr, "convatlas:", err)
		html, err = errorSVG(err), nil
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(out, html+"\n")
	return err
}

// mdbookCmd is an mdBook preprocessor: `supports RENDERER` answers whether it works
// for that renderer (exit 0: html); otherwise it reads [context, book] as JSON on
// standard input and writes the book back with its arch blocks drawn.
func mdbookCmd(args []string, stdin io.Reader, out io.Writer) (int, error) {
	if len(args) >= 1 && args[0] == "supports" {
		if len(args) == 2 && args[1] == "html" {
			return 0, nil
		}
		return 1, nil
	}
	if len(args) != 0 {
		return 2, usageError{"mdbook takes no arguments but `supports RENDERER`: mdBook runs it as a preprocessor"}
	}
	dec := json.NewDecoder(io.LimitReader(stdin, maxBook))
	dec.UseNumber() // the book goes back as it came: numbers untouched
	var input []json.RawMessage
	if err := dec.Decode(&input); err != nil {
		return 1, fmt.Errorf("mdbook: the input is not mdBook's [context, book] JSON: %v", err)
	}
	if len(input) != 2 {
		return 1, fmt.Errorf("mdbook: the input holds %d values, mdBook sends [context, book]", len(input))
	}
	var book map[string]any
	bd := json.NewDecoder(bytes.NewReader(input[1]))
	bd.UseNumber()
	if err := bd.Decode(&book); err != nil {
		return 1, fmt.Errorf("mdbook: the book: %v", err)
	}
	d, err := newDrawer()
	if err != nil {
		return 1, err
	}
	var failures []string
	var walk func(items any)
	walk = func(items any) {
		list, _ := items.([]any)
		for _, it := range list {
			m, _ := it.(map[string]any)
			ch, _ := m["Chapter"].(map[string]any)
			if ch == nil {
				continue
			}
			if content, ok := ch["content"].(string); ok {
				name, _ := ch["source_path"].(string)
				drawn, errs := drawBlocks(d, []byte(content))
				ch["content"] = string(drawn)
				for _, e := range errs {
					failures = append(failures, name+": "+e)
				}
			}
			walk(ch["sub_items"])
		}
	}
	walk(book["sections"]) // mdBook 0.4
	walk(book["items"])    // mdBook 0.5
	for _, f := range failures {
		fmt.Fprintln(os.Stderr, "convatlas mdbook:", f)
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	return 0, enc.Encode(book)
}

// maxBook bounds what mdBook may send: the whole book's text, as JSON.
const maxBook = 64 << 20

// drawBlocks replaces the arch blocks of a Markdown document by their drawings, as
// one line of HTML each (a block of HTML ends at a blank line); a block that cannot be
// drawn is replaced by a visible error, and named in errs with its line.
func drawBlocks(d *web.Drawer, src []byte) ([]byte, []string) {
	fences, err := markdown.FencedBlocks(src)
	if err != nil {
		return src, []string{err.Error()}
	}
	var out bytes.Buffer
	var errs []string
	at := 0
	for _, cf := range fences {
		f, ok, ferr := markdown.ParseFence(cf.Info, cf.Body)
		if !ok {
			continue
		}
		html, ferr := drawParsed(d, f, ferr)
		if ferr != nil {
			line := bytes.Count(src[:cf.Start], []byte("\n")) + 1
			errs = append(errs, fmt.Sprintf("line %d: %v", line, ferr))
			html = `<div class="arch-error" role="alert"><strong>This diagram could not be drawn:</strong> ` + escapeHTML(ferr.Error()) + `</div>`
		}
		out.Write(src[at:cf.Start])
		out.WriteString(cf.Prefix + `<div class="arch-figure">` + strings.ReplaceAll(html, "\n", " ") + "</div>\n")
		at = cf.End
	}
	out.Write(src[at:])
	return out.Bytes(), errs
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// hugoCmd draws the arch blocks and shortcodes of a Hugo site's content into its
// assets, where the render hook and shortcode of integrations/hugo read them with
// resources.Get: Hugo cannot run a program while it builds, so this runs before it.
// A block is found by its page and its place among the page's fenced blocks (Hugo's
// .Ordinal), a shortcode by the MD5 of its parameters.
func hugoCmd(args []string, stderr io.Writer) error {
	flags := flagSet("hugo")
	pos, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	site := "."
	if len(pos) == 1 {
		site = pos[0]
	} else if len(pos) > 1 {
		return usageError{"hugo takes one site folder (the one holding content/), or none for the current one"}
	}
	content := filepath.Join(site, "content")
	if _, err := os.Stat(content); err != nil {
		return fmt.Errorf("hugo: %s has no content folder: %w", site, err)
	}
	outDir := filepath.Join(site, "assets", "convatlas")
	if err := os.RemoveAll(outDir); err != nil { // ours alone: drawings of blocks since removed go too
		return err
	}
	d, err := newDrawer()
	if err != nil {
		return err
	}
	failed := 0
	write := func(rel string, html string) error {
		path := filepath.Join(outDir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, []byte(html), 0o644)
	}
	drawn := 0
	err = filepath.WalkDir(content, func(path string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() || !(strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".markdown")) {
			return err
		}
		src, err := readBounded(path, markdown.MaxSource)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(content, path)
		rel = filepath.ToSlash(rel)
		body, offset := withoutFrontMatter(src)
		report := func(line int, e error) {
			failed++
			fmt.Fprintf(stderr, "convatlas hugo: %s:%d: %v\n", path, line, e)
		}
		fences, err := markdown.FencedBlocks(body)
		if err != nil {
			report(1, err)
			return nil
		}
		for _, cf := range fences {
			f, ok, ferr := markdown.ParseFence(cf.Info, cf.Body)
			if !ok {
				continue
			}
			html, ferr := drawParsed(d, f, ferr)
			if ferr != nil {
				report(offset+bytes.Count(body[:cf.Start], []byte("\n"))+1, ferr)
				html = errorSVG(ferr)
			}
			if err := write(fmt.Sprintf("%s/%d.html", rel, cf.Ordinal), html); err != nil {
				return err
			}
			drawn++
		}
		for _, sc := range shortcodes(body) {
			f, ferr := shortcodeFence(sc)
			html, ferr := drawParsed(d, f, ferr)
			if ferr != nil {
				report(offset+bytes.Count(body[:sc.at], []byte("\n"))+1, ferr)
				html = errorSVG(ferr)
			}
			sum := md5.Sum([]byte(sc.key))
			if err := write("shortcodes/"+hex.EncodeToString(sum[:])+".html", html); err != nil {
				return err
			}
			drawn++
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "convatlas hugo: %d diagrams drawn into %s\n", drawn, outDir)
	if failed > 0 {
		return fmt.Errorf("hugo: %d blocks could not be drawn (each is drawn as an error in the page)", failed)
	}
	return nil
}

func errorSVG(err error) string {
	var b bytes.Buffer
	_ = templates.ErrorSVG(err.Error()).Render(context.Background(), &b)
	return b.String()
}

// withoutFrontMatter cuts a page's front matter (YAML between ---, TOML between +++),
// as Hugo does before it reads the Markdown, and says how many lines it took.
func withoutFrontMatter(src []byte) ([]byte, int) {
	for _, delim := range []string{"---", "+++"} {
		if !bytes.HasPrefix(src, []byte(delim+"\n")) && !bytes.HasPrefix(src, []byte(delim+"\r\n")) {
			continue
		}
		rest := src[len(delim)+1:]
		for i := 0; i < len(rest); {
			end := lineEnd(rest, i)
			if strings.TrimSpace(string(rest[i:end])) == delim {
				return rest[end:], bytes.Count(src[:len(src)-len(rest)+end], []byte("\n"))
			}
			i = end
		}
	}
	return src, 0
}

func lineEnd(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(src)
}

// shortcode is one {{< arch … >}} of a page: key is its parameters as the shortcode
// template writes them before hashing (the positional ones joined by spaces, or the
// named ones as key=value sorted by key).
type shortcode struct {
	at   int
	key  string
	args []string
	opts map[string]string
}

var shortcodeRE = regexp.MustCompile(`\{\{[<%]\s*arch\s+((?:[^>%]|>[^}]|%[^}])*?)\s*[>%]\}\}`)
var paramRE = regexp.MustCompile(`(?:(\w+)=)?(?:"([^"]*)"|'([^']*)'|` + "`([^`]*)`" + `|(\S+))`)

// shortcodes finds the arch shortcodes of a page.
func shortcodes(src []byte) []shortcode {
	var out []shortcode
	for _, m := range shortcodeRE.FindAllSubmatchIndex(src, -1) {
		sc := shortcode{at: m[0], opts: map[string]string{}}
		var named []string
		for _, p := range paramRE.FindAllStringSubmatch(string(src[m[2]:m[3]]), -1) {
			v := p[2] + p[3] + p[4] + p[5]
			if p[1] != "" {
				sc.opts[p[1]] = v
				named = append(named, p[1]+"="+v)
			} else {
				sc.args = append(sc.args, v)
			}
		}
		sort.Strings(named)
		sc.key = strings.Join(append(sc.args, named...), " ")
		out = append(out, sc)
	}
	return out
}

// shortcodeFence reads a shortcode as the block it stands for: {{< arch "resnet50
// stage=conv3_x" >}} as ```arch resnet50 stage=conv3_x, {{< arch id="resnet50"
// stage="conv3_x" >}} alike.
func shortcodeFence(sc shortcode) (markdown.Fence, error) {
	info := "arch " + strings.Join(sc.args, " ")
	for k, v := range sc.opts {
		info += fmt.Sprintf(" %s=%q", k, v)
	}
	f, _, err := markdown.ParseFence(info, nil)
	return f, err
}
