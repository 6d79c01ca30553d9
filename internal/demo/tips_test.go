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

// The demo analyst opens a queue with the synthetic tips, best first, and
// the reused recruitment template forms a network.
func TestSeedTipsFillsTheAnalystsQueue(t *testing.T) {
	db := dbtest.Open(t, database.SQLite)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := demo.SeedTips(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	op := atip.OperatorContext(ctx)
	analyst, err := database.NewUserService(db).FindUserByLogin(op, "demo.analyst")
	if err != nil {
		t.Fatal(err)
	}
	actx := atip.NewContextWithActor(ctx, &atip.Actor{User: analyst, Via: atip.ViaWeb})
	ts, err := database.NewTipService(db, "")
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := ts.FindTips(actx, atip.TipFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 7 {
		t.Fatalf("the analyst's queue has %d tips, want the 7 synthetic ones", len(list))
	}
	for _, tip := range list {
		if !strings.HasPrefix(tip.Text, "DEMO (synthetic)") {
			t.Errorf("tip %s does not look synthetic", tip.Ref)
		}
	}
	if list[0].Score < 0.5 || list[len(list)-1].Score >= 0.5 {
		t.Errorf("scores from %v to %v: the recruitment posts should lead and the shop post trail", list[0].Score, list[len(list)-1].Score)
	}
	net, err := ts.TipNetwork(actx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(net.Tips) < 3 {
		t.Errorf("the top tip's network has %d tips, want the linked recruitment posts", len(net.Tips))
	}
}
