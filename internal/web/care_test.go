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
	caseID   string
	list     atip.Checklist
	done     []atip.StepDone
	handOver atip.HandOverInfo
	legal    *atip.LegalTrack
	reps     []atip.Repatriation
	plans    []atip.CarePlan
	visits   []atip.FollowUp
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

func (f *fakeCare) MissedFollowUps(ctx context.Context) ([]atip.MissedFollowUp, error) {
	return []atip.MissedFollowUp{{CaseID: f.caseID, CaseRef: "CAS-TEST-0002", TLP: atip.TLPRed, FollowUpID: "fu1",
		Due: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Late: 9 * 24 * time.Hour}}, nil
}

func (f *fakeCare) HandOver(ctx context.Context, id string) (*atip.HandOverInfo, error) {
	if id != "h1" {
		return nil, atip.Errorf(atip.ENOTFOUND, "hand-over not found")
	}
	h := f.handOver
	return &h, nil
}

func (f *fakeCare) ConfirmHandOver(ctx context.Context, id string) error {
	if !f.handOver.CanConfirm {
		return atip.Errorf(atip.EFORBIDDEN, "only the receiving organisation confirms a hand-over")
	}
	f.handOver.ConfirmedAt, f.handOver.CanConfirm = time.Now(), false
	return nil
}

func (f *fakeCare) Legal(ctx context.Context, id string) (*atip.CaseLegal, error) {
	if id != f.caseID {
		return nil, atip.Errorf(atip.ENOTFOUND, "case not found")
	}
	return &atip.CaseLegal{CaseID: id, CaseRef: "CAS-TEST-0001", TLP: atip.TLPAmber, CanEdit: true, Track: f.legal,
		Suspects: []string{"p1", "p2"}, ChargeSheetDeadlines: []string{"in.bnss.s187.charge_sheet_60", "in.bnss.s187.charge_sheet_90"}}, nil
}

func (f *fakeCare) SaveLegal(ctx context.Context, l *atip.LegalTrack) error {
	if err := l.Validate(); err != nil {
		return err
	}
	l.ChargeSheetDue = l.FirstArrest().AddDate(0, 0, 60)
	l.ChargeSheetLaw = "Bharatiya Nagarik Suraksha Sanhita 2023, s.187(3)(ii)"
	f.legal = l
	return nil
}

// The dashboard also lists missed follow-up visits.
func TestCareOverduePageListsMissedFollowUps(t *testing.T) {
	fake := newCareFake()
	e := newEnv(t, database.SQLite, func(c *Config) { c.Care = fake })
	r := e.signedIn("worker").get("/dashboard/overdue")
	if !strings.Contains(r.body, "CAS-TEST-0002") || !strings.Contains(r.body, "TLP:RED") || !strings.Contains(r.body, "9d 0h") ||
		!strings.Contains(r.body, "/care#fu-fu1") {
		t.Fatalf("missed follow-ups not on the dashboard:\n%s", r.body)
	}
}

// The receiver's hand-over page offers the confirmation; after it the page
// says receipt is confirmed and offers it no more.
func TestCareHandOverPage(t *testing.T) {
	fake := newCareFake()
	fake.handOver = atip.HandOverInfo{HandOver: atip.HandOver{ID: "h1", Place: "raxaul-birgunj", At: time.Date(2026, 3, 3, 6, 0, 0, 0, time.UTC)},
		CaseID: fake.caseID, CaseRef: "CAS-TEST-0001", TLP: atip.TLPAmber, Incoming: true, CanConfirm: true}
	e := newEnv(t, database.SQLite, func(c *Config) { c.Care = fake })
	b := e.signedIn("bworker")
	r := b.get("/handovers/h1")
	if r.status != http.StatusOK || !strings.Contains(r.body, `action="/handovers/h1/confirm"`) || !strings.Contains(r.body, "raxaul-birgunj") ||
		!strings.Contains(r.body, "TLP:AMBER") {
		t.Fatalf("hand-over page: %d\n%s", r.status, r.body)
	}
	if r := b.get("/handovers/h2"); r.status != http.StatusNotFound {
		t.Fatalf("a guessed hand-over: %d", r.status)
	}
	r = b.post("/handovers/h1/confirm", url.Values{})
	if r.status != http.StatusSeeOther || r.location() != "/handovers/h1?saved=1" {
		t.Fatalf("confirm: %d %q", r.status, r.location())
	}
	r = b.get(r.location())
	if !strings.Contains(r.body, "Receipt confirmed.") || strings.Contains(r.body, `action="/handovers/h1/confirm"`) {
		t.Fatalf("after confirmation:\n%s", r.body)
	}
	if r := b.post("/handovers/h1/confirm", url.Values{}); r.status != http.StatusForbidden ||
		!strings.Contains(r.body, "only the receiving organisation confirms") {
		t.Fatalf("confirming again: %d", r.status)
	}
}

// The legal page: an FIR without its date is refused with the field named
// and what was typed kept; an arrest of suspect 2 sets the charge-sheet due
// date shown with its law.
func TestCareLegalPage(t *testing.T) {
	fake := newCareFake()
	e := newEnv(t, database.SQLite, func(c *Config) { c.Care = fake })
	w := e.signedIn("worker")
	path := "/cases/" + fake.caseID + "/legal"
	if r := w.get(path); r.status != http.StatusOK || !strings.Contains(r.body, "Counts from the first arrest") || !strings.Contains(r.body, "Suspect 2") {
		t.Fatalf("empty legal page: %d\n%s", r.status, r.body)
	}
	form := url.Values{"fir_number": {"123/2026"}, "sections": {"BNS 143\nITPA 5"}, "police_station": {"AHTU Sitamarhi"},
		"charge_sheet_deadline": {"in.bnss.s187.charge_sheet_60"}, "stage": {"investigation"}}
	r := w.post(path, form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "fir_on") || !strings.Contains(r.body, "ITPA 5") {
		t.Fatalf("FIR without a date: %d\n%s", r.status, r.body)
	}
	form.Set("fir_on", "2026-03-01")
	form.Set("arrest_suspect", "2")
	form.Set("arrest_at", "2026-03-01T22:00")
	r = w.post(path, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	if fake.legal == nil || len(fake.legal.Arrests) != 1 || fake.legal.Arrests[0].PersonID != "p2" || len(fake.legal.Sections) != 2 {
		t.Fatalf("saved %+v", fake.legal)
	}
	r = w.get(path)
	for _, want := range []string{"123/2026", "BNS s.143; ITPA s.5", "Suspect 2: 2026-03-01 22:00 IST", "2026-04-30", "s.187(3)(ii)", "Investigation"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("legal page lacks %q", want)
		}
	}
}

func (f *fakeCare) Repatriations(ctx context.Context, id string) (*atip.CaseRepatriations, error) {
	if id != f.caseID {
		return nil, atip.Errorf(atip.ENOTFOUND, "case not found")
	}
	return &atip.CaseRepatriations{CaseID: id, CaseRef: "CAS-TEST-0001", TLP: atip.TLPAmber, CanEdit: true, Items: f.reps}, nil
}

func (f *fakeCare) SaveRepatriation(ctx context.Context, r *atip.Repatriation) error {
	if err := r.Validate(); err != nil {
		return err
	}
	r.ID = "r1"
	f.reps = append(f.reps, *r)
	return nil
}

func (f *fakeCare) Care(ctx context.Context, id string) (*atip.CaseCare, error) {
	if id != f.caseID {
		return nil, atip.Errorf(atip.ENOTFOUND, "case not found")
	}
	return &atip.CaseCare{CaseID: id, CaseRef: "CAS-TEST-0001", TLP: atip.TLPAmber, CanEdit: true, Plans: f.plans, FollowUps: f.visits}, nil
}

func (f *fakeCare) SaveCarePlan(ctx context.Context, p *atip.CarePlan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	f.plans = append(f.plans, *p)
	return nil
}

// The repatriation page: a plan without a receiver is refused naming the
// field; a good one is listed with its home verification and offers the
// hand-over form.
func TestCareRepatriationPage(t *testing.T) {
	fake := newCareFake()
	e := newEnv(t, database.SQLite, func(c *Config) { c.Care = fake })
	w := e.signedIn("worker")
	path := "/cases/" + fake.caseID + "/repatriation"
	if r := w.get(path); r.status != http.StatusOK || !strings.Contains(r.body, "No repatriation planned.") || !strings.Contains(r.body, "TLP:AMBER") {
		t.Fatalf("empty page: %d\n%s", r.status, r.body)
	}
	r := w.post(path, url.Values{"kind": {"cross_border"}, "to_org_id": {""}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "to_org_id") {
		t.Fatalf("no receiver: %d\n%s", r.status, r.body)
	}
	r = w.post(path, url.Values{"kind": {"cross_border"}, "to_org_id": {e.orgB.ID}, "crossing_point": {"raxaul-birgunj"},
		"verified_on": {"2026-03-02"}, "safe": {"on"}, "report": {"family met"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	r = w.get(path)
	for _, want := range []string{"Cross-border", "CWC Kathmandu", "raxaul-birgunj", "2026-03-02", "The home is safe to return to", "family met",
		`action="/cases/` + fake.caseID + `/repatriation/r1/handovers"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("repatriation page lacks %q", want)
		}
	}
}

// The care page: a plan needs a service; a plan with two services and a
// milestone is shown; follow-ups show missed ones and the visit form.
func TestCareCarePage(t *testing.T) {
	fake := newCareFake()
	fake.visits = []atip.FollowUp{{ID: "fu1", Due: time.Now().AddDate(0, -1, 0)}, {ID: "fu2", Due: time.Now().AddDate(0, 2, 0)},
		{ID: "fu3", Due: time.Now().AddDate(0, -2, 0), DoneAt: time.Now().AddDate(0, -2, 1), Risk: atip.RiskAssessment{Level: "high", NoIncome: true, Unsafe: true}}}
	e := newEnv(t, database.SQLite, func(c *Config) { c.Care = fake })
	w := e.signedIn("worker")
	path := "/cases/" + fake.caseID + "/care"
	r := w.post(path+"/plans", url.Values{"goals": {"school"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "choose at least one service") {
		t.Fatalf("plan without services: %d\n%s", r.status, r.body)
	}
	r = w.post(path+"/plans", url.Values{"service": {"medical", "legal_aid"}, "milestone_legal_aid": {"application filed"},
		"milestone_due_legal_aid": {"2026-04-01"}, "goals": {"finish school"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save plan: %d\n%s", r.status, r.body)
	}
	r = w.get(path)
	for _, want := range []string{"Medical care", "Legal aid", "application filed (2026-04-01)", "finish school", "Missed", "Planned",
		"High (2 factors)", `action="/cases/` + fake.caseID + `/care/followups/fu1"`, "Schedule follow-ups"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("care page lacks %q", want)
		}
	}
	if strings.Contains(r.body, `/care/followups/fu3"`) {
		t.Error("a recorded visit still offers its form")
	}
}
