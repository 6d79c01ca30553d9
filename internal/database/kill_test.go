package database_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
)

const killBatch = 25

// TestKillDuringBulkWrite starts a process that imports users in batches,
// each batch one transaction with an audit entry per user, kills it with
// SIGKILL in the middle, and checks that the database is consistent: whole
// batches only, every user with its audit entry, and a trail that verifies.
func TestKillDuringBulkWrite(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			u, key := dbtest.NewURL(t, e)
			// Several rounds, each killed at another moment of a batch.
			for round, delay := range []time.Duration{0, 3 * time.Millisecond, 11 * time.Millisecond} {
				killChildMidWrite(t, u, key, delay)
				checkAfterKill(t, e, u, key, (round+1)*6*killBatch)
			}
		})
	}
}

// killChildMidWrite starts the importing child, waits for six more batches
// to commit, and SIGKILLs it delay later, while it writes the next.
func killChildMidWrite(t *testing.T, u, key string, delay time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ATIP_KILL_CHILD_DB="+u, "ATIP_KILL_CHILD_KEY="+key)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	batches := 0
	for batches < 6 && sc.Scan() {
		if strings.HasPrefix(sc.Text(), "batch ") {
			batches++
		}
	}
	time.Sleep(delay)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if batches < 6 {
		t.Fatalf("the child committed only %d batches", batches)
	}
}

// checkAfterKill reopens the database and checks it is consistent: whole
// batches only, every user with its audit entry, and a trail that verifies.
func checkAfterKill(t *testing.T, e database.Engine, u, key string, minUsers int) {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, u, database.WithAuditKeyFile(key), database.WithoutKeyCreation())
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	if e == database.SQLite {
		var ok string
		if err := db.ReadDB().QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("integrity_check: %q %v", ok, err)
		}
		rows, _ := db.ReadDB().Query(`PRAGMA foreign_key_check`)
		if rows.Next() {
			t.Fatal("foreign key violations after the kill")
		}
		rows.Close()
	}
	var users, created int
	db.ReadDB().QueryRow(`SELECT COUNT(*) FROM users`).Scan(&users)
	db.ReadDB().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'user.create'`).Scan(&created)
	if users < minUsers || users%killBatch != 0 || users != created {
		t.Fatalf("%d users and %d user.create entries: want whole batches of %d, one entry each", users, created, killBatch)
	}
	res, err := db.VerifyAudit(ctx)
	if err != nil || !res.OK() {
		t.Fatalf("verify after kill: %+v %v", res, err)
	}
	t.Logf("killed after %d users; trail of %d entries verifies", users, res.Entries)
}

// TestKillChild is the process TestKillDuringBulkWrite kills.
func TestKillChild(t *testing.T) {
	u := os.Getenv("ATIP_KILL_CHILD_DB")
	if u == "" {
		t.Skip("runs only as the child of TestKillDuringBulkWrite")
	}
	ctx := atip.OperatorContext(context.Background())
	db, err := database.Open(ctx, u, database.WithAuditKeyFile(os.Getenv("ATIP_KILL_CHILD_KEY")), database.WithPasswordParams(password.Cheap))
	if err != nil {
		t.Fatal(err)
	}
	orgs := database.NewOrgService(db)
	org := &atip.Org{Name: "Demo Import Target", Type: atip.OrgShelterNGO, Jurisdiction: "IN-WB"}
	if found, _, err := orgs.FindOrgs(ctx, atip.OrgFilter{Query: org.Name}); err != nil {
		t.Fatal(err)
	} else if len(found) > 0 {
		org = found[0]
	} else if err := orgs.CreateOrg(ctx, org); err != nil {
		t.Fatal(err)
	}
	run := atip.NewID()[24:] // logins unique across the rounds
	hash := password.Hash("imported users' password", password.Cheap)
	for b := 0; ; b++ {
		err := db.Write(ctx, func(tx *database.Tx) error {
			for i := 0; i < killBatch; i++ {
				id := atip.NewID()
				login := fmt.Sprintf("import-%s-%d-%d", run, b, i)
				if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, org_id, login, login_key, name, name_key, roles, lang,
					password_hash, password_changed_at, created_at, created_by, updated_at, updated_by)
					VALUES ($1, $2, $3, $3, $4, $4, 'caseworker', 'en', $5, $6, $6, 'system', $6, 'system')`,
					id, org.ID, login, "Imported "+login, hash, tx.Now); err != nil {
					return err
				}
				tx.Audit(atip.AuditEntry{Action: "user.create", RecordType: "user", RecordID: id})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("batch %d\n", b)
	}
}
