package database

import (
	"context"
	"sync"
	"testing"

	"atip"
	"atip/internal/auditlog"
	"atip/internal/policy"

	"golang.org/x/mod/sumdb/tlog"
)

// testTrees lets the tamper test rebuild stored hashes as an attacker would.
var (
	testTreesMu sync.Mutex
	testTrees   = map[testing.TB]*auditlog.Tree{}
)

// StoredHashesFor appends e as leaf n of a per-test tree and returns the
// stored hashes that leaf adds, by index.
func StoredHashesFor(t testing.TB, e *atip.AuditEntry, n int) map[int64]tlog.Hash {
	testTreesMu.Lock()
	tr := testTrees[t]
	if tr == nil {
		tr = &auditlog.Tree{}
		testTrees[t] = tr
	}
	testTreesMu.Unlock()
	before := tlog.StoredHashCount(int64(n))
	if err := tr.Append(auditlog.LeafHash(e)); err != nil {
		t.Fatal(err)
	}
	out := map[int64]tlog.Hash{}
	after := tlog.StoredHashCount(int64(n + 1))
	hs, err := tr.ReadHashes(seqRange(before, after))
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hs {
		out[before+int64(i)] = h
	}
	return out
}

func seqRange(a, b int64) []int64 {
	var out []int64
	for i := a; i < b; i++ {
		out = append(out, i)
	}
	return out
}

// PutRecord writes a shareable record through the one storage path, for
// tests of that path.
func PutRecord(ctx context.Context, db *DB, m *atip.RecordMeta, v any) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.putRecord(m, v) })
}

// ReadRecord reads one record as the actor in ctx sees it: its view, and v
// filled and redacted for that view.
func ReadRecord(ctx context.Context, db *DB, id string, v any) (policy.View, error) {
	var view policy.View
	err := db.Read(ctx, func(tx *Tx) error {
		s, err := tx.subject()
		if err != nil {
			return err
		}
		var c conds
		c.add("r.id = ?", id)
		scopeConds(&c, s.Scope(), "r")
		var ids []string
		rows, err := tx.QueryContext(ctx, `SELECT r.id FROM records r`+c.clause(), c.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var x string
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, x)
		}
		rows.Close()
		recs, err := loadRecords(ctx, tx, ids)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return atip.Errorf(atip.ENOTFOUND, "record not found")
		}
		view = s.View(&recs[0].Meta)
		return tx.decodeRecord(recs[0], view, v)
	})
	return view, err
}

// InsertReferral stores a referral as the sharing workflows do.
func InsertReferral(ctx context.Context, db *DB, r *atip.Referral) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.insertReferral(r) })
}
