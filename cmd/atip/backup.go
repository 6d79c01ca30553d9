package main

import (
	"context"
	"flag"
	"fmt"
)

const backupUsage = `Usage: atip backup --out FILE [--db URL]

Writes a consistent snapshot of the database to FILE (which must not exist)
while atip keeps running.

SQLite: FILE is a complete database file (VACUUM INTO). To restore, stop atip
and use FILE as the database: atip serve --db FILE (or copy it over atip.db).
PostgreSQL: FILE is a pg_dump custom-format archive (pg_dump must be
installed, of the server's major version). To restore into an empty database:
pg_restore --no-owner --dbname postgres://…/atip FILE

The audit signing key is kept outside the database and is not in FILE: back
up the key file (see --audit-key) separately and keep it safe; without it,
new checkpoints cannot continue the same signed trail.

Flags:
  --out FILE        where to write the snapshot
  --db URL          SQLite file (default atip.db, env ATIP_DB) or postgres://… URL
  --audit-key FILE  audit signing key file (env ATIP_AUDIT_KEY_FILE)`

func init() {
	register(&command{name: "backup", summary: "write a consistent snapshot of the database", usage: backupUsage, run: runBackup})
}

func runBackup(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfg := addDBFlags(fs, env)
	out := fs.String("out", "", "file to write the snapshot to")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("--out FILE is required")
	}
	db, err := cfg.open(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "backup written to %s (%s)\n", *out, db.Engine())
	fmt.Fprintf(env.stderr, "remember: the audit key %s is not in the backup; keep a copy of it too\n", db.AuditKeyFile())
	return nil
}
