package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"atip"
	"atip/internal/policy"
)

// Referrals (scoped, time-limited views given to another organisation) and
// transfers of ownership.

// loadReferral loads one referral by id.
func loadReferral(tx *Tx, id string) (*atip.Referral, error) {
	r, err := scanReferral(tx.QueryRowContext(tx.ctx, `SELECT `+referralCols+` FROM referrals WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, atip.Errorf(atip.ENOTFOUND, "referral not found")
	}
	return r, err
}

// checkUsersOf checks that every user id belongs to orgID.
func checkUsersOf(tx *Tx, orgID string, ids []string, field string) error {
	for _, id := range ids {
		var org string
		err := tx.QueryRowContext(tx.ctx, `SELECT org_id FROM users WHERE id = $1 AND NOT disabled`, id).Scan(&org)
		if errors.Is(err, sql.ErrNoRows) || err == nil && org != orgID {
			return invalidField(field, "%q is not a user of the receiving organisation", id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Refer makes a referral the policy allows and tells the receiver.
func (s *SharingService) Refer(ctx context.Context, r *atip.Referral) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		rec, sub, _, err := tx.sharedRecord(r.Record.ID)
		if err != nil {
			return err
		}
		var v atip.Invalid
		r.Note = cleanText(&v, "note", r.Note, maxSharingNote)
		if err := v.Err(); err != nil {
			return err
		}
		r.ID = ""
		r.Kind, r.Record, r.FromOrgID, r.GrantedBy = atip.KindReferral, rec.Meta.Ref, rec.Meta.OwnerOrgID, a.User.ID
		r.GrantedAt, r.AcceptedAt, r.DeclinedAt, r.RevokedAt, r.RevokedBy = tx.Now, time.Time{}, time.Time{}, time.Time{}, ""
		r.ExpiresAt = r.ExpiresAt.UTC().Truncate(time.Microsecond)
		slices.Sort(r.ToUserIDs)
		r.ToUserIDs = slices.Compact(r.ToUserIDs)
		if r.ToOrgID != "" && r.ToOrgID != rec.Meta.OwnerOrgID {
			ok, err := orgExists(tx, r.ToOrgID)
			if err != nil {
				return err
			}
			if !ok {
				return invalidField("to_org_id", "not an organisation on the platform")
			}
			if err := checkUsersOf(tx, r.ToOrgID, r.ToUserIDs, "to_user_ids"); err != nil {
				return err
			}
		}
		groups, err := liveGroupIDs(ctx, tx, r.ToOrgID, tx.Now)
		if err != nil {
			return err
		}
		if err := sub.CheckReferral(&rec.Meta, r, groups); err != nil {
			return err
		}
		if err := tx.insertReferral(r); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "referral.create", RecordType: string(r.Record.Type), RecordID: r.Record.ID,
			Detail: fmt.Sprintf("referral=%s to=%s classes=%s purpose=%s expires_at=%s", r.ID, r.ToOrgID, classList(r.Classes),
				r.Purpose, r.ExpiresAt.Format(time.RFC3339))})
		n := atip.Notification{OrgID: r.ToOrgID, Kind: "sharing.notify.referral", Record: r.Record,
			Args: map[string]string{"ref": rec.Ref, "tlp": string(rec.Meta.TLP), "referral": r.ID}}
		if len(r.ToUserIDs) == 0 {
			return tx.notify(n)
		}
		for _, u := range r.ToUserIDs {
			n.ID, n.UserID = "", u
			if err := tx.notify(n); err != nil {
				return err
			}
		}
		return nil
	})
}

// AnswerReferral accepts or declines a referral made to the actor's
// organisation: users there who may work on records.
func (s *SharingService) AnswerReferral(ctx context.Context, id string, accept bool, reason string) (*atip.Referral, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.Referral
	err = s.db.Write(ctx, func(tx *Tx) error {
		r, err := loadReferral(tx, id)
		if err != nil {
			return err
		}
		if r.ToOrgID != a.User.OrgID || len(r.ToUserIDs) > 0 && !slices.Contains(r.ToUserIDs, a.User.ID) && !policy.Can(a, policy.SettingsEdit, a.User.OrgID) {
			return atip.Errorf(atip.ENOTFOUND, "referral not found")
		}
		if err := require(a, policy.RecordWrite, a.User.OrgID, "answer referrals"); err != nil {
			return err
		}
		switch {
		case !r.AcceptedAt.IsZero(), !r.DeclinedAt.IsZero():
			return atip.Errorf(atip.ECONFLICT, "the referral is already answered")
		case !r.RevokedAt.IsZero():
			return atip.Errorf(atip.ECONFLICT, "the sender revoked the referral")
		case !tx.Now.Before(r.ExpiresAt):
			return atip.Errorf(atip.ECONFLICT, "the referral has expired")
		}
		var v atip.Invalid
		reason = cleanText(&v, "reason", reason, maxSharingNote)
		if !accept && reason == "" {
			v.Add("reason", "say why you decline")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := claim(tx, "referrals", id, "accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL",
			"the referral is already answered"); err != nil {
			return err
		}
		action, kind := "referral.accept", "sharing.notify.referral_accepted"
		if accept {
			_, err = tx.ExecContext(ctx, `UPDATE referrals SET accepted_at = $2, accepted_by = $3, updated_at = $2, updated_by = $3 WHERE id = $1`,
				id, tx.Now, a.User.ID)
			r.AcceptedAt = tx.Now
		} else {
			action, kind = "referral.decline", "sharing.notify.referral_declined"
			_, err = tx.ExecContext(ctx, `UPDATE referrals SET declined_at = $2, decline_reason = $4, updated_at = $2, updated_by = $3 WHERE id = $1`,
				id, tx.Now, a.User.ID, reason)
			r.DeclinedAt = tx.Now
		}
		if err != nil {
			return fmt.Errorf("database: answer referral: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: action, RecordType: string(r.Record.Type), RecordID: r.Record.ID, Detail: "referral=" + id})
		out = r
		return tx.notify(atip.Notification{OrgID: r.FromOrgID, UserID: r.GrantedBy, Kind: kind, Record: r.Record,
			Args: map[string]string{"referral": r.ID, "org": r.ToOrgID}})
	})
	return out, err
}

// RevokeReferral ends a referral or grant at once.
func (s *SharingService) RevokeReferral(ctx context.Context, id string) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		r, err := loadReferral(tx, id)
		if err != nil {
			return err
		}
		rec, sub, _, err := tx.sharedRecord(r.Record.ID)
		if err != nil {
			return err
		}
		if rec.Meta.OwnerOrgID != a.User.OrgID && r.FromOrgID != a.User.OrgID {
			return atip.Errorf(atip.ENOTFOUND, "referral not found")
		}
		if err := sub.CheckRevoke(&rec.Meta, r); err != nil {
			return err
		}
		if err := claim(tx, "referrals", id, "revoked_at IS NULL", "the referral is already revoked"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals SET revoked_at = $2, revoked_by = $3, updated_at = $2, updated_by = $3 WHERE id = $1`,
			id, tx.Now, a.User.ID); err != nil {
			return fmt.Errorf("database: revoke referral: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "referral.revoke", RecordType: string(r.Record.Type), RecordID: r.Record.ID, Detail: "referral=" + id})
		return tx.notify(atip.Notification{OrgID: r.ToOrgID, Kind: "sharing.notify.referral_revoked", Record: r.Record,
			Args: map[string]string{"ref": rec.Ref, "tlp": string(rec.Meta.TLP), "referral": r.ID}})
	})
}

// ---- Transfers ----

const transferCols = `id, record_id, record_type, from_org_id, to_org_id, purpose, reason, by_user_id, at,
	accepted_by, accepted_at, declined_at, decline_reason`

func scanTransfer(s interface{ Scan(...any) error }) (*atip.Transfer, error) {
	var t atip.Transfer
	var typ, purpose string
	var accepted, declined sql.NullTime
	if err := s.Scan(&t.ID, &t.Record.ID, &typ, &t.FromOrgID, &t.ToOrgID, &purpose, &t.Reason, &t.ByUserID, &t.At,
		&t.AcceptedBy, &accepted, &declined, &t.DeclineReason); err != nil {
		return nil, err
	}
	t.Record.Type, t.Purpose = atip.RecordType(typ), atip.Purpose(purpose)
	t.At, t.AcceptedAt, t.DeclinedAt = t.At.UTC(), utcOrZero(accepted), utcOrZero(declined)
	return &t, nil
}

// TransferRecord proposes a hand-over the policy allows. The record counts
// as holding protected data unless it was erased, so the person's consent
// must cover the receiver.
func (s *SharingService) TransferRecord(ctx context.Context, t *atip.Transfer) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		rec, sub, _, err := tx.sharedRecord(t.Record.ID)
		if err != nil {
			return err
		}
		var v atip.Invalid
		t.Reason = cleanText(&v, "reason", t.Reason, maxSharingNote)
		if err := v.Err(); err != nil {
			return err
		}
		if t.ToOrgID != "" && t.ToOrgID != rec.Meta.OwnerOrgID {
			if ok, err := orgExists(tx, t.ToOrgID); err != nil {
				return err
			} else if !ok {
				return invalidField("to_org_id", "not an organisation on the platform")
			}
		}
		groups, err := liveGroupIDs(ctx, tx, t.ToOrgID, tx.Now)
		if err != nil {
			return err
		}
		if err := sub.CheckTransfer(&rec.Meta, t.ToOrgID, groups, t.Purpose, rec.ErasedAt.IsZero()); err != nil {
			return err
		}
		var pending int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM transfers WHERE record_id = $1 AND accepted_at IS NULL AND declined_at IS NULL`,
			rec.Meta.Ref.ID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return atip.Errorf(atip.ECONFLICT, "a transfer of this record is already waiting for an answer")
		}
		t.ID, t.Record, t.FromOrgID, t.ByUserID, t.At = atip.NewID(), rec.Meta.Ref, rec.Meta.OwnerOrgID, a.User.ID, tx.Now
		t.AcceptedAt, t.AcceptedBy, t.DeclinedAt, t.DeclineReason = time.Time{}, "", time.Time{}, ""
		if _, err := tx.ExecContext(ctx, `INSERT INTO transfers (id, record_id, record_type, from_org_id, to_org_id, purpose, reason, by_user_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, t.ID, t.Record.ID, string(t.Record.Type), t.FromOrgID, t.ToOrgID,
			string(t.Purpose), t.Reason, t.ByUserID, t.At); err != nil {
			return fmt.Errorf("database: insert transfer: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "transfer.create", RecordType: string(t.Record.Type), RecordID: t.Record.ID,
			Detail: fmt.Sprintf("transfer=%s to=%s purpose=%s", t.ID, t.ToOrgID, t.Purpose)})
		return tx.notify(atip.Notification{OrgID: t.ToOrgID, Kind: "sharing.notify.transfer", Record: t.Record,
			Args: map[string]string{"ref": rec.Ref, "tlp": string(rec.Meta.TLP), "transfer": t.ID}})
	})
}

// AnswerTransfer accepts (the receiver becomes the owner at once) or
// declines a transfer made to the actor's organisation.
func (s *SharingService) AnswerTransfer(ctx context.Context, id string, accept bool, reason string) (*atip.Transfer, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.Transfer
	err = s.db.Write(ctx, func(tx *Tx) error {
		t, err := scanTransfer(tx.QueryRowContext(ctx, `SELECT `+transferCols+` FROM transfers WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && t.ToOrgID != a.User.OrgID {
			return atip.Errorf(atip.ENOTFOUND, "transfer not found")
		}
		if err != nil {
			return err
		}
		if err := require(a, policy.RecordWrite, a.User.OrgID, "answer transfers"); err != nil {
			return err
		}
		if !t.AcceptedAt.IsZero() || !t.DeclinedAt.IsZero() {
			return atip.Errorf(atip.ECONFLICT, "the transfer is already answered")
		}
		var owner string
		if err := tx.QueryRowContext(ctx, `SELECT owner_org_id FROM records WHERE id = $1`, t.Record.ID).Scan(&owner); err != nil {
			return err
		}
		if owner != t.FromOrgID {
			return atip.Errorf(atip.ECONFLICT, "the record has changed hands since")
		}
		var v atip.Invalid
		reason = cleanText(&v, "reason", reason, maxSharingNote)
		if !accept && reason == "" {
			v.Add("reason", "say why you decline")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := claim(tx, "transfers", id, "accepted_at IS NULL AND declined_at IS NULL", "the transfer is already answered"); err != nil {
			return err
		}
		action, kind := "transfer.accept", "sharing.notify.transfer_accepted"
		if accept {
			if _, err := tx.ExecContext(ctx, `UPDATE transfers SET accepted_at = $2, accepted_by = $3 WHERE id = $1`, id, tx.Now, a.User.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE records SET owner_org_id = $2, updated_at = $3, updated_by = $4 WHERE id = $1`,
				t.Record.ID, t.ToOrgID, tx.Now, a.User.ID); err != nil {
				return err
			}
			t.AcceptedAt, t.AcceptedBy = tx.Now, a.User.ID
		} else {
			action, kind = "transfer.decline", "sharing.notify.transfer_declined"
			if _, err := tx.ExecContext(ctx, `UPDATE transfers SET declined_at = $2, decline_reason = $3 WHERE id = $1`, id, tx.Now, reason); err != nil {
				return err
			}
			t.DeclinedAt, t.DeclineReason = tx.Now, reason
		}
		tx.Audit(atip.AuditEntry{Action: action, RecordType: string(t.Record.Type), RecordID: t.Record.ID,
			Detail: fmt.Sprintf("transfer=%s from=%s to=%s", t.ID, t.FromOrgID, t.ToOrgID)})
		out = t
		return tx.notify(atip.Notification{OrgID: t.FromOrgID, UserID: t.ByUserID, Kind: kind, Record: t.Record,
			Args: map[string]string{"transfer": t.ID, "org": t.ToOrgID}})
	})
	return out, err
}
