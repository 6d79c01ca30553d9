package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
)

// newIntakeEnv is the API env with the intake service wired.
func newIntakeEnv(t *testing.T) *env {
	e := newEnv(t, database.SQLite)
	e.svc.Intake = database.NewIntakeService(e.db)
	e.h = api.New(api.Config{Services: e.svc, Version: "test", SessionCookie: sessionCookie})
	return e
}

// An interception recorded through the API is scored by the server with
// the catalogue version; another organisation reads the redacted view, the
// recorder cannot verify it, a supervisor of the organisation does.
func TestInterceptionAPI(t *testing.T) {
	e := newIntakeEnv(t)
	fr := e.rw["A"][atip.RoleFirstResponder]
	// CLEAR: API actors carry no organisation yet (auth.go), which the
	// policy reads as a foreign counterpart, reached by CLEAR records only.
	body := `{"at":"2026-01-10T04:00:00Z","point":"raxaul-birgunj","district":"IN-BR-EAST_CHAMPARAN","tlp":"CLEAR","distribution":"platform",
		"stopped":[{"names":["Kamala Zephyrwood"],"sex":"female","age":15,"nationality":"NP"}],
		"companions":[{"name":"Demo Agent","relation":"none","age":30}],
		"flags":["minor_with_unrelated_adult","no_documents"],"certainty":2,"account":"going to a job"}`
	w := e.do("POST", api.Prefix+"/interceptions", fr, body)
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var x api.Interception
	if err := json.Unmarshal(w.Body.Bytes(), &x); err != nil {
		t.Fatal(err)
	}
	if x.CatalogueVersion != 1 || x.Score == 0 || !x.Prompted || !x.Full || len(x.Stopped) != 1 || x.Stopped[0].Age == nil || *x.Stopped[0].Age != 15 {
		t.Fatalf("created %+v", x)
	}
	path := api.Prefix + "/interceptions/" + x.ID

	w = e.do("GET", path, e.rw["B"][atip.RoleCaseworker], "")
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "Zephyrwood") || strings.Contains(w.Body.String(), "going to a job") ||
		!strings.Contains(w.Body.String(), `"full":false`) || !strings.Contains(w.Body.String(), `"age_band"`) {
		t.Fatalf("another organisation: %d %s", w.Code, w.Body)
	}
	wantProblem(t, e.do("GET", api.Prefix+"/interceptions/"+atip.NewID(), fr, ""), http.StatusNotFound)
	wantProblem(t, e.do("POST", path+"/verify", fr, `{"decision":"verify"}`), http.StatusForbidden)
	w = e.do("POST", path+"/verify", e.rw["A"][atip.RoleSupervisor], `{"decision":"verify","note":"checked"}`)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"verification":"verified"`) {
		t.Fatalf("verify: %d %s", w.Code, w.Body)
	}
	w = e.do("GET", api.Prefix+"/interceptions?unverified=true", fr, "")
	if w.Code != http.StatusOK || strings.Contains(w.Body.String(), x.ID) {
		t.Fatalf("unverified list: %d %s", w.Code, w.Body)
	}
	w = e.do("GET", api.Prefix+"/interceptions", e.rw["B"][atip.RoleCaseworker], "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), x.ID) || strings.Contains(w.Body.String(), "Zephyrwood") {
		t.Fatalf("B's list: %d %s", w.Code, w.Body)
	}
}

func TestSignalAndMissingAPI(t *testing.T) {
	e := newIntakeEnv(t)
	cw := e.rw["A"][atip.RoleCaseworker]
	w := e.do("POST", api.Prefix+"/signals", cw, `{"channel":"helpline","received_at":"2026-01-10T04:00:00Z","caller_name":"Demo Caller","summary":"boys at a kiln"}`)
	if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"status":"open"`) {
		t.Fatalf("signal: %d %s", w.Code, w.Body)
	}
	var s api.Signal
	if err := json.Unmarshal(w.Body.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, e.do("POST", api.Prefix+"/signals/"+s.ID+"/status", cw, `{"status":"converted"}`), http.StatusUnprocessableEntity)
	w = e.do("POST", api.Prefix+"/signals/"+s.ID+"/status", cw, `{"status":"converted","case_id":"`+atip.NewID()+`"}`)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"status":"converted"`) {
		t.Fatalf("convert: %d %s", w.Code, w.Body)
	}
	wantProblem(t, e.do("GET", api.Prefix+"/signals/"+s.ID, e.rw["B"][atip.RoleCaseworker], ""), http.StatusNotFound)

	w = e.do("POST", api.Prefix+"/missing-reports", cw, `{"missing":{"names":["Demo Missing Child"],"sex":"male","age":12},"relation":"father","police_ref":"FIR 9/2026","last_seen_in":"IN-BR-SITAMARHI"}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("missing: %d %s", w.Code, w.Body)
	}
	var m api.MissingReport
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	w = e.do("GET", api.Prefix+"/missing-reports?status=open", cw, "")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "FIR 9/2026") || strings.Contains(w.Body.String(), "Demo Missing Child") {
		t.Fatalf("missing list: %d %s", w.Code, w.Body)
	}
	w = e.do("POST", api.Prefix+"/missing-reports/"+m.ID+"/found", cw, `{}`)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"status":"found"`) {
		t.Fatalf("found: %d %s", w.Code, w.Body)
	}
	wantProblem(t, e.do("POST", api.Prefix+"/missing-reports/"+m.ID+"/found", cw, `{}`), http.StatusConflict)
}
