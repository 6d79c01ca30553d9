package database

import "context"

// ApplyProcedures runs applyProcedures in its own transaction, as the cases
// area does when it stores a case.
func ApplyProcedures(ctx context.Context, db *DB, caseID string) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.applyProcedures(caseID) })
}
