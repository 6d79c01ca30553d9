package linkage

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultThreshold is the match probability at and above which pairs are
// reported unless told otherwise. On the synthetic benchmark (package synth,
// bench/linkage_test.go) F1 is flat between 0.5 and 0.8 (within 0.01);
// 0.7 is taken from that plateau because at equal F1 it gives higher
// precision, and every reported pair costs a reviewer's time.
const DefaultThreshold = 0.7

// Options tune a run. The zero value is ready to use.
type Options struct {
	Threshold float64       // match probability to report; 0 means DefaultThreshold
	Workers   int           // goroutines; 0 means GOMAXPROCS
	Places    PlaceResolver // district and state names to codes; nil means the built-in gazetteer
	// Progress, if set, is called now and then with the candidate pairs
	// compared so far and the total expected (an upper bound).
	Progress func(done, total int64)
	// MaxBlock is the most pairs one blocking key may propose; bigger
	// blocks are skipped as too common to be useful. 0 means 20,000.
	MaxBlock int64
	// GenericPhone is how many distinct names must share a phone before it
	// counts as generic (a broker's, a shelter's). 0 means 8.
	GenericPhone int
	// Observe, if set, is called for every candidate pair compared, from
	// several goroutines at once, with the pair's indices (as in Pair) and
	// score. It is for measuring blocking; it slows a run down.
	Observe func(left, right int, score float64)
}

func (o *Options) defaults() {
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	o.Workers = defaultWorkers(o.Workers)
	if o.Places == nil {
		o.Places = &gazetteerPlaces{}
	}
	if o.MaxBlock <= 0 {
		o.MaxBlock = 20000
	}
	if o.GenericPhone <= 0 {
		o.GenericPhone = 8
	}
}

// Pair is two records judged to be the same person. Left and Right index
// the input slices (in dedupe mode both index the one input, Left < Right).
type Pair struct {
	Left, Right int
	Score       float64 // match probability
	Explanation Explanation
}

// Explanation says why a pair scored as it did.
type Explanation struct {
	Prior  float64 // bits: log2 of the prior odds that a candidate pair matches
	Fields [numFields]FieldEvidence
}

// FieldEvidence is one field's part in a score.
type FieldEvidence struct {
	Field  string
	Level  string  // how well the field agreed
	Weight float64 // bits added to (or, when negative, taken from) the log-odds
}

// String renders the explanation on one line, e.g.
// "name=same sound(+7.2) guardian_name=missing(+0.0) … prior=-9.1".
func (e Explanation) String() string {
	var b strings.Builder
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "%s=%s(%+.1f) ", f.Field, f.Level, f.Weight)
	}
	fmt.Fprintf(&b, "prior(%+.1f)", e.Prior)
	return b.String()
}

// Stats describe a run, for progress reports and benchmarks.
type Stats struct {
	Records        int
	CandidatePairs int64         // pairs compared (each once)
	CappedKeys     int           // blocking keys skipped as too common
	Prepare        time.Duration // normalising records
	Block          time.Duration // building blocking keys
	Fit            time.Duration // estimating the model
	Score          time.Duration // comparing and scoring all candidates
	Total          time.Duration
}

// PairsPerSecond is the scoring throughput.
func (s Stats) PairsPerSecond() float64 {
	if s.Score <= 0 {
		return 0
	}
	return float64(s.CandidatePairs) / s.Score.Seconds()
}

// Result is what Link and Dedupe return.
type Result struct {
	Pairs []Pair // link: one-to-one, best first; dedupe: every pair at or above the threshold
	// Cluster, in dedupe mode, gives for every record the index of the
	// first record of its cluster (itself when alone).
	Cluster []int
	Leads   []Lead
	Model   *Model
	Stats   Stats

	threshold float64
	table     *table
	nLeft     int
	link      bool
}

// Explain scores any pair of the run with its explanation, whether or not
// it was a candidate: for a reviewer asking why two records were not
// linked, and for measuring the engine. left and right index the inputs as
// in Pair.
func (r *Result) Explain(left, right int) Pair {
	j := right
	if r.link {
		j += r.nLeft
	}
	p := explain(r.Model, r.table, left, j)
	p.Right = right
	return p
}

// Link finds the pairs of a left and a right record that are the same
// person, each record in at most one pair.
func Link(left, right []Record, opt Options) *Result {
	recs := make([]*Record, 0, len(left)+len(right))
	for i := range left {
		recs = append(recs, &left[i])
	}
	for i := range right {
		recs = append(recs, &right[i])
	}
	res, _ := run(recs, len(left), true, opt)
	// One-to-one: best pairs first, each record used once.
	usedL := make([]bool, len(left))
	usedR := make([]bool, len(right))
	out := res.Pairs[:0]
	for _, p := range res.Pairs {
		r := p.Right - len(left)
		if usedL[p.Left] || usedR[r] {
			continue
		}
		usedL[p.Left], usedR[r] = true, true
		p.Right = r
		out = append(out, p)
	}
	res.Pairs = out
	return res
}

// Dedupe groups the records of one file that are the same person.
//
// Clusters are grown from the best pairs down, and two clusters are joined
// only when the records of one match those of the other on average (the
// mean match probability over every cross pair, scored afresh, is at or
// above the threshold): average linkage rather than connected components.
// With components, Rina–R. Kumari and R. Kumari–Rani Kumari would make Rina
// and Rani one person on the strength of a thin record between them; here
// the weak Rina–Rani pair pulls the average of that join down.
func Dedupe(records []Record, opt Options) *Result {
	recs := make([]*Record, len(records))
	for i := range records {
		recs[i] = &records[i]
	}
	res, t := run(recs, len(records), false, opt)
	res.Cluster = cluster(len(records), res.Pairs, func(i, j int) float64 {
		var lv [numFields]uint8
		compare(t, i, j, &lv)
		return probability(res.Model.logit(t, i, j, &lv, nil))
	}, res.threshold)
	return res
}

// maxJoin bounds the cross pairs scored for one join (clusters of 100 and
// 100 records): no register holds one person a hundred times, and a join
// that big is far more likely a generic value's doing than a real person.
const maxJoin = 10_000

// cluster groups n records given the candidate pairs best first, joining
// two clusters when the mean of prob over their cross pairs is at least
// threshold. The result names each record's cluster by its first record.
func cluster(n int, pairs []Pair, prob func(i, j int) float64, threshold float64) []int {
	root := make([]int, n)
	members := make([][]int, n)
	for i := range root {
		root[i] = i
	}
	for _, p := range pairs {
		a, b := root[p.Left], root[p.Right]
		if a == b {
			continue
		}
		ma, mb := members[a], members[b]
		if ma == nil {
			ma = []int{a}
		}
		if mb == nil {
			mb = []int{b}
		}
		if len(ma)*len(mb) > maxJoin {
			continue
		}
		if len(ma)*len(mb) > 1 {
			sum := 0.0
			for _, i := range ma {
				for _, j := range mb {
					sum += prob(i, j)
				}
			}
			if sum < threshold*float64(len(ma)*len(mb)) {
				continue
			}
		}
		// The smaller index names the cluster.
		if b < a {
			a, b, ma, mb = b, a, mb, ma
		}
		for _, i := range mb {
			root[i] = a
		}
		members[a], members[b] = append(ma, mb...), nil
	}
	return root
}

type scored struct {
	i, j  uint32
	logit float32
}

func run(recs []*Record, nLeft int, link bool, opt Options) (*Result, *table) {
	opt.defaults()
	start := time.Now()
	res := &Result{threshold: opt.Threshold, nLeft: nLeft, link: link}
	st := &res.Stats
	st.Records = len(recs)

	t := prepareTable(recs, opt.Places, opt.Workers)
	res.table = t
	res.Leads = markGeneric(t, recs, opt.GenericPhone, villageGenericMin(t), 12)
	setTermFrequencies(t, tfMaxUp, tfMaxDown)
	st.Prepare = time.Since(start)

	mark := time.Now()
	all := passes()
	if !link {
		// Dedupe of a large file cannot afford the rescue passes (their
		// pairs, with the key arrays of every pass that seenBefore reads,
		// made dedupe of a million rows 60% dearer); they stay in link
		// mode, where the one-to-one match of a thin record matters most.
		all = slices.DeleteFunc(all, func(ps *pass) bool { return ps.noFit })
	}
	var total int64
	for _, ps := range all {
		total += buildPass(ps, t, nLeft, link, opt.MaxBlock, opt.Workers)
		st.CappedKeys += len(ps.capped)
	}
	st.Block = time.Since(mark)

	// Fit the model on a sample of blocks (all of them when there are few).
	mark = time.Now()
	const sampleTarget = 1_000_000
	mod := uint64(1)
	if total > sampleTarget {
		mod = uint64((total + sampleTarget - 1) / sampleTarget)
	}
	// hists[worker][pass] counts comparison patterns.
	hists := make([][][]float64, opt.Workers)
	for w := range hists {
		hists[w] = make([][]float64, len(all))
		for p := range all {
			hists[w][p] = make([]float64, numPatterns)
		}
	}
	forEachPair(t, all, link, opt.Workers, func(b *block) bool { return b.key%mod == 0 },
		func(w, p, i, j int) {
			var lv [numFields]uint8
			compare(t, i, j, &lv)
			hists[w][p][patternOf(&lv)]++
		}, nil)
	hist := make([]float64, numPatterns)
	for w := range hists {
		for p := range all {
			if all[p].noFit {
				continue
			}
			for k, c := range hists[w][p] {
				hist[k] += c * float64(mod) // sampled counts stand for all candidates
			}
		}
	}
	// At most one match per record of the smaller side (link), or per
	// record (dedupe).
	maxMatches := float64(len(recs))
	nr := float64(len(recs) - nLeft)
	totalPairs := float64(nLeft) * nr
	if link {
		maxMatches = float64(min(nLeft, len(recs)-nLeft))
	} else {
		totalPairs = float64(len(recs)) * float64(len(recs)-1) / 2
	}
	md := fitModel(hist, randomPairLevels(t, nLeft, link), maxMatches, max(totalPairs, 1))
	res.Model = md
	st.Fit = time.Since(mark)

	// Score every candidate.
	mark = time.Now()
	threshold := float32(math.Log2(opt.Threshold / (1 - opt.Threshold)))
	if opt.Threshold >= 1 {
		threshold = float32(math.Inf(1))
	}
	kept := make([][]scored, opt.Workers)
	counts := make([]int64, opt.Workers*8) // padded against false sharing
	var done atomic.Int64
	var progress func(int64)
	if opt.Progress != nil {
		opt.Progress(0, total)
		progress = func(n int64) { opt.Progress(done.Add(n), total) }
	}
	forEachPair(t, all, link, opt.Workers, nil, func(w, _, i, j int) {
		var lv [numFields]uint8
		compare(t, i, j, &lv)
		counts[w*8]++
		s := md.logit(t, i, j, &lv, nil)
		if opt.Observe != nil {
			r := j
			if link {
				r -= nLeft
			}
			opt.Observe(i, r, probability(s))
		}
		if s >= threshold {
			kept[w] = append(kept[w], scored{uint32(i), uint32(j), s})
		}
	}, progress)
	for w := range opt.Workers {
		st.CandidatePairs += counts[w*8]
	}
	st.Score = time.Since(mark)

	var pairs []scored
	for _, k := range kept {
		pairs = append(pairs, k...)
	}
	// Best first; ties broken by position so that results are the same on
	// every run whatever the scheduling.
	sort.Slice(pairs, func(a, b int) bool {
		if pairs[a].logit != pairs[b].logit {
			return pairs[a].logit > pairs[b].logit
		}
		if pairs[a].i != pairs[b].i {
			return pairs[a].i < pairs[b].i
		}
		return pairs[a].j < pairs[b].j
	})
	res.Pairs = make([]Pair, len(pairs))
	for k, p := range pairs {
		res.Pairs[k] = explain(md, t, int(p.i), int(p.j))
	}
	st.Total = time.Since(start)
	return res, t
}

// explain scores one pair with its explanation.
func explain(md *Model, t *table, i, j int) Pair {
	var lv [numFields]uint8
	var contrib [numFields]float32
	compare(t, i, j, &lv)
	s := md.logit(t, i, j, &lv, &contrib)
	p := Pair{Left: i, Right: j, Score: probability(s)}
	p.Explanation.Prior = md.prior
	for f := 0; f < numFields; f++ {
		p.Explanation.Fields[f] = FieldEvidence{Field: fieldNames[f], Level: levelNames[f][lv[f]], Weight: float64(contrib[f])}
	}
	return p
}

// randomPairLevels returns, per field, how often each level occurs among
// random pairs — almost all non-matches — as the starting point for u.
func randomPairLevels(t *table, nLeft int, link bool) [numFields][]float64 {
	// Start from typical values worth 1,000 pairs, so that small inputs
	// (a few dozen records have few distinct pairs) still get sensible u.
	var acc [numFields][]float64
	for f := range acc {
		acc[f] = make([]float64, numLevels[f])
		for l := 1; l < numLevels[f]; l++ {
			acc[f][l] = 1000 * defaultU[f][l]
		}
	}
	n := len(t.p)
	if n < 2 || link && (nLeft == 0 || nLeft == n) {
		return acc
	}
	possible := float64(nLeft) * float64(n-nLeft)
	if !link {
		possible = float64(n) * float64(n-1) / 2
	}
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: same model on every run
	for range int(min(200_000, 10*possible)) {
		var i, j int
		if link {
			i, j = rng.IntN(nLeft), nLeft+rng.IntN(n-nLeft)
		} else {
			i, j = rng.IntN(n), rng.IntN(n)
			if i == j {
				continue
			}
		}
		var lv [numFields]uint8
		compare(t, i, j, &lv)
		for f := range acc {
			if lv[f] > 0 {
				acc[f][lv[f]]++
			}
		}
	}
	return acc
}

// defaultU is how often each level occurs between two different people
// in a typical register, for inputs too small to say.
var defaultU = [numFields][]float64{
	fName:      {0, 0.97, 0.014, 0.001, 0.005, 0.005, 0.002, 0.002, 0.001},
	fGuardian:  {0, 0.97, 0.014, 0.001, 0.005, 0.005, 0.002, 0.002, 0.001},
	fBirthYear: {0, 0.40, 0.27, 0.17, 0.11, 0.05},
	fSex:       {0, 0.5, 0.5},
	fPlace:     {0, 0.80, 0.15, 0.04, 0.005, 0.005},
	fPhone:     {0, 0.9999, 0.0001},
}

// villageGenericMin is how many distinct names a village (within its
// district) must hold before it is treated as a generic address: twenty
// times the median of villages that appear more than once, and at least
// thirty. Real villages grow with the data; a shelter or a brothel's street
// given as everyone's "village" stands far out.
func villageGenericMin(t *table) int {
	counts := map[uint64]int{}
	for i := range t.p {
		if v := t.p[i].village; v != 0 {
			counts[combine(v, t.p[i].district)]++
		}
	}
	var sizes []int
	for _, c := range counts {
		if c > 1 {
			sizes = append(sizes, c)
		}
	}
	if len(sizes) == 0 {
		return 30
	}
	slices.Sort(sizes)
	return max(30, 20*sizes[len(sizes)/2])
}
