package database_test

import (
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// The family's report, in Devanagari, filed by org A (owner only).
func newMissingReport(t *testing.T, w *world, tag string) *atip.MissingReport {
	t.Helper()
	m := &atip.MissingReport{ReportedAt: w.db.Now().Add(-90 * 24 * time.Hour), LastSeenAt: w.db.Now().Add(-92 * 24 * time.Hour),
		LastSeenIn: "IN-BR-SITAMARHI", Reporter: "रमेश साह", Relation: "father",
		Missing: atip.StoppedPerson{Names: []string{"रीना कुमारी"}, Sex: "female", AgeYears: 14},
		Info:    atip.RecordInfo{Distribution: atip.DistOwner, TLP: atip.TLPAmber}}
	if err := database.NewIntakeService(w.db).CreateMissing(w.as(tag, atip.RoleCaseworker), m); err != nil {
		t.Fatal(err)
	}
	return m
}

func rescued(w *world, name string) *atip.Person {
	return &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: 14, AgeAsOf: w.db.Now(),
		AgeMethod: "officer_estimate", Nationality: "IN", HomeDistrict: "IN-BR-SITAMARHI",
		Names: []atip.PersonName{{Full: name, Script: "Latn", Kind: "name"}}}
}

// A Devanagari-named missing report of org A matches a Latin-spelled
// rescued person of org B; B's queue says only "held by A" (no name, no
// explanation) until A grants access; B then sees both side by side,
// confirms, and the records are linked; every decision is audited by id.
func TestReviewMissingMatchesRescueAcrossOrgs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		cases, rev, sharing := database.NewCaseService(db), database.NewReviewService(db), database.NewSharingService(db)
		m := newMissingReport(t, w, "A")
		other := rescued(w, "Sunita Devi")
		other.HomeDistrict = "IN-WB-DARJEELING"
		b := w.as("B", atip.RoleCaseworker)
		if err := cases.CreatePerson(b, other); err != nil {
			t.Fatal(err)
		}
		p := rescued(w, "Reena Kumari")
		if err := cases.CreatePerson(b, p); err != nil {
			t.Fatal(err)
		}
		q, err := rev.Queue(b, atip.ReviewFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(q) != 1 || q[0].Record.ID != p.ID || q[0].Candidate.ID != m.ID || q[0].Score != 0 {
			t.Fatalf("queue %+v", q)
		}
		hm := q[0]
		if hm.Visible || hm.CandidateOrg != w.orgA.ID || hm.CandidateRef != "" || len(hm.Right.Names) != 0 || len(hm.Evidence) != 0 {
			t.Fatalf("hidden candidate shown: %+v", hm)
		}
		if len(hm.Left.Names) != 1 || hm.Left.Names[0] != "Reena Kumari" {
			t.Fatalf("own side %+v", hm.Left)
		}
		// A's queue holds nothing (the match is B's), and A cannot open it.
		if qa, _ := rev.Queue(w.as("A", atip.RoleCaseworker), atip.ReviewFilter{}); len(qa) != 0 {
			t.Fatalf("A's queue %+v", qa)
		}
		_, err = rev.Match(w.as("A", atip.RoleCaseworker), hm.ID)
		wantCode(t, err, atip.ENOTFOUND)
		// Confirming blind is refused; access is asked for instead.
		_, err = rev.Decide(b, hm.ID, true)
		wantCode(t, err, atip.EFORBIDDEN)
		_, err = rev.RequestAccess(b, hm.ID, "short")
		wantField(t, err, "reason")
		req, err := rev.RequestAccess(b, hm.ID, "possible match with our rescued girl, to confirm identity")
		if err != nil {
			t.Fatal(err)
		}
		// The family agreed at filing that the report be shared to trace her.
		if err := sharing.RecordConsent(w.as("A", atip.RoleCaseworker), &atip.Consent{Record: atip.RecordRef{Type: atip.RecordMissing, ID: m.ID},
			Purposes: []atip.Purpose{atip.PurposeFamilyTracing}, OrgIDs: []string{w.orgB.ID}, Method: atip.ConsentWritten,
			GivenBy: atip.GivenByGuardian, GuardianRelation: "father", GivenAt: db.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := sharing.DecideAccessRequest(w.as("A", atip.RoleSupervisor), req.ID, true, db.Now().Add(30*24*time.Hour), ""); err != nil {
			t.Fatal(err)
		}
		vm, err := rev.Match(b, hm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !vm.Visible || vm.Score < 0.7 || len(vm.Right.Names) == 0 || vm.Right.Names[0] != "रीना कुमारी" || len(vm.Evidence) != 6 || vm.Evidence[0].Field != "name" || vm.Evidence[0].Weight <= 0 {
			t.Fatalf("granted view %+v", vm)
		}
		if _, err := rev.Decide(b, hm.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = rev.Decide(b, hm.ID, false)
		wantCode(t, err, atip.ECONFLICT)
		links, err := rev.Links(b, p.ID)
		if err != nil || len(links) != 1 || links[0].Other.ID != m.ID || links[0].Retrafficked {
			t.Fatalf("links %+v %v", links, err)
		}
		if q, _ := rev.Queue(b, atip.ReviewFilter{Status: atip.ReviewConfirmed}); len(q) != 1 {
			t.Fatalf("confirmed queue %+v", q)
		}
		assertReviewAudit(t, w, "review.confirmed", p.ID, "Reena", "रीना")
	})
}

// A victim of an earlier case matched by a new person of a new case, once
// confirmed, flags re-trafficking on the new case's timeline; a rejection
// is audited and links nothing.
func TestReviewRetraffickingAndReject(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		cases, rev := database.NewCaseService(db), database.NewReviewService(db)
		old, _ := newVictimCase(t, w, cases, "B", "Puspa Tamang", "NP-P3-SINDHUPALCHOK", "sexual_exploitation")
		_, c2 := newVictimCase(t, w, cases, "B", "Pushpa Tamang", "IN-WB-DARJEELING", "sexual_exploitation")
		b := w.as("B", atip.RoleCaseworker)
		q, err := rev.Queue(b, atip.ReviewFilter{})
		if err != nil || len(q) != 1 || q[0].Candidate.ID != old.ID || !q[0].Visible {
			t.Fatalf("queue %+v %v", q, err)
		}
		if _, err := rev.Decide(b, q[0].ID, true); err != nil {
			t.Fatal(err)
		}
		cv, err := cases.FindCase(b, c2.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range cv.Timeline {
			if e.Kind == database.EventMatch && strings.Contains(e.Summary, "re-trafficking") && e.SubjectID == old.ID {
				found = true
			}
		}
		if !found {
			t.Fatalf("no re-trafficking event in %+v", cv.Timeline)
		}
		links, _ := rev.Links(b, q[0].Record.ID)
		if len(links) != 1 || links[0].Other.ID != old.ID || !links[0].Retrafficked {
			t.Fatalf("links of the new person %+v", links)
		}
		if links, _ := rev.Links(b, old.ID); len(links) != 1 || links[0].Retrafficked {
			t.Fatalf("links of the earlier victim %+v", links)
		}

		// A third record, rejected: audited, not linked.
		_, c3 := newVictimCase(t, w, cases, "B", "Puspa Tamang", "IN-WB-DARJEELING", "forced_labour")
		_ = c3
		q, _ = rev.Queue(b, atip.ReviewFilter{})
		if len(q) == 0 {
			t.Fatal("no match for the third record")
		}
		if _, err := rev.Decide(b, q[0].ID, false); err != nil {
			t.Fatal(err)
		}
		if links, _ := rev.Links(b, q[0].Record.ID); len(links) != 0 {
			t.Fatalf("rejected but linked: %+v", links)
		}
		assertReviewAudit(t, w, "review.rejected", q[0].Record.ID, "Puspa", "Tamang")
	})
}

func assertReviewAudit(t *testing.T, w *world, action, recordID string, forbidden ...string) {
	t.Helper()
	es, _, err := database.NewAuditService(w.db).FindAuditEntries(w.op, atip.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range es {
		if e.Action == action && e.RecordID == recordID && strings.Contains(e.Detail, "match=") {
			found = true
		}
		for _, f := range forbidden {
			if strings.Contains(e.Detail, f) {
				t.Fatalf("audit detail names a person: %+v", e)
			}
		}
	}
	if !found {
		t.Fatalf("no %s entry for %s", action, recordID)
	}
}

// A missing report filed after an interception is matched against the
// people stopped: the earlier interception is the candidate, shown to its
// own organisation with the explanation.
func TestReviewMissingMatchesEarlierInterception(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		intake, rev := database.NewIntakeService(db), database.NewReviewService(db)
		x := newInterception(db, []string{"family_unaware"}, 2, 16, atip.DistOwner, atip.TLPAmber)
		x.Stopped[0].Names = []string{"Sushmita Tamang"}
		if err := intake.CreateInterception(w.as("A", atip.RoleFirstResponder), x); err != nil {
			t.Fatal(err)
		}
		m := &atip.MissingReport{ReportedAt: db.Now(), LastSeenAt: db.Now().Add(-48 * time.Hour), LastSeenIn: "NP-P3-SINDHUPALCHOK",
			Reporter: "Maya Tamang", Relation: "mother",
			Missing: atip.StoppedPerson{Names: []string{"सुस्मिता तामाङ"}, Sex: "female", AgeYears: 16, Phone: "+9779990000001"},
			Info:    atip.RecordInfo{Distribution: atip.DistOwner, TLP: atip.TLPAmber}}
		a := w.as("A", atip.RoleCaseworker)
		if err := intake.CreateMissing(a, m); err != nil {
			t.Fatal(err)
		}
		q, err := rev.Queue(a, atip.ReviewFilter{})
		if err != nil || len(q) != 1 || q[0].Record.ID != m.ID || q[0].Candidate.ID != x.ID || q[0].Candidate.Type != atip.RecordInterception || !q[0].Visible {
			t.Fatalf("queue %+v %v", q, err)
		}
		if q[0].Right.Names[0] != "Sushmita Tamang" || len(q[0].Evidence) != 6 {
			t.Fatalf("candidate %+v", q[0])
		}
		// Org B, which holds neither, has nothing.
		if qb, _ := rev.Queue(w.as("B", atip.RoleCaseworker), atip.ReviewFilter{}); len(qb) != 0 {
			t.Fatalf("B's queue %+v", qb)
		}
	})
}
