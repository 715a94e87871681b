package archdefs

import (
	"strings"
	"testing"
)

const devicesHeader = "id: net\ninput: {c: 3, h: 32, w: 32}\n"

func TestDevicesAreRead(t *testing.T) {
	for _, c := range []struct {
		name, devices   string
		n               int
		join, title     string
		cross, onDevice []string
	}{
		{"a number", "devices: 2", 2, "", "", []string{"conv2", "fc1"}, []string{"conv1", "relu1", "conv3"}},
		{"a mapping", "devices: {n: 2, join: fc1, title: GPU}", 2, "fc1", "GPU", []string{"conv2"}, []string{"conv1", "conv3"}},
	} {
		src := devicesHeader + c.devices + "\nlayers:\n" +
			"  - conv: {out: 8, k: 3}\n  - relu\n  - conv: {out: 8, k: 3}\n  - conv: {out: 8, k: 3, groups: 2}\n  - fc: 10\n"
		r, err := analyzeSource("net.yaml", src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d := r.Devices; d.N != c.n || d.Join != c.join || d.Title != c.title || d.Pos.Line != 3 {
			t.Errorf("%s: devices %+v", c.name, d)
		}
		for _, name := range c.cross {
			if l, _ := r.Layer(name); !r.ReadsAllDevices(l.Index) {
				t.Errorf("%s: %s should read every device's channels", c.name, name)
			}
		}
		for _, name := range c.onDevice {
			if l, _ := r.Layer(name); r.ReadsAllDevices(l.Index) {
				t.Errorf("%s: %s should read its own device's channels only", c.name, name)
			}
		}
	}
}

func TestDevicesRoundTrip(t *testing.T) {
	src := devicesHeader + "devices: {n: 2, join: fc1, title: \"GPU, fast\"}\nlayers:\n  - conv: {out: 8, k: 3}\n  - fc: 10\n"
	a, err := Parse("net.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Write(a.Model, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("written.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got, want := b.Model.Devices, a.Model.Devices
	got.Pos, want.Pos = want.Pos, got.Pos
	if got.N != want.N || got.Join != want.Join || got.Title != want.Title {
		t.Fatalf("written %+v, read back %+v\n%s", a.Model.Devices, b.Model.Devices, out)
	}
}

func TestDevicesErrors(t *testing.T) {
	layers := "\nlayers:\n  - conv: {out: 8, k: 3}\n  - relu\n  - fc: 10\n"
	for _, c := range []struct{ name, src, want string }{
		{"one device", devicesHeader + "devices: 1" + layers, `net.yaml:3:10: devices: must be at least 2, got 1`},
		{"too many", devicesHeader + "devices: 3" + layers, `net.yaml:3:10: devices: at most 2 devices are drawn side by side, got 3`},
		{"as text", devicesHeader + "devices: \"2\"" + layers, `net.yaml:3:10: devices: must be a whole number, got the text "2"`},
		{"misspelled key", devicesHeader + "devices: {n: 2, jion: fc1}" + layers, `net.yaml:3:17: devices.jion: unknown key "jion": did you mean "join"?`},
		{"no n", devicesHeader + "devices: {join: fc1}" + layers, `net.yaml:3:10: devices: devices needs n, the number of devices: {n: 2}`},
		{"bad join", devicesHeader + "devices: {n: 2, join: \"fc 1\"}" + layers, `net.yaml:3:23: devices.join: a name uses letters, digits, _ and - only`},
		{"unknown join", devicesHeader + "devices: {n: 2, join: fc8}" + layers, `net.yaml:3:10: devices: devices: join names no layer "fc8"`},
		{"join first", devicesHeader + "devices: {n: 2, join: conv1}" + layers, `net.yaml:5:5: conv "conv1" (layers[0].conv): devices: join names the first layer`},
		{"blank title", devicesHeader + "devices: {n: 2, title: \" \"}" + layers, `net.yaml:3:24: devices.title: a title cannot be blank`},
		{"odd channels", devicesHeader + "devices: 2\nlayers:\n  - conv: {out: 8, k: 3}\n  - conv: {out: 7, k: 3}\n",
			`net.yaml:6:5: conv "conv2" (layers[1].conv): its 7 output channels do not split into 2 equal parts, one per device (devices: at line 3)`},
		{"odd features", devicesHeader + "devices: 2\nlayers:\n  - conv: {out: 8, k: 3}\n  - fc: 5\n",
			`net.yaml:6:5: fc "fc1" (layers[1].fc): its 5 output features do not split into 2 equal parts`},
		{"groups across devices", devicesHeader + "devices: 2\nlayers:\n  - conv: {out: 6, k: 3}\n  - conv: {out: 6, k: 3, groups: 3}\n",
			`net.yaml:6:5: conv "conv2" (layers[1].conv): its 3 groups do not divide among the 2 devices (devices: at line 3)`},
		{"a branch", devicesHeader + "devices: 2\nlayers:\n  - conv: {out: 8, k: 3}\n  - branch:\n      merge: add\n      paths: [[relu], []]\n",
			`net.yaml:6:5: branch (layers[1].branch): the network is split across 2 devices (devices: at line 3), drawn as one stream of layers per device: it cannot hold a branch`},
		{"a residual after the join", devicesHeader + "devices: {n: 2, join: fc1}\nlayers:\n  - conv: {out: 8, k: 3}\n  - fc: 5\n  - residual: {body: [relu], shortcut: identity}\n",
			`net.yaml:7:5: residual (layers[2].residual): the network is split across 2 devices`},
	} {
		_, err := analyzeSource("net.yaml", c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// After the join the network runs once: its layers need not split.
func TestDevicesJoinEndsTheSplit(t *testing.T) {
	src := devicesHeader + "devices: {n: 2, join: fc1}\nlayers:\n  - conv: {out: 8, k: 3}\n  - fc: 5\n  - fc: 3\n"
	if _, err := analyzeSource("net.yaml", src); err != nil {
		t.Fatal(err)
	}
}

// AlexNet as the paper draws it (Krizhevsky et al. 2012, Figure 2): the kernels of each
// GPU — 48, 128, 192, 192 and 128 maps, 2048 neurons in FC6 and FC7 — and the layers
// where the GPUs communicate, CONV3, FC6 and FC7; FC8 is one layer of 1000.
func TestAlexNetsTwoGPUs(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	reports, err := cat.Reports()
	if err != nil {
		t.Fatal(err)
	}
	r := reports["alexnet"]
	if r.Devices.N != 2 || r.Devices.Join != "fc8" || r.Devices.Name(1) != "GPU 2" {
		t.Fatalf("alexnet's devices: %+v", r.Devices)
	}
	perGPU := map[string]int64{"conv1": 48, "conv2": 128, "conv3": 192, "conv4": 192, "conv5": 128, "fc6": 2048, "fc7": 2048}
	var cross []string
	for i := range r.Layers[:r.Joined()] {
		l := &r.Layers[i]
		if want, ok := perGPU[l.Name]; ok && l.Out.C/2 != want {
			t.Errorf("%s: %d per GPU, the paper has %d", l.Name, l.Out.C/2, want)
		}
		if r.ReadsAllDevices(i) {
			cross = append(cross, l.Name)
		}
	}
	if got := strings.Join(cross, " "); got != "conv3 fc6 fc7" {
		t.Errorf("the GPUs communicate at %s, the paper says conv3 fc6 fc7", got)
	}
	if r.Layers[r.Joined()].Name != "fc8" {
		t.Errorf("joined at %s", r.Layers[r.Joined()].Name)
	}
	// ZFNet was trained on one GPU with dense connections (Zeiler & Fergus 2014, section
	// 3): its definition is not split.
	if reports["zfnet"].Devices.Split() {
		t.Error("zfnet is split across devices")
	}
}
