package tips

import (
	"strings"
	"testing"
)

func testScorer(t testing.TB) *Scorer {
	t.Helper()
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func hitIDs(r Result, text string) map[string]string {
	m := map[string]string{}
	for _, h := range r.Hits {
		m[h.ID] = text[h.Start:h.End]
	}
	return m
}

// The same indicator is found whatever the script or spelling.
func TestMatchingAcrossScripts(t *testing.T) {
	s := testScorer(t)
	for _, tc := range []struct {
		indicator string
		texts     []string
	}{
		{"TGT-GIRLS-ONLY", []string{"girls only", "Only Girls!!", "sirf ladkiyan chahiye", "सिर्फ लड़कियां", "केवल लड़कियाँ", "শুধু মেয়েদের জন্য", "केटीहरू मात्र", "sudhu meye"}},
		{"LURE-FREE-VISA", []string{"FREE VISA", "visa free hai", "फ्री वीजा", "वीजा फ्री", "ফ্রি ভিসা", "भिसा फ्री"}},
		{"SEX-DANCE-BAR", []string{"dance bar", "Dance-Bar", "डांस बार", "ড্যান্স বার", "डान्स बार"}},
		{"CTL-PASSPORT", []string{"passport will be kept", "passport company ke paas rahega", "पासपोर्ट कंपनी के पास जमा रहेगा", "পাসপোর্ট কোম্পানির কাছে জমা থাকবে", "राहदानी कम्पनीले राख्छ"}},
		{"MAR-NO-DOWRY", []string{"no dowry", "dahej nahi chahiye", "दहेज नहीं", "যৌতুক লাগবে না", "दाइजो चाहिँदैन"}},
		{"LURE-HIGH-PAY", []string{"achhi salary", "achchhi salary", "अच्छी सैलरी", "ভালো বেতন", "राम्रो तलब"}},
		{"AWR-TRAFFICKING", []string{"human trafficking", "मानव तस्करी", "মানব পাচার", "मानव बेचबिखन"}},
		{"MIN-AGE", []string{"age 15-17", "girls 16+", "१५ से १७ साल", "বয়স ১৬", "उमेर १६ वर्ष", "umar 14 saal"}},
		{"TGT-AGE-YOUNG", []string{"age 18-25", "18 to 25 years", "१८ से २५ साल", "বয়স ১৮ থেকে ২৫", "उमेर १८ देखि २५"}},
	} {
		for _, text := range tc.texts {
			if _, ok := hitIDs(s.Score(text), text)[tc.indicator]; !ok {
				t.Errorf("%s not found in %q (hits %v)", tc.indicator, text, s.Score(text).Hits)
			}
		}
	}
}

func TestNoFalseHits(t *testing.T) {
	s := testScorer(t)
	for _, tc := range []struct {
		indicator, text string
	}{
		{"MIN-AGE", "salary 15-20 hazar"},
		{"MIN-AGE", "10 years experience required"},
		{"MIN-AGE", "Rs 15-17 per piece"},
		{"MIN-AGE", "timing 10 to 6"},
		{"SEX-SPA", "spacious rooms"}, // a word that starts with a pattern is not the pattern
		{"CTL-PASSPORT", "passport. Will be kept"},
	} {
		hits := hitIDs(s.Score(tc.text), tc.text)
		if _, ok := hits[tc.indicator]; ok {
			t.Errorf("%s found in %q", tc.indicator, tc.text)
		}
	}
}

// Spans are byte offsets of the original text, even before a danda, after
// decomposed characters and between scripts.
func TestSpansIntoOriginal(t *testing.T) {
	s := testScorer(t)
	for _, text := range []string{
		"काम के लिए सिर्फ लड़कियां।दुबई",
		"सिर्फ लड\u093c\u0915ियां चाहिए", // nukta written separately
		"Dubai job 🇦🇪 girls only!!! শুধু মেয়েদের জন্য।",
		"\xff\xfe girls only \xff",
	} {
		r := s.Score(text)
		if len(r.Hits) == 0 {
			t.Errorf("no hits in %q", text)
		}
		for _, h := range r.Hits {
			if h.Start < 0 || h.End > len(text) || h.Start >= h.End {
				t.Fatalf("span %+v out of %q", h, text)
			}
			if strings.TrimSpace(text[h.Start:h.End]) != text[h.Start:h.End] {
				t.Errorf("span %q has spaces at its ends", text[h.Start:h.End])
			}
		}
	}
	r := s.Score("सिर्फ लड़कियां।")
	if got := hitIDs(r, "सिर्फ लड़कियां।")["TGT-GIRLS-ONLY"]; got != "सिर्फ लड़कियां" {
		t.Errorf("before a danda: span %q", got)
	}
}

// A job advertisement alone is not trafficking; with girls only and a kept
// passport it is; an awareness post with the same words is not.
func TestCoOccurrenceDecides(t *testing.T) {
	s := testScorer(t)
	for _, tc := range []struct {
		text string
		high bool
	}{
		{"Hotel job in Dubai, salary 40000.", false},
		{"Hotel job in Dubai, girls only, salary 40000, passport will be kept by the company.", true},
		{"Beware: fake hotel jobs in Dubai for girls only where the passport will be kept by the company are trafficking. Call 1098.", false},
		{"Good morning", false},
	} {
		r := s.Score(tc.text)
		if (r.Score >= Threshold) != tc.high {
			t.Errorf("score %.2f for %q (contributions %+v)", r.Score, tc.text, r.Contributions)
		}
		if r.Score < 0 || r.Score > 1 || r.Version == "" {
			t.Errorf("score %v version %q", r.Score, r.Version)
		}
	}
}

func TestLexiconIsCitedAndValid(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]Source{}
	for _, s := range lex.Sources {
		sources[s.ID] = s
	}
	cats := map[string]int{}
	for _, in := range lex.Indicators {
		if !strings.HasPrefix(sources[in.Source].URL, "https://") {
			t.Errorf("indicator %s cites %q without a URL", in.ID, in.Source)
		}
		cats[in.Category]++
	}
	for _, c := range lex.Categories {
		if cats[c.ID] == 0 {
			t.Errorf("category %s has no indicators", c.ID)
		}
	}
	for _, bad := range []string{
		`{"version":"1","sources":[],"categories":[],"indicators":[{"id":"X","category":"c","label":"l","weight":0.5,"source":"s","patterns":["a"]}]}`,
		`{"version":"1","sources":[{"id":"s","title":"t","url":"u"}],"categories":[{"id":"c","label":"C"}],"indicators":[{"id":"X","category":"c","label":"l","weight":1.5,"source":"s","patterns":["a"]}]}`,
		`{"version":"1","sources":[{"id":"s","title":"t","url":"u"}],"categories":[{"id":"c","label":"C"}],"indicators":[{"id":"X","category":"c","label":"l","weight":0.5,"source":"s","patterns":["..."]}]}`,
		`{"version":"","extra":1}`,
	} {
		if _, err := ParseLexicon([]byte(bad)); err == nil {
			t.Errorf("accepted bad lexicon %s", bad)
		}
	}
}

func TestFitLearnsFromFeedback(t *testing.T) {
	lex, _ := DefaultLexicon()
	prior, _ := DefaultPrior()
	// Analysts keep saying that spa offers alone are not relevant.
	var fb []Feedback
	for i := 0; i < 40; i++ {
		fb = append(fb, Feedback{Text: "spa massage work in Mumbai", Relevant: false})
		fb = append(fb, Feedback{Text: "girls only spa massage work in Mumbai passport will be kept", Relevant: true})
	}
	m, err := Fit(lex, prior, fb, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := NewScorer(lex, prior)
	after, _ := NewScorer(lex, m)
	if a, b := after.Score("spa massage work in Mumbai").Score, before.Score("spa massage work in Mumbai").Score; a >= b {
		t.Errorf("feedback did not lower the spa-only score: %.3f → %.3f", b, a)
	}
	if m.Fit == nil || m.Fit.Examples != 80 || m.Fit.Prior != prior.Version() {
		t.Errorf("fit info %+v", m.Fit)
	}
	if _, err := Fit(lex, prior, nil, FitOptions{}); err == nil {
		t.Error("fit with no feedback succeeded")
	}
}

func FuzzScore(f *testing.F) {
	s := testScorer(f)
	for _, seed := range []string{"girls only dance bar", "सिर्फ लड़कियां।", "পাসপোর্ট ... জমা", "age 15-17 years", "\xffpassport\u200d", "18-", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := s.Score(text)
		if r.Score < 0 || r.Score > 1 {
			t.Fatalf("score %v", r.Score)
		}
		for _, h := range r.Hits {
			if h.Start < 0 || h.End > len(text) || h.Start >= h.End {
				t.Fatalf("span %+v out of bounds of %q", h, text)
			}
		}
	})
}

func TestAssess(t *testing.T) {
	a := testScorer(t).Assess("Girls only for Dubai, passport will be kept. WhatsApp wa.me/919830123456")
	if a.Score < Threshold || len(a.Hits) == 0 {
		t.Errorf("assessment %+v", a.Result)
	}
	found := false
	for _, s := range a.Selectors {
		if s.Key() == "phone:+919830123456" {
			found = true
		}
	}
	if !found {
		t.Errorf("selectors %+v", a.Selectors)
	}
}
