package database

import (
	"context"
	"time"

	"atip"
)

// SetMarkingForTest changes a record's distribution and TLP directly, as
// the sharing pages will, for tests of what other organisations see.
func SetMarkingForTest(ctx context.Context, db *DB, id string, d atip.Distribution, m atip.TLP) error {
	_, err := db.w.ExecContext(ctx, `UPDATE records SET distribution = $1, tlp = $2 WHERE id = $3`, string(d), string(m), id)
	return err
}

// AddStepForTest adds an open checklist step to a case, due at due.
func AddStepForTest(ctx context.Context, db *DB, caseID, stepID string, due time.Time) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO case_steps (case_id, procedure_id, version, step_id, owner_role, due_at)
		VALUES ($1, 'test', 1, $2, 'caseworker', $3)`, caseID, stepID, due.UTC())
	return err
}
