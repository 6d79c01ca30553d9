package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"atip"
	"atip/internal/policy"
)

// This file stores referrals and access grants (atip.Referral) and loads the
// live ones an organisation holds into its policy holdings. The workflows
// that make, answer and revoke them check the policy first and then call
// insertReferral / the update helpers here: one place writes the table.

func init() {
	holdingLoaders = append(holdingLoaders, loadHeldReferrals)
}

const referralCols = `id, kind, record_id, record_type, from_org_id, to_org_id, to_user_ids, classes, purpose, note,
	granted_by, granted_at, expires_at, accepted_at, accepted_by, declined_at, revoked_at, revoked_by,
	created_at, created_by, updated_at, updated_by`

// loadHeldReferrals adds the referrals and grants made to the actor's
// organisation that have not expired: one query.
func loadHeldReferrals(ctx context.Context, q querier, a *atip.Actor, now time.Time, h *policy.Holdings) error {
	rows, err := q.QueryContext(ctx, `SELECT `+referralCols+` FROM referrals
		WHERE to_org_id = $1 AND expires_at > $2 AND accepted_at IS NOT NULL AND declined_at IS NULL AND revoked_at IS NULL`,
		a.User.OrgID, now)
	if err != nil {
		return fmt.Errorf("load referrals held: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return err
		}
		h.Referrals = append(h.Referrals, r)
	}
	return rows.Err()
}

func scanReferral(s interface{ Scan(...any) error }) (*atip.Referral, error) {
	var r atip.Referral
	var kind, typ, users, classes, purpose, acceptedBy string
	var accepted, declined, revoked sql.NullTime
	if err := s.Scan(&r.ID, &kind, &r.Record.ID, &typ, &r.FromOrgID, &r.ToOrgID, &users, &classes, &purpose, &r.Note,
		&r.GrantedBy, &r.GrantedAt, &r.ExpiresAt, &accepted, &acceptedBy, &declined, &revoked, &r.RevokedBy,
		&r.CreatedAt, &r.CreatedBy, &r.UpdatedAt, &r.UpdatedBy); err != nil {
		return nil, err
	}
	r.Kind, r.Record.Type, r.Purpose = atip.ReferralKind(kind), atip.RecordType(typ), atip.Purpose(purpose)
	if err := json.Unmarshal([]byte(users), &r.ToUserIDs); err != nil {
		return nil, fmt.Errorf("referral %s: users: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(classes), &r.Classes); err != nil {
		return nil, fmt.Errorf("referral %s: classes: %w", r.ID, err)
	}
	r.GrantedAt, r.ExpiresAt = r.GrantedAt.UTC(), r.ExpiresAt.UTC()
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	for _, p := range []struct {
		n *sql.NullTime
		t *time.Time
	}{{&accepted, &r.AcceptedAt}, {&declined, &r.DeclinedAt}, {&revoked, &r.RevokedAt}} {
		if p.n.Valid {
			*p.t = p.n.Time.UTC()
		}
	}
	return &r, nil
}

// insertReferral stores a referral or grant the policy has already allowed
// (policy.Subject.CheckReferral, GrantFromRequest). Its id and stamps are
// filled in.
func (tx *Tx) insertReferral(r *atip.Referral) error {
	if r.ID == "" {
		r.ID = atip.NewID()
	}
	who := actorID(tx.ctx)
	r.CreatedAt, r.CreatedBy, r.UpdatedAt, r.UpdatedBy = tx.Now, who, tx.Now, who
	if r.GrantedAt.IsZero() {
		r.GrantedAt = tx.Now
	}
	users, err := json.Marshal(nonNil(r.ToUserIDs))
	if err != nil {
		return err
	}
	classes, err := json.Marshal(nonNil(r.Classes))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(tx.ctx, `INSERT INTO referrals (id, kind, record_id, record_type, from_org_id, to_org_id,
		to_user_ids, classes, purpose, note, granted_by, granted_at, expires_at, accepted_at, accepted_by,
		created_at, created_by, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $16, $17)`,
		r.ID, string(r.Kind), r.Record.ID, string(r.Record.Type), r.FromOrgID, r.ToOrgID, string(users), string(classes),
		string(r.Purpose), r.Note, r.GrantedBy, r.GrantedAt, r.ExpiresAt, nullTime(r.AcceptedAt), "", tx.Now, who)
	if err != nil {
		return fmt.Errorf("database: insert referral: %w", err)
	}
	return nil
}

// nullTime is NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
