package demo_test

import (
	"context"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/demo"
)

// The demo responder sees the synthetic interceptions waiting for a second
// person, one prompting to open a case; seeding twice adds nothing.
func TestSeedIntake(t *testing.T) {
	db := dbtest.Open(t, database.SQLite)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := demo.SeedIntake(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	op := atip.OperatorContext(ctx)
	u, err := database.NewUserService(db).FindUserByLogin(op, "demo.responder")
	if err != nil {
		t.Fatal(err)
	}
	o, err := database.NewOrgService(db).FindOrgByID(op, u.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	actx := atip.NewContextWithActor(ctx, &atip.Actor{User: u, Org: o, Via: atip.ViaWeb})
	svc := database.NewIntakeService(db)
	xs, _, err := svc.Interceptions(actx, atip.InterceptionFilter{Unverified: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) != 2 || xs[1].Prompted != true || xs[0].Prompted {
		t.Fatalf("demo interceptions: %d", len(xs))
	}
	ms, _, err := svc.MissingReports(actx, atip.MissingFilter{Status: atip.MissingOpen})
	if err != nil || len(ms) != 1 {
		t.Fatalf("the platform-wide missing report: %v, %d", err, len(ms))
	}
}
