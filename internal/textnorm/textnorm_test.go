package textnorm

import "testing"

func TestASCIIDigits(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"९८४१२३४५६७", "9841234567"},   // Devanagari
		{"০১৭১২৩৪৫৬৭৮", "01712345678"}, // Bengali
		{"ফোন: ০১৭১২ ৩৪৫৬৭৮", "ফোন: 01712 345678"},
		{"+٩٧١ ٥٠", "+971 50"}, // Arabic-Indic, as Gulf numbers are written
		{"no digits", "no digits"},
		{"", ""},
		{"mixed ९8७6", "mixed 9876"},
	} {
		if got := ASCIIDigits(tc.in); got != tc.want {
			t.Errorf("ASCIIDigits(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  Puja\u00a0 Kumari\t", "Puja Kumari"},
		{"e\u0301", "\u00e9"},            // NFC composes
		{"\u0915\u093C", "\u0915\u093C"}, // क़ is a composition exclusion: NFC keeps क + nukta
		{"a\u200Bb", "a b"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
	} {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzClean(f *testing.F) {
	f.Add("९८४१ २३४५")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		if Clean(out) != out {
			t.Fatalf("Clean is not idempotent on %q", s)
		}
	})
}
