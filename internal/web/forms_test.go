package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"atip"
)

func TestLocalPathRefusesOtherSites(t *testing.T) {
	tests := map[string]string{
		"":                     "/",
		"/orgs?type=cwc":       "/orgs?type=cwc",
		"/users/abc":           "/users/abc",
		"//evil.example/x":     "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"javascript:alert(1)":  "/",
		"orgs":                 "/",
		"/\r\nSet-Cookie: x":   "/",
		"/%2F%2Fevil.example":  "/%2F%2Fevil.example",
	}
	for in, want := range tests {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "//x", "/a?b=c", "http://x", "/\\x", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := localPath(s)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.Contains(got, "\\") {
			t.Fatalf("localPath(%q) = %q leaves the site", s, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("localPath(%q) = %q is not a local path", s, got)
		}
	})
}

func fieldsOf(err error) map[string]string { return fieldErrors(err) }

func TestParseOrgForm(t *testing.T) {
	tests := []struct {
		name   string
		form   url.Values
		fields []string // fields expected to be wrong
	}{
		{"good", url.Values{"name": {" AHTU Raxaul "}, "type": {"ahtu"}, "jurisdiction": {"IN-BR"}}, nil},
		{"empty", url.Values{}, []string{"name", "type", "jurisdiction"}},
		{"bad type", url.Values{"name": {"x"}, "type": {"army"}, "jurisdiction": {"IN"}}, []string{"type"}},
		{"long name", url.Values{"name": {strings.Repeat("न", 201)}, "type": {"cwc"}, "jurisdiction": {"IN"}}, []string{"name"}},
		{"bad utf8", url.Values{"name": {"\xff"}, "type": {"cwc"}, "jurisdiction": {"IN"}}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := parseOrgForm(tt.form)
			got := fieldsOf(err)
			if len(got) != len(tt.fields) {
				t.Fatalf("errors %v, want fields %v", got, tt.fields)
			}
			for _, name := range tt.fields {
				if got[name] == "" {
					t.Errorf("no error for %s: %v", name, got)
				}
			}
			if tt.fields == nil && (f.Name != "AHTU Raxaul" || f.Type != atip.OrgAHTU) {
				t.Errorf("parsed %+v", f)
			}
		})
	}
}

func TestParseUserForm(t *testing.T) {
	good := url.Values{"login": {" Asha@Example.ORG "}, "name": {"Asha"}, "org": {"o1"}, "roles": {"caseworker", "caseworker", "analyst"}, "lang": {"hi"}, "password": {"correct horse battery"}}
	f, err := parseUserForm(good, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.Login != "asha@example.org" || len(f.Roles) != 2 || f.Lang != "hi" {
		t.Errorf("parsed %+v", f)
	}
	tests := []struct {
		name  string
		edit  func(url.Values)
		field string
	}{
		{"short password", func(v url.Values) { v.Set("password", "short") }, "password"},
		{"no roles", func(v url.Values) { v.Del("roles") }, "roles"},
		{"forged role", func(v url.Values) { v["roles"] = []string{"god"} }, "roles"},
		{"bad language", func(v url.Values) { v.Set("lang", "fr") }, "lang"},
		{"space in login", func(v url.Values) { v.Set("login", "a b") }, "login"},
		{"no name", func(v url.Values) { v.Del("name") }, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := url.Values{}
			for k, x := range good {
				v[k] = append([]string(nil), x...)
			}
			tt.edit(v)
			_, err := parseUserForm(v, true)
			if fieldsOf(err)[tt.field] == "" {
				t.Errorf("no error for %s: %v", tt.field, err)
			}
		})
	}
	// Editing does not ask for login or password.
	if _, err := parseUserForm(url.Values{"name": {"A"}, "roles": {"auditor"}}, false); err != nil {
		t.Errorf("edit form: %v", err)
	}
}

func TestParseAuditFilter(t *testing.T) {
	ist, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseAuditFilter(url.Values{"action": {"org."}, "since": {"2026-01-05"}, "until": {"२०२६-०१-०५"}, "before": {"120"}}, ist)
	if err != nil {
		t.Fatal(err)
	}
	// A day in Kolkata starts at 18:30 UTC the day before; "until"
	// includes the whole day, native digits and all.
	if want := time.Date(2026, 1, 4, 18, 30, 0, 0, time.UTC); !f.Since.Equal(want) {
		t.Errorf("since %v, want %v", f.Since, want)
	}
	if want := time.Date(2026, 1, 5, 18, 30, 0, 0, time.UTC); !f.Until.Equal(want) {
		t.Errorf("until %v, want %v", f.Until, want)
	}
	if f.Before != 120 || f.Action != "org." || f.Limit != auditPageSize {
		t.Errorf("parsed %+v", f)
	}
	tests := map[string]url.Values{
		"since":  {"since": {"5 Jan"}},
		"until":  {"since": {"2026-02-01"}, "until": {"2026-01-01"}},
		"before": {"before": {"-3"}},
	}
	for field, q := range tests {
		_, err := parseAuditFilter(q, time.UTC)
		if fieldsOf(err)[field] == "" {
			t.Errorf("%v: no error for %s (%v)", q, field, err)
		}
	}
}

func TestParseTokenForm(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f, err := parseTokenForm(url.Values{"name": {"case sync"}, "scopes": {"read"}, "days": {"३०"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Expires.Equal(now.AddDate(0, 0, 30)) || len(f.Scopes) != 1 {
		t.Errorf("parsed %+v", f)
	}
	for _, days := range []string{"0", "366", "x", ""} {
		_, err := parseTokenForm(url.Values{"name": {"n"}, "scopes": {"read"}, "days": {days}}, now)
		if fieldsOf(err)["days"] == "" {
			t.Errorf("days %q accepted", days)
		}
	}
	if _, err := parseTokenForm(url.Values{"name": {"n"}, "scopes": {"admin"}, "days": {"1"}}, now); fieldsOf(err)["scopes"] == "" {
		t.Error("unknown scope accepted")
	}
}

func TestParseCode(t *testing.T) {
	tests := map[string]string{"123 456": "123456", "१२३४५६": "123456", " abcd-efgh ": "abcdefgh", "১২৩৪৫৬": "123456"}
	for in, want := range tests {
		if got := parseCode(in); got != want {
			t.Errorf("parseCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzForms feeds arbitrary query strings to every form parser: none may
// panic, and each either succeeds or names at least one field.
func FuzzForms(f *testing.F) {
	for _, s := range []string{
		"name=a&type=cwc&jurisdiction=IN",
		"login=a&name=b&roles=analyst&password=123456789012&lang=ne",
		"since=2026-01-01&until=2026-02-30&before=9",
		"name=t&scopes=read&days=90",
		"current=x&new=yyyyyyyyyyyy&confirm=yyyyyyyyyyyy",
		"roles=%ff&name=%00",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		check := func(name string, err error) {
			if err != nil && atip.ErrorCode(err) != atip.EINVALID {
				t.Fatalf("%s: error %v is not EINVALID", name, err)
			}
			if err != nil && len(fieldErrors(err)) == 0 {
				t.Fatalf("%s: error names no field", name)
			}
		}
		_, err = parseOrgForm(v)
		check("org", err)
		_, err = parseUserForm(v, true)
		check("user", err)
		_, err = parseUserForm(v, false)
		check("user edit", err)
		_, err = parsePasswordForm(v)
		check("password", err)
		_, err = parseTokenForm(v, now)
		check("token", err)
		_, err = parseAuditFilter(v, time.UTC)
		check("audit", err)
		_, err = parseRoles(v, "roles")
		check("roles", err)
		parseCode(v.Get("code"))
	})
}
