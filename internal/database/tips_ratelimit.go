package database

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ReportLimiter limits how often one client may send the public reporting
// page, with its counters in the database so that every `atip serve`
// process behind one proxy shares one limit. It is a token bucket in the
// form of the generic cell rate algorithm: one integer per client, the
// "theoretical arrival time" (TAT). A request at now is allowed when
// max(TAT, now) + every - now <= burst × every, and then moves TAT on by
// every. That allows burst requests at once and one per every after, and
// takes one upsert per request on either engine.
//
// Clients are keyed by a keyed hash (HMAC-SHA-256) of their address, never
// the address: addresses are personal data, and reporters may be at risk.
// The hash key is random, one per UTC day, shared through the database and
// deleted after two days; rows are pruned once their bucket is full again.
type ReportLimiter struct {
	db    *DB
	burst int64
	every time.Duration

	mu       sync.Mutex
	day      string // the UTC day of key
	key      []byte
	prunedAt time.Time
}

// pruneEvery is how often one process deletes full buckets and old keys.
const pruneEvery = time.Minute

// NewReportLimiter returns a limiter of burst requests at once, then one
// per every, per client.
func NewReportLimiter(db *DB, burst int, every time.Duration) *ReportLimiter {
	return &ReportLimiter{db: db, burst: int64(burst), every: every}
}

// keyFor returns the hash key of now's UTC day, making it when no process
// has yet.
func (l *ReportLimiter) keyFor(ctx context.Context, now time.Time) ([]byte, error) {
	day := now.UTC().Format(time.DateOnly)
	l.mu.Lock()
	if l.day == day {
		k := l.key
		l.mu.Unlock()
		return k, nil
	}
	l.mu.Unlock()
	secret := make([]byte, 32)
	rand.Read(secret)
	if _, err := l.db.w.ExecContext(ctx, `INSERT INTO tip_rate_keys (day, secret) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING`,
		day, secret); err != nil {
		return nil, fmt.Errorf("rate limit key: %w", err)
	}
	var k []byte
	if err := l.db.w.QueryRowContext(ctx, `SELECT secret FROM tip_rate_keys WHERE day = $1`, day).Scan(&k); err != nil {
		return nil, fmt.Errorf("rate limit key: %w", err)
	}
	l.mu.Lock()
	l.day, l.key = day, k
	l.mu.Unlock()
	return k, nil
}

// clientHash is the keyed hash of a client's address under key.
func clientHash(key []byte, addr string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(addr))
	return m.Sum(nil)[:16]
}

// Allow takes a request of the client at addr and reports whether it is
// within the limit. An error of the database is returned as such: the
// caller decides whether to fail open or closed.
func (l *ReportLimiter) Allow(ctx context.Context, addr string) (bool, error) {
	now := l.db.Now()
	key, err := l.keyFor(ctx, now)
	if err != nil {
		return false, err
	}
	if err := l.prune(ctx, now); err != nil {
		return false, err
	}
	nowUS, everyUS := now.UnixMicro(), l.every.Microseconds()
	tau := l.burst * everyUS
	// newTAT is max(TAT, now) + every; every expression in SET reads the
	// row as it was, so allowed and tat_us agree.
	const newTAT = `(CASE WHEN tip_rate_limits.tat_us > $2 THEN tip_rate_limits.tat_us ELSE $2 END + $3)`
	var allowed bool
	err = l.db.w.QueryRowContext(ctx, `INSERT INTO tip_rate_limits (key_hash, tat_us, allowed) VALUES ($1, $5, TRUE)
		ON CONFLICT (key_hash) DO UPDATE SET
			tat_us = CASE WHEN `+newTAT+` - $2 <= $4 THEN `+newTAT+` ELSE tip_rate_limits.tat_us END,
			allowed = (`+newTAT+` - $2 <= $4)
		RETURNING allowed`, clientHash(key, addr), nowUS, everyUS, tau, nowUS+everyUS).Scan(&allowed)
	if err != nil {
		return false, fmt.Errorf("rate limit: %w", err)
	}
	// A burst of 0 allows nothing; the first request inserts as allowed.
	return allowed && l.burst > 0, nil
}

// prune deletes, at most once per pruneEvery in this process, the rows of
// full buckets (their TAT has passed: forgetting them changes nothing)
// and the hash keys of days before yesterday.
func (l *ReportLimiter) prune(ctx context.Context, now time.Time) error {
	l.mu.Lock()
	if now.Sub(l.prunedAt) < pruneEvery && !l.prunedAt.IsZero() {
		l.mu.Unlock()
		return nil
	}
	l.prunedAt = now
	l.mu.Unlock()
	if _, err := l.db.w.ExecContext(ctx, `DELETE FROM tip_rate_limits WHERE tat_us < $1`, now.UnixMicro()); err != nil {
		return fmt.Errorf("rate limit prune: %w", err)
	}
	old := now.UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	if _, err := l.db.w.ExecContext(ctx, `DELETE FROM tip_rate_keys WHERE day < $1`, old); err != nil {
		return fmt.Errorf("rate limit prune: %w", err)
	}
	return nil
}

// RateLimitRows returns the number of stored rate-limit rows (for tests
// and the operator).
func (l *ReportLimiter) RateLimitRows(ctx context.Context) (int, error) {
	var n int
	err := l.db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM tip_rate_limits`).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}
