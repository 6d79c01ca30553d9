package database

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"atip"
	"atip/internal/policy"
	"atip/internal/sop"
)

// CareService stores and serves SOP checklists and deadlines, the overdue
// dashboard and organisations' own procedures (issue 4).
type CareService struct{ db *DB }

// NewCareService returns the service on db.
func NewCareService(db *DB) *CareService { return &CareService{db: db} }

var _ atip.CareService = (*CareService)(nil)

// canDoStep reports whether the actor may mark a step of the case done:
// a user of the case's owner, or of an organisation of the step's owner
// type that sees the case (a CWC given the case), whose roles include the
// step's owner role or supervisor, and who may edit records at all.
func canDoStep(cc *careCase, a *atip.Actor, owner atip.Role, ownerOrg atip.OrgType) bool {
	if a == nil || a.User == nil || a.Org == nil {
		return false
	}
	ownerSide := a.User.OrgID == cc.rec.Meta.OwnerOrgID
	if !ownerSide && (ownerOrg == "" || a.Org.Type != ownerOrg) {
		return false
	}
	if !policy.Can(a, policy.RecordWrite, a.User.OrgID) {
		return false
	}
	return slices.Contains(a.User.Roles, owner) || slices.Contains(a.User.Roles, atip.RoleSupervisor)
}

type stepRow struct {
	evidence, note string
}

// Checklist returns the case's checklist as the actor may see it.
func (s *CareService) Checklist(ctx context.Context, caseID string) (*atip.Checklist, error) {
	var out *atip.Checklist
	err := s.db.Read(ctx, func(tx *Tx) error {
		cc, err := tx.loadCase(caseID)
		if err != nil {
			return err
		}
		cl, err := tx.loadChecklist(caseID)
		if err != nil {
			return err
		}
		rows := map[string]stepRow{}
		q, err := tx.QueryContext(ctx, `SELECT procedure_id, step_id, evidence, note FROM case_steps WHERE case_id = $1`, caseID)
		if err != nil {
			return err
		}
		for q.Next() {
			var p, st string
			var r stepRow
			if err := q.Scan(&p, &st, &r.evidence, &r.note); err != nil {
				q.Close()
				return err
			}
			rows[p+"/"+st] = r
		}
		q.Close()
		if err := q.Err(); err != nil {
			return err
		}
		// Opened once the rows are closed: PostgreSQL runs one query at a
		// time on a transaction's connection.
		for k, r := range rows {
			if r.note, err = tx.openStepNote(cc, k, r.note); err != nil {
				return err
			}
			rows[k] = r
		}
		a := atip.ActorFromContext(ctx)
		out = &atip.Checklist{CaseID: caseID, CaseRef: cc.rec.Ref, TLP: cc.rec.Meta.TLP}
		if cl == nil {
			return nil
		}
		for i := range cl.Items {
			it := &cl.Items[i]
			st := atip.CaseStep{
				ProcedureID: it.Procedure.ID, Version: it.Procedure.Version, StepID: it.StepID,
				TitleKey: it.Title.Key, Title: it.Title.En, Owner: it.Owner, OwnerOrg: it.OwnerOrg,
				Needs: it.Evidence, Source: it.Source, Due: it.Due, Zone: it.Zone, WaitingOn: it.WaitingOn,
				Status: stepStatus(it.Status), DoneAt: it.DoneAt, DoneBy: it.DoneBy,
				Evidence: rows[it.Key].evidence, Note: rows[it.Key].note,
			}
			st.Overdue = !it.Finished() && !it.Due.IsZero() && tx.Now.After(it.Due)
			st.CanComplete = !it.Finished() && canDoStep(cc, a, it.Owner, it.OwnerOrg)
			out.Steps = append(out.Steps, st)
		}
		return nil
	})
	return out, err
}

func stepStatus(s sop.Status) string {
	if s == sop.StatusPending {
		return "open"
	}
	return string(s)
}

// CompleteStep marks a step of the case done.
func (s *CareService) CompleteStep(ctx context.Context, caseID, procedureID, stepID string, in atip.StepDone) error {
	var v atip.Invalid
	in.Evidence, in.Note = strings.TrimSpace(in.Evidence), strings.TrimSpace(in.Note)
	if len(in.Evidence) > 500 {
		v.Add("evidence", "is longer than 500 characters")
	}
	if len(in.Note) > 2000 {
		v.Add("note", "is longer than 2000 characters")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		cc, err := tx.loadCase(caseID)
		if err != nil {
			return err
		}
		cl, err := tx.loadChecklist(caseID)
		if err != nil {
			return err
		}
		key := procedureID + "/" + stepID
		var it *sop.Item
		if cl != nil {
			it = cl.Item(key)
		}
		if it == nil {
			return atip.Errorf(atip.ENOTFOUND, "step not found")
		}
		a := atip.ActorFromContext(ctx)
		if !canDoStep(cc, a, it.Owner, it.OwnerOrg) {
			return atip.Errorf(atip.EFORBIDDEN, "this step is for the %s of the organisation that owns it, or a supervisor", it.Owner)
		}
		if len(it.Evidence) > 0 && in.Evidence == "" {
			v.Add("evidence", "is required: %s", strings.Join(it.Evidence, "; "))
			return v.Err()
		}
		if err := cl.Complete(key, tx.Now, a.User.ID); err != nil {
			return err
		}
		note, err := tx.sealStepNote(caseID, key, in.Note)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_steps SET status = 'done', done_at = $4, done_by = $5, evidence = $6, note = $7
			WHERE case_id = $1 AND procedure_id = $2 AND step_id = $3`,
			caseID, procedureID, stepID, tx.Now, a.User.ID, in.Evidence, note); err != nil {
			return fmt.Errorf("database: complete step: %w", err)
		}
		if err := tx.saveChecklist(caseID, cl, false); err != nil {
			return err
		}
		// The case's timeline says so too; the note stays on the step
		// (sealed there), the event carries only the step's key.
		if err := tx.addEvent(&atip.TimelineEvent{CaseID: caseID, Kind: atip.EventStepDone, Summary: "step " + key + " done"}); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.step_done", RecordType: string(atip.RecordCase), RecordID: caseID, Detail: "step=" + key})
		return nil
	})
}

// Overdue lists the overdue steps of the actor's organisation's cases that
// the actor may see, longest overdue first.
func (s *CareService) Overdue(ctx context.Context) ([]atip.OverdueStep, error) {
	var out []atip.OverdueStep
	err := s.db.Read(ctx, func(tx *Tx) error {
		a, err := actor(ctx)
		if err != nil {
			return err
		}
		if a.User == nil {
			return atip.Errorf(atip.EFORBIDDEN, "the overdue dashboard is an organisation's")
		}
		subj, err := tx.subject()
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT s.case_id, s.procedure_id, s.step_id, s.owner_role, s.due_at
			FROM case_steps s JOIN records r ON r.id = s.case_id
			WHERE r.owner_org_id = $1 AND r.erased_at IS NULL AND r.closed_at IS NULL AND s.status = 'open' AND s.done_at IS NULL AND s.due_at < $2
			ORDER BY s.due_at, s.case_id, s.procedure_id, s.step_id LIMIT 1000`, a.User.OrgID, tx.Now)
		if err != nil {
			return fmt.Errorf("database: overdue steps: %w", err)
		}
		var ids []string
		for rows.Next() {
			var o atip.OverdueStep
			var role string
			if err := rows.Scan(&o.CaseID, &o.ProcedureID, &o.StepID, &role, &o.Due); err != nil {
				rows.Close()
				return err
			}
			o.Owner, o.Due = atip.Role(role), o.Due.UTC()
			o.Late = tx.Now.Sub(o.Due)
			out = append(out, o)
			ids = append(ids, o.CaseID)
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
		metas := make([]*atip.RecordMeta, len(recs))
		for i, r := range recs {
			metas[i] = &r.Meta
		}
		views := subj.Views(metas, nil)
		byID := map[string]*StoredRecord{}
		for i, r := range recs {
			if views[i].Shows(atip.ClassOperational) {
				byID[r.Meta.Ref.ID] = r
			}
		}
		sets := map[string]*sop.Set{}
		kept := out[:0]
		for _, o := range out {
			r := byID[o.CaseID]
			if r == nil {
				continue
			}
			o.CaseRef, o.TLP = r.Ref, r.Meta.TLP
			set := sets[r.Meta.OwnerOrgID]
			if set == nil {
				if set, err = tx.procedureSet(r.Meta.OwnerOrgID); err != nil {
					return err
				}
				sets[r.Meta.OwnerOrgID] = set
			}
			o.Title, o.TitleKey = o.StepID, ""
			if p, ok := set.Latest(o.ProcedureID); ok {
				o.Zone = p.Zone
				for _, st := range p.Steps {
					if st.ID == o.StepID {
						o.Title, o.TitleKey = st.Title.En, st.Title.Key
					}
				}
			}
			kept = append(kept, o)
		}
		out = kept
		return nil
	})
	return out, err
}

// NotifyOverdue notifies, once per step, the owner role at the owning
// organisation of every step that has become overdue, and returns how many
// it notified. The server runs it every minute.
func (db *DB) NotifyOverdue(ctx context.Context) (int, error) {
	n := 0
	err := db.Write(atip.OperatorContext(ctx), func(tx *Tx) error {
		rows, err := tx.QueryContext(tx.ctx, `SELECT s.case_id, s.procedure_id, s.step_id, s.owner_role, s.due_at, r.owner_org_id
			FROM case_steps s JOIN records r ON r.id = s.case_id
			WHERE s.status = 'open' AND s.done_at IS NULL AND s.notified_at IS NULL AND s.due_at < $1
			AND r.erased_at IS NULL AND r.closed_at IS NULL
			ORDER BY s.due_at LIMIT 500`, tx.Now)
		if err != nil {
			return fmt.Errorf("database: overdue sweep: %w", err)
		}
		type due struct {
			caseID, proc, step, role, org string
			at                            sql.NullTime
		}
		var all []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.caseID, &d.proc, &d.step, &d.role, &d.at, &d.org); err != nil {
				rows.Close()
				return err
			}
			all = append(all, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range all {
			if err := tx.notify(atip.Notification{OrgID: d.org, Role: atip.Role(d.role), Kind: "care.notify.step_overdue",
				Record: atip.RecordRef{Type: atip.RecordCase, ID: d.caseID},
				Args:   map[string]string{"procedure": d.proc, "step": d.step, "due": d.at.Time.UTC().Format("2006-01-02T15:04Z")}}); err != nil {
				return err
			}
			if _, err := tx.ExecContext(tx.ctx, `UPDATE case_steps SET notified_at = $4 WHERE case_id = $1 AND procedure_id = $2 AND step_id = $3`,
				d.caseID, d.proc, d.step, tx.Now); err != nil {
				return err
			}
			tx.Audit(atip.AuditEntry{Action: "case.step_overdue_notified", RecordType: string(atip.RecordCase), RecordID: d.caseID,
				Detail: "step=" + d.proc + "/" + d.step})
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// A step's note is the user's own words and may name people: it is stored
// sealed under the case's data key ("sealed:" and base64) and shown only to
// those who see the case's statement class.
const stepNotePrefix = "sealed:"

func stepNoteField(key string) string { return "care/step/" + key }

func (tx *Tx) sealStepNote(caseID, key, note string) (string, error) {
	if note == "" {
		return "", nil
	}
	dk, err := tx.caseKey(caseID)
	if err != nil {
		return "", err
	}
	return stepNotePrefix + base64.StdEncoding.EncodeToString(dk.Seal(stepNoteField(key), []byte(note))), nil
}

func (tx *Tx) openStepNote(cc *careCase, key, stored string) (string, error) {
	b64, ok := strings.CutPrefix(stored, stepNotePrefix)
	if !ok || !cc.view.Shows(atip.ClassStatement) {
		return "", nil
	}
	sealed, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("database: step note of %s: %w", cc.rec.Meta.Ref.ID, err)
	}
	dk, err := tx.caseKey(cc.rec.Meta.Ref.ID)
	if err != nil {
		return "", err
	}
	note, err := dk.Open(stepNoteField(key), sealed)
	if err != nil {
		return "", fmt.Errorf("database: step note of %s: %w", cc.rec.Meta.Ref.ID, err)
	}
	return string(note), nil
}
