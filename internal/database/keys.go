package database

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"

	"atip"
	"atip/internal/seal"
)

// sealedColumn is one column whose values carry a data key wrapped under a
// master key. Every such column is listed in sealedColumns, so that `atip
// keys status` counts it and `atip keys rotate` re-wraps it: a new sealed
// column that is not listed would keep the old master key alive for ever.
type sealedColumn struct {
	Table, IDColumn, Column string
	// Record is the seal record id the wrapped key is bound to (its
	// associated data), from the row's id.
	Record func(id string) string
}

// Name is how reports call the column: "table.column".
func (c sealedColumn) Name() string { return c.Table + "." + c.Column }

// sealedColumns lists every sealed column. Values are the text envelope of
// sealEnvelope: "sealed:v1:" base64(wrapped key) "." base64(ciphertext).
var sealedColumns = []sealedColumn{
	{Table: "users", IDColumn: "id", Column: "totp_secret", Record: totpRecord},
	{Table: "records", IDColumn: "id", Column: "dek", Record: dekRecord},
}

// splitEnvelope returns the wrapped key and the ciphertext of a sealed
// value; ok is false for a value stored in clear.
func splitEnvelope(stored string) (wrapped, ct []byte, ok bool, err error) {
	rest, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return nil, nil, false, nil
	}
	w, c, found := strings.Cut(rest, ".")
	b64 := base64.RawStdEncoding
	wrapped, err1 := b64.DecodeString(w)
	ct, err2 := b64.DecodeString(c)
	if !found || err1 != nil || err2 != nil {
		return nil, nil, true, errors.New("malformed sealed value")
	}
	return wrapped, ct, true, nil
}

// joinEnvelope is the inverse of splitEnvelope.
func joinEnvelope(wrapped, ct []byte) string {
	b64 := base64.RawStdEncoding
	return sealedPrefix + b64.EncodeToString(wrapped) + "." + b64.EncodeToString(ct)
}

// KeyCount is how many values of a sealed column are wrapped under one
// master key; KeyID is "" for values stored in clear (sealed before a
// master key was configured) and "?" for values that cannot be parsed.
type KeyCount struct {
	Column string
	KeyID  string
	Count  int
}

// KeyStatus counts, per sealed column, the values wrapped under each master
// key id. It needs no key and shows none: ids are hashes of the keys.
func (db *DB) KeyStatus(ctx context.Context) ([]KeyCount, error) {
	var out []KeyCount
	for _, c := range sealedColumns {
		counts := map[string]int{}
		// Table and column names come from sealedColumns, never from input.
		rows, err := db.r.QueryContext(ctx, `SELECT `+c.Column+` FROM `+c.Table+` WHERE `+c.Column+` <> ''`)
		if err != nil {
			return nil, fmt.Errorf("key status of %s: %w", c.Name(), err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			wrapped, _, sealed, err := splitEnvelope(v)
			id := ""
			if sealed {
				if err == nil {
					id, err = seal.WrappedKeyID(wrapped)
				}
				if err != nil {
					id = "?"
				}
			}
			counts[id]++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(counts))
		for id := range counts {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			out = append(out, KeyCount{Column: c.Name(), KeyID: id, Count: counts[id]})
		}
	}
	return out, nil
}

// RotateOptions tunes RotateKeys.
type RotateOptions struct {
	// BatchSize is how many rows one transaction re-wraps; 0 means 500.
	BatchSize int
	// Progress, when set, is called after each committed batch.
	Progress func(RotateProgress)
}

// RotateProgress reports one committed batch.
type RotateProgress struct {
	Column    string
	Rewrapped int // in this batch
	Total     int // in this column so far
}

// RotateKeys re-wraps every sealed value's data key under the keyring's
// current master key. Values already under it are left alone, so a rotation
// that was interrupted (a crash, Ctrl-C) is finished by running it again.
// Each batch is one transaction with its own audit entry; a row changed by
// the running server between the read and the write (a user enrolling a new
// second factor) is updated only if still as read, so nothing written
// meanwhile is lost. The field ciphertexts are never touched: only the
// wrapped data keys change. It returns how many values were re-wrapped.
//
// Run it after restarting the server with the new key first in
// ATIP_MASTER_KEY_FILE and the old one after it, so that what the server
// seals meanwhile is under the new key too; remove the old key afterwards.
func (db *DB) RotateKeys(ctx context.Context, opts RotateOptions) (int, error) {
	if db.keyring == nil {
		return 0, errors.New("database: no master key is configured (ATIP_MASTER_KEY_FILE): nothing to rotate to")
	}
	a, err := actor(ctx)
	if err != nil {
		return 0, err
	}
	// Whoever rotates holds the master keys: the machine's operator, at the
	// command line, never a user of the application.
	if !a.IsOperator() {
		return 0, atip.Errorf(atip.EFORBIDDEN, "only the machine's operator rotates master keys")
	}
	batch := opts.BatchSize
	if batch <= 0 {
		batch = 500
	}
	total := 0
	for _, c := range sealedColumns {
		n, err := db.rotateColumn(ctx, c, batch, opts.Progress)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

type sealedRow struct{ id, value string }

func (db *DB) rotateColumn(ctx context.Context, c sealedColumn, batch int, progress func(RotateProgress)) (int, error) {
	current := db.keyring.Current()
	after, total := "", 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var done bool
		n := 0
		err := db.Write(ctx, func(tx *Tx) error {
			n = 0
			rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s FROM %s WHERE %s > $1 AND %s LIKE $2 ORDER BY %s LIMIT %d`,
				c.IDColumn, c.Column, c.Table, c.IDColumn, c.Column, c.IDColumn, batch), after, sealedPrefix+"%")
			if err != nil {
				return err
			}
			var page []sealedRow
			for rows.Next() {
				var r sealedRow
				if err := rows.Scan(&r.id, &r.value); err != nil {
					rows.Close()
					return err
				}
				page = append(page, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			done = len(page) < batch
			if len(page) > 0 {
				after = page[len(page)-1].id
			}
			for _, r := range page {
				wrapped, ct, _, err := splitEnvelope(r.value)
				if err != nil {
					return fmt.Errorf("%s of %s: %w", c.Name(), r.id, err)
				}
				rewrapped, changed, err := db.keyring.Rewrap(c.Record(r.id), wrapped)
				if err != nil {
					return fmt.Errorf("%s of %s: %w", c.Name(), r.id, err)
				}
				if !changed {
					continue
				}
				res, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET %s = $1 WHERE %s = $2 AND %s = $3`,
					c.Table, c.Column, c.IDColumn, c.Column), joinEnvelope(rewrapped, ct), r.id, r.value)
				if err != nil {
					return err
				}
				if k, _ := res.RowsAffected(); k == 1 {
					n++
				}
			}
			if n > 0 {
				tx.Audit(atip.AuditEntry{Action: "keys.rotate", RecordType: "sealed_column", RecordID: c.Name(),
					Detail: fmt.Sprintf("rewrapped=%d to=%s", n, current)})
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("rotate %s: %w", c.Name(), err)
		}
		total += n
		if progress != nil && n > 0 {
			progress(RotateProgress{Column: c.Name(), Rewrapped: n, Total: total})
		}
		if done {
			return total, nil
		}
	}
}
