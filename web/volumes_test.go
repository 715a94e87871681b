package web

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"convatlas/archdefs"
	"convatlas/diagram"
)

// Every network has a volumes view, in the page and as an embed: a branching one along
// its main path (these answered 400 when only plain sequences had one).
func TestEveryNetworkHasAVolumesView(t *testing.T) {
	e := newTestServer(t)
	cat, _ := archdefs.Default()
	for _, a := range cat.Archs {
		rec := get(t, e, "/a/"+a.ID+"?view=volumes")
		if rec.Code != http.StatusOK {
			t.Errorf("/a/%s?view=volumes: %d %s", a.ID, rec.Code, rec.Body.String())
			continue
		}
		doc := parse(t, rec)
		if doc.Find("svg.volumes-svg g.volume").Length() < 2 {
			t.Errorf("/a/%s?view=volumes: no volumes drawn", a.ID)
		}
		caption := doc.Find(`[data-testid="volumes-caption"]`).Text()
		if !strings.Contains(caption, "Height is the map's side") || !strings.Contains(caption, "Length is the number of channels") {
			t.Errorf("/a/%s?view=volumes: the caption states no scale: %q", a.ID, caption)
		}
		if doc.Find(`.view-tabs a[href="/a/`+a.ID+`?view=volumes"]`).Length() != 1 {
			t.Errorf("/a/%s: no tab for the volumes", a.ID)
		}

		rec = get(t, e, "/embed/"+a.ID+".svg?view=volumes&theme=auto")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/svg+xml" {
			t.Errorf("/embed/%s.svg?view=volumes: %d %s", a.ID, rec.Code, rec.Body.String())
			continue
		}
		dec := xml.NewDecoder(strings.NewReader(rec.Body.String()))
		volumes, captionLines := 0, 0
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: the volumes embed is not XML: %v", a.ID, err)
			}
			if el, ok := tok.(xml.StartElement); ok {
				for _, at := range el.Attr {
					if at.Name.Local == "class" && at.Value == "volume" {
						volumes++
					}
					if at.Name.Local == "class" && at.Value == "volume-caption" {
						captionLines++
					}
				}
			}
		}
		if volumes < 2 || captionLines != 1 || !strings.Contains(rec.Body.String(), "each doubling") && !strings.Contains(rec.Body.String(), "linear: 1 pixel of the map is") {
			t.Errorf("/embed/%s.svg?view=volumes: %d volumes, %d captions, no stated scale", a.ID, volumes, captionLines)
		}
	}
}

func TestVolumesViewsSayWhatTheyDraw(t *testing.T) {
	e := newTestServer(t)
	resnet := parse(t, get(t, e, "/a/resnet50?view=volumes"))
	if got := resnet.Find("#volumes-title").Text(); !strings.Contains(got, "main path") {
		t.Errorf("ResNet-50's volumes are titled %q", got)
	}
	labels := resnet.Find("svg.volumes-svg text.volume-label").Text()
	for _, want := range []string{"bottleneck ×3", "bottleneck ×4", "bottleneck ×6"} {
		if !strings.Contains(labels, want) {
			t.Errorf("ResNet-50's volumes lack %q: %s", want, labels)
		}
	}
	vgg := parse(t, get(t, e, "/a/vgg16?view=volumes")).Find(`[data-testid="volumes-caption"]`).Text()
	if strings.Contains(vgg, "GPU") || strings.Contains(vgg, "AlexNet") || strings.Contains(vgg, "group") {
		t.Errorf("VGG-16's caption speaks of AlexNet's groups: %s", vgg)
	}
	alex := parse(t, get(t, e, "/a/alexnet?view=volumes")).Find(`[data-testid="volumes-caption"]`).Text()
	if !strings.Contains(alex, "2 groups") {
		t.Errorf("AlexNet's caption does not explain its split boxes: %s", alex)
	}
	if rec := get(t, e, "/embed/resnet50.svg?view=volumes&stage=conv2_x"); rec.Code != http.StatusBadRequest {
		t.Errorf("volumes of one stage: %d", rec.Code)
	}
}

// Downloads and embeds follow the volumes view: the PNG is the volumes (not the block
// diagram), the iframe page shows them; a PDF or TikZ of them is refused by name.
func TestVolumesDownloadsAndEmbedPage(t *testing.T) {
	e := newTestServer(t)
	volumes := get(t, e, "/embed/resnet50.png?view=volumes&scale=1")
	blocks := get(t, e, "/embed/resnet50.png?scale=1")
	if volumes.Code != http.StatusOK || volumes.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("volumes PNG: %d %s", volumes.Code, volumes.Header().Get("Content-Type"))
	}
	img, err := png.DecodeConfig(bytes.NewReader(volumes.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := archdefs.Default()
	reports, err := cat.Reports()
	if err != nil {
		t.Fatal(err)
	}
	v, err := diagram.NewVolumes(reports["resnet50"])
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != int(math.Ceil(v.W-1e-6)) || img.Height != int(math.Ceil(v.H-1e-6)) {
		t.Errorf("the volumes PNG is %d×%d, the volumes %g×%g", img.Width, img.Height, v.W, v.H)
	}
	if bytes.Equal(volumes.Body.Bytes(), blocks.Body.Bytes()) {
		t.Error("the volumes PNG is the block diagram")
	}
	for _, u := range []string{"/embed/resnet50.pdf?view=volumes", "/embed/resnet50.tikz?view=volumes", "/embed/resnet50.png?view=volumes&stage=conv2_x", "/embed/resnet50.png?view=volumes&theme=blue"} {
		if rec := get(t, e, u); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", u, rec.Code)
		}
	}
	page := get(t, e, "/embed/googlenet?view=volumes")
	doc := parse(t, page)
	if page.Code != http.StatusOK || doc.Find("[data-panzoom] svg.volumes-svg g.volume").Length() < 10 || doc.Find("svg.diagram").Length() != 0 {
		t.Errorf("the iframe page of GoogLeNet's volumes: %d, %d volumes", page.Code, doc.Find("svg.volumes-svg g.volume").Length())
	}
	if !strings.Contains(doc.Find(".volume-caption").Text(), "main path") {
		t.Error("the iframe page's volumes have no caption")
	}
	arch := parse(t, get(t, e, "/a/resnet50?view=volumes"))
	if arch.Find(`[data-png="/embed/resnet50.png?view=volumes"]`).Length() != 1 || arch.Find(`a[href="/embed/resnet50.svg?view=volumes"][download]`).Length() != 1 {
		t.Error("the volumes tab offers no SVG and PNG downloads of the volumes")
	}
}
