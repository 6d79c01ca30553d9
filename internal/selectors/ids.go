package selectors

import (
	"strings"
)

// ibanLengths are the IBAN lengths of the countries whose accounts appear in
// recruitment and remittance posts (the Gulf states, Pakistan and a few
// European ones). A code not listed here is not read as an IBAN.
var ibanLengths = map[string]int{
	"AE": 23, "SA": 24, "QA": 29, "KW": 30, "BH": 22, "OM": 23, "JO": 30, "PK": 24,
	"GB": 22, "DE": 22, "FR": 27, "IT": 27, "NL": 18, "TR": 26, "LB": 28, "EG": 29,
}

// ibans finds IBANs written with or without spaces between groups of four,
// and keeps those whose ISO 13616 check digits verify.
func (x *extractor) ibans() {
	s := x.m.s
	for i := 0; i+4 <= len(s); i++ {
		if !isUpper(s[i]) || !isUpper(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) || i > 0 && isASCIIAlnum(s[i-1]) {
			continue
		}
		n, ok := ibanLengths[s[i:i+2]]
		if !ok {
			continue
		}
		var b strings.Builder
		j := i
		for j < len(s) && b.Len() < n {
			c := s[j]
			if isASCIIAlnum(c) {
				b.WriteByte(upper(c))
				j++
				continue
			}
			if c == ' ' && j+1 < len(s) && isASCIIAlnum(s[j+1]) {
				j++
				continue
			}
			break
		}
		if b.Len() != n || j < len(s) && isASCIIAlnum(s[j]) || !ibanValid(b.String()) {
			continue
		}
		x.claim(i, j)
		x.add(IBAN, i, j, b.String())
		i = j - 1
	}
}

func ibanValid(s string) bool {
	r := s[4:] + s[:4]
	mod := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case isDigit(c):
			mod = (mod*10 + int(c-'0')) % 97
		case isUpper(c):
			v := int(c-'A') + 10
			mod = (mod*100 + v) % 97
		default:
			return false
		}
	}
	return mod == 1
}

// passportWords announce a passport number in the languages of the posts.
var passportWords = []string{"passport", "pasport", "ppt", "pp no", "pp#", "पासपोर्ट", "राहदानी", "পাসপোর্ট"}

// passports finds passport-like numbers: India's letter and seven digits,
// Bangladesh's two letters and seven digits anywhere, and Nepal's eight or
// nine digits only after a word that says "passport" (otherwise they are
// indistinguishable from other numbers).
func (x *extractor) passports() {
	s := x.m.s
	for i := 0; i < len(s); {
		if !isASCIIAlnum(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isASCIIAlnum(s[j]) {
			j++
		}
		tok := s[i:j]
		// A token glued to a non-ASCII letter (a Devanagari suffix) is still a token.
		switch {
		case len(tok) == 8 && isUpper(tok[0]) && allDigits(tok[1:]) && tok[1] != '0':
			x.claim(i, j)
			x.add(Passport, i, j, tok)
		case len(tok) == 9 && isUpper(tok[0]) && isUpper(tok[1]) && allDigits(tok[2:]):
			x.claim(i, j)
			x.add(Passport, i, j, tok)
		case (len(tok) == 8 || len(tok) == 9) && allDigits(tok) && x.passportContext(i) && !x.isClaimed(i, j):
			x.claim(i, j)
			x.add(Passport, i, j, tok)
		}
		i = j
	}
}

// passportContext reports whether a passport word ends within 25 bytes
// before position i.
func (x *extractor) passportContext(i int) bool {
	a := i - 40
	if a < 0 {
		a = 0
	}
	w := strings.ToLower(x.m.s[a:i])
	for _, p := range passportWords {
		if k := strings.LastIndex(w, p); k >= 0 && len(w)-(k+len(p)) <= 25 {
			return true
		}
	}
	return false
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
