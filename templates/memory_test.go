package templates

import (
	"testing"
)

// The cs231n VGG-16 table: "CONV3-64: [224x224x64] memory: 224*224*64=3.2M params:
// (3*3*3)*64 = 1,728", "FC: [1x1x4096] params: 7*7*512*4096 = 102,760,448", and rows
// that add up to 15,237,608 values with the input (REFERENCES.md, "The lecture's own
// figures that do not add up"); 138M weights, biases not counted.
func TestLectureTableOfVGG16(t *testing.T) {
	r := catalogueReport(t, "vgg16")
	lt := NewLectureTable(r)
	if lt.Memory != 15_237_608 {
		t.Errorf("memory %d values, want 15,237,608 (the lecture's rows, input included)", lt.Memory)
	}
	if lt.Weights != 138_344_128 || lt.Weights+lt.OtherParams != 138_357_544 {
		t.Errorf("weights %d + other %d, want 138,344,128 + 13,416 = 138,357,544 (torchvision)", lt.Weights, lt.OtherParams)
	}
	want := map[string][2]string{
		"input": {"224·224·3 = 150.5K", ""},
	}
	if got := lt.Rows[0]; got.MemoryCalc != want["input"][0] || got.Weights != 0 {
		t.Errorf("input row %+v", got)
	}
	first, fc1 := lt.Rows[1], LectureRow{}
	for _, row := range lt.Rows {
		if row.Label == "fc 4096" {
			fc1 = row
			break
		}
	}
	if first.MemoryCalc != "224·224·64 = 3.2M" || first.WeightsCalc != "3·3·3·64 = 1,728" {
		t.Errorf("conv1_1 row %+v", first)
	}
	if fc1.MemoryCalc != "4,096" || fc1.WeightsCalc != "7·7·512·4096 = 102,760,448" {
		t.Errorf("fc6 row %+v", fc1)
	}
	if len(lt.Rows) != 1+13+5+3 {
		t.Errorf("%d rows, want input, 13 convolutions, 5 pools and 3 fully connected layers", len(lt.Rows))
	}
}

// Every catalogue network's weights are a part of its parameters, and its memory rows
// add up to the layer table's activations plus the input.
func TestLectureTableAgreesWithTheReport(t *testing.T) {
	for id, r := range catalogueReports(t) {
		lt := NewLectureTable(r)
		if lt.Weights <= 0 || lt.OtherParams < 0 {
			t.Errorf("%s: weights %d, other parameters %d", id, lt.Weights, lt.OtherParams)
		}
		if lt.Memory != r.Input.Elements()+r.Totals.Activations {
			t.Errorf("%s: memory %d, want the input's %d and the activations' %d", id, lt.Memory, r.Input.Elements(), r.Totals.Activations)
		}
	}
}
