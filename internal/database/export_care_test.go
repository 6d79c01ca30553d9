package database

import (
	"context"

	"atip"
)

// ApplyProcedures runs applyProcedures in its own transaction, as the cases
// area does when it stores a case.
func ApplyProcedures(ctx context.Context, db *DB, caseID string) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.applyProcedures(caseID) })
}

// PutCase stores a case as the cases area does (registry row and list row),
// for fixtures that set their own marking.
func PutCase(ctx context.Context, db *DB, m *atip.RecordMeta, c *atip.Case) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.putCase(c, m) })
}

// PutPerson stores a person as the cases area does.
func PutPerson(ctx context.Context, db *DB, m *atip.RecordMeta, p *atip.Person) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.putPerson(p, m) })
}
