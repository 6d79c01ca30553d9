// Package translit writes names and short texts in the scripts of South Asia
// (Devanagari, Bengali–Assamese, Gurmukhi, Odia, Sinhala) in the informal
// Latin spelling people use for them in registers: मोहम्मद → mohammad,
// लक्ष्मी → lakshmi, সুমাইয়া আক্তার → sumaiya aktar.
//
// The letters and their spellings are data (scripts.tsv, derived from the
// MIT-licensed tables of @indic-transliteration/common_maps); the code here
// only knows how syllables are built and when the inherent vowel is not
// spoken. Scholarly transliteration (mōham'mada) keeps every inherent vowel
// and every diacritic, which matches nothing a clerk types; this package
// drops the inherent vowel where Hindi, Bengali, Punjabi, Odia and Nepali
// speakers drop it:
//
//   - at the end of a word after a single consonant (रमेश → ramesh; but
//     मिश्र → mishra, since a final cluster keeps it);
//   - inside a word between a vowel and a consonant that carries a vowel of
//     its own, or a consonant cluster ending in r that does (कमला → kamla,
//     राजकुमार → rajkumar, जनकपुर → janakpur, ਗੁਰਪ੍ਰੀਤ → gurprit), decided
//     from the right so that two neighbouring inherent vowels do not both
//     go. Compound names defeat any rule without a dictionary (लालबहादुर
//     comes out lalabhadur); the names package's phonetic key ignores a
//     word-internal a for that reason.
//
// Sinhala keeps its inherent vowels (ප්‍රියන්ත → priyanta). Latin text and
// everything that is not a letter of these scripts pass through unchanged,
// so ToLatin can be applied to any field without looking at it first.
package translit

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

//go:embed scripts.tsv
var scriptsTSV string

type class uint8

const (
	clsNone      class = iota
	clsVowel           // independent vowel
	clsSign            // vowel sign following a consonant
	clsConsonant       // consonant with inherent vowel
	clsCoda            // anusvara, candrabindu, visarga
	clsVirama          // kills the inherent vowel
	clsSymbol          // om, avagraha, danda
	clsDouble          // Gurmukhi addak: doubles the next consonant
	clsIgnore          // nukta on its own, joiners
	clsConjunct        // virama and a consonant written with a special local sound (Bengali ্য → y)
)

type letter struct {
	latin  string
	cls    class
	schwa  bool // the script drops inherent vowels as described above
	script uint8
}

// table maps a letter sequence (NFC) to its entry; maxRunes is the longest
// sequence, for greedy matching.
var (
	table    = map[string]letter{}
	maxRunes = 1
)

func init() {
	scripts := map[string]uint8{"deva": 1, "beng": 2, "asm": 2, "guru": 3, "orya": 4, "sinh": 5}
	classes := map[string]class{"V": clsVowel, "M": clsSign, "C": clsConsonant, "N": clsCoda,
		"H": clsVirama, "S": clsSymbol, "D": clsDouble, "Z": clsIgnore, "J": clsConjunct}
	for line := range strings.SplitSeq(scriptsTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			panic("translit: bad line in scripts.tsv: " + line)
		}
		sc, ok1 := scripts[f[0]]
		cl, ok2 := classes[f[1]]
		if !ok1 || !ok2 || f[2] == "" {
			panic("translit: bad line in scripts.tsv: " + line)
		}
		key := norm.NFC.String(f[2])
		table[key] = letter{latin: f[3], cls: cl, schwa: sc != 5, script: sc}
		if n := utf8.RuneCountInString(key); n > maxRunes {
			maxRunes = n
		}
	}
	for _, j := range []string{"\u200c", "\u200d"} {
		table[j] = letter{cls: clsIgnore}
	}
}

// inScripts reports whether r belongs to one of the blocks this package
// writes in Latin (Devanagari through Odia, and Sinhala).
func inScripts(r rune) bool {
	return (r >= 0x0900 && r <= 0x0B7F) || (r >= 0x0D80 && r <= 0x0DFF) || r == 0x200c || r == 0x200d
}

// Has reports whether s contains a letter this package would transliterate.
func Has(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if inScripts(r) && r != 0x200c && r != 0x200d {
					return true
				}
			}
			return false
		}
	}
	return false
}

// ToLatin returns s with every word in a supported script written in
// informal lower-case Latin. Everything else, Latin included, is copied
// unchanged, so ToLatin("Puja कुमारी") is "Puja kumari". In text that has
// Indic letters, invalid UTF-8 becomes U+FFFD.
func ToLatin(s string) string {
	if !Has(s) {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	var w word
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !inScripts(r) {
			w.flush(&b)
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		// Greedy longest match of a letter sequence starting at i.
		end, found := i, letter{}
		j, n := i, 0
		for j < len(s) && n < maxRunes {
			_, sz := utf8.DecodeRuneInString(s[j:])
			j += sz
			n++
			if l, ok := table[s[i:j]]; ok {
				end, found = j, l
			}
		}
		if end == i { // a letter of these blocks the tables do not know
			w.flush(&b)
			i += size
			continue
		}
		w.add(found)
		i = end
	}
	w.flush(&b)
	return b.String()
}

// unit is one syllable-building piece of a word.
type unit struct {
	cons     string // consonant spelling, "" for an independent vowel or coda
	vowel    string // vowel spelling; "" when killed by a virama or deleted
	cls      class
	inherent bool // vowel is the inherent a, a candidate for deletion
	double   bool // consonant doubled by a preceding addak
}

type word struct {
	units    []unit
	schwa    bool
	doubling bool
}

func (w *word) add(l letter) {
	last := len(w.units) - 1
	switch l.cls {
	case clsConjunct:
		if last >= 0 && w.units[last].cls == clsConsonant {
			w.units[last].vowel, w.units[last].inherent = "", false
		}
		l.cls = clsConsonant
		w.add(l)
	case clsConsonant:
		w.units = append(w.units, unit{cons: l.latin, vowel: "a", cls: clsConsonant, inherent: true, double: w.doubling})
		w.doubling = false
		w.schwa = l.schwa
	case clsSign:
		if last >= 0 && w.units[last].cls == clsConsonant && w.units[last].inherent {
			w.units[last].vowel, w.units[last].inherent = l.latin, false
		} else { // a stray sign: write its sound
			w.units = append(w.units, unit{vowel: l.latin, cls: clsVowel})
		}
	case clsVirama:
		if last >= 0 && w.units[last].cls == clsConsonant {
			w.units[last].vowel, w.units[last].inherent = "", false
		}
	case clsVowel:
		w.units = append(w.units, unit{vowel: l.latin, cls: clsVowel})
		w.schwa = w.schwa || l.schwa
	case clsCoda:
		w.units = append(w.units, unit{cons: l.latin, cls: clsCoda})
	case clsSymbol:
		w.units = append(w.units, unit{cons: l.latin, cls: clsSymbol})
	case clsDouble:
		w.doubling = true
	}
}

func (u *unit) hasVowel() bool { return u.vowel != "" }

// flush drops the unspoken inherent vowels of the word collected so far and
// writes it.
func (w *word) flush(b *strings.Builder) {
	us := w.units
	if len(us) == 0 {
		w.doubling = false
		return
	}
	if w.schwa {
		dropSchwas(us)
	}
	for i := range us {
		u := &us[i]
		switch u.cls {
		case clsCoda:
			// Anusvara is m before a labial and ng before h (सिंह → singh).
			c := u.cons
			if c == "n" && i+1 < len(us) && us[i+1].cls == clsConsonant && us[i+1].cons != "" {
				switch us[i+1].cons[0] {
				case 'p', 'b', 'm':
					c = "m"
				case 'h':
					c = "ng"
				}
			}
			b.WriteString(c)
		default:
			if u.double && u.cons != "" {
				b.WriteByte(u.cons[0])
			}
			b.WriteString(u.cons)
			b.WriteString(u.vowel)
		}
	}
	w.units = us[:0]
	w.doubling = false
}

// dropSchwas applies the two deletion rules of the package comment.
func dropSchwas(us []unit) {
	n := len(us)
	syllables := 0
	for i := range us {
		if us[i].hasVowel() {
			syllables++
		}
	}
	if syllables < 2 {
		return
	}
	last := n - 1
	if u := &us[last]; u.cls == clsConsonant && u.inherent && last > 0 && (us[last-1].hasVowel() || us[last-1].cls == clsCoda) {
		u.vowel, u.inherent = "", false
	}
	for i := last - 1; i >= 1; i-- {
		u := &us[i]
		if u.cls != clsConsonant || !u.inherent {
			continue
		}
		prev, next := &us[i-1], &us[i+1]
		if prev.hasVowel() && next.cls == clsConsonant && (next.hasVowel() || rOnset(us, i+1)) {
			u.vowel, u.inherent = "", false
		}
	}
}

// rOnset reports whether us[i] starts a cluster like pr, br or kr (a
// consonant, virama, then r with a vowel), before which the inherent vowel
// is dropped as before a single consonant.
func rOnset(us []unit, i int) bool {
	return i+1 < len(us) && !us[i].hasVowel() && us[i+1].cls == clsConsonant && us[i+1].cons == "r" && us[i+1].hasVowel()
}
