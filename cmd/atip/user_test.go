package main

import (
	"context"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

func TestOrgAndUserCommands(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			c := newCLI(t, e)
			c.ok("", "org", "create", "--name", "Demo CWC Kolkata", "--type", "cwc", "--jurisdiction", "IN-WB-KOLKATA")
			code, _, errs := c.run("", "org", "create", "--name", "X", "--type", "cwc", "--jurisdiction", "Narnia")
			if code != 1 || !strings.Contains(errs, "jurisdiction") {
				t.Fatalf("bad jurisdiction: exit %d %q", code, errs)
			}
			if out := c.ok("", "org", "list"); !strings.Contains(out, "Demo CWC Kolkata") || !strings.Contains(out, "IN-WB-KOLKATA") {
				t.Fatalf("org list: %q", out)
			}
			c.ok("a long enough password\n", "user", "create", "--org", "demo cwc kolkata", "--login", "asha",
				"--name", "Asha Member", "--role", "supervisor,caseworker", "--password-stdin")
			code, _, errs = c.run("short\n", "user", "create", "--org", "Demo CWC Kolkata", "--login", "ravi",
				"--name", "Ravi", "--role", "caseworker")
			if code != 1 || !strings.Contains(errs, "password") || strings.Contains(errs, "short") {
				t.Fatalf("weak password: exit %d %q (must name the field, never echo the password)", code, errs)
			}
			if out := c.ok("", "user", "list", "--role", "caseworker"); !strings.Contains(out, "asha") || !strings.Contains(out, "supervisor,caseworker") ||
				!strings.Contains(out, "Demo CWC Kolkata") {
				t.Fatalf("user list: %q", out)
			}
			c.ok("another long password\n", "user", "reset-password", "asha")
			c.ok("", "user", "reset-totp", "asha")
			c.ok("", "user", "disable", "--db", c.db, "asha")
			if out := c.ok("", "user", "list"); !strings.Contains(out, "disabled") {
				t.Fatalf("after disable: %q", out)
			}
			if code, _, _ := c.run("", "user", "disable"); code != 2 {
				t.Fatalf("disable without a login: exit %d, want 2", code)
			}

			// The operator's actions are in the trail, via cli.
			db, err := openDB(context.Background(), &cmdEnv{getenv: func(k string) string {
				if k == "ATIP_AUDIT_KEY_FILE" {
					return c.key
				}
				return ""
			}}, c.db)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			entries, _, err := database.NewAuditService(db).FindAuditEntries(atip.OperatorContext(context.Background()), atip.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				if e.Via != atip.ViaCLI || e.ActorID != atip.SystemActorID {
					t.Errorf("entry %+v not attributed to the operator via cli", e)
				}
				actions = append(actions, e.Action)
			}
			if got := strings.Join(actions, " "); got != "user.update user.totp_reset user.password_reset user.create org.create" {
				t.Fatalf("audit actions %q", got)
			}
		})
	}
}
