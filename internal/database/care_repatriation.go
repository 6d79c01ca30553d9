package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"atip"
	"atip/internal/policy"
)

// Repatriations and hand-overs (issue 4, section 5). A repatriation is a
// care document of its case; its hand-overs are rows of care_handovers,
// which both organisations of a hand-over see. The receiver confirms
// receipt on its own page; confirming gives it the case by an accepted
// referral (purpose repatriation), as the sharing model grants access.

// handOverAccess is how long the access a confirmed hand-over gives lasts:
// follow-up visits run a year after reintegration.
const handOverAccess = 400 * 24 * time.Hour

var _ atip.CareWork = (*CareService)(nil)

func (tx *Tx) loadHandOvers(where string, args ...any) ([]atip.HandOverInfo, error) {
	rows, err := tx.QueryContext(tx.ctx, `SELECT h.id, h.case_id, h.repatriation_id, h.from_org_id, h.to_org_id, h.place, h.at,
		h.handed_by, h.received_by, h.confirmed_at, h.referral_id, h.note, r.ref, r.tlp
		FROM care_handovers h JOIN records r ON r.id = h.case_id WHERE `+where+` ORDER BY h.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("database: hand-overs: %w", err)
	}
	defer rows.Close()
	var out []atip.HandOverInfo
	for rows.Next() {
		var h atip.HandOverInfo
		var confirmed sql.NullTime
		var tlp string
		if err := rows.Scan(&h.ID, &h.CaseID, &h.RepatriationID, &h.FromOrgID, &h.ToOrgID, &h.Place, &h.At,
			&h.HandedBy, &h.ReceivedBy, &confirmed, &h.ReferralID, &h.Note, &h.CaseRef, &tlp); err != nil {
			return nil, err
		}
		h.At, h.TLP = h.At.UTC(), atip.TLP(tlp)
		if confirmed.Valid {
			h.ConfirmedAt = confirmed.Time.UTC()
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Repatriations returns the case's repatriations with their hand-overs.
func (s *CareService) Repatriations(ctx context.Context, caseID string) (*atip.CaseRepatriations, error) {
	var out *atip.CaseRepatriations
	err := s.db.Read(ctx, func(tx *Tx) error {
		cc, err := tx.loadCase(caseID)
		if err != nil {
			return err
		}
		out = &atip.CaseRepatriations{CaseID: caseID, CaseRef: cc.rec.Ref, TLP: cc.rec.Meta.TLP, OwnerOrgID: cc.rec.Meta.OwnerOrgID,
			CanEdit: canEditCase(cc, atip.ActorFromContext(ctx), atip.ClassLocation, atip.ClassStatement)}
		hs, err := tx.loadHandOvers(`h.case_id = $1`, caseID)
		if err != nil {
			return err
		}
		return tx.loadDocs(cc, docRepatriation, func() any { return &atip.Repatriation{} }, func(id string, v any) {
			r := v.(*atip.Repatriation)
			r.ID, r.HandOvers = id, nil
			for _, h := range hs {
				if h.RepatriationID == id {
					r.HandOvers = append(r.HandOvers, h.HandOver)
				}
			}
			out.Items = append(out.Items, *r)
		})
	})
	return out, err
}

// SaveRepatriation creates or updates a repatriation.
func (s *CareService) SaveRepatriation(ctx context.Context, r *atip.Repatriation) error {
	return s.db.Write(ctx, func(tx *Tx) error {
		cc, err := tx.editCase(r.CaseID, atip.ClassLocation, atip.ClassStatement)
		if err != nil {
			return err
		}
		isNew := r.ID == ""
		if isNew {
			r.ID = atip.NewID()
			if r.Status == "" {
				r.Status = "planned"
			}
		}
		// The hand-overs live in their own table; the repatriation's status
		// follows their confirmation.
		hs, err := tx.loadHandOvers(`h.repatriation_id = $1`, r.ID)
		if err != nil {
			return err
		}
		r.HandOvers = nil
		for _, h := range hs {
			r.HandOvers = append(r.HandOvers, h.HandOver)
		}
		if err := checkOrg(tx, "to_org_id", r.ToOrgID); err != nil {
			return err
		}
		if err := r.Validate(); err != nil {
			return err
		}
		stored := *r
		stored.HandOvers = nil
		if err := tx.putDoc(cc, docRepatriation, r.ID, &stored, time.Time{}, time.Time{}, isNew); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.repatriation_save", RecordType: string(atip.RecordCase), RecordID: r.CaseID,
			Detail: "repatriation=" + r.ID + " status=" + r.Status})
		return nil
	})
}

// checkOrg checks that an organisation exists and is enabled.
func checkOrg(tx *Tx, field, id string) error {
	if id == "" {
		return nil // Validate names the missing field
	}
	var disabled bool
	err := tx.QueryRowContext(tx.ctx, `SELECT disabled FROM orgs WHERE id = $1`, id).Scan(&disabled)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && disabled) {
		var v atip.Invalid
		v.Add(field, "is not an organisation on the platform")
		return v.Err()
	}
	return err
}

// AddHandOver records a hand-over from the case's owner to another
// organisation; the receiver is notified and sees it on its hand-over page.
func (s *CareService) AddHandOver(ctx context.Context, caseID, repatriationID string, h *atip.HandOver) error {
	return s.db.Write(ctx, func(tx *Tx) error {
		cc, err := tx.editCase(caseID)
		if err != nil {
			return err
		}
		if rc, err := tx.docCase(repatriationID, docRepatriation); err != nil || rc != caseID {
			return atip.Errorf(atip.ENOTFOUND, "repatriation not found")
		}
		a := atip.ActorFromContext(ctx)
		h.ID, h.FromOrgID, h.HandedBy, h.ReceivedBy, h.ConfirmedAt = atip.NewID(), cc.rec.Meta.OwnerOrgID, a.User.ID, "", time.Time{}
		h.Place, h.Note = strings.TrimSpace(h.Place), strings.TrimSpace(h.Note)
		var v atip.Invalid
		if h.Place == "" {
			v.Add("place", "is required")
		}
		if len(h.Place) > 200 {
			v.Add("place", "is longer than 200 characters")
		}
		if len(h.Note) > 1000 {
			v.Add("note", "is longer than 1000 characters")
		}
		if h.At.IsZero() {
			h.At = tx.Now
		}
		if h.ToOrgID == "" {
			v.Add("to_org_id", "name the receiving organisation")
		} else if h.ToOrgID == h.FromOrgID {
			v.Add("to_org_id", "is the organisation handing over")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := checkOrg(tx, "to_org_id", h.ToOrgID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_handovers (id, case_id, repatriation_id, from_org_id, to_org_id, place, at,
			handed_by, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			h.ID, caseID, repatriationID, h.FromOrgID, h.ToOrgID, h.Place, h.At.UTC(), h.HandedBy, h.Note, tx.Now); err != nil {
			return fmt.Errorf("database: hand-over: %w", err)
		}
		if err := tx.notify(atip.Notification{OrgID: h.ToOrgID, Kind: "care.notify.hand_over",
			Record: atip.RecordRef{Type: atip.RecordCase, ID: caseID}, Args: map[string]string{"hand_over": h.ID}}); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.hand_over", RecordType: string(atip.RecordCase), RecordID: caseID,
			Detail: "hand_over=" + h.ID + " to=" + h.ToOrgID})
		return nil
	})
}

func orgOf(ctx context.Context) (*atip.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, atip.Errorf(atip.EFORBIDDEN, "hand-overs are an organisation's")
	}
	return a, nil
}

// HandOvers lists the hand-overs to or from the actor's organisation.
func (s *CareService) HandOvers(ctx context.Context) ([]atip.HandOverInfo, error) {
	var out []atip.HandOverInfo
	err := s.db.Read(ctx, func(tx *Tx) error {
		a, err := orgOf(ctx)
		if err != nil {
			return err
		}
		out, err = tx.loadHandOvers(`(h.to_org_id = $1 OR h.from_org_id = $1)`, a.User.OrgID)
		for i := range out {
			fillHandOver(&out[i], a)
		}
		return err
	})
	return out, err
}

func fillHandOver(h *atip.HandOverInfo, a *atip.Actor) {
	h.Incoming = h.ToOrgID == a.User.OrgID
	h.CanConfirm = h.Incoming && !h.Confirmed() && policy.Can(a, policy.RecordWrite, a.User.OrgID)
}

// HandOver returns one hand-over of the actor's organisation; another's is
// not found.
func (s *CareService) HandOver(ctx context.Context, id string) (*atip.HandOverInfo, error) {
	var out *atip.HandOverInfo
	err := s.db.Read(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.handOver(ctx, id)
		return err
	})
	return out, err
}

func (tx *Tx) handOver(ctx context.Context, id string) (*atip.HandOverInfo, error) {
	a, err := orgOf(ctx)
	if err != nil {
		return nil, err
	}
	hs, err := tx.loadHandOvers(`h.id = $1 AND (h.to_org_id = $2 OR h.from_org_id = $2)`, id, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	if len(hs) == 0 {
		return nil, atip.Errorf(atip.ENOTFOUND, "hand-over not found")
	}
	fillHandOver(&hs[0], a)
	return &hs[0], nil
}

// ConfirmHandOver records the receiver's confirmation of receipt.
func (s *CareService) ConfirmHandOver(ctx context.Context, id string) error {
	return s.db.Write(ctx, func(tx *Tx) error {
		h, err := tx.handOver(ctx, id)
		if err != nil {
			return err
		}
		a := atip.ActorFromContext(ctx)
		switch {
		case !h.Incoming:
			return atip.Errorf(atip.EFORBIDDEN, "only the receiving organisation confirms a hand-over")
		case h.Confirmed():
			return atip.Errorf(atip.ECONFLICT, "the hand-over is already confirmed")
		case !h.CanConfirm:
			return atip.Errorf(atip.EFORBIDDEN, "your role may not confirm a hand-over")
		}
		ref := &atip.Referral{Kind: atip.KindReferral, Record: atip.RecordRef{Type: atip.RecordCase, ID: h.CaseID},
			FromOrgID: h.FromOrgID, ToOrgID: h.ToOrgID, Classes: []atip.FieldClass{atip.ClassOperational},
			Purpose: atip.PurposeRepatriation, Note: "hand-over " + h.ID, GrantedBy: h.HandedBy,
			ExpiresAt: tx.Now.Add(handOverAccess), AcceptedAt: tx.Now}
		if err := tx.insertReferral(ref); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_handovers SET received_by = $2, confirmed_at = $3, referral_id = $4 WHERE id = $1`,
			h.ID, a.User.ID, tx.Now, ref.ID); err != nil {
			return fmt.Errorf("database: confirm hand-over: %w", err)
		}
		if err := tx.markReceived(h); err != nil {
			return err
		}
		if err := tx.notify(atip.Notification{OrgID: h.FromOrgID, Kind: "care.notify.hand_over_confirmed",
			Record: atip.RecordRef{Type: atip.RecordCase, ID: h.CaseID}, Args: map[string]string{"hand_over": h.ID}}); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.hand_over_confirm", RecordType: string(atip.RecordCase), RecordID: h.CaseID,
			Detail: "hand_over=" + h.ID + " referral=" + ref.ID})
		return nil
	})
}

// markReceived sets the repatriation's status to received when the
// confirmed hand-over was to its final receiver. It runs as the system:
// the receiver does not see the repatriation's protected fields, so it
// rewrites the sealed document, not a redacted copy.
func (tx *Tx) markReceived(h *atip.HandOverInfo) error {
	var data string
	var sealed []byte
	if err := tx.QueryRowContext(tx.ctx, `SELECT data, sealed FROM care_docs WHERE id = $1`, h.RepatriationID).Scan(&data, &sealed); err != nil {
		return fmt.Errorf("database: repatriation of hand-over: %w", err)
	}
	dk, err := tx.caseKey(h.CaseID)
	if err != nil {
		return err
	}
	full, err := dk.Open(docField(docRepatriation, h.RepatriationID), sealed)
	if err != nil {
		return err
	}
	var r atip.Repatriation
	if err := json.Unmarshal(full, &r); err != nil {
		return err
	}
	if r.ToOrgID != h.ToOrgID {
		return nil
	}
	r.Status = "received"
	cc := &careCase{rec: &StoredRecord{Meta: atip.RecordMeta{Ref: atip.RecordRef{Type: atip.RecordCase, ID: h.CaseID}}}}
	var owner string
	if err := tx.QueryRowContext(tx.ctx, `SELECT owner_org_id FROM records WHERE id = $1`, h.CaseID).Scan(&owner); err != nil {
		return err
	}
	cc.rec.Meta.OwnerOrgID = owner
	return tx.putDoc(cc, docRepatriation, h.RepatriationID, &r, time.Time{}, time.Time{}, false)
}
