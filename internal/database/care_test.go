package database_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// careCase stores a child victim and her case at org A (India), intake at
// intakeAt, and puts the procedures on it.
func careCase(t *testing.T, db *database.DB, w *world, intakeAt time.Time, crossBorder bool) *atip.Case {
	t.Helper()
	ctx := w.as("A", atip.RoleCaseworker)
	p := &atip.Person{ID: atip.NewID(), Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female",
		Names: []atip.PersonName{{Full: "Synthetic Child", Script: "Latn", Kind: "name"}}, AgeYears: 15, AgeAsOf: intakeAt,
		AgeMethod: "stated", Nationality: "IN"}
	if crossBorder {
		p.Nationality = "NP"
	}
	if err := database.PutPerson(ctx, db, &atip.RecordMeta{Ref: atip.RecordRef{Type: atip.RecordPerson, ID: p.ID},
		OwnerOrgID: w.orgA.ID, Distribution: atip.DistOwner, TLP: atip.TLPAmber, Child: true}, p); err != nil {
		t.Fatal(err)
	}
	c := &atip.Case{ID: atip.NewID(), IntakeChannel: "interception", IntakeAt: intakeAt, IntakeDistrict: "IN-BR-SITAMARHI",
		Exploitation: []string{"sexual_exploitation"}, CrossBorder: crossBorder,
		Victims: []atip.CaseVictim{{PersonID: p.ID, ChildAtIntake: true}}}
	if err := database.PutCase(ctx, db, &atip.RecordMeta{Ref: atip.RecordRef{Type: atip.RecordCase, ID: c.ID},
		OwnerOrgID: w.orgA.ID, Distribution: atip.DistPlatform, TLP: atip.TLPGreen, Child: true}, c); err != nil {
		t.Fatal(err)
	}
	if err := database.ApplyProcedures(ctx, db, c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

func findStep(t *testing.T, cl *atip.Checklist, proc, step string) *atip.CaseStep {
	t.Helper()
	for i := range cl.Steps {
		if cl.Steps[i].ProcedureID == proc && cl.Steps[i].StepID == step {
			return &cl.Steps[i]
		}
	}
	t.Fatalf("no step %s/%s on the checklist of %d steps", proc, step, len(cl.Steps))
	return nil
}

// A child's case gets the child rescue procedure with the CWC production
// due 24 hours after intake; steps counting from the production wait until
// it is done and then fall due from the time it was done.
func TestCareChildChecklist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		intake := db.Now().Add(-2 * time.Hour)
		c := careCase(t, db, w, intake, false)
		care := database.NewCareService(db)
		ctx := w.as("A", atip.RoleCaseworker)
		cl, err := care.Checklist(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		cwc := findStep(t, cl, "in-child-rescue", "cwc_production")
		if !cwc.Due.Equal(intake.Add(24 * time.Hour)) {
			t.Fatalf("CWC production due %v, want %v", cwc.Due, intake.Add(24*time.Hour))
		}
		if cwc.Zone != "Asia/Kolkata" || cwc.Status != "open" {
			t.Fatalf("CWC step %+v", cwc)
		}
		sir := findStep(t, cl, "in-child-rescue", "social_investigation")
		if !sir.Due.IsZero() || sir.WaitingOn == "" {
			t.Fatalf("social investigation should wait for the production: %+v", sir)
		}
		// Adults' procedures do not apply to a child.
		for _, s := range cl.Steps {
			if s.ProcedureID == "in-adult-sexual-exploitation" {
				t.Fatalf("adult procedure on a child's case: %s", s.StepID)
			}
		}
		// Applying again adds nothing twice.
		if err := database.ApplyProcedures(ctx, db, c.ID); err != nil {
			t.Fatal(err)
		}
		again, _ := care.Checklist(ctx, c.ID)
		if len(again.Steps) != len(cl.Steps) {
			t.Fatalf("re-applying: %d steps, then %d", len(cl.Steps), len(again.Steps))
		}

		// The first responder owns the production step? Whoever owns it,
		// the owner role's user marks it done, with evidence.
		owner := cwc.Owner
		if err := care.CompleteStep(w.as("A", owner), c.ID, "in-child-rescue", "cwc_production", atip.StepDone{}); len(cwc.Needs) > 0 {
			wantField(t, err, "evidence")
		}
		if err := care.CompleteStep(w.as("A", owner), c.ID, "in-child-rescue", "cwc_production",
			atip.StepDone{Evidence: "CWC order sheet 12/2026", Note: "produced at 14:00"}); err != nil {
			t.Fatal(err)
		}
		if cl, err = care.Checklist(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		cwc = findStep(t, cl, "in-child-rescue", "cwc_production")
		if cwc.Status != "done" || cwc.Evidence != "CWC order sheet 12/2026" || cwc.DoneBy != w.u["A"][owner].ID || cwc.Note != "produced at 14:00" {
			t.Fatalf("done step %+v", cwc)
		}
		sir = findStep(t, cl, "in-child-rescue", "social_investigation")
		if sir.Due.IsZero() || !sir.Due.After(cwc.DoneAt) {
			t.Fatalf("social investigation after the production: due %v, production done %v", sir.Due, cwc.DoneAt)
		}
		// Done once.
		err = care.CompleteStep(w.as("A", owner), c.ID, "in-child-rescue", "cwc_production", atip.StepDone{Evidence: "x"})
		wantCode(t, err, atip.ECONFLICT)
		// The note is the user's own words: stored only sealed.
		var stored string
		if err := db.ReadDB().QueryRowContext(context.Background(), `SELECT note FROM case_steps WHERE case_id = $1 AND step_id = 'cwc_production'`,
			c.ID).Scan(&stored); err != nil || strings.Contains(stored, "14:00") || !strings.HasPrefix(stored, "sealed:") {
			t.Fatalf("stored note %q, %v", stored, err)
		}
	})
}

// Who may mark a step done: not a user of another organisation on the
// platform (who sees only the redacted case, so not its checklist), not an
// analyst of the owner; and a guessed case id is not found.
func TestCareStepPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		c := careCase(t, db, w, db.Now().Add(-time.Hour), false)
		care := database.NewCareService(db)
		done := atip.StepDone{Evidence: "GD entry 7", Note: ""}

		err := care.CompleteStep(w.as("B", atip.RoleSupervisor), c.ID, "in-child-rescue", "separate_from_suspects", done)
		wantCode(t, err, atip.ENOTFOUND)
		_, err = care.Checklist(w.as("B", atip.RoleCaseworker), c.ID)
		wantCode(t, err, atip.ENOTFOUND)

		err = care.CompleteStep(w.as("A", atip.RoleAnalyst), c.ID, "in-child-rescue", "separate_from_suspects", done)
		wantCode(t, err, atip.EFORBIDDEN)

		_, err = care.Checklist(w.as("A", atip.RoleCaseworker), atip.NewID())
		wantCode(t, err, atip.ENOTFOUND)
		err = care.CompleteStep(w.as("A", atip.RoleSupervisor), atip.NewID(), "in-child-rescue", "separate_from_suspects", done)
		wantCode(t, err, atip.ENOTFOUND)
		err = care.CompleteStep(w.as("A", atip.RoleSupervisor), c.ID, "in-child-rescue", "no_such_step", done)
		wantCode(t, err, atip.ENOTFOUND)

		// A supervisor of the owner may do any step.
		if err := care.CompleteStep(w.as("A", atip.RoleSupervisor), c.ID, "in-child-rescue", "separate_from_suspects", done); err != nil {
			t.Fatal(err)
		}
	})
}

// The sweeper notifies the owner role at the owning organisation once per
// overdue step, and the dashboard lists the steps of the organisation's
// cases that are overdue.
func TestCareOverdueSweeper(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			clock := dbtest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
			db := dbtest.Open(t, e, database.WithClock(clock.Now))
			w := newWorld(t, db)
			c := careCase(t, db, w, db.Now(), false)
			care := database.NewCareService(db)
			ctx := context.Background()

			if n, err := db.NotifyOverdue(ctx); err != nil || n != 0 {
				t.Fatalf("at intake: %d notified, %v", n, err)
			}
			over, err := care.Overdue(w.as("A", atip.RoleSupervisor))
			if err != nil || len(over) != 0 {
				t.Fatalf("at intake: %d overdue, %v", len(over), err)
			}

			clock.Advance(25 * time.Hour)
			n, err := db.NotifyOverdue(ctx)
			if err != nil || n == 0 {
				t.Fatalf("after 25 h: %d notified, %v", n, err)
			}
			var cwcNotes int
			if err := db.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE record_id = $1 AND org_id = $2
				AND kind = 'care.notify.step_overdue' AND args LIKE '%cwc_production%'`, c.ID, w.orgA.ID).Scan(&cwcNotes); err != nil {
				t.Fatal(err)
			}
			if cwcNotes != 1 {
				t.Fatalf("%d notifications of the CWC production, want 1", cwcNotes)
			}
			if n, err := db.NotifyOverdue(ctx); err != nil || n != 0 {
				t.Fatalf("second sweep: %d notified, %v", n, err)
			}

			over, err = care.Overdue(w.as("A", atip.RoleSupervisor))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, o := range over {
				if o.CaseID == c.ID && o.StepID == "cwc_production" {
					found = o.Late == time.Hour && o.CaseRef != "" && o.Title != "" && o.TLP == atip.TLPGreen
				}
			}
			if !found {
				t.Fatalf("dashboard lacks the CWC production 1 h late: %+v", over)
			}
			// Another organisation's dashboard shows none of A's steps.
			if over, err := care.Overdue(w.as("B", atip.RoleSupervisor)); err != nil || len(over) != 0 {
				t.Fatalf("B's dashboard: %d, %v", len(over), err)
			}
		})
	}
}

// An organisation admin saves an own version of a procedure; it must raise
// the version and be valid; the organisation's new cases get it, another
// organisation's do not.
func TestCareOwnProcedure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		care := database.NewCareService(db)
		admin := w.as("A", atip.RoleOrgAdmin)
		p, err := care.Procedure(admin, "in-child-rescue")
		if err != nil {
			t.Fatal(err)
		}
		if p.Own || p.Version != 1 || p.Source == "" {
			t.Fatalf("shipped procedure %+v", p)
		}
		_, err = care.SaveProcedure(admin, p.Source)
		wantField(t, err, "source") // same version
		_, err = care.SaveProcedure(admin, "id: [")
		wantField(t, err, "source")
		_, err = care.SaveProcedure(w.as("A", atip.RoleCaseworker), p.Source)
		wantCode(t, err, atip.EFORBIDDEN)

		src := replaceOnce(t, p.Source, "version: 1", "version: 2")
		src = replaceOnce(t, src, "due: {after: intake, within: 1h}", "due: {after: intake, within: 30min}")
		saved, err := care.SaveProcedure(admin, src)
		if err != nil {
			t.Fatal(err)
		}
		if !saved.Own || saved.Version != 2 {
			t.Fatalf("saved %+v", saved)
		}
		intake := db.Now()
		c := careCase(t, db, w, intake, false)
		cl, err := care.Checklist(w.as("A", atip.RoleCaseworker), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		st := findStep(t, cl, "in-child-rescue", "separate_from_suspects")
		if st.Version != 2 || !st.Due.Equal(intake.Add(30*time.Minute)) {
			t.Fatalf("own version not applied: %+v", st)
		}
		list, err := care.Procedures(w.as("B", atip.RoleOrgAdmin))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range list {
			if q.ID == "in-child-rescue" && (q.Own || q.Version != 1) {
				t.Fatalf("B sees A's version: %+v", q)
			}
		}
	})
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	i := indexOf(s, old)
	if i < 0 {
		t.Fatalf("%q not in the procedure", old)
	}
	return s[:i] + new + s[i+len(old):]
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
