package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestEmbeddedCataloguesLoad(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		if len(c.Keys(lang)) == 0 {
			t.Errorf("catalogue %s is empty", lang)
		}
		if Name(lang) == "" {
			t.Errorf("language %s has no name for the picker", lang)
		}
	}
}

// Hindi is complete for everything built: every English key has a Hindi
// text of its own, not the English fallback.
func TestHindiIsComplete(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range c.Keys("en") {
		if !c.Has("hi", k) {
			t.Errorf("hi lacks %q", k)
		}
	}
}

// Nepali and Bengali must at least cover navigation and sign-in.
func TestNepaliAndBengaliCoverNavigationAndSignIn(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ne", "bn"} {
		for _, k := range c.Keys("en") {
			if strings.HasPrefix(k, "nav.") && !strings.HasSuffix(k, ".about") || strings.HasPrefix(k, "login.") || strings.HasPrefix(k, "layout.") {
				if !c.Has(lang, k) {
					t.Errorf("%s lacks %q", lang, k)
				}
			}
		}
	}
}

func TestLookupFallsBackToEnglishPerKey(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lang, key, want string }{
		{"hi", "nav.orgs", "संगठन"},
		{"ne", "nav.orgs", "संस्थाहरू"},
		{"bn", "nav.orgs", "সংস্থা"},
		{"ne", "orgs.new", "New organisation"}, // not translated yet: English
		{"en", "no.such.key", "no.such.key"},
		{"xx", "nav.home", "Home"},
	}
	for _, tt := range tests {
		if got := c.T(tt.lang, tt.key); got != tt.want {
			t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if got := c.T("hi", "home.welcome", "आशा"); got != "स्वागत है, आशा" {
		t.Errorf("formatted: %q", got)
	}
}

func TestPluralsFollowEachLanguage(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 0, "0 entries on this page"},
		{"en", 1, "1 entry on this page"},
		{"en", 2, "2 entries on this page"},
		// Hindi (CLDR): 0 and 1 take the "one" form.
		{"hi", 0, "इस पृष्ठ पर 0 प्रविष्टि"},
		{"hi", 1, "इस पृष्ठ पर 1 प्रविष्टि"},
		{"hi", 5, "इस पृष्ठ पर 5 प्रविष्टियाँ"},
	}
	for _, tt := range tests {
		if got := c.N(tt.lang, "common.rows", tt.n); got != tt.want {
			t.Errorf("N(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestLoadRefusesBadCatalogues(t *testing.T) {
	good := `{"a": "A", "p": {"one": "%d thing", "other": "%d things"}}`
	tests := map[string]string{
		"empty text":      `{"a": " "}`,
		"no other form":   `{"a": "A", "p": {"one": "x"}}`,
		"empty form":      `{"a": "A", "p": {"one": "", "other": "x"}}`,
		"null":            `{"a": null}`,
		"malformed":       `{"a": `,
		"key not english": `{"a": "A", "zzz": "Z"}`,
		"key twice":       `{"a": "A", "p": {"other": "x"}}`,
	}
	for name, hi := range tests {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"l/en.json":      {Data: []byte(good)},
				"l/hi.json":      {Data: []byte(hi)},
				"l/hi/area.json": {Data: []byte(`{"p": {"other": "%d चीज़ें"}}`)},
				"l/ne.json":      {Data: []byte(`{}`)},
				"l/bn.json":      {Data: []byte(`{}`)},
			}
			if _, err := load(fsys, "l"); err == nil {
				t.Fatal("loaded a bad catalogue")
			}
		})
	}
	fsys := fstest.MapFS{
		"l/en.json": {Data: []byte(good)}, "l/hi.json": {Data: []byte(`{"a": "अ"}`)},
		"l/ne.json": {Data: []byte(`{}`)}, "l/bn.json": {Data: []byte(`{}`)},
		"l/hi/area.json": {Data: []byte(`{"p": {"other": "%d चीज़ें"}}`)},
	}
	if _, err := load(fsys, "l"); err != nil {
		t.Fatalf("good catalogue refused: %v", err)
	}
}

func TestMatchAcceptLanguage(t *testing.T) {
	tests := map[string]string{
		"":                        "en",
		"hi-IN,hi;q=0.9,en;q=0.8": "hi",
		"ne-NP":                   "ne",
		"bn-BD,bn;q=0.9":          "bn",
		"fr-FR,fr;q=0.9":          "en",
		"en-GB,en;q=0.9,hi;q=0.5": "en",
		"garbage;;;q=x":           "en",
		"ta-IN,hi;q=0.8,en;q=0.5": "hi",
	}
	for header, want := range tests {
		if got := Match(header); got != want {
			t.Errorf("Match(%q) = %s, want %s", header, got, want)
		}
	}
}
