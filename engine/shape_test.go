package engine

import "testing"

func TestGroup(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {34944, "34,944"},
		{138357544, "138,357,544"}, {15470264320, "15,470,264,320"}, {-1234, "-1,234"}, {-123456, "-123,456"},
	} {
		if got := Group(c.n); got != c.want {
			t.Errorf("Group(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestCheckedArithmetic(t *testing.T) {
	if v, err := mul(3, 96, 11, 11); err != nil || v != 34848 {
		t.Fatalf("mul = %d, %v", v, err)
	}
	if _, err := mul(1<<32, 1<<31); err == nil {
		t.Fatal("mul(2³², 2³¹) did not report overflow")
	}
	if _, err := mul(1<<62, 2); err == nil {
		t.Fatal("mul(2⁶², 2) did not report overflow")
	}
	if _, err := add(1<<62, 1<<62); err == nil {
		t.Fatal("add(2⁶², 2⁶²) did not report overflow")
	}
	if v, err := add(1<<62, 1<<61); err != nil || v != 1<<62+1<<61 {
		t.Fatalf("add = %d, %v", v, err)
	}
}
