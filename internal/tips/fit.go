package tips

import (
	"fmt"
	"math"
	"time"
)

// Feedback is an analyst's judgement of one tip or post: does it need
// action (Relevant) or not. The text is kept with the judgement so that a
// model can be refitted after the lexicon changes; the app stores it under
// the same access rules as the tip it came from.
type Feedback struct {
	TipID    string    `json:"tip_id"`
	Text     string    `json:"text"`
	Relevant bool      `json:"relevant"`
	Analyst  string    `json:"analyst,omitempty"` // user id, never a name
	At       time.Time `json:"at,omitzero"`
}

// FitOptions control Fit. The zero value gives the defaults.
type FitOptions struct {
	Lambda     float64 // L2 strength pulling coefficients towards the prior (default 1)
	Iterations int     // full-batch gradient steps (default 2000)
	Rate       float64 // step size (default 0.5)
}

// Fit refits the model's coefficients — the bias, one weight per category
// and one per pair of categories — by L2-regularised logistic regression on
// labelled feedback, starting from and regularised towards prior (the
// experts' model), with a fixed number of full-batch gradient steps.
// It uses no randomness and visits examples in the order given, so the
// same feedback, lexicon and prior always give the same model: tuning is
// reproducible from the stored feedback.
//
// Indicator weights within a category stay as the lexicon's authors set
// them: a few hundred judgements cannot support hundreds of per-phrase
// weights, but they can support a few dozen category coefficients.
func Fit(lex *Lexicon, prior *Model, feedback []Feedback, opt FitOptions) (*Model, error) {
	if len(feedback) == 0 {
		return nil, fmt.Errorf("fit: no feedback")
	}
	if opt.Lambda == 0 {
		opt.Lambda = 1
	}
	if opt.Iterations == 0 {
		opt.Iterations = 2000
	}
	if opt.Rate == 0 {
		opt.Rate = 0.5
	}
	s, err := NewScorer(lex, prior)
	if err != nil {
		return nil, err
	}
	nc := len(s.cats)
	// Features: the categories, then every pair of categories.
	type pairIdx struct{ a, b int }
	var pairs []pairIdx
	for a := 0; a < nc; a++ {
		for b := a + 1; b < nc; b++ {
			pairs = append(pairs, pairIdx{a, b})
		}
	}
	nf := nc + len(pairs)
	theta0 := make([]float64, nf+1) // last is the bias
	for c := 0; c < nc; c++ {
		theta0[c] = prior.Weights[s.cats[c]]
	}
	for k, p := range pairs {
		theta0[nc+k] = prior.Pairs[PairKey(s.cats[p.a], s.cats[p.b])]
	}
	theta0[nf] = prior.Bias
	// Rows are sparse: a text touches a few categories, so most pair
	// features are zero.
	type cell struct {
		j int
		v float64
	}
	X := make([][]cell, len(feedback))
	y := make([]float64, len(feedback))
	positives := 0
	for i, fb := range feedback {
		x := s.evidence(fb.Text)
		var row []cell
		for c, v := range x {
			if v != 0 {
				row = append(row, cell{c, v})
			}
		}
		for k, p := range pairs {
			if v := x[p.a] * x[p.b]; v != 0 {
				row = append(row, cell{nc + k, v})
			}
		}
		X[i] = row
		if fb.Relevant {
			y[i] = 1
			positives++
		}
	}
	theta := append([]float64(nil), theta0...)
	grad := make([]float64, nf+1)
	n := float64(len(X))
	for it := 0; it < opt.Iterations; it++ {
		for j := range grad {
			grad[j] = 0
		}
		for i, row := range X {
			z := theta[nf]
			for _, c := range row {
				z += theta[c.j] * c.v
			}
			d := sigmoid(z) - y[i]
			for _, c := range row {
				grad[c.j] += d * c.v
			}
			grad[nf] += d
		}
		for j := range theta {
			g := grad[j]/n + opt.Lambda/n*(theta[j]-theta0[j])
			theta[j] -= opt.Rate * g
		}
	}
	m := &Model{
		LexiconVersion: lex.Version,
		Bias:           round6(theta[nf]),
		Weights:        map[string]float64{},
		Pairs:          map[string]float64{},
		Fit: &FitInfo{Examples: len(X), Positives: positives, Lambda: opt.Lambda,
			Iterations: opt.Iterations, Rate: opt.Rate, Prior: prior.Version()},
	}
	for c := 0; c < nc; c++ {
		m.Weights[s.cats[c]] = round6(theta[c])
	}
	for k, p := range pairs {
		if w := round6(theta[nc+k]); w != 0 {
			m.Pairs[PairKey(s.cats[p.a], s.cats[p.b])] = w
		}
	}
	return m, nil
}

// round6 keeps coefficients short in the model file and independent of the
// last bits of floating-point arithmetic across machines.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
