// Package textnorm prepares text written in South Asian scripts for matching:
// Unicode NFC, and the native digits of Devanagari, Bengali, Gurmukhi, Odia,
// Gujarati, Tamil, Telugu, Kannada, Malayalam, Sinhala and Arabic-Indic
// written as ASCII digits. It knows nothing of names, phones or places; the
// packages that do build on it.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// digitZeros are the code points of the digit zero of each script whose
// digits users type; the nine that follow each are 1–9.
var digitZeros = []rune{
	0x0660, // Arabic-Indic
	0x06F0, // Extended Arabic-Indic (Urdu, Persian)
	0x0966, // Devanagari (Hindi, Nepali, Marathi)
	0x09E6, // Bengali–Assamese
	0x0A66, // Gurmukhi
	0x0AE6, // Gujarati
	0x0B66, // Odia
	0x0BE6, // Tamil
	0x0C66, // Telugu
	0x0CE6, // Kannada
	0x0D66, // Malayalam
	0x0DE6, // Sinhala Lith
	0xFF10, // fullwidth
}

// DigitValue returns the value 0–9 of r when r is a decimal digit of ASCII or
// of one of the scripts above, and -1 otherwise.
func DigitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	for _, z := range digitZeros {
		if r >= z && r <= z+9 {
			return int(r - z)
		}
	}
	return -1
}

// ASCIIDigits returns s with every native decimal digit replaced by its ASCII
// digit. Byte offsets change only where digits were replaced (native digits
// take three bytes, ASCII one).
func ASCIIDigits(s string) string {
	if !hasNativeDigit(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if d := DigitValue(r); d >= 0 {
			b.WriteByte(byte('0' + d))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasNativeDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if r >= utf8.RuneSelf && DigitValue(r) >= 0 {
					return true
				}
			}
			return false
		}
	}
	return false
}

// NFC returns s in Unicode normalisation form C. Invalid UTF-8 is replaced
// by U+FFFD, so what comes out is always valid.
func NFC(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return norm.NFC.String(s)
}

// Clean is NFC plus ASCII digits plus folding every run of white space
// (including zero-width and no-break spaces) to one ASCII space, trimmed.
// Zero-width joiners inside Indic words are kept: they change how a
// conjunct is written, not what it says, and removing them is the
// transliterator's business.
func Clean(s string) string {
	s = ASCIIDigits(NFC(s))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200B' || r == '\uFEFF' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
