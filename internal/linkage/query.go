package linkage

import "math"

// Single-record queries: the application matches one new record against the
// handful of candidates its blind index proposes. Fitting a model by
// expectation–maximisation on a dozen pairs says nothing, so a query uses a
// fixed model: m from what is known of how one person's records vary
// (initialM, the centre of EM's prior), u from a typical register
// (defaultU), and a prior sized for the register queried.

// DefaultModel returns the fixed model for single-record queries against a
// register of about population people: the prior that a new record and one
// random record of the register are the same person is 1/population (at
// least 1,000, so that a small new platform does not lower the bar).
func DefaultModel(population int) *Model {
	md := &Model{Lambda: 1 / float64(max(population, 1000))}
	for f := 0; f < numFields; f++ {
		md.M[f] = normalise(append([]float64(nil), initialM[f]...))
		md.U[f] = normalise(append([]float64(nil), defaultU[f]...))
	}
	md.finish()
	return md
}

// Query scores rec against every candidate under md (DefaultModel when
// nil) and returns one Pair per candidate, in the candidates' order: Left
// is 0, Right the candidate's index, with the score and its explanation.
// Names are not adjusted by how common they are (a handful of candidates
// says nothing of that) and nothing is marked generic.
func Query(rec Record, candidates []Record, md *Model, places PlaceResolver) []Pair {
	if md == nil {
		md = DefaultModel(0)
	}
	if places == nil {
		places = &gazetteerPlaces{}
	}
	recs := make([]*Record, 0, len(candidates)+1)
	recs = append(recs, &rec)
	for i := range candidates {
		recs = append(recs, &candidates[i])
	}
	t := prepareTable(recs, places, 1)
	out := make([]Pair, len(candidates))
	for k := range candidates {
		p := explain(md, t, 0, k+1)
		p.Right = k
		out[k] = p
	}
	return out
}

// Bits is a probability as the log-odds, in bits, that Explanation weights
// add up to.
func Bits(p float64) float64 { return math.Log2(p / (1 - p)) }
