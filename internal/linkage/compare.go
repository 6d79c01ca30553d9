package linkage

import (
	"math"
	"math/bits"

	"atip/internal/names"
)

// Fields compared, in the order of Explanation.Fields.
const (
	fName = iota
	fGuardian
	fBirthYear
	fSex
	fPlace
	fPhone
	numFields
)

var fieldNames = [numFields]string{"name", "guardian_name", "birth_year", "sex", "place", "phone"}

// Levels of agreement of each field, 0 always meaning "missing on one side"
// (no evidence either way). Higher is more agreement.
var levelNames = [numFields][]string{
	fName:      {"missing", "different", "a later word shared", "a later word shared, first words alike", "first word shared", "one name within the other", "similar spelling", "same sound", "same spelling"},
	fGuardian:  {"missing", "different", "a later word shared", "a later word shared, first words alike", "first word shared", "one name within the other", "similar spelling", "same sound", "same spelling"},
	fBirthYear: {"missing", "far apart", "a few years apart", "close", "consistent", "same year"},
	fSex:       {"missing", "different", "same"},
	fPlace:     {"missing", "different state or country", "same state, other district", "same district", "similar village", "same village"},
	fPhone:     {"missing", "different", "same"},
}

// Name levels.
const (
	nameMissing = iota
	nameDifferent
	namePartial      // a word other than the first of either name shared: often only the family name
	namePartialAlike // as namePartial, but the first words are alike enough to be one misspelt
	namePartialFirst // the first words (the given name) agree, another does not
	nameSubset
	nameFuzzy
	nameKey
	nameExact
)

// Place levels.
const (
	placeMissing = iota
	placeDifferent
	placeState
	placeDistrict
	placeVillageFuzzy
	placeVillage
)

var numLevels = [numFields]int{9, 9, 6, 3, 6, 3}

// numPatterns is the number of distinct comparison vectors.
var numPatterns = func() int {
	n := 1
	for _, l := range numLevels {
		n *= l
	}
	return n
}()

// patternOf packs a comparison vector into one index.
func patternOf(lv *[numFields]uint8) int {
	p := 0
	for f := 0; f < numFields; f++ {
		p = p*numLevels[f] + int(lv[f])
	}
	return p
}

// levelsOf unpacks patternOf.
func levelsOf(p int) (lv [numFields]uint8) {
	for f := numFields - 1; f >= 0; f-- {
		lv[f] = uint8(p % numLevels[f])
		p /= numLevels[f]
	}
	return lv
}

// fuzzyWord is the Jaro–Winkler similarity above which two folded words
// count as the same word misspelt.
const fuzzyWord = 0.88

// alikeWord is the Jaro–Winkler similarity above which two given names
// that are not the same word misspelt are still too alike to be a
// sibling's (see namePartialAlike). EM weighs the level from the data.
const alikeWord = 0.8

// compareNames grades two names given their key hashes and folded words.
//
// afirst and bfirst index, among the sorted words, the word each name was
// written with first. South Asian names put the given name first and the
// family name (or Kumari, Devi) after it, so two names that share only
// their first word are one person or a namesake, while two that share only
// a later word are as often siblings: the levels keep them apart.
func compareNames(an, bn uint8, atk, btk, amask, bmask *[maxTok]uint32, afull, bfull, akey, bkey uint64, as, bs *[maxTok]string, afirst, bfirst uint8) uint8 {
	if an == 0 || bn == 0 {
		return nameMissing
	}
	if afull == bfull {
		return nameExact
	}
	if akey == bkey {
		return nameKey
	}
	// Match every word of the shorter name to a word of the longer one:
	// first by key, then what is left by spelling similarity.
	short, long := an, bn
	stk, ltk, ss, ls, sm, lm := atk, btk, as, bs, amask, bmask
	if bn < an {
		short, long, stk, ltk, ss, ls, sm, lm = bn, an, btk, atk, bs, as, bmask, amask
	}
	var used, done [maxTok]bool
	matched := 0
	for i := uint8(0); i < short; i++ {
		for j := uint8(0); j < long; j++ {
			if !used[j] && stk[i] == ltk[j] {
				used[j], done[i] = true, true
				matched++
				break
			}
		}
	}
	if matched < int(short) && maybeSimilar(short, long, &done, &used, sm, lm) {
		for i := 0; i < int(short); i++ {
			if done[i] {
				continue
			}
			for j := 0; j < int(long); j++ {
				if !used[j] && lettersAlike(sm[i], lm[j]) && names.Similarity(ss[i], ls[j]) >= fuzzyWord {
					used[j] = true
					matched++
					break
				}
			}
		}
	}
	switch {
	case matched == int(short) && short == long:
		return nameFuzzy
	case matched == int(short):
		return nameSubset
	case matched > 0:
		if atk[afirst] == btk[bfirst] || lettersAlike(amask[afirst], bmask[bfirst]) && names.Similarity(as[afirst], bs[bfirst]) >= fuzzyWord {
			return namePartialFirst
		}
		// A sibling's given name is another name; one person's, misspelt
		// past what counts as similar (Rakhika for Radhika, Morinq for
		// Murina), still shares most of its letters in place.
		// Checked only for words that begin alike and share most letters:
		// this branch is the commonest among candidates (a shared family
		// name), and Jaro–Winkler on every such pair cost a tenth of
		// scoring.
		if fa, fb := as[afirst], bs[bfirst]; fa != "" && fb != "" && fa[0] == fb[0] &&
			lettersAlike(amask[afirst], bmask[bfirst]) && names.Similarity(fa, fb) >= alikeWord {
			return namePartialAlike
		}
		return namePartial
	}
	return nameDifferent
}

// maybeSimilar is a cheap filter before Jaro–Winkler: two words at least
// fuzzyWord alike share most of their letters, so if no unmatched pair of
// words shares at least two thirds of the letters of the larger set, none
// is similar enough.
// lettersAlike is the same filter for one pair of words.
func lettersAlike(a, b uint32) bool {
	return 3*bits.OnesCount32(a&b) >= 2*max(bits.OnesCount32(a), bits.OnesCount32(b))
}

func maybeSimilar(short, long uint8, done, used *[maxTok]bool, sm, lm *[maxTok]uint32) bool {
	for i := uint8(0); i < short; i++ {
		if done[i] {
			continue
		}
		for j := uint8(0); j < long; j++ {
			if used[j] {
				continue
			}
			if lettersAlike(sm[i], lm[j]) {
				return true
			}
		}
	}
	return false
}

func compareBirthYear(a, b *prep) uint8 {
	if math.IsNaN(float64(a.by)) || math.IsNaN(float64(b.by)) {
		return 0
	}
	d := a.by - b.by
	if d < 0 {
		d = -d
	}
	s2 := a.bysd*a.bysd + b.bysd*b.bysd
	z2 := d * d / s2
	switch {
	case d <= 0.6:
		// Within a few months: both ages were exact, or the estimates
		// happened to agree closely.
		return 5
	case z2 <= 1.2*1.2:
		return 4
	case z2 <= 2.5*2.5:
		return 3
	case z2 <= 5*5:
		return 2
	}
	return 1
}

func compareSex(a, b *prep) uint8 {
	if a.sex == 0 || b.sex == 0 {
		return 0
	}
	if a.sex == b.sex {
		return 2
	}
	return 1
}

func comparePlace(t *table, i, j int) uint8 {
	a, b := &t.p[i], &t.p[j]
	conflict := func(x, y uint64) bool { return x != 0 && y != 0 && x != y }
	if a.country != 0 && b.country != 0 && a.country != b.country {
		return placeDifferent
	}
	if a.village != 0 && b.village != 0 && !conflict(a.district, b.district) && !conflict(a.state, b.state) {
		if a.village == b.village {
			return placeVillage
		}
		common := bits.OnesCount32(a.villMask & b.villMask)
		most := max(bits.OnesCount32(a.villMask), bits.OnesCount32(b.villMask))
		if 4*common >= 3*most && names.Similarity(t.village[i], t.village[j]) >= 0.9 {
			return placeVillageFuzzy
		}
	}
	if a.district != 0 && b.district != 0 {
		if a.district == b.district {
			return placeDistrict
		}
		if a.state != 0 && a.state == b.state {
			return placeState
		}
		return placeDifferent
	}
	// Only states to go by: a conflict is evidence, agreement says little
	// (a state holds tens of millions), and one missing district is no
	// evidence against.
	if conflict(a.state, b.state) {
		return placeDifferent
	}
	return placeMissing
}

func comparePhone(a, b *prep) uint8 {
	if a.phone == 0 || b.phone == 0 {
		return 0
	}
	if a.phone == b.phone {
		return 2
	}
	return 1
}

// nameView is the form of a record's name one comparison uses.
type nameView struct {
	n, first  uint8
	tk, mask  *[maxTok]uint32
	tf        *[maxTok]float32
	full, key uint64
	words     *[maxTok]string
}

// nameViews chooses the forms of the names of records i and j to compare.
//
// Registers often write a girl's given name alone and her father's full
// name beside it (Kalina; guardian Manoj Yadav), and another agency writes
// her with the family name (कलीना यादव) and no guardian. Her family name is
// then on both records, in different fields. So when one name is a given
// name alone and its guardian's name ends in a family name, and the other
// name has a family name too (its own or implied the same way), the names
// are compared with the implied family name: Kalina + Yadav meets Kalina
// Yadav in full, and a same-village namesake of another family (Kalina,
// daughter of Suresh Sah) no longer agrees in full with Kalina Yadav. When
// the other name is a given name alone, there is nothing to set the family
// name against and the names are compared as written; when both family
// names are implied, both come from the guardians' names, which the
// guardian comparison already weighs, and counting them again in the name
// would count one piece of evidence twice. The choice depends on both
// records alike, so a pair scores the same both ways.
func nameViews(t *table, i, j int) (nameView, nameView) {
	implied := usesImplied(&t.p[i], &t.p[j])
	return viewOf(t, i, implied), viewOf(t, j, implied)
}

// usesImplied reports whether the names of a and b are compared with
// implied family names (see nameViews).
func usesImplied(a, b *prep) bool {
	return a.altN > 0 && b.nameN >= 2 || b.altN > 0 && a.nameN >= 2
}

func viewOf(t *table, i int, implied bool) nameView {
	p := &t.p[i]
	if implied && p.altN > 0 {
		return nameView{p.altN, p.altFirst, &p.altTK, &p.altMask, &p.tfAlt, p.altFull, p.altKey, t.altW[i]}
	}
	return nameView{p.nameN, p.nameFirst, &p.nameTK, &p.nameMask, &p.tfName, p.nameFull, p.nameKey, t.nameW[i]}
}

// compare fills the comparison vector of records i and j.
func compare(t *table, i, j int, lv *[numFields]uint8) {
	a, b := &t.p[i], &t.p[j]
	if usesImplied(a, b) {
		va, vb := viewOf(t, i, true), viewOf(t, j, true)
		lv[fName] = compareNames(va.n, vb.n, va.tk, vb.tk, va.mask, vb.mask, va.full, vb.full, va.key, vb.key, va.words, vb.words, va.first, vb.first)
	} else {
		lv[fName] = compareNames(a.nameN, b.nameN, &a.nameTK, &b.nameTK, &a.nameMask, &b.nameMask, a.nameFull, b.nameFull, a.nameKey, b.nameKey, t.nameW[i], t.nameW[j], a.nameFirst, b.nameFirst)
	}
	lv[fGuardian] = compareNames(a.guardN, b.guardN, &a.guardTK, &b.guardTK, &a.guardMask, &b.guardMask, a.guardFull, b.guardFull, a.guardKey, b.guardKey, t.guardW[i], t.guardW[j], a.guardFirst, b.guardFirst)
	lv[fBirthYear] = compareBirthYear(a, b)
	lv[fSex] = compareSex(a, b)
	lv[fPlace] = comparePlace(t, i, j)
	lv[fPhone] = comparePhone(a, b)
}
