package database

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"atip"
	"atip/internal/auditlog"
	"atip/internal/policy"

	"golang.org/x/mod/sumdb/tlog"
)

// txHashes reads stored Merkle hashes inside a transaction, so an append
// sees the hashes written earlier in the same transaction.
type txHashes struct{ tx *Tx }

func (h txHashes) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	if len(idx) == 0 {
		return nil, nil
	}
	ph := make([]string, len(idx))
	args := make([]any, len(idx))
	for i, x := range idx {
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = x
	}
	rows, err := h.tx.QueryContext(h.tx.ctx, `SELECT idx, hash FROM audit_hashes WHERE idx IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := make(map[int64]tlog.Hash, len(idx))
	for rows.Next() {
		var i int64
		var b []byte
		if err := rows.Scan(&i, &b); err != nil {
			return nil, err
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("audit: stored hash %d has %d bytes", i, len(b))
		}
		got[i] = tlog.Hash(b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		h, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("audit: stored hash %d is missing", x)
		}
		out[i] = h
	}
	return out, nil
}

// appendAudit appends the transaction's entries to the log, extends the
// Merkle tree and stores a signed checkpoint of the new tree.
func (db *DB) appendAudit(tx *Tx) error {
	ctx := tx.ctx
	n := int64(len(tx.audits))
	var end int64
	// The UPDATE locks the head row until commit: appenders on PostgreSQL
	// queue here, so sequence numbers are dense and in commit order. (On
	// SQLite the single write connection already serialises them.)
	if err := tx.QueryRowContext(ctx, `UPDATE audit_head SET size = size + $1 WHERE id = 1 RETURNING size`, n).Scan(&end); err != nil {
		return fmt.Errorf("audit: reserve sequence numbers: %w", err)
	}
	hr := txHashes{tx}
	for i, e := range tx.audits {
		e.Seq = end - n + int64(i)
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
			(seq, at, actor_id, actor_org_id, via, remote_addr, action, record_type, record_id, outcome, detail, break_glass)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			e.Seq, e.At, e.ActorID, e.ActorOrgID, string(e.Via), e.RemoteAddr, e.Action, e.RecordType, e.RecordID,
			e.Outcome, e.Detail, e.BreakGlass); err != nil {
			return fmt.Errorf("audit: append entry: %w", err)
		}
		hashes, err := tlog.StoredHashesForRecordHash(e.Seq, auditlog.LeafHash(e), hr)
		if err != nil {
			return fmt.Errorf("audit: tree hashes: %w", err)
		}
		base := tlog.StoredHashIndex(0, e.Seq)
		for k, h := range hashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_hashes (idx, hash) VALUES ($1, $2)`, base+int64(k), h[:]); err != nil {
				return fmt.Errorf("audit: store tree hash: %w", err)
			}
		}
	}
	root, err := tlog.TreeHash(end, hr)
	if err != nil {
		return fmt.Errorf("audit: tree hash: %w", err)
	}
	signed, err := db.key.Sign(auditlog.Checkpoint{Size: end, Root: root})
	if err != nil {
		return fmt.Errorf("audit: sign checkpoint: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_checkpoints (size, signed, at) VALUES ($1, $2, $3)`, end, signed, tx.Now); err != nil {
		return fmt.Errorf("audit: store checkpoint: %w", err)
	}
	return nil
}

// LatestCheckpoint returns the latest signed checkpoint ("" for an empty
// log), for a partner or an operator to keep outside this database.
func (db *DB) LatestCheckpoint(ctx context.Context) (string, error) {
	var s string
	err := db.r.QueryRowContext(ctx, `SELECT signed FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&s)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return s, err
}

// AuditVerifierKey returns the public key that checks checkpoints.
func (db *DB) AuditVerifierKey() string { return db.key.VerifierKey() }

// VerifyAudit walks the whole audit log in one snapshot and checks it
// against its stored hashes and signed checkpoints (and any trusted
// checkpoints kept elsewhere). The first problem found is in the result.
func (db *DB) VerifyAudit(ctx context.Context, trusted ...string) (*auditlog.Result, error) {
	var res *auditlog.Result
	err := db.Read(ctx, func(tx *Tx) error {
		leaves := map[int64]tlog.Hash{}
		rows, err := tx.QueryContext(ctx, `SELECT idx, hash FROM audit_hashes ORDER BY idx`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var i int64
			var b []byte
			if err := rows.Scan(&i, &b); err != nil {
				rows.Close()
				return err
			}
			if level, n := tlog.SplitStoredHashIndex(i); level == 0 && len(b) == tlog.HashSize {
				leaves[n] = tlog.Hash(b)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var cps []string
		rows, err = tx.QueryContext(ctx, `SELECT signed FROM audit_checkpoints ORDER BY size`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			cps = append(cps, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		entries, err := tx.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer entries.Close()
		res, err = auditlog.Verify(db.key, auditlog.StoredLog{
			Next: func() (*atip.AuditEntry, error) {
				if !entries.Next() {
					return nil, entries.Err()
				}
				return scanAudit(entries)
			},
			Leaf: func(seq int64) (tlog.Hash, bool) {
				h, ok := leaves[seq]
				return h, ok
			},
			Checkpoints: cps,
			Trusted:     trusted,
		})
		return err
	})
	return res, err
}

const auditCols = `seq, at, actor_id, actor_org_id, via, remote_addr, action, record_type, record_id, outcome, detail, break_glass`

func scanAudit(r interface{ Scan(...any) error }) (*atip.AuditEntry, error) {
	var e atip.AuditEntry
	var via string
	if err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorOrgID, &via, &e.RemoteAddr, &e.Action, &e.RecordType,
		&e.RecordID, &e.Outcome, &e.Detail, &e.BreakGlass); err != nil {
		return nil, err
	}
	e.Via = atip.Via(via)
	e.At = e.At.UTC()
	return &e, nil
}

// AuditService implements atip.AuditService.
type AuditService struct{ db *DB }

// NewAuditService returns the audit trail reader.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ atip.AuditService = (*AuditService)(nil)

const (
	defaultPage = 50
	maxPage     = 1000
)

func pageSize(n int) int {
	switch {
	case n <= 0:
		return defaultPage
	case n > maxPage:
		return maxPage
	}
	return n
}

// FindAuditEntries returns entries newest first, and the cursor (the Seq to
// pass as Before) of the next page, 0 at the end. Only those with the
// audit.view permission (auditors, and the operator) may read the trail.
func (s *AuditService) FindAuditEntries(ctx context.Context, f atip.AuditFilter) ([]*atip.AuditEntry, int64, error) {
	a := atip.ActorFromContext(ctx)
	if !policy.Can(a, policy.AuditView, "") {
		if a == nil || a.User == nil {
			return nil, 0, atip.Errorf(atip.EUNAUTHORIZED, "sign in to read the audit trail")
		}
		return nil, 0, atip.Errorf(atip.EFORBIDDEN, "your role may not read the audit trail")
	}
	where, args := auditWhere(f)
	limit := pageSize(f.Limit)
	q := `SELECT ` + auditCols + ` FROM audit_log` + where + fmt.Sprintf(` ORDER BY seq DESC LIMIT %d`, limit+1)
	rows, err := s.db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: find: %w", err)
	}
	defer rows.Close()
	var out []*atip.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Seq
	}
	return out, next, nil
}

// auditWhere turns a filter into a WHERE clause ("" when empty) and its
// arguments.
func auditWhere(f atip.AuditFilter) (string, []any) {
	var c conds
	add := c.add
	if f.ActorID != "" {
		add("actor_id = ?", f.ActorID)
	}
	if f.ActorOrgID != "" {
		add("actor_org_id = ?", f.ActorOrgID)
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			add(`action LIKE ? ESCAPE '\'`, likeEscape(f.Action)+"%")
		} else {
			add("action = ?", f.Action)
		}
	}
	if f.RecordType != "" {
		add("record_type = ?", f.RecordType)
	}
	if f.RecordID != "" {
		add("record_id = ?", f.RecordID)
	}
	if !f.Since.IsZero() {
		add("at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add("at < ?", f.Until.UTC())
	}
	if f.Before > 0 {
		add("seq < ?", f.Before)
	}
	return c.clause(), c.args
}

// ExportAuditEntries calls fn for every entry matching f, oldest first
// (f.Before and f.Limit are ignored), and records the export itself in the
// trail. It needs the audit.export permission.
func (s *AuditService) ExportAuditEntries(ctx context.Context, f atip.AuditFilter, fn func(*atip.AuditEntry) error) error {
	a := atip.ActorFromContext(ctx)
	if !policy.Can(a, policy.AuditExport, "") {
		if a == nil || a.User == nil {
			return atip.Errorf(atip.EUNAUTHORIZED, "sign in to export the audit trail")
		}
		return atip.Errorf(atip.EFORBIDDEN, "your role may not export the audit trail")
	}
	f.Before, f.Limit = 0, 0
	err := s.db.Write(ctx, func(tx *Tx) error {
		tx.Audit(atip.AuditEntry{Action: "audit.export", Detail: auditFilterDetail(f)})
		return nil
	})
	if err != nil {
		return err
	}
	where, args := auditWhere(f)
	rows, err := s.db.r.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log`+where+` ORDER BY seq`, args...)
	if err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// auditFilterDetail describes an export's filter for the trail (ids and
// action names only).
func auditFilterDetail(f atip.AuditFilter) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("actor", f.ActorID)
	add("actor_org", f.ActorOrgID)
	add("action", f.Action)
	add("record_type", f.RecordType)
	add("record_id", f.RecordID)
	if !f.Since.IsZero() {
		add("since", f.Since.UTC().Format(time.RFC3339))
	}
	if !f.Until.IsZero() {
		add("until", f.Until.UTC().Format(time.RFC3339))
	}
	return strings.Join(parts, " ")
}

// likeEscape escapes LIKE's wildcards so user text matches literally.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
