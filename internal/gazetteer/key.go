package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"atip/internal/textnorm"
	"atip/internal/translit"
)

// KeyVersion changes whenever Key's output changes for some input. A store
// that persists keys (to search in SQL, say) records the version and
// recomputes its keys when it differs.
const KeyVersion = 2

// Key returns the matching key of a place name: two spellings of one place
// that registers really show should share a key, and two different places in
// one state should not. It
//   - applies NFC, writes native digits as ASCII and lower-cases;
//   - strips accents from Latin letters ("Bāgmatī" → "bagmati");
//   - drops punctuation, spaces, "and"/"&" and a trailing "district",
//     "division", "province", "pradesh", "state", "zila"… (or a leading
//     "district"/"zila") when other words remain;
//   - moves direction words to the front in canonical form, so that
//     "24 Parganas South", "South 24 Parganas" and "Dakshin 24 Pargana" all
//     start "south24pargana" (North/Uttar, South/Dakshin, East/Purba/Purbi/
//     Purva, West/Paschim/Pashchim, also in Devanagari and Bengali);
//   - folds the spelling habits of romanised South Asian place names:
//     x/ksh, ph/f, w/v, sh/s, chh/ch, th/t, dh/rh/d, oo/u, ee/i, au/ou/o,
//     chowk/chok, iya/ia, q/k, ck/k, final y/i, doubled letters, pur/poor/pore,
//     ganj/gunj/gonj, nagar/nagor, para/pada, and a final plural s;
//   - in Devanagari, ignores the nukta and writes candrabindu and a nasal
//     consonant before another consonant as anusvara (चन्दौली = चंदौली);
//     in Devanagari and Bengali, folds long i/u to short (and Bengali ণ to ন).
//
// Words in Devanagari and Bengali–Assamese script are folded as above, then
// romanised (package translit) and folded as Latin, so "सिन्धुपाल्चोक" and
// "Sindhupalchok" share a key. Romanisation cannot always guess the spelling
// a place is known by in English (কলকাতা comes out "kalkata"), so the
// local-script names listed for each place remain the surest match; other
// scripts are compared as written.
// The key is empty when name holds no letters or digits.
func Key(name string) string { return key(name, true) }

// scriptKey is Key without romanisation: local-script words stay in their
// script (folded). Match tries it first for local-script input, so that a
// listed local name beats a romanisation that happens to spell another
// place (রংপুর romanises as "rampur").
func scriptKey(name string) string { return key(name, false) }

func key(name string, romanise bool) string {
	var bufArr [256]byte
	var spanArr [16]span
	buf, spans := split(name, bufArr[:0], spanArr[:0])
	spans = dropGeneric(buf, spans)
	content := 0
	for _, t := range spans {
		if t.dir == "" {
			content++
		}
	}
	var outArr [256]byte
	out := outArr[:0]
	isDir := func(t span) bool { return t.dir != "" && (t.end-t.start > 1 || content > 0) }
	for _, t := range spans {
		if isDir(t) {
			out = append(out, t.dir...)
		}
	}
	for _, t := range spans {
		if !isDir(t) {
			out = fold(out, buf[t.start:t.end], romanise)
		}
	}
	return string(out)
}

// span is one word of a name: buf[start:end], and its canonical direction
// if it is a direction word.
type span struct {
	start, end int
	dir        string
}

type token struct {
	text string // lower-cased, Latin accents removed
	dir  string // canonical direction word, or ""
}

// tokens returns the words of name as split does.
func tokens(name string) []token {
	buf, spans := split(name, nil, nil)
	out := make([]token, len(spans))
	for i, t := range spans {
		out[i] = token{string(buf[t.start:t.end]), t.dir}
	}
	return out
}

// directions maps a direction word to its canonical English form. Single
// letters count only beside other words ("24 Parganas (S)").
var directions = map[string]string{
	"north": "north", "northern": "north", "uttar": "north", "uttara": "north", "uttari": "north", "n": "north",
	"south": "south", "southern": "south", "dakshin": "south", "dakshina": "south", "dakshini": "south",
	"dakhin": "south", "dakkhin": "south", "dokkhin": "south", "s": "south",
	"east": "east", "eastern": "east", "purba": "east", "purbi": "east", "purva": "east", "purvi": "east",
	"poorva": "east", "poorvi": "east", "purab": "east", "purbo": "east", "e": "east",
	"west": "west", "western": "west", "paschim": "west", "pashchim": "west", "paschimi": "west",
	"pashchimi": "west", "pachim": "west", "w": "west",
	"उत्तर": "north", "उत्तरी": "north", "दक्षिण": "south", "दक्षिणी": "south",
	"पूर्व": "east", "पूर्वी": "east", "पश्चिम": "west", "पश्चिमी": "west",
	"উত্তর": "north", "দক্ষিণ": "south", "পূর্ব": "east", "পশ্চিম": "west",
}

// connectors are dropped wherever they stand: "Jammu & Kashmir" is
// "Jammu and Kashmir" is "जम्मू और कश्मीर".
var connectors = map[string]bool{"and": true, "और": true, "ও": true, "এবং": true}

// trailingGeneric are words that say what kind of place a name is rather
// than which one; leadingGeneric may also come first ("Zila Sitamarhi").
var (
	trailingGeneric = map[string]bool{
		"district": true, "dist": true, "distt": true, "zila": true, "zilla": true, "zilah": true,
		"jila": true, "jilla": true, "jela": true, "zella": true, "division": true, "province": true,
		"pradesh": true, "state": true,
		"जिला": true, "जिल्ला": true, "प्रदेश": true, "জেলা": true, "বিভাগ": true,
	}
	leadingGeneric = map[string]bool{
		"district": true, "dist": true, "distt": true, "zila": true, "zilla": true, "jila": true, "jilla": true,
		"जिला": true, "जिल्ला": true, "জেলা": true,
	}
)

// split appends the lower-cased words of name to buf and their spans to
// spans. Apostrophes, full stops and zero-width joiners join rather than
// split ("Cox's", "J.P. Nagar"), so abbreviations stay one word; connectors
// ("and", "&") are dropped.
func split(name string, buf []byte, spans []span) ([]byte, []span) {
	s := name
	if !isASCII(s) {
		s = textnorm.ASCIIDigits(textnorm.NFC(s))
	}
	start := len(buf)
	flush := func() {
		if len(buf) == start {
			return
		}
		w := buf[start:]
		if connectors[string(w)] {
			buf = buf[:start]
			return
		}
		spans = append(spans, span{start, len(buf), directions[string(w)]})
		start = len(buf)
	}
	prevASCII := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			switch {
			case r >= 'A' && r <= 'Z':
				buf = append(buf, byte(r+'a'-'A'))
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				buf = append(buf, byte(r))
			case r == '\'' || r == '.':
			default:
				flush()
			}
			prevASCII = true
			continue
		case r == '\u2019' || r == '\u02BC' || r == '\u200C' || r == '\u200D':
			continue // curly apostrophe, modifier apostrophe, ZWNJ, ZWJ
		case isLatin(r):
			for _, d := range norm.NFD.String(string(unicode.ToLower(r))) {
				if d >= 'a' && d <= 'z' {
					buf = append(buf, byte(d))
				}
			}
			prevASCII = true
			continue
		case unicode.Is(unicode.Mn, r) && prevASCII:
			continue // an accent left uncomposed on a Latin letter
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		default:
			flush()
		}
		prevASCII = false
	}
	flush()
	return buf, spans
}

// isLatin reports whether r is an accented Latin letter.
func isLatin(r rune) bool {
	return (r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7) || (r >= 0x1E00 && r <= 0x1EFF)
}

// dropGeneric removes generic words at the ends while a non-direction word
// remains.
func dropGeneric(buf []byte, spans []span) []span {
	content := func(ts []span) int {
		n := 0
		for _, t := range ts {
			if t.dir == "" {
				n++
			}
		}
		return n
	}
	word := func(t span) string { return string(buf[t.start:t.end]) }
	for len(spans) > 1 && trailingGeneric[word(spans[len(spans)-1])] && content(spans[:len(spans)-1]) > 0 {
		spans = spans[:len(spans)-1]
	}
	for len(spans) > 1 && leadingGeneric[word(spans[0])] && content(spans[1:]) > 0 {
		spans = spans[1:]
	}
	return spans
}

// fold appends the folded form of the word w to out. The Latin folds run in
// one pass, left to right, longest pattern first; a doubled letter is
// written once.
func fold(out, w []byte, romanise bool) []byte {
	if len(w) == 0 {
		return out
	}
	if !isASCII(string(w)) {
		var ind [256]byte
		folded := foldIndic(ind[:0], string(w))
		if !romanise || !translit.Has(string(folded)) {
			return append(out, folded...)
		}
		var lat [256]byte
		latin := lat[:0]
		for _, c := range []byte(translit.ToLatin(string(folded))) {
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
				latin = append(latin, c)
			} else if c >= 'A' && c <= 'Z' {
				latin = append(latin, c+'a'-'A')
			}
		}
		if len(latin) == 0 {
			return append(out, folded...)
		}
		w = latin
	}
	start := len(out)
	put := func(c byte) {
		if len(out) > start && out[len(out)-1] == c && c >= 'a' && c <= 'z' {
			return
		}
		out = append(out, c)
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		next := byte(0)
		if i+1 < len(w) {
			next = w[i+1]
		}
		switch {
		case c == 'x':
			put('k')
			put('s')
		case c == 'p' && next == 'h':
			put('f')
			i++
		case c == 'o' && next == 'w' && (i+2 == len(w) || !isVowel(w[i+2])):
			put('o') // chowk = chok, but Gowa keeps its w
			i++
		case c == 'w':
			put('v')
		case c == 'c' && next == 'h' && i+2 < len(w) && w[i+2] == 'h':
			put('c')
			put('h')
			i += 2
		case (c == 's' || c == 't' || c == 'd') && next == 'h':
			put(c)
			i++
		case c == 'r' && next == 'h':
			put('d')
			i++
		case c == 'o' && next == 'o':
			put('u')
			i++
		case c == 'e' && next == 'e':
			put('i')
			i++
		case (c == 'a' || c == 'o') && next == 'u':
			put('o')
			i++
		case c == 'i' && next == 'y' && i+2 < len(w) && w[i+2] == 'a':
			put('i')
			put('a')
			i += 2
		case c == 'q':
			put('k')
		case c == 'c' && next == 'k':
			put('k')
			i++
		case c == 'y' && i == len(w)-1 && i > 0:
			put('i')
		default:
			put(c)
		}
	}
	word := out[start:]
	for _, r := range suffixFolds {
		if j := strings.Index(string(word), r[0]); j >= 0 {
			word = append(word[:j], append([]byte(r[1]), word[j+len(r[0]):]...)...)
		}
	}
	if n := len(word); n > 4 && string(word[n-4:]) == "pore" {
		word = append(word[:n-4], "pur"...)
	}
	if n := len(word); n >= 4 && word[n-1] == 's' {
		word = word[:n-1]
	}
	return out[:start+len(word)]
}

// suffixFolds are the spellings of common name parts, applied once each.
var suffixFolds = [][2]string{
	{"gunge", "ganj"}, {"gunj", "ganj"}, {"gonj", "ganj"}, {"nagor", "nagar"}, {"pada", "para"},
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }

// Devanagari code points used by foldIndic.
const (
	candrabindu = '\u0901'
	anusvara    = '\u0902'
	nukta       = '\u093C'
	virama      = '\u094D'
)

// foldIndic appends t with the spelling variants of local-script names
// folded: in Devanagari the nukta (ज़ = ज for matching), candrabindu for
// anusvara (काठमाडौँ = काठमाडौं), and a nasal consonant with virama before a
// consonant for anusvara (चन्दौली = चंदौली, ओखलढुङ्गा = ओखलढुंगा); in both
// Devanagari and Bengali, long and short i and u (and Bengali ṇ and n). The
// Bengali nukta letters (ড়, য়) are distinct letters and are kept.
func foldIndic(out []byte, t string) []byte {
	var rsArr [64]rune
	rs := rsArr[:0]
	for _, r := range t {
		rs = append(rs, r)
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == nukta:
			continue
		case r == candrabindu:
			r = anusvara
		case isDevaNasal(r) && i+2 < len(rs) && rs[i+1] == virama && isDevaStop(rs[i+2]):
			r = anusvara
			i++ // skip the virama; the consonant follows in the next round
		default:
			if f, ok := indicVowelFolds[r]; ok {
				r = f
			}
		}
		out = utf8.AppendRune(out, r)
	}
	return out
}

// indicVowelFolds writes long i and u as short, and in Bengali the retroflex
// ṇ as n: writers and spelling reforms disagree on them (गाजीपुर/गाजिपुर,
// নেত্রকোণা/নেত্রকোনা, পরগণা/পরগনা), and romanised spellings never keep them
// apart either.
var indicVowelFolds = map[rune]rune{
	'ी': 'ि', 'ू': 'ु', 'ई': 'इ', 'ऊ': 'उ',
	'ী': 'ি', 'ূ': 'ু', 'ঈ': 'ই', 'ঊ': 'উ', 'ণ': 'ন',
}

func isDevaNasal(r rune) bool {
	return r == 'ङ' || r == 'ञ' || r == 'ण' || r == 'न' || r == 'म'
}

// isDevaStop reports whether r is a Devanagari consonant before which a nasal
// is commonly written as anusvara (not य र ल व, where the full form is kept).
func isDevaStop(r rune) bool {
	return r >= 'क' && r <= 'ह' && r != 'य' && r != 'र' && r != 'ऱ' && r != 'ल' && r != 'ळ' && r != 'ऴ' && r != 'व'
}
