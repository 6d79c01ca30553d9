package linkage

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"atip/internal/names"
	"atip/internal/phone"
	"atip/internal/textnorm"
)

// maxTok is the number of strong name words compared; a fifth word of a
// name is rare and adds little.
const maxTok = 4

// PlaceResolver maps a record's district and state to stable codes, so that
// "Paschim Champaran", "West Champaran" and "पश्चिम चम्पारण" meet and a
// renamed district meets its old name. The gazetteer implements it; without
// one, place names are compared by names.PlaceKey.
type PlaceResolver interface {
	// Resolve returns the codes of the state and district named, "" for
	// each it does not recognise.
	Resolve(country, state, district string) (stateCode, districtCode string)
}

// prep is one record reduced to what comparisons and blocking need.
// Zero means "unknown" for every hash.
type prep struct {
	nameTK    [maxTok]uint32 // phonetic keys of the strong name words, in the order of the table's nameW
	guardTK   [maxTok]uint32
	nameFull  uint64 // folded name words, sorted and joined
	nameKey   uint64 // phonetic keys, sorted and joined
	guardFull uint64
	guardKey  uint64
	village   uint64 // names.PlaceKey of the village
	district  uint64
	state     uint64
	phone     uint64
	by, bysd  float32 // birth year and its uncertainty; by is NaN when unknown
	country   uint16
	nameShape [maxTok]uint16 // first letter and length of each name word
	nameMask  [maxTok]uint32 // letters present in each name word, a→bit 0
	guardMask [maxTok]uint32
	villMask  uint32
	nameN     uint8
	guardN    uint8
	// Index among the sorted words of the word written first.
	nameFirst, guardFirst uint8
	sex                   uint8 // 'F', 'M' or 0
	// Term-frequency adjustments in bits: for each name word (aligned with
	// nameTK) how much rarer than average its key is, and the same for the
	// village.
	tfName, tfGuard [maxTok]float32
	tfVillage       float32
	// The name with the family name the guardian's name implies, for a
	// record whose name is a given name alone and whose guardian's is a
	// given and a family name (Kalina, daughter of Manoj Yadav: Kalina
	// Yadav). altN is 0 when there is none. See compareNameFields.
	altTK    [maxTok]uint32
	altMask  [maxTok]uint32
	tfAlt    [maxTok]float32
	altFull  uint64
	altKey   uint64
	altN     uint8
	altFirst uint8
}

// table is the prepared form of all records of a run (in link mode the left
// records first, then the right ones).
type table struct {
	p []prep
	// Folded strong words of each record's name and guardian's name, in the
	// order of nameTK; shared by all records of one spelling.
	nameW, guardW []*[maxTok]string
	altW          []*[maxTok]string // words of the implied full name (prep.altN)
	village       []string          // folded village spelling, for fuzzy comparison
}

// hashString is FNV-1a finished with a SplitMix64 step: deterministic from
// run to run (so results are reproducible), and well mixed for bucketing.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix(h)
}

func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	if h == 0 {
		h = 1
	}
	return h
}

func combine(a, b uint64) uint64 { return mix(a*31 + b + 0x9e3779b97f4a7c15) }

// nameParts turns a parsed name into its folded words in sorted order and
// their phonetic keys (keys[i] is the key of words[i]).
func nameParts(n names.Name) (words []string, keys []string) {
	toks := n.Tokens
	if len(toks) > maxTok {
		toks = toks[:maxTok]
	}
	words = slices.Clone(toks)
	slices.Sort(words)
	keys = make([]string, len(words))
	for i, w := range words {
		keys[i] = names.Key(w)
	}
	return words, keys
}

// fillName stores a name's word keys (aligned with the words of the
// returned string), and hashes of the whole name's spelling and sound, both
// independent of word order.
func fillName(words, keys []string, tk *[maxTok]uint32, n *uint8, full, key *uint64) string {
	*n = uint8(len(words))
	for i, k := range keys {
		tk[i] = uint32(hashString(k))
	}
	if len(words) == 0 {
		return ""
	}
	s := strings.Join(words, " ")
	*full = hashString(s)
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	*key = hashString(strings.Join(sorted, " "))
	return s
}

// parsedName is a name reduced for comparison, cached by its raw text.
type parsedName struct {
	words    [maxTok]string // folded words, sorted
	n        uint8
	first    uint8 // index in words of the word written first
	last     uint8 // index in words of the word written last
	tk       [maxTok]uint32
	mask     [maxTok]uint32
	shape    [maxTok]uint16
	full     uint64
	key      uint64
	guardian string // guardian named inside the field (D/o …), if any
}

// preparer prepares the distinct values of one run. Registers repeat the
// same names, villages, districts and phones over and over ("Puja Kumari"
// thousands of times), and romanising, folding, resolving and parsing them
// is most of the cost of preparing a record, so each distinct value is
// prepared once, in parallel, and records then only look their values up.
type preparer struct {
	places   PlaceResolver
	workers  int
	names    []*parsedName // by name index
	villages []string      // by village index
	areas    [][2]uint64   // by area index: state, district
	phones   []uint64      // by phone index
}

func parseName(raw string) *parsedName {
	nm := names.Parse(raw)
	w, k := nameParts(nm)
	pn := &parsedName{}
	fillName(w, k, &pn.tk, &pn.n, &pn.full, &pn.key)
	copy(pn.words[:], w)
	if len(nm.Tokens) > 0 {
		pn.first = uint8(max(0, slices.Index(w, nm.Tokens[0])))
		pn.last = uint8(max(0, slices.Index(w, nm.Tokens[min(len(nm.Tokens), maxTok)-1])))
	}
	for x, word := range w {
		if x < maxTok && word != "" {
			pn.shape[x] = uint16(word[0])<<8 | uint16(min(len(word), 255))
			pn.mask[x] = letterMask(word)
		}
	}
	if nm.Relation != "c/o" {
		pn.guardian = nm.Guardian
	}
	return pn
}

func (pr *preparer) area(country, state, district string) [2]uint64 {
	var out [2]uint64
	stateCode, distCode := "", ""
	if pr.places != nil && (state != "" || district != "") {
		stateCode, distCode = pr.places.Resolve(country, state, district)
	}
	if distCode != "" {
		out[1] = hashString("code:" + distCode)
	} else if k := names.PlaceKey(district); k != "" {
		out[1] = hashString(k)
	}
	if stateCode != "" {
		out[0] = hashString("code:" + stateCode)
	} else if k := names.PlaceKey(state); k != "" {
		out[0] = hashString(k)
	}
	return out
}

func parsePhone(raw, country string, c *phone.Cache) uint64 {
	e, ok := c.Normalize(raw, country)
	if !ok {
		return 0
	}
	// Compared on the last nine digits: a number written without its
	// country code on a record whose country is missing is read under the
	// wrong country, but its subscriber digits are right.
	return hashString(e[max(0, len(e)-9):])
}

// phoneKey drops the spaces, dashes and dots people put in a number (and
// turns native digits to ASCII), so that "98301 23456", "98301-23456" and
// "9830123456" are validated once: validation with libphonenumber's
// metadata is the dearest step of preparing a record. Text with anything
// else in it (letters, brackets, an extension) is kept as written for the
// full parser to judge.
func phoneKey(raw string) string {
	s := strings.TrimSpace(textnorm.ASCIIDigits(raw))
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '+' && len(b) == 0:
			b = append(b, c)
		case c == ' ' || c == '-' || c == '.':
		default:
			return s
		}
	}
	return string(b)
}

// interner numbers distinct values in order of first appearance.
type interner[K comparable] struct {
	idx    map[K]int32
	values []K
}

func newInterner[K comparable]() *interner[K] { return &interner[K]{idx: map[K]int32{}} }

func (in *interner[K]) id(k K) int32 {
	if i, ok := in.idx[k]; ok {
		return i
	}
	i := int32(len(in.values))
	in.idx[k] = i
	in.values = append(in.values, k)
	return i
}

// prepareTable prepares records: distinct values first, in parallel, then
// the records, in parallel.
func prepareTable(recs []*Record, places PlaceResolver, workers int) *table {
	n := len(recs)
	t := &table{p: make([]prep, n), nameW: make([]*[maxTok]string, n), guardW: make([]*[maxTok]string, n), altW: make([]*[maxTok]string, n), village: make([]string, n)}
	pr := &preparer{places: places, workers: workers}

	// Number the distinct values; -1 marks an empty field.
	nameIn, villIn := newInterner[string](), newInterner[string]()
	areaIn, phoneIn := newInterner[[3]string](), newInterner[[2]string]()
	type ids struct{ name, guard, vill, area, phone int32 }
	rid := make([]ids, n)
	for i, r := range recs {
		x := ids{-1, -1, -1, -1, -1}
		x.name = nameIn.id(r.Name)
		if r.Guardian != "" {
			x.guard = nameIn.id(r.Guardian)
		}
		if r.Village != "" {
			x.vill = villIn.id(r.Village)
		}
		x.area = areaIn.id([3]string{r.Country, r.State, r.District})
		if strings.TrimSpace(r.Phone) != "" {
			x.phone = phoneIn.id([2]string{phoneKey(r.Phone), r.Country})
		}
		rid[i] = x
	}
	pr.names = make([]*parsedName, len(nameIn.values))
	parallelFor(len(pr.names), workers, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			pr.names[k] = parseName(nameIn.values[k])
		}
	})
	// Guardians named inside a name field ("Rina D/o Ramesh Sah").
	firstNew := len(nameIn.values)
	for i, r := range recs {
		if r.Guardian == "" {
			if g := pr.names[rid[i].name].guardian; g != "" {
				rid[i].guard = nameIn.id(g)
			}
		}
	}
	for _, v := range nameIn.values[firstNew:] {
		pr.names = append(pr.names, parseName(v))
	}
	// Given names alone with the family name their guardian's name implies.
	implIn := newInterner[string]()
	impl := make([]int32, n)
	for i := range recs {
		impl[i] = -1
		x := rid[i]
		if x.guard < 0 {
			continue
		}
		if nm, gn := pr.names[x.name], pr.names[x.guard]; nm.n == 1 && gn.n >= 2 && gn.words[gn.last] != nm.words[0] {
			impl[i] = implIn.id(nm.words[0] + " " + gn.words[gn.last])
		}
	}
	implied := make([]*parsedName, len(implIn.values))
	parallelFor(len(implied), workers, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			implied[k] = parseName(implIn.values[k])
		}
	})
	pr.villages = make([]string, len(villIn.values))
	parallelFor(len(pr.villages), workers, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			pr.villages[k] = names.PlaceKey(villIn.values[k])
		}
	})
	pr.areas = make([][2]uint64, len(areaIn.values))
	parallelFor(len(pr.areas), workers, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			a := areaIn.values[k]
			pr.areas[k] = pr.area(a[0], a[1], a[2])
		}
	})
	pr.phones = make([]uint64, len(phoneIn.values))
	var pc phone.Cache
	parallelFor(len(pr.phones), workers, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			pr.phones[k] = parsePhone(phoneIn.values[k][0], phoneIn.values[k][1], &pc)
		}
	})
	parallelFor(n, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			x := rid[i]
			p := &t.p[i]
			r := recs[i]
			nm := pr.names[x.name]
			t.nameW[i] = &nm.words
			p.nameN, p.nameTK, p.nameMask, p.nameShape, p.nameFull, p.nameKey = nm.n, nm.tk, nm.mask, nm.shape, nm.full, nm.key
			p.nameFirst = nm.first
			if x.guard >= 0 {
				gn := pr.names[x.guard]
				t.guardW[i] = &gn.words
				p.guardN, p.guardTK, p.guardMask, p.guardFull, p.guardKey = gn.n, gn.tk, gn.mask, gn.full, gn.key
				p.guardFirst = gn.first
			}
			if k := impl[i]; k >= 0 && implied[k].n == 2 {
				in := implied[k]
				t.altW[i] = &in.words
				p.altN, p.altTK, p.altMask, p.altFull, p.altKey, p.altFirst = in.n, in.tk, in.mask, in.full, in.key, in.first
			}
			p.by = float32(math.NaN())
			if r.Age >= 0 && !r.RecordedOn.IsZero() {
				y, sd := names.BirthYear(r.Age, r.RecordedOn)
				p.by, p.bysd = float32(y), float32(sd)
			}
			if r.Sex == 'F' || r.Sex == 'M' {
				p.sex = r.Sex
			}
			if r.Country != "" {
				p.country = uint16(r.Country[0])<<8 | uint16(r.Country[1])
			}
			a := pr.areas[x.area]
			p.state, p.district = a[0], a[1]
			if x.vill >= 0 {
				if k := pr.villages[x.vill]; k != "" {
					p.village = hashString(k)
					p.villMask = letterMask(k)
					t.village[i] = k
				}
			}
			if x.phone >= 0 {
				p.phone = pr.phones[x.phone]
			}
		}
	})
	return t
}

// letterMask has bit k set when the word contains the k-th letter a–z.
func letterMask(w string) uint32 {
	var m uint32
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'a' && c <= 'z' {
			m |= 1 << (c - 'a')
		}
	}
	return m
}

// Lead is a value shared by so many distinct people that it cannot identify
// anyone — and may itself be worth investigating (a recruiter's phone, a
// safe house's address).
type Lead struct {
	Field   string // "phone", "village" or "guardian_name"
	Value   string // as first seen in the input (E.164 for phones)
	Records int    // records carrying it
	People  int    // distinct names among them
}

// markGeneric finds generic phones, villages and guardian names, clears
// them from the prepared records (so they neither block nor add evidence)
// and returns them as leads.
func markGeneric(t *table, recs []*Record, phoneMin, placeMin, guardMin int) []Lead {
	type vk struct{ v, name uint64 }
	var leads []Lead
	find := func(field string, get func(p *prep) uint64, minPeople int, clear func(p *prep), show func(i int) string) {
		pairs := make([]vk, 0, len(t.p)/2)
		for i := range t.p {
			if v := get(&t.p[i]); v != 0 {
				nk := t.p[i].nameKey
				if nk == 0 {
					nk = uint64(i) + 1 // unnamed records count as distinct people
				}
				pairs = append(pairs, vk{v, nk})
			}
		}
		sort.Slice(pairs, func(a, b int) bool {
			if pairs[a].v != pairs[b].v {
				return pairs[a].v < pairs[b].v
			}
			return pairs[a].name < pairs[b].name
		})
		generic := map[uint64]*Lead{}
		for lo := 0; lo < len(pairs); {
			hi, people := lo, 0
			for hi < len(pairs) && pairs[hi].v == pairs[lo].v {
				if hi == lo || pairs[hi].name != pairs[hi-1].name {
					people++
				}
				hi++
			}
			if people >= minPeople {
				generic[pairs[lo].v] = &Lead{Field: field, Records: hi - lo, People: people}
			}
			lo = hi
		}
		if len(generic) == 0 {
			return
		}
		for i := range t.p {
			if l, ok := generic[get(&t.p[i])]; ok {
				if l.Value == "" {
					l.Value = show(i)
				}
				clear(&t.p[i])
			}
		}
		start := len(leads)
		for _, l := range generic {
			leads = append(leads, *l)
		}
		added := leads[start:]
		sort.Slice(added, func(a, b int) bool {
			if added[a].Records != added[b].Records {
				return added[a].Records > added[b].Records
			}
			return added[a].Value < added[b].Value
		})
	}
	find("phone", func(p *prep) uint64 { return p.phone }, phoneMin,
		func(p *prep) { p.phone = 0 },
		func(i int) string {
			if n, ok := phone.Parse(recs[i].Phone, recs[i].Country); ok {
				return n.E164
			}
			return recs[i].Phone
		})
	// A village is generic by district: Rampur is in many districts, and
	// each is a real village.
	find("village", func(p *prep) uint64 {
		if p.village == 0 {
			return 0
		}
		return combine(p.village, p.district)
	}, placeMin, func(p *prep) { p.village = 0 }, func(i int) string { return strings.TrimSpace(recs[i].Village) })
	// The same guardian in the same place for many names: a shelter's
	// superintendent, a broker posing as a relative.
	find("guardian_name", func(p *prep) uint64 {
		if p.guardFull == 0 || p.village == 0 {
			return 0
		}
		return combine(p.guardFull, combine(p.village, p.district))
	}, guardMin, func(p *prep) {
		p.guardFull, p.guardKey, p.guardN, p.altN = 0, 0, 0, 0
		p.guardTK = [maxTok]uint32{}
	},
		func(i int) string { return strings.TrimSpace(recs[i].Guardian) })
	return leads
}

// setTermFrequencies fills the per-record term-frequency adjustments: how
// many bits rarer (positive) or commoner (negative) than average agreement
// on a value is. A value's share p is compared with Σp², the share of the
// value two random agreeing records have in common — the baseline the
// level's u already reflects. Name words are counted by phonetic key, so
// that all spellings of Puja count as one common name.
func setTermFrequencies(t *table, maxUp, maxDown float64) {
	adjust := func(counts map[uint64]int32, total int) func(v uint64) float32 {
		var sumsq float64
		for _, c := range counts {
			p := float64(c) / float64(total)
			sumsq += p * p
		}
		return func(v uint64) float32 {
			p := float64(counts[v]) / float64(total)
			return float32(max(-maxDown, min(maxUp, -math.Log2(p/sumsq))))
		}
	}
	var wg sync.WaitGroup
	wg.Add(3)
	words := func(n func(p *prep) uint8, tk func(p *prep) *[maxTok]uint32, tf func(p *prep) *[maxTok]float32, alt bool) {
		defer wg.Done()
		counts := map[uint64]int32{}
		total := 0
		for i := range t.p {
			p := &t.p[i]
			for k := 0; k < int(n(p)); k++ {
				counts[uint64(tk(p)[k])]++
				total++
			}
		}
		if total == 0 {
			return
		}
		adj := adjust(counts, total)
		for i := range t.p {
			p := &t.p[i]
			for k := 0; k < int(n(p)); k++ {
				tf(p)[k] = adj(uint64(tk(p)[k]))
			}
			if alt {
				for k := 0; k < int(p.altN); k++ {
					p.tfAlt[k] = adj(uint64(p.altTK[k]))
				}
			}
		}
	}
	go words(func(p *prep) uint8 { return p.nameN }, func(p *prep) *[maxTok]uint32 { return &p.nameTK }, func(p *prep) *[maxTok]float32 { return &p.tfName }, true)
	go words(func(p *prep) uint8 { return p.guardN }, func(p *prep) *[maxTok]uint32 { return &p.guardTK }, func(p *prep) *[maxTok]float32 { return &p.tfGuard }, false)
	go func() {
		defer wg.Done()
		counts := map[uint64]int32{}
		total := 0
		for i := range t.p {
			if t.p[i].village != 0 {
				counts[combine(t.p[i].village, t.p[i].district)]++
				total++
			}
		}
		if total == 0 {
			return
		}
		adj := adjust(counts, total)
		for i := range t.p {
			if t.p[i].village != 0 {
				t.p[i].tfVillage = adj(combine(t.p[i].village, t.p[i].district))
			}
		}
	}()
	wg.Wait()
}

func defaultWorkers(w int) int {
	if w > 0 {
		return w
	}
	return runtime.GOMAXPROCS(0)
}
