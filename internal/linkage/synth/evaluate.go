package synth

import (
	"fmt"
	"io"
	"sort"
	"sync"

	"atip/internal/linkage"
)

// Counts are the tallies behind precision, recall and pair completeness.
type Counts struct {
	True      int // true pairs
	Predicted int // pairs reported
	Correct   int // reported pairs that are true
	Blocked   int // true pairs that reached scoring
}

// Add adds d's tallies to c.
func (c *Counts) Add(d Counts) {
	c.True += d.True
	c.Predicted += d.Predicted
	c.Correct += d.Correct
	c.Blocked += d.Blocked
}

func (c Counts) Precision() float64 { return ratio(c.Correct, c.Predicted) }
func (c Counts) Recall() float64    { return ratio(c.Correct, c.True) }
func (c Counts) Completeness() float64 {
	return ratio(c.Blocked, c.True)
}
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Report is the quality of one link run against the truth.
type Report struct {
	Threshold float64
	All       Counts
	ByRegion  map[string]*Counts
	ByScript  map[string]*Counts // "latin+deva" etc.: the scripts of the left and right names
}

// Observer collects which true pairs reached scoring; pass its Observe
// method as linkage.Options.Observe.
type Observer struct {
	truth map[int]int // right → left
	mu    sync.Mutex
	seen  map[int]bool // left indices whose true pair was compared
}

// NewObserver prepares an observer for s.
func NewObserver(s *Set) *Observer {
	o := &Observer{truth: map[int]int{}, seen: map[int]bool{}}
	for l, r := range s.Truth {
		o.truth[r] = l
	}
	return o
}

// Observe records a compared pair.
func (o *Observer) Observe(left, right int, _ float64) {
	if l, ok := o.truth[right]; ok && l == left {
		o.mu.Lock()
		o.seen[left] = true
		o.mu.Unlock()
	}
}

// Evaluate scores the pairs of a link run on s. obs may be nil (no
// completeness figures then).
func Evaluate(s *Set, pairs []linkage.Pair, obs *Observer, threshold float64) Report {
	rep := Report{Threshold: threshold, ByRegion: map[string]*Counts{}, ByScript: map[string]*Counts{}}
	get := func(m map[string]*Counts, k string) *Counts {
		if m[k] == nil {
			m[k] = &Counts{}
		}
		return m[k]
	}
	for l, r := range s.Truth {
		cs := []*Counts{&rep.All, get(rep.ByRegion, s.LeftMeta[l].Region), get(rep.ByScript, scriptPair(s, l, r))}
		for _, c := range cs {
			c.True++
			if obs != nil && obs.seen[l] {
				c.Blocked++
			}
		}
	}
	for _, p := range pairs {
		if p.Score < threshold {
			continue
		}
		ok := s.Truth[p.Left] == p.Right
		if _, has := s.Truth[p.Left]; !has {
			ok = false
		}
		cs := []*Counts{&rep.All, get(rep.ByRegion, s.LeftMeta[p.Left].Region), get(rep.ByScript, scriptPair(s, p.Left, p.Right))}
		for _, c := range cs {
			c.Predicted++
			if ok {
				c.Correct++
			}
		}
	}
	return rep
}

func scriptPair(s *Set, l, r int) string {
	a, b := s.LeftMeta[l].Script, s.RightMeta[r].Script
	if b < a {
		a, b = b, a
	}
	return a + "+" + b
}

// Write prints the report as a table.
func (rep Report) Write(w io.Writer) {
	fmt.Fprintf(w, "threshold %.2f\n", rep.Threshold)
	fmt.Fprintf(w, "%-22s %7s %9s %9s %7s %7s %12s\n", "group", "true", "predicted", "precision", "recall", "F1", "completeness")
	line := func(name string, c Counts) {
		fmt.Fprintf(w, "%-22s %7d %9d %9.4f %7.4f %7.4f %12.4f\n", name, c.True, c.Predicted, c.Precision(), c.Recall(), c.F1(), c.Completeness())
	}
	line("all", rep.All)
	for _, group := range []map[string]*Counts{rep.ByRegion, rep.ByScript} {
		keys := make([]string, 0, len(group))
		for k := range group {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			line("  "+k, *group[k])
		}
	}
}

// Seen reports whether the true pair of left record l reached scoring.
func Seen(o *Observer, l int) bool { return o.seen[l] }
