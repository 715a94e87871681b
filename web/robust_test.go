package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

func TestPanicIsAGeneric500(t *testing.T) {
	e := newTestServer(t)
	e.GET("/boom", func(echo.Context) error { panic("secret detail at server.go:42") })
	rec := get(t, e, "/boom")
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	if rec := get(t, e, "/healthz"); rec.Code != http.StatusOK {
		t.Fatal("the server stopped serving after a panic")
	}
}

func TestTimeBudgetGives503(t *testing.T) {
	e := newTestServerWith(t, Config{RequestTimeout: time.Nanosecond})
	rec := get(t, e, "/a/resnet152?expand=all")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "longer than the server allows") {
		t.Fatalf("%d %.300s", rec.Code, rec.Body.String())
	}
}

// Slow clients time out while normal requests go on being served.
func TestSlowClientsDoNotStopTheServer(t *testing.T) {
	if testing.Short() {
		t.Skip("takes the header timeout")
	}
	e := newTestServer(t)
	addr := serveForTest(t, e)
	var wg sync.WaitGroup
	var mu sync.Mutex
	closed := 0
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			defer c.Close()
			// Slow headers, or a slow body after honest headers.
			if i%2 == 0 {
				fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n")
			} else {
				fmt.Fprintf(c, "POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\nContent-Length: 100000\r\n\r\nid: x\n")
			}
			_ = c.SetReadDeadline(time.Now().Add(25 * time.Second))
			buf := make([]byte, 512)
			for {
				if _, err := c.Read(buf); err != nil {
					mu.Lock()
					closed++
					mu.Unlock()
					return
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	client := &http.Client{Timeout: 5 * time.Second}
	for range 5 {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("healthz during the slow clients: %v", err)
		}
		resp.Body.Close()
		time.Sleep(100 * time.Millisecond)
	}
	wg.Wait()
	if closed != 64 {
		t.Errorf("%d of 64 slow connections were closed by the server", closed)
	}
}

// Many concurrent renders of the largest network the playground allows: /healthz keeps
// answering (a liveness check; docs/PERFORMANCE.md has the latencies).
func TestConcurrentLargestRendersKeepHealthzUp(t *testing.T) {
	if testing.Short() {
		t.Skip("heavy")
	}
	e := newTestServer(t)
	base := "http://" + serveForTest(t, e)
	big := "id: big\ninput: {c: 8, h: 16, w: 16}\nlayers:\n  - {repeat: 6600, layers: [{conv: {out: 8, k: 3, p: 1}}, bn, relu]}\n"
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				resp, err := http.Post(base+"/api/render", "application/yaml", strings.NewReader(big))
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("render: %d", resp.StatusCode)
				}
			}
		}()
	}
	go func() { wg.Wait(); close(stop) }()
	slowest := time.Duration(0)
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-stop:
			t.Logf("/healthz answered within %v during the renders", slowest)
			return
		case <-time.After(50 * time.Millisecond):
		}
		start := time.Now()
		resp, err := client.Get(base + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("healthz: %v", err)
		}
		resp.Body.Close()
		slowest = max(slowest, time.Since(start))
	}
}

// serveForTest runs the server on a loopback port until the test ends, and returns
// its address.
func serveForTest(t *testing.T, e *echo.Echo) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeListener(ctx, e, ln, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}
