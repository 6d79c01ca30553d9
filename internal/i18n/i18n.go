// Package i18n holds the interface texts of ATIP in English, Hindi, Nepali
// and Bengali, and picks the right one for a language and a number.
//
// The catalogues are flat JSON files (locales/LANG.json, plus one file per
// area of the application in locales/LANG/, e.g. locales/hi/cases.json, so
// that work on different areas does not edit one file) mapping a key to a
// text, or to an object of CLDR plural forms ("one", "other", …) for texts
// that hold a count. A key missing from a catalogue falls back to English, so
// a partial Nepali or Bengali catalogue still gives a usable page.
//
// Why our own small catalogue rather than nicksnyder/go-i18n: the pages need
// only lookup, fallback and plurals; plural rules come from golang.org/x/text
// (already a dependency) and the files stay plain JSON a translator can edit
// without tooling. go-i18n would add a dependency and its own file format for
// no feature we use.
//
// Digits: every language shows ASCII digits (0–9). Ids, dates, TOTP codes,
// phone numbers and counts are copied between systems, forms and phone calls,
// and Indian government practice uses the international form of numerals; a
// mix of scripts in one table would be harder to read, not easier. Inputs are
// the other way round: textnorm maps Devanagari and Bengali digits typed by a
// user to ASCII before parsing.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

//go:embed locales
var localeFS embed.FS

// Default is the language used when nothing better is known, and the one
// every other catalogue falls back to per key.
const Default = "en"

// Languages are the interface languages in the order the picker shows them.
var Languages = []string{"en", "hi", "ne", "bn"}

// names are each language's name in itself, as the picker shows it.
var names = map[string]string{"en": "English", "hi": "हिन्दी", "ne": "नेपाली", "bn": "বাংলা"}

// Name returns the language's own name for itself ("हिन्दी" for hi).
func Name(lang string) string { return names[lang] }

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }

// message is one catalogue entry: a plain text, or plural forms.
type message struct {
	text  string
	forms map[string]string // CLDR plural category → text
}

func (m *message) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &m.text)
	}
	return json.Unmarshal(b, &m.forms)
}

// Catalog holds every language's messages.
type Catalog struct {
	msgs map[string]map[string]*message // lang → key → message
	tags map[string]language.Tag
}

// Load reads the embedded catalogues. It fails on a malformed file, an empty
// text, a plural entry without an "other" form, or a key in a translation
// that English does not have (a typo that would never be shown).
func Load() (*Catalog, error) {
	return load(localeFS, "locales")
}

func load(fsys fs.FS, dir string) (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]*message{}, tags: map[string]language.Tag{}}
	for _, lang := range Languages {
		files := []string{path.Join(dir, lang+".json")}
		areas, err := fs.Glob(fsys, path.Join(dir, lang, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("i18n: catalogue %s: %w", lang, err)
		}
		m := map[string]*message{}
		for _, f := range append(files, areas...) {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("i18n: catalogue %s: %w", lang, err)
			}
			part := map[string]*message{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("i18n: catalogue %s: %w", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("i18n: catalogue %s: key %q is defined twice", f, k)
				}
				m[k] = v
			}
		}
		for k, v := range m {
			if v == nil {
				return nil, fmt.Errorf("i18n: catalogue %s: key %q is null", lang, k)
			}
			if v.forms == nil && strings.TrimSpace(v.text) == "" {
				return nil, fmt.Errorf("i18n: catalogue %s: key %q is empty", lang, k)
			}
			if v.forms != nil {
				if v.forms["other"] == "" {
					return nil, fmt.Errorf("i18n: catalogue %s: plural key %q has no \"other\" form", lang, k)
				}
				for f, t := range v.forms {
					if strings.TrimSpace(t) == "" {
						return nil, fmt.Errorf("i18n: catalogue %s: key %q form %q is empty", lang, k, f)
					}
				}
			}
		}
		c.msgs[lang] = m
		c.tags[lang] = language.Make(lang)
	}
	for _, lang := range Languages[1:] {
		for k := range c.msgs[lang] {
			if _, ok := c.msgs[Default][k]; !ok {
				return nil, fmt.Errorf("i18n: catalogue %s: key %q is not in the English catalogue", lang, k)
			}
		}
	}
	return c, nil
}

// Has reports whether lang's own catalogue has key (without fallback).
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.msgs[lang][key]
	return ok
}

// Keys returns the keys of lang's own catalogue, sorted.
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.msgs[lang]))
	for k := range c.msgs[lang] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (c *Catalog) lookup(lang, key string) (*message, string) {
	if m, ok := c.msgs[lang][key]; ok {
		return m, lang
	}
	if m, ok := c.msgs[Default][key]; ok {
		return m, Default
	}
	return nil, ""
}

// T returns the text for key in lang, formatted with args (fmt verbs; use
// indexed verbs such as %[2]s where a translation reorders them). A key
// unknown even in English comes back as the key itself, so a mistake shows on
// the page instead of an empty space; the catalogue test keeps it from
// shipping.
func (c *Catalog) T(lang, key string, args ...any) string {
	m, _ := c.lookup(lang, key)
	if m == nil {
		return key
	}
	s := m.text
	if m.forms != nil {
		s = m.forms["other"]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// N returns the text for key in lang in the plural form that n takes in
// that language, formatted with n followed by args.
func (c *Catalog) N(lang, key string, n int, args ...any) string {
	m, from := c.lookup(lang, key)
	if m == nil {
		return key
	}
	s := m.text
	if m.forms != nil {
		s = m.forms[pluralForm(c.tags[from], n)]
		if s == "" {
			s = m.forms["other"]
		}
	}
	return fmt.Sprintf(s, append([]any{n}, args...)...)
}

func pluralForm(tag language.Tag, n int) string {
	if n < 0 {
		n = -n
	}
	switch plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

var matcher = language.NewMatcher([]language.Tag{
	language.English, language.Hindi, language.Nepali, language.Bengali,
})

// Match picks the best supported language for an Accept-Language header,
// English when nothing matches.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Languages[i]
}
