package database

import (
	"context"
	"database/sql"
)

// Statement counting: every statement a transaction runs through Tx's own
// methods is counted on its DB, so that a test or benchmark can tell a list
// that costs a few statements from one that costs one a record (issue 3's
// policy benchmark). An atomic add is all it costs.

// QueryContext runs a query in the transaction, counted.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.db.statements.Add(1)
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query in the transaction, counted.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx.db.statements.Add(1)
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// ExecContext runs a statement in the transaction, counted.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tx.db.statements.Add(1)
	return tx.Tx.ExecContext(ctx, query, args...)
}

// Statements returns how many statements transactions have run on db since
// it was opened.
func (db *DB) Statements() int64 { return db.statements.Load() }
