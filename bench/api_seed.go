// Package bench holds ATIP's load and speed benchmarks. The API part
// (api_*.go, and the command in bench/load) measures authenticated API reads
// and page renders over loopback against a database seeded with many
// records.
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"atip"
	"atip/internal/database"
)

// Seeded is what SeedRecords made: the ids the load generator picks from.
type Seeded struct {
	OrgIDs  []string
	UserIDs []string
}

// Records is the number of rows Seeded holds.
func (s *Seeded) Records() int { return len(s.OrgIDs) + len(s.UserIDs) }

// seedJurisdictions are gazetteer codes the seeded organisations work in.
var seedJurisdictions = []string{"IN-WB", "IN-BR", "IN-AS", "IN-JH", "IN-OR", "NP-P3", "BD-A"}

// seedRoles are the roles of seeded users, one each, in turn.
var seedRoles = []atip.Role{atip.RoleCaseworker, atip.RoleFirstResponder, atip.RoleSupervisor, atip.RoleAnalyst}

// SeedRecords writes n clearly synthetic records: one organisation for
// every 100 records and users for the rest, spread evenly over them. The
// services create one record per transaction with its audit entry, which
// would take minutes for 100,000; this writes straight to the tables in
// transactions of 10,000 rows through the database's own Write (so its
// time, locking and audit machinery are used), with one audit entry per
// transaction recording the bulk import. Seeded users have no usable
// password: nobody can sign in as them.
func SeedRecords(ctx context.Context, db *database.DB, n int) (*Seeded, error) {
	ctx = atip.OperatorContext(ctx)
	nOrgs := max(1, n/100)
	s := &Seeded{}
	for range nOrgs {
		s.OrgIDs = append(s.OrgIDs, atip.NewID())
	}
	for range n - nOrgs {
		s.UserIDs = append(s.UserIDs, atip.NewID())
	}
	const perTx = 10000
	// Organisations first (users refer to them).
	for lo := 0; lo < nOrgs; lo += perTx {
		hi := min(lo+perTx, nOrgs)
		err := db.Write(ctx, func(tx *database.Tx) error {
			cols := []string{"id", "name", "name_key", "type", "jurisdiction", "created_at", "created_by", "updated_at", "updated_by"}
			return insertRows(ctx, tx, "orgs", cols, hi-lo, func(k int) []any {
				i := lo + k
				name := fmt.Sprintf("Bench Org %06d", i)
				t := atip.OrgTypes[i%len(atip.OrgTypes)]
				return []any{s.OrgIDs[i], name, database.LoginKey(name), string(t), seedJurisdictions[i%len(seedJurisdictions)],
					tx.Now, atip.SystemActorID, tx.Now, atip.SystemActorID}
			}, "org")
		})
		if err != nil {
			return nil, fmt.Errorf("seed organisations: %w", err)
		}
	}
	for lo := 0; lo < len(s.UserIDs); lo += perTx {
		hi := min(lo+perTx, len(s.UserIDs))
		err := db.Write(ctx, func(tx *database.Tx) error {
			cols := []string{"id", "org_id", "login", "login_key", "name", "name_key", "roles", "lang", "password_hash",
				"password_changed_at", "created_at", "created_by", "updated_at", "updated_by"}
			return insertRows(ctx, tx, "users", cols, hi-lo, func(k int) []any {
				i := lo + k
				login := "bench.user." + strconv.Itoa(i)
				name := fmt.Sprintf("Bench User %06d", i)
				return []any{s.UserIDs[i], s.OrgIDs[i%nOrgs], login, database.LoginKey(login), name, database.LoginKey(name),
					string(seedRoles[i%len(seedRoles)]), atip.Languages[i%len(atip.Languages)],
					"!bench: no password", tx.Now, tx.Now, atip.SystemActorID, tx.Now, atip.SystemActorID}
			}, "user")
		})
		if err != nil {
			return nil, fmt.Errorf("seed users: %w", err)
		}
	}
	return s, nil
}

// insertRows inserts count rows into table, rowsPerStmt rows per INSERT
// through one prepared statement, and records one audit entry for the lot.
// Statements stay small: SQLite looks up $n parameters by a linear scan, so
// an INSERT with thousands of parameters spends its time in the parser.
func insertRows(ctx context.Context, tx *database.Tx, table string, cols []string, count int, row func(k int) []any, recordType string) error {
	const rowsPerStmt = 32
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	for lo := 0; lo < count; lo += rowsPerStmt {
		hi := min(lo+rowsPerStmt, count)
		st := stmts[hi-lo]
		if st == nil {
			var err error
			if st, err = tx.PrepareContext(ctx, insertSQL(table, cols, hi-lo)); err != nil {
				return err
			}
			stmts[hi-lo] = st
		}
		args := make([]any, 0, (hi-lo)*len(cols))
		for k := lo; k < hi; k++ {
			args = append(args, row(k)...)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	tx.Audit(atip.AuditEntry{Action: recordType + ".bulk_import", RecordType: recordType, Detail: "bench seed: " + strconv.Itoa(count) + " rows"})
	return nil
}

// insertSQL is an INSERT of rows rows into table.
func insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteString("$" + strconv.Itoa(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}
