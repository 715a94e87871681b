//go:build race

package web

// raceEnabled: the race detector multiplies CPU time by 5–10, so the hostile suite's
// budgets are widened by raceSlowdown.
const raceEnabled = true
