package demo_test

import (
	"context"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/demo"
)

// The demo organisations that record cases open a list of synthetic cases,
// whose people carry clearly synthetic names; seeding twice adds none.
func TestSeedCasesFillsTheCaseLists(t *testing.T) {
	db := dbtest.Open(t, database.SQLite)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := demo.SeedCases(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	op := atip.OperatorContext(ctx)
	svc := database.NewCaseService(db)
	u, err := database.NewUserService(db).FindUserByLogin(op, "demo.supervisor")
	if err != nil {
		t.Fatal(err)
	}
	o, err := database.NewOrgService(db).FindOrgByID(op, u.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	uctx := atip.NewContextWithActor(ctx, &atip.Actor{User: u, Org: o, Via: atip.ViaWeb})
	list, _, err := svc.FindCases(uctx, atip.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != demo.CasesPerOrg {
		t.Fatalf("the AHTU's case list: %d cases, want %d", len(list), demo.CasesPerOrg)
	}
	mine, _, err := svc.FindCases(uctx, atip.CaseFilter{Mine: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) == 0 {
		t.Error("no demo case is assigned to the demo supervisor")
	}
	v, err := svc.FindCase(uctx, list[0].Case.ID)
	if err != nil {
		t.Fatal(err)
	}
	name := v.VictimName()
	if !strings.HasPrefix(name, demo.Prefix) {
		t.Errorf("demo victim's name %q does not look synthetic", name)
	}
	all, _, err := svc.FindCases(op, atip.CaseFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5*demo.CasesPerOrg {
		t.Errorf("demo cases in all: %d", len(all))
	}
}
