package selectors

import (
	"strings"
)

// upiPSPs are the handles of UPI payment service providers (the part after
// "@" in a UPI id). An "x@y" whose y is one of these is a payment id, not a
// mail address or a social handle.
var upiPSPs = map[string]bool{
	"okaxis": true, "okhdfcbank": true, "okicici": true, "oksbi": true, "ybl": true, "ibl": true, "axl": true,
	"paytm": true, "pthdfc": true, "ptsbi": true, "ptyes": true, "ptaxis": true, "upi": true, "apl": true,
	"yapl": true, "rapl": true, "axisbank": true, "axisb": true, "icici": true, "sbi": true, "hdfcbank": true,
	"kotak": true, "kmbl": true, "fbl": true, "federal": true, "idfcbank": true, "idfcfirst": true,
	"indus": true, "yesbank": true, "yesbankltd": true, "pnb": true, "boi": true, "barodampay": true,
	"unionbank": true, "cnrb": true, "airtel": true, "jupiteraxis": true, "waicici": true, "waaxis": true,
	"wahdfcbank": true, "wasbi": true, "freecharge": true, "mobikwik": true, "ikwik": true, "jio": true,
	"abfspay": true, "slc": true, "superyes": true, "timecosmos": true, "naviaxis": true, "postbank": true,
	"aubank": true, "dbs": true, "rbl": true, "equitas": true, "jkb": true, "uco": true, "cbin": true,
}

// ats reads everything around an "@": e-mail addresses, UPI ids and
// social-media handles.
func (x *extractor) ats() {
	s := x.m.s
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		a := i
		for a > 0 && isLocalChar(s[a-1]) {
			a--
		}
		b := i + 1
		for b < len(s) && (isASCIIAlnum(s[b]) || s[b] == '.' || s[b] == '-' || s[b] == '_') {
			b++
		}
		for b > i+1 && (s[b-1] == '.' || s[b-1] == '-' || s[b-1] == '_') {
			b--
		}
		for a < i && s[a] == '.' {
			a++
		}
		if x.isClaimed(i, i+1) {
			i = b - 1
			continue
		}
		local, domain := s[a:i], s[i+1:b]
		if domain == "" {
			continue
		}
		switch {
		case local == "":
			// "@name": a handle, unless the @ sits inside a word.
			if validHandle(domain) && !strings.Contains(domain, "..") {
				x.claim(i, b)
				x.add(Handle, i, b, "@"+strings.ToLower(strings.TrimRight(domain, ".")))
			}
		case upiPSPs[strings.ToLower(domain)]:
			x.claim(a, b)
			x.add(UPI, a, b, strings.ToLower(local+"@"+domain))
			if allDigits(local) {
				if p, ok := parsePhone(local, "IN"); ok && p.Mobile {
					x.add(Phone, a, i, p.E164)
				}
			}
		case isEmailDomain(domain) && !strings.Contains(local, ".."):
			x.claim(a, b)
			x.add(Email, a, b, strings.ToLower(local+"@"+domain))
		case allDigits(local) && len(local) == 10 && isWord(domain):
			// 98xxxxxxxx@somebank: a UPI id at a provider not on the list.
			x.claim(a, b)
			x.add(UPI, a, b, strings.ToLower(local+"@"+domain))
		}
		i = b - 1
	}
}

func isLocalChar(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isWord(s string) bool {
	if len(s) < 2 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return true
}

// isEmailDomain: labels of letters, digits and hyphens, at least one dot,
// and a top-level label of two or more letters.
func isEmailDomain(d string) bool {
	dot := strings.LastIndexByte(d, '.')
	if dot <= 0 || len(d)-dot-1 < 2 || strings.Contains(d, "..") || strings.Contains(d, "_") {
		return false
	}
	for i := dot + 1; i < len(d); i++ {
		if !isLetter(d[i]) {
			return false
		}
	}
	return true
}
