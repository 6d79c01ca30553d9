package database

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in     string
		engine Engine
		path   string
		err    string
	}{
		{"atip.db", SQLite, "atip.db", ""},
		{"./data/atip.db", SQLite, "./data/atip.db", ""},
		{"sqlite:/var/lib/atip/atip.db", SQLite, "/var/lib/atip/atip.db", ""},
		{"sqlite:///var/lib/atip.db", SQLite, "/var/lib/atip.db", ""},
		{"file:atip.db", SQLite, "atip.db", ""},
		{"C:/atip/atip.db", SQLite, "C:/atip/atip.db", ""},
		{"postgres://atip:pw@db.internal:5432/atip?sslmode=require", Postgres, "", ""},
		{"POSTGRESQL://atip@db/atip", Postgres, "", ""},
		{"", "", "", "empty"},
		{"sqlite:", "", "", "no file path"},
		{"atip.db?_pragma=foreign_keys(0)", "", "", "must not contain"},
		{":memory:", "", "", "in-memory"},
		{"mysql://root@localhost/atip", "", "", "unsupported scheme"},
		{"postgres:///atip", "", "", "no host"},
		{"postgres://u:p%zz@h/db", "", "", "malformed"},
	} {
		got, err := ParseURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseURL(%q) = %+v, %v; want error with %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got.Engine != tc.engine || (tc.engine == SQLite && got.Path != tc.path) {
			t.Errorf("ParseURL(%q) = %+v, %v; want %s %q", tc.in, got, err, tc.engine, tc.path)
		}
	}
}

func TestRedactedHidesPassword(t *testing.T) {
	tg, err := ParseURL("postgres://atip:s3cret@db:5432/atip")
	if err != nil {
		t.Fatal(err)
	}
	if r := tg.Redacted(); strings.Contains(r, "s3cret") || !strings.Contains(r, "db:5432") {
		t.Fatalf("Redacted() = %q", r)
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"atip.db", "sqlite:x.db", "postgres://u:p@h/db", "file:a?b", "x://y", "postgres://%", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseURL(s)
		if err != nil {
			if strings.Contains(s, "@") && strings.Contains(err.Error(), "@") {
				t.Fatalf("error %q repeats a URL that may hold a password", err)
			}
			return
		}
		switch tg.Engine {
		case SQLite:
			if tg.Path == "" || strings.ContainsAny(tg.Path, "?#\x00") {
				t.Fatalf("bad SQLite path %q from %q", tg.Path, s)
			}
		case Postgres:
			_ = tg.Redacted()
		default:
			t.Fatalf("no engine for %q", s)
		}
	})
}
