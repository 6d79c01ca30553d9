package tips

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"atip/internal/selectors"
)

// Threshold is the score at and above which a post needs an analyst's look.
const Threshold = 0.5

// Hit is one matched indicator in a text.
type Hit struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Category string `json:"category"`
	Start    int    `json:"start"` // byte offsets into the original text
	End      int    `json:"end"`
}

// Contribution says how much one category, or pair of categories, added to
// the log-odds of a score.
type Contribution struct {
	Term     string  `json:"term"`     // category id, or "a+b" for a pair
	Evidence float64 `json:"evidence"` // x_c, or x_a·x_b
	LogOdds  float64 `json:"log_odds"` // coefficient × evidence
}

// Result is a scored text with its explanation.
type Result struct {
	Score         float64        `json:"score"`
	Hits          []Hit          `json:"indicators"`
	Contributions []Contribution `json:"contributions"`
	Version       string         `json:"version"`
}

// Scorer matches the lexicon and applies the model. Build one with
// NewScorer and share it; Score is safe for concurrent use.
type Scorer struct {
	lex     *Lexicon
	model   *Model
	version string
	ac      *automaton
	parts   []part       // automaton pattern i is parts[i]
	rules   []rule       // one per lexicon pattern
	ind     []*Indicator // by indicator index
	cats    []string     // sorted category ids
	catIdx  map[string]int
	indCat  []int       // indicator index → category index
	weights []float64   // per category
	pairs   []pairCoeff // non-zero pairs
	ages    *ageMatcher
	pool    sync.Pool
}

type part struct {
	prefix bool // the last word may continue ("ladki*" matches "ladkiyan")
	rule   int
	second bool // the part after "..." in a proximity rule
}

// rule is one lexicon pattern; a proximity rule "a ... b" hits when b starts
// within maxGap words after a ends.
type rule struct {
	indicator int
	proximity bool
}

const maxGap = 4

// maxSpans is the most spans reported per indicator in one text.
const maxSpans = 16

type pairCoeff struct {
	a, b int
	w    float64
	key  string
}

// NewScorer compiles a lexicon and a model. A model that names a category
// the lexicon does not have is an error: it was fitted for another lexicon.
func NewScorer(lex *Lexicon, m *Model) (*Scorer, error) {
	s := &Scorer{lex: lex, model: m, version: m.Version(), catIdx: map[string]int{}}
	s.cats = lex.sortedCategories()
	for i, c := range s.cats {
		s.catIdx[c] = i
	}
	s.weights = make([]float64, len(s.cats))
	for c, w := range m.Weights {
		i, ok := s.catIdx[c]
		if !ok {
			return nil, fmt.Errorf("model: unknown category %q", c)
		}
		s.weights[i] = w
	}
	pairKeys := make([]string, 0, len(m.Pairs))
	for k := range m.Pairs {
		pairKeys = append(pairKeys, k)
	}
	sort.Strings(pairKeys)
	for _, k := range pairKeys {
		a, b, ok := strings.Cut(k, "+")
		ia, oka := s.catIdx[a]
		ib, okb := s.catIdx[b]
		if !ok || !oka || !okb || ia == ib {
			return nil, fmt.Errorf("model: bad pair %q", k)
		}
		if w := m.Pairs[k]; w != 0 {
			s.pairs = append(s.pairs, pairCoeff{a: ia, b: ib, w: w, key: PairKey(a, b)})
		}
	}
	var pats []string
	for ii := range lex.Indicators {
		in := &lex.Indicators[ii]
		s.ind = append(s.ind, in)
		s.indCat = append(s.indCat, s.catIdx[in.Category])
		for _, p := range in.Patterns {
			ps := strings.Split(p, "...")
			r := len(s.rules)
			s.rules = append(s.rules, rule{indicator: ii, proximity: len(ps) == 2})
			if len(ps) > 2 {
				return nil, fmt.Errorf("lexicon: pattern %q: at most one '...'", p)
			}
			for k, raw := range ps {
				raw = strings.TrimSpace(raw)
				prefix := strings.HasSuffix(raw, "*")
				pats = append(pats, foldPattern(strings.TrimSuffix(raw, "*")))
				s.parts = append(s.parts, part{prefix: prefix, rule: r, second: k == 1})
			}
		}
	}
	s.ac = newAutomaton(pats)
	byID := map[string]int{}
	for i, in := range s.ind {
		byID[in.ID] = i
	}
	s.ages = compileAges(lex.Ages, byID)
	s.pool.New = func() any { return &scratch{} }
	return s, nil
}

// Default returns the Scorer for the embedded lexicon and model, built once
// and shared (a Scorer is immutable and safe for concurrent use).
func Default() (*Scorer, error) { return defaultScorer() }

var defaultScorer = sync.OnceValues(func() (*Scorer, error) {
	lex, err := DefaultLexicon()
	if err != nil {
		return nil, err
	}
	m, err := DefaultModel()
	if err != nil {
		return nil, err
	}
	return NewScorer(lex, m)
})

// Version is the lexicon and model version of every score this Scorer gives.
func (s *Scorer) Version() string { return s.version }

// Lexicon returns the lexicon in use (read only).
func (s *Scorer) Lexicon() *Lexicon { return s.lex }

type scratch struct {
	f       folded
	perInd  []uint8
	matches []match
}

type match struct {
	rule      int
	wStart    int32 // first word index
	wEnd      int32 // last word index + 1
	second    bool
	indicator int
}

// Score scores one text.
func (s *Scorer) Score(text string) Result {
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	hits, x := s.match(sc, text)
	return s.combine(hits, x)
}

// evidence returns the noisy-OR evidence of each category for a text, the
// features the model and Fit work on.
func (s *Scorer) evidence(text string) []float64 {
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	_, x := s.match(sc, text)
	return x
}

func (s *Scorer) match(sc *scratch, text string) ([]Hit, []float64) {
	sc.f.fold(text)
	sc.matches = sc.matches[:0]
	f := &sc.f
	buf := f.buf
	s.ac.scan(buf, func(p int32, end int) {
		pt := s.parts[p]
		start := end - s.ac.lengths[p]
		if start > 0 && buf[start-1] != ' ' && buf[start-1] != sentBreak {
			return // not at the start of a word
		}
		if !pt.prefix && end < len(buf) && buf[end] != ' ' && buf[end] != sentBreak {
			return // not at the end of a word
		}
		ws := wordAt(f.words, int32(start))
		we := wordAt(f.words, int32(end-1)) + 1
		sc.matches = append(sc.matches, match{rule: pt.rule, wStart: ws, wEnd: we, second: pt.second, indicator: s.rules[pt.rule].indicator})
	})
	var hits []Hit
	x := make([]float64, len(s.cats))
	// perInd counts the spans kept per indicator: the first maxSpans are
	// enough to highlight, and a text that repeats a phrase a thousand
	// times must not cost a thousand squared.
	perInd := sc.perInd[:0]
	for range s.ind {
		perInd = append(perInd, 0)
	}
	sc.perInd = perInd
	add := func(ind int, ws, we int32) {
		in := s.ind[ind]
		start, end := int(f.words[ws].origStart), int(f.words[we-1].origEnd)
		if perInd[ind] >= maxSpans {
			return
		}
		if perInd[ind] > 0 {
			for _, h := range hits {
				if h.Start == start && h.End == end && h.ID == in.ID {
					return
				}
			}
		} else {
			c := s.indCat[ind]
			x[c] = 1 - (1-x[c])*(1-in.Weight)
		}
		perInd[ind]++
		hits = append(hits, Hit{ID: in.ID, Label: in.Label, Category: in.Category, Start: start, End: end})
	}
	// Second parts of proximity rules, by rule.
	var seconds map[int][]match
	for _, m := range sc.matches {
		if m.second {
			if seconds == nil {
				seconds = map[int][]match{}
			}
			if len(seconds[m.rule]) < 4*maxSpans {
				seconds[m.rule] = append(seconds[m.rule], m)
			}
		}
	}
	for _, m := range sc.matches {
		if !s.rules[m.rule].proximity {
			add(m.indicator, m.wStart, m.wEnd)
			continue
		}
		if m.second {
			continue
		}
		// A proximity rule: its second part must start shortly after, in the same sentence.
		for _, n := range seconds[m.rule] {
			if n.wStart < m.wEnd || n.wStart-m.wEnd > maxGap {
				continue
			}
			if sameSentence(f, m.wEnd-1, n.wStart) {
				add(m.indicator, m.wStart, n.wEnd)
				break
			}
		}
	}
	s.ages.find(text, f, add)
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Start < hits[j].Start })
	return hits, x
}

func sameSentence(f *folded, a, b int32) bool {
	for i := a; i < b; i++ {
		if f.buf[f.words[i].foldEnd] == sentBreak {
			return false
		}
	}
	return true
}

// wordAt returns the index of the word whose folded form contains byte i.
func wordAt(ws []word, i int32) int32 {
	lo, hi := 0, len(ws)
	for lo < hi {
		m := (lo + hi) / 2
		if ws[m].foldEnd <= i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return int32(lo)
}

func (s *Scorer) logOdds(x []float64) float64 {
	z := s.model.Bias
	for c, v := range x {
		z += s.weights[c] * v
	}
	for _, p := range s.pairs {
		z += p.w * x[p.a] * x[p.b]
	}
	return z
}

func (s *Scorer) combine(hits []Hit, x []float64) Result {
	r := Result{Hits: hits, Version: s.version}
	if hits == nil {
		r.Hits = []Hit{}
	}
	z := s.logOdds(x)
	for c, v := range x {
		if v > 0 && s.weights[c] != 0 {
			r.Contributions = append(r.Contributions, Contribution{Term: s.cats[c], Evidence: round(v), LogOdds: round(s.weights[c] * v)})
		}
	}
	for _, p := range s.pairs {
		if v := x[p.a] * x[p.b]; v > 0 {
			r.Contributions = append(r.Contributions, Contribution{Term: p.key, Evidence: round(v), LogOdds: round(p.w * v)})
		}
	}
	sort.SliceStable(r.Contributions, func(i, j int) bool {
		return math.Abs(r.Contributions[i].LogOdds) > math.Abs(r.Contributions[j].LogOdds)
	})
	r.Score = round(sigmoid(z))
	return r
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// round keeps four decimals: enough to rank, and stable in JSON output.
func round(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// Assessment is everything the analyst's queue shows of one text: the
// score with its explanation and the selectors that may link it to others.
type Assessment struct {
	Result
	Selectors []selectors.Selector `json:"selectors"`
}

// Assess scores text and extracts its selectors.
func (s *Scorer) Assess(text string) Assessment {
	sel := selectors.Extract(text)
	if sel == nil {
		sel = []selectors.Selector{}
	}
	return Assessment{Result: s.Score(text), Selectors: sel}
}
