package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atip/internal/database"
	"atip/internal/database/dbtest"
)

func TestAuditVerifyCommand(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			c := newCLI(t, e)
			c.ok("", "org", "create", "--name", "Demo AHTU Sitamarhi", "--type", "ahtu", "--jurisdiction", "IN-BR-SITAMARHI")
			c.ok("", "org", "create", "--name", "Demo Shelter Siliguri", "--type", "shelter_ngo", "--jurisdiction", "IN-WB-DARJEELING")
			c.ok("", "org", "create", "--name", "Demo CWC Kolkata", "--type", "cwc", "--jurisdiction", "IN-WB-KOLKATA")
			if out := c.ok("", "audit", "verify"); !strings.Contains(out, "intact: 3 entries") {
				t.Fatalf("verify: %q", out)
			}

			// Export, as CSV and JSON lines; the export is itself audited.
			csv := c.ok("", "audit", "export", "--action", "org.")
			if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[0], "seq,at,actor_id") {
				t.Fatalf("csv export: %q", csv)
			}
			jl := c.ok("", "audit", "export", "--format", "jsonl", "--since", "2000-01-01")
			var first map[string]any
			if err := json.Unmarshal([]byte(strings.SplitN(jl, "\n", 2)[0]), &first); err != nil || first["action"] != "org.create" {
				t.Fatalf("jsonl export: %q %v", jl, err)
			}
			if code, _, _ := c.run("", "audit", "export", "--since", "yesterday"); code != 2 {
				t.Fatal("a bad --since was accepted")
			}

			cpFile := filepath.Join(t.TempDir(), "checkpoint")
			os.WriteFile(cpFile, []byte(c.ok("", "audit", "checkpoint")), 0o600)

			// Someone with the database deletes the newest entries and their
			// checkpoints: only the checkpoint kept outside catches it.
			db := openForTamper(t, c)
			tamperSQL(t, db, `DELETE FROM audit_log WHERE seq >= 3`, `DELETE FROM audit_checkpoints WHERE size > 3`)
			db.Close()
			c.ok("", "audit", "verify")
			code, _, errs := c.run("", "audit", "verify", "--checkpoint", cpFile)
			if code != 1 || !strings.Contains(errs, "entries 3 to 4 were deleted") {
				t.Fatalf("verify with an outside checkpoint: exit %d %q", code, errs)
			}

			db = openForTamper(t, c)
			tamperSQL(t, db, `UPDATE audit_log SET record_id = 'elsewhere' WHERE seq = 1`)
			db.Close()
			code, _, errs = c.run("", "audit", "verify")
			if code != 1 || !strings.Contains(errs, "entry 1 was edited") {
				t.Fatalf("verify after an edit: exit %d %q", code, errs)
			}
			// A missing key is an error, not a fresh key.
			os.Rename(c.key, c.key+".moved")
			code, _, errs = c.run("", "audit", "verify")
			if code != 1 || !strings.Contains(errs, "audit key") {
				t.Fatalf("verify without the key: exit %d %q", code, errs)
			}
			if _, err := os.Stat(c.key); err == nil {
				t.Fatal("verify created a new audit key")
			}
		})
	}
}

func openForTamper(t *testing.T, c *cli) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), c.db, database.WithAuditKeyFile(c.key))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func tamperSQL(t *testing.T, db *database.DB, stmts ...string) {
	t.Helper()
	drop := []string{`DROP TRIGGER IF EXISTS audit_log_no_update`, `DROP TRIGGER IF EXISTS audit_log_no_delete`}
	if db.Engine() == database.Postgres {
		drop = []string{`DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log`}
	}
	ctx := context.Background()
	err := db.Write(ctx, func(tx *database.Tx) error {
		for _, s := range append(drop, stmts...) {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBackupCommand(t *testing.T) {
	c := newCLI(t, database.SQLite)
	c.ok("", "org", "create", "--name", "Demo CWC Kolkata", "--type", "cwc", "--jurisdiction", "IN-WB-KOLKATA")
	out := filepath.Join(t.TempDir(), "snap.db")
	if code, _, _ := c.run("", "backup"); code != 2 {
		t.Fatal("backup without --out was accepted")
	}
	c.ok("", "backup", "--out", out)
	restored := &cli{t: t, db: out, key: c.key}
	if list := restored.ok("", "org", "list"); !strings.Contains(list, "Demo CWC Kolkata") {
		t.Fatalf("restored org list: %q", list)
	}
	restored.ok("", "audit", "verify")
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-03-01", "2026-03-01T10:00:00+05:30", "", "yesterday", "2026-13-40"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := parseTime("since", s)
		if err == nil && s != "" && tm.Location().String() != "UTC" {
			t.Fatalf("%q parsed to a non-UTC time", s)
		}
	})
}
