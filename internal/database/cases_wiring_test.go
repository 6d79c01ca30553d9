package database_test

import (
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// New persons and cases take the organisation's default marking from its
// sharing settings; without one they are owner-only AMBER.
func TestNewCaseAndPersonTakeTheOrgDefaultMarking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewCaseService(db)
		sharing := database.NewSharingService(db)
		admin := w.as("A", atip.RoleOrgAdmin)
		for _, typ := range []atip.RecordType{atip.RecordCase, atip.RecordPerson} {
			if err := sharing.SetSharingDefault(admin, atip.SharingDefault{RecordType: typ, Distribution: atip.DistPlatform, TLP: atip.TLPGreen}); err != nil {
				t.Fatal(err)
			}
		}
		p, c := newVictimCase(t, w, svc, "A", caseVictimName, "IN-BR-SITAMARHI", "forced_labour")
		ctx := w.as("A", atip.RoleCaseworker)
		cv, err := svc.FindCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cv.TLP != atip.TLPGreen || cv.Case.Info.Distribution != atip.DistPlatform {
			t.Errorf("case marked %s/%s, want the organisation's default platform/GREEN", cv.Case.Info.Distribution, cv.TLP)
		}
		pv, err := svc.FindPerson(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pv.TLP != atip.TLPGreen || pv.Person.Info.Distribution != atip.DistPlatform {
			t.Errorf("person marked %s/%s, want platform/GREEN", pv.Person.Info.Distribution, pv.TLP)
		}
		// The other organisation set no default: owner only, AMBER; and it
		// does not learn that A's platform-wide case is anything more than
		// a redacted case.
		_, cb := newVictimCase(t, w, svc, "B", "", "NP-P3-KATHMANDU", "forced_labour")
		vb, err := svc.FindCase(w.as("B", atip.RoleCaseworker), cb.ID)
		if err != nil {
			t.Fatal(err)
		}
		if vb.TLP != atip.TLPAmber || vb.Case.Info.Distribution != atip.DistOwner {
			t.Errorf("B's case marked %s/%s, want owner/AMBER", vb.Case.Info.Distribution, vb.TLP)
		}
	})
}

// A quick intake of a 15-year-old girl from Nepal puts the child procedure
// on the case in the same transaction, with the CWC production due 24 hours
// after the intake; marking a step done adds an event to the case's
// timeline. An adult's forced-labour case gets no child procedure.
func TestCaseWritesApplyProceduresAndStepsReachTheTimeline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewCaseService(db)
		care := database.NewCareService(db)
		fr := w.as("A", atip.RoleFirstResponder)
		at := db.Now().Add(-10 * time.Minute).Truncate(time.Second)
		c, _, err := svc.QuickIntake(fr, &atip.QuickIntake{ClientKey: "k-wiring-0123456789", Channel: "interception", At: at,
			District: "IN-BR-SITAMARHI", Point: "Bhitthamore crossing", Sex: "female", AgeYears: 15, Nationality: "NP", Name: caseVictimName})
		if err != nil {
			t.Fatal(err)
		}
		cl, err := care.Checklist(fr, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		cwc := findStep(t, cl, "in-child-rescue", "cwc_production")
		if !cwc.Due.Equal(at.Add(24 * time.Hour)) {
			t.Errorf("CWC production due %s, want 24 hours after the intake at %s", cwc.Due, at)
		}
		findStep(t, cl, "in-foreign-national", "inform_counterpart")

		if err := care.CompleteStep(fr, c.ID, "in-child-rescue", "separate_from_suspects", atip.StepDone{Evidence: "GD entry 114"}); err != nil {
			t.Fatal(err)
		}
		v, err := svc.FindCase(fr, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range v.Timeline {
			if e.Kind == atip.EventStepDone && e.Summary == "step in-child-rescue/separate_from_suspects done" {
				found = true
			}
		}
		if !found {
			t.Errorf("no step-done event on the timeline: %+v", v.Timeline)
		}

		// An adult's case: no child procedure. Updating it to a child's
		// (the victim's age corrected) adds it.
		cw := w.as("A", atip.RoleCaseworker)
		p := &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "male", AgeYears: 30, AgeAsOf: db.Now(), AgeMethod: "identity_document", Nationality: "IN"}
		if err := svc.CreatePerson(cw, p); err != nil {
			t.Fatal(err)
		}
		adult := &atip.Case{IntakeChannel: "rescue", IntakeAt: db.Now().Add(-time.Hour), IntakeDistrict: "IN-BR-SITAMARHI",
			Exploitation: []string{"forced_labour"}, Complete: true,
			Victims: []atip.CaseVictim{{PersonID: p.ID, TraffickingStatus: "presumed_victim", StatusDecidedBy: "police"}}}
		if err := svc.CreateCase(cw, adult); err != nil {
			t.Fatal(err)
		}
		if cl, err := care.Checklist(cw, adult.ID); err != nil {
			t.Fatal(err)
		} else if hasProcedure(cl, "in-child-rescue") {
			t.Error("an adult's case has the child procedure")
		}
		p.AgeYears, p.AgeMethod = 16, "school_certificate"
		if err := svc.UpdatePerson(cw, p); err != nil {
			t.Fatal(err)
		}
		if err := svc.UpdateCase(cw, adult); err != nil {
			t.Fatal(err)
		}
		if cl, err := care.Checklist(cw, adult.ID); err != nil {
			t.Fatal(err)
		} else if !hasProcedure(cl, "in-child-rescue") {
			t.Error("the child procedure was not added when the case became a child's")
		}
	})
}

// An imported register's open cases get their checklists in the import's
// transaction; its closed ones do not.
func TestImportedOpenCasesGetProcedures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewCaseService(db)
		care := database.NewCareService(db)
		sup := w.as("A", atip.RoleSupervisor)
		row := func(line int, status string) atip.CaseImport {
			return atip.CaseImport{Line: line,
				Case: atip.Case{IntakeChannel: "rescue", IntakeAt: db.Now().AddDate(0, -2, 0), IntakeDistrict: "IN-BR-SITAMARHI",
					Exploitation: []string{"child_labour"}, Status: status},
				Victim: atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "male", AgeYears: 13, AgeAsOf: db.Now().AddDate(0, -2, 0),
					AgeMethod: "school_certificate", Nationality: "IN"},
				Link: atip.CaseVictim{TraffickingStatus: "presumed_victim", StatusDecidedBy: "police", ChildAtIntake: true}}
		}
		if n, err := svc.ImportCases(sup, []atip.CaseImport{row(2, "open"), row(3, "closed")}); err != nil || n != 2 {
			t.Fatalf("import: %d, %v", n, err)
		}
		list, _, err := svc.FindCases(sup, atip.CaseFilter{})
		if err != nil || len(list) != 2 {
			t.Fatalf("imported cases: %d, %v", len(list), err)
		}
		for _, v := range list {
			cl, err := care.Checklist(sup, v.Case.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := hasProcedure(cl, "in-child-rescue"), v.Case.Status != "closed"; got != want {
				t.Errorf("%s case: child procedure on it %v, want %v", v.Case.Status, got, want)
			}
		}
	})
}

func hasProcedure(cl *atip.Checklist, id string) bool {
	for _, s := range cl.Steps {
		if s.ProcedureID == id {
			return true
		}
	}
	return false
}

// A person's phone, held by another organisation too, makes a
// deconfliction match for both: each learns only whom to ask.
func TestSavedPersonsSelectorsAreDeconflicted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewCaseService(db)
		sharing := database.NewSharingService(db)
		pa := &atip.Person{Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: "male", AgeYears: -1, Phones: []string{"+9779841012345"},
			Handles: []string{"facebook:Demo.Recruiter.9"}}
		if err := svc.CreatePerson(w.as("A", atip.RoleCaseworker), pa); err != nil {
			t.Fatal(err)
		}
		pb := &atip.Person{Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: "male", AgeYears: -1, Phones: []string{"+977 984-1012345"}}
		if err := svc.CreatePerson(w.as("B", atip.RoleCaseworker), pb); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			tag, own, other string
		}{{"A", pa.ID, w.orgB.ID}, {"B", pb.ID, w.orgA.ID}} {
			in, err := sharing.Inbox(w.as(tc.tag, atip.RoleSupervisor))
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Matches) != 1 {
				t.Fatalf("%s has %d matches, want 1", tc.tag, len(in.Matches))
			}
			m := in.Matches[0]
			if m.Record.ID != tc.own || m.OtherOrgID != tc.other || m.OtherRecord.ID != "" {
				t.Errorf("%s's match: %+v (own %s, ask %s; the other record stays unnamed)", tc.tag, m, tc.own, tc.other)
			}
		}
		// A third person with only the handle, written another way,
		// matches A's record too.
		pc := &atip.Person{Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: "male", AgeYears: -1, Handles: []string{"facebook:demorecruiter9"}}
		if err := svc.CreatePerson(w.as("B", atip.RoleCaseworker), pc); err != nil {
			t.Fatal(err)
		}
		in, err := sharing.Inbox(w.as("B", atip.RoleSupervisor))
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Matches) != 2 {
			t.Errorf("B has %d matches after the handle, want 2", len(in.Matches))
		}
	})
}

// A case opened from an interception — by the full form or a quick intake —
// marks the interception with the case in the same transaction; an
// interception of another organisation cannot be named as the origin.
func TestCaseFromInterceptionLinksIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewCaseService(db)
		intake := database.NewIntakeService(db)
		fr := w.as("A", atip.RoleFirstResponder)
		x := newInterception(db, []string{"minor_with_unrelated_adult", "no_documents"}, 4, 15, atip.DistOwner, atip.TLPAmber)
		if err := intake.CreateInterception(fr, x); err != nil {
			t.Fatal(err)
		}
		xb := newInterception(db, []string{"no_documents"}, 2, 30, atip.DistOwner, atip.TLPAmber)
		if err := intake.CreateInterception(w.as("B", atip.RoleFirstResponder), xb); err != nil {
			t.Fatal(err)
		}
		p := &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: 15, AgeAsOf: db.Now(), AgeMethod: "officer_estimate", Nationality: "NP"}
		if err := svc.CreatePerson(fr, p); err != nil {
			t.Fatal(err)
		}
		mk := func(origin string) *atip.Case {
			return &atip.Case{IntakeChannel: "interception", IntakeAt: db.Now().Add(-time.Hour), IntakeDistrict: "IN-BR-SITAMARHI",
				Exploitation: []string{"unknown"}, InterceptionID: origin, Victims: []atip.CaseVictim{{PersonID: p.ID, ChildAtIntake: true}}}
		}
		wantField(t, svc.CreateCase(fr, mk(xb.ID)), "from_id")
		c := mk(x.ID)
		if err := svc.CreateCase(fr, c); err != nil {
			t.Fatal(err)
		}
		got, _, err := intake.Interception(fr, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CaseID != c.ID || got.Outcome != "case_opened" {
			t.Errorf("interception case %q outcome %q, want %s and case_opened", got.CaseID, got.Outcome, c.ID)
		}
		v, err := svc.FindCase(fr, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e := v.Timeline[0]; e.SubjectType != atip.RecordInterception || e.SubjectID != x.ID {
			t.Errorf("the intake event points to %s %s", e.SubjectType, e.SubjectID)
		}

		// A quick intake from another interception's prompt links it too.
		x2 := newInterception(db, []string{"minor_alone"}, 5, 14, atip.DistOwner, atip.TLPAmber)
		if err := intake.CreateInterception(fr, x2); err != nil {
			t.Fatal(err)
		}
		qc, _, err := svc.QuickIntake(fr, &atip.QuickIntake{ClientKey: "k-from-interception-01", Channel: "interception", At: db.Now().Add(-time.Minute),
			District: "IN-BR-SITAMARHI", Point: "Bhitthamore crossing", Sex: "female", AgeYears: 14, Nationality: "NP",
			From: atip.RecordRef{Type: atip.RecordInterception, ID: x2.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if qc.InterceptionID != x2.ID {
			t.Errorf("quick intake's case names interception %q, want %s", qc.InterceptionID, x2.ID)
		}
		if got, _, err := intake.Interception(fr, x2.ID); err != nil {
			t.Fatal(err)
		} else if got.CaseID != qc.ID {
			t.Errorf("interception after the quick intake names case %q, want %s", got.CaseID, qc.ID)
		}
		_, _, err = svc.QuickIntake(fr, &atip.QuickIntake{ClientKey: "k-from-interception-02", Channel: "interception", At: db.Now().Add(-time.Minute),
			District: "IN-BR-SITAMARHI", Point: "Bhitthamore crossing", Sex: "female", AgeYears: 14,
			From: atip.RecordRef{Type: atip.RecordInterception, ID: xb.ID}})
		wantField(t, err, "from_id")
	})
}
