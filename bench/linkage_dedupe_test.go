package bench

import (
	"testing"

	"atip/internal/linkage"
	"atip/internal/linkage/synth"
)

// TestDedupeQuality measures dedupe on the synthetic benchmark (both files
// as one register) by pairs of records: precision is the share of record
// pairs put in one cluster that are one person, recall the share of one
// person's record pairs put in one cluster. It reports the same for plain
// connected components of the pairs, the clustering dedupe used before, to
// show what average linkage buys, and fails if dedupe's F1 falls below
// that of connected components.
//
//	go test ./bench -run TestDedupeQuality -v
func TestDedupeQuality(t *testing.T) {
	var avg, cc pairCounts
	for seed := uint64(1); seed <= 3; seed++ {
		s := synth.Generate(synth.Config{Left: 4000, Right: 4000, Seed: seed})
		recs := append(append([]linkage.Record(nil), s.Left...), s.Right...)
		person := make([]int, 0, len(recs))
		for _, m := range s.LeftMeta {
			person = append(person, m.Person)
		}
		for _, m := range s.RightMeta {
			person = append(person, m.Person)
		}
		res := linkage.Dedupe(recs, linkage.Options{})
		avg.add(res.Cluster, person)
		cc.add(components(len(recs), res.Pairs), person)
	}
	t.Logf("average linkage:      precision %.4f recall %.4f F1 %.4f", avg.precision(), avg.recall(), avg.f1())
	t.Logf("connected components: precision %.4f recall %.4f F1 %.4f", cc.precision(), cc.recall(), cc.f1())
	if avg.f1() < cc.f1() {
		t.Errorf("average linkage F1 %.4f is below connected components' %.4f", avg.f1(), cc.f1())
	}
}

// components is the clustering by connected components of the pairs.
func components(n int, pairs []linkage.Pair) []int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		if parent[x] != x {
			parent[x] = find(parent[x])
		}
		return parent[x]
	}
	for _, p := range pairs {
		a, b := find(p.Left), find(p.Right)
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = find(i)
	}
	return out
}

type pairCounts struct{ same, predicted, correct int }

// add counts record pairs within clusters and within people.
func (c *pairCounts) add(cluster, person []int) {
	type key struct{ cluster, person int }
	byCluster, byPerson, byBoth := map[int]int{}, map[int]int{}, map[key]int{}
	for i := range cluster {
		byCluster[cluster[i]]++
		byPerson[person[i]]++
		byBoth[key{cluster[i], person[i]}]++
	}
	pairs := func(n int) int { return n * (n - 1) / 2 }
	for _, n := range byCluster {
		c.predicted += pairs(n)
	}
	for _, n := range byPerson {
		c.same += pairs(n)
	}
	for _, n := range byBoth {
		c.correct += pairs(n)
	}
}

func (c pairCounts) precision() float64 { return float64(c.correct) / float64(max(c.predicted, 1)) }
func (c pairCounts) recall() float64    { return float64(c.correct) / float64(max(c.same, 1)) }
func (c pairCounts) f1() float64 {
	p, r := c.precision(), c.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
