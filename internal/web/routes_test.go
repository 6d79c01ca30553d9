package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/policy"
)

// anyUserRoutes are the signed-in routes without a policy action: every
// signed-in user has a home page and their own account. A new route without
// an action fails TestRoutesRefuseTheWrongRole until it is added here, so
// that leaving out the action is a decision, not an accident.
var anyUserRoutes = map[string]bool{
	"GET /{$}":                         true,
	"GET /account":                     true,
	"POST /account/password":           true,
	"GET /account/totp":                true,
	"POST /account/totp":               true,
	"POST /account/tokens":             true,
	"POST /account/tokens/{id}/revoke": true,
}

// requestFor turns a route pattern into a request, filling {id} with id.
func (b *browser) requestFor(pattern, id string) response {
	b.e.t.Helper()
	method, path, _ := strings.Cut(pattern, " ")
	path = strings.NewReplacer("{id}", url.PathEscape(id), "{$}", "").Replace(path)
	if method == http.MethodPost {
		return b.post(path, url.Values{"name": {"x"}})
	}
	return b.get(path)
}

func TestRoutesRefuseTheUnauthenticated(t *testing.T) {
	eachEngine(t, testRoutesRefuseTheUnauthenticated)
}

func testRoutesRefuseTheUnauthenticated(t *testing.T, e *env) {
	anon := e.browser()
	n := 0
	for _, rt := range e.srv.routes {
		if rt.access == public {
			continue
		}
		n++
		r := anon.requestFor(rt.pattern, e.orgA.ID)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login") {
			t.Errorf("%s without a session: status %d to %q, want a redirect to /login", rt.pattern, r.status, r.location())
		}
	}
	if n < 20 {
		t.Fatalf("only %d protected routes: the route table is not what this test thinks", n)
	}
	// A session that has passed the password but must still enrol in
	// two-factor is not signed in either: every page sends it to enrol.
	if err := e.auth.SetTOTPRequiredRoles(atip.OperatorContext(context.Background()), e.orgA.ID, []atip.Role{atip.RoleCaseworker}); err != nil {
		t.Fatal(err)
	}
	half := e.browser()
	r := half.post("/login", url.Values{"login": {"worker"}, "password": {testPassword}})
	if r.status != http.StatusSeeOther || r.location() != "/login/enrol" {
		t.Fatalf("sign in with two-factor required: status %d to %q", r.status, r.location())
	}
	for _, rt := range e.srv.routes {
		if rt.access != signedIn {
			continue
		}
		r := half.requestFor(rt.pattern, e.orgA.ID)
		if r.status != http.StatusSeeOther || r.location() != "/login/enrol" {
			t.Errorf("%s before enrolling: status %d to %q, want a redirect to /login/enrol", rt.pattern, r.status, r.location())
		}
	}
}

func TestRoutesRefuseTheWrongRole(t *testing.T) {
	eachEngine(t, testRoutesRefuseTheWrongRole)
}

func testRoutesRefuseTheWrongRole(t *testing.T, e *env) {
	worker := e.signedIn("worker") // a caseworker of organisation A
	actor := &atip.Actor{User: e.user["worker"], Via: atip.ViaWeb}
	checked := 0
	for _, rt := range e.srv.routes {
		if rt.access != signedIn {
			continue
		}
		if rt.action == "" {
			if !anyUserRoutes[rt.pattern] {
				t.Errorf("%s has no policy action and is not listed in anyUserRoutes", rt.pattern)
			}
			continue
		}
		if policy.CanSome(actor, rt.action) {
			// Every role may do this somewhere (e.g. see organisations);
			// there is no wrong role to try.
			continue
		}
		checked++
		// Try the worker's own organisation and another's: neither may pass.
		for _, id := range []string{e.orgA.ID, e.orgB.ID, e.user["bworker"].ID} {
			r := worker.requestFor(rt.pattern, id)
			if r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("%s (id %s) as a caseworker: status %d, want 403 or 404", rt.pattern, id, r.status)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d routes checked for the wrong role", checked)
	}
}

// An organisation admin reaches user pages, but only of their own
// organisation; another organisation's user is "not found".
func TestOrgAdminStaysInOwnOrganisation(t *testing.T) {
	e := newEnv(t, database.SQLite)
	admin := e.signedIn("oadmin")
	other := e.user["bworker"].ID
	for _, pattern := range []string{"GET /users/{id}", "POST /users/{id}", "POST /users/{id}/disable", "POST /users/{id}/password"} {
		if r := admin.requestFor(pattern, other); r.status != http.StatusNotFound {
			t.Errorf("%s for another organisation's user: status %d, want 404", pattern, r.status)
		}
	}
	for _, pattern := range []string{"POST /orgs/{id}", "GET /orgs/{id}/security", "POST /orgs/{id}/security"} {
		if r := admin.requestFor(pattern, e.orgB.ID); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("%s for another organisation: status %d, want 403 or 404", pattern, r.status)
		}
	}
	if r := admin.get("/users/" + e.user["worker"].ID); r.status != http.StatusOK {
		t.Errorf("own organisation's user: status %d", r.status)
	}
	// The list shows only their organisation whatever the filter says.
	r := admin.get("/users?org=" + e.orgB.ID)
	if strings.Contains(r.body, "Test bworker") || !strings.Contains(r.body, "Test worker") {
		t.Errorf("user list leaks or misses users:\n%s", r.body)
	}
}
