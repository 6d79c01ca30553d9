package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
)

// checkAnswer fails on a server fault or on an error answer that is not a
// problem document. Panics would fail the fuzz run by themselves.
func checkAnswer(t *testing.T, method, path string, code int, ct string, body []byte) {
	t.Helper()
	if code >= 500 {
		t.Fatalf("%s %s: status %d: %s", method, path, code, body)
	}
	if code >= 400 {
		if ct != "application/problem+json" {
			t.Fatalf("%s %s: status %d with Content-Type %q", method, path, code, ct)
		}
		var p map[string]any
		if err := json.Unmarshal(body, &p); err != nil || p["status"] != float64(code) {
			t.Fatalf("%s %s: status %d with a malformed problem %s", method, path, code, body)
		}
	}
}

// FuzzRequestBodies sends arbitrary bodies to every write operation as a
// platform admin, against a real SQLite database: whatever arrives, the
// answer is a success or a client error as a problem document, never a 500
// or a panic.
func FuzzRequestBodies(f *testing.F) {
	for _, s := range []string{
		`{"name":"Test NGO","type":"shelter_ngo","jurisdiction":"IN-WB"}`,
		`{"org_id":"x","login":"new.user","name":"N","roles":["caseworker"],"password":"a long enough password"}`,
		`{"name":null}`, `{"roles":[null]}`, `{"disabled":"yes"}`, `[]`, `null`, `"x"`, `{`, "\x00", `{"name":"\ud800"}`,
		`{"name":"x","name":"y"}`, `{"password":1e400}`,
	} {
		for op := range 5 {
			f.Add(uint8(op), []byte(s))
		}
	}
	e := newEnv(f, database.SQLite)
	admin := e.rw["A"][atip.RolePlatformAdmin]
	userID := e.users["B"][atip.RoleCaseworker].ID
	targets := []struct{ method, path string }{
		{"POST", "/orgs"},
		{"PATCH", "/orgs/" + e.orgB.ID},
		{"POST", "/users"},
		{"PATCH", "/users/" + userID},
		{"POST", "/users/" + userID + "/password"},
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		tg := targets[int(which)%len(targets)]
		req := newRequest(tg.method, api.Prefix+tg.path, string(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+admin)
		w := serve(e, req)
		checkAnswer(t, tg.method, tg.path, w.Code, w.Header().Get("Content-Type"), w.Body.Bytes())
	})
}

// FuzzListQueries sends arbitrary query strings (cursors, limits, filters)
// to the list operations.
func FuzzListQueries(f *testing.F) {
	for _, s := range []string{
		"limit=2", "limit=0", "limit=-1", "limit=99999999999999999999", "cursor=b3Jnczo", "cursor=%00",
		"type=ahtu&q=%E0%A4%95", "q=%25_%5C", "role=auditor&org_id='--", "since=2026-01-01T00:00:00Z&until=x",
		"action=auth.&cursor=YXVkaXQ6MQ", "limit=1&limit=2", "%zz",
	} {
		for op := range 3 {
			f.Add(uint8(op), s)
		}
	}
	e := newEnv(f, database.SQLite)
	targets := []struct{ path, token string }{
		{"/orgs", e.rw["A"][atip.RoleCaseworker]},
		{"/users", e.rw["A"][atip.RolePlatformAdmin]},
		{"/audit", e.rw["A"][atip.RoleAuditor]},
	}
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		tg := targets[int(which)%len(targets)]
		u := &url.URL{Path: api.Prefix + tg.path, RawQuery: query}
		req, err := http.NewRequest("GET", u.String(), nil)
		if err != nil {
			return // not a URL a client could send
		}
		req.RemoteAddr = "192.0.2.7:41000"
		req.Header.Set("Authorization", "Bearer "+tg.token)
		w := serve(e, req)
		checkAnswer(t, "GET", u.String(), w.Code, w.Header().Get("Content-Type"), w.Body.Bytes())
	})
}
