package linkage

import (
	"fmt"
	"math"
	"strings"
)

// Model holds the Fellegi–Sunter parameters of one run.
type Model struct {
	// Lambda is the probability that two records picked at random are the
	// same person.
	Lambda float64
	// M[f][l] and U[f][l] are the probabilities that field f agrees at
	// level l among matching and non-matching pairs (level 0, missing, is
	// left out of both).
	M, U [numFields][]float64
	// W[f][l] is the weight of level l of field f in bits, log2(m/u), made
	// non-decreasing in l so that more agreement never lowers a score.
	W [numFields][]float64
	// Iterations of expectation–maximisation run.
	Iterations int

	prior float64 // log2(λ/(1−λ))
	w32   [numFields][]float32
	patW  []float32 // sum of weights per comparison pattern, before term frequency
}

// Limits that keep a few odd values from dominating.
const (
	maxWeight = 14.0 // bits, for one field level
	tfMaxUp   = 5.0  // bits a rare value can add
	tfMaxDown = 6.0  // bits a common value can take away
)

// initialM is what is known, before seeing the data, of how one person's
// records agree: names mostly spelled alike or one a part of the other
// (a single name against a full one), ages estimated a few years off,
// the family's village and phone usually the same. It is where EM starts
// and the centre of its prior on m.
var initialM = [numFields][]float64{
	fName:      {0, 0.01, 0.02, 0.02, 0.05, 0.23, 0.10, 0.19, 0.38},
	fGuardian:  {0, 0.05, 0.05, 0.02, 0.05, 0.20, 0.10, 0.15, 0.38},
	fBirthYear: {0, 0.02, 0.08, 0.20, 0.35, 0.35},
	fSex:       {0, 0.02, 0.98},
	fPlace:     {0, 0.05, 0.05, 0.30, 0.10, 0.50},
	fPhone:     {0, 0.20, 0.80},
}

// fitModel estimates the model.
//
// u is taken from random pairs, which are almost all non-matches, and kept
// fixed: it is P(level | not a match) over all pairs (uRandom holds counts
// per field and level). m and the share of matches among the candidate
// pairs (whose pattern counts are hist) are estimated by
// expectation–maximisation, with a Dirichlet prior on m centred on
// initialM and worth priorPairs pairs. The prior matters: blocking makes
// every candidate agree on something (a name word, a district, a family's
// phone), and plain EM is free to call whichever of those structures is
// strongest — "same family", "same name in the same district" — the
// matching class. With the prior, EM moves m where the data clearly say so
// and stays near what is known about how one person's records vary where
// they do not. The share of matches is bounded by maxMatches (in link mode
// no more pairs can match than the smaller side has records) and turned
// into the prior that two records picked at random match, the prior that
// goes with unconditional u.
func fitModel(hist []float64, uRandom [numFields][]float64, maxMatches, totalPairs float64) *Model {
	md := &Model{}
	var prior [numFields][]float64
	for f := 0; f < numFields; f++ {
		md.U[f] = normalise(append([]float64(nil), uRandom[f]...))
		prior[f] = normalise(append([]float64(nil), initialM[f]...))
	}
	candidates := 0.0
	for _, c := range hist {
		candidates += c
	}
	lambda := 0.0
	md.M = prior
	if candidates > 0 {
		md.M, md.U, lambda, md.Iterations = em(hist, prior, md.U, priorPairs, 0.01, min(0.5, maxMatches/candidates))
	}
	md.Lambda = min(max(lambda, 1e-12), 0.5)
	md.finish()
	return md
}

// priorPairs is the weight of initialM in the estimate of m, in pairs.
const priorPairs = 2000

// em runs expectation–maximisation over the pattern counts hist with u
// fixed and a prior on m worth priorN pairs, and returns m, the share of
// matches (at most maxLambda) and the iterations run.
func em(hist []float64, prior, u [numFields][]float64, priorN, lambda, maxLambda float64) ([numFields][]float64, [numFields][]float64, float64, int) {
	m0 := prior
	u0 := u
	type pat struct {
		lv [numFields]uint8
		n  float64
	}
	var pats []pat
	total := 0.0
	for p, c := range hist {
		if c > 0 {
			pats = append(pats, pat{levelsOf(p), c})
			total += c
		}
	}
	var m [numFields][]float64
	for f := range m {
		m[f] = append([]float64(nil), m0[f]...)
	}
	lambda = min(lambda, maxLambda)
	var mAcc, uAcc [numFields][]float64
	for f := range mAcc {
		mAcc[f] = make([]float64, numLevels[f])
		uAcc[f] = make([]float64, numLevels[f])
	}
	u = [numFields][]float64{}
	for f := range u {
		u[f] = append([]float64(nil), u0[f]...)
	}
	it := 0
	for it < 200 {
		it++
		for f := range mAcc {
			clear(mAcc[f])
			clear(uAcc[f])
		}
		sumG := 0.0
		for _, p := range pats {
			lm, lu := math.Log(lambda), math.Log(1-lambda)
			for f := 0; f < numFields; f++ {
				if l := p.lv[f]; l > 0 {
					lm += math.Log(m[f][l])
					lu += math.Log(u[f][l])
				}
			}
			g := 1 / (1 + math.Exp(lu-lm))
			sumG += g * p.n
			for f := 0; f < numFields; f++ {
				if l := p.lv[f]; l > 0 {
					mAcc[f][l] += g * p.n
					uAcc[f][l] += (1 - g) * p.n
				}
			}
		}
		newLambda := min(max(sumG/total, 1e-9), maxLambda)
		change := math.Abs(newLambda - lambda)
		lambda = newLambda
		for f := 0; f < numFields; f++ {
			for l := 1; l < numLevels[f]; l++ {
				mAcc[f][l] += priorN * prior[f][l]
			}
			for l := 1; l < numLevels[f]; l++ {
				uAcc[f][l] += priorN * u0[f][l]
			}
			nm := smooth(mAcc[f])
			u[f] = smooth(uAcc[f])
			capM(nm, mCaps[f])
			monotone(nm, u[f])
			for l := 1; l < numLevels[f]; l++ {
				change = max(change, math.Abs(nm[l]-m[f][l]))
			}
			m[f] = nm
		}
		if change < 1e-6 {
			break
		}
	}
	return m, u, lambda, it
}

// mCaps bound m at the levels of clear disagreement (0 = no bound): the
// same person's name is recorded entirely differently, or only one word of
// it alike, rarely; the sex rarely differs; an age rarely puts the birth
// years more than five uncertainties apart. Candidate pairs have other
// strong structure — a family's children share a father, a village and a
// phone but not a name — and EM left free will take that for the matching
// class. These bounds are what an analyst knows before seeing any data; EM
// still estimates every m from the data within them.
var mCaps = [numFields][]float64{
	fName:      {0, 0.02, 0.10},
	fBirthYear: {0, 0.05},
	fSex:       {0, 0.03},
}

// capM lowers m at capped levels and spreads the excess over the other
// levels in proportion.
func capM(m, caps []float64) {
	excess, free := 0.0, 0.0
	for l := 1; l < len(m); l++ {
		if l < len(caps) && caps[l] > 0 && m[l] > caps[l] {
			excess += m[l] - caps[l]
			m[l] = caps[l]
		} else if l >= len(caps) || caps[l] == 0 {
			free += m[l]
		}
	}
	if excess == 0 || free == 0 {
		return
	}
	for l := 1; l < len(m); l++ {
		if l >= len(caps) || caps[l] == 0 {
			m[l] += excess * m[l] / free
		}
	}
}

// monotone makes the likelihood ratio m/u non-decreasing in the level, by
// pooling adjacent levels that violate it (the pool-adjacent-violators
// algorithm; within a pool m is proportional to u). This is what we know
// before seeing any data — agreeing more on a name is never evidence
// against a match — and it keeps EM from settling on another structure the
// candidates have, such as "same family, different name" (siblings share a
// father, a village and a phone).
func monotone(m, u []float64) {
	type pool struct {
		m, u   float64
		lo, hi int
	}
	var st []pool
	for l := 1; l < len(m); l++ {
		st = append(st, pool{m[l], u[l], l, l})
		for len(st) > 1 {
			a, b := st[len(st)-2], st[len(st)-1]
			if a.m*b.u <= b.m*a.u { // ratio(a) <= ratio(b)
				break
			}
			st = append(st[:len(st)-2], pool{a.m + b.m, a.u + b.u, a.lo, b.hi})
		}
	}
	for _, p := range st {
		for l := p.lo; l <= p.hi; l++ {
			m[l] = u[l] * p.m / p.u
		}
	}
}

// smooth turns counts per level into probabilities with a small floor, so
// that a level never seen in one class does not get an infinite weight.
func smooth(acc []float64) []float64 {
	out := make([]float64, len(acc))
	sum := 0.0
	for l := 1; l < len(acc); l++ {
		sum += acc[l]
	}
	for l := 1; l < len(acc); l++ {
		out[l] = (acc[l] + 1e-3) / (sum + 1e-3*float64(len(acc)-1))
		out[l] = max(out[l], 1e-6)
	}
	return out
}

func normalise(p []float64) []float64 {
	sum := 0.0
	for l := 1; l < len(p); l++ {
		p[l] = max(p[l], 1e-6)
		sum += p[l]
	}
	for l := 1; l < len(p); l++ {
		p[l] /= sum
	}
	p[0] = 0
	return p
}

// finish derives weights from m and u and the per-pattern sums.
func (md *Model) finish() {
	md.prior = math.Log2(md.Lambda / (1 - md.Lambda))
	for f := 0; f < numFields; f++ {
		w := make([]float64, numLevels[f])
		for l := 1; l < numLevels[f]; l++ {
			w[l] = max(-maxWeight, min(maxWeight, math.Log2(md.M[f][l]/md.U[f][l])))
			if l > 1 {
				w[l] = max(w[l], w[l-1]) // more agreement never lowers a score
			}
		}
		md.W[f] = w
		md.w32[f] = make([]float32, len(w))
		for l, x := range w {
			md.w32[f][l] = float32(x)
		}
	}
	md.patW = make([]float32, numPatterns)
	for p := range md.patW {
		lv := levelsOf(p)
		s := float32(0)
		for f := 0; f < numFields; f++ {
			s += md.w32[f][lv[f]]
		}
		md.patW[p] = s
	}
}

// rarestShared returns the term-frequency adjustment of the rarest word
// key two names share (the smaller of the two records' figures, so the
// result is symmetric), and false when they share none.
func rarestShared(an, bn uint8, atk, btk *[maxTok]uint32, atf, btf *[maxTok]float32) (float32, bool) {
	best, found := float32(0), false
	for i := uint8(0); i < an; i++ {
		for j := uint8(0); j < bn; j++ {
			if atk[i] == btk[j] {
				v := min(atf[i], btf[j])
				if !found || v > best {
					best, found = v, true
				}
			}
		}
	}
	return best, found
}

// nameWeight is the weight of a name comparison at level l, adjusted by the
// rarity of the rarest word the names share: agreeing on Sushesha says more
// than agreeing on Puja. An adjusted weight is kept at or above the level
// below, so that rare or common, more agreement never lowers a score.
func nameWeight(w []float32, l uint8, tf float32) float32 {
	if l < namePartialFirst {
		return w[l]
	}
	return max(w[l]+tf, w[l-1])
}

// logit returns the score of a pair in bits (log2 of the odds of a
// match) and, when contrib is not nil, each field's contribution.
func (md *Model) logit(t *table, i, j int, lv *[numFields]uint8, contrib *[numFields]float32) float32 {
	s := md.patW[patternOf(lv)]
	a, b := &t.p[i], &t.p[j]
	var adj [numFields]float32
	if l := lv[fName]; l >= namePartialFirst {
		an, bn, atk, btk, atf, btf := a.nameN, b.nameN, &a.nameTK, &b.nameTK, &a.tfName, &b.tfName
		if usesImplied(a, b) {
			va, vb := nameViews(t, i, j)
			an, bn, atk, btk, atf, btf = va.n, vb.n, va.tk, vb.tk, va.tf, vb.tf
		}
		if tf, ok := rarestShared(an, bn, atk, btk, atf, btf); ok {
			adj[fName] = nameWeight(md.w32[fName], l, tf) - md.w32[fName][l]
		}
	}
	if l := lv[fGuardian]; l >= namePartialFirst {
		if tf, ok := rarestShared(a.guardN, b.guardN, &a.guardTK, &b.guardTK, &a.tfGuard, &b.tfGuard); ok {
			adj[fGuardian] = nameWeight(md.w32[fGuardian], l, tf) - md.w32[fGuardian][l]
		}
	}
	if lv[fPlace] == placeVillage {
		w := md.w32[fPlace]
		adj[fPlace] = max(w[placeVillage]+min(a.tfVillage, b.tfVillage), w[placeVillageFuzzy]) - w[placeVillage]
	}
	for f := range adj {
		s += adj[f]
	}
	// Household evidence: a guardian, a village and a phone are shared by
	// everyone in a family, so agreeing on all three says "same family"
	// hardly more strongly than agreeing on one, and "same family" is not
	// "same person". Counting them as independent, as plain Fellegi–Sunter
	// does, is what makes siblings look like one person. So the strongest
	// counts in full and the others at householdShare; and when the names
	// do not agree (at most one word, say the family name, in common),
	// together they may raise the odds of a match at most to householdOdds
	// — those of picking one child of a family at random.
	var hw [3]float32
	best, sum := float32(0), float32(0)
	for k, f := range householdFields {
		hw[k] = md.w32[f][lv[f]] + adj[f]
		if hw[k] > 0 {
			sum += hw[k]
			best = max(best, hw[k])
		}
	}
	kept := best + (sum-best)*householdShare
	if lv[fName] <= namePartial {
		// Same family, another name: the sibling pattern.
		kept = min(kept, max(0, householdOdds-float32(md.prior)))
	}
	cut := sum - kept
	s -= cut
	if contrib != nil {
		for f := 0; f < numFields; f++ {
			contrib[f] = md.w32[f][lv[f]] + adj[f]
		}
		// Show the reduction as shares of the positive household weights.
		if sum > 0 {
			for k, f := range householdFields {
				if hw[k] > 0 {
					contrib[f] -= cut * hw[k] / sum
				}
			}
		}
	}
	return s + float32(md.prior)
}

// householdFields are the fields a family shares.
var householdFields = [3]int{fGuardian, fPlace, fPhone}

// householdShare is how much the second and third agreeing household
// fields count; householdOdds (bits) is the most that household agreement
// may bring the odds of a match to: one in three, a child of a family of
// four picked at random.
const (
	householdShare = 0.3
	householdOdds  = -1.58
)

func probability(logit float32) float64 {
	return 1 / (1 + math.Exp2(-float64(logit)))
}

// String shows the fitted weights, for the curious and for tests.
func (md *Model) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "lambda %.6f (prior %+.2f bits), %d EM iterations\n", md.Lambda, md.prior, md.Iterations)
	for f := 0; f < numFields; f++ {
		fmt.Fprintf(&b, "%s:", fieldNames[f])
		for l := 1; l < numLevels[f]; l++ {
			fmt.Fprintf(&b, " %s m=%.3f u=%.4f w=%+.2f;", levelNames[f][l], md.M[f][l], md.U[f][l], md.W[f][l])
		}
		b.WriteByte('\n')
	}
	return b.String()
}
