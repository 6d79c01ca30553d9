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

// usedKeys collects every catalogue key the pages can ask for: literal keys
// in templates, keys built from data (org types, roles, scopes, outcomes,
// errors, navigation), and the messages the form parsers produce, which the
// templates translate by their English text.
func usedKeys(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	literal := regexp.MustCompile(`\{\{-?\s*(?:t|tn)\s+"([^"]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range atip.OrgTypes {
		keys["orgtype."+string(x)] = true
	}
	for _, r := range atip.Roles {
		keys["role."+string(r)] = true
	}
	for _, s := range tokenScopes {
		keys["scope."+s] = true
	}
	for _, o := range []string{"ok", "denied", "failed"} {
		keys["outcome."+o] = true
	}
	for _, k := range errorKeys {
		keys[k], keys[k+".help"] = true, true
	}
	for _, k := range plannedModules {
		keys[k] = true
	}
	everything := &atip.Actor{Via: atip.ViaCLI}
	for _, n := range nav(everything, "/") {
		keys[n.Key], keys[n.Key+".about"] = true, true
	}
	// Messages and keys written in the handlers and parsers of this package.
	goKeys := regexp.MustCompile(`(?:Add\([^,]+,\s*|Message: |map\[string\]string\{"[a-z]*": )"([^"%]+)"`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKeys.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	return keys
}

func TestEveryKeyUsedExistsInEnglishAndHindi(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := usedKeys(t)
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	for k := range keys {
		for _, lang := range []string{"en", "hi"} {
			if !cat.Has(lang, k) {
				t.Errorf("%s catalogue lacks %q", lang, k)
			}
		}
	}
}

// Every template parses in every language, which also proves each
// language's functions are wired.
func TestPagesLoad(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadPages(cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Languages {
		for _, page := range []string{"login", "code", "enrol", "home", "orgs", "org", "security", "users", "user", "account", "audit", "error"} {
			if p.byLang[lang][page] == nil {
				t.Errorf("%s: no page %s", lang, page)
			}
		}
	}
}
