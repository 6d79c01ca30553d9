package database_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
)

func TestSQLiteBackupRestores(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "audit.key")
	ctx := context.Background()
	db, err := database.Open(ctx, filepath.Join(dir, "live.db"), database.WithAuditKeyFile(key), database.WithPasswordParams(password.Cheap))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := newWorld(t, db)
	out := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	// Changes after the snapshot are not in it.
	if err := w.orgs.CreateOrg(w.op, &atip.Org{Name: "Later", Type: atip.OrgCWC, Jurisdiction: "IN"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", st.Mode().Perm())
	}
	restored, err := database.Open(ctx, "sqlite:"+out, database.WithAuditKeyFile(key), database.WithoutKeyCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	orgs, _, err := database.NewOrgService(restored).FindOrgs(w.op, atip.OrgFilter{})
	if err != nil || len(orgs) != 2 {
		t.Fatalf("restored orgs: %d %v, want the 2 of the snapshot", len(orgs), err)
	}
	if _, err := database.NewUserService(restored).FindUserByLogin(w.op, "B-auditor"); err != nil {
		t.Fatal(err)
	}
	if res, err := restored.VerifyAudit(ctx); err != nil || !res.OK() || res.Entries != int64(2+2*len(atip.Roles)) {
		t.Fatalf("restored audit: %+v %v", res, err)
	}
}

func TestPostgresBackup(t *testing.T) {
	db := dbtest.Open(t, database.Postgres)
	newWorld(t, db)
	out := filepath.Join(t.TempDir(), "atip.dump")
	err := db.Backup(context.Background(), out)
	if err != nil && os.Getenv("CI") != "true" && isMissingPgDump(err) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Fatalf("dump file: %v", err)
	}
}

func isMissingPgDump(err error) bool { return strings.Contains(err.Error(), "pg_dump not found") }
