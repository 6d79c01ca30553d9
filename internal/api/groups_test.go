package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// newGroupEnv is the API env with the sharing-group service wired.
func newGroupEnv(t *testing.T, engine database.Engine) *env {
	e := newEnv(t, engine)
	e.svc.Groups = database.NewGroupService(e.db)
	e.h = api.New(api.Config{Services: e.svc, Version: "test", SessionCookie: sessionCookie})
	return e
}

func TestGroupsOverTheAPI(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			e := newGroupEnv(t, engine)
			adminA, adminB, workerB := e.rw["A"][atip.RoleOrgAdmin], e.rw["B"][atip.RoleOrgAdmin], e.rw["B"][atip.RoleCaseworker]
			expires := time.Now().Add(180 * 24 * time.Hour).UTC().Format(time.RFC3339)
			body := fmt.Sprintf(`{"name":"West Bengal AHTU network","purpose":"Rescue coordination","agreement":"Shared records serve rescues only.","expires_at":%q}`, expires)

			// Invalid input names its field; a caseworker may not create.
			p := wantProblem(t, e.do("POST", api.Prefix+"/groups", adminA, `{"name":"X","purpose":"Y","agreement":" ","expires_at":"2020-01-01T00:00:00Z"}`), http.StatusUnprocessableEntity)
			if len(p.Errors) < 2 {
				t.Fatalf("problem does not name agreement and expiry: %+v", p)
			}
			wantProblem(t, e.do("POST", api.Prefix+"/groups", e.rw["A"][atip.RoleCaseworker], body), http.StatusForbidden)

			w := e.do("POST", api.Prefix+"/groups", adminA, body)
			g := decode[api.Group](t, w, http.StatusCreated)
			if w.Header().Get("Location") != api.Prefix+"/groups/"+g.ID || g.OwnerOrgID != e.orgA.ID || len(g.Members) != 1 {
				t.Fatalf("created: %s %+v", w.Header().Get("Location"), g)
			}
			path := api.Prefix + "/groups/" + g.ID
			wantProblem(t, e.do("GET", path, workerB, ""), http.StatusNotFound)
			if l := decode[api.GroupList](t, e.do("GET", api.Prefix+"/groups", workerB, ""), http.StatusOK); len(l.Items) != 0 {
				t.Fatalf("B lists a group it was never invited to: %+v", l)
			}

			g = decode[api.Group](t, e.do("POST", path+"/invite", adminA, fmt.Sprintf(`{"org_ids":[%q]}`, e.orgB.ID)), http.StatusOK)
			if len(g.Members) != 2 || g.Members[1].Status != "invited" {
				t.Fatalf("after inviting: %+v", g.Members)
			}
			wantProblem(t, e.do("POST", path+"/invite", adminA, fmt.Sprintf(`{"org_ids":[%q]}`, e.orgB.ID)), http.StatusConflict)
			if l := decode[api.GroupList](t, e.do("GET", api.Prefix+"/groups", workerB, ""), http.StatusOK); len(l.Items) != 1 {
				t.Fatalf("B does not list its invitation: %+v", l)
			}
			wantProblem(t, e.do("POST", path+"/answer", workerB, `{"status":"accepted"}`), http.StatusForbidden)
			wantProblem(t, e.do("POST", path+"/answer", adminB, `{"status":"joined"}`), http.StatusUnprocessableEntity)
			g = decode[api.Group](t, e.do("POST", path+"/answer", adminB, `{"status":"accepted"}`), http.StatusOK)
			if g.Members[1].Status != "accepted" || g.Members[1].AnsweredAt == nil || g.Members[1].AnsweredBy != e.users["B"][atip.RoleOrgAdmin].ID {
				t.Fatalf("after accepting: %+v", g.Members[1])
			}
			later := time.Now().Add(365 * 24 * time.Hour).UTC().Format(time.RFC3339)
			wantProblem(t, e.do("PATCH", path, adminB, fmt.Sprintf(`{"expires_at":%q}`, later)), http.StatusForbidden)
			if g := decode[api.Group](t, e.do("PATCH", path, adminA, fmt.Sprintf(`{"expires_at":%q}`, later)), http.StatusOK); g.ExpiresAt.Format(time.RFC3339) != later {
				t.Fatalf("expiry: %s, want %s", g.ExpiresAt, later)
			}
			wantProblem(t, e.do("POST", path+"/leave", adminA, ""), http.StatusConflict)
			decode[api.Group](t, e.do("POST", path+"/leave", adminB, ""), http.StatusOK)
			wantProblem(t, e.do("GET", path, workerB, ""), http.StatusNotFound)
		})
	}
}
