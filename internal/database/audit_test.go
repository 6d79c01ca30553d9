package database_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// logOf writes n audit entries, each in its own transaction (so there is a
// signed checkpoint after every entry).
func logOf(t *testing.T, db *database.DB, n int) {
	t.Helper()
	ctx := atip.OperatorContext(context.Background())
	for i := 0; i < n; i++ {
		err := db.Write(ctx, func(tx *database.Tx) error {
			tx.Audit(atip.AuditEntry{Action: "test.write", RecordType: "test", RecordID: fmt.Sprintf("r%d", i), Detail: fmt.Sprintf("entry %d", i)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// tamper runs SQL as someone with the database in hand: the append-only
// triggers are dropped first.
func tamper(t *testing.T, db *database.DB, stmts ...string) {
	t.Helper()
	drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`,
		`DROP TRIGGER audit_hashes_no_update`, `DROP TRIGGER audit_hashes_no_delete`}
	if db.Engine() == database.Postgres {
		drop = []string{`DROP TRIGGER audit_log_append_only ON audit_log`, `DROP TRIGGER audit_hashes_append_only ON audit_hashes`}
	}
	ctx := context.Background()
	err := db.Write(ctx, func(tx *database.Tx) error {
		for _, s := range append(drop, stmts...) {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

const copyRow = `INSERT INTO audit_log (seq, at, actor_id, actor_org_id, via, remote_addr, action, record_type, record_id, outcome, detail, break_glass)
	SELECT %d, at, actor_id, actor_org_id, via, remote_addr, action, record_type, 'forged', outcome, detail, break_glass FROM audit_log WHERE seq = 0`

func TestAuditVerifyNamesFirstTamperedEntry(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sql   []string
		seq   int64
		kind  string
		words string
	}{
		{"edit", []string{`UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 4`}, 4, "edited", "entry 4 was edited"},
		{"edit time", []string{`UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 2`}, 2, "edited", "entry 2"},
		{"delete", []string{`DELETE FROM audit_log WHERE seq = 4`}, 4, "deleted", "entry 4 was deleted"},
		{"delete last", []string{`DELETE FROM audit_log WHERE seq = 9`}, 9, "deleted", "entries 9 to 9 were deleted"},
		{"delete and renumber", []string{`DELETE FROM audit_log WHERE seq = 4`,
			`UPDATE audit_log SET seq = seq + 1000 WHERE seq > 4`, `UPDATE audit_log SET seq = seq - 1001 WHERE seq > 1000`}, 4, "deleted", "renumbered"},
		{"append", []string{fmt.Sprintf(copyRow, 10)}, 10, "inserted", "entry 10 was inserted"},
		{"insert and renumber", []string{`UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 4`, `UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000`,
			fmt.Sprintf(copyRow, 4)}, 4, "inserted", "inserted at 4"},
		{"reorder", []string{`UPDATE audit_log SET seq = -1 WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = 6`,
			`UPDATE audit_log SET seq = 6 WHERE seq = -1`}, 3, "reordered", "entries 3 and 6 were reordered"},
		{"edit with its hashes", []string{`UPDATE audit_log SET detail = 'x' WHERE seq = 5`,
			`DELETE FROM audit_hashes`}, 0, "", ""}, // filled below: stored hashes rebuilt by the attacker
		{"checkpoints deleted", []string{`DELETE FROM audit_checkpoints WHERE size > 6`}, 6, "checkpoint", "entries 6 to 9 are not covered"},
		{"forged checkpoint", []string{`UPDATE audit_checkpoints SET signed = replace(signed, 'atip audit log v1', 'atip audit log v2')`},
			-1, "checkpoint", "forged"},
	} {
		for _, e := range dbtest.Engines {
			t.Run(tc.name+"/"+string(e), func(t *testing.T) {
				t.Parallel() // independent databases; PostgreSQL's commits wait on disk
				tc := tc     // each engine's subtest fills in its own copy below
				db := dbtest.Open(t, e)
				logOf(t, db, 10)
				ctx := context.Background()
				if res, err := db.VerifyAudit(ctx); err != nil || !res.OK() || res.Entries != 10 || res.Checkpoints != 10 {
					t.Fatalf("before tampering: %+v %v", res, err)
				}
				if tc.name == "edit with its hashes" {
					rewriteWithHashes(t, db, 5)
					tc.seq, tc.kind, tc.words = 5, "rewritten", "entry 5 was edited together with its stored hashes"
				} else {
					tamper(t, db, tc.sql...)
				}
				res, err := db.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if res.OK() {
					t.Fatal("verify passed a tampered log")
				}
				p := res.Problem
				if p.Seq != tc.seq || p.Kind != tc.kind || !strings.Contains(p.Message, tc.words) {
					t.Fatalf("problem %+v, want seq %d kind %s message with %q", p, tc.seq, tc.kind, tc.words)
				}
			})
		}
	}
}

// rewriteWithHashes edits entry seq and recomputes every stored hash as a
// knowledgeable attacker would; only the signed checkpoints give it away.
func rewriteWithHashes(t *testing.T, db *database.DB, seq int) {
	t.Helper()
	ctx := context.Background()
	// Read the log, change the entry, and rebuild the tree's stored hashes
	// with the same code atip uses.
	var entries []*atip.AuditEntry
	for before := int64(0); ; {
		page, next, err := database.NewAuditService(db).FindAuditEntries(atip.OperatorContext(ctx), atip.AuditFilter{Before: before, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, page...)
		if next == 0 {
			break
		}
		before = next
	}
	stmts := []string{fmt.Sprintf(`UPDATE audit_log SET detail = 'rewritten' WHERE seq = %d`, seq), `DELETE FROM audit_hashes`}
	for i := range entries {
		e := entries[len(entries)-1-i] // oldest first
		if e.Seq == int64(seq) {
			e.Detail = "rewritten"
		}
		for idx, h := range database.StoredHashesFor(t, e, i) {
			lit := fmt.Sprintf("x'%x'", h[:])
			if db.Engine() == database.Postgres {
				lit = fmt.Sprintf(`'\x%x'::bytea`, h[:])
			}
			stmts = append(stmts, fmt.Sprintf(`INSERT INTO audit_hashes (idx, hash) VALUES (%d, %s)`, idx, lit))
		}
	}
	tamper(t, db, stmts...)
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		logOf(t, db, 2)
		ctx := context.Background()
		for _, s := range []string{`UPDATE audit_log SET detail = 'x'`, `DELETE FROM audit_log`, `DELETE FROM audit_hashes`} {
			err := db.Write(ctx, func(tx *database.Tx) error {
				_, err := tx.ExecContext(ctx, s)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", s, err)
			}
		}
	})
}

func TestAuditFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		audit := database.NewAuditService(db)
		_, _, err := audit.FindAuditEntries(w.as("A", atip.RoleOrgAdmin), atip.AuditFilter{})
		wantCode(t, err, atip.EFORBIDDEN)
		_, _, err = audit.FindAuditEntries(context.Background(), atip.AuditFilter{})
		wantCode(t, err, atip.EUNAUTHORIZED)
		auditor := w.as("B", atip.RoleAuditor)
		for _, tc := range []struct {
			f    atip.AuditFilter
			want int
		}{
			{atip.AuditFilter{Action: "org.create"}, 2},
			{atip.AuditFilter{Action: "user."}, 2 * len(atip.Roles)},
			{atip.AuditFilter{Action: "user%"}, 0},
			{atip.AuditFilter{RecordType: "org", RecordID: w.orgB.ID}, 1},
			{atip.AuditFilter{ActorID: atip.SystemActorID, Limit: 1000}, 2 + 2*len(atip.Roles)},
			{atip.AuditFilter{Since: t0}, 2 + 2*len(atip.Roles)},
			{atip.AuditFilter{Until: t0}, 0},
		} {
			got, _, err := audit.FindAuditEntries(auditor, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.want {
				t.Errorf("filter %+v: %d entries, want %d", tc.f, len(got), tc.want)
			}
		}
	})
}
