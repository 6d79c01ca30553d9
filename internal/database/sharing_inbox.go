package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"atip"
	"atip/internal/policy"
)

// The sharing page of one record, an organisation's inbox and shared lists,
// and notifications.

// RecordSharing returns what the sharing page of the record shows the actor:
// everything about its sharing for the owner; the record's label, what the
// actor sees and may ask for, and their own requests to others.
func (s *SharingService) RecordSharing(ctx context.Context, recordID string) (*atip.RecordSharing, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.RecordSharing
	err = s.db.Read(ctx, func(tx *Tx) error {
		rec, sub, view, err := tx.sharedRecord(recordID)
		if err != nil {
			return err
		}
		m := &rec.Meta
		rs := &atip.RecordSharing{Label: labelOf(rec), Shown: view.Shown.List(), Glass: view.Glass.List()}
		rs.Meta = atip.RecordMeta{Ref: m.Ref, OwnerOrgID: m.OwnerOrgID, TLP: m.TLP, Distribution: m.Distribution}
		rs.Owner = m.OwnerOrgID == a.User.OrgID
		rs.CanShare = sub.Decide(m, policy.RecordShare, atip.ClassReference).Allowed()
		rs.CanTransfer = sub.Decide(m, policy.RecordTransfer, atip.ClassReference).Allowed()
		rs.CanErase = sub.Decide(m, policy.RecordErase, atip.ClassReference).Allowed() && rec.ErasedAt.IsZero()
		rs.CanConsent = sub.Decide(m, policy.RecordEdit, atip.ClassIdentity).Allowed()
		if !rs.Owner {
			for _, c := range atip.FieldClasses {
				if c.Protected() && sub.CheckAccessRequest(m, []atip.FieldClass{c}, atip.PurposeCare, strings.Repeat("x", policy.MinReasonLength)) == nil {
					rs.Requestable = append(rs.Requestable, c)
				}
			}
		}
		if rs.Owner {
			rs.Meta = *m
			if rs.Referrals, err = queryList(tx, scanReferral, `SELECT `+referralCols+` FROM referrals WHERE record_id = $1 ORDER BY id DESC`, recordID); err != nil {
				return err
			}
			if rs.Transfers, err = queryList(tx, scanTransfer, `SELECT `+transferCols+` FROM transfers WHERE record_id = $1 ORDER BY id DESC`, recordID); err != nil {
				return err
			}
			if rs.Erasures, err = queryList(tx, dropOwner(scanErasure), `SELECT `+erasureCols+` FROM erasure_requests WHERE record_id = $1 ORDER BY id DESC`, recordID); err != nil {
				return err
			}
			if rs.BreakGlass, err = queryList(tx, scanGlass, `SELECT `+glassCols+` FROM break_glass WHERE record_id = $1 ORDER BY id DESC`, recordID); err != nil {
				return err
			}
			rs.Consents = m.Consents
		} else {
			if rs.MyRequests, err = queryList(tx, dropOwner(scanRequest), `SELECT `+requestCols+` FROM access_requests WHERE record_id = $1 AND requester_id = $2 ORDER BY id DESC`, recordID, a.User.ID); err != nil {
				return err
			}
			if rs.MyGlass, err = queryList(tx, scanGlass, `SELECT `+glassCols+` FROM break_glass WHERE record_id = $1 AND user_id = $2 ORDER BY id DESC`, recordID, a.User.ID); err != nil {
				return err
			}
		}
		if rs.Matches, err = tx.orgMatches(sub, a.User.OrgID, recordID); err != nil {
			return err
		}
		out = rs
		return nil
	})
	return out, err
}

func dropOwner[T any](scan func(interface{ Scan(...any) error }) (T, string, error)) func(interface{ Scan(...any) error }) (T, error) {
	return func(s interface{ Scan(...any) error }) (T, error) {
		v, _, err := scan(s)
		return v, err
	}
}

// queryList runs q and scans every row.
func queryList[T any](tx *Tx, scan func(interface{ Scan(...any) error }) (T, error), q string, args ...any) ([]T, error) {
	rows, err := tx.QueryContext(tx.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// inboxLimit bounds each list of the inbox.
const inboxLimit = 200

// Inbox lists what waits for the actor's organisation.
func (s *SharingService) Inbox(ctx context.Context) (*atip.SharingInbox, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	org := a.User.OrgID
	in := &atip.SharingInbox{}
	err = s.db.Read(ctx, func(tx *Tx) error {
		sub, err := tx.subject()
		if err != nil {
			return err
		}
		lim := fmt.Sprintf(" LIMIT %d", inboxLimit)
		if in.Referrals, err = queryList(tx, scanReferral, `SELECT `+referralCols+` FROM referrals WHERE to_org_id = $1 AND accepted_at IS NULL
			AND declined_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY id DESC`+lim, org, tx.Now); err != nil {
			return err
		}
		if in.Transfers, err = queryList(tx, scanTransfer, `SELECT `+transferCols+` FROM transfers WHERE to_org_id = $1 AND accepted_at IS NULL
			AND declined_at IS NULL ORDER BY id DESC`+lim, org); err != nil {
			return err
		}
		if in.Requests, err = queryList(tx, dropOwner(scanRequest), `SELECT `+requestCols+` FROM access_requests WHERE owner_org_id = $1
			AND status = 'pending' ORDER BY id DESC`+lim, org); err != nil {
			return err
		}
		if in.Erasures, err = queryList(tx, dropOwner(scanErasure), `SELECT `+erasureCols+` FROM erasure_requests WHERE owner_org_id = $1
			AND status = 'pending' ORDER BY id DESC`+lim, org); err != nil {
			return err
		}
		if in.BreakGlass, err = queryList(tx, scanGlass, `SELECT `+glassCols+` FROM break_glass WHERE owner_org_id = $1
			AND reviewed_at IS NULL ORDER BY id DESC`+lim, org); err != nil {
			return err
		}
		if in.Sightings, err = queryList(tx, scanSighting, `SELECT `+sightingCols+` FROM sightings WHERE to_org_id = $1 ORDER BY id DESC`+lim, org); err != nil {
			return err
		}
		if in.Matches, err = tx.orgMatches(sub, org, ""); err != nil {
			return err
		}
		// Labels of records addressed to us or ours: every list above names
		// only such records.
		var ids []string
		for _, r := range in.Referrals {
			ids = append(ids, r.Record.ID)
		}
		for _, t := range in.Transfers {
			ids = append(ids, t.Record.ID)
		}
		for _, r := range in.Requests {
			ids = append(ids, r.Record.ID)
		}
		for _, e := range in.Erasures {
			ids = append(ids, e.Record.ID)
		}
		for _, b := range in.BreakGlass {
			ids = append(ids, b.Record.ID)
		}
		for _, sg := range in.Sightings {
			ids = append(ids, sg.Record.ID)
		}
		for _, m := range in.Matches {
			ids = append(ids, m.Record.ID)
		}
		in.Labels, err = labels(ctx, tx, ids)
		return err
	})
	return in, err
}

const sightingCols = `id, record_id, record_type, from_org_id, to_org_id, selector_ref, note, at, by_user_id`

func scanSighting(s interface{ Scan(...any) error }) (*atip.Sighting, error) {
	var sg atip.Sighting
	var typ string
	if err := s.Scan(&sg.ID, &sg.Record.ID, &typ, &sg.FromOrgID, &sg.ToOrgID, &sg.SelectorRef, &sg.Note, &sg.At, &sg.ByUserID); err != nil {
		return nil, err
	}
	sg.Record.Type, sg.At = atip.RecordType(typ), sg.At.UTC()
	return &sg, nil
}

// Shared lists the live referrals and grants made by and to the actor's
// organisation ("shared by us" / "shared with us"), for its managers.
func (s *SharingService) Shared(ctx context.Context) (*atip.SharedLists, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	if !policy.Can(a, policy.SettingsEdit, a.User.OrgID) && !containsRole(a.User.Roles, atip.RoleSupervisor) {
		return nil, atip.Errorf(atip.EFORBIDDEN, "the shared lists are for supervisors and organisation admins")
	}
	out := &atip.SharedLists{}
	err = s.db.Read(ctx, func(tx *Tx) error {
		live := ` AND accepted_at IS NOT NULL AND declined_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 500`
		if out.ByUs, err = queryList(tx, scanReferral, `SELECT `+referralCols+` FROM referrals WHERE from_org_id = $1`+live, a.User.OrgID, tx.Now); err != nil {
			return err
		}
		if out.WithUs, err = queryList(tx, scanReferral, `SELECT `+referralCols+` FROM referrals WHERE to_org_id = $1`+live, a.User.OrgID, tx.Now); err != nil {
			return err
		}
		var ids []string
		for _, r := range append(append([]*atip.Referral{}, out.ByUs...), out.WithUs...) {
			ids = append(ids, r.Record.ID)
		}
		out.Labels, err = labels(ctx, tx, ids)
		return err
	})
	return out, err
}

// ---- Notifications ----

// notifyWhere selects the actor's notifications: their own, and their
// organisation's for one of their roles or for everyone.
func notifyWhere(a *atip.Actor, first int) (string, []any) {
	roles := []string{""}
	for _, r := range a.User.Roles {
		roles = append(roles, string(r))
	}
	in, args := inList(roles, first+2)
	return fmt.Sprintf(`org_id = $%d AND (user_id = $%d OR (user_id IS NULL AND role IN (%s)))`, first, first+1, in),
		append([]any{a.User.OrgID, a.User.ID}, args...)
}

func scanNotification(s interface{ Scan(...any) error }) (*atip.Notification, error) {
	var n atip.Notification
	var user sql.NullString
	var role, typ, args string
	var read sql.NullTime
	if err := s.Scan(&n.ID, &n.OrgID, &user, &role, &n.Kind, &n.Record.ID, &typ, &args, &n.CreatedAt, &read, &n.ReadBy); err != nil {
		return nil, err
	}
	n.UserID, n.Role, n.Record.Type = user.String, atip.Role(role), atip.RecordType(typ)
	if err := json.Unmarshal([]byte(args), &n.Args); err != nil {
		return nil, err
	}
	n.CreatedAt, n.ReadAt = n.CreatedAt.UTC(), utcOrZero(read)
	return &n, nil
}

// Notifications lists the actor's notifications, newest first.
func (s *SharingService) Notifications(ctx context.Context, limit int) ([]*atip.Notification, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []*atip.Notification
	err = s.db.Read(ctx, func(tx *Tx) error {
		where, args := notifyWhere(a, 1)
		out, err = queryList(tx, scanNotification, `SELECT id, org_id, user_id, role, kind, record_id, record_type, args, created_at,
			read_at, read_by FROM notifications WHERE `+where+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit), args...)
		return err
	})
	return out, err
}

// UnreadNotifications counts the actor's unread notifications.
func (s *SharingService) UnreadNotifications(ctx context.Context) (int, error) {
	a, err := userActor(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.Read(ctx, func(tx *Tx) error {
		where, args := notifyWhere(a, 1)
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE read_at IS NULL AND `+where, args...).Scan(&n)
	})
	return n, err
}

// MarkNotificationRead marks one of the actor's notifications read.
func (s *SharingService) MarkNotificationRead(ctx context.Context, id string) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		where, args := notifyWhere(a, 2)
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1, read_by = $`+fmt.Sprint(len(args)+2)+
			` WHERE id = $`+fmt.Sprint(len(args)+3)+` AND read_at IS NULL AND `+where, append(append([]any{tx.Now}, args...), a.User.ID, id)...)
		if err != nil {
			return fmt.Errorf("database: mark read: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var x int
			where, args := notifyWhere(a, 1)
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM notifications WHERE id = $`+fmt.Sprint(len(args)+1)+` AND `+where, append(args, id)...).Scan(&x)
			if errors.Is(err, sql.ErrNoRows) {
				return atip.Errorf(atip.ENOTFOUND, "notification not found")
			}
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "notification.read", RecordType: "notification", RecordID: id})
		return nil
	})
}
