package selectors

import (
	"unicode/utf8"

	"atip/internal/textnorm"

	"golang.org/x/text/unicode/norm"
)

// mapped is text prepared for scanning (NFC, native digits as ASCII) that
// remembers, for every byte, where it came from in the original, so that
// every span reported to a caller is a byte range of what the caller passed.
type mapped struct {
	s     string
	start []int32 // start[i]: original offset of the unit that produced s[i]; nil when s is the original
	end   []int32 // end[i]: original end of that unit
}

func newMapped(orig string) mapped {
	if utf8.ValidString(orig) && !needsDigits(orig) && norm.NFC.IsNormalString(orig) {
		return mapped{s: orig}
	}
	out := make([]byte, 0, len(orig))
	start := make([]int32, 0, len(orig))
	end := make([]int32, 0, len(orig))
	for i := 0; i < len(orig); {
		// One normalisation segment at a time, so that a composed character
		// maps back to all the code points it was made from.
		n := norm.NFC.NextBoundaryInString(orig[i:], true)
		if n <= 0 {
			n = len(orig) - i
		}
		seg := orig[i : i+n]
		if !utf8.ValidString(seg) {
			seg = string([]rune(seg)) // invalid bytes become U+FFFD
		}
		seg = textnorm.ASCIIDigits(norm.NFC.String(seg))
		for j := 0; j < len(seg); j++ {
			out = append(out, seg[j])
			start = append(start, int32(i))
			end = append(end, int32(i+n))
		}
		i += n
	}
	return mapped{s: string(out), start: start, end: end}
}

func needsDigits(s string) bool {
	for _, r := range s {
		if r >= 0x80 && textnorm.DigitValue(r) >= 0 {
			return true
		}
	}
	return false
}

// orig converts a byte range of the scanned text to the original text.
func (m mapped) orig(a, b int) (int, int) {
	if m.start == nil {
		return a, b
	}
	if a >= b {
		if a >= len(m.start) {
			return int(m.end[len(m.end)-1]), int(m.end[len(m.end)-1])
		}
		return int(m.start[a]), int(m.start[a])
	}
	return int(m.start[a]), int(m.end[b-1])
}
