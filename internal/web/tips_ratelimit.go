package web

import (
	"context"
	"sync"
	"time"
)

// rateLimiter is an in-memory token bucket per client address, for the
// public reporting page: a burst of a few reports, then one every refill
// interval. It lives in one process, so behind a load balancer each server
// counts on its own; it is the fallback when the tip service has no shared
// limiter (the database's, see database.ReportLimiter), and what tests set
// to loosen the limit. Idle buckets are dropped when the map grows.
type rateLimiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the limiter's memory under a flood of addresses.
const maxBuckets = 100_000

func newRateLimiter(burst int, every time.Duration) *rateLimiter {
	return &rateLimiter{burst: float64(burst), every: every, buckets: map[string]*bucket{}, now: time.Now}
}

// Allow takes a token for key and reports whether there was one.
func (l *rateLimiter) Allow(_ context.Context, key string) (bool, error) { return l.allow(key), nil }

// allow takes a token for key and reports whether there was one.
func (l *rateLimiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens += float64(now.Sub(b.at)) / float64(l.every)
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweep drops the buckets that have refilled completely: forgetting them
// changes nothing. If none has, the oldest half goes, which may let a few
// clients start afresh but keeps memory bounded.
func (l *rateLimiter) sweep(now time.Time) {
	full := time.Duration(l.burst) * l.every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < maxBuckets {
		return
	}
	n := 0
	for k := range l.buckets {
		if n >= maxBuckets/2 {
			break
		}
		delete(l.buckets, k)
		n++
	}
}
