package tips

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The automaton must report exactly what a naive search reports: every
// occurrence of every pattern, overlapping ones included.
func TestAutomatonAgreesWithNaiveSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "ab c\x01é"
	rnd := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := 0; round < 200; round++ {
		pats := []string{"a", "ab", "bab", "abab", rnd(1 + r.IntN(4)), rnd(1 + r.IntN(6))}
		a := newAutomaton(pats)
		text := rnd(r.IntN(60))
		type occ struct{ p, end int }
		var got, want []occ
		a.scan([]byte(text), func(p int32, end int) { got = append(got, occ{int(p), end}) })
		for p, pat := range pats {
			for i := 0; i+len(pat) <= len(text); i++ {
				if text[i:i+len(pat)] == pat {
					want = append(want, occ{p, i + len(pat)})
				}
			}
		}
		cmp := func(x, y occ) int {
			if x.end != y.end {
				return x.end - y.end
			}
			return x.p - y.p
		}
		slices.SortFunc(got, cmp)
		slices.SortFunc(want, cmp)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q in %q: got %v, want %v", pats, text, got, want)
		}
	}
}

func TestFoldMergesSpellings(t *testing.T) {
	for _, group := range [][]string{
		{"ladkiyan", "ladkiyaan", "LADKIYAN"},
		{"naukri", "nokri", "नौकरी"},
		{"passport", "pasport", "पासपोर्ट"},
		{"achhi", "achchhi", "acchi"},
		{"free", "फ्री"},
		{"videsh", "videsha", "विदेश"},
	} {
		want := foldPattern(group[0])
		for _, w := range group[1:] {
			if got := foldPattern(w); got != want {
				t.Errorf("fold(%q) = %q, fold(%q) = %q", w, got, group[0], want)
			}
		}
	}
}
