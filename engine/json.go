package engine

import (
	"context"
	"encoding/json"
)

// ShapeJSON is a volume in the JSON contract; a vector has h = w = 1.
type ShapeJSON struct {
	C int64 `json:"c"`
	H int64 `json:"h"`
	W int64 `json:"w"`
}

// FieldJSON is a receptive field in the JSON contract: size, jump and start along the
// height; W repeats them along the width when the two differ (1×7 kernels).
type FieldJSON struct {
	Size   int64  `json:"size"`
	Jump   int64  `json:"jump"`
	Start  int64  `json:"start"`
	Global bool   `json:"global"`
	W      *Field `json:"w,omitempty"`
}

// LayerJSON is one layer in the JSON contract.
type LayerJSON struct {
	Name        string       `json:"name"`
	Op          string       `json:"op"`
	Stage       string       `json:"stage"`
	Aux         bool         `json:"aux,omitempty"`
	Inputs      []string     `json:"inputs"`
	Out         ShapeJSON    `json:"out"`
	Params      int64        `json:"params"`
	Buffers     int64        `json:"buffers"`
	MACs        int64        `json:"macs"`
	OtherOps    int64        `json:"other_ops"`
	Activations int64        `json:"activations"`
	Depth       int          `json:"depth"`
	RF          FieldJSON    `json:"rf"`
	Explain     *Explanation `json:"explain,omitempty"`
}

// TotalsJSON are the totals in the JSON contract.
type TotalsJSON struct {
	Params      int64 `json:"params"`
	Trainable   int64 `json:"trainable"`
	Buffers     int64 `json:"buffers"`
	MACs        int64 `json:"macs"`
	OtherOps    int64 `json:"other_ops"`
	Activations int64 `json:"activations"`
	Depth       int   `json:"depth"`
	Layers      int   `json:"layers"`
	AuxParams   int64 `json:"aux_params"`
}

// StageJSON is a stage's subtotals in the JSON contract.
type StageJSON struct {
	Name        string    `json:"name"`
	Params      int64     `json:"params"`
	MACs        int64     `json:"macs"`
	Activations int64     `json:"activations"`
	Out         ShapeJSON `json:"out"`
	RF          FieldJSON `json:"rf"`
}

// ReportJSON is the JSON contract of `convatlas analyze --json` and the web API.
type ReportJSON struct {
	ID     string      `json:"id"`
	Name   string      `json:"name"`
	Input  ShapeJSON   `json:"input"`
	Totals TotalsJSON  `json:"totals"`
	Stages []StageJSON `json:"stages"`
	Layers []LayerJSON `json:"layers"`
}

func shapeJSON(s Shape) ShapeJSON { return ShapeJSON{C: s.C, H: s.H, W: s.W} }

func fieldJSON(r RF) FieldJSON {
	f := FieldJSON{Size: r.H.Size, Jump: r.H.Jump, Start: r.H.Start, Global: r.Global}
	if r.W != r.H {
		w := r.W
		f.W = &w
	}
	return f
}

// JSON builds the report's JSON form; explain adds every layer's formulas.
func (r *Report) JSON(explain bool) ReportJSON {
	out, _ := r.JSONContext(context.Background(), explain)
	return out
}

// JSONContext is JSON that stops with ctx's error once ctx is done: writing every
// layer's formulas costs several times the analysis.
func (r *Report) JSONContext(ctx context.Context, explain bool) (ReportJSON, error) {
	t := r.Totals
	out := ReportJSON{
		ID: r.ID, Name: r.Name, Input: shapeJSON(r.Input),
		Totals: TotalsJSON{Params: t.Params, Trainable: t.Trainable, Buffers: t.Buffers, MACs: t.MACs,
			OtherOps: t.OtherOps, Activations: t.Activations, Depth: t.Depth, Layers: t.Layers, AuxParams: t.AuxParams},
		Stages: make([]StageJSON, len(r.Stages)),
		Layers: make([]LayerJSON, len(r.Layers)),
	}
	for i, s := range r.Stages {
		out.Stages[i] = StageJSON{Name: s.Name, Params: s.Params, MACs: s.MACs, Activations: s.Activations, Out: shapeJSON(s.Out), RF: fieldJSON(s.RF)}
	}
	for i := range r.Layers {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return ReportJSON{}, err
			}
		}
		l := &r.Layers[i]
		inputs := make([]string, len(l.Inputs))
		for j, k := range l.Inputs {
			inputs[j] = "input"
			if k >= 0 {
				inputs[j] = r.Layers[k].Name
			}
		}
		lj := LayerJSON{Name: l.Name, Op: l.Op, Stage: l.Stage, Aux: l.Aux, Inputs: inputs, Out: shapeJSON(l.Out),
			Params: l.Params, Buffers: l.Buffers, MACs: l.MACs, OtherOps: l.OtherOps, Activations: l.Activations,
			Depth: l.Depth, RF: fieldJSON(l.RF)}
		if explain {
			x := r.Explain(i)
			lj.Explain = &x
		}
		out.Layers[i] = lj
	}
	return out, nil
}

// MarshalJSON writes the report in its JSON contract, with explanations.
func (r *Report) MarshalJSON() ([]byte, error) { return json.Marshal(r.JSON(true)) }
