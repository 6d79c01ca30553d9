package database

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// Backup writes a consistent snapshot of the database to the file out,
// which must not exist. On SQLite it is VACUUM INTO: a compact, complete
// database file taken in one read transaction while atip keeps running; to
// restore, stop atip and put the file in place of the database. On
// PostgreSQL it runs pg_dump (custom format; restore with pg_restore), which
// must be installed.
//
// The audit signing key is not in the database and so not in the backup:
// keep a copy of it (AuditKeyFile) in a safe place of its own.
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file", out)
	}
	switch db.target.Engine {
	case SQLite:
		// A connection of its own, neither the writer (VACUUM INTO reads the
		// whole database, and writers would wait for it) nor a query_only
		// reader (which SQLite refuses VACUUM INTO).
		snap, err := sql.Open("sqlite", sqliteDSN(db.target.Path, false, false))
		if err != nil {
			return err
		}
		defer snap.Close()
		snap.SetMaxOpenConns(1)
		if _, err := snap.ExecContext(ctx, `VACUUM INTO $1`, out); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		return os.Chmod(out, 0o600)
	case Postgres:
		return pgDump(ctx, db.target.URL, out)
	}
	return errors.New("backup: unknown engine")
}

// pgDump runs pg_dump with the password in the environment rather than on
// the command line, where other users of the machine could read it.
func pgDump(ctx context.Context, rawURL, out string) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return errors.New("backup: pg_dump not found; install the PostgreSQL client tools (same major version as the server) or back up with your PostgreSQL tooling")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return errors.New("backup: malformed PostgreSQL URL")
	}
	env := os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	args := []string{"--format=custom", "--no-owner", "--file=" + out}
	// A deployment that keeps ATIP in a schema of its own (search_path in
	// the URL) backs up that schema only.
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" {
		args = append(args, "--schema="+strings.TrimSpace(strings.Split(sp, ",")[0]))
		q.Del("search_path")
		u.RawQuery = q.Encode()
	}
	args = append(args, "--dbname="+u.String())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(out)
		return fmt.Errorf("backup: pg_dump: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return os.Chmod(out, 0o600)
}
