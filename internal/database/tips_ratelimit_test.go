package database_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
)

// Two server processes on one database share one limit per client: the
// requests of one address count together whichever process takes them, an
// address is stored only as a keyed hash, and rows and keys are pruned.
func TestReportLimiterSharedAcrossProcesses(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			clock := dbtest.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
			u, keyFile := dbtest.NewURL(t, e)
			open := func() *database.DB {
				db, err := database.Open(t.Context(), u, database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(keyFile),
					database.WithKeyring(nil), database.WithClock(clock.Now))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			dbA, dbB := open(), open()
			a := database.NewReportLimiter(dbA, 5, 10*time.Minute)
			b := database.NewReportLimiter(dbB, 5, 10*time.Minute)
			ctx := context.Background()
			allow := func(l *database.ReportLimiter, addr string) bool {
				t.Helper()
				ok, err := l.Allow(ctx, addr)
				if err != nil {
					t.Fatal(err)
				}
				return ok
			}
			const addr = "198.51.100.7"
			var got []bool
			for i := range 7 {
				l := a
				if i%2 == 1 {
					l = b
				}
				got = append(got, allow(l, addr))
			}
			want := []bool{true, true, true, true, true, false, false}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("requests alternating between processes: %v, want %v", got, want)
				}
			}
			if !allow(b, "203.0.113.9") {
				t.Error("another address is limited by the first one's requests")
			}
			// One request per ten minutes after the burst, on either process.
			clock.Advance(10 * time.Minute)
			if !allow(b, addr) || allow(a, addr) {
				t.Error("after ten minutes: want exactly one more request")
			}
			// Addresses are stored only hashed.
			rows, err := dbA.ReadDB().QueryContext(ctx, `SELECT key_hash FROM tip_rate_limits`)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var h []byte
				if err := rows.Scan(&h); err != nil {
					t.Fatal(err)
				}
				n++
				if len(h) != 16 || bytes.Contains(h, []byte("198.51")) {
					t.Errorf("stored key %x is not a 16-byte hash", h)
				}
			}
			rows.Close()
			if n != 2 {
				t.Errorf("%d rate-limit rows, want 2 (one per address)", n)
			}
			// Once the buckets are full again the rows go, and after two
			// days the day's key goes too.
			clock.Advance(3 * 24 * time.Hour)
			if !allow(a, "192.0.2.50") {
				t.Fatal("a new address is refused")
			}
			if n, err := a.RateLimitRows(ctx); err != nil || n != 1 {
				t.Errorf("%d rows after pruning (%v), want 1", n, err)
			}
			var keys int
			if err := dbA.ReadDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM tip_rate_keys`).Scan(&keys); err != nil || keys != 1 {
				t.Errorf("%d hash keys kept (%v), want 1 (today's)", keys, err)
			}
		})
	}
}

// BenchmarkReportLimiter measures one public report's rate-limit check:
// one upsert (pruning runs at most once a minute).
func BenchmarkReportLimiter(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			db := dbtest.Open(b, e, database.WithKeyring(nil))
			l := database.NewReportLimiter(db, 5, 10*time.Minute)
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				if _, err := l.Allow(ctx, "198.51.100."+string(rune('0'+i%10))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
