package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"atip/internal/database"
)

const migrateUsage = `Usage: atip migrate [--db URL] [--audit-key FILE] [up|status]

Applies the database migrations embedded in this binary (up, the default), or
lists them and whether each is applied (status). atip also applies pending
migrations whenever it opens a database, and refuses to run on a schema that a
newer atip has migrated.

Flags:
  --db URL          SQLite file (default atip.db, env ATIP_DB) or postgres://… URL
  --audit-key FILE  audit signing key file (env ATIP_AUDIT_KEY_FILE)`

func init() {
	register(&command{
		name:    "migrate",
		summary: "apply or list database migrations",
		usage:   migrateUsage,
		run:     runMigrate,
	})
}

func runMigrate(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := addDBFlags(fs, env)
	if err := fs.Parse(args); err != nil {
		return usageError("%v", err)
	}
	action := "up"
	switch fs.NArg() {
	case 0:
	case 1:
		action = fs.Arg(0)
	default:
		return usageError("too many arguments")
	}
	if action != "up" && action != "status" {
		return usageError("unknown action %q (want up or status)", action)
	}
	db, err := cfg.open(ctx, env, database.WithoutMigrate())
	if err != nil {
		return err
	}
	defer db.Close()
	if action == "status" {
		st, err := db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(env.stdout, "%05d  %-8s %s\n", s.Version, state, s.Name)
		}
		return nil
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	_, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(env.stdout, "schema up to date at version %d (%s)\n", latest, db.Engine())
		return nil
	}
	for _, v := range applied {
		fmt.Fprintf(env.stdout, "applied migration %05d\n", v)
	}
	fmt.Fprintf(env.stdout, "schema now at version %d (%s)\n", latest, db.Engine())
	return nil
}
