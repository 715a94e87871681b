package archdefs

import "testing"

func TestIndex(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := LoadIndex(cat)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]float64{2010: 28.2, 2011: 25.8, 2012: 16.4, 2013: 11.7, 2014: 6.7, 2015: 3.57, 2016: 2.99, 2017: 2.25}
	for _, w := range idx.ILSVRC {
		if w.RunnerUp {
			if w.Year != 2014 || w.Top5 != 7.3 || w.ID != "vgg16" {
				t.Errorf("runner-up %+v", w)
			}
			continue
		}
		if want[w.Year] != w.Top5 {
			t.Errorf("ILSVRC %d: %.2f%%, want %.2f%%", w.Year, w.Top5, want[w.Year])
		}
		delete(want, w.Year)
	}
	if len(want) > 0 {
		t.Errorf("years missing: %v", want)
	}
	if idx.Human.Top5 != 5.1 || idx.Human.Source == "" {
		t.Errorf("human %+v", idx.Human)
	}
	if len(idx.Families) < 8 {
		t.Errorf("%d families", len(idx.Families))
	}
}
