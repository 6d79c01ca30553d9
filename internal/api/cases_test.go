package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
)

func withCases(e *env) {
	svc := e.svc
	svc.Cases = database.NewCaseService(e.db)
	e.h = api.New(api.Config{Services: svc, Version: "test", SessionCookie: sessionCookie})
}

// The case operations: a quick intake sent twice makes one case (201 then
// 200); a full case with a new victim and suspect in one request; the owner
// reads the names, another organisation gets 404, not 403; the list
// searches a sealed name for the owner only.
func TestCasesThroughTheAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		withCases(e)
		worker := e.rw["A"][atip.RoleCaseworker]
		other := e.rw["B"][atip.RoleCaseworker]
		at := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		quick := `{"client_key":"device-key-0123456789","channel":"interception","at":"` + at + `","district":"IN-BR-SITAMARHI",
			"point":"Bhitthamore","sex":"female","age_years":15,"nationality":"NP","name":"Kalpanakumari Yodelia"}`
		first := decode[api.QuickIntakeResult](t, e.do("POST", api.Prefix+"/intake/quick", worker, quick), http.StatusCreated)
		again := decode[api.QuickIntakeResult](t, e.do("POST", api.Prefix+"/intake/quick", worker, quick), http.StatusOK)
		if !first.Created || again.Created || again.CaseID != first.CaseID {
			t.Fatalf("quick intake twice: %+v then %+v", first, again)
		}
		wantProblem(t, e.do("POST", api.Prefix+"/intake/quick", worker, `{"client_key":"short","channel":"interception","at":"`+at+`","district":"X","sex":"female"}`), http.StatusUnprocessableEntity)

		body := `{"intake_channel":"rescue","intake_at":"` + at + `","intake_district":"IN-BR-SITAMARHI","exploitation":["forced_labour_brick_kiln"],
			"complete":true,"victims":[{"person_id":"new:0","trafficking_status":"presumed_victim","status_decided_by":"police"}],
			"suspects":[{"person_id":"new:1","roles":["recruiter","financier"]}],
			"incidents":[{"origin":"IN-JH-GUMLA","destination":"IN-BR-SITAMARHI","transport":["train"]}],
			"new_people":[{"roles":["victim"],"sex":"male","age_years":16,"age_method":"officer_estimate","names":[{"full":"Birsakumar Quillfeather"}]},
			              {"roles":["suspect"],"sex":"male","names":[{"full":"Thekedar Umbrellic"}]}]}`
		created := decode[api.Case](t, e.do("POST", api.Prefix+"/cases", worker, body), http.StatusCreated)
		if created.Ref == "" || created.TLP != "AMBER" || len(created.Victims) != 1 || !created.Victims[0].ChildAtIntake ||
			len(created.People) != 2 || created.People[created.Suspects[0].PersonID].Names[0].Full != "Thekedar Umbrellic" {
			t.Fatalf("created case: %+v", created)
		}
		wantProblem(t, e.do("GET", api.Prefix+"/cases/"+created.ID, other, ""), http.StatusNotFound)
		wantProblem(t, e.do("PUT", api.Prefix+"/cases/"+created.ID, other, body), http.StatusNotFound)
		wantProblem(t, e.do("GET", api.Prefix+"/persons/"+created.Victims[0].PersonID, other, ""), http.StatusNotFound)

		upd := strings.Replace(body, `"complete":true`, `"complete":true,"stage":"care","status":"active"`, 1)
		upd = strings.Replace(upd, `"person_id":"new:0"`, `"person_id":"`+created.Victims[0].PersonID+`"`, 1)
		upd = strings.Replace(upd, `"person_id":"new:1"`, `"person_id":"new:0"`, 1)
		upd = upd[:strings.Index(upd, `"new_people"`)] + `"new_people":[{"roles":["suspect"],"sex":"male","names":[{"full":"Thekedar Umbrellic"}]}]}`
		got := decode[api.Case](t, e.do("PUT", api.Prefix+"/cases/"+created.ID, worker, upd), http.StatusOK)
		if got.Stage != "care" || got.Status != "active" || len(got.People) != 2 {
			t.Fatalf("updated case: %+v", got)
		}
		if w := e.do("POST", api.Prefix+"/cases/"+created.ID+"/notes", worker, `{"note":"Met the family"}`); w.Code != http.StatusNoContent {
			t.Fatalf("note: %d %s", w.Code, w.Body)
		}
		got = decode[api.Case](t, e.do("GET", api.Prefix+"/cases/"+created.ID, worker, ""), http.StatusOK)
		if n := len(got.Timeline); n != 3 || got.Timeline[2].Note != "Met the family" {
			t.Fatalf("timeline: %+v", got.Timeline)
		}

		page := decode[api.CasePage](t, e.do("GET", api.Prefix+"/cases?q=quillfeather", worker, ""), http.StatusOK)
		if len(page.Items) != 1 || page.Items[0].ID != created.ID {
			t.Fatalf("owner's name search: %+v", page.Items)
		}
		page = decode[api.CasePage](t, e.do("GET", api.Prefix+"/cases?complete=no", worker, ""), http.StatusOK)
		if len(page.Items) != 1 || page.Items[0].ID != first.CaseID {
			t.Fatalf("incomplete cases: %+v", page.Items)
		}
		page = decode[api.CasePage](t, e.do("GET", api.Prefix+"/cases?limit=1", worker, ""), http.StatusOK)
		if len(page.Items) != 1 || page.Next == "" {
			t.Fatalf("first page: %+v", page)
		}
		page = decode[api.CasePage](t, e.do("GET", api.Prefix+"/cases?limit=1&cursor="+page.Next, worker, ""), http.StatusOK)
		if len(page.Items) != 1 || page.Items[0].ID != first.CaseID || page.Next != "" {
			t.Fatalf("second page: %+v", page)
		}
		if p := decode[api.CasePage](t, e.do("GET", api.Prefix+"/cases", other, ""), http.StatusOK); len(p.Items) != 0 {
			t.Errorf("another organisation lists %d owner-only cases", len(p.Items))
		}
	})
}
