package database_test

import (
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/deconflict"
)

// A recruiter's phone in a tip of organisation A and the same phone on a
// person of organisation B: A's analyst learns that B holds a matching
// record — its reference and marking when the policy shows it to A, only B's
// name otherwise — and never the person's name or the phone from B's side.
func TestTipSelectorsFindPersonsOfOtherOrganisations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ts, err := database.NewTipService(db, "")
		if err != nil {
			t.Fatal(err)
		}
		tip := &atip.Tip{Text: "Hotel job in Dubai for girls, call 98301 23456", Source: atip.TipOfficer}
		if err := ts.CreateTip(w.as("A", atip.RoleAnalyst), tip); err != nil {
			t.Fatal(err)
		}
		cases := database.NewCaseService(db)
		mk := func(name string) *atip.Person {
			p := &atip.Person{Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: "male", AgeYears: -1,
				Names: []atip.PersonName{{Full: name, Script: "Latn", Kind: "name"}}, Phones: []string{"+919830123456"}}
			if err := cases.CreatePerson(w.as("B", atip.RoleCaseworker), p); err != nil {
				t.Fatal(err)
			}
			ref := atip.RecordRef{Type: atip.RecordPerson, ID: p.ID}
			if _, err := database.IndexSelectors(w.as("B", atip.RoleCaseworker), db, ref, w.orgB.ID,
				[]deconflict.Selector{{Kind: deconflict.Phone, Value: "+919830123456"}}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		hidden := mk("Brokerman Qazwsx")

		got, err := ts.SelectorRecords(w.as("A", atip.RoleAnalyst), []string{tip.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Visible || got[0].OrgName != w.orgB.Name || got[0].Record.ID != "" || got[0].Type != "phone" {
			t.Fatalf("matches of an owner-only person: %+v", got)
		}
		if s := strings.Join([]string{got[0].Ref, got[0].Record.ID}, ""); strings.Contains(s, hidden.ID) {
			t.Fatalf("the hidden record's id reached the analyst: %+v", got[0])
		}
		// A record B shares platform-wide (GREEN) shows with its reference.
		shared := &atip.Person{ID: atip.NewID(), Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: "male",
			Names: []atip.PersonName{{Full: "Brokerman Qazwsx", Script: "Latn", Kind: "name"}}}
		sref := atip.RecordRef{Type: atip.RecordPerson, ID: shared.ID}
		if err := database.PutRecord(w.as("B", atip.RoleCaseworker), db, &atip.RecordMeta{Ref: sref, OwnerOrgID: w.orgB.ID,
			Distribution: atip.DistPlatform, TLP: atip.TLPGreen}, shared); err != nil {
			t.Fatal(err)
		}
		if _, err := database.IndexSelectors(w.as("B", atip.RoleCaseworker), db, sref, w.orgB.ID,
			[]deconflict.Selector{{Kind: deconflict.Phone, Value: "098301 23456", Region: "IN"}}); err != nil {
			t.Fatal(err)
		}
		got, err = ts.SelectorRecords(w.as("A", atip.RoleAnalyst), []string{tip.ID})
		if err != nil {
			t.Fatal(err)
		}
		visible := 0
		for _, m := range got {
			if m.Visible {
				visible++
				if m.Record != sref || m.TLP != atip.TLPGreen || !strings.HasPrefix(m.Ref, "PER-") {
					t.Errorf("the shared person: %+v", m)
				}
			}
		}
		if len(got) != 2 || visible != 1 {
			t.Fatalf("matches with one shared and one owner-only person: %+v", got)
		}
		// An interception by B whose companion gave the same number: the
		// match is made when the interception is stored.
		x := newInterception(db, []string{"companion_not_relative"}, 3, 15, atip.DistOwner, atip.TLPAmber)
		x.Companions[0].Phone = "+91 98301 23456"
		if err := database.NewIntakeService(db).CreateInterception(w.as("B", atip.RoleFirstResponder), x); err != nil {
			t.Fatal(err)
		}
		got, err = ts.SelectorRecords(w.as("A", atip.RoleAnalyst), []string{tip.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("matches with two persons and an interception: %+v", got)
		}
		// Organisation C holds nothing: its tip finds nothing, and another
		// organisation's tips are not A's to ask about.
		none, err := ts.SelectorRecords(w.as("B", atip.RoleAnalyst), []string{tip.ID})
		if err != nil || len(none) != 0 {
			t.Fatalf("B asked about A's tip: %+v, %v", none, err)
		}
	})
}
