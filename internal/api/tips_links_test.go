package api_test

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
	"atip/internal/redact"
)

// insertCase writes a case's registry row with its clear JSON straight into
// the database (the API tests have no case service yet).
func insertCase(t *testing.T, e *env, orgID string, tlp atip.TLP, suspects ...string) (id, ref string) {
	t.Helper()
	target := e.db.Target()
	driver, dsn := "pgx", target.URL
	if target.Engine == database.SQLite {
		driver, dsn = "sqlite", target.Path
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	c := atip.Case{ID: atip.NewID()}
	for _, s := range suspects {
		c.Suspects = append(c.Suspects, atip.CaseSuspect{PersonID: s})
	}
	data, _ := json.Marshal(c)
	ref = redact.Ref(atip.RecordRef{Type: atip.RecordCase, ID: c.ID})
	now := time.Now().UTC()
	if _, err := raw.Exec(`INSERT INTO records (id, type, ref, owner_org_id, distribution, tlp, data, created_at, created_by, updated_at, updated_by)
		VALUES ($1, 'case', $2, $3, 'owner', $4, $5, $6, 'test', $6, 'test')`, c.ID, ref, orgID, string(tlp), string(data), now); err != nil {
		t.Fatal(err)
	}
	return c.ID, ref
}

// Triage, networks and case links through the API.
func TestTipTriageNetworkAndCaseLinksThroughTheAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		withTips(t, e)
		worker := e.rw["A"][atip.RoleCaseworker]
		analyst := e.rw["A"][atip.RoleAnalyst]
		imp := decode[api.TipImported](t, e.do("POST", api.Prefix+"/tips/import", worker,
			`{"tips":[{"text":"Girls only, hotel job in Dubai, free visa, call 98301 23456","platform":"facebook"},{"text":"Driver wanted in Doha, call +91 98301-23456"},{"text":"Same ad: girls only, hotel job in Dubai, free visa"}]}`),
			http.StatusCreated)
		if imp.Stored != 3 || len(imp.IDs) != 3 {
			t.Fatalf("import: %+v", imp)
		}
		wantProblem(t, e.do("POST", api.Prefix+"/tips/import", worker, `{"tips":[{"text":"ok"},{"text":""}]}`), http.StatusUnprocessableEntity)
		id := imp.IDs[0]

		// Triage.
		for _, step := range []struct{ path, body string }{
			{"/assign", `{"user_id":"` + e.users["A"][atip.RoleAnalyst].ID + `"}`},
			{"/actions", `{"kind":"takedown_requested","reference":"FB-42"}`},
		} {
			if w := e.do("POST", api.Prefix+"/tips/"+id+step.path, analyst, step.body); w.Code != http.StatusNoContent {
				t.Fatalf("%s: %d %s", step.path, w.Code, w.Body)
			}
		}
		wantProblem(t, e.do("POST", api.Prefix+"/tips/"+id+"/actions", analyst, `{"kind":"takedown_requested"}`), http.StatusUnprocessableEntity)
		wantProblem(t, e.do("POST", api.Prefix+"/tips/"+id+"/dismiss", worker, ""), http.StatusForbidden)
		if w := e.do("POST", api.Prefix+"/tips/"+imp.IDs[2]+"/merge", analyst, `{"into":"`+id+`"}`); w.Code != http.StatusNoContent {
			t.Fatalf("merge: %d %s", w.Code, w.Body)
		}
		if got := decode[api.Tip](t, e.do("GET", api.Prefix+"/tips/"+id, analyst, ""), http.StatusOK); got.Status != "actioned" || got.AssignedTo == "" {
			t.Errorf("after triage: %+v", got)
		}

		// Link the phone to a suspect of a case, then see the case in the
		// network of the other tip carrying the phone.
		suspect := atip.NewID()
		caseID, caseRef := insertCase(t, e, e.orgA.ID, atip.TLPAmber, suspect)
		_, theirRef := insertCase(t, e, e.orgB.ID, atip.TLPGreen)
		link := `{"type":"phone","normalized":"+919830123456","case_ref":"` + caseRef + `","suspect_id":"` + suspect + `"}`
		wantProblem(t, e.do("POST", api.Prefix+"/tips/"+id+"/case-links", worker, link), http.StatusForbidden)
		wantProblem(t, e.do("POST", api.Prefix+"/tips/"+id+"/case-links", analyst,
			`{"type":"phone","normalized":"+919830123456","case_ref":"`+theirRef+`"}`), http.StatusNotFound)
		l := decode[api.CaseLink](t, e.do("POST", api.Prefix+"/tips/"+id+"/case-links", analyst, link), http.StatusCreated)
		if l.CaseID != caseID || l.TLP != "AMBER" || l.SuspectID != suspect {
			t.Fatalf("link: %+v", l)
		}
		links := decode[api.CaseLinks](t, e.do("GET", api.Prefix+"/tips/"+id+"/case-links", analyst, ""), http.StatusOK)
		if len(links.Items) != 1 || links.Items[0].CaseRef != caseRef {
			t.Errorf("links: %+v", links)
		}
		wantProblem(t, e.do("GET", api.Prefix+"/tips/"+id+"/case-links", e.rw["B"][atip.RoleAnalyst], ""), http.StatusNotFound)

		net := decode[api.TipNetwork](t, e.do("GET", api.Prefix+"/tips/"+imp.IDs[1]+"/network", analyst, ""), http.StatusOK)
		kinds := map[string]int{}
		for _, n := range net.Nodes {
			kinds[n.Kind]++
			if n.Kind == "case" && (n.Ref != caseRef || n.TLP != "AMBER" || n.Score != nil) {
				t.Errorf("case node %+v", n)
			}
		}
		if kinds["tip"] < 2 || kinds["case"] != 1 {
			t.Errorf("network nodes %v", kinds)
		}
		sel := decode[api.TipNetwork](t, e.do("GET", api.Prefix+"/tip-selectors/network?"+url.Values{"type": {"phone"}, "value": {"+919830123456"}}.Encode(), analyst, ""), http.StatusOK)
		roots := 0
		for _, n := range sel.Nodes {
			if n.Root {
				roots++
			}
		}
		if roots != 2 {
			t.Errorf("selector network: %d tips carry the phone, want 2: %+v", roots, sel.Nodes)
		}
		wantProblem(t, e.do("GET", api.Prefix+"/tip-selectors/network?type=phone&value=%2B10000000000", analyst, ""), http.StatusNotFound)
	})
}
