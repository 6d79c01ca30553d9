package database_test

import (
	"context"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// A cross-border repatriation: the owner (India) records home verification
// and a hand-over to the Nepali counterpart; only the receiver confirms
// receipt, once; confirming gives it the case (an accepted referral), and
// the repatriation is then received.
func TestCareHandOverConfirmedByReceiverOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		c := careCase(t, db, w, db.Now().Add(-72*time.Hour), true)
		care := database.NewCareService(db)
		a, b := w.as("A", atip.RoleCaseworker), w.as("B", atip.RoleCaseworker)

		// The receiver does not see the case's care work before.
		_, err := care.Repatriations(b, c.ID)
		wantCode(t, err, atip.ENOTFOUND)

		r := &atip.Repatriation{CaseID: c.ID, Kind: "cross_border", ToOrgID: w.orgB.ID, ToDistrict: "NP-P3-SINDHUPALCHOK",
			CrossingPt: "raxaul-birgunj", Escort: "two officers, one woman", TravelPlan: "bus to the border post",
			HomeVerification: atip.HomeVerification{DoneAt: db.Now().Add(-time.Hour), Safe: true, Report: "mother and uncle at home"}}
		err = care.SaveRepatriation(b, r)
		wantCode(t, err, atip.ENOTFOUND) // B does not see the case
		if err := care.SaveRepatriation(a, r); err != nil {
			t.Fatal(err)
		}
		err = care.AddHandOver(a, c.ID, r.ID, &atip.HandOver{ToOrgID: w.orgA.ID, Place: "raxaul-birgunj"})
		wantField(t, err, "to_org_id")
		h := &atip.HandOver{ToOrgID: w.orgB.ID, Place: "raxaul-birgunj", Note: "documents handed with the child"}
		if err := care.AddHandOver(a, c.ID, r.ID, h); err != nil {
			t.Fatal(err)
		}

		in, err := care.HandOvers(b)
		if err != nil || len(in) != 1 || !in[0].Incoming || !in[0].CanConfirm || in[0].CaseRef == "" || in[0].TLP != atip.TLPGreen {
			t.Fatalf("receiver's hand-overs: %+v, %v", in, err)
		}
		if got, err := care.HandOver(a, h.ID); err != nil || got.Incoming || got.CanConfirm {
			t.Fatalf("sender's view: %+v, %v", got, err)
		}
		wantCode(t, care.ConfirmHandOver(a, h.ID), atip.EFORBIDDEN)
		wantCode(t, care.ConfirmHandOver(w.as("B", atip.RoleAnalyst), h.ID), atip.EFORBIDDEN)
		wantCode(t, care.ConfirmHandOver(b, atip.NewID()), atip.ENOTFOUND)
		if err := care.ConfirmHandOver(b, h.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, care.ConfirmHandOver(b, h.ID), atip.ECONFLICT)

		got, err := care.Repatriations(a, c.ID)
		if err != nil || len(got.Items) != 1 {
			t.Fatalf("owner's repatriations: %+v, %v", got, err)
		}
		rep := got.Items[0]
		if rep.Status != "received" || len(rep.HandOvers) != 1 || !rep.HandOvers[0].Confirmed() ||
			rep.HandOvers[0].ReceivedBy != w.u["B"][atip.RoleCaseworker].ID || rep.HomeVerification.Report != "mother and uncle at home" {
			t.Fatalf("after confirmation: %+v", rep)
		}
		// The receiver now holds the case by referral and sees its
		// repatriation, without the protected statement of the home visit.
		seen, err := care.Repatriations(b, c.ID)
		if err != nil || len(seen.Items) != 1 || seen.CanEdit {
			t.Fatalf("receiver after confirmation: %+v, %v", seen, err)
		}
		if seen.Items[0].HomeVerification.Report != "" || seen.Items[0].TravelPlan != "" {
			t.Fatalf("receiver sees protected fields: %+v", seen.Items[0])
		}
		var n int
		if err := db.ReadDB().QueryRowContext(context.Background(), `SELECT count(*) FROM referrals WHERE record_id = $1 AND to_org_id = $2
			AND purpose = 'repatriation' AND accepted_at IS NOT NULL`, c.ID, w.orgB.ID).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d referrals to the receiver, %v", n, err)
		}
	})
}

// A care plan with services, follow-ups after reintegration (missed ones
// surface after the grace period, until recorded with a risk assessment),
// and the legal track whose charge sheet is due 60 days after the first
// arrest, at the end of the day in India. The witness-protection note is
// stored only sealed.
func TestCarePlanFollowUpsAndLegal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		now := db.Now()
		c := careCase(t, db, w, now.Add(-90*24*time.Hour), false)
		care := database.NewCareService(db)
		a := w.as("A", atip.RoleCaseworker)

		plan := &atip.CarePlan{CaseID: c.ID, AgreedAt: now, Goals: "wants to finish school", Services: []atip.Service{
			{Type: "medical", Detail: "Xylophonic treatment plan", Milestones: []atip.Milestone{{Title: "first check-up", Due: now.Add(48 * time.Hour)}}},
			{Type: "compensation", ProviderID: w.orgB.ID, Milestones: []atip.Milestone{{Title: "application filed with the DLSA", Due: now.Add(30 * 24 * time.Hour)}}},
		}}
		bad := &atip.CarePlan{CaseID: c.ID, Services: []atip.Service{{Type: "astrology"}}}
		if err := care.SaveCarePlan(a, bad); err == nil {
			t.Fatal("a service type outside the code list was saved")
		}
		if err := care.SaveCarePlan(a, plan); err != nil {
			t.Fatal(err)
		}
		wantCode(t, care.SaveCarePlan(w.as("A", atip.RoleAnalyst), &atip.CarePlan{CaseID: c.ID}), atip.EFORBIDDEN)

		reint := now.Add(-40 * 24 * time.Hour)
		fs, err := care.ScheduleFollowUps(a, c.ID, c.Victims[0].PersonID, reint, nil)
		if err != nil || len(fs) != 4 {
			t.Fatalf("follow-ups: %d, %v", len(fs), err)
		}
		_, err = care.ScheduleFollowUps(a, c.ID, "", reint, []int{0})
		wantField(t, err, "months")

		missed, err := care.MissedFollowUps(a)
		if err != nil || len(missed) != 1 || missed[0].FollowUpID != fs[0].ID || missed[0].CaseRef == "" {
			t.Fatalf("missed follow-ups: %+v, %v", missed, err)
		}
		if other, _ := care.MissedFollowUps(w.as("B", atip.RoleCaseworker)); len(other) != 0 {
			t.Fatalf("B sees A's missed follow-ups: %+v", other)
		}
		err = care.RecordFollowUp(a, c.ID, fs[0].ID, atip.FollowUp{Risk: atip.RiskAssessment{Level: "extreme"}})
		wantField(t, err, "risk.level")
		if err := care.RecordFollowUp(a, c.ID, fs[0].ID, atip.FollowUp{Note: "back at school",
			Risk: atip.RiskAssessment{Level: "medium", NoIncome: true, OfferToMigrate: true}}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, care.RecordFollowUp(a, c.ID, fs[0].ID, atip.FollowUp{Risk: atip.RiskAssessment{Level: "low"}}), atip.ECONFLICT)
		if missed, _ := care.MissedFollowUps(a); len(missed) != 0 {
			t.Fatalf("a recorded visit is still missed: %+v", missed)
		}
		got, err := care.Care(a, c.ID)
		if err != nil || len(got.Plans) != 1 || len(got.FollowUps) != 4 || !got.CanEdit {
			t.Fatalf("care page: %+v, %v", got, err)
		}
		if got.Plans[0].Services[0].Detail != "Xylophonic treatment plan" || got.FollowUps[0].Risk.Factors() != 2 ||
			got.FollowUps[0].ByUserID != w.u["A"][atip.RoleCaseworker].ID {
			t.Fatalf("care page content: %+v", got)
		}
		_, err = care.Care(w.as("B", atip.RoleCaseworker), c.ID)
		wantCode(t, err, atip.ENOTFOUND)

		arrest := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC) // 01:30 on 2 March in India
		l := &atip.LegalTrack{CaseID: c.ID, PoliceStation: "AHTU Sitamarhi", FIRNumber: "123/2026", FIRAt: arrest.Add(-time.Hour),
			Sections:          []atip.LawSection{{Act: "BNS", Section: "143"}},
			Arrests:           []atip.Arrest{{PersonID: atip.NewID(), At: arrest}},
			Stage:             "investigation",
			WitnessProtection: "Qwertzuiop screen asked for"}
		if err := care.SaveLegal(a, l); err != nil {
			t.Fatal(err)
		}
		ist, _ := time.LoadLocation("Asia/Kolkata")
		want := time.Date(2026, 5, 1, 23, 59, 59, 0, ist) // 2 March + 60 days, end of day
		lg, err := care.Legal(a, c.ID)
		if err != nil || lg.Track == nil {
			t.Fatalf("legal: %+v, %v", lg, err)
		}
		if !lg.Track.ChargeSheetDue.Equal(want) || lg.Track.ChargeSheetLaw == "" || lg.Track.WitnessProtection != "Qwertzuiop screen asked for" {
			t.Fatalf("charge sheet due %v (%s), want %v", lg.Track.ChargeSheetDue.In(ist), lg.Track.ChargeSheetLaw, want)
		}
		l.ChargeSheetDeadline = "no.such.deadline"
		wantField(t, care.SaveLegal(a, l), "charge_sheet_deadline")
		if db.Engine() == database.SQLite {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			dumpHasNo(t, db.Target().Path, "Qwertzuiop", "Xylophonic")
		}
	})
}
