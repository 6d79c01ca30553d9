// Package synth generates labelled record-linkage test data that looks like
// South Asian anti-trafficking registers: missing-person reports on the
// left, interceptions and rescues on the right, some of them the same
// people years later.
//
// People come from five communities (Hindi belt, Bengali Hindu, Bengali
// Muslim, Nepali hill and Tarai — Tamang, Gurung, Magar, Tharu among them —
// and Assamese), each with its own names, family names, the words written
// instead of a woman's family name, districts and villages. Each record of a
// person varies the way registers do: written in Devanagari or Bengali
// script or in Latin; Latin spellings varied by the habits of clerks (ee/i,
// oo/u, v/b/w, sh/s, a/o, doubled letters, aspiration) and by plain typing
// errors; a single given name, or a given name with Kumari, Devi, Khatun or
// Akter; honorific prefixes; the guardian's name given or not, sometimes
// inside the name field (D/o); an estimated age, often rounded to five; a
// record made years after the other; missing sex, village, district, phone.
//
// The hard negatives are the ones that matter in the field: siblings (same
// father, village and phone, another given name and age) and namesakes (same
// given name and village, another family). A few phones belong to brokers
// and appear on many unrelated records.
//
// The variations are drawn from what registers show, not from the rules of
// package names: typing errors in particular are ones no folding undoes, so
// the benchmark measures the engine rather than echoing it.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"atip/internal/linkage"
)

// Config sizes a data set.
type Config struct {
	Left, Right int     // records in each file
	MatchShare  float64 // share of right records that are a left person; default 0.4
	// SiblingShare and NamesakeShare are the shares of right records that
	// are a sibling, or a namesake from the same village, of a left person.
	SiblingShare, NamesakeShare float64
	Seed                        uint64
}

// Meta describes a generated record for breakdowns.
type Meta struct {
	Region string // community, e.g. "nepali"
	Script string // script of the name as written: "latin", "deva" or "beng"
	Person int    // person identifier: equal for records of one person
	// Kind says what a right record is to the left file: "match" (a left
	// person again), "sibling" or "namesake" (a hard negative drawn from a
	// left person's family or village) or "new"; "" on the left.
	Kind string
	// Of is, for a sibling or namesake, the left index of the person it
	// was drawn from (-1 otherwise).
	Of int
	// Single is true when the name was written as the given name alone
	// (honorifics and words such as Kumari aside).
	Single bool
	// Estimated is true when the age was estimated rather than known;
	// NoAge when no age was recorded.
	Estimated, NoAge bool
}

// Set is a generated data set with its truth.
type Set struct {
	Left, Right         []linkage.Record
	LeftMeta, RightMeta []Meta
	// Truth maps a left index to the right index of the same person.
	Truth map[int]int
}

type family struct {
	reg      *region
	name     w
	father   w
	village  w
	district w
	state    string
	phone    string
}

type person struct {
	id    int
	fam   *family
	sex   byte
	given w
	birth float64 // fractional year
}

type gen struct {
	rng       *rand.Rand
	persons   int
	brokers   []string
	districts map[*region][]district
}

// Generate makes a data set. The same Config always gives the same set.
func Generate(cfg Config) *Set {
	if cfg.MatchShare == 0 {
		cfg.MatchShare = 0.4
	}
	if cfg.SiblingShare == 0 {
		cfg.SiblingShare = 0.15
	}
	if cfg.NamesakeShare == 0 {
		cfg.NamesakeShare = 0.05
	}
	g := &gen{rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed)), districts: map[*region][]district{}}
	for _, reg := range regions {
		g.districts[reg] = districtsFor(reg, (cfg.Left+cfg.Right)/len(regions))
	}
	for range 20 {
		g.brokers = append(g.brokers, g.phone(regions[g.rng.IntN(len(regions))]))
	}
	s := &Set{Truth: map[int]int{}}
	left := make([]*person, cfg.Left)
	leftDate := make([]time.Time, cfg.Left)
	for i := range left {
		left[i] = g.newPerson(g.newFamily(nil))
		leftDate[i] = g.date(2015, 2023)
		r, m := g.record(left[i], leftDate[i], i, false)
		s.Left = append(s.Left, r)
		s.LeftMeta = append(s.LeftMeta, m)
	}
	for j := 0; j < cfg.Right; j++ {
		u := g.rng.Float64()
		var p *person
		kind, of := "new", -1
		date := g.date(2016, 2026)
		if cfg.Left > 0 {
			li := g.rng.IntN(cfg.Left)
			src := left[li]
			switch {
			case u < cfg.MatchShare:
				if _, taken := s.Truth[li]; !taken {
					p = src
					date = leftDate[li].AddDate(g.rng.IntN(7), g.rng.IntN(12), g.rng.IntN(28))
					s.Truth[li] = j
					kind = "match"
				}
			case u < cfg.MatchShare+cfg.SiblingShare:
				p, kind, of = g.sibling(src), "sibling", li
			case u < cfg.MatchShare+cfg.SiblingShare+cfg.NamesakeShare:
				p, kind, of = g.namesake(src), "namesake", li
			}
		}
		if p == nil {
			p = g.newPerson(g.newFamily(nil))
		}
		r, m := g.record(p, date, j, true)
		m.Kind, m.Of = kind, of
		s.Right = append(s.Right, r)
		s.RightMeta = append(s.RightMeta, m)
	}
	return s
}

func (g *gen) pick(ws []w) w {
	if len(ws) == 0 {
		return w{}
	}
	// Skewed: the first names of each list are the common ones.
	u := g.rng.Float64()
	return ws[int(u*u*float64(len(ws)))]
}

func (g *gen) date(from, to int) time.Time {
	d := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(to, 1, 1, 0, 0, 0, 0, time.UTC).Sub(d).Hours() / 24)
	return d.AddDate(0, 0, g.rng.IntN(days))
}

func (g *gen) newFamily(like *family) *family {
	reg := regions[g.rng.IntN(len(regions))]
	if like != nil {
		reg = like.reg
	}
	f := &family{reg: reg, name: g.pick(reg.family), father: g.given(reg.male, reg.mParts, reg.name == "assamese")}
	if like != nil {
		f.village, f.district, f.state = like.village, like.district, like.state
	} else {
		// Village names: a stem, often a second one, and an ending —
		// enough distinct villages that a large register does not put
		// everyone in a handful of them.
		st, sf := g.pick(reg.vStem), reg.vSuffix[g.rng.IntN(len(reg.vSuffix))]
		f.village = w{st.latin + sf.latin, st.native + sf.native}
		if g.chance(0.7) {
			st2 := reg.vStem[g.rng.IntN(len(reg.vStem))]
			f.village = w{st.latin + strings.ToLower(st2.latin) + sf.latin, st.native + st2.native + sf.native}
		}
		ds := g.districts[reg]
		d := ds[g.rng.IntN(len(ds))]
		f.district, f.state = d.w, d.state
	}
	if g.rng.Float64() < 0.6 {
		f.phone = g.phone(reg)
	}
	return f
}

func (g *gen) newPerson(f *family) *person {
	g.persons++
	p := &person{id: g.persons, fam: f, birth: 1988 + g.rng.Float64()*24}
	if g.rng.Float64() < 0.8 { // most victims in these registers are women and girls
		p.sex, p.given = 'F', g.given(f.reg.female, f.reg.fParts, f.reg.name == "assamese")
	} else {
		p.sex, p.given = 'M', g.given(f.reg.male, f.reg.mParts, f.reg.name == "assamese")
	}
	return p
}

func (g *gen) given(common []w, parts pieces, assamese bool) w {
	if g.chance(0.4) {
		// Skewed, but less than other lists: the commonest given name is
		// about 2% of women. Delhi's voter rolls (5.4 million women, the
		// SocialCops analysis published by the Hindustan Times, 2016) have
		// Sunita, the commonest, at 99,273 (1.8%), with Pooja the
		// favourite of women of 18-25. u^1.2 over the ~30 common names
		// puts the first at 0.4 × 5.4% ≈ 2.2% of a region's women; the
		// u² of pick put it at 7%, which made chance namesakes in one
		// village some three times likelier than in any register.
		u := math.Pow(g.rng.Float64(), 1.2)
		return common[int(u*float64(len(common)))]
	}
	a := parts.first[g.rng.IntN(len(parts.first))]
	b := parts.last[g.rng.IntN(len(parts.last))]
	return compose(a, b, assamese)
}

// sibling is another child of the same family: same father, village and
// phone, a different given name and age.
func (g *gen) sibling(of *person) *person {
	p := g.newPerson(of.fam)
	for range 10 {
		if p.given != of.given {
			break
		}
		p = g.newPerson(of.fam)
	}
	gap := 1 + g.rng.Float64()*5
	if g.rng.IntN(2) == 0 {
		gap = -gap
	}
	p.birth = of.birth + gap
	return p
}

// namesake has the same given name, lives in the same village and is of a
// similar age, but is someone else's child.
func (g *gen) namesake(of *person) *person {
	f := g.newFamily(of.fam)
	if g.rng.Float64() < 0.5 {
		f.name = of.fam.name
	}
	p := g.newPerson(f)
	p.sex, p.given = of.sex, of.given
	p.birth = of.birth + (g.rng.Float64()*2-1)*6
	return p
}

func (g *gen) phone(reg *region) string {
	n := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteByte(byte('0' + g.rng.IntN(10)))
		}
		return b.String()
	}
	switch reg.country {
	case "NP":
		return "98" + string("0145"[g.rng.IntN(4)]) + n(7)
	case "BD":
		return "01" + string("3456789"[g.rng.IntN(7)]) + n(8)
	}
	return string("6789"[g.rng.IntN(4)]) + n(9)
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// record writes one record of p made on date.
func (g *gen) record(p *person, date time.Time, idx int, right bool) (linkage.Record, Meta) {
	reg := p.fam.reg
	native := g.chance(reg.pNative)
	side := "L"
	if right {
		side = "R"
	}
	r := linkage.Record{ID: fmt.Sprintf("%s%07d", side, idx), Age: -1}
	meta := Meta{Region: reg.name, Script: "latin", Person: p.id, Of: -1}
	if native {
		meta.Script = reg.script
	}
	word := func(x w) string {
		if x.latin == "" {
			return ""
		}
		if native && x.native != "" {
			return g.mutateNative(x.native)
		}
		return g.mutate(x.latin, reg.bengaliO)
	}
	var parts []string
	family := false
	if p.sex == 'F' {
		if len(reg.femPre) > 0 && g.chance(0.1) {
			parts = append(parts, word(g.pick(reg.femPre)))
		}
		parts = append(parts, word(p.given))
		switch u := g.rng.Float64(); {
		case u < 0.4:
			parts = append(parts, word(p.fam.name))
			family = true
		case u < 0.6 && len(reg.femWeak) > 0:
			parts = append(parts, word(g.pick(reg.femWeak)))
		case u < 0.7 && len(reg.femWeak) > 0:
			parts = append(parts, word(g.pick(reg.femWeak)), word(p.fam.name))
			family = true
		}
	} else {
		if len(reg.malePre) > 0 && g.chance(0.5) {
			parts = append(parts, word(g.pick(reg.malePre)))
		}
		parts = append(parts, word(p.given))
		if len(reg.maleWeak) > 0 && g.chance(0.2) {
			parts = append(parts, word(reg.maleWeak[0]))
		}
		if g.chance(0.75) {
			parts = append(parts, word(p.fam.name))
			family = true
		}
	}
	meta.Single = !family
	r.Name = strings.Join(parts, " ")
	// Missing-person reports (left) are filed by families and are fuller
	// than records made at an interception or a rescue (right).
	full := 1.0
	if right {
		full = 0.75
	}
	if g.chance(0.85 * full) {
		gname := word(p.fam.father)
		if g.chance(0.8) {
			gname += " " + word(p.fam.name)
		}
		if !native && g.chance(0.08) {
			rel := "D/o"
			if p.sex == 'M' {
				rel = "S/o"
			}
			r.Name += " " + rel + " " + gname
		} else {
			r.Guardian = gname
		}
	}
	if !native && g.chance(0.2) {
		r.Name, r.Guardian = strings.ToUpper(r.Name), strings.ToUpper(r.Guardian)
	}
	if g.chance(0.92) {
		r.Sex = p.sex
	}
	if g.chance(0.95) {
		r.RecordedOn = date
	}
	if g.chance(0.85) {
		age := int(math.Floor(float64(date.Year()) + float64(date.YearDay())/365.25 - p.birth))
		age = max(age, 0)
		if g.chance(0.35) { // estimated by whoever made the record
			meta.Estimated = true
			age += int(math.Round(g.rng.NormFloat64() * (1 + 0.05*float64(age))))
			if age >= 12 && g.chance(0.3) {
				age = int(math.Round(float64(age)/5)) * 5
			}
		}
		r.Age = max(age, 0)
	} else {
		meta.NoAge = true
	}
	if g.chance(0.95 * full) {
		v := word(p.fam.village)
		if !native {
			v = g.placeVariant(v)
			if g.chance(0.1) {
				v = "Vill. " + v
			}
		}
		r.Village = v
	}
	if g.chance(0.95 * full) {
		if native && g.chance(0.5) {
			r.District = p.fam.district.native
		} else {
			r.District = p.fam.district.latin
		}
	}
	if g.chance(0.7) {
		r.State = p.fam.state
	}
	if g.chance(0.95) {
		r.Country = reg.country
	}
	switch {
	case right && g.chance(0.02):
		r.Phone = g.brokers[g.rng.IntN(len(g.brokers))]
	case p.fam.phone != "" && g.chance(0.8*full):
		r.Phone = g.phoneFormat(p.fam.phone, reg.country)
	}
	return r, meta
}

func (g *gen) phoneFormat(num, country string) string {
	cc := map[string]string{"IN": "91", "NP": "977", "BD": "880"}[country]
	national := num
	if country == "BD" {
		national = num[1:] // 01711… is +880 1711…
	}
	switch g.rng.IntN(4) {
	case 0:
		return "+" + cc + " " + national
	case 1:
		if country == "IN" {
			return "0" + num
		}
		return num
	case 2:
		return num[:5] + " " + num[5:]
	}
	return num
}

var suffixVariants = map[string][]string{
	"pur": {"poor", "pura"}, "ganj": {"gunj", "gonj"}, "nagar": {"nagor"}, "para": {"pada"},
	"gaon": {"gaun", "gawn"}, "gaun": {"gaon"},
}

func (g *gen) placeVariant(v string) string {
	if g.chance(0.3) {
		lower := strings.ToLower(v)
		for suf, alts := range suffixVariants {
			if strings.HasSuffix(lower, suf) {
				return v[:len(v)-len(suf)] + alts[g.rng.IntN(len(alts))]
			}
		}
	}
	if g.chance(0.15) {
		return g.mutate(v, false)
	}
	return v
}

// mutate varies a Latin word: one spelling habit (most of the time) or a
// typing error, each with modest probability.
func (g *gen) mutate(s string, bengali bool) string {
	if g.chance(0.55) || len(s) < 3 {
		return s
	}
	if g.chance(0.15) {
		return g.typo(s)
	}
	habits := []struct{ from, to string }{
		{"i", "ee"}, {"ee", "i"}, {"u", "oo"}, {"oo", "u"}, {"v", "b"}, {"b", "v"}, {"w", "v"}, {"v", "w"},
		{"sh", "s"}, {"s", "sh"}, {"ph", "f"}, {"f", "ph"}, {"th", "t"}, {"t", "th"}, {"dh", "d"}, {"kh", "k"},
		{"z", "j"}, {"j", "z"}, {"x", "ksh"}, {"ksh", "x"}, {"y", "i"}, {"ai", "ay"}, {"ou", "ow"},
		{"n", "nn"}, {"l", "ll"}, {"tt", "t"}, {"mm", "m"}, {"a", "aa"}, {"q", "k"}, {"c", "k"}, {"ck", "k"},
	}
	if bengali {
		habits = append(habits, struct{ from, to string }{"a", "o"}, struct{ from, to string }{"o", "a"},
			struct{ from, to string }{"a", "o"}, struct{ from, to string }{"e", "a"})
	}
	for range 4 {
		h := habits[g.rng.IntN(len(habits))]
		lower := strings.ToLower(s)
		// Not at the first letter for vowels: Anita does not become Onita.
		at := strings.Index(lower[1:], h.from)
		if at < 0 {
			continue
		}
		at++
		rep := h.to
		if s[at] >= 'A' && s[at] <= 'Z' {
			rep = strings.ToUpper(rep[:1]) + rep[1:]
		}
		return s[:at] + rep + s[at+len(h.from):]
	}
	return s
}

func (g *gen) typo(s string) string {
	b := []byte(s)
	i := 1 + g.rng.IntN(len(b)-1)
	switch g.rng.IntN(3) {
	case 0: // a wrong letter
		b[i] = byte('a' + g.rng.IntN(26))
	case 1: // a letter left out
		b = append(b[:i], b[i+1:]...)
	default: // two letters swapped
		if i+1 < len(b) {
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return string(b)
}

// mutateNative confuses short and long vowel signs, the commonest variation
// in names written in Devanagari and Bengali.
func (g *gen) mutateNative(s string) string {
	if !g.chance(0.2) {
		return s
	}
	swaps := [][2]string{{"ि", "ी"}, {"ी", "ि"}, {"ु", "ू"}, {"ू", "ु"}, {"ি", "ী"}, {"ী", "ি"}, {"ু", "ূ"}, {"ূ", "ু"}}
	for _, sw := range swaps {
		if strings.Contains(s, sw[0]) {
			return strings.Replace(s, sw[0], sw[1], 1)
		}
	}
	return s
}
