package database

import (
	"context"

	"atip"
	"atip/internal/deconflict"
)

// IndexSelectors runs the deconfliction index for a saved record, as the
// record stores do when they save it.
func IndexSelectors(ctx context.Context, db *DB, ref atip.RecordRef, ownerOrgID string, sels []deconflict.Selector) ([]deconflict.Match, error) {
	var out []deconflict.Match
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.indexSelectors(ref, ownerOrgID, sels)
		return err
	})
	return out, err
}

// DefaultMarking returns the marking a new record of type t made by orgID gets.
func DefaultMarking(ctx context.Context, db *DB, orgID string, t atip.RecordType) (atip.Distribution, atip.TLP, error) {
	var d atip.Distribution
	var m atip.TLP
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		d, m, err = tx.defaultMarking(orgID, t)
		return err
	})
	return d, m, err
}

// LoadRecordMetas loads the registry rows of ids as every list does (with
// the side tables' meta loaders) and returns the number of consents found.
func LoadRecordMetas(ctx context.Context, db *DB, ids []string) (int, error) {
	n := 0
	err := db.Read(ctx, func(tx *Tx) error {
		recs, err := loadRecords(ctx, tx, ids)
		for _, r := range recs {
			n += len(r.Meta.Consents)
		}
		return err
	})
	return n, err
}
