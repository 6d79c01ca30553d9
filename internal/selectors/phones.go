package selectors

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"atip/internal/phone"
)

// digitWords are the spelled-out digits people use to hide a number from
// filters, in English, romanised Hindi, Bengali and Nepali, and in
// Devanagari and Bengali script. Words that are also common English words
// ("to", "for", "no") are left out; the rest only count inside a run that
// reads as a whole telephone number, so "do" and "char" in a sentence do no
// harm.
var digitWords = map[string]byte{
	"zero": '0', "sifar": '0', "shunya": '0', "shunyo": '0', "shunno": '0', "sunya": '0', "sunna": '0', "ziro": '0',
	"one": '1', "ek": '1', "aek": '1',
	"two": '2', "do": '2', "dui": '2', "dwi": '2',
	"three": '3', "teen": '3', "tin": '3', "thri": '3',
	"four": '4', "char": '4', "chaar": '4', "chār": '4',
	"five": '5', "paanch": '5', "panch": '5', "pach": '5', "paach": '5', "pāñch": '5',
	"six": '6', "chhe": '6', "chhah": '6', "che": '6', "chah": '6', "chhoy": '6', "choy": '6', "chha": '6', "chay": '6',
	"seven": '7', "saat": '7', "sat": '7', "shat": '7',
	"eight": '8', "aath": '8', "aat": '8', "ath": '8', "att": '8',
	"nine": '9', "nau": '9', "noy": '9', "nou": '9', "nay": '9',
	// Devanagari (Hindi, Nepali)
	"शून्य": '0', "सुन्ना": '0', "शुन्य": '0', "एक": '1', "दो": '2', "दुई": '2', "तीन": '3', "चार": '4',
	"पांच": '5', "पाँच": '5', "छह": '6', "छः": '6', "छे": '6', "छ": '6', "सात": '7', "आठ": '8', "नौ": '9',
	// Bengali
	"শূন্য": '0', "শুন্য": '0', "এক": '1', "দুই": '2', "তিন": '3', "চার": '4', "পাঁচ": '5', "পাচ": '5',
	"ছ\u09af\u09bc": '6', "ছয": '6', "সাত": '7', "আট": '8', "ন\u09af\u09bc": '9', "নয": '9',
}

// wordsByFirst indexes digitWords by their first byte for the decoder.
var wordsByFirst = func() map[byte][]string {
	m := map[byte][]string{}
	for w := range digitWords {
		m[w[0]] = append(m[w[0]], w)
	}
	return m
}()

// multipliers say the next digit is repeated ("double nine" is 99).
var multipliers = map[string]int{"double": 2, "dabal": 2, "doubble": 2, "triple": 3, "tripple": 3, "ট্রিপল": 3, "ডাবল": 2, "डबल": 2}

// decoded is one token of a possible telephone number.
type decoded struct {
	digits    string
	real      int  // ASCII digits (after native digits were mapped)
	words     int  // spelled digits
	lookalike bool // only O/l/I letters standing for digits
	mult      int  // "double"/"triple"
}

// decodeToken reads a token as digits: ASCII digits, spelled-out digit words
// (glued or not: "nine8three1"), letters that look like digits (O for 0,
// l and I for 1) and words with digits for letters ("zer0").
func decodeToken(t string) (decoded, bool) {
	if len(t) > 48 {
		return decoded{}, false
	}
	if allDigits(t) {
		return decoded{digits: t, real: len(t)}, true
	}
	if t[0] >= 0x80 {
		// Native-script digit words are written apart; look the token up whole.
		if d, ok := digitWords[t]; ok {
			return decoded{digits: string(d), words: 1}, true
		}
		if m, ok := multipliers[t]; ok {
			return decoded{mult: m}, true
		}
		return decoded{}, false
	}
	var low [48]byte
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 0x80 {
			return decoded{}, false
		}
		low[i] = lower(c)
	}
	lt := low[:len(t)]
	if m, ok := multipliers[string(lt)]; ok {
		return decoded{mult: m}, true
	}
	// best[i]: the reading of lt[:i] with the fewest look-alikes, kept as
	// a back pointer so that nothing is allocated per position.
	type state struct {
		ok              bool
		prev            int8
		digit           byte
		real, words, la int8
	}
	var best [49]state
	best[0].ok = true
	for i := 0; i < len(lt); i++ {
		cur := best[i]
		if !cur.ok {
			continue
		}
		step := func(j int, d byte, real, word, la int8) {
			n := state{ok: true, prev: int8(i), digit: d, real: cur.real + real, words: cur.words + word, la: cur.la + la}
			if !best[j].ok || n.la < best[j].la {
				best[j] = n
			}
		}
		c := lt[i]
		switch {
		case c >= '0' && c <= '9':
			step(i+1, c, 1, 0, 0)
		case c == 'o':
			step(i+1, '0', 0, 0, 1)
		case c == 'l' || c == 'i':
			step(i+1, '1', 0, 0, 1)
		}
		for _, w := range wordsByFirst[foldDigitLook(c)] {
			if hasPrefixLook(lt[i:], w) {
				step(i+len(w), digitWords[w], 0, 1, 0)
			}
		}
	}
	end := best[len(lt)]
	if !end.ok {
		return decoded{}, false
	}
	var digits [48]byte
	n := 0
	for i := len(lt); i > 0; i = int(best[i].prev) {
		digits[n] = best[i].digit
		n++
	}
	for a, b := 0, n-1; a < b; a, b = a+1, b-1 {
		digits[a], digits[b] = digits[b], digits[a]
	}
	d := decoded{digits: string(digits[:n]), real: int(end.real), words: int(end.words)}
	if end.real == 0 && end.words == 0 {
		// "O", "l", "lol": letters alone only count next to real digits.
		if len(lt) > 2 {
			return decoded{}, false
		}
		d.lookalike = true
	} else if end.la > 0 && end.real+end.words < end.la {
		return decoded{}, false // "oil1" is a word, not a number
	}
	return d, true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldDigitLook maps a digit typed for a letter back to the letter, so that
// "zer0" and "n1ne" find their words.
func foldDigitLook(c byte) byte {
	switch c {
	case '0':
		return 'o'
	case '1':
		return 'i'
	case '3':
		return 'e'
	}
	return c
}

func hasPrefixLook(s []byte, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c, d := s[i], w[i]
		if c == d {
			continue
		}
		switch {
		case c == '0' && d == 'o', c == '1' && (d == 'i' || d == 'l'), c == '3' && d == 'e':
			continue
		}
		return false
	}
	return true
}

// token is a maximal run of letters, marks and digits in the scanned text.
type token struct {
	a, b int
	d    decoded
	ok   bool
}

func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '\u200c' || r == '\u200d'
}

// isRunGap reports whether the text between two tokens may sit inside one
// written telephone number: a few spaces, dashes, dots, brackets or commas.
func isRunGap(g string) bool {
	if utf8.RuneCountInString(g) > 3 {
		return false
	}
	for _, r := range g {
		switch r {
		case ' ', '-', '.', '(', ')', ',', '_', '*', '~', '\u00a0', '\u2013', '\u2014', '\u2011', '\t':
		default:
			return false
		}
	}
	return true
}

// phones finds telephone numbers written in any of the ways people write
// them, and keeps those libphonenumber says are valid.
func (x *extractor) phones() {
	s := x.m.s
	// Runs of decodable tokens separated by number-like gaps, built as the
	// text is read: most words are not digits, so a run stays short and
	// nothing is kept for them.
	var runBuf [24]token
	run := runBuf[:0]
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isTokenRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isTokenRune(r) {
				break
			}
			j += n
		}
		t := token{a: i, b: j}
		if !x.isClaimed(i, j) {
			t.d, t.ok = decodeToken(s[i:j])
		}
		i = j
		if len(run) > 0 && (!t.ok || !isRunGap(s[run[len(run)-1].b:t.a])) {
			x.run(run)
			run = run[:0]
		}
		if t.ok {
			run = append(run, t)
		}
	}
	if len(run) > 0 {
		x.run(run)
	}
}

// run reads numbers out of a run of digit-like tokens: the whole run first,
// then, if that is not one valid number, the longest valid pieces from the
// left ("9812345678, 9876543210" is two numbers).
func (x *extractor) run(toks []token) {
	for i := 0; i < len(toks); {
		found := false
		// A number has at most 15 digits, so at most 16 tokens (one may be
		// "double"); bounding the window keeps long digit runs linear.
		for j := min(len(toks), i+16); j > i; j-- {
			if n, ok := x.tryPhone(toks[i:j]); ok {
				a := toks[i].a
				if a > 0 && x.m.s[a-1] == '+' {
					a--
				}
				x.add(Phone, a, toks[j-1].b, n.E164)
				i = j
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
}

func (x *extractor) tryPhone(toks []token) (phone.Number, bool) {
	var b strings.Builder
	real, words := 0, 0
	mult := 1
	for k, t := range toks {
		if t.d.lookalike && (k == 0 || k == len(toks)-1) {
			return phone.Number{}, false // a lone O or l must sit between digits
		}
		if t.d.mult > 0 {
			mult = t.d.mult
			continue
		}
		d := t.d.digits
		if mult > 1 && d != "" {
			d = strings.Repeat(d[:1], mult) + d[1:]
			mult = 1
		}
		b.WriteString(d)
		real += t.d.real
		words += t.d.words
	}
	digits := b.String()
	if len(digits) < 7 || len(digits) > 15 {
		return phone.Number{}, false
	}
	// Enough evidence that this is meant as a number: real digits, or a
	// long spelled-out sequence.
	if real < 3 && words < 6 && real+words < 7 {
		return phone.Number{}, false
	}
	a := toks[0].a
	plus := a > 0 && x.m.s[a-1] == '+'
	return x.parse(digits, plus)
}

// countryCodes are the calling codes of the regions ATIP expects, tried when
// a long number is written without "+" or "00".
var countryCodes = []string{"91", "977", "880", "94", "971", "966", "974", "965", "968", "973"}

func (x *extractor) parse(digits string, plus bool) (phone.Number, bool) {
	if plus {
		return parsePhone("+"+digits, "")
	}
	if strings.HasPrefix(digits, "00") {
		return parsePhone(digits, "")
	}
	if len(digits) >= 11 {
		for _, cc := range countryCodes {
			if strings.HasPrefix(digits, cc) {
				if n, ok := parsePhone("+"+digits, ""); ok && n.Mobile {
					return n, true
				}
			}
		}
	}
	trunk := digits[0] == '0'
	for _, r := range x.regionOrder(digits) {
		if !plausible(digits, r) {
			continue
		}
		n, ok := parsePhone(digits, r)
		if !ok {
			continue
		}
		// Without a trunk 0 or a country code a number must be a mobile:
		// otherwise salaries and dates pass for landlines.
		if !trunk && !n.Mobile {
			continue
		}
		return n, true
	}
	return phone.Number{}, false
}

// plausible is a cheap length-and-prefix test of whether digits (written
// without a country code) could be a number of region; it spares
// libphonenumber, which is slow, the candidates that cannot be.
func plausible(d, region string) bool {
	n, c := len(d), d[0]
	switch region {
	case "IN":
		return n == 10 && c >= '6' || n == 11 && c == '0'
	case "NP":
		return n == 10 && c == '9' || n >= 8 && n <= 10 && c == '0'
	case "BD":
		return n == 10 && c == '1' || n >= 9 && n <= 11 && c == '0'
	case "LK":
		return n == 9 && c == '7' || n == 10 && c == '0'
	case "AE", "SA":
		return n == 9 && c == '5' || n >= 9 && n <= 10 && c == '0'
	case "QA", "KW", "OM", "BH":
		return n == 8
	}
	return true
}

// regionCues are words that say which country a text is about; they decide
// between readings that are valid in more than one country (a ten-digit
// 98… is a mobile in India and in Nepal).
var regionCues = map[string][]string{
	"NP": {"nepal", "नेपाल", "kathmandu", "काठमाडौं", "काठमाडौँ", "pokhara", "पोखरा", "npr", "ncell", "नेपाली", "nepali", "নেপাল",
		// Words of Nepali that Hindi does not use: a Nepali post need not name the country.
		"राहदानी", "चाहियो", "हरू", "छैन", "गर्नुहोस्", "सम्पर्क", "तलब", "रुपैयाँ", "rahadani", "chahiyo", "ketiharu", "garnuhos", "samparka"},
	"BD": {"bangladesh", "বাংলাদেশ", "dhaka", "ঢাকা", "bkash", "বিকাশ", "nagad", "নগদ", "taka", "টাকা", "৳"},
	"LK": {"sri lanka", "srilanka", "colombo", "lkr", "ශ්\u200dරී ලංකා"},
	"AE": {"dubai", "uae", "abu dhabi", "sharjah", "दुबई", "দুবাই", "ডুবাই", "aed", "dirham"},
	"SA": {"saudi", "riyadh", "jeddah", "सऊदी", "साउदी", "সৌদি", "riyal"},
	"QA": {"qatar", "doha", "कतार", "কাতার"},
	"KW": {"kuwait", "कुवैत", "কুয়েত"},
	"OM": {"oman", "muscat", "ओमान", "ওমান"},
	"BH": {"bahrain", "बहरीन", "বাহরাইন"},
	"IN": {"india", "भारत", "ভারত", "delhi", "mumbai", "kolkata", "₹", "दिल्ली", "मुंबई", "কলকাতা"},
}

type cueSet struct{ has map[string]bool }

var defaultRegions = phone.Regions

var gulf = map[string]bool{"AE": true, "SA": true, "QA": true, "KW": true, "OM": true, "BH": true}

func (x *extractor) regionOrder(digits string) []string {
	if x.cues == nil {
		low := strings.ToLower(x.m.s)
		c := &cueSet{has: map[string]bool{}}
		for r, ws := range regionCues {
			for _, w := range ws {
				if strings.Contains(low, w) {
					c.has[r] = true
					break
				}
			}
		}
		x.cues = c
	}
	order := make([]string, 0, len(defaultRegions))
	// A Bangladeshi mobile (01[3-9] and eight digits) comes first unless
	// the text is about India.
	if len(digits) == 11 && strings.HasPrefix(digits, "01") && digits[2] >= '3' && !x.cues.has["IN"] {
		order = append(order, "BD")
	}
	for _, r := range defaultRegions {
		if x.cues.has[r] && r != "IN" {
			order = append(order, r)
		}
	}
	for _, r := range defaultRegions {
		if x.cues.has[r] && r != "IN" {
			continue
		}
		// Eight-digit Gulf numbers and nine-digit Sri Lankan ones are too
		// easily other numbers; they need the country named in the text.
		if (gulf[r] || r == "LK") && !x.cues.has[r] && digits[0] != '0' {
			continue
		}
		order = append(order, r)
	}
	return order
}
