// Package database stores ATIP on SQLite (embedded, the default) or
// PostgreSQL (for a state or national deployment) through one database/sql
// code path, and implements the domain's services on it: organisations,
// users, sign-in, API tokens and the audit trail.
//
// Invariants:
//   - every write goes through DB.Write, one transaction with one fixed Now;
//   - every create or update appends its audit entry in that same
//     transaction (Tx.Audit), so a change never exists without its entry;
//   - authorisation is decided inside the services, from the Actor in the
//     context, by the policy package; objects the actor may not see are
//     ENOTFOUND, never "forbidden";
//   - SQL is parameterised and written once for both engines; what must
//     differ lives in the migrations folders and in dialect.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"atip"
	"atip/internal/auditlog"
	"atip/internal/deconflict"
	"atip/internal/password"
	"atip/internal/seal"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// DB is an open ATIP database.
type DB struct {
	target Target
	// w takes every write transaction. On SQLite it has one connection, so
	// writers queue in Go instead of failing with SQLITE_BUSY; on PostgreSQL
	// it is the same pool as r.
	w *sql.DB
	// r serves reads. On SQLite its connections are query_only and, thanks
	// to WAL, never wait for the writer.
	r *sql.DB

	clock    func() time.Time
	keyFile  string
	key      *auditlog.Key
	pwParams password.Params
	keyring  *seal.Keyring // seals TOTP secrets and records' personal data
	// tokenizer makes selector tokens and blind-index terms; nil: none.
	tokenizer *deconflict.Tokenizer
	// statements counts the statements transactions ran (statements.go).
	statements atomic.Int64
}

type options struct {
	clock     func() time.Time
	keyFile   string
	createKey bool
	migrate   bool
	pwParams  password.Params
	readConns int
	keyring   *seal.Keyring
	tokenizer *deconflict.Tokenizer
}

// Option configures Open.
type Option func(*options)

// WithTokenizer sets the deconfliction key's tokenizer: selector tokens
// ("another organisation holds this phone too") and the blind index that
// finds records by their sealed names. Without it records are stored but
// neither matched nor searchable by protected fields.
func WithTokenizer(t *deconflict.Tokenizer) Option { return func(o *options) { o.tokenizer = t } }

// WithClock makes the database read the time from clock (tests fix it).
func WithClock(clock func() time.Time) Option { return func(o *options) { o.clock = clock } }

// WithAuditKeyFile sets the file of the audit checkpoint signing key. By
// default it is the SQLite file's path plus ".auditkey", and for PostgreSQL
// "atip-audit.key" in the working directory; ATIP_AUDIT_KEY_FILE is read by
// the command line, not here.
func WithAuditKeyFile(path string) Option { return func(o *options) { o.keyFile = path } }

// WithoutKeyCreation refuses to generate a missing audit key (verification
// must not quietly make a new key).
func WithoutKeyCreation() Option { return func(o *options) { o.createKey = false } }

// WithoutMigrate opens the database without applying pending migrations
// (`atip migrate status` looks before it leaps). A schema newer than the
// binary is still refused.
func WithoutMigrate() Option { return func(o *options) { o.migrate = false } }

// WithPasswordParams sets the argon2id cost for new password hashes.
func WithPasswordParams(p password.Params) Option { return func(o *options) { o.pwParams = p } }

// WithMaxConns bounds the read pool (and on PostgreSQL the only pool).
func WithMaxConns(n int) Option { return func(o *options) { o.readConns = n } }

// Open connects to the database named by rawURL (see ParseURL), checks its
// schema, applies pending migrations unless WithoutMigrate, and loads the
// audit signing key (creating it on first start).
func Open(ctx context.Context, rawURL string, opts ...Option) (*DB, error) {
	t, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	o := options{clock: time.Now, createKey: true, migrate: true, pwParams: password.Default, readConns: 8}
	for _, f := range opts {
		f(&o)
	}
	db := &DB{target: t, clock: o.clock, pwParams: o.pwParams, keyring: o.keyring, tokenizer: o.tokenizer}
	switch t.Engine {
	case SQLite:
		err = db.openSQLite(ctx, o)
	case Postgres:
		err = db.openPostgres(ctx, o)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := db.checkSchema(ctx, o.migrate); err != nil {
		db.Close()
		return nil, err
	}
	db.keyFile = o.keyFile
	if db.keyFile == "" {
		db.keyFile = DefaultAuditKeyFile(t)
	}
	if db.key, err = auditlog.LoadOrCreateKeyFile(db.keyFile, o.createKey); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// DefaultAuditKeyFile is where the audit key lives when not configured:
// beside the SQLite file, or in the working directory for PostgreSQL.
func DefaultAuditKeyFile(t Target) string {
	if t.Engine == SQLite {
		return t.Path + ".auditkey"
	}
	return "atip-audit.key"
}

func sqliteDSN(path string, write, queryOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)") // safe with WAL: a crash loses at most the last commits, never consistency
	q.Set("_time_format", "sqlite")
	if write {
		q.Add("_pragma", "journal_mode(WAL)")
		// Take the write lock at BEGIN: a deferred transaction that reads
		// and then writes can fail with SQLITE_BUSY instead of waiting.
		q.Set("_txlock", "immediate")
	} else if queryOnly {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

func (db *DB) openSQLite(ctx context.Context, o options) error {
	path := db.target.Path
	if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("database: directory of %s: %w", path, err)
		}
	}
	// The file holds victims' data: readable by its owner only. SQLite gives
	// the -wal and -shm files the same mode as the database.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	f.Close()
	if db.w, err = sql.Open("sqlite", sqliteDSN(path, true, false)); err != nil {
		return err
	}
	db.w.SetMaxOpenConns(1)
	db.w.SetConnMaxIdleTime(0)
	// The write connection opens first so that the file exists and is in WAL
	// mode before a read-only connection looks at it.
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("database: open %s: %w", path, err)
	}
	if db.r, err = sql.Open("sqlite", sqliteDSN(path, false, true)); err != nil {
		return err
	}
	db.r.SetMaxOpenConns(o.readConns)
	db.r.SetMaxIdleConns(o.readConns)
	return nil
}

func (db *DB) openPostgres(ctx context.Context, o options) error {
	var err error
	if db.w, err = sql.Open("pgx", db.target.URL); err != nil {
		return errors.New("database: bad PostgreSQL URL")
	}
	db.w.SetMaxOpenConns(o.readConns * 2)
	db.w.SetMaxIdleConns(o.readConns * 2)
	db.w.SetConnMaxLifetime(time.Hour)
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("database: connect to %s: %s", db.target.Redacted(), pgErrorText(err))
	}
	db.r = db.w
	return nil
}

// pgErrorText keeps a connection error readable without repeating the URL
// (which may hold a password) that some drivers put in their messages.
func pgErrorText(err error) string {
	s := err.Error()
	if i := strings.Index(s, "://"); i >= 0 {
		return "connection failed"
	}
	return s
}

// Close closes the connection pools.
func (db *DB) Close() error {
	var errs []error
	if db.r != nil && db.r != db.w {
		errs = append(errs, db.r.Close())
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	return errors.Join(errs...)
}

// Engine returns which engine the database runs on.
func (db *DB) Engine() Engine { return db.target.Engine }

// Target returns where the database lives.
func (db *DB) Target() Target { return db.target }

// AuditKeyFile returns the path of the audit signing key.
func (db *DB) AuditKeyFile() string { return db.keyFile }

// ReadDB returns the pool for plain reads outside a transaction, for other
// packages' own queries. Writes must go through Write.
func (db *DB) ReadDB() *sql.DB { return db.r }

// Now returns the current time as stored: UTC, to the microsecond (what
// PostgreSQL keeps), so that a value read back equals the value written.
func (db *DB) Now() time.Time { return db.clock().UTC().Truncate(time.Microsecond) }

// Tx is one transaction. Now is fixed when it begins: every row it stamps
// and every audit entry it appends carries the same time. Write and Read
// commit and roll back; the function they run must not.
type Tx struct {
	*sql.Tx
	Now    time.Time
	ctx    context.Context
	db     *DB
	audits []*atip.AuditEntry
}

// Context returns the context the transaction was begun with.
func (tx *Tx) Context() context.Context { return tx.ctx }

// Write runs fn in a write transaction, appends the audit entries fn
// recorded with Tx.Audit, and commits. Any error rolls everything back,
// entries included.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	tx := &Tx{Tx: stx, Now: db.Now(), ctx: ctx, db: db}
	if err := fn(tx); err != nil {
		_ = stx.Rollback()
		return err
	}
	if len(tx.audits) > 0 {
		// Last, so that on PostgreSQL the head row that serialises appenders
		// is locked for as short a time as possible.
		if err := db.appendAudit(tx); err != nil {
			_ = stx.Rollback()
			return err
		}
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("database: commit: %w", err)
	}
	return nil
}

// Read runs fn in a read-only transaction: a consistent snapshot.
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	var opts *sql.TxOptions
	if db.target.Engine == Postgres {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	stx, err := db.r.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	defer stx.Rollback()
	tx := &Tx{Tx: stx, Now: db.Now(), ctx: ctx, db: db}
	if err := fn(tx); err != nil {
		return err
	}
	if len(tx.audits) > 0 {
		// An entry must never be lost quietly: auditing a view is a write.
		return errors.New("database: audit entries recorded in a read transaction are not kept; use Write or DB.Audit")
	}
	return nil
}

// Audit records an entry to append when the transaction commits. Blank
// actor fields are filled from the actor in the transaction's context, At
// from the transaction's Now, and Outcome defaults to "ok".
func (tx *Tx) Audit(e atip.AuditEntry) {
	a := atip.ActorFromContext(tx.ctx)
	if e.ActorID == "" && a != nil && (a.User != nil || a.IsOperator()) {
		e.ActorID = a.UserID()
	}
	if e.ActorOrgID == "" && a != nil && a.User != nil {
		e.ActorOrgID = a.User.OrgID
	}
	if e.Via == "" && a != nil {
		e.Via = a.Via
	}
	if e.RemoteAddr == "" && a != nil {
		e.RemoteAddr = a.RemoteAddr
	}
	if e.Outcome == "" {
		e.Outcome = "ok"
	}
	e.At = tx.Now
	tx.audits = append(tx.audits, &e)
}
