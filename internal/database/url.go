package database

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Target is where a database lives, as parsed from a --db value.
type Target struct {
	Engine Engine
	// Path is the SQLite file (Engine SQLite).
	Path string
	// URL is the PostgreSQL connection URL (Engine Postgres).
	URL string
}

// ParseURL reads a --db / ATIP_DB value: a PostgreSQL URL
// ("postgres://…" or "postgresql://…"), or a SQLite file given as a plain
// path, "sqlite:PATH", "sqlite://PATH" or "file:PATH". Query parameters on a
// SQLite target are refused: the connection settings are fixed by atip, so
// that no deployment runs without WAL, foreign keys or a busy timeout.
func ParseURL(raw string) (Target, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Target{}, errors.New("database: empty database URL")
	}
	if strings.ContainsRune(s, 0) {
		return Target{}, errors.New("database: URL contains a NUL byte")
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil {
			// url.Parse errors quote the URL, which may hold a password.
			return Target{}, errors.New("database: malformed PostgreSQL URL")
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return Target{}, errors.New("database: PostgreSQL URL has no host")
		}
		return Target{Engine: Postgres, URL: s}, nil
	case strings.HasPrefix(lower, "sqlite://"):
		s = s[len("sqlite://"):]
	case strings.HasPrefix(lower, "sqlite:"):
		s = s[len("sqlite:"):]
	case strings.HasPrefix(lower, "file:"):
		s = s[len("file:"):]
	default:
		if i := strings.Index(s, "://"); i > 0 && !strings.ContainsAny(s[:i], `/\.`) {
			return Target{}, fmt.Errorf("database: unsupported scheme %q (use a file path, sqlite:PATH or postgres://…)", s[:i])
		}
	}
	if s == "" {
		return Target{}, errors.New("database: SQLite URL has no file path")
	}
	if strings.ContainsAny(s, "?#") {
		return Target{}, errors.New("database: SQLite path must not contain '?' or '#' (connection options are set by atip)")
	}
	if s == ":memory:" {
		return Target{}, errors.New("database: in-memory SQLite is not supported; give a file path")
	}
	return Target{Engine: SQLite, Path: s}, nil
}

// Redacted returns the target for messages: the password of a PostgreSQL URL
// is hidden.
func (t Target) Redacted() string {
	if t.Engine == SQLite {
		return t.Path
	}
	u, err := url.Parse(t.URL)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
