package database

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"atip"
)

// Care plans, follow-up visits (issue 4, section 6) and the legal track
// (section 7), each a care document of its case.

// Care returns the case's care plans and follow-ups.
func (s *CareService) Care(ctx context.Context, caseID string) (*atip.CaseCare, error) {
	var out *atip.CaseCare
	err := s.db.Read(ctx, func(tx *Tx) error {
		cc, err := tx.loadCase(caseID)
		if err != nil {
			return err
		}
		out = &atip.CaseCare{CaseID: caseID, CaseRef: cc.rec.Ref, TLP: cc.rec.Meta.TLP,
			CanEdit: canEditCase(cc, atip.ActorFromContext(ctx), atip.ClassHealth, atip.ClassStatement)}
		if err := tx.loadDocs(cc, docCarePlan, func() any { return &atip.CarePlan{} }, func(id string, v any) {
			p := v.(*atip.CarePlan)
			p.ID = id
			out.Plans = append(out.Plans, *p)
		}); err != nil {
			return err
		}
		if err := tx.loadDocs(cc, docFollowUp, func() any { return &atip.FollowUp{} }, func(id string, v any) {
			f := v.(*atip.FollowUp)
			f.ID = id
			out.FollowUps = append(out.FollowUps, *f)
		}); err != nil {
			return err
		}
		slices.SortStableFunc(out.FollowUps, func(a, b atip.FollowUp) int { return a.Due.Compare(b.Due) })
		return nil
	})
	return out, err
}

// SaveCarePlan creates or updates a care plan.
func (s *CareService) SaveCarePlan(ctx context.Context, p *atip.CarePlan) error {
	return s.db.Write(ctx, func(tx *Tx) error {
		cc, err := tx.editCase(p.CaseID, atip.ClassHealth, atip.ClassStatement)
		if err != nil {
			return err
		}
		isNew := p.ID == ""
		if isNew {
			p.ID = atip.NewID()
		}
		for i := range p.Services {
			if p.Services[i].ID == "" {
				p.Services[i].ID = atip.NewID()
			}
			if p.Services[i].Status == "" {
				p.Services[i].Status = "planned"
			}
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := tx.putDoc(cc, docCarePlan, p.ID, p, time.Time{}, time.Time{}, isNew); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.care_plan_save", RecordType: string(atip.RecordCase), RecordID: p.CaseID,
			Detail: fmt.Sprintf("care_plan=%s services=%d", p.ID, len(p.Services))})
		return nil
	})
}

// ScheduleFollowUps schedules follow-up visits after reintegration, in the
// case owner's zone.
func (s *CareService) ScheduleFollowUps(ctx context.Context, caseID, personID string, reintegrated time.Time, months []int) ([]atip.FollowUp, error) {
	var out []atip.FollowUp
	err := s.db.Write(ctx, func(tx *Tx) error {
		cc, err := tx.editCase(caseID, atip.ClassStatement)
		if err != nil {
			return err
		}
		var v atip.Invalid
		if reintegrated.IsZero() {
			v.Add("reintegrated_at", "is required")
		} else if reintegrated.After(tx.Now.Add(24 * time.Hour)) {
			v.Add("reintegrated_at", "is in the future")
		}
		if len(months) == 0 {
			months = atip.DefaultFollowUpMonths
		}
		for _, m := range months {
			if m < 1 || m > 60 {
				v.Add("months", "give months from 1 to 60")
				break
			}
		}
		if personID != "" && !slices.ContainsFunc(cc.c.Victims, func(x atip.CaseVictim) bool { return x.PersonID == personID }) {
			v.Add("person_id", "is not a victim of this case")
		}
		if err := v.Err(); err != nil {
			return err
		}
		loc := time.UTC
		if z := ownerZone(tx, cc.rec.Meta.OwnerOrgID); z != nil {
			loc = z
		}
		for _, due := range atip.ScheduleFollowUps(reintegrated, months, loc) {
			f := atip.FollowUp{ID: atip.NewID(), CaseID: caseID, PersonID: personID, Due: due}
			if err := tx.putDoc(cc, docFollowUp, f.ID, &f, f.Due, time.Time{}, true); err != nil {
				return err
			}
			out = append(out, f)
		}
		if err := tx.setEvent(caseID, "reintegration", reintegrated); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.follow_ups_schedule", RecordType: string(atip.RecordCase), RecordID: caseID,
			Detail: fmt.Sprintf("visits=%d", len(out))})
		return nil
	})
	return out, err
}

// ownerZone is the zone of the organisation's country, or nil.
func ownerZone(tx *Tx, orgID string) *time.Location {
	var juris string
	if err := tx.QueryRowContext(tx.ctx, `SELECT jurisdiction FROM orgs WHERE id = $1`, orgID).Scan(&juris); err != nil {
		return nil
	}
	zones := map[string]string{"IN": "Asia/Kolkata", "NP": "Asia/Kathmandu", "BD": "Asia/Dhaka", "LK": "Asia/Colombo"}
	country, _, _ := strings.Cut(juris, "-")
	if z, ok := zones[country]; ok {
		if loc, err := time.LoadLocation(z); err == nil {
			return loc
		}
	}
	return nil
}

// setEvent records a fact of the case that checklist steps count from
// (e.g. "reintegration", "arrest") and recomputes their due times.
func (tx *Tx) setEvent(caseID, name string, at time.Time) error {
	cl, err := tx.loadChecklist(caseID)
	if err != nil || cl == nil {
		return err
	}
	if old, ok := cl.Events[name]; ok && !old.After(at) {
		return nil // the first such event counts
	}
	cl.SetEvent(name, at)
	return tx.saveChecklist(caseID, cl, false)
}

// RecordFollowUp records a visit, done with its risk assessment or missed.
func (s *CareService) RecordFollowUp(ctx context.Context, caseID, followUpID string, visit atip.FollowUp) error {
	return s.db.Write(ctx, func(tx *Tx) error {
		cc, err := tx.editCase(caseID, atip.ClassStatement)
		if err != nil {
			return err
		}
		var f *atip.FollowUp
		if err := tx.loadDocs(cc, docFollowUp, func() any { return &atip.FollowUp{} }, func(id string, v any) {
			if id == followUpID {
				f = v.(*atip.FollowUp)
				f.ID = id
			}
		}); err != nil {
			return err
		}
		if f == nil {
			return atip.Errorf(atip.ENOTFOUND, "follow-up not found")
		}
		if !f.DoneAt.IsZero() {
			return atip.Errorf(atip.ECONFLICT, "the visit is already recorded")
		}
		f.DoneAt, f.Missed, f.Risk, f.Note = visit.DoneAt, visit.Missed, visit.Risk, strings.TrimSpace(visit.Note)
		if f.DoneAt.IsZero() {
			f.DoneAt = tx.Now
		}
		f.ByUserID = atip.ActorFromContext(ctx).User.ID
		var v atip.Invalid
		if f.DoneAt.After(tx.Now.Add(time.Hour)) {
			v.Add("done_at", "is in the future")
		}
		if len(f.Note) > 4000 {
			v.Add("note", "is longer than 4000 characters")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if err := tx.putDoc(cc, docFollowUp, f.ID, f, f.Due, f.DoneAt, false); err != nil {
			return err
		}
		detail := "follow_up=" + f.ID + " risk=" + f.Risk.Level
		if f.Missed {
			detail = "follow_up=" + f.ID + " missed"
		}
		tx.Audit(atip.AuditEntry{Action: "case.follow_up", RecordType: string(atip.RecordCase), RecordID: caseID, Detail: detail})
		return nil
	})
}

// MissedFollowUps lists the organisation's follow-ups past due by more than
// the grace period and not done, for the cases the actor may see.
func (s *CareService) MissedFollowUps(ctx context.Context) ([]atip.MissedFollowUp, error) {
	var out []atip.MissedFollowUp
	err := s.db.Read(ctx, func(tx *Tx) error {
		a, err := orgOf(ctx)
		if err != nil {
			return err
		}
		subj, err := tx.subject()
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT d.id, d.case_id, d.due_at FROM care_docs d JOIN records r ON r.id = d.case_id
			WHERE d.owner_org_id = $1 AND d.kind = 'follow_up' AND d.done_at IS NULL AND d.due_at < $2
			AND r.erased_at IS NULL AND r.closed_at IS NULL ORDER BY d.due_at LIMIT 1000`, a.User.OrgID, tx.Now.Add(-atip.FollowUpGrace))
		if err != nil {
			return fmt.Errorf("database: missed follow-ups: %w", err)
		}
		var ids []string
		for rows.Next() {
			var m atip.MissedFollowUp
			if err := rows.Scan(&m.FollowUpID, &m.CaseID, &m.Due); err != nil {
				rows.Close()
				return err
			}
			m.Due = m.Due.UTC()
			m.Late = tx.Now.Sub(m.Due)
			out = append(out, m)
			ids = append(ids, m.CaseID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		slices.Sort(ids)
		recs, err := loadRecords(ctx, tx, slices.Compact(ids))
		if err != nil {
			return err
		}
		seen := map[string]*StoredRecord{}
		for _, r := range recs {
			if subj.View(&r.Meta).Shows(atip.ClassOperational) {
				seen[r.Meta.Ref.ID] = r
			}
		}
		kept := out[:0]
		for _, m := range out {
			if r := seen[m.CaseID]; r != nil {
				m.CaseRef, m.TLP = r.Ref, r.Meta.TLP
				kept = append(kept, m)
			}
		}
		out = kept
		return nil
	})
	return out, err
}

// defaultChargeSheet is the deadline a legal track's charge sheet is due
// by unless the user names another: the shorter period, so that the alert
// comes early rather than late; the prosecutor confirms which applies.
const defaultChargeSheet = "in.bnss.s187.charge_sheet_60"

// Legal returns the legal track of a case.
func (s *CareService) Legal(ctx context.Context, caseID string) (*atip.CaseLegal, error) {
	var out *atip.CaseLegal
	err := s.db.Read(ctx, func(tx *Tx) error {
		cc, err := tx.loadCase(caseID)
		if err != nil {
			return err
		}
		out = &atip.CaseLegal{CaseID: caseID, CaseRef: cc.rec.Ref, TLP: cc.rec.Meta.TLP,
			CanEdit: canEditCase(cc, atip.ActorFromContext(ctx), atip.ClassStatement)}
		for _, su := range cc.c.Suspects {
			out.Suspects = append(out.Suspects, su.PersonID)
		}
		set, err := tx.procedureSet(cc.rec.Meta.OwnerOrgID)
		if err != nil {
			return err
		}
		out.ChargeSheetDeadlines = set.DeadlineIDs("charge_sheet")
		return tx.loadDocs(cc, docLegal, func() any { return &atip.LegalTrack{} }, func(id string, v any) {
			l := v.(*atip.LegalTrack)
			l.ID = id
			out.Track = l
		})
	})
	return out, err
}

// SaveLegal creates or updates the legal track of a case (one per case).
func (s *CareService) SaveLegal(ctx context.Context, l *atip.LegalTrack) error {
	return s.db.Write(ctx, func(tx *Tx) error {
		cc, err := tx.editCase(l.CaseID, atip.ClassStatement)
		if err != nil {
			return err
		}
		var existing string
		err = tx.QueryRowContext(ctx, `SELECT id FROM care_docs WHERE case_id = $1 AND kind = 'legal'`, l.CaseID).Scan(&existing)
		isNew := err != nil
		switch {
		case isNew:
			l.ID = atip.NewID()
		case l.ID != "" && l.ID != existing:
			return atip.Errorf(atip.ENOTFOUND, "legal track not found")
		default:
			l.ID = existing
		}
		if l.ChargeSheetDeadline == "" {
			l.ChargeSheetDeadline = defaultChargeSheet
		}
		set, err := tx.procedureSet(cc.rec.Meta.OwnerOrgID)
		if err != nil {
			return err
		}
		dl, ok := set.Deadline(l.ChargeSheetDeadline)
		if !ok {
			var v atip.Invalid
			v.Add("charge_sheet_deadline", "is not in the deadline table")
			return v.Err()
		}
		l.ChargeSheetLaw, l.ChargeSheetDue = dl.Law, time.Time{}
		if first := l.FirstArrest(); !first.IsZero() {
			if l.ChargeSheetDue, err = set.DueFrom(l.ChargeSheetDeadline, first, 0); err != nil {
				return err
			}
		}
		if err := l.Validate(); err != nil {
			return err
		}
		if err := tx.putDoc(cc, docLegal, l.ID, l, time.Time{}, time.Time{}, isNew); err != nil {
			return err
		}
		if first := l.FirstArrest(); !first.IsZero() {
			if err := tx.setEvent(l.CaseID, "arrest", first); err != nil {
				return err
			}
		}
		tx.Audit(atip.AuditEntry{Action: "case.legal_save", RecordType: string(atip.RecordCase), RecordID: l.CaseID,
			Detail: fmt.Sprintf("legal=%s stage=%s arrests=%d", l.ID, l.Stage, len(l.Arrests))})
		return nil
	})
}
