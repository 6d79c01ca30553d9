package database_test

import (
	"slices"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

const stoppedName = "Yashodhara Plumtreeline"

func newInterception(db *database.DB, flags []string, certainty, age int, dist atip.Distribution, tlp atip.TLP) *atip.Interception {
	return &atip.Interception{
		At: db.Now().Add(-time.Hour), Point: "raxaul-birgunj", District: "IN-BR-PURBI-CHAMPARAN", Direction: "inbound",
		Transport: "bus", Origin: "NP-P3-SINDHUPALCHOK", Destination: "IN-DL",
		Stopped:    []atip.StoppedPerson{{Names: []string{stoppedName}, Sex: "female", AgeYears: age, AgeEstimate: true, Nationality: "NP", Phone: "+9779990000001"}},
		Companions: []atip.Companion{{Name: "Demo Companion", Relation: "none", Sex: "male", AgeYears: 35}},
		Flags:      flags, Certainty: certainty, Account: "She said an aunt found her a job in Delhi.",
		Info: atip.RecordInfo{Distribution: dist, TLP: tlp},
	}
}

// An interception is scored from the catalogue (the score and its version
// stored), prompts when it crosses the thresholds, and is verified by a
// second person of the organisation only: never by the one who recorded it,
// nor by a caseworker, nor by another organisation; every step is audited.
func TestInterceptionScoreAndSecondPersonVerification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewIntakeService(db)
		fr := w.as("A", atip.RoleFirstResponder)

		x := newInterception(db, []string{"job_does_not_exist", "family_unaware", "no_documents"}, 2, 22, atip.DistOwner, atip.TLPAmber)
		if err := svc.CreateInterception(fr, x); err != nil {
			t.Fatal(err)
		}
		if x.Score != 8 || x.CatalogueVersion != svc.Catalogue().Version || !x.Prompted || x.RecordedBy != w.u["A"][atip.RoleFirstResponder].ID {
			t.Fatalf("scored %+v", x)
		}
		got, acc, err := svc.Interception(fr, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Score != 8 || got.CatalogueVersion != 1 || !acc.Prompt || acc.Reason == "" || !acc.Full || acc.CanVerify {
			t.Fatalf("stored %+v, access %+v", got, acc)
		}

		// Below every threshold: no prompt.
		low := newInterception(db, []string{"first_time_away"}, 2, 30, atip.DistOwner, atip.TLPAmber)
		if err := svc.CreateInterception(fr, low); err != nil {
			t.Fatal(err)
		}
		if _, acc, _ := svc.Interception(fr, low.ID); low.Prompted || acc.Prompt {
			t.Fatalf("low score prompted: %+v %+v", low, acc)
		}
		// A minor-only flag for an adult is refused, naming the field.
		bad := newInterception(db, []string{"minor_with_unrelated_adult"}, 2, 30, atip.DistOwner, atip.TLPAmber)
		wantField(t, svc.CreateInterception(fr, bad), "flags")
		// The certainty alone reaches the threshold.
		sure := newInterception(db, nil, 4, 30, atip.DistOwner, atip.TLPAmber)
		if err := svc.CreateInterception(fr, sure); err != nil || !sure.Prompted {
			t.Fatalf("certainty 4: %v %+v", err, sure)
		}

		_, err = svc.VerifyInterception(fr, x.ID, true, "")
		wantCode(t, err, atip.EFORBIDDEN)
		_, err = svc.VerifyInterception(w.as("A", atip.RoleCaseworker), x.ID, true, "")
		wantCode(t, err, atip.EFORBIDDEN)
		_, err = svc.VerifyInterception(w.as("B", atip.RoleSupervisor), x.ID, true, "")
		wantCode(t, err, atip.ENOTFOUND)
		_, err = svc.VerifyInterception(w.as("A", atip.RoleSupervisor), low.ID, false, "")
		wantField(t, err, "note")

		sup := w.as("A", atip.RoleSupervisor)
		if _, acc, _ := svc.Interception(sup, x.ID); !acc.CanVerify {
			t.Fatalf("the supervisor may not verify: %+v", acc)
		}
		v, err := svc.VerifyInterception(sup, x.ID, true, "checked with the family by phone")
		if err != nil {
			t.Fatal(err)
		}
		if v.Verification != atip.InterceptionVerified || v.VerifiedBy != w.u["A"][atip.RoleSupervisor].ID || v.VerifiedAt.IsZero() {
			t.Fatalf("verified %+v", v)
		}
		_, err = svc.VerifyInterception(sup, x.ID, true, "")
		wantCode(t, err, atip.ECONFLICT)
		if _, err := svc.VerifyInterception(sup, low.ID, false, "the companion is her father, papers seen"); err != nil {
			t.Fatal(err)
		}

		list, _, err := svc.Interceptions(sup, atip.InterceptionFilter{Unverified: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != sure.ID {
			t.Fatalf("unverified list: %d records", len(list))
		}
		all, _, err := svc.Interceptions(sup, atip.InterceptionFilter{})
		if err != nil || len(all) != 3 || all[0].ID != sure.ID {
			t.Fatalf("list: %v, %d records", err, len(all))
		}
		// The list is the redacted view: no names, whoever asks.
		if len(all[2].Stopped) != 1 || len(all[2].Stopped[0].Names) != 0 || all[2].Stopped[0].AgeBand == "" || all[2].Account != "" {
			t.Fatalf("list row %+v", all[2].Stopped)
		}

		entries, _, err := database.NewAuditService(db).FindAuditEntries(w.op, atip.AuditFilter{RecordID: x.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action+"/"+e.Outcome)
		}
		for _, want := range []string{"interception.create/ok", "interception.view/ok", "interception.verify/denied", "interception.verify/ok"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit of the interception lacks %s: %v", want, actions)
			}
		}
	})
}

// A platform member sees only the redacted view of a platform-wide GREEN
// interception, an owner-only one not at all, and a guessed id is not found.
func TestInterceptionRedactedForPlatformMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewIntakeService(db)
		fr := w.as("A", atip.RoleFirstResponder)
		shared := newInterception(db, []string{"minor_with_unrelated_adult"}, 3, 15, atip.DistPlatform, atip.TLPGreen)
		private := newInterception(db, nil, 1, 15, atip.DistOwner, atip.TLPAmber)
		for _, x := range []*atip.Interception{shared, private} {
			if err := svc.CreateInterception(fr, x); err != nil {
				t.Fatal(err)
			}
		}
		if !shared.Prompted {
			t.Fatal("a child with an unrelated adult did not prompt")
		}
		own, acc, err := svc.Interception(w.as("A", atip.RoleCaseworker), shared.ID)
		if err != nil || !acc.Full || own.Stopped[0].Names[0] != stoppedName || own.Stopped[0].AgeYears != 15 || own.Account == "" {
			t.Fatalf("owner: %v %+v", err, own)
		}
		b := w.as("B", atip.RoleCaseworker)
		got, acc, err := svc.Interception(b, shared.ID)
		if err != nil {
			t.Fatal(err)
		}
		if acc.Full || acc.CanVerify || len(got.Stopped) != 1 || len(got.Stopped[0].Names) != 0 || got.Stopped[0].AgeYears != 0 ||
			got.Stopped[0].Phone != "" || got.Companions[0].Name != "" || got.Account != "" ||
			got.Stopped[0].Sex != "female" || got.Stopped[0].AgeBand == "" || got.Point != "raxaul-birgunj" || got.Ref == "" {
			t.Fatalf("platform member sees %+v (access %+v)", got, acc)
		}
		_, _, err = svc.Interception(b, private.ID)
		wantCode(t, err, atip.ENOTFOUND)
		_, _, err = svc.Interception(fr, atip.NewID())
		wantCode(t, err, atip.ENOTFOUND)
		// An id of another record type is not an interception.
		m := &atip.MissingReport{ReportedAt: db.Now(), Missing: atip.StoppedPerson{Names: []string{"Demo Missing"}, AgeYears: 14}}
		if err := svc.CreateMissing(fr, m); err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.Interception(fr, m.ID)
		wantCode(t, err, atip.ENOTFOUND)

		list, _, err := svc.Interceptions(b, atip.InterceptionFilter{})
		if err != nil || len(list) != 1 || list[0].ID != shared.ID {
			t.Fatalf("B's list: %v, %d", err, len(list))
		}
		if db.Engine() == database.SQLite {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			dumpHasNo(t, db.Target().Path, stoppedName, "Plumtreeline", "+9779990000001")
		}
	})
}

// Signals stay apart from cases until one is opened from them; the open
// list drops a converted signal.
func TestSignalLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewIntakeService(db)
		cw := w.as("A", atip.RoleCaseworker)
		sg := &atip.Signal{Channel: "helpline", ReceivedAt: db.Now(), District: "IN-BR-SITAMARHI", Concern: "forced_labour",
			Summary: "Three boys taken to a brick kiln", CallerName: "Demo Caller", CallerPhone: "+919990000002", Account: "My nephew left with an agent"}
		if err := svc.CreateSignal(cw, sg); err != nil {
			t.Fatal(err)
		}
		wantField(t, svc.CreateSignal(cw, &atip.Signal{Channel: "pigeon", ReceivedAt: db.Now()}), "channel")
		got, acc, err := svc.Signal(cw, sg.ID)
		if err != nil || !acc.Full || got.CallerName != "Demo Caller" || got.Status != atip.SignalOpen {
			t.Fatalf("signal: %v %+v", err, got)
		}
		_, _, err = svc.Signal(w.as("B", atip.RoleCaseworker), sg.ID)
		wantCode(t, err, atip.ENOTFOUND)
		_, err = svc.SetSignalStatus(cw, sg.ID, atip.SignalConverted, "", "")
		wantField(t, err, "case_id")
		caseID := atip.NewID()
		if got, err = svc.SetSignalStatus(cw, sg.ID, atip.SignalConverted, caseID, ""); err != nil || got.CaseID != caseID {
			t.Fatalf("convert: %v %+v", err, got)
		}
		_, err = svc.SetSignalStatus(cw, sg.ID, atip.SignalClosed, "", "")
		wantCode(t, err, atip.ECONFLICT)
		open, _, err := svc.Signals(cw, atip.SignalFilter{Status: atip.SignalOpen})
		if err != nil || len(open) != 0 {
			t.Fatalf("open signals: %v %d", err, len(open))
		}
		all, _, err := svc.Signals(cw, atip.SignalFilter{})
		if err != nil || len(all) != 1 || all[0].CallerName != "" || all[0].Status != atip.SignalConverted {
			t.Fatalf("signals: %v %+v", err, all)
		}
		_, err = svc.SetSignalStatus(w.as("A", atip.RoleAnalyst), sg.ID, atip.SignalClosed, "", "")
		wantCode(t, err, atip.EFORBIDDEN)
	})
}

// A family's missing-person report: the details are protected, the list
// shows open reports in their redacted view.
func TestMissingReports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewIntakeService(db)
		cw := w.as("A", atip.RoleCaseworker)
		m := &atip.MissingReport{ReportedAt: db.Now(), LastSeenAt: db.Now().Add(-48 * time.Hour), LastSeenIn: "IN-BR-SITAMARHI",
			LastSeenPlace: "Demo bus stand", PoliceRef: "GD 123/2026", Relation: "mother", Reporter: "Demo Mother",
			Missing: atip.StoppedPerson{Names: []string{"Demo Daughter"}, Sex: "female", AgeYears: 16}, Circumstance: "Left for a job interview"}
		if err := svc.CreateMissing(cw, m); err != nil {
			t.Fatal(err)
		}
		wantField(t, svc.CreateMissing(cw, &atip.MissingReport{ReportedAt: db.Now(), Missing: atip.StoppedPerson{AgeYears: -1}}), "missing_name")
		got, acc, err := svc.Missing(cw, m.ID)
		if err != nil || !acc.Full || got.Missing.Names[0] != "Demo Daughter" || got.Relation != "mother" || got.PoliceRef != "GD 123/2026" {
			t.Fatalf("missing report: %v %+v", err, got)
		}
		list, _, err := svc.MissingReports(cw, atip.MissingFilter{Status: atip.MissingOpen})
		if err != nil || len(list) != 1 || len(list[0].Missing.Names) != 0 || list[0].Relation != "" || list[0].LastSeenIn != "IN-BR-SITAMARHI" ||
			list[0].Missing.AgeBand == "" {
			t.Fatalf("open reports: %v %+v", err, list)
		}
		found, _, err := svc.MissingReports(cw, atip.MissingFilter{Status: atip.MissingFound})
		if err != nil || len(found) != 0 {
			t.Fatalf("found reports: %v %d", err, len(found))
		}
		_, err = svc.MissingFound(w.as("B", atip.RoleCaseworker), m.ID, time.Time{})
		wantCode(t, err, atip.ENOTFOUND)
		if got, err := svc.MissingFound(cw, m.ID, time.Time{}); err != nil || got.Status != atip.MissingFound || got.FoundAt.IsZero() {
			t.Fatalf("found: %v %+v", err, got)
		}
		_, err = svc.MissingFound(cw, m.ID, time.Time{})
		wantCode(t, err, atip.ECONFLICT)
		if open, _, err := svc.MissingReports(cw, atip.MissingFilter{Status: atip.MissingOpen}); err != nil || len(open) != 0 {
			t.Fatalf("open after found: %v %d", err, len(open))
		}
	})
}

// Opening a case from an interception or a missing-person report links the
// case; a record of another organisation stays not found.
func TestLinkCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewIntakeService(db)
		fr := w.as("A", atip.RoleFirstResponder)
		x := newInterception(db, []string{"no_documents"}, 4, 15, atip.DistOwner, atip.TLPAmber)
		if err := svc.CreateInterception(fr, x); err != nil {
			t.Fatal(err)
		}
		caseID := atip.NewID()
		wantCode(t, svc.LinkCase(w.as("B", atip.RoleCaseworker), atip.RecordRef{Type: atip.RecordInterception, ID: x.ID}, caseID), atip.ENOTFOUND)
		if err := svc.LinkCase(w.as("A", atip.RoleCaseworker), atip.RecordRef{Type: atip.RecordInterception, ID: x.ID}, caseID); err != nil {
			t.Fatal(err)
		}
		got, acc, err := svc.Interception(fr, x.ID)
		if err != nil || got.CaseID != caseID || got.Outcome != "case_opened" || got.Stopped[0].Names[0] != stoppedName || !acc.Full {
			t.Fatalf("linked: %v %+v", err, got)
		}
		sg := &atip.Signal{Channel: "partner_tip", ReceivedAt: db.Now()}
		if err := svc.CreateSignal(fr, sg); err != nil {
			t.Fatal(err)
		}
		if err := svc.LinkCase(fr, atip.RecordRef{Type: atip.RecordSignal, ID: sg.ID}, caseID); err != nil {
			t.Fatal(err)
		}
		if got, _, err := svc.Signal(fr, sg.ID); err != nil || got.Status != atip.SignalConverted || got.CaseID != caseID {
			t.Fatalf("signal: %v %+v", err, got)
		}
	})
}
