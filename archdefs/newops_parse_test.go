package archdefs

import (
	"strings"
	"testing"
)

// The settings of the operations after 2018 are checked like the others: the error
// names the line, the column and the field.
func TestMalformedNewOperations(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"padding word", header + "  - conv: {out: 8, k: 3, p: sane}\n", `net.yaml:4:29: layers[0].conv.p: must be a whole number, got the text "sane"`},
		{"three paddings", header + "  - conv: {out: 8, k: 3, p: [1, 1, 1]}\n", `net.yaml:4:29: layers[0].conv.p: padding is one number, [height, width], [top, bottom, left, right] or "same", got 3 numbers`},
		{"same on a pool", header + "  - maxpool: {k: 2, p: same}\n", `net.yaml:4:24: layers[0].maxpool.p: "same" padding is for convolutions`},
		{"se without width", header + "  - se: {act: relu}\n", `net.yaml:4:9: layers[0].se: se needs its squeezed width: squeeze`},
		{"se bad gate", header + "  - se: {squeeze: 4, gate: relu}\n", `net.yaml:4:28: layers[0].se.gate: gate is one of sigmoid, hsigmoid, got "relu"`},
		{"upsample mode", header + "  - upsample: {scale: 2, mode: cubic}\n", `net.yaml:4:32: layers[0].upsample.mode: the mode is nearest or bilinear, got "cubic"`},
		{"convt without out", header + "  - convt: {k: 2, s: 2}\n", `net.yaml:4:12: layers[0].convt: conv needs its output channels: out`},
		{"output padding too large", header + "  - convt: {out: 8, k: 2, s: 2, output_padding: 2}\n  - relu\n", `layers[0].convt): output padding 2 must be smaller than the stride or the dilation`},
		{"crop too large", header + "  - crop: 40\n", `net.yaml:4:5: crop "crop1" (layers[0].crop): cannot crop 40×40 out of 32×32×3`},
		{"fractional jump", header + "  - convt: {out: 8, k: 2, s: 2}\n", `a transposed stride of 2 would make the jump 1/2 input pixels`},
		{"droppath rate", header + "  - droppath: 1.5\n", `net.yaml:4:15: layers[0].droppath: a dropout probability is in [0, 1), got 1.5`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := analyzeSource("net.yaml", c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v\nwant %s", err, c.want)
			}
		})
	}
}
