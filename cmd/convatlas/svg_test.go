package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSVGOptions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"svg", "resnet50", "--stage", "conv2_x.1"}, "conv2_x.1 of ResNet-50 drawn top to bottom: 4 boxes"},
		{[]string{"svg", "resnet50", "--collapse", "all", "--dir", "lr"}, "drawn left to right: 6 boxes, 6 of them collapsed stages"},
		{[]string{"svg", "resnet50", "--preset", "slide-16x9"}, `width="1280" height="720"`},
		{[]string{"svg", "vgg16", "--theme", "auto", "--background", "transparent"}, "@media (prefers-color-scheme: dark)"},
		{[]string{"svg", "alexnet", "--view", "volumes"}, `<g class="volume" data-layer="conv1">`},
		{[]string{"svg", "alexnet", "--view", "streams"}, "AlexNet drawn top to bottom as one stream per GPU, as its paper draws it: 27 boxes"},
		{[]string{"svg", "alexnet", "--view", "streams", "--format", "tikz"}, "{GPU 2}"},
		{[]string{"svg", "resnet50", "--view", "volumes"}, "tensors along the main path"},
		// One block per run, the default; every block with --view full.
		{[]string{"svg", "resnet50"}, "each run of repeated blocks drawn once: conv2_x ×3, conv3_x ×4, conv4_x ×6, conv5_x ×3"},
		{[]string{"svg", "resnet152", "--view", "blocks"}, "conv3_x ×8, conv4_x ×36"},
		// 57 = conv1 and its pool, 16 bottlenecks of 3 convolutions, 4 projections, the 3 of the head.
		{[]string{"svg", "resnet50", "--view", "full"}, "ResNet-50 drawn top to bottom: 57 boxes. The"},
	} {
		out, errOut, code := runCLI(t, tc.args...)
		if code != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d %s; no %q", tc.args, code, errOut, tc.want)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"svg", "resnet50", "--stage", "conv9_x"}, `ResNet-50 has no stage or block "conv9_x" (its stages: conv1, conv2_x`},
		{[]string{"svg", "resnet50", "--theme", "blue"}, `theme is light, dark or auto, not "blue"`},
		{[]string{"svg", "resnet50", "--preset", "poster"}, `preset is slide-16x9 or slide-4x3, not "poster"`},
		{[]string{"svg", "resnet50", "--view", "volumes", "--stage", "conv2_x"}, "view=volumes draws the whole network: it takes no stage"},
		{[]string{"svg", "resnet50", "--view", "table"}, `view is blocks, full, streams, volumes (or diagram, the network's default), not "table"`},
		{[]string{"svg", "resnet50", "--view", "streams"}, "ResNet-50 is not split across devices"},
	} {
		if _, errOut, code := runCLI(t, tc.args...); code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestSVGFromStandardInput(t *testing.T) {
	defer func(r any) { stdin = r.(*os.File) }(stdin)
	f, err := os.CreateTemp(t.TempDir(), "def")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("id: tiny\nname: Tiny\ninput: {c: 3, h: 32, w: 32}\nlayers: [{conv: {out: 8, k: 3}}, relu, gap, {fc: 10}]\n")
	f.Seek(0, 0)
	stdin = f
	out, errOut, code := runCLI(t, "svg", "-")
	if code != 0 || !strings.Contains(out, "Tiny block diagram") {
		t.Fatalf("exit %d %s", code, errOut)
	}
	stdin = strings.NewReader("id: bad\ninput: 3x32x32\n")
	if _, errOut, code := runCLI(t, "svg", "-"); code == 0 || !strings.Contains(errOut, "standard input:2:8") {
		t.Errorf("a bad definition on standard input: exit %d %q", code, errOut)
	}
}

func TestFence(t *testing.T) {
	defer func(r any) { stdin = r.(*os.File) }(stdin)
	for info, want := range map[string]string{
		"arch resnet50 stage=conv3_x":     "conv3_x of ResNet-50",
		"{.arch #resnet50 stage=conv3_x}": "conv3_x of ResNet-50",
		"arch-table alexnet":              "<table>",
	} {
		stdin = strings.NewReader("")
		out, errOut, code := runCLI(t, "fence", info)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("fence %q: exit %d %s", info, code, errOut)
		}
		if strings.HasPrefix(info, "arch ") && !strings.Contains(out, "prefers-color-scheme") {
			t.Errorf("fence %q: a block drawn at build time does not follow the reader's theme", info)
		}
	}
	stdin = strings.NewReader("resnet50 stage=conv2_x.1\n")
	if out, errOut, code := runCLI(t, "fence", "arch"); code != 0 || !strings.Contains(out, "conv2_x.1 of ResNet-50") {
		t.Errorf("the id in the body: exit %d %s", code, errOut)
	}
	stdin = strings.NewReader("")
	if _, errOut, code := runCLI(t, "fence", "python"); code != 2 || !strings.Contains(errOut, "not an arch") {
		t.Errorf("another language: exit %d %s", code, errOut)
	}
}

func TestNotesBaseURL(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "week3.md")
	os.WriteFile(src, []byte("```arch-table alexnet\n```\n"), 0o644)
	offline, _, code := runCLI(t, "notes", src)
	if code != 0 || strings.Contains(offline, "<a ") || strings.Contains(offline, "Sort by") || !strings.Contains(offline, "11×11 conv, 96, /4") {
		t.Errorf("offline notes keep links to the atlas (exit %d)", code)
	}
	linked, _, code := runCLI(t, "notes", src, "--base-url", "https://atlas.example.org/")
	if code != 0 || !strings.Contains(linked, `href="https://atlas.example.org/a/alexnet/layer/conv1"`) || strings.Contains(linked, `href="/`) {
		t.Errorf("links are not made absolute to the base URL (exit %d)", code)
	}
	if _, errOut, code := runCLI(t, "notes", src, "--base-url", "atlas.example.org"); code != 2 || !strings.Contains(errOut, "http") {
		t.Errorf("a base URL without scheme: exit %d %s", code, errOut)
	}
}
