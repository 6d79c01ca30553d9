package gazetteer

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"atip/internal/translit"
)

// Ranks of a match: the official name beats an alternate.
const (
	rankName = 0
	rankAlt  = 1
)

type hit struct {
	p    *Place
	rank int
}

// prefixEntry is one searchable string for Search: the key or the plain
// lower-case form of a name, from its first word (inner=false) or from a
// later word (inner=true, so "parg" finds "South 24 Parganas").
type prefixEntry struct {
	text  string
	p     *Place
	rank  int
	inner bool
}

func (gz *gazetteer) index() {
	for _, p := range gz.all {
		gz.addName(p, p.Name, rankName)
		for _, a := range p.Alt {
			gz.addName(p, a, rankAlt)
		}
	}
	for _, hs := range gz.keys {
		slices.SortFunc(hs, compareHits)
	}
	for _, hs := range gz.script {
		slices.SortFunc(hs, compareHits)
	}
	slices.SortFunc(gz.prefixes, func(a, b prefixEntry) int { return strings.Compare(a.text, b.text) })
}

func compareHits(a, b hit) int {
	return cmp.Or(
		cmp.Compare(a.rank, b.rank),
		cmp.Compare(a.p.Level, b.p.Level),
		strings.Compare(a.p.Code, b.p.Code),
	)
}

func (gz *gazetteer) addName(p *Place, name string, rank int) {
	addHit(gz.keys, Key(name), p, rank)
	if translit.Has(name) {
		addHit(gz.script, scriptKey(name), p, rank)
	}
	toks := tokens(name)
	for i := range toks {
		texts := make([]string, 0, len(toks)-i)
		for _, t := range toks[i:] {
			texts = append(texts, t.text)
		}
		inner := i > 0
		for _, text := range []string{strings.Join(texts, ""), Key(strings.Join(texts, " "))} {
			if text != "" {
				gz.prefixes = append(gz.prefixes, prefixEntry{text, p, rank, inner})
			}
		}
	}
}

func addHit(m map[string][]hit, k string, p *Place, rank int) {
	if k == "" {
		return
	}
	hs := m[k]
	for i := range hs {
		if hs[i].p == p {
			hs[i].rank = min(hs[i].rank, rank)
			return
		}
	}
	m[k] = append(hs, hit{p, rank})
}

// Match returns the places whose name or an alternate name has the same Key
// as name (for a name in Devanagari or Bengali script, the places listing
// that local-script name if any, else those matching its romanisation), best
// first: official names before alternates, then countries
// before states before districts, then by code. within restricts the result
// to one place and what lies in it (any level; "" for everywhere). When no
// name matches and name is a place code, that place is returned.
//
// Several results mean the name is genuinely ambiguous at that scope
// (Aurangabad is a district of Bihar and the former name of one in
// Maharashtra); narrow within, or use Resolve.
func Match(name, within string) []*Place {
	hs := matchHits(name, within, 0)
	out := make([]*Place, len(hs))
	for i, h := range hs {
		out[i] = h.p
	}
	return out
}

// MatchLevel is Match restricted to places of one level.
func MatchLevel(name, within string, level Level) []*Place {
	hs := matchHits(name, within, level)
	out := make([]*Place, len(hs))
	for i, h := range hs {
		out[i] = h.p
	}
	return out
}

func matchHits(name, within string, level Level) []hit {
	gz := data()
	var out []hit
	collect := func(hs []hit) {
		for _, h := range hs {
			if (level == 0 || h.p.Level == level) && Within(h.p.Code, within) {
				out = append(out, h)
			}
		}
	}
	if translit.Has(name) {
		collect(gz.script[scriptKey(name)])
	}
	if len(out) == 0 {
		collect(gz.keys[Key(name)])
	}
	if len(out) == 0 {
		if p, ok := gz.byCode[normCode(name)]; ok && (level == 0 || p.Level == level) && Within(p.Code, within) {
			out = append(out, hit{p, rankName})
		}
	}
	return out
}

// Resolve reads the free-text country, state and district of a record and
// returns the most specific place they identify without ambiguity, or nil.
// Each field may be a name, an alternate name or a code, and any may be
// empty. A district is looked up inside the state (or the country) already
// found, so "Aurangabad" resolves with state "Bihar" but not alone; a
// district that contradicts its state is ignored and the state returned.
func Resolve(country, state, district string) *Place {
	var at *Place
	for _, f := range []struct {
		name  string
		level Level
	}{{country, Country}, {state, State}, {district, District}} {
		if strings.TrimSpace(f.name) == "" {
			continue
		}
		within := ""
		if at != nil {
			within = at.Code
		}
		if p := pick(matchHits(f.name, within, f.level)); p != nil {
			at = p
		}
	}
	return at
}

// pick returns the single best hit, or nil if the best is tied.
func pick(hs []hit) *Place {
	switch {
	case len(hs) == 0:
		return nil
	case len(hs) == 1 || hs[0].rank < hs[1].rank:
		return hs[0].p
	}
	return nil
}

// DefaultSearchLimit is the number of results Search returns when asked for
// limit <= 0.
const DefaultSearchLimit = 20

// Search returns places whose name or alternate name starts with prefix —
// at its first word or a later one, spelled as typed or by Key — within a
// place (any level; "" for everywhere), best first, at most limit of them.
// It serves type-ahead pickers; an empty prefix lists the places directly
// under within (or the countries).
func Search(prefix, within string, limit int) []*Place {
	return SearchLevel(prefix, within, 0, limit)
}

// SearchLevel is Search restricted to one level (0 for any).
func SearchLevel(prefix, within string, level Level, limit int) []*Place {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	gz := data()
	keep := func(p *Place) bool {
		return (level == 0 || p.Level == level) && Within(p.Code, within)
	}
	var queries []string
	for _, q := range []string{plain(prefix), Key(prefix)} {
		if q != "" && !slices.Contains(queries, q) {
			queries = append(queries, q)
		}
	}
	if len(queries) == 0 {
		var out []*Place
		parent := ""
		if within != "" {
			parent = normCode(within)
		}
		for _, p := range gz.children[parent] {
			if keep(p) && len(out) < limit {
				out = append(out, p)
			}
		}
		if level != 0 && len(out) == 0 {
			// Asked for districts within a country: list them all, by name.
			for _, p := range gz.all {
				if keep(p) {
					out = append(out, p)
				}
			}
			slices.SortFunc(out, func(a, b *Place) int { return strings.Compare(a.Name, b.Name) })
			out = out[:min(limit, len(out))]
		}
		return out
	}
	// A place found by the text as typed ranks above one found only through
	// the key's spelling folds; one found at its first word above one found
	// at a later word; an official name above an alternate.
	type found struct {
		e     prefixEntry
		byKey bool
	}
	better := func(a, b found) int {
		return cmp.Or(
			compareBool(a.e.inner, b.e.inner),
			compareBool(a.byKey, b.byKey),
			cmp.Compare(a.e.rank, b.e.rank),
		)
	}
	best := map[*Place]found{}
	for qi, q := range queries {
		i, _ := slices.BinarySearchFunc(gz.prefixes, q, func(e prefixEntry, q string) int { return strings.Compare(e.text, q) })
		for ; i < len(gz.prefixes) && strings.HasPrefix(gz.prefixes[i].text, q); i++ {
			f := found{gz.prefixes[i], qi > 0}
			if !keep(f.e.p) {
				continue
			}
			if b, ok := best[f.e.p]; !ok || better(f, b) < 0 {
				best[f.e.p] = f
			}
		}
	}
	list := make([]found, 0, len(best))
	for _, f := range best {
		list = append(list, f)
	}
	slices.SortFunc(list, func(a, b found) int {
		return cmp.Or(
			better(a, b),
			cmp.Compare(a.e.p.Level, b.e.p.Level),
			strings.Compare(a.e.p.Name, b.e.p.Name),
			strings.Compare(a.e.p.Code, b.e.p.Code),
		)
	})
	out := make([]*Place, 0, min(limit, len(list)))
	for _, f := range list[:min(limit, len(list))] {
		out = append(out, f.e.p)
	}
	return out
}
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// plain is the lower-case letters and digits of s, accents removed, without
// the spelling folds: what a user has typed so far may stop in the middle of
// a spelling that Key would fold ("Darje" for "Darjeeling").
func plain(s string) string {
	var b strings.Builder
	for _, t := range tokens(s) {
		b.WriteString(t.text)
	}
	return b.String()
}

// Suggest returns places whose name or alternate name is a near miss for
// name — its key one edit away (two for keys of eight letters or more) —
// within a place ("" for everywhere), closest first, at most limit of them
// (DefaultSearchLimit when limit <= 0). It is for "did you mean" prompts:
// "Sitamari" suggests Sitamarhi. Match never guesses like this, because a
// wrong district is worse than none when linking records.
func Suggest(name, within string, limit int) []*Place {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	q := []rune(Key(name))
	if len(q) < 4 {
		return nil // too short to tell a typo from another name
	}
	maxDist := 1
	if len(q) >= 8 {
		maxDist = 2
	}
	type near struct {
		h    hit
		dist int
	}
	best := map[*Place]near{}
	for k, hs := range data().keys {
		d := editDistance(q, k, maxDist)
		if d > maxDist {
			continue
		}
		for _, h := range hs {
			if !Within(h.p.Code, within) {
				continue
			}
			if b, ok := best[h.p]; !ok || d < b.dist || d == b.dist && h.rank < b.h.rank {
				best[h.p] = near{h, d}
			}
		}
	}
	list := make([]near, 0, len(best))
	for _, n := range best {
		list = append(list, n)
	}
	slices.SortFunc(list, func(a, b near) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), compareHits(a.h, b.h))
	})
	out := make([]*Place, 0, min(limit, len(list)))
	for _, n := range list[:min(limit, len(list))] {
		out = append(out, n.h.p)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, or max+1 as
// soon as it must exceed max.
func editDistance(a []rune, b string, max int) int {
	n := utf8.RuneCountInString(b)
	if d := len(a) - n; d > max || -d > max {
		return max + 1
	}
	var brArr [64]rune
	br := brArr[:0]
	for _, r := range b {
		br = append(br, r)
	}
	var rows [2][65]int
	prev, cur := rows[0][:0], rows[1][:0]
	if n+1 > len(rows[0]) {
		prev, cur = make([]int, 0, n+1), make([]int, 0, n+1)
	}
	prev, cur = prev[:n+1], cur[:n+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= n; j++ {
			cost := 1
			if a[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[n]
}
