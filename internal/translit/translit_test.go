package translit

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestToLatin(t *testing.T) {
	tests := []struct{ in, want string }{
		// Devanagari (Hindi, Nepali)
		{"मोहम्मद", "mohammad"},
		{"लक्ष्मी", "lakshmi"},
		{"पूजा कुमारी", "puja kumari"},
		{"सुनीता देवी", "sunita devi"},
		{"रमेश", "ramesh"},
		{"मिश्र", "mishra"},
		{"कमला", "kamla"},
		{"राजकुमार", "rajkumar"},
		{"जनकपुर", "janakpur"},
		{"सिंह", "singh"},
		{"चंपा", "champa"},
		{"आनंद", "anand"},
		{"अजय", "ajay"},
		{"ज्ञानेन्द्र", "gyanendra"},
		{"फ़ातिमा", "fatima"},
		{"हरि प्रसाद", "hari prasad"},
		{"गुरुंग", "gurung"},
		{"तामाङ", "tamang"},
		{"थापा मगर", "thapa magar"},
		// Bengali and Assamese
		{"সুমাইয়া আক্তার", "sumaiya aktar"},
		{"মোহাম্মদ", "mohammad"},
		{"রহিম", "rahim"},
		{"খাতুন", "khatun"},
		{"লক্ষ্মী", "lakshmi"},
		{"আদিত্য", "aditya"},
		{"শ্যামল", "shyamal"},
		{"কৃষ্ণ", "krishna"},
		{"রাজবংশী", "rajbanshi"},
		{"দেবাশিস", "debashis"},
		{"ৰাজু", "raju"},
		// Gurmukhi, Odia, Sinhala
		{"ਗੁਰਪ੍ਰੀਤ ਕੌਰ", "gurprit kaur"},
		{"ਸਿੱਧੂ", "siddhu"},
		{"ପ୍ରକାଶ ସାହୁ", "prakash sahu"},
		{"කුමාරි", "kumari"},
		// Latin and mixed text pass through
		{"Puja Kumari", "Puja Kumari"},
		{"Puja कुमारी", "Puja kumari"},
		{"Rāmēśa", "Rāmēśa"},
		{"", ""},
		{"ID-42, पूजा!", "ID-42, puja!"},
	}
	for _, tt := range tests {
		if got := ToLatin(tt.in); got != tt.want {
			t.Errorf("ToLatin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Decomposed input (nukta as a separate mark) and composed input must give
// the same spelling: registers contain both.
func TestToLatinNormalisesFirst(t *testing.T) {
	if a, b := ToLatin("\u095b\u093e\u0915\u093f\u0930"), ToLatin("\u091c\u093c\u093e\u0915\u093f\u0930"); a != b || a != "zakir" {
		t.Errorf("composed %q, decomposed %q, want both zakir", a, b)
	}
}

func FuzzToLatin(f *testing.F) {
	for _, s := range []string{"मोहम्मद", "সুমাইয়া", "ਸਿੱਧੂ", "\xff\xfe", "्ा", "ं"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := ToLatin(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("ToLatin(%q) = %q is not valid UTF-8", s, out)
		}
		if Has(out) {
			t.Fatalf("ToLatin(%q) = %q still holds Indic letters", s, out)
		}
		if !Has(s) && out != s {
			t.Fatalf("ToLatin changed text without Indic letters: %q → %q", s, out)
		}
	})
}

func BenchmarkToLatin(b *testing.B) {
	s := strings.Repeat("पूजा कुमारी সুমাইয়া আক্তার ", 2)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		ToLatin(s)
	}
}
