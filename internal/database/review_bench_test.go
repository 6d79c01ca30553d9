package database_test

import (
	"fmt"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// BenchmarkReviewMatchOnCreate is the cost the matcher adds to storing a
// person: a register of 1,000 victims with a few common given and family
// names (the worst case for the blind-index candidates), then one more.
//
//	go test ./internal/database/ -run XXX -bench ReviewMatch -benchtime 20x
func BenchmarkReviewMatchOnCreate(b *testing.B) {
	given := []string{"Puja", "Rina", "Sunita", "Anita", "Priya", "Rekha", "Sita", "Gita", "Maya", "Kiran"}
	family := []string{"Kumari", "Devi", "Tamang", "Khatun", "Sah"}
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			db := dbtest.Open(b, e)
			w := newWorld(&testing.T{}, db) // its helpers only call Fatalf on a failed fixture
			ctx := w.as("B", atip.RoleCaseworker)
			cases := database.NewCaseService(db)
			person := func(i int) *atip.Person {
				return &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: 10 + i%20, AgeAsOf: db.Now(),
					AgeMethod: "officer_estimate", HomeDistrict: "IN-BR-SITAMARHI",
					Names: []atip.PersonName{{Full: fmt.Sprintf("%s %s", given[i%len(given)], family[(i/len(given))%len(family)]), Script: "Latn", Kind: "name"}}}
			}
			for i := range 1000 {
				if err := cases.CreatePerson(ctx, person(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if err := cases.CreatePerson(ctx, person(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
