package synth

import (
	"fmt"
	"testing"

	"atip/internal/linkage"
)

func TestDebugTrue(t *testing.T) {
	s := Generate(Config{Left: 5000, Right: 5000, Seed: 1})
	n := 0
	for l, r := range s.Truth {
		res := linkage.Link([]linkage.Record{s.Left[l]}, []linkage.Record{s.Right[r]}, linkage.Options{Threshold: 0.0001})
		_ = res
		fmt.Printf("%q/%q/%d/%s/%q/%q | %q/%q/%d/%s/%q/%q\n", s.Left[l].Name, s.Left[l].Guardian, s.Left[l].Age, s.Left[l].RecordedOn.Format("2006"), s.Left[l].Village, s.Left[l].District,
			s.Right[r].Name, s.Right[r].Guardian, s.Right[r].Age, s.Right[r].RecordedOn.Format("2006"), s.Right[r].Village, s.Right[r].District)
		n++
		if n > 25 {
			break
		}
	}
}
