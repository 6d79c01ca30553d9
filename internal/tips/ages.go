package tips

import "strings"

// Ages describes how ages are written, so that "girls 16-21", "१५ से २० साल
// की लड़कियां" and "umar 17 chalega" all count, while "salary 15-20
// hazar" and "10 years experience" do not. It is part of the lexicon.
type Ages struct {
	Rules      []AgeRule `json:"rules"`
	Before     []string  `json:"before"`     // words that announce an age: age, umar, उम्र …
	After      []string  `json:"after"`      // words that follow one: years, saal, বছর … (prefix match)
	Connectors []string  `json:"connectors"` // between the two ends of a range: to, se, থেকে …
	NotAge     []string  `json:"not_age"`    // words after a number that make it money, time or a count (prefix match)
	NotBefore  []string  `json:"not_before"` // words before a number that make it something else: rs, class, since …
}

// AgeRule makes an indicator hit when a stated age, or the lower end of a
// stated age range, lies in [LowMin, LowMax] and its upper end is at most
// HighMax (0: no limit).
type AgeRule struct {
	Indicator string `json:"indicator"`
	LowMin    int    `json:"low_min"`
	LowMax    int    `json:"low_max"`
	HighMax   int    `json:"high_max"`
}

// ageMatcher is Ages folded like the text.
type ageMatcher struct {
	rules                                        []ageRule
	before, after, connectors, notAge, notBefore []string
}

type ageRule struct {
	AgeRule
	indicator int
}

func compileAges(a Ages, indicators map[string]int) *ageMatcher {
	fold := func(ws []string) []string {
		out := make([]string, 0, len(ws))
		for _, w := range ws {
			if f := foldPattern(w); f != "" {
				out = append(out, f)
			}
		}
		return out
	}
	m := &ageMatcher{before: fold(a.Before), after: fold(a.After), connectors: fold(a.Connectors),
		notAge: fold(a.NotAge), notBefore: fold(a.NotBefore)}
	for _, r := range a.Rules {
		m.rules = append(m.rules, ageRule{AgeRule: r, indicator: indicators[r.Indicator]})
	}
	return m
}

func in(w string, set []string) bool {
	for _, s := range set {
		if w == s {
			return true
		}
	}
	return false
}

func hasPrefixIn(w string, set []string) bool {
	for _, s := range set {
		if strings.HasPrefix(w, s) {
			return true
		}
	}
	return false
}

func smallNumber(w string) (int, bool) {
	if len(w) == 0 || len(w) > 2 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return 0, false
		}
		n = n*10 + int(w[i]-'0')
	}
	return n, true
}

// find calls hit(indicator, firstWord, lastWord) for every age statement
// that satisfies a rule.
func (m *ageMatcher) find(text string, f *folded, hit func(ind int, ws, we int32)) {
	if len(m.rules) == 0 {
		return
	}
	word := func(i int) string {
		if i < 0 || i >= len(f.words) {
			return ""
		}
		return string(f.buf[f.words[i].foldStart:f.words[i].foldEnd])
	}
	for i := 0; i < len(f.words); i++ {
		w := f.words[i]
		if w.foldEnd-w.foldStart > 2 || f.buf[w.foldStart] < '1' || f.buf[w.foldStart] > '9' {
			continue // not a number of two digits: most words, and no allocation
		}
		a, ok := smallNumber(word(i))
		if !ok || a < 10 {
			continue
		}
		prev := word(i - 1)
		if in(prev, m.notBefore) {
			continue
		}
		lo, hi, end := a, a, i
		j := i + 1
		if in(word(j), m.connectors) {
			j++
		}
		if b, ok := smallNumber(word(j)); ok && b > a && b-a <= 15 {
			hi, end = b, j
		}
		next := word(end + 1)
		if hasPrefixIn(next, m.notAge) {
			continue
		}
		first, last := i, end
		ctx := false
		if in(prev, m.before) {
			ctx, first = true, i-1
		}
		if next != "" && hasPrefixIn(next, m.after) {
			if hasPrefixIn(word(end+2), m.notAge) {
				continue // "10 years experience"
			}
			ctx, last = true, end+1
		}
		if !ctx && end == i {
			if e := int(f.words[i].origEnd); e < len(text) && text[e] == '+' {
				ctx = true // "16+"
			}
		}
		if !ctx && !(end > i && lo >= 13 && lo <= 25 && hi <= 35) {
			continue
		}
		for _, r := range m.rules {
			if lo >= r.LowMin && lo <= r.LowMax && (r.HighMax == 0 || hi <= r.HighMax) {
				hit(r.indicator, int32(first), int32(last+1))
			}
		}
		i = end
	}
}
