package deconflict

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"atip"
)

var (
	key1 = bytes.Repeat([]byte{0x11}, KeySize)
	key2 = bytes.Repeat([]byte{0x22}, KeySize)
)

func tokenizer(t testing.TB, key []byte) *Tokenizer {
	t.Helper()
	tk, err := NewTokenizer(key)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// TestSameSelectorSameToken: the ways field officers write one identifier
// must meet in one token.
func TestSameSelectorSameToken(t *testing.T) {
	groups := []struct {
		name string
		sels []Selector
	}{
		{"a Nepali mobile", []Selector{
			{Kind: Phone, Value: "+977 984-1012345"},
			{Kind: Phone, Value: "009779841012345"},
			{Kind: Phone, Value: "9841012345", Region: "NP"},
			{Kind: Phone, Value: "९८४१०१२३४५", Region: "NP"}, // Devanagari digits
			{Kind: Handle, Scheme: "WhatsApp", Value: "+977 9841012345"},
			{Kind: Payment, Scheme: "wallet", Value: "9841012345", Region: "NP"}, // an eSewa id
		}},
		{"an Indian mobile", []Selector{
			{Kind: Phone, Value: "098300 12345", Region: "IN"},
			{Kind: Phone, Value: "+91 (983) 001-2345"},
			{Kind: Phone, Value: "০৯৮৩০০১২৩৪৫", Region: "IN"}, // Bengali digits
		}},
		{"a Facebook account", []Selector{
			{Kind: Handle, Scheme: "facebook", Value: "Rakesh.Kumar.9"},
			{Kind: Handle, Scheme: "facebook", Value: "@rakeshkumar9"},
			{Kind: Handle, Value: "https://www.facebook.com/rakesh.kumar.9/"},
			{Kind: Handle, Value: "m.facebook.com/RakeshKumar9?ref=bookmarks"},
		}},
		{"a TikTok account", []Selector{
			{Kind: Handle, Scheme: "tiktok", Value: "@Job_Offer_Dubai"},
			{Kind: Handle, Value: "https://www.tiktok.com/@job_offer_dubai"},
		}},
		{"an Aadhaar number", []Selector{
			{Kind: Document, Scheme: "aadhaar", Value: "2345 6789 0123"},
			{Kind: Document, Scheme: "other", Value: "2345-6789-0123"},
			{Kind: Document, Scheme: "aadhaar", Value: "२३४५ ६७८९ ०१२३"},
		}},
		{"a passport number", []Selector{
			{Kind: Document, Scheme: "passport", Value: "p 1234567"},
			{Kind: Document, Scheme: "passport", Value: "P1234567"},
		}},
		{"a UPI id", []Selector{
			{Kind: Payment, Scheme: "upi", Value: "Agent.Ravi@OKAxis"},
			{Kind: Payment, Scheme: "UPI", Value: " agent.ravi@okaxis "},
		}},
		{"a Gmail address", []Selector{
			{Kind: Email, Value: "Jobs.Abroad+nepal@gmail.com"},
			{Kind: Email, Value: "mailto:jobsabroad@googlemail.com"},
		}},
	}
	tk := tokenizer(t, key1)
	seen := map[Token]string{}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			first, _, err := tk.Token(g.sels[0])
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range g.sels[1:] {
				tok, _, err := tk.Token(s)
				if err != nil {
					t.Fatalf("%+v: %v", s, err)
				}
				if tok != first {
					_, a, _ := Normalise(g.sels[0])
					_, b, _ := Normalise(s)
					t.Errorf("%+v gave another token: %q vs %q", s, a, b)
				}
			}
			if other, dup := seen[first]; dup {
				t.Errorf("same token as %s", other)
			}
			seen[first] = g.name
		})
	}
}

func TestDifferentSelectorsDiffer(t *testing.T) {
	tk := tokenizer(t, key1)
	pairs := [][2]Selector{
		{{Kind: Phone, Value: "+9779841012345"}, {Kind: Phone, Value: "+9779841012346"}},
		// The same text as a handle on two platforms is two accounts.
		{{Kind: Handle, Scheme: "instagram", Value: "ravi_jobs"}, {Kind: Handle, Scheme: "tiktok", Value: "ravi_jobs"}},
		// Dots count outside Gmail.
		{{Kind: Email, Value: "ravi.k@yahoo.com"}, {Kind: Email, Value: "ravik@yahoo.com"}},
		// Kinds never match: a bank account that looks like a document number.
		{{Kind: Payment, Scheme: "bank", Value: "123456789012"}, {Kind: Document, Value: "123456789012"}},
		// Crypto addresses are case-sensitive.
		{{Kind: Payment, Scheme: "crypto", Value: "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"}, {Kind: Payment, Scheme: "crypto", Value: "tqn9y2khesljw1chvwfmsmerdow5kcblse"}},
	}
	for _, p := range pairs {
		a, _, errA := tk.Token(p[0])
		b, _, errB := tk.Token(p[1])
		if errA != nil || errB != nil {
			t.Fatalf("%v / %v", errA, errB)
		}
		if a == b {
			t.Errorf("%+v and %+v gave the same token", p[0], p[1])
		}
	}
}

func TestKeyMatters(t *testing.T) {
	s := Selector{Kind: Phone, Value: "+919830012345"}
	a, _, _ := tokenizer(t, key1).Token(s)
	b, _, _ := tokenizer(t, key2).Token(s)
	if a == b {
		t.Fatal("tokens are the same under different keys: the key does nothing")
	}
	if strings.Contains(string(a), "919830012345") || len(a) != 64 {
		t.Errorf("token %q", a)
	}
}

func TestInvalidSelectors(t *testing.T) {
	bad := []Selector{
		{Kind: Phone, Value: "12"},
		{Kind: Phone, Value: ""},
		{Kind: Email, Value: "not-an-address"},
		{Kind: Handle, Value: "rakesh"},                                   // no platform
		{Kind: Handle, Value: "https://example.org/rakesh"},               // unknown site
		{Kind: Handle, Scheme: "instagram", Value: "facebook.com/rakesh"}, // link contradicts platform
		{Kind: Document, Value: "A-1"},
		{Kind: Payment, Scheme: "upi", Value: "agentravi"},
		{Kind: Payment, Scheme: "barter", Value: "goats"},
		{Kind: "fingerprint", Value: "x"},
	}
	for _, s := range bad {
		_, v, err := Normalise(s)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: got %q, %v; want ErrInvalid", s, v, err)
			continue
		}
		if s.Value != "" && len(s.Value) > 3 && strings.Contains(err.Error(), s.Value) {
			t.Errorf("error %q repeats the selector", err)
		}
	}
}

func TestFind(t *testing.T) {
	tk := tokenizer(t, key1)
	tok := func(s Selector) Token { x, _, _ := tk.Token(s); return x }
	phoneTok := tok(Selector{Kind: Phone, Value: "+9779841012345"})
	fbTok := tok(Selector{Kind: Handle, Scheme: "facebook", Value: "rakeshkumar9"})
	upiTok := tok(Selector{Kind: Payment, Scheme: "upi", Value: "agent.ravi@okaxis"})
	caseA := atip.RecordRef{Type: atip.RecordCase, ID: "a"}
	caseB := atip.RecordRef{Type: atip.RecordCase, ID: "b"}
	tipC := atip.RecordRef{Type: atip.RecordTip, ID: "c"}
	own := atip.RecordRef{Type: atip.RecordCase, ID: "own"}
	idx := Index{
		phoneTok: {{OrgID: "org-ngo", Record: caseA}, {OrgID: "org-ahtu", Record: own}, {OrgID: "org-np", Record: tipC}},
		fbTok:    {{OrgID: "org-ngo", Record: caseA}, {OrgID: "org-bop", Record: caseB}},
	}
	got := Find([]Token{phoneTok, fbTok, upiTok}, idx, "org-ahtu", nil)
	want := []Match{
		{OrgID: "org-bop", Record: caseB, Selectors: []int{1}},
		{OrgID: "org-ngo", Record: caseA, Selectors: []int{0, 1}},
		{OrgID: "org-np", Record: tipC, Selectors: []int{0}},
	}
	if !slices.EqualFunc(got, want, func(a, b Match) bool {
		return a.OrgID == b.OrgID && a.Record == b.Record && slices.Equal(a.Selectors, b.Selectors)
	}) {
		t.Errorf("Find = %+v\nwant  %+v", got, want)
	}
	// Records the asker already sees are not news.
	got = Find([]Token{phoneTok, fbTok}, idx, "org-ahtu", func(h Holder) bool { return h.Record == caseA })
	if len(got) != 2 || got[0].Record != caseB || got[1].Record != tipC {
		t.Errorf("with skip: %+v", got)
	}
	if got := Find([]Token{upiTok}, idx, "org-ahtu", nil); len(got) != 0 {
		t.Errorf("no holder, yet %+v", got)
	}
}

func TestTokenizerFromEnv(t *testing.T) {
	k64 := base64.StdEncoding.EncodeToString(key1)
	dir := t.TempDir()
	file := filepath.Join(dir, "deconflict.key")
	if err := os.WriteFile(file, []byte(k64+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want, _, _ := tokenizer(t, key1).Token(Selector{Kind: Phone, Value: "+919830012345"})
	for _, env := range []map[string]string{{EnvKeyFile: file}, {EnvKey: k64}} {
		tk, err := TokenizerFromEnv(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		if got, _, _ := tk.Token(Selector{Kind: Phone, Value: "+919830012345"}); got != want {
			t.Errorf("%v: another key was loaded", env)
		}
	}
	for _, env := range []map[string]string{{}, {EnvKey: "short"}, {EnvKey: base64.StdEncoding.EncodeToString(key1[:8])}, {EnvKeyFile: file, EnvKey: k64}} {
		if _, err := TokenizerFromEnv(func(k string) string { return env[k] }); err == nil {
			t.Errorf("%v accepted", env)
		}
	}
}

// FuzzNormalise: selectors are typed by users and imported from files.
// Normalising must not panic, must be idempotent on its own output (so a
// stored canonical form gives the same token), and must not accept empty.
func FuzzNormalise(f *testing.F) {
	for _, s := range []Selector{
		{Kind: Phone, Value: "+977 984-1012345"}, {Kind: Handle, Value: "https://www.facebook.com/rakesh.kumar.9/"},
		{Kind: Handle, Scheme: "imo", Value: "9841012345"}, {Kind: Email, Value: "A.b+c@gmail.com"},
		{Kind: Document, Value: "२३४५ ६७८९ ०१२३"}, {Kind: Payment, Scheme: "upi", Value: "x@y"},
	} {
		f.Add(string(s.Kind), s.Scheme, s.Value, s.Region)
	}
	f.Fuzz(func(t *testing.T, kind, scheme, value, region string) {
		k, v, err := Normalise(Selector{Kind: Kind(kind), Scheme: scheme, Value: value, Region: region})
		if err != nil {
			return
		}
		if v == "" {
			t.Fatal("accepted an empty selector")
		}
		// Re-normalise the canonical form as its canonical kind.
		again := Selector{Kind: k, Value: v, Region: region}
		switch k {
		case Handle:
			again.Scheme, again.Value, _ = strings.Cut(v, ":")
			again.Value = "@" + again.Value
		case Payment:
			again.Scheme, again.Value, _ = strings.Cut(v, ":")
		}
		k2, v2, err := Normalise(again)
		if err != nil || k2 != k || v2 != v {
			t.Fatalf("not stable: %s %q -> %s %q (%v)", k, v, k2, v2, err)
		}
	})
}
