package database_test

import (
	"context"
	"fmt"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// BenchmarkTipNetwork measures the network page's query: one tip's network
// computed on demand in an organisation holding 2,000 tips, of which groups
// of 20 share a Telegram channel and every tenth repeats one template.
// BenchmarkTipIntake measures one public tip: validation, scoring, selector
// extraction and the audited insert.
func BenchmarkTipNetwork(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			db := dbtest.Open(b, e)
			op := atip.OperatorContext(context.Background())
			org := &atip.Org{Name: "Bench Desk", Type: atip.OrgPolice, Jurisdiction: "IN"}
			if err := database.NewOrgService(db).CreateOrg(op, org); err != nil {
				b.Fatal(err)
			}
			ts, err := database.NewTipService(db, org.ID)
			if err != nil {
				b.Fatal(err)
			}
			var batch []*atip.Tip
			for i := range 2000 {
				text := fmt.Sprintf("post %d about market prices in district %d, join t.me/bench_channel_%d", i, i%37, i/20)
				if i%10 == 0 {
					text = fmt.Sprintf("Urgent girls only hotel job in Dubai free visa salary 80000 no experience needed join today ref %d", i)
				}
				batch = append(batch, &atip.Tip{OrgID: org.ID, Source: atip.TipImport, Text: text})
			}
			if err := ts.ImportTips(op, batch); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var members int
			for b.Loop() {
				n, err := ts.TipNetwork(op, batch[0].ID)
				if err != nil {
					b.Fatal(err)
				}
				members = len(n.Tips)
			}
			b.ReportMetric(float64(members), "members")
		})
	}
}

func BenchmarkTipIntake(b *testing.B) {
	db := dbtest.Open(b, database.SQLite)
	op := atip.OperatorContext(context.Background())
	org := &atip.Org{Name: "Bench Desk", Type: atip.OrgPolice, Jurisdiction: "IN"}
	if err := database.NewOrgService(db).CreateOrg(op, org); err != nil {
		b.Fatal(err)
	}
	ts, err := database.NewTipService(db, org.ID)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := ts.SubmitPublicTip(context.Background(), &atip.Tip{Text: fmt.Sprintf("Girls only, hotel job in Dubai, free visa, call 98301 %05d", i)}); err != nil {
			b.Fatal(err)
		}
	}
}
