package database

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds one folder per engine: the DDL differs (types, triggers),
// the versions and what they do must not.
//
//go:embed migrations
var migrations embed.FS

func (db *DB) provider() (*goose.Provider, error) {
	var (
		dialect goose.Dialect
		opts    []goose.ProviderOption
	)
	switch db.target.Engine {
	case SQLite:
		dialect = goose.DialectSQLite3
	case Postgres:
		dialect = goose.DialectPostgres
		// Several `atip serve` processes may start at once on one server:
		// only one of them migrates. The lock is per schema, so deployments
		// (or tests) in different schemas of one database do not wait for
		// each other, and is retried every second rather than every five.
		var schema string
		if err := db.w.QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
			return nil, fmt.Errorf("database: current schema: %w", err)
		}
		h := fnv.New64a()
		h.Write([]byte("atip migrations " + schema))
		l, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64()>>1)), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(l))
	}
	sub, err := fs.Sub(migrations, "migrations/"+string(db.target.Engine))
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, db.w, sub, opts...)
}

// SchemaVersion returns the version of the schema in the database and the
// newest this binary knows.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("database: read schema version: %w", err)
	}
	src := p.ListSources()
	if len(src) > 0 {
		latest = src[len(src)-1].Version
	}
	return current, latest, nil
}

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

// MigrationStatus lists the binary's migrations and which are applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("database: migration status: %w", err)
	}
	out := make([]MigrationStatus, len(st))
	for i, s := range st {
		out[i] = MigrationStatus{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied}
	}
	return out, nil
}

// Migrate applies pending migrations and returns the versions it applied.
func (db *DB) Migrate(ctx context.Context) ([]int64, error) {
	if err := db.refuseNewer(ctx); err != nil {
		return nil, err
	}
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("database: migrate: %w", err)
	}
	var applied []int64
	for _, r := range res {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

func (db *DB) refuseNewer(ctx context.Context) error {
	cur, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if cur > latest {
		return fmt.Errorf("database: the schema is at version %d but this atip knows only up to %d: "+
			"it was migrated by a newer atip; run that version (or restore a backup)", cur, latest)
	}
	return nil
}

func (db *DB) checkSchema(ctx context.Context, migrate bool) error {
	if migrate {
		_, err := db.Migrate(ctx)
		return err
	}
	return db.refuseNewer(ctx)
}
