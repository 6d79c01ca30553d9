package database_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// Many writers at once: no SQLITE_BUSY, no lost entries, no gaps, and a
// trail that verifies.
func TestConcurrentWritersKeepTheTrailDense(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		const writers, each = 8, 15
		ctx := atip.OperatorContext(context.Background())
		orgs := database.NewOrgService(db)
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					var err error
					if i%3 == 0 {
						err = orgs.CreateOrg(ctx, &atip.Org{Name: fmt.Sprintf("Org %d-%d", w, i), Type: atip.OrgCWC, Jurisdiction: "IN-WB"})
					} else {
						err = db.Audit(ctx, atip.AuditEntry{Action: "test.view", RecordType: "test", RecordID: fmt.Sprint(w, i)})
					}
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		res, err := db.VerifyAudit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() || res.Entries != writers*each || res.Latest != writers*each {
			t.Fatalf("verify: %+v %v", res, res.Problem)
		}
	})
}
