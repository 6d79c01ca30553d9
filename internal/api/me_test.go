package api_test

import (
	"net/http"
	"slices"
	"testing"

	"atip"
	"atip/internal/api"
)

// TestMyTokens walks the caller's own account: who am I, which tokens do I
// have, and revoking the very token in use, which stops it at once.
func TestMyTokens(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.users["A"][atip.RoleAnalyst]
		readOnly := e.token(u, api.ScopeRead)
		rw := e.rw["A"][atip.RoleAnalyst]

		me := decode[api.Me](t, e.do("GET", api.Prefix+"/me", readOnly, ""), http.StatusOK)
		if me.User.ID != u.ID || me.User.OrgID != e.orgA.ID || !slices.Equal(me.Scopes, []string{api.ScopeRead}) || me.TokenID == "" {
			t.Fatalf("me = %+v, want analyst %s with the read scope and a token id", me, u.ID)
		}

		list := decode[api.TokenList](t, e.do("GET", api.Prefix+"/me/tokens", rw, ""), http.StatusOK)
		if len(list.Items) != 2 {
			t.Fatalf("%d tokens listed, want the 2 made for the analyst", len(list.Items))
		}
		current := 0
		for _, tok := range list.Items {
			if tok.Current {
				current++
			}
			if tok.RevokedAt != nil {
				t.Errorf("token %s listed as revoked", tok.ID)
			}
		}
		if current != 1 {
			t.Errorf("%d tokens marked current, want exactly the one in use", current)
		}

		// A read-only token may not revoke, even itself.
		wantProblem(t, e.do("DELETE", api.Prefix+"/me/tokens/"+me.TokenID, readOnly, ""), http.StatusForbidden)
		// The read+write token revokes the read-only one, then itself.
		if w := e.do("DELETE", api.Prefix+"/me/tokens/"+me.TokenID, rw, ""); w.Code != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", w.Code, w.Body)
		}
		w := e.do("GET", api.Prefix+"/me", readOnly, "")
		wantProblem(t, w, http.StatusUnauthorized)
		if got := w.Header().Get("WWW-Authenticate"); got != `Bearer realm="atip", error="invalid_token"` {
			t.Errorf("WWW-Authenticate %q, want the invalid_token challenge", got)
		}
		self := tokenID(t, e, "A", atip.RoleAnalyst)
		if w := e.do("DELETE", api.Prefix+"/me/tokens/"+self, rw, ""); w.Code != http.StatusNoContent {
			t.Fatalf("revoke self: %d %s", w.Code, w.Body)
		}
		wantProblem(t, e.do("GET", api.Prefix+"/me/tokens", rw, ""), http.StatusUnauthorized)
	})
}
