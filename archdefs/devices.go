package archdefs

import (
	"fmt"
	"strings"

	"convatlas/engine"

	"go.yaml.in/yaml/v4"
)

// devices reads how a network was split across devices: `devices: 2`, or
// `devices: {n: 2, join: fc8, title: GPU}` (engine.Devices says what each means).
func (p *parser) devices(v *yaml.Node, field string) (engine.Devices, error) {
	d := engine.Devices{Pos: p.pos(v, field)}
	count := func(x *yaml.Node, path string) error {
		n, err := p.count(x, path, 2)
		if err != nil {
			return err
		}
		if n > engine.MaxDevices {
			return p.errAt(x, path, fmt.Sprintf("at most %d devices are drawn side by side, got %d", engine.MaxDevices, n))
		}
		d.N = int(n)
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return d, count(v, field)
	}
	err := p.fields(v, field, []string{"n", "join", "title"}, func(k string, x *yaml.Node, path string) error {
		var err error
		switch k {
		case "n":
			return count(x, path)
		case "join":
			// The layer's full name: dotted inside a stage (head.fc8).
			if d.Join, err = p.str(x, path); err == nil {
				for _, part := range strings.Split(d.Join, ".") {
					if err = checkName(part); err != nil {
						return p.errAt(x, path, err.Error())
					}
				}
			}
		case "title":
			if d.Title, err = p.str(x, path); err == nil {
				if err = checkTitle(d.Title); err != nil {
					err = p.errAt(x, path, err.Error())
				}
			}
		}
		return err
	})
	if err == nil && d.N == 0 {
		err = p.errAt(v, field, "devices needs n, the number of devices: {n: 2}")
	}
	return d, err
}
