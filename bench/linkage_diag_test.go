package bench

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"atip/internal/linkage"
	"atip/internal/linkage/synth"
)

// TestLinkageErrors lists what the engine gets wrong on the synthetic
// benchmark, grouped by the comparison levels of the pair, to decide from
// evidence where quality is lost. It prints personal-looking data (all of it
// synthetic), so it runs only when asked:
//
//	ATIP_QUALITY_DUMP=1 go test ./bench -run TestLinkageErrors -v
func TestLinkageErrors(t *testing.T) {
	if os.Getenv("ATIP_QUALITY_DUMP") == "" {
		t.Skip("set ATIP_QUALITY_DUMP=1 to list the benchmark's errors")
	}
	th := linkage.DefaultThreshold
	fnPat, fpPat := map[string]int{}, map[string]int{}
	var fnEx, fpEx []string
	fnBlocked, fnUnblocked, fnTaken := 0, 0, 0
	for seed := uint64(1); seed <= 3; seed++ {
		s := synth.Generate(synth.Config{Left: 4000, Right: 4000, Seed: seed})
		obs := synth.NewObserver(s)
		res := linkage.Link(s.Left, s.Right, linkage.Options{Threshold: th, Observe: obs.Observe})
		got := map[int]linkage.Pair{}
		usedR := map[int]bool{}
		for _, p := range res.Pairs {
			got[p.Left] = p
			usedR[p.Right] = true
		}
		levels := func(p linkage.Pair) string {
			var b strings.Builder
			for _, f := range p.Explanation.Fields {
				fmt.Fprintf(&b, "%s=%s ", f.Field, f.Level)
			}
			return b.String()
		}
		show := func(r linkage.Record) string {
			return fmt.Sprintf("[%s|g:%s|%c|%d|%s|%s|%s|%s]", r.Name, r.Guardian, max(r.Sex, '-'), r.Age, r.RecordedOn.Format("2006"), r.Village, r.District, r.Phone)
		}
		for l, r := range s.Truth {
			if p, ok := got[l]; ok && p.Right == r {
				continue
			}
			if !synth.Seen(obs, l) {
				fnUnblocked++
			} else {
				fnBlocked++
			}
			if _, ok := got[l]; ok || usedR[r] {
				fnTaken++
			}
			e := res.Explain(l, r)
			fnPat[levels(e)]++
			if len(fnEx) < 40 {
				fnEx = append(fnEx, fmt.Sprintf("p=%.3f %s\n      %s\n      %s", e.Score, e.Explanation, show(s.Left[l]), show(s.Right[r])))
			}
		}
		for _, p := range res.Pairs {
			if r, ok := s.Truth[p.Left]; ok && r == p.Right {
				continue
			}
			fpPat[levels(p)]++
			if len(fpEx) < 30 {
				fpEx = append(fpEx, fmt.Sprintf("p=%.3f %s\n      %s\n      %s", p.Score, p.Explanation, show(s.Left[p.Left]), show(s.Right[p.Right])))
			}
		}
	}
	top := func(m map[string]int) string {
		type kv struct {
			k string
			n int
		}
		var xs []kv
		for k, n := range m {
			xs = append(xs, kv{k, n})
		}
		sort.Slice(xs, func(a, b int) bool { return xs[a].n > xs[b].n || xs[a].n == xs[b].n && xs[a].k < xs[b].k })
		var b strings.Builder
		for i, x := range xs {
			if i == 30 {
				break
			}
			fmt.Fprintf(&b, "%5d  %s\n", x.n, x.k)
		}
		return b.String()
	}
	t.Logf("false negatives: %d compared, %d never compared, %d lost a one-to-one contest\n%s", fnBlocked, fnUnblocked, fnTaken, top(fnPat))
	t.Logf("false negative examples:\n%s", strings.Join(fnEx, "\n"))
	t.Logf("false positives by levels:\n%s", top(fpPat))
	t.Logf("false positive examples:\n%s", strings.Join(fpEx, "\n"))
}

// TestLinkageCeiling estimates the best F1 any scoring of the comparison
// levels could reach on the synthetic benchmark: it counts, for every
// pattern of levels, the true and false candidate pairs showing it, and
// picks with hindsight the set of patterns that maximises F1 (blocking
// losses included, term frequencies and one-to-one assignment left out).
// When the engine is close to it, the comparisons, not the scoring, are
// what limits quality.
//
//	ATIP_QUALITY_DUMP=1 go test ./bench -run TestLinkageCeiling -v
func TestLinkageCeiling(t *testing.T) {
	if os.Getenv("ATIP_QUALITY_DUMP") == "" {
		t.Skip("set ATIP_QUALITY_DUMP=1 to estimate the ceiling")
	}
	type tf struct{ t, f int }
	pats := map[string]*tf{}
	trueTotal := 0
	for seed := uint64(1); seed <= 3; seed++ {
		s := synth.Generate(synth.Config{Left: 4000, Right: 4000, Seed: seed})
		var mu sync.Mutex
		var cand [][2]int
		res := linkage.Link(s.Left, s.Right, linkage.Options{Observe: func(l, r int, _ float64) {
			mu.Lock()
			cand = append(cand, [2]int{l, r})
			mu.Unlock()
		}})
		trueTotal += len(s.Truth)
		for _, c := range cand {
			e := res.Explain(c[0], c[1])
			var b strings.Builder
			for _, f := range e.Explanation.Fields {
				b.WriteString(f.Level + "|")
			}
			k := b.String()
			if pats[k] == nil {
				pats[k] = &tf{}
			}
			if r, ok := s.Truth[c[0]]; ok && r == c[1] {
				pats[k].t++
			} else {
				pats[k].f++
			}
		}
	}
	list := make([]*tf, 0, len(pats))
	for _, p := range pats {
		list = append(list, p)
	}
	sort.Slice(list, func(a, b int) bool { return list[a].t*(list[b].t+list[b].f) > list[b].t*(list[a].t+list[a].f) })
	best, tp, fp := 0.0, 0, 0
	var bp, br float64
	for _, p := range list {
		tp += p.t
		fp += p.f
		prec, rec := float64(tp)/float64(tp+fp), float64(tp)/float64(trueTotal)
		if f1 := 2 * prec * rec / (prec + rec); f1 > best {
			best, bp, br = f1, prec, rec
		}
	}
	t.Logf("best F1 of any rule on the comparison levels: %.4f (precision %.4f, recall %.4f), %d patterns", best, bp, br, len(pats))
}
