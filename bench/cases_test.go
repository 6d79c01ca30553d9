package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/casegen"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// BenchmarkCaseList measures the case list and search of issue 4 on a
// database of synthetic cases (internal/casegen), loaded through the
// store's own import path (CaseService.ImportCases: registry row, sealed
// JSON, list columns, blind name index) in batches of one transaction each.
// The cases belong to ten organisations; the benchmark lists as a
// supervisor of one of them, so every query runs the policy's scope
// pre-filter over the whole table.
//
// The size is ATIP_BENCH_CASES (default 100,000; the target is
// 1,000,000). Each sub-benchmark reports the p50 and p99 of one list call
// (a page of 50, decided by the policy and decoded) in milliseconds.
//
//	ATIP_BENCH_CASES=1000000 go test -run XXX -bench CaseList -benchtime 200x -timeout 3h ./bench/
func BenchmarkCaseList(b *testing.B) {
	n := 100_000
	if v := os.Getenv("ATIP_BENCH_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			b.Fatalf("ATIP_BENCH_CASES=%q: want a number ≥ 1000", v)
		}
	}
	for _, engine := range dbtest.Engines {
		b.Run(fmt.Sprintf("%s/%d", engine, n), func(b *testing.B) {
			db := dbtest.Open(b, engine)
			ctx, sample := loadCases(b, db, n)
			svc := database.NewCaseService(db)
			// Page 10: keyset paging reaches it from the 9th page's cursor.
			after := ""
			for range 9 {
				_, next, err := svc.FindCases(ctx, atip.CaseFilter{Limit: 50, After: after})
				if err != nil || next == "" {
					b.Fatalf("paging: %v", err)
				}
				after = next
			}
			for _, q := range []struct {
				name string
				f    atip.CaseFilter
			}{
				{"first-page", atip.CaseFilter{}},
				{"page-10", atip.CaseFilter{After: after}},
				{"district", atip.CaseFilter{District: sample.IntakeDistrict}},
				{"type+status", atip.CaseFilter{Type: sample.CaseType(), Status: "open"}},
				{"incomplete", atip.CaseFilter{Complete: "no", Stage: "first_response"}},
				{"mine", atip.CaseFilter{Mine: true}},
				{"search-ref", atip.CaseFilter{Query: strings.ToLower(sample.Ref)}},
				{"search-name", atip.CaseFilter{Query: sampleName(b, svc, ctx, sample.ID)}},
				{"search-place", atip.CaseFilter{Query: strings.ToLower(sample.IntakeDistrict)}},
			} {
				b.Run(q.name, func(b *testing.B) {
					q.f.Limit = 50
					var times []time.Duration
					rows := 0
					for b.Loop() {
						t0 := time.Now()
						list, _, err := svc.FindCases(ctx, q.f)
						times = append(times, time.Since(t0))
						if err != nil {
							b.Fatal(err)
						}
						rows = len(list)
					}
					if rows == 0 {
						b.Fatalf("%s found nothing", q.name)
					}
					slices.Sort(times)
					pct := func(p float64) float64 {
						return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000
					}
					b.ReportMetric(pct(0.5), "p50-ms")
					b.ReportMetric(pct(0.99), "p99-ms")
					b.ReportMetric(float64(rows), "rows")
				})
			}
		})
	}
}

// loadCases imports n synthetic cases for ten organisations and returns the
// context of a supervisor of the first and one of its cases.
func loadCases(b *testing.B, db *database.DB, n int) (context.Context, *atip.Case) {
	b.Helper()
	op := atip.OperatorContext(context.Background())
	orgs, users := database.NewOrgService(db), database.NewUserService(db)
	svc := database.NewCaseService(db)
	var ctxs []context.Context
	var orgIDs, userIDs []string
	for i := range 10 {
		o := &atip.Org{Name: fmt.Sprintf("Bench AHTU %d", i), Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}
		if err := orgs.CreateOrg(op, o); err != nil {
			b.Fatal(err)
		}
		u := &atip.User{OrgID: o.ID, Login: fmt.Sprintf("bench%d", i), Name: "Bench supervisor", Roles: []atip.Role{atip.RoleSupervisor}}
		if err := users.CreateUser(op, u, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
		orgIDs, userIDs = append(orgIDs, o.ID), append(userIDs, u.ID)
		ctxs = append(ctxs, atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Org: o, Via: atip.ViaCLI}))
	}
	const batch = 5000
	start := time.Now()
	var sampleID string
	for k := 0; k*batch < n; k++ {
		size := min(batch, n-k*batch)
		recs := casegen.Chunk(casegen.Options{Seed: 4, OrgIDs: []string{"x"}}, k, size)
		per := make([][]atip.CaseImport, len(orgIDs))
		for i, r := range recs {
			if len(r.Victims) == 0 || len(r.Case.Victims) == 0 {
				continue
			}
			o := i % len(orgIDs)
			c := r.Case
			c.Victims, c.Suspects, c.Witnesses, c.InterceptionID, c.SignalID, c.MissingReportID = nil, nil, nil, "", "", ""
			c.AssignedTo = []string{userIDs[o]}
			per[o] = append(per[o], atip.CaseImport{Line: i + 2, Case: c, Victim: r.Victims[0], Link: r.Case.Victims[0]})
		}
		for o, rows := range per {
			if len(rows) == 0 {
				continue
			}
			if _, err := svc.ImportCases(ctxs[o], rows); err != nil {
				b.Fatalf("import batch %d: %v", k, err)
			}
		}
	}
	b.Logf("loaded %d cases in %s", n, time.Since(start).Round(time.Second))
	list, _, err := svc.FindCases(ctxs[0], atip.CaseFilter{Limit: 1})
	if err != nil || len(list) == 0 {
		b.Fatalf("no case to sample: %v", err)
	}
	sampleID = list[0].Case.ID
	v, err := svc.FindCase(ctxs[0], sampleID)
	if err != nil {
		b.Fatal(err)
	}
	return ctxs[0], v.Case
}

// sampleName is a word of the sample case's victim's name, for the blind
// index search.
func sampleName(b *testing.B, svc *database.CaseService, ctx context.Context, id string) string {
	v, err := svc.FindCase(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	f := strings.Fields(v.VictimName())
	if len(f) == 0 {
		b.Fatal("the sample victim has no name")
	}
	return f[len(f)-1]
}
