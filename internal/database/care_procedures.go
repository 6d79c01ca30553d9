package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"atip"
	"atip/internal/policy"
	"atip/internal/sop"
)

// This file stores organisations' own versions of the SOPs (SOPEdit): the
// YAML text as the admin wrote it, validated by internal/sop against the
// deadline table and the versions already in force. The newest version of
// each procedure applies to the organisation's new cases; cases keep the
// version they were instantiated with (their checklist holds copies).

func (tx *Tx) ownProcedure(orgID, id string, version int) (string, time.Time, error) {
	var src string
	var at time.Time
	err := tx.QueryRowContext(tx.ctx, `SELECT source, created_at FROM org_procedures WHERE org_id = $1 AND procedure_id = $2 AND version = $3`,
		orgID, id, version).Scan(&src, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, nil
	}
	return src, at.UTC(), err
}

func (tx *Tx) procedureInfo(orgID string, p *sop.Procedure) (*atip.ProcedureInfo, error) {
	info := &atip.ProcedureInfo{ID: p.ID, Version: p.Version, Title: p.Title.En}
	src, at, err := tx.ownProcedure(orgID, p.ID, p.Version)
	if err != nil {
		return nil, err
	}
	if src != "" {
		info.Own, info.Source, info.CreatedAt = true, src, at
		return info, nil
	}
	b, err := sop.ShippedSource(p.File)
	if err != nil {
		return nil, fmt.Errorf("database: shipped procedure %s: %w", p.ID, err)
	}
	info.Source = string(b)
	return info, nil
}

func sopOrg(ctx context.Context) (*atip.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.User == nil || !policy.Can(a, policy.SOPEdit, a.User.OrgID) {
		return nil, atip.Errorf(atip.EFORBIDDEN, "only an organisation admin edits its procedures")
	}
	return a, nil
}

// Procedures lists the procedures in force for the actor's organisation.
func (s *CareService) Procedures(ctx context.Context) ([]atip.ProcedureInfo, error) {
	var out []atip.ProcedureInfo
	err := s.db.Read(ctx, func(tx *Tx) error {
		a, err := sopOrg(ctx)
		if err != nil {
			return err
		}
		set, err := tx.procedureSet(a.User.OrgID)
		if err != nil {
			return err
		}
		for _, id := range set.IDs() {
			p, _ := set.Latest(id)
			info, err := tx.procedureInfo(a.User.OrgID, p)
			if err != nil {
				return err
			}
			info.Source = ""
			out = append(out, *info)
		}
		return nil
	})
	return out, err
}

// Procedure returns the version of a procedure in force, with its text.
func (s *CareService) Procedure(ctx context.Context, id string) (*atip.ProcedureInfo, error) {
	var out *atip.ProcedureInfo
	err := s.db.Read(ctx, func(tx *Tx) error {
		a, err := sopOrg(ctx)
		if err != nil {
			return err
		}
		set, err := tx.procedureSet(a.User.OrgID)
		if err != nil {
			return err
		}
		p, ok := set.Latest(id)
		if !ok {
			return atip.Errorf(atip.ENOTFOUND, "procedure not found")
		}
		out, err = tx.procedureInfo(a.User.OrgID, p)
		return err
	})
	return out, err
}

// SaveProcedure stores a new version of a procedure for the actor's
// organisation. Every problem in the text is reported, by line, under the
// field "source".
func (s *CareService) SaveProcedure(ctx context.Context, source string) (*atip.ProcedureInfo, error) {
	var out *atip.ProcedureInfo
	err := s.db.Write(ctx, func(tx *Tx) error {
		a, err := sopOrg(ctx)
		if err != nil {
			return err
		}
		set, err := tx.procedureSet(a.User.OrgID)
		if err != nil {
			return err
		}
		var v atip.Invalid
		p, err := sop.ParseProcedure("procedure.yaml", []byte(source))
		if err == nil {
			err = set.Add(p)
		}
		if err != nil {
			var pe sop.ParseErrors
			if !errors.As(err, &pe) {
				return err
			}
			msgs := make([]string, len(pe))
			for i, e := range pe {
				msgs[i] = e.Error()
			}
			v.Add("source", "%s", strings.Join(msgs, "\n"))
			return v.Err()
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO org_procedures (org_id, procedure_id, version, source, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6)`, a.User.OrgID, p.ID, p.Version, source, tx.Now, a.User.ID); err != nil {
			return fmt.Errorf("database: save procedure: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "sop.save", RecordType: "procedure", RecordID: p.ID, Detail: fmt.Sprintf("version=%d", p.Version)})
		out = &atip.ProcedureInfo{ID: p.ID, Version: p.Version, Title: p.Title.En, Own: true, Source: source, CreatedAt: tx.Now}
		return nil
	})
	return out, err
}
