package bench

import (
	"fmt"
	"os"
	"sort"
	"strconv"
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

// TestLinkageBreakdown breaks the benchmark's errors down by what the
// records hold: recall by region, scripts, single names, estimated or
// missing ages, years between the records and how many identifying fields
// both records carry; false positives by what the wrongly linked right
// record really is (a sibling or a namesake of the left person, another
// person's record, or someone new). It prints counts only:
//
//	ATIP_QUALITY_DUMP=1 go test ./bench -run TestLinkageBreakdown -v
func TestLinkageBreakdown(t *testing.T) {
	if os.Getenv("ATIP_QUALITY_DUMP") == "" {
		t.Skip("set ATIP_QUALITY_DUMP=1 to break the benchmark's errors down")
	}
	th := linkage.DefaultThreshold
	type tally struct{ true, found, blocked int }
	groups := map[string]map[string]*tally{}
	add := func(dim, k string, found, blocked bool) {
		if groups[dim] == nil {
			groups[dim] = map[string]*tally{}
		}
		g := groups[dim][k]
		if g == nil {
			g = &tally{}
			groups[dim][k] = g
		}
		g.true++
		if found {
			g.found++
		}
		if blocked {
			g.blocked++
		}
	}
	fp := map[string]int{}
	predicted := 0
	for seed := uint64(1); seed <= 3; seed++ {
		s := synth.Generate(synth.Config{Left: 4000, Right: 4000, Seed: seed})
		obs := synth.NewObserver(s)
		res := linkage.Link(s.Left, s.Right, linkage.Options{Threshold: th, Observe: obs.Observe})
		got := map[int]int{}
		for _, p := range res.Pairs {
			got[p.Left] = p.Right
		}
		predicted += len(res.Pairs)
		for l, r := range s.Truth {
			rr, ok := got[l]
			found, blocked := ok && rr == r, synth.Seen(obs, l)
			a, b := s.Left[l], s.Right[r]
			ma, mb := s.LeftMeta[l], s.RightMeta[r]
			add("region", ma.Region, found, blocked)
			sc := []string{ma.Script, mb.Script}
			sort.Strings(sc)
			add("scripts", sc[0]+"+"+sc[1], found, blocked)
			single := "neither"
			switch {
			case ma.Single && mb.Single:
				single = "both"
			case ma.Single || mb.Single:
				single = "one"
			}
			add("single name", single, found, blocked)
			age := "both known"
			switch {
			case ma.NoAge || mb.NoAge || a.RecordedOn.IsZero() || b.RecordedOn.IsZero():
				age = "missing on a side"
			case ma.Estimated || mb.Estimated:
				age = "estimated on a side"
			}
			add("age", age, found, blocked)
			apart := "unknown"
			if !a.RecordedOn.IsZero() && !b.RecordedOn.IsZero() {
				switch y := b.RecordedOn.Year() - a.RecordedOn.Year(); {
				case y <= 0:
					apart = "0"
				case y <= 2:
					apart = "1-2"
				case y <= 4:
					apart = "3-4"
				default:
					apart = "5+"
				}
			}
			add("years apart", apart, found, blocked)
			both := 0
			for _, has := range [][2]bool{
				{a.Guardian != "" || strings.Contains(strings.ToLower(a.Name), "/o"), b.Guardian != "" || strings.Contains(strings.ToLower(b.Name), "/o")},
				{a.Age >= 0 && !a.RecordedOn.IsZero(), b.Age >= 0 && !b.RecordedOn.IsZero()},
				{a.Village != "", b.Village != ""},
				{a.Phone != "", b.Phone != ""},
			} {
				if has[0] && has[1] {
					both++
				}
			}
			add("fields on both (guardian, age, village, phone)", fmt.Sprint(both), found, blocked)
		}
		for _, p := range res.Pairs {
			if r, ok := s.Truth[p.Left]; ok && r == p.Right {
				continue
			}
			m := s.RightMeta[p.Right]
			k := m.Kind
			switch {
			case m.Kind == "sibling" || m.Kind == "namesake":
				if m.Of == p.Left {
					k += " of the left person"
				} else {
					k += " of another left person"
				}
			case m.Kind == "match":
				k = "another left person's record"
			}
			if _, ok := s.Truth[p.Left]; !ok {
				k += " (left person has no true pair)"
			}
			fp[k]++
		}
	}
	var b strings.Builder
	dims := make([]string, 0, len(groups))
	for d := range groups {
		dims = append(dims, d)
	}
	sort.Strings(dims)
	for _, d := range dims {
		fmt.Fprintf(&b, "%s:\n", d)
		keys := make([]string, 0, len(groups[d]))
		for k := range groups[d] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			g := groups[d][k]
			fmt.Fprintf(&b, "  %-22s true %5d  recall %.3f  completeness %.3f  missed %4d\n", k, g.true, float64(g.found)/float64(g.true), float64(g.blocked)/float64(g.true), g.true-g.found)
		}
	}
	fmt.Fprintf(&b, "false positives (%d of %d reported):\n", func() int {
		n := 0
		for _, c := range fp {
			n += c
		}
		return n
	}(), predicted)
	keys := make([]string, 0, len(fp))
	for k := range fp {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return fp[keys[i]] > fp[keys[j]] })
	for _, k := range keys {
		fmt.Fprintf(&b, "  %5d  %s\n", fp[k], k)
	}
	t.Log("\n" + b.String())
}

// TestLinkageQualityAtScale measures link quality on a larger synthetic
// set than TestLinkageQuality, ATIP_QUALITY_SCALE left records and a fifth
// as many right ones (the shape of BenchmarkLink1Mx200k):
//
//	ATIP_QUALITY_SCALE=100000 go test ./bench -run TestLinkageQualityAtScale -v
func TestLinkageQualityAtScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ATIP_QUALITY_SCALE"))
	if n == 0 {
		t.Skip("set ATIP_QUALITY_SCALE to the number of left records")
	}
	s := synth.Generate(synth.Config{Left: n, Right: n / 5, Seed: 7})
	obs := synth.NewObserver(s)
	res := linkage.Link(s.Left, s.Right, linkage.Options{Threshold: 0.3, Observe: obs.Observe})
	var b strings.Builder
	fmt.Fprintf(&b, "%d × %d records, %d candidate pairs\n%s", len(s.Left), len(s.Right), res.Stats.CandidatePairs, res.Model)
	for _, th := range []float64{0.5, 0.7, 0.9} {
		synth.Evaluate(s, res.Pairs, obs, th).Write(&b)
	}
	t.Log("\n" + b.String())
}
