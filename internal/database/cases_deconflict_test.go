package database_test

import (
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// Recording a person whose phone another organisation's (hidden) person
// holds tells both organisations that a match exists and whom to ask — and
// not the other record: its id stays out of the match.
func TestPersonPhoneMatchesAnotherOrganisationsPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		cases, sharing := database.NewCaseService(db), database.NewSharingService(db)
		person := func(tag, phone string) *atip.Person {
			p := &atip.Person{Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: "male", AgeYears: 40, AgeAsOf: db.Now(),
				AgeMethod: "officer_estimate", Names: []atip.PersonName{{Full: "Agent " + tag, Script: "Latn", Kind: "name"}},
				Phones: []string{phone}}
			if err := cases.CreatePerson(w.as(tag, atip.RoleCaseworker), p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		pa := person("A", "+9779812349999")
		pb := person("B", "+977 981-2349999") // the same number, written otherwise
		for _, c := range []struct {
			tag        string
			own, other string
			otherOrgID string
		}{{"A", pa.ID, pb.ID, w.orgB.ID}, {"B", pb.ID, pa.ID, w.orgA.ID}} {
			in, err := sharing.Inbox(w.as(c.tag, atip.RoleSupervisor))
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Matches) != 1 || in.Matches[0].Record.ID != c.own || in.Matches[0].OtherOrgID != c.otherOrgID ||
				in.Matches[0].OtherRecord.ID != "" {
				t.Fatalf("%s's matches: %+v", c.tag, in.Matches)
			}
		}
		// Another phone matches nothing.
		person("B", "+9779812340000")
		in, err := sharing.Inbox(w.as("B", atip.RoleSupervisor))
		if err != nil || len(in.Matches) != 1 {
			t.Fatalf("B's matches after an unrelated phone: %d, %v", len(in.Matches), err)
		}
	})
}
