// Package dbtest gives tests a fresh, migrated ATIP database on each engine:
// SQLite in a temporary directory, and on PostgreSQL a uniquely named schema
// in the database named by ATIP_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable), selected with
// the URL's search_path and dropped when the test ends. (A schema rather
// than a database per test: CREATE and DROP DATABASE take over two seconds
// together on a small machine, a schema milliseconds, and isolates as well.) Without a reachable server PostgreSQL tests skip, except
// under CI=true, where they fail: CI must never pass by testing less.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"atip/internal/database"
	"atip/internal/deconflict"
	"atip/internal/password"
	"atip/internal/seal"
)

// DefaultPostgres is the server used when ATIP_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Engines are the engines every store test runs on.
var Engines = []database.Engine{database.SQLite, database.Postgres}

// Each runs fn as one subtest per engine, each with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *database.DB), opts ...database.Option) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e, opts...))
		})
	}
}

// Open returns a fresh migrated database on engine e, closed and removed
// when the test ends. Password hashing is cheap and the audit key lives in a
// temporary directory, and a fresh master key seals personal data (pass
// database.WithKeyring(nil) to test without one); opts come after these
// defaults and may override them.
func Open(t testing.TB, e database.Engine, opts ...database.Option) *database.DB {
	t.Helper()
	u, keyFile := NewURL(t, e)
	all := append([]database.Option{database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(keyFile),
		database.WithKeyring(Keyring(t)), database.WithTokenizer(Tokenizer(t))}, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := database.Open(ctx, u, all...)
	if err != nil {
		t.Fatalf("open %s test database: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// NewURL makes an empty database on engine e and returns its URL and a path
// for its audit key, without opening it (for tests of the command line).
func NewURL(t testing.TB, e database.Engine) (dbURL, keyFile string) {
	t.Helper()
	dir := t.TempDir()
	keyFile = filepath.Join(dir, "audit.key")
	if e == database.SQLite {
		return filepath.Join(dir, "atip.db"), keyFile
	}
	admin := adminDB(t)
	schema := "atip_test_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A schema name cannot be a bind parameter; schema is our own hex.
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	u, _ := url.Parse(serverURL())
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), keyFile
}

func serverURL() string {
	if s := os.Getenv("ATIP_TEST_POSTGRES"); s != "" {
		return s
	}
	return DefaultPostgres
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// adminDB connects once per test binary to the server's maintenance
// database; it stays open for the life of the process.
func adminDB(t testing.TB) *sql.DB {
	t.Helper()
	adminOnce.Do(func() {
		u, err := url.Parse(serverURL())
		if err != nil {
			adminErr = err
			return
		}
		admin, adminErr = sql.Open("pgx", u.String())
		if adminErr != nil {
			return
		}
		admin.SetMaxOpenConns(2)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		adminErr = admin.PingContext(ctx)
	})
	if adminErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL for tests unreachable (ATIP_TEST_POSTGRES): %v", adminErr)
		}
		t.Skipf("PostgreSQL unreachable, skipping (set ATIP_TEST_POSTGRES): %v", adminErr)
	}
	return admin
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Clock is a settable clock for deterministic tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Keyring returns a keyring with one fresh random master key.
func Keyring(t testing.TB) *seal.Keyring {
	t.Helper()
	k, err := seal.ParseKeys(seal.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Tokenizer returns a deconfliction tokenizer with a fresh random key.
func Tokenizer(t testing.TB) *deconflict.Tokenizer {
	t.Helper()
	key := make([]byte, deconflict.KeySize)
	rand.Read(key)
	tk, err := deconflict.NewTokenizer(key)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}
