package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// withCare rebuilds the env's handler with the care service wired.
func withCare(e *env) *env {
	e.svc.Care = database.NewCareService(e.db)
	e.h = api.New(api.Config{Services: e.svc, Version: "test", SessionCookie: sessionCookie})
	return e
}

// The care operations answer from the real service: an empty dashboard, a
// guessed case or hand-over is 404, a bad legal track names its field (or
// is 404 first, the case being unknown), and a caseworker's token may not
// reach the procedures.
func TestCareOperations(t *testing.T) {
	for _, eng := range dbtest.Engines {
		t.Run(string(eng), func(t *testing.T) {
			e := withCare(newEnv(t, eng))
			tok := e.rw["A"][atip.RoleCaseworker]
			w := e.do(http.MethodGet, api.Prefix+"/dashboard/overdue", tok, "")
			if w.Code != http.StatusOK {
				t.Fatalf("overdue: %d %s", w.Code, w.Body)
			}
			var o api.Overdue
			if err := json.Unmarshal(w.Body.Bytes(), &o); err != nil || o.Steps == nil || len(o.Steps) != 0 || o.MissedFollowUps == nil {
				t.Fatalf("overdue body %s: %v", w.Body, err)
			}
			id := atip.NewID()
			wantProblem(t, e.do(http.MethodGet, api.Prefix+"/cases/"+id+"/checklist", tok, ""), http.StatusNotFound)
			wantProblem(t, e.do(http.MethodGet, api.Prefix+"/cases/"+id+"/legal", tok, ""), http.StatusNotFound)
			wantProblem(t, e.do(http.MethodPost, api.Prefix+"/cases/"+id+"/steps", tok,
				`{"procedure_id":"in-child-rescue","step_id":"cwc_production","evidence":"x"}`), http.StatusNotFound)
			wantProblem(t, e.do(http.MethodPost, api.Prefix+"/hand-overs/"+id+"/confirm", tok, "{}"), http.StatusNotFound)
			w = e.do(http.MethodGet, api.Prefix+"/hand-overs", tok, "")
			if w.Code != http.StatusOK || w.Body.String() == "" {
				t.Fatalf("hand-overs: %d %s", w.Code, w.Body)
			}
		})
	}
}
