package database

import (
	"encoding/json"
	"fmt"
	"time"

	"atip"
	"atip/internal/policy"
	"atip/internal/redact"
)

// This file stores the care work of a case — repatriations, care plans,
// follow-up visits, the legal track — in care_docs: each seen as its case is
// (the case's policy view), its JSON with the protected classes blanked in
// data and the whole JSON sealed under the case's own data key.

// docKinds are the kinds of care_docs rows.
const (
	docRepatriation = "repatriation"
	docCarePlan     = "care_plan"
	docFollowUp     = "follow_up"
	docLegal        = "legal"
)

// caseKey opens the case's data key.
func (tx *Tx) caseKey(caseID string) (interface {
	Seal(string, []byte) []byte
	Open(string, []byte) ([]byte, error)
}, error) {
	var dekText string
	if err := tx.QueryRowContext(tx.ctx, `SELECT dek FROM records WHERE id = $1`, caseID).Scan(&dekText); err != nil {
		return nil, fmt.Errorf("database: case key: %w", err)
	}
	return tx.db.openDEK(caseID, dekText)
}

func docField(kind, id string) string { return "care/" + kind + "/" + id }

// canEditCase reports whether the actor may change the care work of the
// case: a user of the owner who may write records, whom the policy lets
// edit the case's operational class and who sees every protected class
// the record carries (so that saving cannot blank what the user did not
// see).
func canEditCase(cc *careCase, a *atip.Actor, classes ...atip.FieldClass) bool {
	if a == nil || a.User == nil || a.User.OrgID != cc.rec.Meta.OwnerOrgID || !policy.Can(a, policy.RecordWrite, a.User.OrgID) {
		return false
	}
	if !cc.subj.Decide(&cc.rec.Meta, policy.RecordEdit, atip.ClassOperational).Allowed() {
		return false
	}
	for _, c := range classes {
		if !cc.view.Shows(c) {
			return false
		}
	}
	return true
}

// editCase loads a case the actor may edit the care work of, or fails:
// ENOTFOUND when the actor does not see it, EFORBIDDEN when it may not edit.
func (tx *Tx) editCase(caseID string, classes ...atip.FieldClass) (*careCase, error) {
	cc, err := tx.loadCase(caseID)
	if err != nil {
		return nil, err
	}
	if !canEditCase(cc, atip.ActorFromContext(tx.ctx), classes...) {
		return nil, atip.Errorf(atip.EFORBIDDEN, "only the case owner's caseworkers and supervisors change its care work")
	}
	return cc, nil
}

// putDoc inserts or updates a care document of the case.
func (tx *Tx) putDoc(cc *careCase, kind, id string, v any, due, done time.Time, isNew bool) error {
	full, err := json.Marshal(v)
	if err != nil {
		return err
	}
	clear, err := clearJSON(v)
	if err != nil {
		return err
	}
	dk, err := tx.caseKey(cc.rec.Meta.Ref.ID)
	if err != nil {
		return err
	}
	sealed := dk.Seal(docField(kind, id), full)
	who := actorID(tx.ctx)
	if isNew {
		_, err = tx.ExecContext(tx.ctx, `INSERT INTO care_docs (id, case_id, kind, owner_org_id, due_at, done_at, data, sealed,
			created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10)`,
			id, cc.rec.Meta.Ref.ID, kind, cc.rec.Meta.OwnerOrgID, nullTime(due), nullTime(done), string(clear), sealed, tx.Now, who)
	} else {
		var res interface{ RowsAffected() (int64, error) }
		res, err = tx.ExecContext(tx.ctx, `UPDATE care_docs SET due_at = $4, done_at = $5, data = $6, sealed = $7, updated_at = $8, updated_by = $9
			WHERE id = $1 AND case_id = $2 AND kind = $3`, id, cc.rec.Meta.Ref.ID, kind, nullTime(due), nullTime(done), string(clear), sealed, tx.Now, who)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return atip.Errorf(atip.ENOTFOUND, "%s not found", kind)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("database: save %s: %w", kind, err)
	}
	return nil
}

// loadDocs decodes the case's documents of a kind for the actor's view of
// the case, oldest first: each is made by mk and passed to each.
func (tx *Tx) loadDocs(cc *careCase, kind string, mk func() any, each func(id string, v any)) error {
	rows, err := tx.QueryContext(tx.ctx, `SELECT id, data, sealed FROM care_docs WHERE case_id = $1 AND kind = $2 ORDER BY id`,
		cc.rec.Meta.Ref.ID, kind)
	if err != nil {
		return fmt.Errorf("database: load %s: %w", kind, err)
	}
	type row struct {
		id, data string
		sealed   []byte
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.data, &r.sealed); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	protected := cc.view.Shown&policy.SetProtected != 0
	for _, r := range all {
		data := []byte(r.data)
		if protected {
			dk, err := tx.caseKey(cc.rec.Meta.Ref.ID)
			if err != nil {
				return err
			}
			if data, err = dk.Open(docField(kind, r.id), r.sealed); err != nil {
				return fmt.Errorf("database: open %s %s: %w", kind, r.id, err)
			}
		}
		v := mk()
		if err := json.Unmarshal(data, v); err != nil {
			return fmt.Errorf("database: decode %s %s: %w", kind, r.id, err)
		}
		if err := redact.Apply(v, cc.view.Shown); err != nil {
			return err
		}
		each(r.id, v)
	}
	return nil
}

// docCase returns the case id of a care document of a kind, or ENOTFOUND.
func (tx *Tx) docCase(id, kind string) (string, error) {
	var caseID string
	err := tx.QueryRowContext(tx.ctx, `SELECT case_id FROM care_docs WHERE id = $1 AND kind = $2`, id, kind).Scan(&caseID)
	if err != nil {
		return "", atip.Errorf(atip.ENOTFOUND, "%s not found", kind)
	}
	return caseID, nil
}
