package database

import (
	"errors"

	"atip/internal/textnorm"

	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/text/cases"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// isUniqueViolation reports whether err is a unique-constraint violation on
// either engine. It is the one place that knows both drivers' error types.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// foldKey is the normalised form stored in *_key columns and compared in
// searches: NFC, ASCII digits, single spaces, and full Unicode case folding
// (SQLite's lower() folds only ASCII, and PostgreSQL's LIKE is
// case-sensitive, so the folding is done here, once, for both).
func foldKey(s string) string {
	return cases.Fold().String(textnorm.Clean(s))
}
