package synth

import (
	"os"
	"testing"
	"fmt"

	"atip/internal/linkage"
)

func TestShowQuality(t *testing.T) {
	s := Generate(Config{Left: 5000, Right: 5000, Seed: 1})
	for i := 0; i < 8; i++ { fmt.Printf("%+v | %+v\n", s.Left[i], s.Right[i]) }
	obs := NewObserver(s)
	res := linkage.Link(s.Left, s.Right, linkage.Options{Threshold: 0.01, Observe: obs.Observe})
	fmt.Println(res.Model, res.Stats, len(res.Leads))
	for _, th := range []float64{0.1, 0.3, 0.5, 0.7, 0.9, 0.97} {
		Evaluate(s, res.Pairs, obs, th).Write(os.Stdout)
	}
}
