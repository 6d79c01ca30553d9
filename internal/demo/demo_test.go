package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/demo"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

func TestSeedGivesWorkingLoginsForEveryRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		logins, err := demo.Seed(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		again, err := demo.Seed(ctx, db)
		if err != nil || len(again) != len(logins) {
			t.Fatalf("second seed: %d logins, %v", len(again), err)
		}
		op := atip.OperatorContext(ctx)
		orgs, _, err := database.NewOrgService(db).FindOrgs(op, atip.OrgFilter{})
		if err != nil || len(orgs) != len(demo.Orgs) {
			t.Fatalf("%d orgs after two seeds, want %d (%v)", len(orgs), len(demo.Orgs), err)
		}
		for _, o := range orgs {
			if !strings.HasPrefix(o.Name, demo.Prefix) {
				t.Errorf("org %q is not marked as demo data", o.Name)
			}
		}
		auth := database.NewAuthService(db, database.DefaultAuthConfig())
		roles := map[atip.Role]bool{}
		withTOTP := 0
		for _, l := range logins {
			for _, r := range l.Roles {
				roles[r] = true
			}
			_, sess, err := auth.Login(ctx, l.Login, l.Password)
			if err != nil {
				t.Fatalf("login %s: %v", l.Login, err)
			}
			want := atip.StageFull
			if l.TOTPSecret != "" {
				want = atip.StageTOTP
				withTOTP++
			}
			if sess.Stage != want {
				t.Errorf("%s: stage %s, want %s", l.Login, sess.Stage, want)
			}
		}
		for _, r := range atip.Roles {
			if !roles[r] {
				t.Errorf("no demo user has role %s", r)
			}
		}
		if withTOTP != 1 {
			t.Errorf("%d demo users with two-factor, want exactly 1", withTOTP)
		}
		// The two-factor user completes sign-in with the printed secret.
		for _, l := range logins {
			if l.TOTPSecret == "" {
				continue
			}
			token, _, _ := auth.Login(ctx, l.Login, l.Password)
			code, _ := totp.GenerateCodeCustom(l.TOTPSecret, time.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
			if _, _, err := auth.VerifySecondFactor(ctx, token, code); err != nil {
				t.Errorf("two-factor with the demo secret: %v", err)
			}
		}
		if res, err := db.VerifyAudit(ctx); err != nil || !res.OK() {
			t.Fatalf("audit after seeding: %+v %v", res, err)
		}
	})
}
