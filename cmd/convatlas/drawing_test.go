package main

import (
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"os"
	"runtime"
	"strings"
	"testing"
)

// The CLI draws the PNG that render's golden test pins: same bytes on every run.
func TestSVGFormatPNGMatchesTheGolden(t *testing.T) {
	out, errOut, code := runCLI(t, "svg", "resnet50", "--format", "png")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	img, err := png.Decode(strings.NewReader(out))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if img.Bounds().Dx() != 691 {
		t.Errorf("width %d, want the representative diagram's 691", img.Bounds().Dx())
	}
	again, _, _ := runCLI(t, "svg", "resnet50", "--format", "png")
	if again != out {
		t.Error("two runs wrote different bytes")
	}
	golden, err := os.ReadFile("../../render/testdata/png.sha256")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(out))
	if runtime.GOARCH == "amd64" && !strings.Contains(string(golden), hex.EncodeToString(sum[:])+"  resnet50-blocks-light\n") {
		t.Error("the CLI's PNG is not render's golden resnet50-blocks-light")
	}
	full, _, _ := runCLI(t, "svg", "resnet50", "--format", "png", "--view", "full")
	if sum := sha256.Sum256([]byte(full)); runtime.GOARCH == "amd64" && !strings.Contains(string(golden), hex.EncodeToString(sum[:])+"  resnet50-light\n") {
		t.Error("the CLI's PNG of --view full is not render's golden resnet50-light")
	}
}

func TestSVGFormats(t *testing.T) {
	for _, c := range []struct {
		args   []string
		prefix string
	}{
		{[]string{"--format", "pdf", "--theme", "dark"}, "%PDF-"},
		{[]string{"--format", "tikz", "--background", "transparent"}, "% ResNet-50 block diagram"},
		{[]string{"--format", "png", "--size", "2x", "--background", "transparent"}, "\x89PNG"},
		{[]string{"--format", "png", "--size", "300"}, "\x89PNG"},
	} {
		out, errOut, code := runCLI(t, append([]string{"svg", "resnet50"}, c.args...)...)
		if code != 0 || !strings.HasPrefix(out, c.prefix) {
			t.Errorf("%v: exit %d %s, output starts %q", c.args, code, errOut, out[:min(len(out), 20)])
		}
	}
	for _, args := range [][]string{{"--format", "gif"}, {"--format", "png", "--size", "99999"}, {"--format", "png", "--size", "0x"}, {"--format", "png", "--background", "red"}} {
		if _, errOut, code := runCLI(t, append([]string{"svg", "resnet50"}, args...)...); code == 0 || errOut == "" {
			t.Errorf("%v: exit %d, want a clear error", args, code)
		}
	}
}
