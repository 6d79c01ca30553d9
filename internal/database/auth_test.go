package database_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
	"atip/internal/seal"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

type authWorld struct {
	*world
	clock *dbtest.Clock
	auth  *database.AuthService
	log   *bytes.Buffer
}

func newAuthWorld(t *testing.T, e database.Engine) *authWorld {
	clock := dbtest.NewClock(t0)
	db := dbtest.Open(t, e, database.WithClock(clock.Now))
	log := &bytes.Buffer{}
	cfg := database.DefaultAuthConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(log, nil))
	return &authWorld{world: newWorld(t, db), clock: clock, auth: database.NewAuthService(db, cfg), log: log}
}

// from returns a context for an anonymous request from addr.
func from(addr string) context.Context {
	return atip.NewContextWithActor(context.Background(), &atip.Actor{Via: atip.ViaWeb, RemoteAddr: addr})
}

func eachEngine(t *testing.T, fn func(t *testing.T, w *authWorld)) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) { fn(t, newAuthWorld(t, e)) })
	}
}

func (w *authWorld) entries(t *testing.T, action string) []*atip.AuditEntry {
	t.Helper()
	es, _, err := database.NewAuditService(w.db).FindAuditEntries(w.op, atip.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestLoginSessionAndTimeouts(t *testing.T) {
	eachEngine(t, func(t *testing.T, w *authWorld) {
		u := w.u["A"][atip.RoleCaseworker]
		token, sess, err := w.auth.Login(from("192.0.2.7"), "A-CASEWORKER", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if sess.Stage != atip.StageFull || sess.UserID != u.ID || sess.ID == token || strings.Contains(sess.ID, token) {
			t.Fatalf("session %+v: want full stage, the user, and only the token's hash as id", sess)
		}
		if es := w.entries(t, "auth.login"); len(es) != 1 || es[0].ActorID != u.ID || es[0].RemoteAddr != "192.0.2.7" {
			t.Fatalf("auth.login entries %+v", es)
		}
		// Activity keeps the session alive up to the absolute limit.
		for i := 0; i < 12*3-1; i++ {
			w.clock.Advance(20 * time.Minute)
			if _, got, err := w.auth.Session(context.Background(), token); err != nil || got.ID != u.ID {
				t.Fatalf("after %d×20 min: %v", i+1, err)
			}
		}
		w.clock.Advance(20 * time.Minute)
		if _, _, err := w.auth.Session(context.Background(), token); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("past the absolute limit: %v, want not found", err)
		}
		// Idleness ends a session.
		token, _, err = w.auth.Login(from("192.0.2.7"), "a-caseworker", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(31 * time.Minute)
		if _, _, err := w.auth.Session(context.Background(), token); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("after 31 idle minutes: %v, want not found", err)
		}
		// Logout ends it at once.
		token, _, _ = w.auth.Login(from("192.0.2.7"), "a-caseworker", testPassword)
		if err := w.auth.Logout(context.Background(), token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.auth.Session(context.Background(), token); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("after logout: %v", err)
		}
	})
}

func TestLoginThrottlingAndLockout(t *testing.T) {
	eachEngine(t, func(t *testing.T, w *authWorld) {
		u := w.u["A"][atip.RoleAnalyst]
		for i := 0; i < 5; i++ {
			_, _, err := w.auth.Login(from("192.0.2.8"), u.Login, "wrong password "+string(rune('a'+i)))
			wantCode(t, err, atip.EUNAUTHORIZED)
		}
		// Locked: even the right password is refused, from any address.
		_, _, err := w.auth.Login(from("198.51.100.1"), u.Login, testPassword)
		wantCode(t, err, atip.ETOOMANY)
		w.clock.Advance(16 * time.Minute)
		if _, _, err := w.auth.Login(from("198.51.100.1"), u.Login, testPassword); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
		failed := w.entries(t, "auth.login_failed")
		if len(failed) != 6 || failed[0].Outcome != "denied" || failed[1].Detail != "wrong password; locked" || failed[1].ActorID != u.ID {
			t.Fatalf("failed entries: %+v", failed[:2])
		}

		// One address guessing many accounts is locked out as an address.
		for i := 0; i < 20; i++ {
			_, _, err := w.auth.Login(from("203.0.113.9"), "nobody-"+string(rune('a'+i)), "some password!")
			wantCode(t, err, atip.EUNAUTHORIZED)
		}
		_, _, err = w.auth.Login(from("203.0.113.9"), "a-supervisor", testPassword)
		wantCode(t, err, atip.ETOOMANY)
		if _, _, err := w.auth.Login(from("198.51.100.2"), "a-supervisor", testPassword); err != nil {
			t.Fatalf("from another address: %v", err)
		}
		// Unknown logins are audited without the login typed, and neither it
		// nor any password reaches the log.
		for _, e := range w.entries(t, "auth.login_failed") {
			if strings.Contains(e.Detail, "nobody") || strings.Contains(e.RecordID, "nobody") {
				t.Fatalf("audit entry holds the login typed: %+v", e)
			}
		}
		if s := w.log.String(); strings.Contains(s, "nobody") || strings.Contains(s, "wrong password a") ||
			strings.Contains(s, "some password") || !strings.Contains(s, "unknown account") {
			t.Fatalf("log leaks or lacks: %s", s)
		}
	})
}

func TestDisabledUserAndAdminReset(t *testing.T) {
	eachEngine(t, func(t *testing.T, w *authWorld) {
		u := w.u["A"][atip.RoleFirstResponder]
		token, _, err := w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		const newPW = "a brand new passphrase"
		if err := w.users.SetPassword(w.as("A", atip.RoleOrgAdmin), u.ID, newPW); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.auth.Session(context.Background(), token); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("session after admin reset: %v, want ended", err)
		}
		_, _, err = w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		wantCode(t, err, atip.EUNAUTHORIZED)
		if _, _, err := w.auth.Login(from("192.0.2.1"), u.Login, newPW); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.users.SetPassword(w.as("B", atip.RoleOrgAdmin), u.ID, newPW+"x"), atip.ENOTFOUND)
		wantCode(t, w.users.SetPassword(w.as("A", atip.RoleSupervisor), u.ID, newPW+"x"), atip.EFORBIDDEN)
		if es := w.entries(t, "user.password_reset"); len(es) != 1 || es[0].RecordID != u.ID {
			t.Fatalf("reset entries %+v", es)
		}

		// Disabling the organisation ends its users' sessions; disabling the
		// user keeps them out.
		other, _, err := w.auth.Login(from("192.0.2.1"), w.u["A"][atip.RoleAnalyst].Login, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		if _, err := w.orgs.UpdateOrg(w.op, w.orgA.ID, atip.OrgUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.auth.Session(context.Background(), other); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("session in a disabled organisation: %v", err)
		}
		_, _, err = w.auth.Login(from("192.0.2.1"), u.Login, newPW)
		wantCode(t, err, atip.EUNAUTHORIZED)
		if _, err := w.orgs.UpdateOrg(w.op, w.orgA.ID, atip.OrgUpdate{Disabled: &no}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.users.UpdateUser(w.as("A", atip.RoleOrgAdmin), u.ID, atip.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		_, _, err = w.auth.Login(from("192.0.2.1"), u.Login, newPW)
		wantCode(t, err, atip.EUNAUTHORIZED)
	})
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTPAndRecoveryCodes(t *testing.T) {
	eachEngine(t, func(t *testing.T, w *authWorld) {
		u := w.u["B"][atip.RoleSupervisor]
		token, _, err := w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		ctx := atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Via: atip.ViaWeb})
		enr, err := w.auth.BeginTOTP(ctx)
		if err != nil || !strings.HasPrefix(enr.URL, "otpauth://totp/") {
			t.Fatalf("begin: %+v %v", enr, err)
		}
		_, _, err = w.auth.ConfirmTOTP(ctx, token, enr.Secret, "000000")
		wantField(t, err, "code")
		_, codes, err := w.auth.ConfirmTOTP(ctx, token, enr.Secret, code(t, enr.Secret, w.clock.Now()))
		if err != nil || len(codes) != 10 {
			t.Fatalf("confirm: %v %v", codes, err)
		}

		token, sess, err := w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		if err != nil || sess.Stage != atip.StageTOTP {
			t.Fatalf("login with two-factor on: %+v %v", sess, err)
		}
		// The code used to confirm cannot be used again.
		_, _, err = w.auth.VerifySecondFactor(from("192.0.2.1"), token, code(t, enr.Secret, w.clock.Now()))
		wantCode(t, err, atip.EUNAUTHORIZED)
		w.clock.Advance(30 * time.Second)
		c := code(t, enr.Secret, w.clock.Now())
		full, sess, err := w.auth.VerifySecondFactor(from("192.0.2.1"), token, c)
		if err != nil || sess.Stage != atip.StageFull || full == token {
			t.Fatalf("second factor: %+v %v", sess, err)
		}
		if _, _, err := w.auth.Session(context.Background(), token); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("the pre-second-factor token still works: %v", err)
		}
		// A code one step old is still accepted (clock drift), but not reused.
		token, _, _ = w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		_, _, err = w.auth.VerifySecondFactor(from("192.0.2.1"), token, c)
		wantCode(t, err, atip.EUNAUTHORIZED)
		w.clock.Advance(30 * time.Second)
		if _, _, err := w.auth.VerifySecondFactor(from("192.0.2.1"), token, code(t, enr.Secret, w.clock.Now().Add(-30*time.Second))); err == nil {
			t.Fatal("a reused step was accepted")
		}

		// Recovery codes work once each, forgiving case and dashes.
		token, _, _ = w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		rc := strings.ToLower(strings.ReplaceAll(codes[3], "-", " "))
		if _, _, err := w.auth.VerifySecondFactor(from("192.0.2.1"), token, rc); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		token, _, _ = w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		_, _, err = w.auth.VerifySecondFactor(from("192.0.2.1"), token, codes[3])
		wantCode(t, err, atip.EUNAUTHORIZED)

		// An admin resets two-factor for a user who lost their phone.
		wantCode(t, w.users.ResetTOTP(w.as("A", atip.RoleOrgAdmin), u.ID), atip.ENOTFOUND)
		if err := w.users.ResetTOTP(w.as("B", atip.RoleOrgAdmin), u.ID); err != nil {
			t.Fatal(err)
		}
		if _, sess, err := w.auth.Login(from("192.0.2.1"), u.Login, testPassword); err != nil || sess.Stage != atip.StageFull {
			t.Fatalf("login after two-factor reset: %+v %v", sess, err)
		}
	})
}

func TestMandatoryTOTPByRole(t *testing.T) {
	eachEngine(t, func(t *testing.T, w *authWorld) {
		wantCode(t, w.auth.SetTOTPRequiredRoles(w.as("A", atip.RoleOrgAdmin), w.orgB.ID, []atip.Role{atip.RoleCaseworker}), atip.EFORBIDDEN)
		wantCode(t, w.auth.SetTOTPRequiredRoles(w.as("A", atip.RoleCaseworker), w.orgA.ID, []atip.Role{atip.RoleCaseworker}), atip.EFORBIDDEN)
		if err := w.auth.SetTOTPRequiredRoles(w.as("A", atip.RoleOrgAdmin), w.orgA.ID, []atip.Role{atip.RoleCaseworker, atip.RoleCaseworker}); err != nil {
			t.Fatal(err)
		}
		if got, err := w.auth.TOTPRequiredRoles(w.as("A", atip.RoleCaseworker), w.orgA.ID); err != nil || len(got) != 1 || got[0] != atip.RoleCaseworker {
			t.Fatalf("required roles %v %v", got, err)
		}
		u := w.u["A"][atip.RoleCaseworker]
		token, sess, err := w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		if err != nil || sess.Stage != atip.StageEnrolTOTP {
			t.Fatalf("login: %+v %v, want enrol stage", sess, err)
		}
		_, _, err = w.auth.Login(from("192.0.2.1"), w.u["A"][atip.RoleAnalyst].Login, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		ctx := atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Via: atip.ViaWeb})
		enr, _ := w.auth.BeginTOTP(ctx)
		newToken, _, err := w.auth.ConfirmTOTP(ctx, token, enr.Secret, code(t, enr.Secret, w.clock.Now()))
		if err != nil {
			t.Fatal(err)
		}
		// Enrolment completed sign-in, so the session was rotated.
		if _, _, err := w.auth.Session(context.Background(), token); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("the pre-enrolment token still works: %v", err)
		}
		if s, _, err := w.auth.Session(context.Background(), newToken); err != nil || s.Stage != atip.StageFull {
			t.Fatalf("after enrolment: %+v %v", s, err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	eachEngine(t, func(t *testing.T, w *authWorld) {
		tokens := database.NewTokenService(w.db)
		u := w.u["A"][atip.RoleAnalyst]
		ctx := w.as("A", atip.RoleAnalyst)
		for _, tc := range []struct {
			name   string
			scopes []string
			exp    time.Time
			field  string
		}{
			{"", []string{"read"}, t0.Add(time.Hour), "name"},
			{"x", nil, t0.Add(time.Hour), "scopes"},
			{"x", []string{"admin"}, t0.Add(time.Hour), "scopes"},
			{"x", []string{"read"}, t0.Add(-time.Hour), "expires_at"},
			{"x", []string{"read"}, t0.Add(400 * 24 * time.Hour), "expires_at"},
		} {
			_, _, err := tokens.CreateToken(ctx, tc.name, tc.scopes, tc.exp)
			wantField(t, err, tc.field)
		}
		secret, tok, err := tokens.CreateToken(ctx, "reporting", []string{"read"}, t0.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var stored int
		w.db.ReadDB().QueryRow(`SELECT COUNT(*) FROM api_tokens WHERE secret_hash = $1`, secret).Scan(&stored)
		if stored != 0 {
			t.Fatal("the token secret is stored in clear")
		}
		got, gu, err := tokens.AuthenticateToken(context.Background(), secret)
		if err != nil || got.ID != tok.ID || gu.ID != u.ID || !got.LastUsedAt.Equal(t0) {
			t.Fatalf("authenticate: %+v %+v %v", got, gu, err)
		}
		_, _, err = tokens.AuthenticateToken(context.Background(), secret+"x")
		wantCode(t, err, atip.EUNAUTHORIZED)

		list, err := tokens.FindTokens(w.as("A", atip.RoleOrgAdmin), u.ID)
		if err != nil || len(list) != 1 || !list[0].LastUsedAt.Equal(t0) {
			t.Fatalf("list: %+v %v", list, err)
		}
		_, err = tokens.FindTokens(w.as("B", atip.RoleOrgAdmin), u.ID)
		wantCode(t, err, atip.ENOTFOUND)
		wantCode(t, tokens.RevokeToken(w.as("B", atip.RoleOrgAdmin), tok.ID), atip.ENOTFOUND)

		w.clock.Advance(49 * time.Hour)
		_, _, err = tokens.AuthenticateToken(context.Background(), secret)
		wantCode(t, err, atip.EUNAUTHORIZED)

		secret, tok, _ = tokens.CreateToken(ctx, "sync", []string{"read", "write"}, w.clock.Now().Add(time.Hour))
		if err := tokens.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = tokens.AuthenticateToken(context.Background(), secret)
		wantCode(t, err, atip.EUNAUTHORIZED)
		if es := w.entries(t, "token."); len(es) != 3 {
			t.Fatalf("token audit entries: %d, want 3", len(es))
		}
	})
}

func TestSealedTOTPSecrets(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			u, key := dbtest.NewURL(t, e)
			kr, err := seal.NewKeyring(bytes.Repeat([]byte{7}, seal.KeySize))
			if err != nil {
				t.Fatal(err)
			}
			clock := dbtest.NewClock(t0)
			ctx := context.Background()
			open := func(opts ...database.Option) *database.DB {
				db, err := database.Open(ctx, u, append([]database.Option{database.WithAuditKeyFile(key),
					database.WithPasswordParams(password.Cheap), database.WithClock(clock.Now)}, opts...)...)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			db := open(database.WithKeyring(kr))
			w := newWorld(t, db)
			auth := database.NewAuthService(db, database.DefaultAuthConfig())
			user := w.u["A"][atip.RoleSupervisor]
			uctx := atip.NewContextWithActor(ctx, &atip.Actor{User: user, Via: atip.ViaWeb})
			enr, _ := auth.BeginTOTP(uctx)
			if _, _, err := auth.ConfirmTOTP(uctx, "", enr.Secret, code(t, enr.Secret, clock.Now())); err != nil {
				t.Fatal(err)
			}
			var stored string
			db.ReadDB().QueryRow(`SELECT totp_secret FROM users WHERE id = $1`, user.ID).Scan(&stored)
			if !strings.HasPrefix(stored, "sealed:v1:") || strings.Contains(stored, enr.Secret) {
				t.Fatalf("stored secret %q is not sealed", stored)
			}
			clock.Advance(30 * time.Second)
			token, _, err := auth.Login(from("192.0.2.1"), user.Login, testPassword)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := auth.VerifySecondFactor(from("192.0.2.1"), token, code(t, enr.Secret, clock.Now())); err != nil {
				t.Fatalf("second factor with a sealed secret: %v", err)
			}
			// Without the master key the secret cannot be read: sign-in fails
			// loudly rather than accepting anything.
			plain := database.NewAuthService(open(), database.DefaultAuthConfig())
			clock.Advance(30 * time.Second)
			token, _, _ = plain.Login(from("192.0.2.1"), user.Login, testPassword)
			_, _, err = plain.VerifySecondFactor(from("192.0.2.1"), token, code(t, enr.Secret, clock.Now()))
			if err == nil || !strings.Contains(err.Error(), "master key") {
				t.Fatalf("without the keyring: %v", err)
			}
		})
	}
}
