package database_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

func TestWriteStampsOneNowAndAppendsAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := atip.OperatorContext(context.Background())
		var now time.Time
		err := db.Write(ctx, func(tx *database.Tx) error {
			now = tx.Now
			for i := 0; i < 3; i++ {
				tx.Audit(atip.AuditEntry{Action: "test.write", RecordType: "test", RecordID: atip.NewID()})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		entries, _, err := database.NewAuditService(db).FindAuditEntries(ctx, atip.AuditFilter{Action: "test."})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 3 {
			t.Fatalf("got %d entries, want 3", len(entries))
		}
		for i, e := range entries {
			if want := int64(2 - i); e.Seq != want {
				t.Errorf("entry %d: seq %d, want %d (newest first, dense)", i, e.Seq, want)
			}
			if !e.At.Equal(now) || e.At.Location() != time.UTC {
				t.Errorf("entry %d: at %v, want the transaction's now %v in UTC", i, e.At, now)
			}
			if e.ActorID != atip.SystemActorID || e.Via != atip.ViaCLI || e.Outcome != "ok" {
				t.Errorf("entry %d: actor %q via %q outcome %q", i, e.ActorID, e.Via, e.Outcome)
			}
		}
		res, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() || res.Entries != 3 || res.Latest != 3 {
			t.Fatalf("verify: %+v %v", res, res.Problem)
		}
	})
}

func TestFailedWriteLeavesNoAuditEntry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := atip.OperatorContext(context.Background())
		err := db.Write(ctx, func(tx *database.Tx) error {
			tx.Audit(atip.AuditEntry{Action: "test.write"})
			return atip.Errorf(atip.EINVALID, "no")
		})
		if atip.ErrorCode(err) != atip.EINVALID {
			t.Fatalf("err = %v", err)
		}
		entries, _, err := database.NewAuditService(db).FindAuditEntries(ctx, atip.AuditFilter{})
		if err != nil || len(entries) != 0 {
			t.Fatalf("entries %d, err %v; want none", len(entries), err)
		}
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			u, key := dbtest.NewURL(t, e)
			ctx := context.Background()
			db, err := database.Open(ctx, u, database.WithAuditKeyFile(key))
			if err != nil {
				t.Fatal(err)
			}
			err = db.Write(ctx, func(tx *database.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, TRUE)`)
				return err
			})
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			_, err = database.Open(ctx, u, database.WithAuditKeyFile(key))
			if err == nil || !strings.Contains(err.Error(), "newer atip") {
				t.Fatalf("open on a newer schema: err = %v, want a refusal naming a newer atip", err)
			}
		})
	}
}

func TestMigrationStatus(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		st, err := db.MigrationStatus(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 {
			t.Fatal("no migrations")
		}
		for _, s := range st {
			if !s.Applied {
				t.Errorf("migration %d %s not applied after Open", s.Version, s.Name)
			}
		}
	})
}

func TestAuditInReadTransactionIsAnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		err := db.Read(context.Background(), func(tx *database.Tx) error {
			tx.Audit(atip.AuditEntry{Action: "person.view"})
			return nil
		})
		if err == nil {
			t.Fatal("an audit entry in a read transaction was dropped without an error")
		}
	})
}
