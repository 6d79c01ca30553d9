package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/seal"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// keysRun runs atip with the test database and ATIP_MASTER_KEY set to keys
// ("" for none).
func (c *cli) keysRun(keys string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
		switch k {
		case "ATIP_DB":
			return c.db
		case "ATIP_AUDIT_KEY_FILE":
			return c.key
		case seal.EnvKey:
			return keys
		}
		return ""
	}}
	code := runMain(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestKeysCommand(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			c := newCLI(t, e)
			code, keyA, advice := c.keysRun("", "keys", "generate")
			keyA = strings.TrimSpace(keyA)
			if b, err := base64.StdEncoding.DecodeString(keyA); code != 0 || err != nil || len(b) != seal.KeySize || !strings.Contains(advice, "chmod 600") {
				t.Fatalf("generate: exit %d, key %q (%v), advice %q", code, keyA, err, advice)
			}
			_, keyB, _ := c.keysRun("", "keys", "generate")
			keyB = strings.TrimSpace(keyB)
			if keyB == keyA {
				t.Fatal("two generated keys are equal")
			}
			if code, out, _ := c.keysRun("", "keys", "status"); code != 0 || !strings.Contains(out, "nothing is sealed yet") {
				t.Fatalf("status of an empty database: exit %d %q", code, out)
			}

			// A user enrols in two-factor while the server runs with key A.
			env := &cmdEnv{getenv: func(k string) string {
				switch k {
				case "ATIP_AUDIT_KEY_FILE":
					return c.key
				case seal.EnvKey:
					return keyA
				}
				return ""
			}}
			ctx := context.Background()
			db, err := openDB(ctx, env, c.db)
			if err != nil {
				t.Fatal(err)
			}
			op := atip.OperatorContext(ctx)
			o := &atip.Org{Name: "Demo AHTU Sitamarhi", Type: atip.OrgAHTU, Jurisdiction: "IN-BR-SITAMARHI"}
			if err := database.NewOrgService(db).CreateOrg(op, o); err != nil {
				t.Fatal(err)
			}
			u := &atip.User{OrgID: o.ID, Login: "demo", Name: "Demo User", Roles: []atip.Role{atip.RoleCaseworker}}
			if err := database.NewUserService(db).CreateUser(op, u, "a long enough password"); err != nil {
				t.Fatal(err)
			}
			auth := database.NewAuthService(db, database.DefaultAuthConfig())
			uctx := atip.NewContextWithActor(ctx, &atip.Actor{User: u, Via: atip.ViaWeb})
			enr, err := auth.BeginTOTP(uctx)
			if err != nil {
				t.Fatal(err)
			}
			totpCode, _ := totp.GenerateCodeCustom(enr.Secret, time.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
			if _, _, err := auth.ConfirmTOTP(uctx, "", enr.Secret, totpCode); err != nil {
				t.Fatal(err)
			}
			db.Close()

			ringA, _ := seal.ParseKeys(keyA)
			ringB, _ := seal.ParseKeys(keyB)
			code, out, _ := c.keysRun(keyA, "keys", "status")
			if code != 0 || !strings.Contains(out, "users.totp_secret") || !strings.Contains(out, ringA.Current()) ||
				!strings.Contains(out, "current") || strings.Contains(out, keyA) {
				t.Fatalf("status under A: exit %d\n%s", code, out)
			}
			if code, _, errs := c.keysRun("", "keys", "rotate"); code != 1 || !strings.Contains(errs, seal.EnvKeyFile) {
				t.Fatalf("rotate without a key: exit %d %q", code, errs)
			}
			if code, _, _ := c.keysRun(keyB+"\n"+keyA, "keys", "rotate", "--batch", "0"); code != 2 {
				t.Fatalf("rotate --batch 0: exit %d, want 2", code)
			}
			code, out, _ = c.keysRun(keyB+"\n"+keyA, "keys", "rotate", "--batch", "1")
			if code != 0 || !strings.Contains(out, "re-wrapped 1 ") || !strings.Contains(out, ringB.Current()) {
				t.Fatalf("rotate: exit %d %q", code, out)
			}
			code, out, _ = c.keysRun(keyB, "keys", "status")
			if code != 0 || !strings.Contains(out, ringB.Current()) || strings.Contains(out, ringA.Current()) || strings.Contains(out, keyB) {
				t.Fatalf("status after rotation: exit %d\n%s", code, out)
			}
			if code, _, _ := c.keysRun("", "keys", "burn"); code != 2 {
				t.Fatalf("unknown action: exit %d, want 2", code)
			}
		})
	}
}
