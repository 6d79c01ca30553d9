package database_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"os/exec"
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

	// Restore into a new database, as the backup help says, and check it.
	src, err := url.Parse(os.Getenv("ATIP_TEST_POSTGRES"))
	if err != nil || src.Host == "" {
		src, _ = url.Parse(dbtest.DefaultPostgres)
	}
	live, _ := url.Parse(db.Target().URL)
	schema := live.Query().Get("search_path")
	name := "atip_restore_" + schema[len("atip_test_"):]
	admin, err := sql.Open("pgx", src.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`)
	dst := *src
	dst.Path = "/" + name
	restore := exec.Command("pg_restore", "--no-owner", "--dbname="+dst.String(), out)
	if b, err := restore.CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, b)
	}
	q := dst.Query()
	q.Set("search_path", schema)
	dst.RawQuery = q.Encode()
	ctx := context.Background()
	restored, err := database.Open(ctx, dst.String(), database.WithAuditKeyFile(db.AuditKeyFile()), database.WithoutKeyCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if res, err := restored.VerifyAudit(ctx); err != nil || !res.OK() || res.Entries != int64(2+2*len(atip.Roles)) {
		t.Fatalf("restored audit: %+v %v", res, err)
	}
	if _, err := database.NewUserService(restored).FindUserByLogin(atip.OperatorContext(ctx), "A-analyst"); err != nil {
		t.Fatal(err)
	}
}

func isMissingPgDump(err error) bool { return strings.Contains(err.Error(), "pg_dump not found") }
