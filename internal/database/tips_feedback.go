package database

import (
	"context"
	"fmt"

	"atip"
	"atip/internal/tips"
)

// ExportTipFeedback calls fn for every analyst's judgement of a tip, with
// the tip's text, oldest first and in a fixed order, so that refitting the
// scoring weights from the same stored feedback gives the same model
// (`atip tips feedback` then `atip tips fit`). orgID limits it to one
// organisation's tips ("" for all). The texts may hold personal data, so
// only the machine's operator may export them, and the export is audited.
func (s *TipService) ExportTipFeedback(ctx context.Context, orgID string, fn func(tips.Feedback) error) error {
	a := atip.ActorFromContext(ctx)
	if !a.IsOperator() {
		return atip.Errorf(atip.EFORBIDDEN, "only the operator at the command line may export tip feedback")
	}
	detail := "all organisations"
	if orgID != "" {
		detail = "org=" + orgID
	}
	if err := s.db.Write(ctx, func(tx *Tx) error {
		tx.Audit(atip.AuditEntry{Action: "tip.feedback_export", RecordType: "tip", Detail: detail})
		return nil
	}); err != nil {
		return err
	}
	q := `SELECT f.tip_id, t.text, f.relevant, f.user_id, f.at
		FROM tip_feedback f JOIN tips t ON t.id = f.tip_id`
	var args []any
	if orgID != "" {
		q += ` WHERE t.org_id = $1`
		args = append(args, orgID)
	}
	rows, err := s.db.r.QueryContext(ctx, q+` ORDER BY f.at, f.tip_id, f.user_id`, args...)
	if err != nil {
		return fmt.Errorf("tip feedback: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f tips.Feedback
		if err := rows.Scan(&f.TipID, &f.Text, &f.Relevant, &f.Analyst, &f.At); err != nil {
			return fmt.Errorf("tip feedback: %w", err)
		}
		f.At = f.At.UTC()
		if err := fn(f); err != nil {
			return err
		}
	}
	return rows.Err()
}
