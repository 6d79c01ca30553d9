// Package names turns personal and place names as South Asian registers
// record them into forms that can be compared: one Latin spelling, the
// spelling habits of clerks folded away, honorifics and relation markers
// set aside, the words that stand in for a woman's family name marked as
// weak evidence, and a phonetic key.
//
// # Three levels of sameness
//
// Latin is the name romanised (see package translit) and lower-cased, with
// Latin diacritics stripped only after romanising: stripping marks first
// destroys Indic words (लक्ष्मी would lose its virama and vowel signs).
//
// Fold removes spellings that registers use interchangeably for one sound:
// ksh/x, ee/i, oo/u, v/b/w, sh/s, ph/f, th/t, dh/d, z/j, q/k and doubled
// letters, and writes common variants of a few frequent words one way
// (Mohd, Md, Muhammad → mohammad; Akhtar, Aktar → akter; Khatoon → khatun).
// Two folded names that are equal are the same name written by two clerks.
//
// Key is the phonetic key: the folded word with aspiration dropped
// (kh/gh/ch/jh/bh → k/g/c/j/b), the Bengali o written a, e written i, y
// between vowels dropped, and every a inside the word dropped — the first
// and last letters keep theirs. The inside a is the inherent vowel of the
// Indic scripts, which is spoken in some words and positions and not in
// others, and which transliteration from script and a clerk's ear both get
// wrong; a key that ignores it lets কমল (kamal), Komol and Kamal meet while
// keeping Kamla apart.
//
// The key differs from Soundex and Metaphone on purpose. Soundex keeps the
// first letter, drops all vowels, merges consonants into six classes and
// cuts to four characters: on short South Asian names that merges far too
// much (Rima, Rama, Ramu, Rumi, Reema all become R500) while still
// separating Vijay and Bijay, and Bikash and Vikas (the first letter is
// kept). Metaphone encodes English spelling (th as in thin, gh silent, ph as
// f only sometimes) and misreads th, dh and bh, which in these names are
// aspirated stops. Our key keeps the vowels i and u, which do distinguish
// names, folds the initial letter like any other, and needs no truncation.
//
// # Honorifics, relations and weak words
//
// Prefixes such as Smt., Shri, Sri, Ms, Mr, Dr, Late, Mst. and Md. and a
// leading Kumari or Km. are removed and kept in Name.Prefixes. Relation
// markers (D/o, S/o, W/o, C/o, H/o, "daughter of", putri) end the name: what
// follows is the guardian, returned in Name.Guardian. Words often recorded
// instead of a woman's family name (Kumari, Devi, Khatun, Begum, Bibi,
// Akter, Bano, Nesa) and near-universal name parts (Kumar, Bahadur,
// Mohammad) stay in the name but are listed in Name.Weak and carry little
// evidence in linkage; a name made only of weak words keeps them as tokens.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"atip/internal/textnorm"
	"atip/internal/translit"

	"golang.org/x/text/unicode/norm"
)

// Latin returns s romanised, without Latin diacritics, lower-case, with
// every character other than a–z, digits and '/' turned into a single
// space. The '/' is kept so that relation markers such as D/o survive.
func Latin(s string) string {
	s = translit.ToLatin(textnorm.Clean(s))
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		s = norm.NFD.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '/':
			b.WriteRune(r)
			space = false
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
			space = false
		case unicode.Is(unicode.Mn, r):
			// a diacritic of a Latin letter: ā → a
		case r == '.' || r == '\'' || r == '’':
			// Md. / D'Souza: a dot or apostrophe ends nothing
			if r == '.' && !space {
				b.WriteByte(' ')
				space = true
			}
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// canon writes frequent variants of common name words one way. Keys are
// already letter-folded.
var canon = map[string]string{
	"mohamad": "mohamad", "mohamed": "mohamad", "muhamad": "mohamad", "muhamed": "mohamad",
	"mohamod": "mohamad", "mahamad": "mohamad", "mohd": "mohamad", "muhd": "mohamad", "mohmad": "mohamad",
	"mahmad": "mohamad", "mohomad": "mohamad", "mohomod": "mohamad", "muhamod": "mohamad", "mohamud": "mohamad",
	"akter": "akter", "aktar": "akter", "akhtar": "akter", "akhter": "akter", "aktari": "akter",
	"khatun": "khatun", "khatoon": "khatun", "katun": "khatun", "khaton": "khatun",
	"begum": "begum", "begam": "begum", "bagum": "begum",
	"debi": "debi", "devi": "debi",
	"kumari": "kumari", "kumary": "kumari",
	"bano": "bano", "banu": "bano",
	"nesa": "nesa", "nisa": "nesa", "nessa": "nesa", "nissa": "nesa", "nesha": "nesa",
	"sinh": "sing", "singh": "sing", "sing": "sing",
	"sk": "saikh", "seikh": "saikh", "saikh": "saikh", "sheikh": "saikh", "shaikh": "saikh", "seik": "saikh",
}

// weak are folded words that say little about who a person is.
var weak = map[string]bool{
	"kumari": true, "kumar": true, "debi": true, "khatun": true, "begum": true, "bibi": true,
	"akter": true, "bano": true, "nesa": true, "bahadur": true, "mohamad": true,
}

// prefixes are Latin words (before folding) removed from the front of a
// name and kept aside.
var prefixes = map[string]string{
	"smt": "smt", "shrimati": "smt", "srimati": "smt", "sreemati": "smt", "shreemati": "smt", "smti": "smt",
	"sri": "shri", "shri": "shri", "shree": "shri", "sree": "shri", "sh": "shri",
	"mr": "mr", "mrs": "mrs", "ms": "ms", "miss": "ms", "dr": "dr", "late": "late", "lt": "late", "swargiya": "late",
	"mst": "mst", "most": "mst", "mosammat": "mst", "mosamat": "mst", "mossammat": "mst", "mosst": "mst",
	"md": "md", "kumari": "kumari", "km": "kumari", "ku": "kumari", "kum": "kumari", "sushri": "kumari", "baby": "baby",
	// As the Devanagari and Bengali spellings romanise: श्रीमती and
	// শ্রীমতী lose the inherent vowel (shrimti), মোছাঃ and মোসাঃ (Mst.)
	// and মোঃ (Md.) keep their visarga as h.
	"shrimti": "smt", "srimti": "smt", "shrimoti": "smt", "srimoti": "smt", "shreemoti": "smt",
	"mochhah": "mst", "mochah": "mst", "mosah": "mst", "mochhammat": "mst", "mochamat": "mst",
	"moh": "md",
}

// relations mark the rest of a name field as the guardian's name.
var relations = map[string]string{
	"d/o": "d/o", "s/o": "s/o", "w/o": "w/o", "c/o": "c/o", "h/o": "h/o", "f/o": "f/o", "m/o": "m/o",
	"putri": "d/o", "putra": "s/o", "patni": "w/o", "do": "d/o", "so": "s/o", "wo": "w/o",
}

// Name is a personal name taken apart for comparison.
type Name struct {
	Tokens   []string // folded words, in order, weak ones excluded unless all are weak
	Weak     []string // folded weak words present
	Prefixes []string // honorifics and titles removed from the front
	Relation string   // d/o, s/o, w/o, c/o, … when the field named a guardian
	Guardian string   // Latin text after the relation marker
}

// Parse takes a personal name as recorded, in any supported script.
func Parse(raw string) Name {
	var n Name
	words := strings.Fields(Latin(raw))
	// "daughter of", "son of", "wife of", "care of" written out.
	for i := 0; i+1 < len(words); i++ {
		if words[i+1] == "of" {
			rel := map[string]string{"daughter": "d/o", "son": "s/o", "wife": "w/o", "care": "c/o", "husband": "h/o"}[words[i]]
			if rel != "" {
				words = append(append(words[:i:i], rel), words[i+2:]...)
			}
		}
	}
	// "d / o" is split by Latin when written with spaces: join it again.
	for i := 0; i+2 < len(words); i++ {
		if words[i+1] == "/" && len(words[i]) == 1 && words[i+2] == "o" {
			words = append(append(words[:i:i], words[i]+"/o"), words[i+3:]...)
		}
	}
	for i, w := range words {
		if rel, ok := relations[w]; ok && (strings.Contains(w, "/") || i > 0) {
			n.Relation = rel
			n.Guardian = strings.Join(words[i+1:], " ")
			words = words[:i]
			break
		}
	}
	for len(words) > 1 {
		w := strings.Trim(words[0], "/")
		p, ok := prefixes[w]
		if !ok {
			// Spelled with a clerk's habit: Msht., Shreemati.
			p, ok = prefixes[Fold(w)]
		}
		if !ok {
			break
		}
		n.Prefixes = append(n.Prefixes, p)
		words = words[1:]
	}
	var weakTok []string
	for _, w := range words {
		w = strings.Trim(w, "/")
		if w == "" {
			continue
		}
		f := Fold(w)
		if f == "" {
			continue
		}
		if weak[f] {
			weakTok = append(weakTok, f)
			continue
		}
		n.Tokens = append(n.Tokens, f)
	}
	n.Weak = weakTok
	if len(n.Tokens) == 0 {
		n.Tokens = weakTok
	}
	return n
}

// Fold writes one Latin word (lower-case a–z, as Latin returns) with the
// spelling habits of registers folded away; see the package comment.
func Fold(w string) string {
	if w == "" {
		return ""
	}
	var buf [64]byte
	out := buf[:0]
	n := len(w)
	for i := 0; i < n; i++ {
		c := w[i]
		if c < 'a' || c > 'z' {
			if c >= '0' && c <= '9' {
				out = append(out, c)
			}
			continue
		}
		next := byte(0)
		if i+1 < n {
			next = w[i+1]
		}
		switch {
		case c == 'k' && next == 's' && i+2 < n && w[i+2] == 'h':
			c = 'x'
			i += 2
		case (c == 's' || c == 'p' || c == 't' || c == 'd') && next == 'h':
			// sh → s, ph → f, th → t, dh → d
			if c == 'p' {
				c = 'f'
			}
			i++
		case c == 'e' && next == 'e':
			c = 'i'
			i++
		case c == 'o' && next == 'o':
			c = 'u'
			i++
		case c == 'v' || c == 'w':
			c = 'b'
		case c == 'z':
			c = 'j'
		case c == 'q':
			c = 'k'
		case c == 'c' && next != 'h':
			c = 'k'
		}
		if len(out) > 0 && out[len(out)-1] == c {
			continue // doubled letters
		}
		out = append(out, c)
	}
	s := string(out)
	if c, ok := canon[s]; ok {
		return c
	}
	return s
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// Key returns the phonetic key of one folded word (see the package comment).
func Key(folded string) string {
	var buf [64]byte
	t := buf[:0]
	n := len(folded)
	for i := 0; i < n; i++ {
		c := folded[i]
		switch c {
		case 'h':
			// aspiration after a consonant, and a final h, are dropped
			if len(t) > 0 && !isVowel(t[len(t)-1]) || i == n-1 && len(t) > 0 {
				continue
			}
		case 'o':
			c = 'a'
		case 'e':
			c = 'i'
		case 'y':
			if len(t) > 0 && isVowel(t[len(t)-1]) && i+1 < n && isVowel(folded[i+1]) {
				continue
			}
		}
		if len(t) > 0 && t[len(t)-1] == c {
			continue
		}
		t = append(t, c)
	}
	// Drop the inside a.
	out := buf[32:32]
	if len(t) > 32 {
		out = make([]byte, 0, len(t))
	}
	for i, c := range t {
		if c == 'a' && i > 0 && i < len(t)-1 {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// placeSuffixes fold the endings of village and town names.
var placeSuffixes = [][2]string{
	{"pur", "pur"}, {"pura", "pur"}, {"por", "pur"}, {"gunj", "ganj"}, {"ganja", "ganj"}, {"ganj", "ganj"}, {"gonj", "ganj"},
	{"nagor", "nagar"}, {"nagar", "nagar"}, {"pada", "para"}, {"para", "para"}, {"gaun", "gaon"},
	{"gaon", "gaon"}, {"gawn", "gaon"}, {"gram", "gram"}, {"garh", "gar"}, {"gadh", "gar"}, {"gad", "gar"},
	{"bad", "bad"}, {"abad", "bad"}, {"hat", "hat"}, {"haat", "hat"},
}

// placeNoise are words of an address that do not name the place.
var placeNoise = map[string]bool{
	"village": true, "vill": true, "vil": true, "gram": true, "gaon": true, "po": true, "ps": true,
	"dist": true, "district": true, "zila": true, "jila": true, "ward": true, "no": true, "tole": true,
	"mouza": true, "thana": true, "upazila": true, "post": true, "block": true, "at": true,
}

// PlaceKey returns a key for a village, town or district name under which
// spellings such as Rampur/Rampoor, Daulatganj/Doulatgunj and
// Krishnanagar/Krishnanagor agree. Words such as "village" or "PO" and
// numbers are ignored; "" means nothing that names a place.
func PlaceKey(s string) string {
	var parts []string
	for _, w := range strings.Fields(Latin(s)) {
		w = strings.Trim(w, "/")
		if placeNoise[w] || w == "" || w[0] >= '0' && w[0] <= '9' {
			continue
		}
		f := Fold(w)
		for _, sf := range placeSuffixes {
			if len(f) > len(sf[0])+1 && strings.HasSuffix(f, sf[0]) {
				f = f[:len(f)-len(sf[0])] + sf[1]
				break
			}
		}
		parts = append(parts, Key(f))
	}
	return strings.Join(parts, "")
}

// Similarity is the Jaro–Winkler similarity of a and b in [0,1], computed
// on bytes without allocating for words up to 64 bytes.
func Similarity(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	if lb > 64 {
		a, b = a[:min(la, 64)], b[:64]
		la, lb = len(a), len(b)
	}
	window := max(lb/2-1, 0)
	var ma, mb [64]bool
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, j := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[j] {
			j++
		}
		if a[i] != b[j] {
			trans++
		}
		j++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(trans)/2)/m) / 3
	prefix := 0
	for prefix < min(4, la) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
