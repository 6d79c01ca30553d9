package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
	"atip/internal/policy"
)

// op is one operation as the served OpenAPI document describes it.
type op struct {
	Method, Path, ID string
	Scope            string        // the bearer scope its security requirement names
	Action           policy.Action // its x-atip-action
}

// operations reads every operation from the served document, so that the
// tests below cover new endpoints without anyone remembering to add them.
func operations(t testing.TB, e *env) []op {
	t.Helper()
	w := e.do(http.MethodGet, api.Prefix+"/openapi.json", "", "")
	if w.Code != http.StatusOK {
		t.Fatalf("GET openapi.json: %d %s", w.Code, w.Body)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Security    []map[string][]string `json:"security"`
			Action      *string               `json:"x-atip-action"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var ops []op
	for path, methods := range doc.Paths {
		for method, o := range methods {
			if o.Action == nil {
				t.Errorf("%s %s declares no %s: every operation must say what it does", method, path, api.ExtAction)
				continue
			}
			var scope string
			for _, req := range o.Security {
				if s, ok := req["bearer"]; ok && len(s) == 1 {
					scope = s[0]
				}
			}
			if scope == "" {
				t.Errorf("%s %s declares no bearer scope", method, path)
			}
			ops = append(ops, op{Method: strings.ToUpper(method), Path: path, ID: o.OperationID, Scope: scope, Action: policy.Action(*o.Action)})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	if len(ops) == 0 {
		t.Fatal("the document lists no operations")
	}
	return ops
}

// url fills the path's parameters with id.
func (o op) url(id string) string {
	return api.Prefix + strings.ReplaceAll(o.Path, "{id}", id)
}

// body is a syntactically valid body for write operations, so that a
// refusal is about the caller and not about the input.
func (o op) body() string {
	if o.Method == http.MethodGet || o.Method == http.MethodDelete {
		return ""
	}
	return "{}"
}

func TestEveryOperationRefusesTheUnauthenticated(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		for _, o := range operations(t, e) {
			t.Run(o.ID, func(t *testing.T) {
				id := e.users["A"][atip.RoleCaseworker].ID
				w := e.do(o.Method, o.url(id), "", o.body())
				wantProblem(t, w, http.StatusUnauthorized)
				if got := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer ") {
					t.Errorf("WWW-Authenticate %q, want a Bearer challenge", got)
				}
				for _, bad := range []string{"atip_not-a-real-token", "Basic dXNlcjpwYXNz"} {
					req := httptest.NewRequest(o.Method, o.url(id), strings.NewReader(o.body()))
					if strings.HasPrefix(bad, "Basic") {
						req.Header.Set("Authorization", bad)
					} else {
						req.Header.Set("Authorization", "Bearer "+bad)
					}
					w := httptest.NewRecorder()
					e.h.ServeHTTP(w, req)
					wantProblem(t, w, http.StatusUnauthorized)
				}
				// A token whose user was disabled stops working at once.
				u := e.user(e.orgA, "disabled-"+o.ID, atip.RolePlatformAdmin, atip.RoleAuditor)
				tok := e.token(u, api.ScopeRead, api.ScopeWrite)
				disabled := true
				if _, err := e.svc.Users.UpdateUser(e.op, u.ID, atip.UserUpdate{Disabled: &disabled}); err != nil {
					t.Fatal(err)
				}
				wantProblem(t, e.do(o.Method, o.url(id), tok, o.body()), http.StatusUnauthorized)
			})
		}
	})
}

func TestEveryOperationRefusesTheWrongScopeAndRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		for _, o := range operations(t, e) {
			t.Run(o.ID, func(t *testing.T) {
				id := e.users["B"][atip.RoleCaseworker].ID
				// Wrong scope: a read-only token of a user whose roles
				// allow everything may not write.
				if o.Scope == api.ScopeWrite {
					u := e.user(e.orgA, "readonly-"+o.ID, atip.RolePlatformAdmin, atip.RoleAuditor)
					w := e.do(o.Method, o.url(id), e.token(u, api.ScopeRead), o.body())
					wantProblem(t, w, http.StatusForbidden)
					if !strings.Contains(w.Header().Get("WWW-Authenticate"), "insufficient_scope") {
						t.Errorf("WWW-Authenticate %q, want insufficient_scope", w.Header().Get("WWW-Authenticate"))
					}
				} else if o.Scope != api.ScopeRead {
					t.Fatalf("scope %q is neither read nor write", o.Scope)
				}
				// Wrong role: every role that the policy does not allow
				// this action must be refused, whatever its token may do.
				if o.Action == "" {
					return // the caller's own account: any signed-in user
				}
				refused := 0
				for _, r := range atip.Roles {
					actor := &atip.Actor{User: e.users["A"][r], Via: atip.ViaAPI}
					if policy.CanSome(actor, o.Action) {
						continue
					}
					refused++
					w := e.do(o.Method, o.url(id), e.rw["A"][r], o.body())
					if w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
						t.Errorf("role %s: status %d, want 403 or 404; body %s", r, w.Code, w.Body)
					}
					wantProblem(t, w, w.Code)
				}
				if refused == 0 {
					// Every role may do this action somewhere (e.g. view
					// organisations): there is no wrong role to try.
					for _, r := range atip.Roles {
						if !policy.CanSome(&atip.Actor{User: &atip.User{Roles: []atip.Role{r}}}, o.Action) {
							t.Fatalf("role %s lacks %s but was not tried", r, o.Action)
						}
					}
				}
			})
		}
	})
}

// TestOtherOrganisationsRecordsAreNotFound checks that a caller whose role
// reaches only their own organisation gets 404 for another's records, the
// same answer as for an id that does not exist (and 403 only for changing
// what they may see).
func TestOtherOrganisationsRecordsAreNotFound(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		adminA := e.rw["A"][atip.RoleOrgAdmin]
		supA := e.rw["A"][atip.RoleSupervisor]
		userB := e.users["B"][atip.RoleCaseworker].ID
		for _, tc := range []struct {
			name, token, method, path, body string
			want                            int
		}{
			{"supervisor reads user of B", supA, "GET", "/users/" + userB, "", 404},
			{"org admin reads user of B", adminA, "GET", "/users/" + userB, "", 404},
			{"org admin changes user of B", adminA, "PATCH", "/users/" + userB, `{"name":"Changed"}`, 404},
			{"org admin resets password of user of B", adminA, "POST", "/users/" + userB + "/password", `{"password":"another long password 1"}`, 404},
			{"org admin revokes token of B", adminA, "DELETE", "/me/tokens/" + tokenID(t, e, "B", atip.RoleOrgAdmin), "", 404},
			{"no such user", adminA, "GET", "/users/019a0000-0000-7000-8000-000000000000", "", 404},
			// Every role may see every organisation (the directory), so
			// changing another one is forbidden rather than not found.
			{"org admin changes org B", adminA, "PATCH", "/orgs/" + e.orgB.ID, `{"name":"Changed"}`, 403},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantProblem(t, e.do(tc.method, api.Prefix+tc.path, tc.token, tc.body), tc.want)
			})
		}
		// Listing: an org admin of A sees only A's users, whatever they ask.
		for _, q := range []string{"", "?org_id=" + e.orgB.ID} {
			page := decode[api.UserPage](t, e.do("GET", api.Prefix+"/users"+q, adminA, ""), http.StatusOK)
			for _, u := range page.Items {
				if u.OrgID != e.orgA.ID {
					t.Errorf("org admin of A listed user %s of another organisation (query %q)", u.ID, q)
				}
			}
		}
		if _, err := e.svc.Users.FindUserByID(e.op, userB); err != nil {
			t.Fatalf("user of B should be unchanged and present: %v", err)
		}
	})
}

// tokenID returns the id of the read+write token of a fixture user.
func tokenID(t testing.TB, e *env, tag string, r atip.Role) string {
	t.Helper()
	me := decode[api.Me](t, e.do("GET", api.Prefix+"/me", e.rw[tag][r], ""), http.StatusOK)
	return me.TokenID
}

func TestScopesAgreeWithTheTokenService(t *testing.T) {
	if api.ScopeRead != database.ScopeRead || api.ScopeWrite != database.ScopeWrite ||
		!slices.Equal(database.TokenScopes, []string{api.ScopeRead, api.ScopeWrite}) {
		t.Fatalf("API scopes %q, %q differ from the token service's %q", api.ScopeRead, api.ScopeWrite, database.TokenScopes)
	}
}
