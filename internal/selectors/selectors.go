// Package selectors finds the identifiers that link records — phone numbers,
// WhatsApp and Telegram links, e-mail addresses, URLs, social-media handles,
// UPI and bank ids, passport-like numbers — in free text written in English,
// Hindi, Bengali and Nepali, and writes each in one normal form so that the
// same number typed three ways is one selector.
//
// Text is normalised first (NFC, native digits to ASCII, spelled-out and
// look-alike digits decoded), but every span reported is a byte range of the
// text the caller passed in. Extract is a pure function: no I/O, no state.
package selectors

import (
	"sort"
	"strings"
)

// Type names a kind of selector. The strings are part of the CLI's output
// contract and of stored data: never rename one.
type Type string

const (
	Phone    Type = "phone"    // E.164, e.g. +919830123456
	WhatsApp Type = "whatsapp" // E.164 of a wa.me number, or chat.whatsapp.com/CODE of a group
	Telegram Type = "telegram" // t.me/name (lower case) or t.me/+CODE of an invite
	Email    Type = "email"    // lower-case address
	URL      Type = "url"      // scheme://host/path, lower-case host, no www., no tracking parameters
	Handle   Type = "handle"   // @name, lower case, from "@name" or a profile URL
	UPI      Type = "upi"      // name@psp, lower case
	IBAN     Type = "iban"     // upper case, no spaces, checksum verified
	Passport Type = "passport" // upper case, no spaces
)

// Selector is one identifier found in a text.
type Selector struct {
	Type       Type   `json:"type"`
	Value      string `json:"value"`      // as written: text[Start:End]
	Normalized string `json:"normalized"` // the normal form: equal selectors have equal Normalized
	Start      int    `json:"start"`      // byte offset into the original text
	End        int    `json:"end"`
}

// Key is what two records must share to be linked through this selector.
// A WhatsApp number is the same phone, so it keys as a phone.
func (s Selector) Key() string {
	if s.Type == WhatsApp && strings.HasPrefix(s.Normalized, "+") {
		return string(Phone) + ":" + s.Normalized
	}
	return string(s.Type) + ":" + s.Normalized
}

// maxText bounds the work done on one text; longer texts are scanned up to
// this many bytes (a post is rarely over a few kilobytes).
const maxText = 64 << 10

// Extract returns the selectors in text, ordered by position. Overlapping
// selectors of different types may both be reported (a wa.me link is both a
// WhatsApp selector and a phone).
func Extract(text string) []Selector {
	if len(text) > maxText {
		text = text[:maxText]
	}
	m := newMapped(text)
	x := extractor{m: m, orig: text}
	x.urls()
	x.ats()
	x.ibans()
	x.passports()
	x.phones()
	sort.SliceStable(x.out, func(i, j int) bool {
		if x.out[i].Start != x.out[j].Start {
			return x.out[i].Start < x.out[j].Start
		}
		return x.out[i].Type < x.out[j].Type
	})
	return dedupe(x.out)
}

func dedupe(in []Selector) []Selector {
	if len(in) < 2 {
		return in
	}
	if len(in) > 64 {
		return dedupeMap(in)
	}
	out := in[:0]
	for _, s := range in {
		dup := false
		for _, o := range out { // few selectors per text: a scan beats a map
			if o.Start == s.Start && o.Type == s.Type && o.Normalized == s.Normalized {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

func dedupeMap(in []Selector) []Selector {
	type key struct {
		t     Type
		n     string
		start int
	}
	seen := make(map[key]bool, len(in))
	out := in[:0]
	for _, s := range in {
		k := key{s.Type, s.Normalized, s.Start}
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

type extractor struct {
	m       mapped
	orig    string
	claimed []bool // bytes of m.s already part of a selector that phones must not reuse
	out     []Selector
	cues    *cueSet
}

// add records a selector found at m.s[a:b].
func (x *extractor) add(t Type, a, b int, normalized string) {
	oa, ob := x.m.orig(a, b)
	x.out = append(x.out, Selector{Type: t, Value: x.orig[oa:ob], Normalized: normalized, Start: oa, End: ob})
}

func (x *extractor) claim(a, b int) {
	if x.claimed == nil {
		x.claimed = make([]bool, len(x.m.s)) // most texts claim nothing
	}
	for i := a; i < b && i < len(x.claimed); i++ {
		x.claimed[i] = true
	}
}

func (x *extractor) isClaimed(a, b int) bool {
	if x.claimed == nil {
		return false
	}
	for i := a; i < b && i < len(x.claimed); i++ {
		if x.claimed[i] {
			return true
		}
	}
	return false
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
