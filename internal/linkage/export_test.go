package linkage

// WithOracle makes Link fit its model from the truth, to measure how good
// the comparisons are apart from the estimation.
func WithOracle(o Options, truth func(left, right int) bool) Options {
	o.oracle = truth
	return o
}

func init() { oracleFit = oracleModel }

var unconditional = true

func SetOracleUnconditional(b bool) { unconditional = b }

func oracleModel(t *table, all []*pass, link bool, nLeft int, opt Options) *Model {
	hm := make([]float64, numPatterns)
	hu := make([]float64, numPatterns)
	forEachPair(all, link, 1, nil, func(_, _, i, j int) {
		var lv [numFields]uint8
		compare(t, i, j, &lv)
		if opt.oracle(i, j-nLeft) {
			hm[patternOf(&lv)]++
		} else {
			hu[patternOf(&lv)]++
		}
	}, nil)
	md := &Model{}
	nm, nu := 0.0, 0.0
	for f := 0; f < numFields; f++ {
		ma, ua := make([]float64, numLevels[f]), make([]float64, numLevels[f])
		for p := range hm {
			lv := levelsOf(p)
			ma[lv[f]] += hm[p]
			ua[lv[f]] += hu[p]
		}
		md.M[f], md.U[f] = smooth(ma), smooth(ua)
	}
	for p := range hm {
		nm += hm[p]
		nu += hu[p]
	}
	md.Lambda = nm / (nm + nu)
	if unconditional {
		ru := randomPairLevels(t, nLeft, link)
		for f := 0; f < numFields; f++ {
			md.U[f] = smooth(ru[f])
		}
		md.Lambda = nm / float64(nLeft*(len(t.p)-nLeft))
	}
	md.finish()
	return md
}
