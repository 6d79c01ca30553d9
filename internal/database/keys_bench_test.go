package database_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
	"atip/internal/seal"
)

// BenchmarkRotateKeys re-wraps the two-factor secrets of 10,000 users per
// operation, alternating between two master keys, in batches of 500.
//
//	go test ./internal/database -run XXX -bench RotateKeys -benchtime 3x
func BenchmarkRotateKeys(b *testing.B) {
	const users = 10000
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			u, key := dbtest.NewURL(b, e)
			ctx := context.Background()
			open := func(k *seal.Keyring) *database.DB {
				db, err := database.Open(ctx, u, database.WithAuditKeyFile(key), database.WithPasswordParams(password.Cheap), database.WithKeyring(k))
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { db.Close() })
				return db
			}
			a, ab, ba := keyringB(b, 1), keyringB(b, 1, 2), keyringB(b, 2, 1)
			db := open(a)
			op := atip.OperatorContext(ctx)
			o := &atip.Org{Name: "Bench AHTU", Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}
			if err := database.NewOrgService(db).CreateOrg(op, o); err != nil {
				b.Fatal(err)
			}
			// Users are inserted directly: creating 10,000 through the
			// service would hash 10,000 passwords.
			b64 := base64.RawStdEncoding
			err := db.Write(ctx, func(w *database.Tx) error {
				for i := range users {
					id := atip.NewID()
					dk, wrapped, err := a.NewDataKey("user/" + id)
					if err != nil {
						return err
					}
					secret := "sealed:v1:" + b64.EncodeToString(wrapped) + "." + b64.EncodeToString(dk.SealString("totp_secret", "JBSWY3DPEHPK3PXP"))
					login := fmt.Sprintf("bench-%05d", i)
					if _, err = w.ExecContext(ctx, `INSERT INTO users (id, org_id, login, login_key, name, name_key, roles, lang,
					password_hash, password_changed_at, totp_secret, totp_enabled, created_at, created_by, updated_at, updated_by)
					VALUES ($1, $2, $3, $3, $3, $3, 'caseworker', 'en', 'x', $4, $5, TRUE, $4, 'bench', $4, 'bench')`,
						id, o.ID, login, w.Now, secret); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			db.Close()
			dbs := []*database.DB{open(ba), open(ab)}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				n, err := dbs[i%2].RotateKeys(op, database.RotateOptions{BatchSize: 500})
				if err != nil || n != users {
					b.Fatalf("rotation %d: %d re-wrapped, %v", i, n, err)
				}
			}
			b.ReportMetric(float64(users)*float64(b.N)/b.Elapsed().Seconds(), "keys/s")
		})
	}
}

func keyringB(b *testing.B, fills ...byte) *seal.Keyring {
	b.Helper()
	var keys [][]byte
	for _, f := range fills {
		k := make([]byte, seal.KeySize)
		for i := range k {
			k[i] = f
		}
		keys = append(keys, k)
	}
	kr, err := seal.NewKeyring(keys...)
	if err != nil {
		b.Fatal(err)
	}
	return kr
}
