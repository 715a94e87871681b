package markdown

import (
	"errors"
	"strings"
	"testing"
)

// budgetDrawer refuses every table past the first, as web's Drawer does past its
// document budget.
type budgetDrawer struct {
	fakeDrawer
	tables int
}

func (d *budgetDrawer) Table(ref string) (string, error) {
	if d.tables++; d.tables > 1 {
		return "", &BlockLimitError{Field: "arch blocks", Reason: "over the budget"}
	}
	return "<table></table>", nil
}

func TestArchBlockLimits(t *testing.T) {
	for _, c := range []struct {
		name, src   string
		line, col   int
		field, want string
	}{
		{"blocks", strings.Repeat("```arch lenet5\n```\n\n", MaxArchBlocks+1), 3*MaxArchBlocks + 1, 4, "arch blocks", "at most 32 arch blocks"},
		{"compare ids", "# A\n\n  ```arch-compare " + strings.Repeat("vgg16 ", MaxCompareIDs+1) + "\n  ```\n", 3, 6, "arch-compare", "at most 12 networks, got 13"},
		{"drawer budget", "```arch-table a\n```\n\ntext\n\n```arch-table b\n```\n", 6, 4, "arch blocks", "over the budget"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Notes([]byte(c.src), &budgetDrawer{})
			var e *BlockLimitError
			if !errors.As(err, &e) || e.Line != c.line || e.Column != c.col || e.Field != c.field || !strings.Contains(e.Reason, c.want) {
				t.Fatalf("%v (%+v), want line %d column %d %s: %s", err, e, c.line, c.col, c.field, c.want)
			}
		})
	}
	if _, err := Notes([]byte(strings.Repeat("```arch lenet5\n```\n\n", MaxArchBlocks)), &budgetDrawer{}); err != nil {
		t.Errorf("%d blocks refused: %v", MaxArchBlocks, err)
	}
}
