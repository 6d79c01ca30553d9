package web

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
)

func TestParseImport(t *testing.T) {
	for _, tc := range []struct {
		file     string
		good     int
		problems []string // substrings, in order
	}{
		{"testdata/tips_import_good.csv", 3, nil},
		{"testdata/tips_import_bad.jsonl", 1, []string{
			"line 2: text: is required",
			"line 3: posted_at",
			"line 4: not a JSON object",
			"line 5: not a JSON object with the known fields (unknown field \"colour\")",
			"line 7: url: must start with http",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			good, probs := parseImport(data)
			if len(good) != tc.good {
				t.Errorf("%d good lines, want %d", len(good), tc.good)
			}
			var got []string
			for _, p := range probs {
				got = append(got, p.String())
			}
			// Problems are reported by line: sort is by discovery order, which
			// puts format problems before validation; compare as a set.
			for _, want := range tc.problems {
				found := false
				for _, g := range got {
					found = found || strings.Contains(g, want)
				}
				if !found {
					t.Errorf("no problem %q in %q", want, got)
				}
			}
			if len(got) != len(tc.problems) {
				t.Errorf("problems %q, want %d", got, len(tc.problems))
			}
		})
	}
	good, _ := parseImport([]byte("platform,text,images\nFacebook,\"a, b\",x.jpg;y.jpg\n"))
	if len(good) != 1 || good[0].Tip.Platform != "facebook" || len(good[0].Tip.Images) != 2 || good[0].Line != 2 {
		t.Errorf("CSV line: %+v", good)
	}
	for _, bad := range []string{"", "text\n", "colour,name\nred,x\n", "text\n\"unterminated\n", "\xff\xfe"} {
		if _, probs := parseImport([]byte(bad)); len(probs) == 0 {
			t.Errorf("%q: no problem reported", bad)
		}
	}
}

func FuzzParseImport(f *testing.F) {
	for _, name := range []string{"testdata/tips_import_good.csv", "testdata/tips_import_bad.jsonl"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("text\n\"a\"\"b\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		good, probs := parseImport(data)
		for _, g := range good {
			if g.Line < 1 || g.Tip.Text == "" || !strings.HasPrefix(g.Tip.URL, "http") && g.Tip.URL != "" {
				t.Fatalf("accepted a bad line: %+v", g)
			}
		}
		if len(good)+len(probs) == 0 {
			t.Fatal("neither posts nor problems")
		}
	})
}

// The import page: a dry run reports the bad lines and stores nothing; a
// file with a bad line stores nothing; a good one stores every line.
func TestImportPage(t *testing.T) {
	e := newEnv(t, database.SQLite)
	worker := e.signedIn("worker")
	list := func() int {
		tips, _, err := newTipService(t, e.db, "").FindTips(atip.OperatorContext(t.Context()), atip.TipFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(tips)
	}
	bad, _ := os.ReadFile("testdata/tips_import_bad.jsonl")
	good, _ := os.ReadFile("testdata/tips_import_good.csv")
	r := worker.post("/tips/import", url.Values{"data": {string(bad)}, "dry_run": {"on"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "line 2: text: is required") {
		t.Fatalf("dry run of a bad file: status %d\n%s", r.status, r.body)
	}
	if r := worker.post("/tips/import", url.Values{"data": {string(bad)}}); r.status != http.StatusUnprocessableEntity || list() != 0 {
		t.Fatalf("import of a bad file: status %d, %d stored", r.status, list())
	}
	if r := worker.post("/tips/import", url.Values{"data": {string(good)}, "dry_run": {"on"}}); r.status != http.StatusOK || list() != 0 {
		t.Fatalf("dry run of a good file: status %d, %d stored", r.status, list())
	}
	if r := worker.post("/tips/import", url.Values{"data": {string(good)}}); r.status != http.StatusOK || !strings.Contains(r.body, "3 posts imported") || list() != 3 {
		t.Fatalf("import: status %d, %d stored\n%s", r.status, list(), r.body)
	}
	if r := e.signedIn("auditor").post("/tips/import", url.Values{"data": {string(good)}}); r.status != http.StatusForbidden {
		t.Errorf("auditor import: status %d", r.status)
	}
}
