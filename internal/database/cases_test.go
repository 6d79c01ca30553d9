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

const caseVictimName = "Sunitakumari Xylophonia"

// newVictimCase stores a person and a complete case of org tag as a
// caseworker there.
func newVictimCase(t *testing.T, w *world, svc *database.CaseService, tag, name, district, exp string) (*atip.Person, *atip.Case) {
	t.Helper()
	ctx := w.as(tag, atip.RoleCaseworker)
	p := &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: 15, AgeAsOf: w.db.Now(),
		AgeMethod: "officer_estimate", Nationality: "NP", HomeDistrict: "NP-P3-SINDHUPALCHOK", HomeVillage: "Thangpalkot"}
	if name != "" {
		p.Names = []atip.PersonName{{Full: name, Script: "Latn", Kind: "name"}}
	}
	if err := svc.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &atip.Case{IntakeChannel: "interception", IntakeAt: w.db.Now().Add(-time.Hour), IntakeDistrict: district,
		Exploitation: []string{exp}, Complete: true, Summary: "Met at the bus stand with " + name,
		Victims: []atip.CaseVictim{{PersonID: p.ID, TraffickingStatus: "presumed_victim", StatusDecidedBy: "border_unit"}}}
	if err := svc.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	return p, c
}

// Only the owner edits a case; another organisation on the platform sees
// the redacted view of a platform-wide GREEN case (no names, no summary, no
// notes) and nothing of an owner-only one.
func TestCaseOwnerEditsOthersSeeRedacted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewCaseService(db)
		a, b := w.as("A", atip.RoleCaseworker), w.as("B", atip.RoleCaseworker)
		p, c := newVictimCase(t, w, svc, "A", caseVictimName, "IN-BR-SITAMARHI", "sexual_exploitation")
		if c.Ref == "" || !strings.HasPrefix(c.Ref, "CAS-") && !strings.Contains(c.Ref, "-") {
			t.Fatalf("case ref %q", c.Ref)
		}

		// Owner-only: B does not even learn it exists.
		_, err := svc.FindCase(b, c.ID)
		wantCode(t, err, atip.ENOTFOUND)
		c.Stage = "care"
		wantCode(t, svc.UpdateCase(b, c), atip.ENOTFOUND)

		if err := svc.AddNote(a, c.ID, "Her uncle "+caseVictimName+" paid the agent"); err != nil {
			t.Fatal(err)
		}
		if err := svc.UpdateCase(a, c); err != nil {
			t.Fatal(err)
		}
		got, err := svc.FindCase(a, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Access.Full || !got.Access.CanEdit || got.Case.Stage != "care" || got.TLP != atip.TLPAmber ||
			got.VictimName() != caseVictimName || !strings.Contains(got.Case.Summary, "bus stand") {
			t.Fatalf("owner's view: %+v %+v", got.Access, got.Case)
		}
		if !got.Case.Victims[0].ChildAtIntake {
			t.Error("a 15-year-old victim is not marked a child")
		}
		var kinds, notes []string
		for _, e := range got.Timeline {
			kinds = append(kinds, e.Kind)
			if e.Note != "" {
				notes = append(notes, e.Note)
			}
		}
		if strings.Join(kinds, ",") != "intake,note,status" || len(notes) != 1 || !strings.Contains(notes[0], "uncle") {
			t.Fatalf("owner's timeline: %v %q", kinds, notes)
		}

		if err := database.SetMarkingForTest(context.Background(), db, c.ID, atip.DistPlatform, atip.TLPGreen); err != nil {
			t.Fatal(err)
		}
		if err := database.SetMarkingForTest(context.Background(), db, p.ID, atip.DistPlatform, atip.TLPGreen); err != nil {
			t.Fatal(err)
		}
		red, err := svc.FindCase(b, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !red.Access.Redacted || red.Access.CanEdit || red.Case.Summary != "" || red.VictimName() != "" ||
			red.Case.IntakeDistrict != "IN-BR-SITAMARHI" || red.TLP != atip.TLPGreen {
			t.Fatalf("platform member's view: %+v %+v", red.Access, red.Case)
		}
		for _, e := range red.Timeline {
			if e.Note != "" {
				t.Fatalf("platform member reads a note: %+v", e)
			}
		}
		if len(red.People) != 0 || len(red.Case.Victims) != 0 {
			t.Fatalf("platform member sees who the case's people are (operational): %+v", red.Case.Victims)
		}
		wantCode(t, svc.UpdateCase(b, c), atip.EFORBIDDEN)
		wantCode(t, svc.AddNote(b, c.ID, "x"), atip.EFORBIDDEN)

		// The owner's look at protected data is in the audit trail, with ids
		// and classes only; the platform member's redacted look is not.
		entries, _, err := database.NewAuditService(db).FindAuditEntries(w.op, atip.AuditFilter{Action: "case.view"})
		if err != nil {
			t.Fatal(err)
		}
		byOrg := map[string]int{}
		for _, e := range entries {
			byOrg[e.ActorOrgID]++
			if e.RecordID != c.ID || strings.Contains(e.Detail, "Xylophonia") || !strings.Contains(e.Detail, "identity") {
				t.Errorf("audit entry %+v", e)
			}
		}
		if byOrg[w.orgA.ID] == 0 || byOrg[w.orgB.ID] != 0 {
			t.Errorf("case.view entries by organisation: %v", byOrg)
		}
		pv, err := svc.FindPerson(b, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pv.Person.Names) != 0 || pv.Person.HomeVillage != "" || pv.Person.Sex != "female" || !pv.Access.Redacted {
			t.Fatalf("platform member's view of the victim: %+v", pv.Person)
		}
		pv.Person.Names = []atip.PersonName{{Full: "Changed", Kind: "name"}}
		wantCode(t, svc.UpdatePerson(b, pv.Person), atip.EFORBIDDEN)

		// A case cannot name another organisation's person.
		bp := &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "male", AgeYears: -1}
		if err := svc.CreatePerson(b, bp); err != nil {
			t.Fatal(err)
		}
		c2 := &atip.Case{IntakeChannel: "rescue", IntakeAt: db.Now(), IntakeDistrict: "IN-BR-SITAMARHI",
			Victims: []atip.CaseVictim{{PersonID: bp.ID}}}
		wantField(t, svc.CreateCase(a, c2), "victims[0].person_id")

		// An analyst may read but not record cases.
		wantCode(t, svc.CreatePerson(w.as("A", atip.RoleAnalyst), &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: -1}), atip.EFORBIDDEN)
	})
}

// A quick intake sent three times (a phone re-sending after the connection
// dropped) makes one case and one person; the device's key is the owner's
// alone, so another organisation's same key makes its own case.
func TestQuickIntakeResentMakesOneCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewCaseService(db)
		ctx := w.as("A", atip.RoleFirstResponder)
		q := &atip.QuickIntake{ClientKey: "k-0123456789abcdef", Channel: "interception", At: db.Now().Add(-10 * time.Minute),
			District: "IN-BR-SITAMARHI", Point: "Bhitthamore crossing", Sex: "female", AgeYears: 15, Nationality: "NP",
			Name: caseVictimName, Note: "travelling with an unrelated man"}
		first, created, err := svc.QuickIntake(ctx, q)
		if err != nil || !created {
			t.Fatalf("first send: created %v, %v", created, err)
		}
		for range 2 {
			again, created, err := svc.QuickIntake(ctx, q)
			if err != nil || created || again.ID != first.ID {
				t.Fatalf("resend: created %v, id %s (first %s), %v", created, again.ID, first.ID, err)
			}
		}
		list, _, err := svc.FindCases(ctx, atip.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Case.Complete || list[0].Case.Stage != "first_response" {
			t.Fatalf("cases after three sends: %d", len(list))
		}
		cv, err := svc.FindCase(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cv.VictimName() != caseVictimName || !cv.Case.Victims[0].ChildAtIntake || len(cv.Case.Incidents) != 1 ||
			cv.Case.Incidents[0].BorderPoint != "Bhitthamore crossing" {
			t.Fatalf("quick intake case: %+v", cv.Case)
		}
		if _, created, err := svc.QuickIntake(w.as("B", atip.RoleFirstResponder), q); err != nil || !created {
			t.Fatalf("another organisation's intake: created %v, %v", created, err)
		}
		bad := *q
		bad.ClientKey = "short"
		_, _, err = svc.QuickIntake(ctx, &bad)
		wantField(t, err, "client_key")
	})
}

// The list's filters, paging and search: a name search finds a sealed name
// for the owner (and a spelling variant of it) but not for a platform
// member, who finds the case by its reference; the database file holds no
// victim name in clear.
func TestCaseListFiltersAndNameSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		svc := database.NewCaseService(db)
		a, b := w.as("A", atip.RoleCaseworker), w.as("B", atip.RoleCaseworker)
		_, c1 := newVictimCase(t, w, svc, "A", caseVictimName, "IN-BR-SITAMARHI", "sexual_exploitation")
		_, c2 := newVictimCase(t, w, svc, "A", "Rameshwari Quokka", "IN-BR-MUZAFFARPUR", "forced_labour")
		_, c3 := newVictimCase(t, w, svc, "A", "", "IN-BR-SITAMARHI", "domestic_servitude")
		c3.Complete = false
		c3.AssignedTo = []string{w.u["A"][atip.RoleCaseworker].ID}
		c3.Status = "closed"
		c3.ClosedAt = db.Now()
		if err := svc.UpdateCase(a, c3); err != nil {
			t.Fatal(err)
		}
		// Each case is a child's, so the child procedure is on it, its
		// first step due an hour after the intake: done for c1 and c3,
		// c2's stays overdue.
		care := database.NewCareService(db)
		for _, c := range []*atip.Case{c1, c3} {
			if err := care.CompleteStep(w.as("A", atip.RoleSupervisor), c.ID, "in-child-rescue", "separate_from_suspects",
				atip.StepDone{Evidence: "GD entry"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := database.AddStepForTest(context.Background(), db, c2.ID, "cwc_production", db.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := database.AddStepForTest(context.Background(), db, c1.ID, "medical", db.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		ids := func(ctx context.Context, f atip.CaseFilter) string {
			t.Helper()
			list, _, err := svc.FindCases(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, v := range list {
				switch v.Case.ID {
				case c1.ID:
					out = append(out, "c1")
				case c2.ID:
					out = append(out, "c2")
				case c3.ID:
					out = append(out, "c3")
				default:
					out = append(out, "?")
				}
			}
			return strings.Join(out, ",")
		}
		for _, tc := range []struct {
			f    atip.CaseFilter
			want string
		}{
			{atip.CaseFilter{}, "c3,c2,c1"},
			{atip.CaseFilter{District: "IN-BR-SITAMARHI"}, "c3,c1"},
			{atip.CaseFilter{Type: "forced_labour"}, "c2"},
			{atip.CaseFilter{Status: "closed"}, "c3"},
			{atip.CaseFilter{Complete: "no"}, "c3"},
			{atip.CaseFilter{Complete: "yes"}, "c2,c1"},
			{atip.CaseFilter{Mine: true}, "c3"},
			{atip.CaseFilter{Overdue: true}, "c2"},
			{atip.CaseFilter{Stage: "first_response", District: "IN-BR-MUZAFFARPUR"}, "c2"},
			{atip.CaseFilter{Query: "Xylophonia"}, "c1"},
			{atip.CaseFilter{Query: "sunitakumari xylofonia"}, "c1"}, // a spelling variant: same phonetic key
			{atip.CaseFilter{Query: "quokka"}, "c2"},
			{atip.CaseFilter{Query: "muzaffarpur"}, "c2"},
			{atip.CaseFilter{Query: strings.ToLower(c1.Ref)}, "c1"},
			{atip.CaseFilter{Query: "nobody"}, ""},
		} {
			if got := ids(a, tc.f); got != tc.want {
				t.Errorf("owner, filter %+v: %q, want %q", tc.f, got, tc.want)
			}
		}
		// Paging: one at a time, newest first, nothing skipped or repeated.
		var seen []string
		after := ""
		for {
			list, next, err := svc.FindCases(a, atip.CaseFilter{Limit: 1, After: after})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range list {
				seen = append(seen, v.Ref)
			}
			if next == "" {
				break
			}
			after = next
		}
		if len(seen) != 3 || seen[0] != c3.Ref || seen[2] != c1.Ref {
			t.Fatalf("pages: %v", seen)
		}
		wantField(t, func() error { _, _, err := svc.FindCases(a, atip.CaseFilter{Stage: "nonsense"}); return err }(), "stage")

		// B, a platform member: sees nothing of owner-only cases; once the
		// case is platform-wide GREEN, finds it by reference but not by the
		// victim's name.
		if got := ids(b, atip.CaseFilter{}); got != "" {
			t.Fatalf("platform member sees owner-only cases: %q", got)
		}
		for _, id := range []string{c1.ID, c1.Victims[0].PersonID} {
			if err := database.SetMarkingForTest(context.Background(), db, id, atip.DistPlatform, atip.TLPGreen); err != nil {
				t.Fatal(err)
			}
		}
		if got := ids(b, atip.CaseFilter{}); got != "c1" {
			t.Fatalf("platform member's list: %q", got)
		}
		if got := ids(b, atip.CaseFilter{Query: "Xylophonia"}); got != "" {
			t.Fatalf("platform member finds a case by a name it may not see: %q", got)
		}
		if got := ids(b, atip.CaseFilter{Query: strings.ToLower(c1.Ref)}); got != "c1" {
			t.Fatalf("platform member by reference: %q", got)
		}

		if db.Engine() == database.SQLite {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			dumpHasNo(t, db.Target().Path, "Sunitakumari", "Xylophonia", "Quokka", "Thangpalkot", "bus stand", "uncle")
		}
	})
}
