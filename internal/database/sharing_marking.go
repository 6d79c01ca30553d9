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

// Markings, per-organisation defaults and retention rules, and erasure
// with a second person's approval.

// SetMarking changes a record's distribution, TLP, groups and shared
// operational class, as the policy allows.
func (s *SharingService) SetMarking(ctx context.Context, recordID string, mc atip.MarkingChange) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		rec, sub, _, err := tx.sharedRecord(recordID)
		if err != nil {
			return err
		}
		groups := slices.Clone(mc.GroupIDs)
		slices.Sort(groups)
		groups = slices.Compact(groups)
		m := policy.Marking{Distribution: mc.Distribution, TLP: mc.TLP, GroupIDs: groups}
		if mc.SharedOperational {
			m.SharedClasses = []atip.FieldClass{atip.ClassOperational}
		}
		if err := sub.CheckMarking(&rec.Meta, m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET distribution = $2, tlp = $3, shared_operational = $4,
			updated_at = $5, updated_by = $6 WHERE id = $1`, recordID, string(mc.Distribution), string(mc.TLP), mc.SharedOperational,
			tx.Now, a.User.ID); err != nil {
			return fmt.Errorf("database: marking: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_groups WHERE record_id = $1`, recordID); err != nil {
			return err
		}
		for _, g := range groups {
			if _, err := tx.ExecContext(ctx, `INSERT INTO record_groups (record_id, group_id) VALUES ($1, $2)`, recordID, g); err != nil {
				return err
			}
		}
		tx.Audit(atip.AuditEntry{Action: "record.marking", RecordType: string(rec.Meta.Ref.Type), RecordID: recordID,
			Detail: fmt.Sprintf("distribution=%s tlp=%s groups=%d operational=%t", mc.Distribution, mc.TLP, len(groups), mc.SharedOperational)})
		return nil
	})
}

// settingsActor is a user who may change their organisation's settings.
func settingsActor(ctx context.Context) (*atip.Actor, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	return a, require(a, policy.SettingsEdit, a.User.OrgID, "change the organisation's sharing settings")
}

func sharingDefaults(ctx context.Context, q querier, orgID string) ([]atip.SharingDefault, error) {
	rows, err := q.QueryContext(ctx, `SELECT record_type, distribution, tlp FROM sharing_defaults WHERE org_id = $1 ORDER BY record_type`, orgID)
	if err != nil {
		return nil, fmt.Errorf("database: sharing defaults: %w", err)
	}
	defer rows.Close()
	var out []atip.SharingDefault
	for rows.Next() {
		d := atip.SharingDefault{OrgID: orgID}
		var typ, dist, tlp string
		if err := rows.Scan(&typ, &dist, &tlp); err != nil {
			return nil, err
		}
		d.RecordType, d.Distribution, d.TLP = atip.RecordType(typ), atip.Distribution(dist), atip.TLP(tlp)
		out = append(out, d)
	}
	return out, rows.Err()
}

// defaultMarking is the marking a new record of type t made by orgID gets:
// the organisation's default for the type, or owner-only and AMBER.
func (tx *Tx) defaultMarking(orgID string, t atip.RecordType) (atip.Distribution, atip.TLP, error) {
	ds, err := sharingDefaults(tx.ctx, tx, orgID)
	if err != nil {
		return "", "", err
	}
	d, m := policy.DefaultMarking(ds, orgID, t)
	return d, m, nil
}

// SharingDefaults lists the actor's organisation's defaults.
func (s *SharingService) SharingDefaults(ctx context.Context) ([]atip.SharingDefault, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out []atip.SharingDefault
	err = s.db.Read(ctx, func(tx *Tx) error {
		out, err = sharingDefaults(ctx, tx, a.User.OrgID)
		return err
	})
	return out, err
}

// SetSharingDefault sets the default marking of a record type for the
// actor's organisation. A default wider than its TLP allows is refused.
func (s *SharingService) SetSharingDefault(ctx context.Context, d atip.SharingDefault) error {
	a, err := settingsActor(ctx)
	if err != nil {
		return err
	}
	var v atip.Invalid
	if !d.RecordType.Valid() {
		v.Add("record_type", "unknown record type")
	}
	if !d.TLP.Valid() {
		v.Add("tlp", "must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED")
	}
	switch {
	case !d.Distribution.Valid():
		v.Add("distribution", "must be one of owner, groups, platform")
	case d.TLP.Valid() && d.Distribution.Rank() > d.TLP.MaxDistribution().Rank():
		v.Add("distribution", "a TLP:%s record may go no wider than %s", d.TLP, d.TLP.MaxDistribution())
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sharing_defaults WHERE org_id = $1 AND record_type = $2`, a.User.OrgID, string(d.RecordType)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sharing_defaults (org_id, record_type, distribution, tlp) VALUES ($1, $2, $3, $4)`,
			a.User.OrgID, string(d.RecordType), string(d.Distribution), string(d.TLP)); err != nil {
			return fmt.Errorf("database: sharing default: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "sharing.default", RecordType: "org", RecordID: a.User.OrgID,
			Detail: fmt.Sprintf("type=%s distribution=%s tlp=%s", d.RecordType, d.Distribution, d.TLP)})
		return nil
	})
}

func retentionRules(ctx context.Context, q querier, orgID string) ([]atip.RetentionRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT record_type, keep_days FROM retention_rules WHERE org_id = $1 ORDER BY record_type`, orgID)
	if err != nil {
		return nil, fmt.Errorf("database: retention rules: %w", err)
	}
	defer rows.Close()
	var out []atip.RetentionRule
	for rows.Next() {
		var typ string
		var days int
		if err := rows.Scan(&typ, &days); err != nil {
			return nil, err
		}
		out = append(out, atip.RetentionRule{RecordType: atip.RecordType(typ), KeepFor: time.Duration(days) * 24 * time.Hour})
	}
	return out, rows.Err()
}

// RetentionRules lists the actor's organisation's rules.
func (s *SharingService) RetentionRules(ctx context.Context) ([]atip.RetentionRule, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out []atip.RetentionRule
	err = s.db.Read(ctx, func(tx *Tx) error {
		out, err = retentionRules(ctx, tx, a.User.OrgID)
		return err
	})
	return out, err
}

// maxRetentionDays bounds a rule: a century.
const maxRetentionDays = 36500

// SetRetentionRule sets a rule in whole days, or removes it when KeepFor is 0.
func (s *SharingService) SetRetentionRule(ctx context.Context, r atip.RetentionRule) error {
	a, err := settingsActor(ctx)
	if err != nil {
		return err
	}
	var v atip.Invalid
	if !r.RecordType.Valid() {
		v.Add("record_type", "unknown record type")
	}
	days := int(r.KeepFor / (24 * time.Hour))
	if r.KeepFor < 0 || r.KeepFor > 0 && days < 1 || days > maxRetentionDays {
		v.Add("keep_days", "between 1 and %d days, or 0 for no rule", maxRetentionDays)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM retention_rules WHERE org_id = $1 AND record_type = $2`, a.User.OrgID, string(r.RecordType)); err != nil {
			return err
		}
		if days > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO retention_rules (org_id, record_type, keep_days) VALUES ($1, $2, $3)`,
				a.User.OrgID, string(r.RecordType), days); err != nil {
				return fmt.Errorf("database: retention rule: %w", err)
			}
		}
		tx.Audit(atip.AuditEntry{Action: "retention.rule", RecordType: "org", RecordID: a.User.OrgID,
			Detail: fmt.Sprintf("type=%s keep_days=%d", r.RecordType, days)})
		return nil
	})
}

// maxDue bounds the list of records due for erasure on one page.
const maxDue = 500

// RetentionDue lists the actor's organisation's records past their
// retention period, oldest first, not erased yet.
func (s *SharingService) RetentionDue(ctx context.Context) ([]atip.RecordLabel, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := require(a, policy.RecordWrite, a.User.OrgID, "see records due for erasure"); err != nil {
		return nil, err
	}
	var out []atip.RecordLabel
	err = s.db.Read(ctx, func(tx *Tx) error {
		rules, err := retentionRules(ctx, tx, a.User.OrgID)
		if err != nil || len(rules) == 0 {
			return err
		}
		for _, rule := range rules {
			// The oldest instant a record may start counting from and be due.
			cutoff := tx.Now.Add(-rule.KeepFor)
			rows, err := tx.QueryContext(ctx, `SELECT id, type, ref, tlp, created_at, closed_at FROM records
				WHERE owner_org_id = $1 AND type = $2 AND erased_at IS NULL AND COALESCE(closed_at, created_at) <= $3
				ORDER BY id LIMIT $4`, a.User.OrgID, string(rule.RecordType), cutoff, maxDue)
			if err != nil {
				return fmt.Errorf("database: retention due: %w", err)
			}
			for rows.Next() {
				var l atip.RecordLabel
				var typ, tlp string
				var created time.Time
				var closed sql.NullTime
				if err := rows.Scan(&l.Record.ID, &typ, &l.Ref, &tlp, &created, &closed); err != nil {
					rows.Close()
					return err
				}
				l.Record.Type, l.TLP, l.OwnerOrgID = atip.RecordType(typ), atip.TLP(tlp), a.User.OrgID
				if policy.RetentionDue(rules, l.Record.Type, created.UTC(), utcOrZero(closed), tx.Now) {
					out = append(out, l)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// ---- Erasure ----

const erasureCols = `id, record_id, record_type, owner_org_id, reason, requested_by, requested_at, status, decided_by, decided_at`

func scanErasure(s interface{ Scan(...any) error }) (*atip.ErasureRequest, string, error) {
	var e atip.ErasureRequest
	var typ, owner, status string
	var decided sql.NullTime
	if err := s.Scan(&e.ID, &e.Record.ID, &typ, &owner, &e.Reason, &e.RequestedBy, &e.RequestedAt, &status, &e.DecidedBy, &decided); err != nil {
		return nil, "", err
	}
	e.Record.Type, e.Status = atip.RecordType(typ), atip.ErasureStatus(status)
	e.RequestedAt, e.DecidedAt = e.RequestedAt.UTC(), utcOrZero(decided)
	return &e, owner, nil
}

// RequestErasure asks for a record to be anonymised.
func (s *SharingService) RequestErasure(ctx context.Context, recordID, reason string) (*atip.ErasureRequest, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.ErasureRequest
	err = s.db.Write(ctx, func(tx *Tx) error {
		rec, sub, _, err := tx.sharedRecord(recordID)
		if err != nil {
			return err
		}
		if !sub.Decide(&rec.Meta, policy.RecordErase, atip.ClassReference).Allowed() {
			return atip.Errorf(atip.EFORBIDDEN, "only the owning organisation's supervisors ask for erasure")
		}
		if !rec.ErasedAt.IsZero() {
			return atip.Errorf(atip.ECONFLICT, "the record is already erased")
		}
		var v atip.Invalid
		reason = cleanText(&v, "reason", reason, maxSharingNote)
		if reason == "" {
			v.Add("reason", "say why")
		}
		if err := v.Err(); err != nil {
			return err
		}
		var pending int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM erasure_requests WHERE record_id = $1 AND status = 'pending'`, recordID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return atip.Errorf(atip.ECONFLICT, "an erasure of this record is already waiting for approval")
		}
		e := &atip.ErasureRequest{ID: atip.NewID(), Record: rec.Meta.Ref, Reason: reason, RequestedBy: a.User.ID, RequestedAt: tx.Now,
			Status: atip.ErasurePending}
		if _, err := tx.ExecContext(ctx, `INSERT INTO erasure_requests (id, record_id, record_type, owner_org_id, reason, requested_by,
			requested_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')`,
			e.ID, e.Record.ID, string(e.Record.Type), rec.Meta.OwnerOrgID, e.Reason, e.RequestedBy, e.RequestedAt); err != nil {
			return fmt.Errorf("database: insert erasure request: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "erasure.request", RecordType: string(e.Record.Type), RecordID: e.Record.ID, Detail: "erasure=" + e.ID})
		out = e
		return tx.notify(atip.Notification{OrgID: rec.Meta.OwnerOrgID, Role: atip.RoleSupervisor, Kind: "sharing.notify.erasure",
			Record: e.Record, Args: map[string]string{"ref": rec.Ref, "tlp": string(rec.Meta.TLP), "erasure": e.ID}})
	})
	return out, err
}

// DecideErasure approves or declines an erasure request: a second person at
// the owner. Approval deletes the sealed record and its data key at once;
// the registry row keeps its reference fields, and the audit trail its
// entries.
func (s *SharingService) DecideErasure(ctx context.Context, id string, approve bool) (*atip.ErasureRequest, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.ErasureRequest
	err = s.db.Write(ctx, func(tx *Tx) error {
		e, owner, err := scanErasure(tx.QueryRowContext(ctx, `SELECT `+erasureCols+` FROM erasure_requests WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && owner != a.User.OrgID {
			return atip.Errorf(atip.ENOTFOUND, "erasure request not found")
		}
		if err != nil {
			return err
		}
		rec, sub, _, err := tx.sharedRecord(e.Record.ID)
		if err != nil {
			return err
		}
		if !sub.CanApproveErasure(&rec.Meta, e.RequestedBy) {
			return atip.Errorf(atip.EFORBIDDEN, "a second supervisor of the owning organisation decides, not the one who asked")
		}
		if e.Status != atip.ErasurePending {
			return atip.Errorf(atip.ECONFLICT, "the request is already %s", e.Status)
		}
		if err := claim(tx, "erasure_requests", id, "status = 'pending'", "the request is already decided"); err != nil {
			return err
		}
		e.Status, e.DecidedBy, e.DecidedAt = atip.ErasureDeclined, a.User.ID, tx.Now
		if approve {
			e.Status = atip.ErasureApproved
			if _, err := tx.ExecContext(ctx, `DELETE FROM record_secrets WHERE record_id = $1`, e.Record.ID); err != nil {
				return fmt.Errorf("database: erase: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE records SET dek = '', erased_at = $2, updated_at = $2, updated_by = $3 WHERE id = $1`,
				e.Record.ID, tx.Now, a.User.ID); err != nil {
				return fmt.Errorf("database: erase: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM selector_tokens WHERE record_id = $1`, e.Record.ID); err != nil {
				return fmt.Errorf("database: erase: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE erasure_requests SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1`,
			id, string(e.Status), a.User.ID, tx.Now); err != nil {
			return err
		}
		action := "erasure.decline"
		if approve {
			action = "record.erase"
		}
		tx.Audit(atip.AuditEntry{Action: action, RecordType: string(e.Record.Type), RecordID: e.Record.ID, Detail: "erasure=" + id})
		out = e
		return tx.notify(atip.Notification{OrgID: owner, UserID: e.RequestedBy, Kind: "sharing.notify.erasure_" + string(e.Status),
			Record: e.Record, Args: map[string]string{"ref": rec.Ref, "tlp": string(rec.Meta.TLP), "erasure": id}})
	})
	return out, err
}
