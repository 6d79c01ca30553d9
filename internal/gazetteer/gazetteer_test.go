package gazetteer

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestPublishedCodesKept guards the promise that codes never change: every
// code in testdata/codes.txt must still exist, and every code in the data
// must be listed there (so that adding one is a deliberate act).
func TestPublishedCodesKept(t *testing.T) {
	f, err := os.Open("testdata/codes.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	published := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if published[line] {
			t.Errorf("testdata/codes.txt lists %s twice", line)
		}
		published[line] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for code := range published {
		if _, ok := Get(code); !ok {
			t.Errorf("published code %s has disappeared from the data; codes must never be removed (rename the place instead)", code)
		}
	}
	for _, p := range All() {
		if !published[p.Code] {
			t.Errorf("code %s is not in testdata/codes.txt; add it there when adding the place", p.Code)
		}
	}
}

func TestTreeIntegrity(t *testing.T) {
	all := All()
	if len(all) < 500 {
		t.Fatalf("only %d places loaded", len(all))
	}
	iso := map[string]string{}
	for _, p := range all {
		if got, ok := Get(p.Code); !ok || got != p {
			t.Errorf("Get(%s) does not return the place itself", p.Code)
		}
		path := Path(p.Code)
		if len(path) != int(p.Level) || path[len(path)-1] != p || path[0].Level != Country || path[0].Code != p.Country {
			t.Errorf("Path(%s) = %v", p.Code, codes(path))
		}
		for i := 1; i < len(path); i++ {
			if path[i].Parent != path[i-1].Code {
				t.Errorf("Path(%s): %s's parent is %s, not %s", p.Code, path[i].Code, path[i].Parent, path[i-1].Code)
			}
		}
		if p.Level == Country {
			if p.Parent != "" || p.Kind != "country" {
				t.Errorf("%s: country with parent %q kind %q", p.Code, p.Parent, p.Kind)
			}
		} else if !strings.HasPrefix(p.Code, p.Parent+"-") {
			t.Errorf("%s: code does not extend its parent's %s", p.Code, p.Parent)
		}
		if p.ISO != "" {
			if prev, dup := iso[p.ISO]; dup {
				t.Errorf("ISO code %s used by %s and %s", p.ISO, prev, p.Code)
			}
			iso[p.ISO] = p.Code
		}
		found := false
		for _, c := range Children(p.Parent) {
			found = found || c == p
		}
		if !found {
			t.Errorf("%s is missing from Children(%q)", p.Code, p.Parent)
		}
		if !isLatinName(p.Name) {
			t.Errorf("%s: name %q is not in Latin letters", p.Code, p.Name)
		}
		for _, l := range p.Local {
			if !hasIndic(l) {
				t.Errorf("%s: local name %q has no Devanagari or Bengali letter", p.Code, l)
			}
		}
		for _, a := range p.Alt {
			if !slices.Contains(p.Local, a) && !isLatinName(a) {
				t.Errorf("%s: alternate %q is not Latin; local-script names go in the local column", p.Code, a)
			}
		}
		seen := map[string]bool{p.Name: true}
		for _, a := range p.Alt {
			if seen[a] {
				t.Errorf("%s lists the name %q twice", p.Code, a)
			}
			seen[a] = true
		}
	}
}

// TestCounts checks the number of places against the official figures cited
// in data/SOURCES.md.
func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		code  string
		level Level
		want  int
		kind  string // when set, count only children of this kind
	}{
		{"", Country, 16, ""},
		{"IN", State, 28, "state"},
		{"IN", State, 8, "union territory"},
		{"IN-UK", District, 13, ""},
		{"IN-UP", District, 75, ""},
		{"IN-BR", District, 38, ""},
		{"IN-WB", District, 23, ""},
		{"IN-SK", District, 6, ""},
		{"IN-AS", District, 35, ""},
		{"IN-ML", District, 12, ""},
		{"IN-TR", District, 8, ""},
		{"IN-MZ", District, 11, ""},
		{"IN-JH", District, 24, ""},
		{"IN-OD", District, 30, ""},
		{"IN-HR", District, 22, ""},
		{"IN-MH", District, 36, ""},
		{"NP", State, 7, "province"},
		{"NP-P1", District, 14, ""},
		{"NP-P2", District, 8, ""},
		{"NP-P3", District, 13, ""},
		{"NP-P4", District, 11, ""},
		{"NP-P5", District, 12, ""},
		{"NP-P6", District, 10, ""},
		{"NP-P7", District, 9, ""},
		{"BD", State, 8, "division"},
		{"BD-A", District, 6, ""},
		{"BD-B", District, 11, ""},
		{"BD-C", District, 13, ""},
		{"BD-D", District, 10, ""},
		{"BD-E", District, 8, ""},
		{"BD-F", District, 8, ""},
		{"BD-G", District, 4, ""},
		{"BD-H", District, 4, ""},
		{"LK", State, 9, "province"},
	} {
		n := 0
		for _, c := range Children(tc.code) {
			if c.Level != tc.level {
				t.Errorf("%s is a child of %q but a %s", c.Code, tc.code, c.Level)
			}
			if tc.kind == "" || c.Kind == tc.kind {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("%q has %d %s children of kind %q, official count is %d", tc.code, n, tc.level, tc.kind, tc.want)
		}
	}
	// Country totals: Nepal 77 districts, Bangladesh 64, Sri Lanka 25.
	for country, want := range map[string]int{"NP": 77, "BD": 64, "LK": 25} {
		n := 0
		for _, p := range All() {
			if p.Country == country && p.Level == District {
				n++
			}
		}
		if n != want {
			t.Errorf("%s has %d districts, official count is %d", country, n, want)
		}
	}
}

// ambiguousSiblings lists keys that two places under one parent genuinely
// share; Match returns both for them. Empty today: keep it that way unless
// the real world says otherwise, and document each entry.
var ambiguousSiblings = map[string]bool{}

// TestNoAmbiguousKeysWithinParent makes sure that, once the state (or
// province, division) is known, every spelling we list points to one place.
func TestNoAmbiguousKeysWithinParent(t *testing.T) {
	for _, parent := range append([]*Place{{Code: ""}}, All()...) {
		owner := map[string]string{}
		for _, c := range Children(parent.Code) {
			for _, n := range append([]string{c.Name}, c.Alt...) {
				k := Key(n)
				if k == "" {
					t.Errorf("%s: name %q has an empty key", c.Code, n)
					continue
				}
				if prev, ok := owner[k]; ok && prev != c.Code && !ambiguousSiblings[k] {
					t.Errorf("under %q, %s and %s share the key %q (from %q)", parent.Code, prev, c.Code, k, n)
				}
				owner[k] = c.Code
			}
		}
	}
}

func TestGetPathChildren(t *testing.T) {
	p, ok := Get("in-br-sitamarhi")
	if !ok || p.Name != "Sitamarhi" || p.Country != "IN" || p.Parent != "IN-BR" || p.Level != District {
		t.Fatalf("Get(in-br-sitamarhi) = %+v, %v", p, ok)
	}
	if got := codes(Path("IN-BR-SITAMARHI")); strings.Join(got, ">") != "IN>IN-BR>IN-BR-SITAMARHI" {
		t.Errorf("Path = %v", got)
	}
	if Path("IN-XX") != nil {
		t.Error("Path of an unknown code is not nil")
	}
	if _, ok := Get("NP-P3-NOWHERE"); ok {
		t.Error("Get of an unknown code succeeded")
	}
	kids := Children("NP-P3")
	if len(kids) != 13 || kids[0].Name != "Bhaktapur" || kids[12].Name != "Sindhupalchok" {
		t.Errorf("Children(NP-P3) = %v", codes(kids))
	}
	kids[0] = nil // the caller's copy only
	if Children("NP-P3")[0] == nil {
		t.Error("Children returned the shared slice")
	}
	if !Within("IN-BR-SITAMARHI", "IN") || !Within("IN-BR", "in-br") || Within("IN-BR", "IN-BR-SITAMARHI") || Within("IN-BRX", "IN-BR") {
		t.Error("Within is wrong")
	}
	if Level(9).String() != "Level(9)" || District.String() != "district" {
		t.Error("Level.String is wrong")
	}
}

// isLatinName reports whether s is written in ASCII letters, digits, spaces
// and the punctuation names use.
func isLatinName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(" .'&()-", r)) {
			return false
		}
	}
	return true
}

func hasIndic(s string) bool {
	for _, r := range s {
		if r >= 0x0900 && r <= 0x09FF {
			return true
		}
	}
	return false
}

func codes(ps []*Place) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	return out
}

func TestLoadRejectsBadData(t *testing.T) {
	const head = "code,kind,name,local,alt,iso\n"
	for _, tc := range []struct {
		name, csv, want string
	}{
		{"duplicate code", head + "IN,country,India,,,IN\nIN,country,India,,,IN\n", "data/x.csv:3: duplicate code IN"},
		{"missing parent", head + "IN,country,India,,,IN\nIN-BR-PATNA,district,Patna,,,\n", "IN-BR-PATNA: parent IN-BR does not exist"},
		{"bad kind", head + "IN,nation,India,,,IN\n", "data/x.csv:2: IN: unknown kind"},
		{"level and code disagree", head + "IN,country,India,,,IN\nIN-BR,district,Bihar,,,\n", "a district needs a code of 3 parts"},
		{"bad code", head + "in,country,India,,,IN\n", "data/x.csv:2: code \"in\""},
		{"slug with hyphen", head + "IN,country,India,,,IN\nIN-BR,state,Bihar,,,IN-BR\nIN-BR-EAST-CHAMPARAN,district,East Champaran,,,\n", "data/x.csv:4: code"},
		{"unclean name", head + "IN,country, India,,,IN\n", "not clean"},
		{"empty alternate", head + "IN,country,India,,Bharat||Hindustan,IN\n", "alternate name \"\""},
		{"wrong header", "code,name\nIN,India\n", "data/x.csv:1: header"},
		{"short row", head + "IN,country,India\n", "data/x.csv"},
		{"iso missing on state", head + "IN,country,India,,,IN\nIN-BR,state,Bihar,,,\n", "iso column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(fstest.MapFS{"data/x.csv": {Data: []byte(tc.csv)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("load: %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if _, err := load(fstest.MapFS{}); err == nil {
		t.Error("load of no files succeeded")
	}
}
