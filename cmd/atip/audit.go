package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"atip"
	"atip/internal/auditlog"
	"atip/internal/database"
)

const auditUsage = `Usage:
  atip audit verify [--checkpoint FILE]
  atip audit export [--format csv|jsonl] [--out FILE] [--action ACTION] [--actor ID]
                    [--actor-org ID] [--record-type TYPE] [--record-id ID]
                    [--since TIME] [--until TIME]
  atip audit checkpoint

verify walks the whole audit trail, recomputes every entry's hash and the
Merkle tree, checks them against the signed checkpoints, and names the first
entry that was edited, deleted, inserted or reordered. It exits 0 when the
trail is intact and 1 otherwise. --checkpoint adds a checkpoint kept outside
the database (the output of 'atip audit checkpoint', saved earlier or held by
a partner organisation): it also catches the removal of the newest entries
together with their checkpoints.

export writes the entries matching the filters, oldest first, as CSV or JSON
lines (to standard output by default); the export itself is audited.
ACTION is an exact action or a prefix ending in "." such as "auth.".
TIME is RFC 3339 (2026-03-01T00:00:00Z) or a date (2026-03-01, UTC).

checkpoint prints the latest signed checkpoint and the public key that
verifies it.

Flags (all actions):
  --db URL          SQLite file (default atip.db, env ATIP_DB) or postgres://… URL
  --audit-key FILE  audit signing key file (env ATIP_AUDIT_KEY_FILE; default:
                    the SQLite file plus .auditkey, or atip-audit.key for PostgreSQL)`

func init() {
	register(&command{name: "audit", summary: "verify, export or checkpoint the audit trail", usage: auditUsage, run: runAudit})
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, usageError("--%s: %q is not an RFC 3339 time or a YYYY-MM-DD date", field, s)
}

func runAudit(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 {
		return usageError("missing action (verify, export or checkpoint)")
	}
	action, args := args[0], args[1:]
	fs := flag.NewFlagSet("audit "+action, flag.ContinueOnError)
	cfg := addDBFlags(fs, env)
	switch action {
	case "verify":
		cpFile := fs.String("checkpoint", "", "a signed checkpoint kept outside the database")
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		var trusted []string
		if *cpFile != "" {
			b, err := os.ReadFile(*cpFile)
			if err != nil {
				return err
			}
			trusted = append(trusted, string(b))
		}
		// Never make a new key here: verifying with a fresh key would fail
		// for the wrong reason, and later entries would be signed by it.
		db, err := cfg.open(ctx, env, database.WithoutKeyCreation(), database.WithoutMigrate())
		if err != nil {
			return err
		}
		defer db.Close()
		res, err := db.VerifyAudit(ctx, trusted...)
		if err != nil {
			return err
		}
		if !res.OK() {
			return &exitError{code: 1, err: fmt.Errorf("audit trail FAILED verification: %s", res.Problem.Message)}
		}
		fmt.Fprintf(env.stdout, "audit trail intact: %d entries, %d signed checkpoints match (latest covers %d)\n",
			res.Entries, res.Checkpoints, res.Latest)
		return nil
	case "checkpoint":
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		db, err := cfg.open(ctx, env, database.WithoutKeyCreation())
		if err != nil {
			return err
		}
		defer db.Close()
		cp, err := db.LatestCheckpoint(ctx)
		if err != nil {
			return err
		}
		if cp == "" {
			return fmt.Errorf("the audit trail is empty: no checkpoint yet")
		}
		fmt.Fprint(env.stdout, cp)
		fmt.Fprintf(env.stderr, "verifier key: %s\n", db.AuditVerifierKey())
		return nil
	case "export":
		format := fs.String("format", "csv", "csv or jsonl")
		out := fs.String("out", "", "file to write (default standard output)")
		var f atip.AuditFilter
		fs.StringVar(&f.Action, "action", "", "action or action prefix ending in '.'")
		fs.StringVar(&f.ActorID, "actor", "", "actor user id")
		fs.StringVar(&f.ActorOrgID, "actor-org", "", "actor organisation id")
		fs.StringVar(&f.RecordType, "record-type", "", "record type")
		fs.StringVar(&f.RecordID, "record-id", "", "record id")
		since := fs.String("since", "", "entries at or after this time")
		until := fs.String("until", "", "entries before this time")
		if err := parseFlagsOnly(fs, args); err != nil {
			return err
		}
		if *format != "csv" && *format != "jsonl" {
			return usageError("--format must be csv or jsonl")
		}
		var err error
		if f.Since, err = parseTime("since", *since); err != nil {
			return err
		}
		if f.Until, err = parseTime("until", *until); err != nil {
			return err
		}
		db, err := cfg.open(ctx, env)
		if err != nil {
			return err
		}
		defer db.Close()
		w := env.stdout
		if *out != "" {
			file, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return err
			}
			defer file.Close()
			w = file
		}
		return exportAudit(ctx, database.NewAuditService(db), f, *format, w)
	}
	return usageError("unknown action %q (want verify, export or checkpoint)", action)
}

// auditRecord is an entry as exported: field names match the JSON API's.
type auditRecord struct {
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	ActorID    string `json:"actor_id"`
	ActorOrgID string `json:"actor_org_id"`
	Via        string `json:"via"`
	RemoteAddr string `json:"remote_addr"`
	Action     string `json:"action"`
	RecordType string `json:"record_type"`
	RecordID   string `json:"record_id"`
	Outcome    string `json:"outcome"`
	Detail     string `json:"detail"`
	BreakGlass bool   `json:"break_glass"`
}

func exportAudit(ctx context.Context, svc *database.AuditService, f atip.AuditFilter, format string, w io.Writer) error {
	ctx = atip.OperatorContext(ctx)
	var cw *csv.Writer
	enc := json.NewEncoder(w)
	if format == "csv" {
		cw = csv.NewWriter(w)
		if err := cw.Write(auditlog.CSVHeader); err != nil {
			return err
		}
	}
	err := svc.ExportAuditEntries(ctx, f, func(e *atip.AuditEntry) error {
		if cw != nil {
			return cw.Write(auditlog.CSVRow(e))
		}
		return enc.Encode(auditRecord{Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), ActorID: e.ActorID,
			ActorOrgID: e.ActorOrgID, Via: string(e.Via), RemoteAddr: e.RemoteAddr, Action: e.Action,
			RecordType: e.RecordType, RecordID: e.RecordID, Outcome: e.Outcome, Detail: e.Detail, BreakGlass: e.BreakGlass})
	})
	if err != nil {
		return err
	}
	if cw != nil {
		cw.Flush()
		return cw.Error()
	}
	return nil
}
