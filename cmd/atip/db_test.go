package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// cli runs atip in-process against one database.
type cli struct {
	t       *testing.T
	db, key string
}

func newCLI(t *testing.T, e database.Engine) *cli {
	u, key := dbtest.NewURL(t, e)
	return &cli{t: t, db: u, key: key}
}

// run runs atip with args, stdin as standard input, and ATIP_DB and
// ATIP_AUDIT_KEY_FILE set to the test's database.
func (c *cli) run(stdin string, args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string {
		switch k {
		case "ATIP_DB":
			return c.db
		case "ATIP_AUDIT_KEY_FILE":
			return c.key
		}
		return ""
	}}
	code = runMain(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func (c *cli) ok(stdin string, args ...string) string {
	c.t.Helper()
	code, out, errs := c.run(stdin, args...)
	if code != 0 {
		c.t.Fatalf("atip %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func TestOpenDBDefaults(t *testing.T) {
	dir := t.TempDir()
	env := &cmdEnv{getenv: func(k string) string {
		if k == "ATIP_DB" {
			return "sqlite:" + dir + "/x.db"
		}
		return ""
	}}
	db, err := openDB(context.Background(), env, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Target().Path != dir+"/x.db" || db.AuditKeyFile() != dir+"/x.db.auditkey" {
		t.Fatalf("opened %q with key %q", db.Target().Path, db.AuditKeyFile())
	}
}

func TestMigrateCommand(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			c := newCLI(t, e)
			if out := c.ok("", "migrate", "status"); !strings.Contains(out, "pending") {
				t.Fatalf("status on a new database: %q", out)
			}
			if out := c.ok("", "migrate"); !strings.Contains(out, "applied migration 00001") {
				t.Fatalf("migrate: %q", out)
			}
			if out := c.ok("", "migrate", "up"); !strings.Contains(out, "up to date") {
				t.Fatalf("second migrate: %q", out)
			}
			if code, _, _ := c.run("", "migrate", "sideways"); code != 2 {
				t.Fatalf("bad action exit %d, want 2", code)
			}
		})
	}
}

func TestOpenDBRefusesABadMasterKey(t *testing.T) {
	dir := t.TempDir()
	env := &cmdEnv{getenv: func(k string) string {
		switch k {
		case "ATIP_DB":
			return dir + "/x.db"
		case "ATIP_MASTER_KEY":
			return "not a key"
		}
		return ""
	}}
	if db, err := openDB(context.Background(), env, ""); err == nil {
		db.Close()
		t.Fatal("a malformed ATIP_MASTER_KEY was accepted")
	}
}
