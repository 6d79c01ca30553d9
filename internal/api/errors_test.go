package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"atip"
	"atip/internal/api"
)

// TestProblems checks that bad requests of every kind get a problem+json
// answer with the right status and, for field errors, the location of each.
func TestProblems(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.rw["A"][atip.RolePlatformAdmin]
		existing := e.orgA.Name
		huge := `{"name":"` + strings.Repeat("x", api.MaxBodyBytes) + `","type":"ahtu","jurisdiction":"IN-BR"}`
		for _, tc := range []struct {
			name, method, path, body string
			status                   int
			locations                []string // each must appear among errors[].location
			detail                   string   // substring of the detail or of an error message
		}{
			{"malformed JSON names line and column", "POST", "/orgs", "{\n  \"name\": \"x\",\n  \"type\": ahtu\n}", 400, []string{"body"}, "line 3, column 11"},
			{"truncated JSON", "POST", "/orgs", `{"name": "x"`, 400, []string{"body"}, "line 1"},
			{"body over the limit", "POST", "/orgs", huge, 413, nil, "too large"},
			{"wrong JSON type", "POST", "/orgs", `{"name": 5, "type": "ahtu", "jurisdiction": "IN-BR"}`, 422, []string{"body.name"}, ""},
			{"unknown organisation type", "POST", "/orgs", `{"name": "x", "type": "pirates", "jurisdiction": "IN-BR"}`, 422, []string{"body.type"}, ""},
			{"missing required field", "POST", "/orgs", `{"type": "ahtu", "jurisdiction": "IN-BR"}`, 422, []string{"body"}, "name"},
			{"unknown field", "POST", "/orgs", `{"name": "x", "type": "ahtu", "jurisdiction": "IN-BR", "owner": "me"}`, 422, []string{"body.owner"}, "unexpected property"},
			{"service field errors map to body locations", "POST", "/orgs", `{"name": " ", "type": "ahtu", "jurisdiction": "XX NOWHERE"}`, 422, []string{"body.name", "body.jurisdiction"}, ""},
			{"duplicate name", "POST", "/orgs", `{"name": "` + existing + `", "type": "ahtu", "jurisdiction": "IN-BR"}`, 409, nil, ""},
			{"user field errors", "POST", "/users", `{"org_id": "` + e.orgA.ID + `", "login": "a b", "name": "", "roles": [], "password": "x"}`, 422, []string{"body.login", "body.name", "body.roles", "body.password"}, ""},
			{"limit over the maximum", "GET", "/orgs?limit=100000", "", 422, []string{"query.limit"}, ""},
			{"unknown query parameter", "GET", "/orgs?typo=1", "", 422, []string{"query.typo"}, ""},
			{"forged cursor", "GET", "/orgs?cursor=b3Jncz0x", "", 400, []string{"query.cursor"}, ""},
			{"another list's cursor", "GET", "/users?cursor=" + otherCursor(t, e), "", 400, []string{"query.cursor"}, ""},
			{"bad time filter", "GET", "/audit?since=yesterday", "", 422, []string{"query.since"}, ""},
			{"no such organisation", "GET", "/orgs/019a0000-0000-7000-8000-000000000000", "", 404, nil, ""},
			{"no such route", "GET", "/cases", "", 404, nil, ""},
			{"wrong method", "DELETE", "/orgs", "", 405, nil, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tok := admin
				if strings.HasPrefix(tc.path, "/audit") {
					tok = e.rw["A"][atip.RoleAuditor]
				}
				w := e.do(tc.method, api.Prefix+tc.path, tok, tc.body)
				p := wantProblem(t, w, tc.status)
				var locs []string
				text := p.Detail
				for _, d := range p.Errors {
					locs = append(locs, d.Location)
					text += " | " + d.Message
					if d.Message == "" {
						t.Errorf("error at %s has no message", d.Location)
					}
				}
				for _, l := range tc.locations {
					if !slices.Contains(locs, l) {
						t.Errorf("errors at %q, want one at %q (%s)", locs, l, text)
					}
				}
				if tc.detail != "" && !strings.Contains(text, tc.detail) {
					t.Errorf("problem %q does not mention %q", text, tc.detail)
				}
				if tc.status == 405 && w.Header().Get("Allow") == "" {
					t.Error("405 without an Allow header")
				}
			})
		}
	})
}

// otherCursor returns a real cursor of the organisations list.
func otherCursor(t testing.TB, e *env) string {
	t.Helper()
	page := decode[api.OrgPage](t, e.do("GET", api.Prefix+"/orgs?limit=1", e.rw["A"][atip.RoleCaseworker], ""), http.StatusOK)
	if page.Next == "" {
		t.Fatal("two organisations should make two pages of one")
	}
	return page.Next
}

// TestProblemsDoNotEchoSecrets checks that a password sent in a bad body is
// not sent back, whatever is wrong with the body.
func TestProblemsDoNotEchoSecrets(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		const secret = "Sup3r-Secret-Passphrase"
		admin := e.rw["A"][atip.RolePlatformAdmin]
		for _, body := range []string{
			`{"org_id": "` + e.orgA.ID + `", "login": "ok.login", "name": "N", "roles": ["caseworker"], "password": "` + secret + `"`,
			`{"org_id": "` + e.orgA.ID + `", "login": "ok.login", "name": "N", "roles": ["nope"], "password": "` + secret + `"}`,
			`{"org_id": "` + e.orgA.ID + `", "login": "ok.login", "name": "N", "roles": ["caseworker"], "password": ["` + secret + `"]}`,
		} {
			w := e.do("POST", api.Prefix+"/users", admin, body)
			if w.Code < 400 || strings.Contains(w.Body.String(), secret) {
				t.Errorf("status %d, body %s: want an error that does not repeat the password", w.Code, w.Body)
			}
		}
		id := e.users["A"][atip.RoleCaseworker].ID
		w := e.do("POST", api.Prefix+"/users/"+id+"/password", admin, `{"password": "`+secret+`", "extra": 1}`)
		if w.Code != 422 || strings.Contains(w.Body.String(), secret) {
			t.Errorf("status %d, body %s: want 422 without the password", w.Code, w.Body)
		}
	})
}

// TestSessionCookie checks the browser's same-origin door: a fully signed-in
// session works, a cross-site request with it does not, and a session that
// still waits for its second factor is not signed in.
func TestSessionCookie(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.users["A"][atip.RoleOrgAdmin]
		token, sess, err := e.svc.Auth.Login(e.op, u.Login, testPassword)
		if err != nil || sess.Stage != atip.StageFull {
			t.Fatalf("login: %v (stage %v)", err, sess)
		}
		for _, tc := range []struct {
			name, method, path, body, site string
			status                         int
		}{
			{"same-origin read", "GET", "/me", "", "same-origin", 200},
			{"same-origin write", "PATCH", "/users/" + u.ID, `{"name":"Renamed Admin"}`, "same-origin", 200},
			{"cross-site write", "PATCH", "/users/" + u.ID, `{"name":"Evil"}`, "cross-site", 403},
			{"no cookie", "GET", "/me", "", "", 401},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req := newRequest(tc.method, api.Prefix+tc.path, tc.body)
				if tc.site != "" {
					req.Header.Set("Sec-Fetch-Site", tc.site)
					req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
				}
				w := serve(e, req)
				if w.Code != tc.status {
					t.Fatalf("status %d, want %d; body %s", w.Code, tc.status, w.Body)
				}
			})
		}
		got, err := e.svc.Users.FindUserByID(e.op, u.ID)
		if err != nil || got.Name != "Renamed Admin" {
			t.Errorf("name %q (%v): the cross-site request must not have changed it", got.Name, err)
		}
		// A stale or made-up cookie is a 401, like a bad token.
		req := newRequest("GET", api.Prefix+"/me", "")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "made-up"})
		wantProblem(t, serve(e, req), http.StatusUnauthorized)
	})
}

// TestActionsAreAuditedAsAPI checks that what a token does is in the audit
// trail as done through the API, by its user, from the client's address:
// the services audit API calls exactly as UI actions.
func TestActionsAreAuditedAsAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.users["A"][atip.RolePlatformAdmin]
		created := decode[api.Org](t, e.do("POST", api.Prefix+"/orgs", e.rw["A"][atip.RolePlatformAdmin],
			`{"name":"Test CWC Darjeeling","type":"cwc","jurisdiction":"IN-WB"}`), http.StatusCreated)
		page := decode[api.AuditPage](t, e.do("GET", api.Prefix+"/audit?record_id="+created.ID, e.rw["B"][atip.RoleAuditor], ""), http.StatusOK)
		if len(page.Items) != 1 {
			t.Fatalf("audit entries for the new organisation: %+v, want one", page.Items)
		}
		got := page.Items[0]
		if got.Action != "org.create" || got.ActorID != admin.ID || got.Via != string(atip.ViaAPI) || got.RemoteAddr != "192.0.2.7" || got.Outcome != "ok" {
			t.Errorf("audit entry %+v: want org.create by %s via api from 192.0.2.7", got, admin.ID)
		}
	})
}
