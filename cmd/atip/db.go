package main

import (
	"context"
	"flag"

	"atip/internal/database"
	"atip/internal/seal"
)

// defaultDB is the database used when neither --db nor ATIP_DB says
// otherwise: a SQLite file in the working directory.
const defaultDB = "atip.db"

// dbConfig is the database a command works on, from its flags.
type dbConfig struct {
	url     string // --db, default ATIP_DB, default atip.db
	keyFile string // --audit-key, default ATIP_AUDIT_KEY_FILE, default beside the SQLite file
}

// addDBFlags registers --db and --audit-key on fs, defaulting to the
// ATIP_DB and ATIP_AUDIT_KEY_FILE environment variables. Every command that
// opens the database uses it, so they all agree on where it is.
func addDBFlags(fs *flag.FlagSet, env *cmdEnv) *dbConfig {
	c := &dbConfig{}
	def := env.getenv("ATIP_DB")
	if def == "" {
		def = defaultDB
	}
	fs.StringVar(&c.url, "db", def, "database: a SQLite file path (sqlite:PATH) or a postgres:// URL (env ATIP_DB)")
	fs.StringVar(&c.keyFile, "audit-key", env.getenv("ATIP_AUDIT_KEY_FILE"),
		"file of the audit checkpoint signing key (env ATIP_AUDIT_KEY_FILE; default: the SQLite file plus .auditkey, or atip-audit.key for PostgreSQL)")
	return c
}

// open opens the configured database, applying pending migrations unless
// database.WithoutMigrate is among opts.
func (c *dbConfig) open(ctx context.Context, env *cmdEnv, opts ...database.Option) (*database.DB, error) {
	if c.keyFile != "" {
		opts = append([]database.Option{database.WithAuditKeyFile(c.keyFile)}, opts...)
	}
	return openDB(ctx, env, c.url, opts...)
}

// openDB opens the database named by dbURL, or when it is "" by ATIP_DB, or
// atip.db in the working directory, applying pending migrations (unless
// database.WithoutMigrate is among opts). The audit key file comes from
// ATIP_AUDIT_KEY_FILE unless opts name one, and the master keyring that
// seals two-factor secrets from ATIP_MASTER_KEY_FILE or ATIP_MASTER_KEY. Commands with their own flags
// use addDBFlags and dbConfig.open, which end here.
func openDB(ctx context.Context, env *cmdEnv, dbURL string, opts ...database.Option) (*database.DB, error) {
	if dbURL == "" {
		dbURL = env.getenv("ATIP_DB")
	}
	if dbURL == "" {
		dbURL = defaultDB
	}
	if f := env.getenv("ATIP_AUDIT_KEY_FILE"); f != "" {
		opts = append([]database.Option{database.WithAuditKeyFile(f)}, opts...)
	}
	// With a master key configured, two-factor secrets are sealed at rest.
	if env.getenv(seal.EnvKeyFile) != "" || env.getenv(seal.EnvKey) != "" {
		kr, err := seal.FromEnv(env.getenv)
		if err != nil {
			return nil, err
		}
		opts = append([]database.Option{database.WithKeyring(kr)}, opts...)
	}
	return database.Open(ctx, dbURL, opts...)
}
