package database_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// BenchmarkAuditAppend measures one write transaction that appends one
// audit entry (Merkle hashes and a signed checkpoint included).
func BenchmarkAuditAppend(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			db := dbtest.Open(b, e)
			ctx := atip.OperatorContext(context.Background())
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if err := db.Audit(ctx, atip.AuditEntry{Action: "bench.view", RecordType: "person", RecordID: fmt.Sprint(i)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAuditVerify measures `atip audit verify` per entry on a trail of
// 5,000 entries appended in batches of 50.
func BenchmarkAuditVerify(b *testing.B) {
	db := dbtest.Open(b, database.SQLite)
	ctx := atip.OperatorContext(context.Background())
	const n = 5000
	for i := 0; i < n/50; i++ {
		err := db.Write(ctx, func(tx *database.Tx) error {
			for j := 0; j < 50; j++ {
				tx.Audit(atip.AuditEntry{Action: "bench.view", RecordType: "person", RecordID: fmt.Sprint(i, j)})
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := db.VerifyAudit(ctx)
		if err != nil || !res.OK() {
			b.Fatal(err, res)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/entry")
}

// BenchmarkAuthenticateToken measures what every JSON API request costs
// before its handler runs, from parallel clients.
func BenchmarkAuthenticateToken(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			db := dbtest.Open(b, e)
			op := atip.OperatorContext(context.Background())
			org := &atip.Org{Name: "Bench Org", Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}
			if err := database.NewOrgService(db).CreateOrg(op, org); err != nil {
				b.Fatal(err)
			}
			u := &atip.User{OrgID: org.ID, Login: "token.user", Name: "Bench", Roles: []atip.Role{atip.RoleAnalyst}}
			if err := database.NewUserService(db).CreateUser(op, u, "benchmark password"); err != nil {
				b.Fatal(err)
			}
			tokens := database.NewTokenService(db)
			ctx := atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Via: atip.ViaAPI})
			secret, _, err := tokens.CreateToken(ctx, "bench", []string{"read"}, time.Now().Add(time.Hour))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, err := tokens.AuthenticateToken(context.Background(), secret); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
