package database

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"atip"
	"atip/internal/policy"
	"atip/internal/sop"
)

// This file keeps the SOP checklists of cases (issue 4, section 3): which
// procedures apply to a case (sop conditions on the case's facts), the steps
// with their due times (table case_steps, which the dashboard and the
// sweeper query) and the whole sop.Checklist (care_checklists), from which
// the due times of steps counting from other steps are recomputed.

// shippedProcedures are the procedures shipped with ATIP, parsed once.
var shippedProcedures = sync.OnceValues(sop.Default)

// procedureSet returns the procedures in force for an organisation: the
// shipped ones and every version the organisation wrote itself.
func (tx *Tx) procedureSet(orgID string) (*sop.Set, error) {
	base, err := shippedProcedures()
	if err != nil {
		return nil, fmt.Errorf("database: shipped procedures: %w", err)
	}
	set := base.Clone()
	rows, err := tx.QueryContext(tx.ctx, `SELECT procedure_id, version, source FROM org_procedures WHERE org_id = $1
		ORDER BY procedure_id, version`, orgID)
	if err != nil {
		return nil, fmt.Errorf("database: org procedures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, src string
		var version int
		if err := rows.Scan(&id, &version, &src); err != nil {
			return nil, err
		}
		p, err := sop.ParseProcedure(id+".yaml", []byte(src))
		if err == nil {
			err = set.Add(p)
		}
		if err != nil {
			return nil, fmt.Errorf("database: stored procedure %s v%d: %w", id, version, err)
		}
	}
	return set, rows.Err()
}

// careCase is a case as the care workflows load it.
type careCase struct {
	rec  *StoredRecord
	view policy.View
	c    atip.Case
	subj *policy.Subject
}

// loadCase loads a case the actor may see; ENOTFOUND otherwise, and when
// the actor sees less than its operational class (the checklist, the care
// plan and the legal track are operational). A guessed id is ENOTFOUND.
func (tx *Tx) loadCase(id string) (*careCase, error) {
	s, err := tx.subject()
	if err != nil {
		return nil, err
	}
	recs, err := loadRecords(tx.ctx, tx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || recs[0].Meta.Ref.Type != atip.RecordCase || !recs[0].ErasedAt.IsZero() {
		return nil, atip.Errorf(atip.ENOTFOUND, "case not found")
	}
	cc := &careCase{rec: recs[0], subj: s}
	cc.view = s.View(&recs[0].Meta)
	if !cc.view.Shows(atip.ClassOperational) {
		return nil, atip.Errorf(atip.ENOTFOUND, "case not found")
	}
	if err := tx.decodeRecord(recs[0], cc.view, &cc.c); err != nil {
		return nil, err
	}
	return cc, nil
}

// caseFacts derives the facts the procedures' conditions look at: the
// case's own (exploitation, cross-border) and its victims' as the actor sees
// their person records (age, nationality, sex).
func (tx *Tx) caseFacts(cc *careCase) (sop.Facts, error) {
	var ids []string
	for _, v := range cc.c.Victims {
		ids = append(ids, v.PersonID)
	}
	recs, err := loadRecords(tx.ctx, tx, ids)
	if err != nil {
		return sop.Facts{}, err
	}
	var victims []atip.Person
	for _, r := range recs {
		if r.Meta.Ref.Type != atip.RecordPerson {
			continue
		}
		var p atip.Person
		if err := tx.decodeRecord(r, cc.subj.View(&r.Meta), &p); err != nil {
			if atip.ErrorCode(err) == atip.ENOTFOUND {
				continue
			}
			return sop.Facts{}, err
		}
		victims = append(victims, p)
	}
	var juris string
	if err := tx.QueryRowContext(tx.ctx, `SELECT jurisdiction FROM orgs WHERE id = $1`, cc.rec.Meta.OwnerOrgID).Scan(&juris); err != nil {
		return sop.Facts{}, fmt.Errorf("database: owner of case: %w", err)
	}
	country, _, _ := strings.Cut(juris, "-")
	f := sop.FactsFor(&cc.c, victims, country)
	// A victim recorded as a child at intake, or a case marked as a
	// child's, is a child's case whatever the person records show.
	for _, v := range cc.c.Victims {
		f.Child = f.Child || v.ChildAtIntake
	}
	f.Child = f.Child || cc.rec.Meta.Child
	return f, nil
}

// loadChecklist returns the stored checklist of a case, or nil.
func (tx *Tx) loadChecklist(caseID string) (*sop.Checklist, error) {
	var data string
	err := tx.QueryRowContext(tx.ctx, `SELECT checklist FROM care_checklists WHERE case_id = $1`, caseID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("database: checklist: %w", err)
	}
	var c sop.Checklist
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, fmt.Errorf("database: checklist of %s: %w", caseID, err)
	}
	return &c, nil
}

// saveChecklist stores the checklist and brings case_steps in line with it:
// new steps inserted, due times and statuses of the others updated.
func (tx *Tx) saveChecklist(caseID string, c *sop.Checklist, isNew bool) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if isNew {
		_, err = tx.ExecContext(tx.ctx, `INSERT INTO care_checklists (case_id, checklist, updated_at) VALUES ($1, $2, $3)`,
			caseID, string(data), tx.Now)
	} else {
		_, err = tx.ExecContext(tx.ctx, `UPDATE care_checklists SET checklist = $2, updated_at = $3 WHERE case_id = $1`,
			caseID, string(data), tx.Now)
	}
	if err != nil {
		return fmt.Errorf("database: save checklist: %w", err)
	}
	have := map[string]bool{}
	rows, err := tx.QueryContext(tx.ctx, `SELECT procedure_id, step_id FROM case_steps WHERE case_id = $1`, caseID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p, s string
		if err := rows.Scan(&p, &s); err != nil {
			rows.Close()
			return err
		}
		have[p+"/"+s] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range c.Items {
		it := &c.Items[i]
		due := nullTime(it.Due)
		if have[it.Key] {
			// Only the due time follows the checklist here; the status is
			// written by the step's own update (CompleteStep).
			if _, err := tx.ExecContext(tx.ctx, `UPDATE case_steps SET due_at = $4 WHERE case_id = $1 AND procedure_id = $2 AND step_id = $3`,
				caseID, it.Procedure.ID, it.StepID, due); err != nil {
				return fmt.Errorf("database: update step: %w", err)
			}
			continue
		}
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO case_steps (case_id, procedure_id, version, step_id, owner_role, due_at, status)
			VALUES ($1, $2, $3, $4, $5, $6, 'open')`, caseID, it.Procedure.ID, it.Procedure.Version, it.StepID, string(it.Owner), due); err != nil {
			return fmt.Errorf("database: insert step: %w", err)
		}
	}
	return nil
}

// applyProcedures puts on a case the checklist of every procedure that
// applies to it, with due times. The cases area calls it in the
// transaction that creates a case or changes its facts (victims, their
// ages, exploitation, cross-border): procedures that now apply and are not
// on the checklist yet are added (counting from the case's intake time);
// steps already there keep their state. The actor must see the case's
// operational class.
func (tx *Tx) applyProcedures(caseID string) error {
	cc, err := tx.loadCase(caseID)
	if err != nil {
		return err
	}
	facts, err := tx.caseFacts(cc)
	if err != nil {
		return err
	}
	set, err := tx.procedureSet(cc.rec.Meta.OwnerOrgID)
	if err != nil {
		return err
	}
	cl, err := tx.loadChecklist(caseID)
	if err != nil {
		return err
	}
	isNew := cl == nil
	var procs []*sop.Procedure
	for _, p := range set.Applicable(facts) {
		if cl != nil && slices.ContainsFunc(cl.Procedures, func(r atip.ProcedureRef) bool { return r.ID == p.ID }) {
			continue
		}
		procs = append(procs, p)
	}
	if len(procs) == 0 && !isNew {
		return nil
	}
	intake := cc.c.IntakeAt
	if intake.IsZero() {
		intake = cc.rec.CreatedAt
	}
	var journey time.Duration
	if cl != nil {
		intake, journey = cl.IntakeAt, cl.Journey
	}
	add, err := set.Instantiate(procs, facts, intake, journey)
	if err != nil {
		return atip.Errorf(atip.EINVALID, "%v", err)
	}
	if isNew {
		cl = add
	} else {
		cl.Procedures = append(cl.Procedures, add.Procedures...)
		cl.Items = append(cl.Items, add.Items...)
		cl.Recompute()
	}
	if err := tx.saveChecklist(caseID, cl, isNew); err != nil {
		return err
	}
	ids := make([]string, len(procs))
	for i, p := range procs {
		ids[i] = fmt.Sprintf("%s@%d", p.ID, p.Version)
	}
	tx.Audit(atip.AuditEntry{Action: "case.sop_apply", RecordType: string(atip.RecordCase), RecordID: caseID,
		Detail: "procedures=" + strings.Join(ids, ",")})
	return nil
}
