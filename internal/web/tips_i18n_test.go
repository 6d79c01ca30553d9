package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"atip"
	"atip/internal/i18n"
)

// tipsKeys collects every catalogue key the tip pages and the public
// report page can ask for: literal keys in their templates, the keys they
// build from data (statuses, sources, action kinds, selector types), and
// the message keys written in their handlers.
func tipsKeys(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	literal := regexp.MustCompile(`\{\{-?\s*(?:t|tn)\s+"([^"]+)"`)
	pages, err := fs.Glob(templateFS, "templates/tips*.html")
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, "templates/report.html")
	for _, p := range pages {
		b, err := templateFS.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	for _, s := range atip.TipStatuses {
		keys["tipstatus."+string(s)] = true
	}
	for _, s := range []atip.TipSource{atip.TipPublic, atip.TipOfficer, atip.TipImport, atip.TipAPI} {
		keys["tipsource."+string(s)] = true
	}
	for _, k := range atip.TipActionKinds {
		keys["tipaction."+string(k)] = true
	}
	for _, s := range selectorTypes {
		keys["tips.selector."+s] = true
	}
	files, err := filepath.Glob("tips*.go")
	if err != nil {
		t.Fatal(err)
	}
	inGo := regexp.MustCompile(`"((?:tips|report)\.[a-z_.]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range inGo.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	return keys
}

// Nepali and Bengali readers get the tip pages and the public report page
// wholly in their language: every key those pages use is in the ne and bn
// catalogues themselves (not by falling back to English), and none is
// simply the English text copied.
func TestTipsPagesInNepaliAndBengali(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := tipsKeys(t)
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	same := map[string]bool{"tipsource.api": true} // "API" in every language
	for k := range keys {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, k) {
				t.Errorf("%s catalogue lacks %q", lang, k)
				continue
			}
			if lang != "en" && !same[k] && cat.T(lang, k) == cat.T("en", k) && cat.N(lang, k, 2, 2) == cat.N("en", k, 2, 2) {
				t.Errorf("%s text of %q is the English text", lang, k)
			}
		}
	}
}
