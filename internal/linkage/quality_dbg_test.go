package linkage_test

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"atip/internal/linkage"
	"atip/internal/linkage/synth"
)

func TestDbgOracle(t *testing.T) {
	s := synth.Generate(synth.Config{Left: 5000, Right: 5000, Seed: 1})
	obs := synth.NewObserver(s)
	opt := linkage.WithOracle(linkage.Options{Threshold: 0.01, Observe: obs.Observe}, func(l, r int) bool { rr, ok := s.Truth[l]; return ok && rr == r })
	res := linkage.Link(s.Left, s.Right, opt)
	fmt.Println(res.Model)
	for _, th := range []float64{0.1, 0.5, 0.9} {
		synth.Evaluate(s, res.Pairs, obs, th).Write(os.Stdout)
	}
}

func TestDbgErrors(t *testing.T) {
	s := synth.Generate(synth.Config{Left: 5000, Right: 5000, Seed: 1})
	var mu sync.Mutex
	tscore := map[int]float64{}
	obs := func(l, r int, sc float64) {
		if rr, ok := s.Truth[l]; ok && rr == r {
			mu.Lock()
			tscore[l] = sc
			mu.Unlock()
		}
	}
	opt := linkage.WithOracle(linkage.Options{Threshold: 0.5, Observe: obs}, func(l, r int) bool { rr, ok := s.Truth[l]; return ok && rr == r })
	res := linkage.Link(s.Left, s.Right, opt)
	show := func(r linkage.Record) string {
		return fmt.Sprintf("%q g=%q %c %d/%s v=%q d=%q p=%q", r.Name, r.Guardian, r.Sex, r.Age, r.RecordedOn.Format("2006"), r.Village, r.District, r.Phone)
	}
	n := 0
	found := map[int]bool{}
	for _, p := range res.Pairs {
		found[p.Left] = true
		if rr, ok := s.Truth[p.Left]; !ok || rr != p.Right {
			if n < 12 {
				fmt.Printf("FP %.2f\n  %s\n  %s\n  %s\n", p.Score, show(s.Left[p.Left]), show(s.Right[p.Right]), p.Explanation)
			}
			n++
		}
	}
	n = 0
	for l, r := range s.Truth {
		if !found[l] && n < 12 {
			sc, ok := tscore[l]
			fmt.Printf("FN %.3f %v\n  %s\n  %s\n", sc, ok, show(s.Left[l]), show(s.Right[r]))
			n++
		}
	}
}

func TestDbgExplainFN(t *testing.T) {
	s := synth.Generate(synth.Config{Left: 5000, Right: 5000, Seed: 1})
	opt := linkage.WithOracle(linkage.Options{Threshold: 1e-6}, func(l, r int) bool { rr, ok := s.Truth[l]; return ok && rr == r })
	res := linkage.Link(s.Left, s.Right, opt)
	n := 0
	for _, p := range res.Pairs {
		if rr, ok := s.Truth[p.Left]; ok && rr == p.Right && p.Score < 0.5 && n < 40 {
			n++
			fmt.Printf("%.3f %q/%q | %q/%q\n   %s\n", p.Score, s.Left[p.Left].Name, s.Left[p.Left].Phone, s.Right[p.Right].Name, s.Right[p.Right].Phone, p.Explanation)
		}
	}
}
