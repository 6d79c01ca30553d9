package database_test

import (
	"context"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// listWorld is 1,000 cases of mixed owners and markings, as organisation B
// sees them: a quarter its own, and of organisation A's the owner-only
// (hidden from B), group AMBER (B is a member) and platform GREEN ones.
type listWorld struct {
	db     *database.DB
	viewer context.Context // B's supervisor
	want   int             // cases B sees
}

func newListWorld(tb testing.TB, db *database.DB, n int) *listWorld {
	tb.Helper()
	op := atip.OperatorContext(context.Background())
	orgs, users := database.NewOrgService(db), database.NewUserService(db)
	ctxs := map[string]context.Context{}
	for _, tag := range []string{"A", "B"} {
		o := &atip.Org{Name: "List bench " + tag, Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}
		if err := orgs.CreateOrg(op, o); err != nil {
			tb.Fatal(err)
		}
		for _, r := range []atip.Role{atip.RoleCaseworker, atip.RoleSupervisor, atip.RoleOrgAdmin} {
			u := &atip.User{OrgID: o.ID, Login: tag + "-" + string(r), Name: "Bench " + string(r), Roles: []atip.Role{r}}
			if err := users.CreateUser(op, u, testPassword); err != nil {
				tb.Fatal(err)
			}
			ctxs[tag+string(r)] = atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Org: o, Via: atip.ViaWeb})
		}
	}
	groups := database.NewGroupService(db)
	g := &atip.SharingGroup{Name: "Bench group", Purpose: "Benchmark", Agreement: "Synthetic records only.", ExpiresAt: db.Now().Add(30 * 24 * time.Hour)}
	if err := groups.CreateGroup(ctxs["A"+string(atip.RoleOrgAdmin)], g); err != nil {
		tb.Fatal(err)
	}
	if _, err := groups.InviteOrgs(ctxs["A"+string(atip.RoleOrgAdmin)], g.ID, []string{mustActor(tb, ctxs["B"+string(atip.RoleOrgAdmin)]).Org.ID}); err != nil {
		tb.Fatal(err)
	}
	if _, err := groups.AnswerGroup(ctxs["B"+string(atip.RoleOrgAdmin)], g.ID, atip.MemberAccepted); err != nil {
		tb.Fatal(err)
	}
	cases, sharing := database.NewCaseService(db), database.NewSharingService(db)
	w := &listWorld{db: db, viewer: ctxs["B"+string(atip.RoleSupervisor)]}
	markings := []atip.MarkingChange{
		{Distribution: atip.DistOwner, TLP: atip.TLPAmber},
		{Distribution: atip.DistGroups, TLP: atip.TLPAmber, GroupIDs: []string{g.ID}},
		{Distribution: atip.DistPlatform, TLP: atip.TLPGreen},
	}
	for i := range n {
		owner := "A"
		if i%4 == 3 {
			owner = "B"
		}
		c := &atip.Case{IntakeChannel: "interception", IntakeAt: db.Now().Add(-time.Duration(i+1) * time.Minute), IntakeDistrict: "IN-BR-SITAMARHI",
			Exploitation: []string{"sexual_exploitation"}, Summary: "Synthetic benchmark case"}
		if err := cases.CreateCase(ctxs[owner+string(atip.RoleCaseworker)], c); err != nil {
			tb.Fatal(err)
		}
		if owner == "B" {
			w.want++
			continue
		}
		m := markings[i%4]
		if m.Distribution != atip.DistOwner {
			w.want++
			if err := sharing.SetMarking(ctxs["A"+string(atip.RoleSupervisor)], c.ID, m); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return w
}

func mustActor(tb testing.TB, ctx context.Context) *atip.Actor {
	a := atip.ActorFromContext(ctx)
	if a == nil {
		tb.Fatal("no actor")
	}
	return a
}

// list lists every case the viewer sees in one page, and returns how many
// and the statements it took.
func (w *listWorld) list(tb testing.TB) (int, int64) {
	tb.Helper()
	before := w.db.Statements()
	page, _, err := database.NewCaseService(w.db).FindCases(w.viewer, atip.CaseFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	return len(page), w.db.Statements() - before
}

// The policy costs no statement per record: listing 1,000 cases of mixed
// owners and markings takes a handful of statements, the same as listing 40.
func TestCaseListStatementsDoNotGrowWithRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 records")
	}
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newListWorld(t, db, 40)
		got, small := w.list(t)
		if got != w.want {
			t.Fatalf("40 records: the viewer sees %d, want %d", got, w.want)
		}
		w2 := newListWorld(t, dbtest.Open(t, db.Target().Engine), 1000)
		start := time.Now()
		got, large := w2.list(t)
		took := time.Since(start)
		if got != w2.want {
			t.Fatalf("1,000 records: the viewer sees %d, want %d", got, w2.want)
		}
		t.Logf("%s: a page of %d visible cases out of 1,000: %d statements in %s (a page of %d out of 40: %d statements)",
			db.Target().Engine, got, large, took.Round(time.Millisecond), w.want, small)
		if large > small+5 || large > 40 {
			t.Errorf("listing 1,000 records takes %d statements, 40 take %d: the cost grows with the records", large, small)
		}
	})
}

// BenchmarkCaseList1000 lists a page of the 750 cases (of 1,000) a viewer
// sees, through the store, the policy and the redaction.
func BenchmarkCaseList1000(b *testing.B) {
	w := newListWorld(b, dbtest.Open(b, database.SQLite), 1000)
	var stmts int64
	for b.Loop() {
		_, s := w.list(b)
		stmts = s
	}
	b.ReportMetric(float64(stmts), "statements/op")
}
