package database_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// Two processes on one SQLite file (atip serve and an operator's atip user
// create) each have their own writer; BEGIN IMMEDIATE and the busy timeout
// make them take turns.
func TestTwoHandlesOnOneSQLiteFile(t *testing.T) {
	dir := t.TempDir()
	path, key := filepath.Join(dir, "atip.db"), filepath.Join(dir, "audit.key")
	ctx := atip.OperatorContext(context.Background())
	var dbs []*database.DB
	for i := 0; i < 2; i++ {
		db, err := database.Open(ctx, path, database.WithAuditKeyFile(key))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("database file mode %v %v, want 0600: it holds victims' data", st.Mode().Perm(), err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for _, db := range dbs {
		for g := 0; g < 3; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 15; i++ {
					if err := db.Audit(ctx, atip.AuditEntry{Action: "test.view"}); err != nil {
						errs <- err
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	res, err := dbs[0].VerifyAudit(ctx)
	if err != nil || !res.OK() || res.Entries != 2*3*15 {
		t.Fatalf("verify: %+v %v", res, err)
	}
}
