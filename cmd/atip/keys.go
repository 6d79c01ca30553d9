package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"text/tabwriter"

	"atip"
	"atip/internal/database"
	"atip/internal/seal"
)

const keysUsage = `Usage:
  atip keys generate
  atip keys status [--db URL]
  atip keys rotate [--batch N] [--db URL]

Manages the master keys that seal protected data (today: two-factor
secrets) at rest. Master keys are never stored in the database: they are read
from the file named by ATIP_MASTER_KEY_FILE (or from ATIP_MASTER_KEY), base64
of 32 random bytes, one per line; the first is current, the others only open
what was sealed under them.

  generate  prints a new random master key (and nothing else) on stdout.
  status    shows, per sealed column, how many values each master key id
            wraps (ids are hashes of keys; no key is ever printed), and
            which of those keys are loaded now.
  rotate    re-wraps every data key under the current (first) master key,
            in batches of N rows (default 500), each batch one audited
            transaction. Safe while 'atip serve' runs, and safe to run again
            after an interruption: it carries on where it stopped.

To rotate to a new key:
  1. atip keys generate > new.key, then put the new key FIRST in the key file,
     the old one after it (chmod 600);
  2. restart 'atip serve' so it seals new data under the new key;
  3. atip keys rotate; then atip keys status shows nothing under the old id;
  4. remove the old key from the file, and restart 'atip serve'.

Flags:
  --db URL          SQLite file (default atip.db, env ATIP_DB) or postgres://… URL
  --audit-key FILE  audit signing key file (env ATIP_AUDIT_KEY_FILE)
  --batch N         rows per transaction when rotating (default 500)`

func init() {
	register(&command{name: "keys", summary: "generate, inspect and rotate master keys", usage: keysUsage, run: runKeys})
}

func runKeys(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 {
		return usageError("missing action (generate, status or rotate)")
	}
	action, args := args[0], args[1:]
	fs := flag.NewFlagSet("keys "+action, flag.ContinueOnError)
	switch action {
	case "generate":
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		// The key alone on stdout, so that `atip keys generate > file`
		// makes a key file; the advice on stderr.
		fmt.Fprintln(env.stdout, seal.GenerateKey())
		fmt.Fprintln(env.stderr, "Store this key in a file only its owner can read (chmod 600 FILE), outside the database")
		fmt.Fprintln(env.stderr, "and outside its backups, and set "+seal.EnvKeyFile+"=FILE. Keep a copy offline:")
		fmt.Fprintln(env.stderr, "without it, nothing sealed under it can be read again.")
		return nil
	case "status":
		cfg := addDBFlags(fs, env)
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		return keysStatus(ctx, env, cfg)
	case "rotate":
		cfg := addDBFlags(fs, env)
		batch := fs.Int("batch", 500, "rows per transaction")
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		if *batch < 1 || *batch > 100000 {
			return usageError("--batch must be between 1 and 100000")
		}
		if env.getenv(seal.EnvKeyFile) == "" && env.getenv(seal.EnvKey) == "" {
			return fmt.Errorf("no master key: set %s to the key file, the new key first", seal.EnvKeyFile)
		}
		db, err := cfg.open(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		kr, _ := seal.FromEnv(env.getenv) // opened above, so it parses
		n, err := db.RotateKeys(atip.OperatorContext(ctx), database.RotateOptions{BatchSize: *batch,
			Progress: func(p database.RotateProgress) {
				fmt.Fprintf(env.stderr, "%s: %d re-wrapped\n", p.Column, p.Total)
			}})
		if err != nil {
			return fmt.Errorf("%w (%d re-wrapped before it stopped; run it again to finish)", err, n)
		}
		fmt.Fprintf(env.stdout, "re-wrapped %d data keys under master key %s\n", n, kr.Current())
		return nil
	}
	return usageError("unknown action %q (generate, status or rotate)", action)
}

func keysStatus(ctx context.Context, env *cmdEnv, cfg *dbConfig) error {
	var loaded []string
	if env.getenv(seal.EnvKeyFile) != "" || env.getenv(seal.EnvKey) != "" {
		kr, err := seal.FromEnv(env.getenv)
		if err != nil {
			return err
		}
		loaded = kr.IDs()
	}
	db, err := cfg.open(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	counts, err := db.KeyStatus(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tMASTER KEY\tVALUES\tLOADED")
	for _, c := range counts {
		id, state := c.KeyID, "no"
		switch {
		case id == "":
			id, state = "(in clear)", "-"
		case len(loaded) > 0 && loaded[0] == id:
			state = "current"
		case slices.Contains(loaded, id):
			state = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", c.Column, id, c.Count, state)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(counts) == 0 {
		fmt.Fprintln(env.stdout, "nothing is sealed yet")
	}
	if len(loaded) > 0 {
		fmt.Fprintf(env.stdout, "current master key: %s\n", loaded[0])
	}
	return nil
}
