package database_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
	"atip/internal/seal"
)

func keyring(t *testing.T, fills ...byte) *seal.Keyring {
	t.Helper()
	var keys [][]byte
	for _, f := range fills {
		keys = append(keys, bytes.Repeat([]byte{f}, seal.KeySize))
	}
	k, err := seal.NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// counts turns KeyStatus into "column key-id" → count.
func counts(t *testing.T, db *database.DB) map[string]int {
	t.Helper()
	st, err := db.KeyStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for _, c := range st {
		m[c.Column+" "+c.KeyID] = c.Count
	}
	return m
}

// TestKeyRotation seals two-factor secrets under master key A, rotates to B
// (keyring "B, A") in an interrupted run and a resumed one, and proves the
// secrets then open with B alone — and never appear in the database in clear.
func TestKeyRotation(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			u, key := dbtest.NewURL(t, e)
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
			a, b := keyring(t, 1), keyring(t, 2)
			db := open(database.WithKeyring(a))
			w := newWorld(t, db)
			auth := database.NewAuthService(db, database.DefaultAuthConfig())
			secrets := map[*atip.User]string{}
			for _, r := range []atip.Role{atip.RoleOrgAdmin, atip.RoleSupervisor, atip.RoleCaseworker, atip.RoleAnalyst, atip.RoleAuditor} {
				user := w.u["A"][r]
				uctx := atip.NewContextWithActor(ctx, &atip.Actor{User: user, Via: atip.ViaWeb})
				enr, err := auth.BeginTOTP(uctx)
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := auth.ConfirmTOTP(uctx, "", enr.Secret, code(t, enr.Secret, clock.Now())); err != nil {
					t.Fatal(err)
				}
				secrets[user] = enr.Secret
			}
			wantCounts := func(db *database.DB, want map[string]int) {
				t.Helper()
				got := counts(t, db)
				for k, n := range want {
					if got[k] != n {
						t.Errorf("key status %s: %d, want %d (all: %v)", k, got[k], n, got)
					}
				}
			}
			wantCounts(db, map[string]int{"users.totp_secret " + a.Current(): 5, "users.totp_secret ": 0})

			// A copy of the database holds no secret in clear: the SQLite
			// files byte for byte, the raw column on PostgreSQL.
			var dump []byte
			if e == database.SQLite {
				for _, f := range []string{u, u + "-wal"} {
					b, err := os.ReadFile(f)
					if err != nil && !errors.Is(err, os.ErrNotExist) {
						t.Fatal(err)
					}
					dump = append(dump, b...)
				}
			} else {
				rows, err := db.ReadDB().Query(`SELECT totp_secret FROM users`)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var s string
					rows.Scan(&s)
					dump = append(dump, s...)
				}
				rows.Close()
			}
			if len(dump) < 100 {
				t.Fatalf("the dump is only %d bytes: the test reads the wrong thing", len(dump))
			}
			for _, s := range secrets {
				if bytes.Contains(dump, []byte(s)) || bytes.Contains(bytes.ToLower(dump), []byte(strings.ToLower(s))) {
					t.Fatal("a two-factor secret is in the database in clear")
				}
			}
			db.Close()

			// Rotation with B current and A still loaded, interrupted after
			// its first batch of two.
			both := open(database.WithKeyring(keyring(t, 2, 1)))
			op, cancel := context.WithCancel(atip.OperatorContext(ctx))
			n, err := both.RotateKeys(op, database.RotateOptions{BatchSize: 2, Progress: func(database.RotateProgress) { cancel() }})
			if n != 2 || !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted rotation: %d re-wrapped, err %v", n, err)
			}
			wantCounts(both, map[string]int{"users.totp_secret " + b.Current(): 2, "users.totp_secret " + a.Current(): 3})
			// Run again: it finishes, and a third run finds nothing to do.
			if n, err := both.RotateKeys(atip.OperatorContext(ctx), database.RotateOptions{BatchSize: 2}); n != 3 || err != nil {
				t.Fatalf("resumed rotation: %d re-wrapped, err %v", n, err)
			}
			if n, err := both.RotateKeys(atip.OperatorContext(ctx), database.RotateOptions{}); n != 0 || err != nil {
				t.Fatalf("third rotation: %d re-wrapped, err %v", n, err)
			}
			wantCounts(both, map[string]int{"users.totp_secret " + b.Current(): 5, "users.totp_secret " + a.Current(): 0})
			es, _, err := database.NewAuditService(both).FindAuditEntries(atip.OperatorContext(ctx), atip.AuditFilter{Action: "keys.rotate"})
			if err != nil || len(es) != 3 || es[0].Via != atip.ViaCLI {
				t.Fatalf("keys.rotate audit entries: %v %+v", err, es)
			}
			// Nobody but the operator rotates.
			_, err = both.RotateKeys(atip.NewContextWithActor(ctx, &atip.Actor{User: w.u["A"][atip.RolePlatformAdmin], Via: atip.ViaWeb}), database.RotateOptions{})
			wantCode(t, err, atip.EFORBIDDEN)
			both.Close()

			// B alone opens every secret; A alone opens none.
			for _, tc := range []struct {
				name string
				kr   *seal.Keyring
				ok   bool
			}{{"new key alone", b, true}, {"old key alone", a, false}} {
				db := open(database.WithKeyring(tc.kr))
				auth := database.NewAuthService(db, database.DefaultAuthConfig())
				clock.Advance(30 * time.Second)
				for user, secret := range secrets {
					token, _, err := auth.Login(from("192.0.2.1"), user.Login, testPassword)
					if err != nil {
						t.Fatal(err)
					}
					_, _, err = auth.VerifySecondFactor(from("192.0.2.1"), token, code(t, secret, clock.Now()))
					if (err == nil) != tc.ok {
						t.Fatalf("%s: second factor of %s: %v", tc.name, user.Login, err)
					}
				}
				db.Close()
			}
		})
	}
}
