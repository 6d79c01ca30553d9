package networks

import (
	"runtime"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Near-duplicate texts are found with MinHash over word 3-shingles, in its
// one-permutation form: every shingle is hashed once, the hash picks one of
// sigBins bins and the smallest value per bin is kept (empty bins borrow
// from the next full one). Locality-sensitive hashing then puts texts whose
// signatures agree on a whole band of rows into one bucket; only texts that
// share a bucket are compared, so the cost grows with the number of texts,
// not its square.
//
// Digits are masked before shingling so that the same template with
// another phone number, age or salary is still the same template.
const (
	sigBins     = 32
	bands       = 10
	rows        = 3
	minShingles = 6
)

type signature [sigBins]uint32

func nearDuplicates(items []Item, threshold float64) [][2]int {
	sigs := make([]signature, len(items))
	ok := make([]bool, len(items))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	chunk := (len(items) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(items))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var toks []uint64
			for i := lo; i < hi; i++ {
				toks = wordHashes(items[i].Text, toks[:0])
				ok[i] = minhash(toks, &sigs[i])
			}
		}()
	}
	wg.Wait()

	// Each band's keys are sorted to bring equal ones together. When item
	// numbers fit in 24 bits, key and item share one uint64 (40 bits of
	// band hash: a chance collision only costs one similarity check),
	// which sorts several times faster than a struct.
	pairs := make([][2]int, 0, len(items)/4)
	packed := len(items) < 1<<24
	keys := make([]uint64, 0, len(items))
	type entry struct {
		h  uint64
		id int32
	}
	var entries []entry
	for b := 0; b < bands; b++ {
		keys = keys[:0]
		entries = entries[:0]
		for i := range items {
			if !ok[i] {
				continue
			}
			h := uint64(b+1) * 0x9E3779B97F4A7C15
			for r := 0; r < rows; r++ {
				h = mix(h ^ uint64(sigs[i][b*rows+r]))
			}
			if packed {
				keys = append(keys, h&^(1<<24-1)|uint64(i))
			} else {
				entries = append(entries, entry{h, int32(i)})
			}
		}
		if !packed {
			slices.SortFunc(entries, func(x, y entry) int {
				if x.h != y.h {
					if x.h < y.h {
						return -1
					}
					return 1
				}
				return int(x.id - y.id)
			})
			keys = keys[:0]
		} else {
			slices.Sort(keys)
		}
		n := len(keys)
		if !packed {
			n = len(entries)
		}
		bucket := func(k int) uint64 {
			if packed {
				return keys[k] >> 24
			}
			return entries[k].h
		}
		item := func(k int) int {
			if packed {
				return int(keys[k] & (1<<24 - 1))
			}
			return int(entries[k].id)
		}
		for i := 0; i < n; {
			j := i + 1
			for j < n && bucket(j) == bucket(i) {
				j++
			}
			// Compare each member with the bucket's first: linear in the
			// bucket, and transitivity does the rest.
			first := item(i)
			for k := i + 1; k < j; k++ {
				other := item(k)
				if similarity(&sigs[first], &sigs[other]) >= threshold {
					pairs = append(pairs, [2]int{first, other})
				}
			}
			i = j
		}
	}
	return pairs
}

func similarity(a, b *signature) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / sigBins
}

// wordHashes appends a hash of every word of text: letters and marks
// lower-cased, every run of digits one "#".
func wordHashes(text string, out []uint64) []uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	in := false
	digit := false
	for i := 0; i < len(text); {
		c := text[i]
		var r rune
		n := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		i += n
		switch {
		case r >= '0' && r <= '9' || r >= 0x80 && unicode.IsDigit(r):
			if !digit {
				h = (h ^ '#') * prime
				digit = true
			}
			in = true
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') || r >= 0x80 && (unicode.IsLetter(r) || unicode.IsMark(r)):
			digit = false
			if r < 0x900 { // the Indic scripts from Devanagari on have no case
				r = unicode.ToLower(r)
			}
			for k := 0; k < 4 && r > 0; k++ {
				h = (h ^ uint64(r&0xff)) * prime
				r >>= 8
			}
			in = true
		default:
			digit = false
			if in {
				out = append(out, h)
				h = offset
				in = false
			}
		}
	}
	if in {
		out = append(out, h)
	}
	return out
}

// minhash fills sig from the word 3-shingles of words; false when the text
// is too short to compare.
func minhash(words []uint64, sig *signature) bool {
	if len(words)-2 < minShingles {
		return false
	}
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	var filled [sigBins]bool
	for i := 0; i+2 < len(words); i++ {
		h := mix(words[i]*31 ^ mix(words[i+1])*17 ^ mix(mix(words[i+2])))
		bin := h >> 59 // top 5 bits: one of 32 bins
		v := uint32(h)
		if v < sig[bin] {
			sig[bin] = v
		}
		filled[bin] = true
	}
	// Densify: an empty bin takes the value of the next filled bin, offset
	// by the distance, so that empty bins agree only when texts agree.
	for i := 0; i < sigBins; i++ {
		if filled[i] {
			continue
		}
		for d := 1; d < sigBins; d++ {
			j := (i + d) % sigBins
			if filled[j] {
				sig[i] = uint32(mix(uint64(sig[j]) + uint64(d)*0x632BE59BD9B4E019))
				break
			}
		}
	}
	return true
}

// mix is the SplitMix64 finaliser: cheap, and every input bit moves every
// output bit.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
