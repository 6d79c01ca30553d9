package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"atip"
	"atip/internal/policy"
)

// Access requests (a user who sees a redacted record asks the owner) and
// break-glass accesses (an emergency that cannot wait for the owner).

func init() {
	holdingLoaders = append(holdingLoaders, loadOpenBreakGlass)
}

const requestCols = `id, record_id, record_type, owner_org_id, requester_id, requester_org_id, classes, purpose, reason, status,
	decided_by, decided_at, decision_note, referral_id, created_at, created_by, updated_at, updated_by`

func scanRequest(s interface{ Scan(...any) error }) (*atip.AccessRequest, string, error) {
	var r atip.AccessRequest
	var typ, owner, classes, purpose, status string
	var decided sql.NullTime
	if err := s.Scan(&r.ID, &r.Record.ID, &typ, &owner, &r.RequesterID, &r.RequesterOrgID, &classes, &purpose, &r.Reason, &status,
		&r.DecidedBy, &decided, &r.DecisionNote, &r.ReferralID, &r.CreatedAt, &r.CreatedBy, &r.UpdatedAt, &r.UpdatedBy); err != nil {
		return nil, "", err
	}
	r.Record.Type, r.Purpose, r.Status = atip.RecordType(typ), atip.Purpose(purpose), atip.AccessRequestStatus(status)
	if err := fromJSON(classes, &r.Classes); err != nil {
		return nil, "", err
	}
	r.DecidedAt = utcOrZero(decided)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, owner, nil
}

// RequestAccess stores an access request the policy allows and tells the
// owner's supervisors and admins.
func (s *SharingService) RequestAccess(ctx context.Context, req *atip.AccessRequest) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		rec, sub, _, err := tx.sharedRecord(req.Record.ID)
		if err != nil {
			return err
		}
		var v atip.Invalid
		req.Reason = cleanText(&v, "reason", req.Reason, maxSharingNote)
		if err := v.Err(); err != nil {
			return err
		}
		if err := sub.CheckAccessRequest(&rec.Meta, req.Classes, req.Purpose, req.Reason); err != nil {
			return err
		}
		return tx.insertAccessRequest(a, rec, req)
	})
}

// DecideAccessRequest approves (a grant to the requester alone, until
// expiresAt) or declines with a note; the requester is told.
func (s *SharingService) DecideAccessRequest(ctx context.Context, id string, approve bool, expiresAt time.Time, note string) (*atip.AccessRequest, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.AccessRequest
	err = s.db.Write(ctx, func(tx *Tx) error {
		req, owner, err := scanRequest(tx.QueryRowContext(ctx, `SELECT `+requestCols+` FROM access_requests WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && owner != a.User.OrgID {
			return atip.Errorf(atip.ENOTFOUND, "access request not found")
		}
		if err != nil {
			return err
		}
		rec, sub, _, err := tx.sharedRecord(req.Record.ID)
		if err != nil {
			return err
		}
		if err := sub.CheckOwnerManager(&rec.Meta); err != nil {
			return err
		}
		var v atip.Invalid
		note = cleanText(&v, "note", note, maxSharingNote)
		if !approve && note == "" {
			v.Add("note", "say why you decline")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if req.Status != atip.RequestPending {
			return atip.Errorf(atip.ECONFLICT, "the request is already %s", req.Status)
		}
		if err := claim(tx, "access_requests", id, "status = 'pending'", "the request is already decided"); err != nil {
			return err
		}
		action, kind := "access_request.decline", "sharing.notify.access_declined"
		status := atip.RequestDeclined
		if approve {
			groups, err := liveGroupIDs(ctx, tx, req.RequesterOrgID, tx.Now)
			if err != nil {
				return err
			}
			grant, err := sub.GrantFromRequest(&rec.Meta, req, groups, expiresAt.UTC().Truncate(time.Microsecond))
			if err != nil {
				return err
			}
			if err := tx.insertReferral(grant); err != nil {
				return err
			}
			status, req.ReferralID = atip.RequestApproved, grant.ID
			action, kind = "access_request.approve", "sharing.notify.access_approved"
		}
		req.Status = status
		req.DecidedBy, req.DecidedAt, req.DecisionNote = a.User.ID, tx.Now, note
		if _, err := tx.ExecContext(ctx, `UPDATE access_requests SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5,
			referral_id = $6, updated_at = $4, updated_by = $3 WHERE id = $1`,
			id, string(req.Status), a.User.ID, tx.Now, note, req.ReferralID); err != nil {
			return fmt.Errorf("database: decide access request: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: action, RecordType: string(req.Record.Type), RecordID: req.Record.ID,
			Detail: fmt.Sprintf("request=%s grant=%s", id, req.ReferralID)})
		out = req
		return tx.notify(atip.Notification{OrgID: req.RequesterOrgID, UserID: req.RequesterID, Kind: kind, Record: req.Record,
			Args: map[string]string{"ref": rec.Ref, "tlp": string(rec.Meta.TLP), "request": id}})
	})
	return out, err
}

// ---- Break-glass ----

const glassCols = `id, record_id, record_type, user_id, org_id, classes, reason, started_at, expires_at, notified_user_ids,
	reviewed_by, reviewed_at`

func scanGlass(s interface{ Scan(...any) error }) (*atip.BreakGlass, error) {
	var b atip.BreakGlass
	var typ, classes, notified string
	var reviewed sql.NullTime
	if err := s.Scan(&b.ID, &b.Record.ID, &typ, &b.UserID, &b.OrgID, &classes, &b.Reason, &b.StartedAt, &b.ExpiresAt,
		&notified, &b.ReviewedBy, &reviewed); err != nil {
		return nil, err
	}
	b.Record.Type = atip.RecordType(typ)
	if err := fromJSON(classes, &b.Classes); err != nil {
		return nil, err
	}
	if err := fromJSON(notified, &b.NotifiedUserIDs); err != nil {
		return nil, err
	}
	b.StartedAt, b.ExpiresAt, b.ReviewedAt = b.StartedAt.UTC(), b.ExpiresAt.UTC(), utcOrZero(reviewed)
	return &b, nil
}

// loadOpenBreakGlass adds the actor's own open break-glass accesses to its
// holdings: one query.
func loadOpenBreakGlass(ctx context.Context, q querier, a *atip.Actor, now time.Time, h *policy.Holdings) error {
	rows, err := q.QueryContext(ctx, `SELECT `+glassCols+` FROM break_glass WHERE user_id = $1 AND expires_at > $2`, a.User.ID, now)
	if err != nil {
		return fmt.Errorf("load break-glass: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		b, err := scanGlass(rows)
		if err != nil {
			return err
		}
		h.BreakGlass = append(h.BreakGlass, b)
	}
	return rows.Err()
}

// BreakGlass opens an emergency access the policy allows, tells every
// supervisor and admin of the owner at once (one notification each), and
// writes the audit entry with the break-glass mark.
func (s *SharingService) BreakGlass(ctx context.Context, recordID string, classes []atip.FieldClass, reason string, d time.Duration) (*atip.BreakGlass, error) {
	if _, err := userActor(ctx); err != nil {
		return nil, err
	}
	var out *atip.BreakGlass
	err := s.db.Write(ctx, func(tx *Tx) error {
		rec, sub, _, err := tx.sharedRecord(recordID)
		if err != nil {
			return err
		}
		var v atip.Invalid
		reason = cleanText(&v, "reason", reason, maxSharingNote)
		if err := v.Err(); err != nil {
			return err
		}
		b, err := sub.CheckBreakGlass(&rec.Meta, classes, reason, d)
		if err != nil {
			return err
		}
		b.ID = atip.NewID()
		b.ExpiresAt = b.ExpiresAt.UTC().Truncate(time.Microsecond)
		rows, err := tx.QueryContext(ctx, `SELECT id, roles FROM users WHERE org_id = $1 AND NOT disabled ORDER BY id`, rec.Meta.OwnerOrgID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var uid, roles string
			if err := rows.Scan(&uid, &roles); err != nil {
				rows.Close()
				return err
			}
			for _, r := range splitRoles(roles) {
				if containsRole(policy.BreakGlassNotify, r) {
					b.NotifiedUserIDs = append(b.NotifiedUserIDs, uid)
					break
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO break_glass (id, record_id, record_type, owner_org_id, user_id, org_id, classes,
			reason, started_at, expires_at, notified_user_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			b.ID, b.Record.ID, string(b.Record.Type), rec.Meta.OwnerOrgID, b.UserID, b.OrgID, jsonText(b.Classes), b.Reason,
			b.StartedAt, b.ExpiresAt, jsonText(b.NotifiedUserIDs)); err != nil {
			return fmt.Errorf("database: insert break-glass: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "record.break_glass", RecordType: string(b.Record.Type), RecordID: b.Record.ID, BreakGlass: true,
			Detail: fmt.Sprintf("break_glass=%s classes=%s expires_at=%s", b.ID, classList(b.Classes), b.ExpiresAt.Format(time.RFC3339))})
		for _, uid := range b.NotifiedUserIDs {
			if err := tx.notify(atip.Notification{OrgID: rec.Meta.OwnerOrgID, UserID: uid, Kind: "sharing.notify.break_glass",
				Record: b.Record, Args: map[string]string{"ref": rec.Ref, "tlp": string(rec.Meta.TLP), "break_glass": b.ID, "org": b.OrgID}}); err != nil {
				return err
			}
		}
		out = b
		return nil
	})
	return out, err
}

func containsRole(rs []atip.Role, r atip.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// ReviewBreakGlass records that a supervisor or admin of the owner reviewed
// a break-glass use.
func (s *SharingService) ReviewBreakGlass(ctx context.Context, id string) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		var owner string
		b, err := scanGlass(tx.QueryRowContext(ctx, `SELECT `+glassCols+` FROM break_glass WHERE id = $1`, id))
		if err == nil {
			err = tx.QueryRowContext(ctx, `SELECT owner_org_id FROM break_glass WHERE id = $1`, id).Scan(&owner)
		}
		if errors.Is(err, sql.ErrNoRows) || err == nil && owner != a.User.OrgID {
			return atip.Errorf(atip.ENOTFOUND, "break-glass access not found")
		}
		if err != nil {
			return err
		}
		rec, sub, _, err := tx.sharedRecord(b.Record.ID)
		if err != nil {
			return err
		}
		if err := sub.CheckOwnerManager(&rec.Meta); err != nil {
			return err
		}
		if err := claim(tx, "break_glass", id, "reviewed_at IS NULL", "already reviewed"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE break_glass SET reviewed_by = $2, reviewed_at = $3 WHERE id = $1`, id, a.User.ID, tx.Now); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "break_glass.review", RecordType: string(b.Record.Type), RecordID: b.Record.ID,
			Detail: "break_glass=" + id})
		return nil
	})
}

// insertAccessRequest stores a request for rec that the policy allowed and
// tells the owner's supervisors and admins.
func (tx *Tx) insertAccessRequest(a *atip.Actor, rec *StoredRecord, req *atip.AccessRequest) error {
	ctx := tx.ctx
	var pending int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM access_requests WHERE record_id = $1 AND requester_id = $2 AND status = 'pending'`,
		rec.Meta.Ref.ID, a.User.ID).Scan(&pending); err != nil {
		return err
	}
	if pending > 0 {
		return atip.Errorf(atip.ECONFLICT, "you already asked for this record; wait for the answer")
	}
	req.ID, req.Record, req.RequesterID, req.RequesterOrgID = atip.NewID(), rec.Meta.Ref, a.User.ID, a.User.OrgID
	req.Status, req.DecidedBy, req.DecidedAt, req.DecisionNote, req.ReferralID = atip.RequestPending, "", time.Time{}, "", ""
	req.Stamp = atip.Stamp{CreatedAt: tx.Now, CreatedBy: a.User.ID, UpdatedAt: tx.Now, UpdatedBy: a.User.ID}
	if _, err := tx.ExecContext(ctx, `INSERT INTO access_requests (id, record_id, record_type, owner_org_id, requester_id,
			requester_org_id, classes, purpose, reason, status, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $5, $10, $5)`,
		req.ID, req.Record.ID, string(req.Record.Type), rec.Meta.OwnerOrgID, a.User.ID, a.User.OrgID,
		jsonText(req.Classes), string(req.Purpose), req.Reason, tx.Now); err != nil {
		return fmt.Errorf("database: insert access request: %w", err)
	}
	tx.Audit(atip.AuditEntry{Action: "access_request.create", RecordType: string(req.Record.Type), RecordID: req.Record.ID,
		Detail: fmt.Sprintf("request=%s classes=%s purpose=%s", req.ID, classList(req.Classes), req.Purpose)})
	for _, role := range policy.BreakGlassNotify {
		if err := tx.notify(atip.Notification{OrgID: rec.Meta.OwnerOrgID, Role: role, Kind: "sharing.notify.access_request",
			Record: req.Record, Args: map[string]string{"ref": rec.Ref, "tlp": string(rec.Meta.TLP), "request": req.ID, "org": a.User.OrgID}}); err != nil {
			return err
		}
	}
	return nil
}
