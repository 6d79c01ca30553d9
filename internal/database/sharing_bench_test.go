package database_test

import (
	"context"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// BenchmarkLoadRecordsWithConsents loads a page of 1,000 records with their
// consents: the consent loader adds one query whatever the page size.
func BenchmarkLoadRecordsWithConsents(b *testing.B) {
	db := dbtest.Open(b, database.SQLite)
	op := atip.OperatorContext(context.Background())
	orgA := &atip.Org{Name: "Bench AHTU", Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}
	orgB := &atip.Org{Name: "Bench Shelter", Type: atip.OrgShelterNGO, Jurisdiction: "NP"}
	for _, o := range []*atip.Org{orgA, orgB} {
		if err := database.NewOrgService(db).CreateOrg(op, o); err != nil {
			b.Fatal(err)
		}
	}
	u := &atip.User{OrgID: orgA.ID, Login: "bench-cw", Name: "Bench caseworker", Roles: []atip.Role{atip.RoleCaseworker}}
	if err := database.NewUserService(db).CreateUser(op, u, testPassword); err != nil {
		b.Fatal(err)
	}
	svc := database.NewSharingService(db)
	ctx := atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Org: orgA, Via: atip.ViaWeb})
	ids := make([]string, 1000)
	for i := range ids {
		p := &atip.Person{ID: atip.NewID(), Sex: "female", Names: []atip.PersonName{{Full: "Synthetic Person"}}}
		m := &atip.RecordMeta{Ref: atip.RecordRef{Type: atip.RecordPerson, ID: p.ID}, OwnerOrgID: orgA.ID,
			Distribution: atip.DistOwner, TLP: atip.TLPAmber}
		if err := database.PutRecord(ctx, db, m, p); err != nil {
			b.Fatal(err)
		}
		if err := svc.RecordConsent(ctx, &atip.Consent{Record: m.Ref, Purposes: []atip.Purpose{atip.PurposeCare},
			OrgIDs: []string{orgB.ID}, Method: atip.ConsentWritten, GivenBy: atip.GivenByPerson, GivenAt: time.Now().Add(-time.Hour)}); err != nil {
			b.Fatal(err)
		}
		ids[i] = p.ID
	}
	b.ResetTimer()
	for b.Loop() {
		n, err := database.LoadRecordMetas(ctx, db, ids)
		if err != nil || n != len(ids) {
			b.Fatalf("%d consents, %v", n, err)
		}
	}
}
