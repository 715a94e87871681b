package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"convatlas/archdefs"
)

// The hostile-input suite: every class of issue 13 (inputs of a few bytes that expanded
// to seconds of CPU or gigabytes) and of the SECURITY.md checklist, each sent to a real
// server running as a process of its own, so that the CPU time and memory it spends on
// each request are read from the kernel (/proc/PID/stat, /proc/PID/status), not
// guessed from wall time. Each case asserts the status, a positioned message where the
// input has a position, and the budget of docs/PERFORMANCE.md: at most 1 CPU-second and
// 256 MB more resident memory than before the request.
//
// `go test -run TestHostileInputs -v ./web` prints the table recorded there.

const (
	hostileEnv       = "CONVATLAS_HOSTILE_SERVER" // set in the server's process: its time budget
	hostileCPUBudget = time.Second
	hostileRSSBudget = 256 << 20
	clockTicks       = 100 // USER_HZ, the unit of /proc/PID/stat's times, on every Linux
)

// TestHostileServerProcess is the server of TestHostileInputs, run as its own process.
func TestHostileServerProcess(t *testing.T) {
	budget := os.Getenv(hostileEnv)
	if budget == "" {
		t.Skip("the server of TestHostileInputs, started by it")
	}
	timeout, err := time.ParseDuration(budget)
	if err != nil {
		t.Fatal(err)
	}
	debug.SetGCPercent(100) // as convatlas serve
	debug.SetMemoryLimit(MemoryLimit)
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Config{Catalogue: cat, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RequestTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	go func() {
		// The parent holds stdin open; when it goes, so does the server.
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	_ = ServeListener(context.Background(), e, ln, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// serverProcess is a running server with its process's accounts.
type serverProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	pid   int
	base  string
}

func startServerProcess(t *testing.T, budget time.Duration) *serverProcess {
	t.Helper()
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs Linux's /proc to read the server's CPU time and memory")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileServerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), hostileEnv+"="+budget.String())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{cmd: cmd, stdin: stdin, pid: cmd.Process.Pid}
	t.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if addr, ok := strings.CutPrefix(lines.Text(), "listening on "); ok {
			p.base = "http://" + addr
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return p
		}
	}
	t.Fatal("the server process did not start")
	return nil
}

// cpu is the process's user and system time so far.
func (p *serverProcess) cpu(t *testing.T) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.pid))
	if err != nil {
		t.Fatal(err)
	}
	// The command name, in parentheses, may hold spaces: fields are counted after it.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64) // field 14 of proc(5)
	stime, _ := strconv.ParseInt(f[12], 10, 64) // field 15
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// memory is the process's resident set and its peak, in bytes.
func (p *serverProcess) memory(t *testing.T) (rss, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return rss, peak
}

// resetPeak starts the peak resident set afresh (proc(5), clear_refs "5"); where the
// kernel refuses, the peak stays the process's, an upper bound of the request's.
func (p *serverProcess) resetPeak() {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid), []byte("5"), 0)
}

// hostileCase is one request and what it must get.
type hostileCase struct {
	name   string
	method string
	path   string
	ctype  string
	body   string
	header map[string]string
	status int
	want   []string // in the body, in this order of importance
	// For /api/ answers: the error's position.
	line, column int
	field        string
	// Checks of the body beyond substrings.
	check func(t *testing.T, body []byte, h http.Header)
	// send replaces the ordinary request (lying or chunked bodies, slow clients).
	send func(t *testing.T, base string) (status int, body []byte)
}

// measured is what a case cost the server.
type measured struct {
	cpu   time.Duration
	extra int64 // peak resident set during the request, less the resident set before
	bytes int
}

func (p *serverProcess) run(t *testing.T, client *http.Client, c hostileCase) measured {
	t.Helper()
	cpu0 := p.cpu(t)
	p.resetPeak()
	rss0, _ := p.memory(t)
	var status int
	var body []byte
	var header http.Header
	if c.send != nil {
		status, body = c.send(t, p.base)
	} else {
		method := c.method
		if method == "" {
			method = http.MethodGet
			if c.body != "" {
				method = http.MethodPost
			}
		}
		req, err := http.NewRequest(method, p.base+c.path, strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		// As browsers ask: compressing is part of the cost.
		req.Header.Set("Accept-Encoding", "gzip")
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		body, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatalf("%s: reading the answer: %v", c.name, err)
		}
		status, header = res.StatusCode, res.Header
	}
	// The server's accounts are read once the answer is in: its work is done.
	m := measured{cpu: p.cpu(t) - cpu0, bytes: len(body)}
	_, peak := p.memory(t)
	m.extra = max(0, peak-rss0)
	if status != c.status {
		t.Errorf("%s: status %d, want %d: %.300s", c.name, status, c.status, body)
	}
	wire := len(body)
	if header.Get("Content-Encoding") == "gzip" && len(body) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	m.bytes = wire
	text := string(body)
	var apiErr apiError
	if strings.HasPrefix(c.path, "/api/") && json.Unmarshal(body, &apiErr) == nil && apiErr.Error.Message != "" {
		text = apiErr.Error.Message // JSON escapes & and quotes
	}
	for _, w := range c.want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: the answer lacks %q: %.400s", c.name, w, text)
		}
	}
	if c.line > 0 || c.field != "" {
		var out apiError
		if err := json.Unmarshal(body, &out); err != nil {
			t.Errorf("%s: not a JSON error: %.200s", c.name, body)
		} else if out.Error.Line != c.line || (c.column > 0 && out.Error.Column != c.column) || out.Error.Field != c.field {
			t.Errorf("%s: at %d:%d %q, want %d:%d %q (%s)", c.name, out.Error.Line, out.Error.Column, out.Error.Field, c.line, c.column, c.field, out.Error.Message)
		}
	}
	if c.check != nil {
		c.check(t, body, header)
	}
	budget, memory := hostileCPUBudget, int64(hostileRSSBudget)
	if raceEnabled {
		budget, memory = 10*budget, 4*memory
	}
	if m.cpu > budget {
		t.Errorf("%s: %v of CPU, over the budget of %v", c.name, m.cpu, budget)
	}
	if m.extra > memory {
		t.Errorf("%s: %d MB more resident memory, over the budget of %d MB", c.name, m.extra>>20, memory>>20)
	}
	return m
}

const hostileHead = "id: net\ninput: {c: 3, h: 32, w: 32}\nlayers:\n"

// wellFormedXML fails unless body parses as XML from start to end.
func wellFormedXML(t *testing.T, body []byte, _ http.Header) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Errorf("not well-formed XML: %v", err)
			return
		}
	}
}

// rawRequest writes a request by hand (a lying Content-Length, a chunked body) and
// reads the status line of the answer.
func rawRequest(request string) func(t *testing.T, base string) (int, []byte) {
	return func(t *testing.T, base string) (int, []byte) {
		u, _ := url.Parse(base)
		conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
		go func() { _, _ = io.WriteString(conn, request) }()
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("no answer: %v", err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, body
	}
}

// slowClients opens connections that send their headers a byte at a time and never
// finish, then asks for a page: it must be served while they hang.
func slowClients(t *testing.T, base string) (int, []byte) {
	u, _ := url.Parse(base)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 64 {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		conns = append(conns, c)
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Get(base + "/a/resnet50")
	if err != nil {
		t.Fatalf("a normal request failed while slow clients hung: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

func hostileCases() []hostileCase {
	yaml := "application/yaml"
	form := "application/x-www-form-urlencoded"
	notesForm := func(src string) string { return url.Values{"src": {src}}.Encode() }
	repeat := func(s string, n int) string { return strings.Repeat(s, n) }
	join := func(s string, n int, sep string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = s
		}
		return strings.Join(parts, sep)
	}
	dense := func(n int) string {
		return fmt.Sprintf("id: net\ninput: {c: 3, h: 8, w: 8}\nlayers:\n  - dense: {n: %d, layer: [{conv: {out: 1, k: 1}}]}\n", n)
	}
	wideBranch := hostileHead + "  - branch:\n      merge: add\n      paths: [" + join("[]", 190_000, ",") + "]\n"
	wideCell := hostileHead + "  - cell:\n      inputs: [x]\n      nodes: []\n      output: {add: [" + join("x", 200_000, ",") + "]}\n"
	chain := hostileHead + "  - {repeat: 19999, layers: [{conv: {out: 1, k: 1}}]}\n"
	tables := repeat("```arch-table resnet1202\n```\n\n", 160)
	exactly := func(n int) string {
		b := okDefinition + "# "
		return b + repeat("x", n-len(b)-1) + "\n"
	}
	return []hostileCase{
		// Issue 13: inputs of a few bytes that expanded.
		{name: "dense n=9999 (103 bytes)", path: "/api/analyze", ctype: yaml, body: dense(9999), status: 422,
			want: []string{"a merge of 10,000 inputs exceeds the limit of 128"}, line: 4, column: 5, field: "layers[0].dense"},
		{name: "dense n=2000 in a playground link", path: "/playground?def=" + encodeShared([]byte(dense(2000))), status: 200,
			want: []string{"Line 4, column 5", "a merge of 2,001 inputs exceeds the limit of 128"}},
		{name: "dense n=127, just within the limits, drawn", path: "/api/render?expand=all", ctype: yaml, body: dense(127), status: 200, check: wellFormedXML},
		{name: "20,000 layers, the most accepted, analysed", path: "/api/analyze", ctype: yaml, body: chain, status: 200, want: []string{`"layers":19999`}},
		{name: "20,000 layers drawn", path: "/api/render?expand=all", ctype: yaml, body: chain, status: 200},
		{name: "20,000 layers in the playground", path: "/playground/preview", ctype: form, body: notesForm(chain), status: 200, want: []string{`data-total="params">40,000`}},
		{name: "160 arch-table resnet1202 blocks", path: "/notes/preview", ctype: form, body: notesForm(tables), status: 422,
			want: []string{"line 97, column 4, arch blocks: a document draws at most 32 arch blocks"}},
		{name: "the same in a 1.9 KB link", path: "/notes?src=" + url.QueryEscape(tables[:1900]), status: 422,
			want: []string{"line 97, column 4, arch blocks"}},
		{name: "8 tables of ResNet-1202 (32 KB of layers)", path: "/notes/preview", ctype: form, body: notesForm(repeat("```arch-table resnet1202\n```\n\n", 8)), status: 422,
			want: []string{"line 13, column 4, arch blocks: the arch blocks of one document draw at most 20,000 layers together"}},
		{name: "arch-compare with 4,000 ids", path: "/notes/preview", ctype: form, body: notesForm("```arch-compare " + join("resnet50", 4000, " ") + "\n```\n"), status: 422,
			want: []string{"line 1, column 4, arch-compare: an arch-compare block compares at most 12 networks, got 4000"}},
		{name: "compare page with 4,000 ids", path: "/compare?ids=" + join("resnet50,vgg16,alexnet,googlenet,resnet18,resnet34,resnet101,resnet152,vgg11,vgg13,vgg19,nin,lenet5", 300, ","), status: 400,
			want: []string{"Compare at most 12 networks at once."}},
		{name: "expand=all 15,000 times (60 KB URL)", path: "/a/resnet152?expand=" + join("all", 15_000, ","), status: 200,
			check: func(t *testing.T, body []byte, _ http.Header) {
				if n := bytes.Count(body, []byte("expand=all")); n == 0 || len(body) > 1<<20 {
					t.Errorf("%d bytes, %d links with expand=all: the view was not made canonical", len(body), n)
				}
				if bytes.Contains(body, []byte("all%2Call")) || bytes.Contains(body, []byte("all,all")) {
					t.Error("the links repeat expand=all")
				}
			}},
		{name: "a branch of 190,000 empty paths (570 KB)", path: "/api/render", ctype: yaml, body: wideBranch, status: 422,
			want: []string{"190,000 paths exceed the limit of 32 paths a branch"}, line: 4, column: 5, field: "layers[0].branch"},
		{name: "a cell adding x 200,000 times", path: "/api/render", ctype: yaml, body: wideCell, status: 422,
			want: []string{"a merge of 200,000 inputs exceeds the limit of 128"}, line: 7, column: 15, field: "layers[0].cell.output"},
		{name: "a million layers, positioned", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - {repeat: 1000000, layers: [relu]}\n", status: 422,
			want: []string{"more layers than the limit of 20,000"}, line: 4, column: 5, field: "layers[0].repeat"},
		{name: "ten billion repeats of nothing", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - conv: {out: 8, k: 1}\n  - {repeat: 100000, layers: [{repeat: 100000, layers: []}]}\n", status: 422,
			want: []string{"more blocks than the limit of 20,000"}, line: 5, column: 31, field: "layers[1].layers[0].repeat"},
		{name: "control characters in the name", path: "/api/render", ctype: yaml, body: "id: net\nname: \"a\\x01b\\x1f\"\ninput: {c: 3, h: 8, w: 8}\nlayers: [relu]\n", status: 400,
			want: []string{"control character U+0001"}, line: 2, column: 7, field: "name"},
		{name: "a body of exactly 1 MiB", path: "/api/analyze", ctype: yaml, body: exactly(1 << 20), status: 200},
		{name: "a body of 1 MiB and a byte", path: "/api/analyze", ctype: yaml, body: exactly(1<<20 + 1), status: 413},
		{name: "200 KB of non-ASCII notes", path: "/notes/preview", ctype: form, body: notesForm(repeat(repeat("é", 1500)+"\n\n", 66)), status: 200, want: []string{"ééé"}},
		{name: "APPLICATION/YAML", path: "/api/analyze", ctype: "APPLICATION/YAML; Charset=UTF-8", body: okDefinition, status: 200},
		{name: "notes as APPLICATION/X-WWW-FORM-URLENCODED", path: "/notes/preview", ctype: "APPLICATION/X-WWW-FORM-URLENCODED", body: notesForm("# Upper case\n"), status: 200, want: []string{"Upper case"}},
		{name: "HEAD /", method: http.MethodHead, path: "/", status: 200,
			check: func(t *testing.T, body []byte, h http.Header) {
				if len(body) != 0 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
					t.Errorf("HEAD: %d bytes, %q", len(body), h.Get("Content-Type"))
				}
			}},
		{name: "the largest catalogue page (ResNet-1202's table)", path: "/a/resnet1202?view=table&expand=all", status: 200},
		{name: "the largest catalogue drawing (ResNet-1202 expanded)", path: "/embed/resnet1202.svg?expand=all", status: 200, check: wellFormedXML},
		{name: "the largest catalogue report (ResNet-1202)", path: "/api/archs/resnet1202", status: 200},
		{name: "the format guide, limits included", path: "/playground/format", status: 200, want: []string{"a merge of 10,000 inputs exceeds the limit of 128"}},
		// The SECURITY.md checklist.
		{name: "alias bomb", path: "/api/analyze", ctype: yaml, body: bomb(), status: 400, want: []string{"anchors (&) and aliases (*) are not allowed"}, line: 1, field: ""},
		{name: "self-referencing anchor", path: "/api/analyze", ctype: yaml, body: "a: &a [*a]\n", status: 400, want: []string{"anchors"}, line: 1},
		{name: "100k [", path: "/api/analyze", ctype: yaml, body: "id: x\nlayers: " + repeat("[", 100_000), status: 400, want: []string{"nested more than 64 deep"}, line: 2},
		{name: "50k nested - ", path: "/api/analyze", ctype: yaml, body: "id: x\nlayers:\n  " + repeat("- ", 50_000) + "x\n", status: 400, want: []string{"nested more than 64 deep"}, line: 3},
		{name: "syntax error on line 7", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - relu\n  - relu\n  - relu\n  - conv: {out: 8, k: 3]\n", status: 400, want: []string{"YAML syntax"}, line: 7},
		{name: "odd YAML {{},<<}", path: "/api/analyze", ctype: yaml, body: "{{},<<}", status: 400},
		{name: "odd YAML 0::", path: "/api/analyze", ctype: yaml, body: "0::", status: 400},
		{name: "a BOM in a key", path: "/api/analyze", ctype: yaml, body: "id: net\n\ufeffinput: {c: 3, h: 8, w: 8}\nlayers: [relu]\n", status: 400},
		{name: "misspelled key", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - conv: {out: 8, k: 3}\n  - relu\n  - relu\n  - conv: {out: 8, k: 3, strdie: 2}\n", status: 400,
			want: []string{`did you mean "stride"`}, line: 7, field: "layers[3].conv.strdie"},
		{name: "duplicate keys", path: "/api/analyze", ctype: yaml, body: "id: net\nid: two\ninput: {c: 3, h: 8, w: 8}\nlayers: [relu]\n", status: 400, line: 2},
		{name: "two documents", path: "/api/analyze", ctype: yaml, body: okDefinition + "---\n" + okDefinition, status: 400, want: []string{"one YAML document"}},
		{name: `stride: "2"`, path: "/api/analyze", ctype: yaml, body: hostileHead + "  - conv: {out: 8, k: 3, s: \"2\"}\n", status: 400, want: []string{"must be a whole number"}, line: 4, field: "layers[0].conv.s"},
		{name: "stride: 1e309", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - conv: {out: 8, k: 3, s: 1e309}\n", status: 400, line: 4, field: "layers[0].conv.s"},
		{name: "2⁶³ channels", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - conv: {out: 9223372036854775808, k: 3}\n", status: 400, want: []string{"out of range"}, line: 4, field: "layers[0].conv.out"},
		{name: "zero kernel", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - conv: {out: 8, k: 0}\n", status: 400, line: 4, field: "layers[0].conv.k"},
		{name: "kernel larger than the input", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - conv: {out: 8, k: 99}\n", status: 422, want: []string{"larger than padded input"}, line: 4, field: "layers[0].conv"},
		{name: "2³¹ channels", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - conv: {out: 2147483648, k: 1}\n", status: 422, want: []string{"exceed the limit"}, line: 4, field: "layers[0].conv"},
		{name: "a 10⁵×10⁵ input", path: "/api/analyze", ctype: yaml, body: "id: net\ninput: {c: 3, h: 100000, w: 100000}\nlayers: [relu]\n", status: 422, want: []string{"exceeds the limits"}},
		{name: "template cycle", path: "/api/analyze", ctype: yaml, body: "id: net\ninput: {c: 3, h: 8, w: 8}\nblocks:\n  a: {layers: [{use: b}]}\n  b: {layers: [{use: a}]}\nlayers: [{use: a}]\n", status: 400, want: []string{`template "a" uses itself`}},
		{name: "concat mismatch", path: "/api/analyze", ctype: yaml, body: hostileHead + "  - branch: {merge: concat, paths: [[{conv: {out: 4, k: 3, s: 2, p: 1}}], [{conv: {out: 4, k: 3, p: 1}}]]}\n", status: 422, want: []string{"cannot concatenate"}, line: 4, field: "layers[0].branch"},
		{name: "JSON nested 20k deep", path: "/api/analyze", ctype: "application/json", body: repeat(`{"a":`, 20_000), status: 400, want: []string{"nested more than 64 deep"}},
		{name: "trailing garbage", path: "/api/analyze", ctype: "application/json", body: `{"id": "net"} }`, status: 400},
		{name: "invalid UTF-8", path: "/api/analyze", ctype: yaml, body: "id: net\xff\xfe\n", status: 400},
		{name: "wrong Content-Type", path: "/api/analyze", ctype: "application/xml", body: "<net/>", status: 415},
		{name: "scripts in notes", path: "/notes/preview", ctype: form, body: notesForm("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](javascript&colon;alert(1))\n"), status: 200,
			check: func(t *testing.T, body []byte, _ http.Header) {
				low := strings.ToLower(string(body))
				for _, bad := range []string{"<script", "onerror", "javascript:", "javascript&colon;"} {
					if strings.Contains(low, bad) {
						t.Errorf("the notes kept %q", bad)
					}
				}
			}},
		{name: "a layer named </text><script>", path: "/api/render", ctype: yaml, body: "id: net\nname: \"</text><script>x</script>]]>\"\ninput: {c: 3, h: 8, w: 8}\nlayers: [relu]\n", status: 200, check: wellFormedXML},
		{name: "1 MB of *_ in notes", path: "/notes/preview", ctype: form, body: notesForm(repeat("*_", 500_000)), status: 413},
		{name: "a note with one bad arch block", path: "/notes/preview", ctype: form, body: notesForm("# A\n\n```arch nosuchnet\n```\n\n```arch lenet5\n```\n"), status: 200,
			want: []string{"This diagram could not be drawn", "<svg"}},
		{name: "10 MB body", path: "/api/analyze", ctype: yaml, body: repeat("#", 10<<20), status: 413},
		{name: "a body longer than it says (Content-Length)", status: 413, send: rawRequest("POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n" + repeat("#", 2_000_000))},
		{name: "a chunked body over the limit", status: 413, send: rawRequest("POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
			repeat(fmt.Sprintf("%x\r\n%s\r\n", 64<<10, repeat("#", 64<<10)), 20) + "0\r\n\r\n")},
		{name: "64 slow clients, then a page", status: 200, send: slowClients},
		{name: "/static/../go.mod", path: "/static/../go.mod", status: 404},
		{name: "/static/..%2fgo.mod", path: "/static/..%2fgo.mod", status: 404},
		{name: "/static/%2e%2e/go.mod", path: "/static/%2e%2e/go.mod", status: 404},
		{name: "/static/..%5cgo.mod", path: "/static/..%5cgo.mod", status: 404},
	}
}

// okDefinition is a small network every endpoint accepts.
const okDefinition = "id: net\ninput: {c: 3, h: 32, w: 32}\nlayers:\n  - conv: {out: 8, k: 3, p: 1}\n  - relu\n  - gap\n  - fc: 10\n"

func TestHostileInputs(t *testing.T) {
	p := startServerProcess(t, 10*time.Second)
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// Warm up: the first requests fault in the catalogue and the code.
	for _, u := range []string{"/", "/a/resnet1202?expand=all", "/api/archs/resnet1202"} {
		res, err := client.Get(p.base + u)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	var table strings.Builder
	fmt.Fprintf(&table, "| case | status | CPU | extra RSS | answer sent (gzip) |\n|---|---|---|---|---|\n")
	for _, c := range hostileCases() {
		m := p.run(t, client, c)
		fmt.Fprintf(&table, "| %s | %d | %d ms | %d MB | %s B |\n", c.name, c.status, m.cpu.Milliseconds(), m.extra>>20, group(m.bytes))
	}
	if res, err := client.Get(p.base + "/healthz"); err != nil || res.StatusCode != 200 {
		t.Fatalf("the server stopped serving: %v", err)
	}
	t.Logf("\n%s", table.String())
}

func group(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Past its time budget a request stops burning CPU within 100 ms: the engine walk,
// the layout and the response writer look at its context.
func TestHostileBudgetStopsTheWork(t *testing.T) {
	const budget = 50 * time.Millisecond
	p := startServerProcess(t, budget)
	client := &http.Client{Timeout: 30 * time.Second}
	chain := hostileHead + "  - {repeat: 19999, layers: [{conv: {out: 1, k: 1}}]}\n"
	for _, c := range []hostileCase{
		{name: "20,000 layers drawn, past a 50 ms budget", path: "/api/render?expand=all", ctype: "application/yaml", body: chain, status: 503, want: []string{"longer than the server allows"}},
		{name: "20,000 layers analysed, past a 50 ms budget", path: "/api/analyze", ctype: "application/yaml", body: chain, status: 503},
		{name: "20,000 layers in the playground, past a 50 ms budget", path: "/playground/preview", ctype: "application/x-www-form-urlencoded", body: url.Values{"src": {chain}}.Encode(), status: 503},
	} {
		before := p.cpu(t)
		m := p.run(t, client, c)
		// The 503 is sent when the budget runs out; whatever the request still burns
		// after it shows in the next 200 ms of the server's CPU.
		answered := p.cpu(t)
		time.Sleep(200 * time.Millisecond)
		after := p.cpu(t) - answered
		// CPU time is counted on every core the server uses (the collector runs beside
		// the walk), so the whole request may take up to cores × its wall time.
		limit := time.Duration(runtime.NumCPU())*(budget+100*time.Millisecond) + 10*time.Millisecond // one clock tick of slack
		if m.cpu > limit && !raceEnabled {
			t.Errorf("%s: %v of CPU, more than %d cores × (the budget and 100 ms)", c.name, m.cpu, runtime.NumCPU())
		}
		if after > 20*time.Millisecond && !raceEnabled { // two clock ticks: the work stopped with the answer
			t.Errorf("%s: %v of CPU after the 503 was sent: the work went on", c.name, after)
		}
		t.Logf("%s: %v CPU (%v from the start), %v after the answer, %d MB", c.name, m.cpu, p.cpu(t)-before, after, m.extra>>20)
	}
}

// Every page, drawing and report of the catalogue stays within the same budget.
func TestHostileCatalogueWithinBudget(t *testing.T) {
	p := startServerProcess(t, 10*time.Second)
	client := &http.Client{Timeout: 30 * time.Second}
	cat, err := archdefs.Default()
	if err != nil {
		t.Fatal(err)
	}
	var worst measured
	worstName := ""
	for _, a := range cat.Archs {
		for _, u := range []string{"/a/%s?expand=all", "/a/%s?view=table", "/embed/%s.svg?expand=all&present=1", "/api/archs/%s", "/a/%s/diagram?expand=all"} {
			path := fmt.Sprintf(u, a.ID)
			m := p.run(t, client, hostileCase{name: path, path: path, status: 200, header: map[string]string{"HX-Request": "true"}})
			if m.cpu > worst.cpu {
				worst, worstName = m, path
			}
		}
	}
	t.Logf("the most expensive catalogue answer: %s, %v of CPU, %d MB more resident memory, %s bytes", worstName, worst.cpu, worst.extra>>20, group(worst.bytes))
}

// An embed's cache key holds every parameter that changes the drawing: a request with
// ?present=1 (larger) or ?paths=1 must not change what the plain URL serves.
func TestEmbedCacheKeyHoldsEveryParameter(t *testing.T) {
	e := newTestServer(t)
	plain := get(t, e, "/embed/resnext50_32x4d.svg").Body.String()
	for _, q := range []string{"?present=1", "?paths=1", "?dir=lr", "?collapse=all", "?theme=dark"} {
		variant := get(t, e, "/embed/resnext50_32x4d.svg"+q).Body.String()
		if variant == plain {
			t.Errorf("%s draws the same as the plain embed", q)
		}
		if again := get(t, e, "/embed/resnext50_32x4d.svg").Body.String(); again != plain {
			t.Fatalf("after a request for %s the plain embed changed", q)
		}
	}
	// Equal views share an entry: expand=all,all,… is expand=all.
	a := get(t, e, "/embed/resnet50.svg?expand=all").Header().Get("ETag")
	b := get(t, e, "/embed/resnet50.svg?expand="+strings.Repeat("all,", 1000)+"conv2_x").Header().Get("ETag")
	if a == "" || a != b {
		t.Errorf("ETags %q and %q: equal views were drawn apart", a, b)
	}
}

// The render cache holds at most its bound in bytes, however many variants are asked.
func TestRenderCacheBoundedByBytes(t *testing.T) {
	rc := newRenderCache(1 << 20)
	body := bytes.Repeat([]byte("<g>x</g>"), 8<<10) // 64 KB, within an eighth of the bound
	for i := range 200 {
		rc.put(fmt.Sprintf("/embed/v%d", i), bytes.Clone(body), "image/svg+xml")
		if rc.size > rc.limit {
			t.Fatalf("after %d entries the cache holds %d bytes, over its %d", i+1, rc.size, rc.limit)
		}
	}
	sum := 0
	for k, r := range rc.entries {
		sum += r.bytes(k)
	}
	if sum != rc.size || len(rc.entries) == 0 {
		t.Errorf("%d entries of %d bytes, counted %d", len(rc.entries), sum, rc.size)
	}
	// An entry larger than an eighth of the bound is served, not kept.
	big := rc.put("/embed/big", bytes.Repeat([]byte("x"), 200<<10), "image/svg+xml")
	if _, kept := rc.get("/embed/big"); kept || len(big.body) != 200<<10 {
		t.Error("a large entry was kept")
	}
}

// A buffer that grew past maxPooledBuffer is not handed back to the pool.
func TestLargeAnswersLeaveThePool(t *testing.T) {
	a := newAnswer(context.Background())
	big := a.buf
	_, _ = a.Write(bytes.Repeat([]byte("x"), maxPooledBuffer+1))
	a.done()
	for range 100 {
		b := bufPool.Get().(*bytes.Buffer)
		if b == big || b.Cap() > maxPooledBuffer {
			t.Fatalf("the pool handed back a buffer of %d bytes", b.Cap())
		}
	}
	a = newAnswer(context.Background())
	defer a.done()
	if _, err := a.Write(make([]byte, maxAnswerBytes+1)); err != errAnswerTooLarge {
		t.Errorf("an answer past the limit: %v", err)
	}
}
