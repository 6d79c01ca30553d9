package tips

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"atip/internal/textnorm"
	"atip/internal/translit"
)

// Matching happens on a "folded" form of the text: every word is put in
// NFC with ASCII digits, written in Latin if it is Devanagari or Bengali
// (through internal/translit), lower-cased, and reduced by a few spelling
// folds that romanised Hindi, Bengali and Nepali writers disagree on
// (ph/f, sh/s, w/v, z/j, doubled letters, aa/a, ee/i, final a …). Lexicon
// patterns go through the same function, so a Devanagari phrase, its
// Bengali cognate and the way a Hinglish writer types it meet in one form.
//
// Words are joined by a space; where the original has a sentence break
// (. ! ? । ॥ or a new line) they are joined by sentBreak instead, so that a
// phrase cannot match across two sentences.

const sentBreak = '\x01'

// word is one token of the original text and where its folded form sits.
type word struct {
	origStart, origEnd int32
	foldStart, foldEnd int32
}

// folded is a text prepared for matching.
type folded struct {
	buf   []byte
	words []word
	// cache holds the folded form of non-ASCII words seen before:
	// transliteration is the costliest step and posts reuse few words.
	cache map[string]string
}

// maxCache bounds the cache of one folded (one per worker goroutine).
const maxCache = 1 << 14

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '\u200c' || r == '\u200d'
}

func isSentenceBreak(r rune) bool {
	switch r {
	case '.', '!', '?', '\n', '।', '॥', ';', '|':
		return true
	}
	return false
}

// fold prepares text. f is reused between calls to save allocations.
func (f *folded) fold(text string) {
	f.buf = f.buf[:0]
	f.words = f.words[:0]
	brk := false
	for i := 0; i < len(text); {
		c := text[i]
		var r rune
		n := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		if !(c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) && !isWordRune(r) {
			if isSentenceBreak(r) {
				brk = true
			}
			i += n
			continue
		}
		j := i + n
		ascii := c < utf8.RuneSelf
		for j < len(text) {
			d := text[j]
			if d < utf8.RuneSelf {
				if d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z' || d >= '0' && d <= '9' {
					j++
					continue
				}
				break
			}
			r, m := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			ascii = false
			j += m
		}
		if len(f.words) > 0 {
			if brk {
				f.buf = append(f.buf, sentBreak)
			} else {
				f.buf = append(f.buf, ' ')
			}
		}
		brk = false
		w := text[i:j]
		start := len(f.buf)
		if ascii {
			f.buf = appendFold(f.buf, w)
		} else if c, ok := f.cache[w]; ok {
			f.buf = append(f.buf, c...)
		} else {
			l := strings.ToLower(translit.ToLatin(textnorm.ASCIIDigits(textnorm.NFC(w))))
			f.buf = appendFold(f.buf, l)
			if f.cache == nil {
				f.cache = make(map[string]string)
			}
			if len(f.cache) < maxCache {
				f.cache[strings.Clone(w)] = string(f.buf[start:])
			}
		}
		if len(f.buf) == start {
			// A word that folds to nothing (joiners alone) is no word.
			if len(f.words) > 0 {
				f.buf = f.buf[:start-1]
			}
			i = j
			continue
		}
		f.words = append(f.words, word{origStart: int32(i), origEnd: int32(j), foldStart: int32(start), foldEnd: int32(len(f.buf))})
		i = j
	}
}

// appendFold appends the folded spelling of one word (ASCII letters are
// lower-cased here; anything else is copied).
func appendFold(dst []byte, w string) []byte {
	start := len(dst)
	for i := 0; i < len(w); i++ {
		c := lower(w[i])
		if c >= utf8.RuneSelf {
			if strings.HasPrefix(w[i:], "\u200c") || strings.HasPrefix(w[i:], "\u200d") {
				i += 2 // joiners say how to draw, not what is said
				continue
			}
			dst = append(dst, w[i])
			continue
		}
		var nx byte
		if i+1 < len(w) {
			nx = lower(w[i+1])
		}
		switch {
		case nx == 'h' && strings.IndexByte("pcsktdbjgr", c) >= 0:
			// Aspirates and sh/ch/ph: one letter each.
			if c == 'p' {
				c = 'f'
			}
			i++
			for i+1 < len(w) && lower(w[i+1]) == 'h' {
				i++
			}
		case c == 'c' && nx == 'k':
			c = 'k'
			i++
		case c == 'w':
			c = 'v'
		case c == 'z':
			c = 'j'
		case c == 'q':
			c = 'k'
		case c == 'e' && nx == 'e', c == 'i' && nx == 'i':
			c = 'i'
			i++
		case c == 'o' && nx == 'o', c == 'u' && nx == 'u':
			c = 'u'
			i++
		case c == 'a' && nx == 'u':
			c = 'o'
			i++
		case (c == 'a' || c == 'e') && nx == 'i':
			c = 'e'
			i++
		case c == 'y' && i == len(w)-1:
			c = 'i' // salary/salari, ladki/ladky
		}
		if n := len(dst); n > start && dst[n-1] == c && c >= 'a' && c <= 'z' {
			continue // doubled letters: "achchhi", "passport"
		}
		dst = append(dst, c)
	}
	// The inherent a a transliteration keeps at the end of a word is
	// often dropped in Latin writing (pasporta/passport, matra/matr).
	if n := len(dst); n-start >= 4 && dst[n-1] == 'a' && !isVowel(dst[n-2]) {
		dst = dst[:n-1]
	}
	return dst
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// foldPattern folds a lexicon pattern exactly as text is folded.
func foldPattern(p string) string {
	var f folded
	f.fold(p)
	return string(f.buf)
}
