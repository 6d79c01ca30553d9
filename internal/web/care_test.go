package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// fakeCare is a care service with one case and its checklist, for the
// pages' own behaviour; the storage and the policy are tested with the
// database (internal/database/care_test.go).
type fakeCare struct {
	atip.CareService
	caseID string
	list   atip.Checklist
	done   []atip.StepDone
}

func (f *fakeCare) Checklist(ctx context.Context, id string) (*atip.Checklist, error) {
	if id != f.caseID {
		return nil, atip.Errorf(atip.ENOTFOUND, "case not found")
	}
	c := f.list
	return &c, nil
}

func (f *fakeCare) CompleteStep(ctx context.Context, id, proc, step string, in atip.StepDone) error {
	if id != f.caseID {
		return atip.Errorf(atip.ENOTFOUND, "case not found")
	}
	if in.Evidence == "" {
		var v atip.Invalid
		v.Add("evidence", "is required: CWC production record")
		return v.Err()
	}
	f.done = append(f.done, in)
	f.list.Steps[0].Status, f.list.Steps[0].CanComplete, f.list.Steps[0].Evidence = "done", false, in.Evidence
	f.list.Steps[0].DoneAt = time.Now()
	return nil
}

func (f *fakeCare) Overdue(ctx context.Context) ([]atip.OverdueStep, error) {
	return []atip.OverdueStep{{CaseID: f.caseID, CaseRef: "CAS-TEST-0001", TLP: atip.TLPAmber, ProcedureID: "in-child-rescue",
		StepID: "cwc_production", Title: "Produce the child before the Child Welfare Committee", Owner: atip.RoleFirstResponder,
		Due: time.Date(2026, 3, 2, 3, 30, 0, 0, time.UTC), Zone: "Asia/Kolkata", Late: 26*time.Hour + 5*time.Minute}}, nil
}

func newCareFake() *fakeCare {
	id := atip.NewID()
	return &fakeCare{caseID: id, list: atip.Checklist{CaseID: id, CaseRef: "CAS-TEST-0001", TLP: atip.TLPAmber, Steps: []atip.CaseStep{
		{ProcedureID: "in-child-rescue", Version: 1, StepID: "cwc_production", Title: "Produce the child before the Child Welfare Committee",
			Owner: atip.RoleFirstResponder, Needs: []string{"CWC production record"}, Due: time.Date(2026, 3, 2, 3, 30, 0, 0, time.UTC),
			Zone: "Asia/Kolkata", Status: "open", Overdue: true, CanComplete: true},
		{ProcedureID: "in-child-rescue", Version: 1, StepID: "social_investigation", Title: "Social investigation report to the CWC",
			Owner: atip.RoleCaseworker, WaitingOn: "step:in-child-rescue/cwc_production", Status: "open"},
	}}}
}

// The checklist page shows each step with its owner, its due time in the
// deadline's zone and the TLP badge; the form refuses a step without its
// evidence (kept in the form) and marks it done with it.
func TestCareChecklistPage(t *testing.T) {
	fake := newCareFake()
	e := newEnv(t, database.SQLite, func(c *Config) { c.Care = fake })
	worker := e.signedIn("worker")
	path := "/cases/" + fake.caseID + "/checklist"
	r := worker.get(path)
	for _, want := range []string{"TLP:AMBER", "Produce the child before the Child Welfare Committee", "2026-03-02 09:00 IST",
		"Overdue", "First responder", "CWC production record", "step:in-child-rescue/cwc_production", "Mark done"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("checklist page lacks %q", want)
		}
	}
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if n := strings.Count(r.body, "Mark done"); n != 1 {
		t.Errorf("%d step forms, want 1 (only the step the user may do)", n)
	}
	if r := worker.get("/cases/" + atip.NewID() + "/checklist"); r.status != http.StatusNotFound {
		t.Errorf("a guessed case: %d", r.status)
	}

	post := "/cases/" + fake.caseID + "/steps/in-child-rescue/cwc_production"
	r = worker.post(post, url.Values{"evidence": {""}, "note": {"produced late: flood"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "is required: CWC production record") ||
		!strings.Contains(r.body, "produced late: flood") {
		t.Fatalf("step without evidence: %d\n%s", r.status, r.body)
	}
	r = worker.post(post, url.Values{"evidence": {"CWC order 12/2026"}, "note": {""}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), path+"?saved=1") {
		t.Fatalf("step done: %d to %q", r.status, r.location())
	}
	r = worker.get(r.location())
	if !strings.Contains(r.body, "Step marked done.") || !strings.Contains(r.body, "CWC order 12/2026") || strings.Contains(r.body, "Mark done") {
		t.Fatalf("after marking done:\n%s", r.body)
	}
}

// The overdue dashboard lists case, step, owner role, due time and how late.
func TestCareOverduePage(t *testing.T) {
	fake := newCareFake()
	e := newEnv(t, database.SQLite, func(c *Config) { c.Care = fake })
	r := e.signedIn("worker").get("/dashboard/overdue")
	for _, want := range []string{"CAS-TEST-0001", "TLP:AMBER", "Produce the child", "First responder", "2026-03-02 09:00 IST", "1d 2h"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	r = e.signedIn("worker").get("/dashboard/overdue?role=caseworker")
	if strings.Contains(r.body, "CAS-TEST-0001") || !strings.Contains(r.body, "No step is overdue.") {
		t.Errorf("the role filter keeps another role's step")
	}
}

// With the real service: an organisation admin edits a procedure; a bad
// text comes back with its errors and is not saved; a good one raises the
// version; a caseworker may not reach the page.
func TestCareProcedurePages(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			db := dbtest.Open(t, engine)
			e := newEnvOn(t, db, func(c *Config) { c.Care = database.NewCareService(db) })
			admin := e.signedIn("oadmin")
			r := admin.get("/sop")
			if r.status != http.StatusOK || !strings.Contains(r.body, `href="/sop/in-child-rescue"`) {
				t.Fatalf("procedures: %d\n%s", r.status, r.body)
			}
			r = admin.get("/sop/in-child-rescue")
			src := find(t, r.body, `(?s)<textarea id="source" name="source"[^>]*>(.*?)</textarea>`)
			if !strings.Contains(src, "version: 1") {
				t.Fatalf("no version in the source")
			}
			src = strings.Replace(src, "&#34;", `"`, -1)
			src = strings.Replace(src, "&#39;", `'`, -1)
			src = strings.Replace(src, "&lt;", "<", -1)
			src = strings.Replace(src, "&gt;", ">", -1)
			src = strings.Replace(src, "&amp;", "&", -1)
			r = admin.post("/sop", url.Values{"id": {"in-child-rescue"}, "source": {src}})
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "already has version 1") {
				t.Fatalf("same version: %d\n%s", r.status, r.body)
			}
			r = admin.post("/sop", url.Values{"id": {"in-child-rescue"}, "source": {strings.Replace(src, "version: 1", "version: 2", 1)}})
			if r.status != http.StatusSeeOther || r.location() != "/sop/in-child-rescue?saved=1" {
				t.Fatalf("save: %d %q\n%s", r.status, r.location(), r.body)
			}
			r = admin.get("/sop")
			if !strings.Contains(r.body, "your organisation&#39;s version") && !strings.Contains(r.body, "your organisation's version") {
				t.Fatalf("the list does not show the own version:\n%s", r.body)
			}
			if r := e.signedIn("worker").get("/sop/in-child-rescue"); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Fatalf("a caseworker on the procedure page: %d", r.status)
			}
			if r := e.signedIn("worker").get("/dashboard/overdue"); r.status != http.StatusOK || !strings.Contains(r.body, "No step is overdue.") {
				t.Fatalf("empty dashboard: %d", r.status)
			}
		})
	}
}

// The generated route tests with the care pages wired to the real service.
func TestCareRoutesAccess(t *testing.T) {
	db := dbtest.Open(t, database.SQLite)
	testRoutesRefuseTheWrongRole(t, newEnvOn(t, db, func(c *Config) { c.Care = database.NewCareService(db) }))
	db2 := dbtest.Open(t, database.SQLite)
	testRoutesRefuseTheUnauthenticated(t, newEnvOn(t, db2, func(c *Config) { c.Care = database.NewCareService(db2) }))
}
