package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"atip"
	"atip/internal/gazetteer"
	"atip/internal/policy"
	"atip/internal/textnorm"
)

// OrgService implements atip.OrgService.
type OrgService struct{ db *DB }

// NewOrgService returns the organisation service on db.
func NewOrgService(db *DB) *OrgService { return &OrgService{db: db} }

var _ atip.OrgService = (*OrgService)(nil)

const maxNameLen = 200

func validateOrg(o *atip.Org) error {
	var v atip.Invalid
	o.Name = textnorm.Clean(o.Name)
	switch n := utf8.RuneCountInString(o.Name); {
	case n == 0:
		v.Add("name", "is required")
	case n > maxNameLen:
		v.Add("name", "must be at most %d characters", maxNameLen)
	}
	if !o.Type.Valid() {
		v.Add("type", "must be one of the organisation types")
	}
	// The jurisdiction is stored as the gazetteer's own code, whatever case
	// it was typed in.
	if strings.TrimSpace(o.Jurisdiction) == "" {
		v.Add("jurisdiction", "is required")
	} else if p, ok := gazetteer.Get(o.Jurisdiction); !ok {
		v.Add("jurisdiction", "is not a place code of the gazetteer")
	} else {
		o.Jurisdiction = p.Code
	}
	return v.Err()
}

// CreateOrg adds an organisation. Only platform admins and the operator may.
func (s *OrgService) CreateOrg(ctx context.Context, o *atip.Org) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if err := require(a, policy.OrgCreate, "", "create organisations"); err != nil {
		return err
	}
	if err := validateOrg(o); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		o.ID = atip.NewID()
		o.Stamp = atip.Stamp{CreatedAt: tx.Now, CreatedBy: a.UserID(), UpdatedAt: tx.Now, UpdatedBy: a.UserID()}
		_, err := tx.ExecContext(ctx, `INSERT INTO orgs
			(id, name, name_key, type, jurisdiction, disabled, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			o.ID, o.Name, foldKey(o.Name), string(o.Type), o.Jurisdiction, o.Disabled,
			o.CreatedAt, o.CreatedBy, o.UpdatedAt, o.UpdatedBy)
		if isUniqueViolation(err) {
			return &atip.Error{Code: atip.ECONFLICT, Message: "an organisation with this name exists",
				Fields: []atip.FieldError{{Field: "name", Message: "is already taken"}}}
		} else if err != nil {
			return fmt.Errorf("create org: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "org.create", RecordType: "org", RecordID: o.ID,
			Detail: "type=" + string(o.Type) + " jurisdiction=" + o.Jurisdiction})
		return nil
	})
}

// UpdateOrg changes an organisation. Organisation admins may rename their
// own and change its jurisdiction; its type and whether it is disabled are
// the platform admins'.
func (s *OrgService) UpdateOrg(ctx context.Context, id string, upd atip.OrgUpdate) (*atip.Org, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.Org
	err = s.db.Write(ctx, func(tx *Tx) error {
		o, err := findOrg(ctx, tx, id)
		if err != nil {
			return err
		}
		if !policy.Can(a, policy.OrgView, o.ID) {
			return errOrgNotFound
		}
		if err := require(a, policy.OrgUpdate, o.ID, "change this organisation"); err != nil {
			return err
		}
		var changed []string
		if upd.Name != nil && *upd.Name != o.Name {
			o.Name = *upd.Name
			changed = append(changed, "name")
		}
		if upd.Jurisdiction != nil && *upd.Jurisdiction != o.Jurisdiction {
			o.Jurisdiction = *upd.Jurisdiction
			changed = append(changed, "jurisdiction")
		}
		if upd.Type != nil && *upd.Type != o.Type {
			if err := require(a, policy.OrgCreate, "", "change an organisation's type"); err != nil {
				return err
			}
			o.Type = *upd.Type
			changed = append(changed, "type")
		}
		if upd.Disabled != nil && *upd.Disabled != o.Disabled {
			if err := require(a, policy.OrgCreate, "", "disable or enable organisations"); err != nil {
				return err
			}
			o.Disabled = *upd.Disabled
			changed = append(changed, "disabled")
		}
		if err := validateOrg(o); err != nil {
			return err
		}
		out = o
		if len(changed) == 0 {
			return nil
		}
		o.UpdatedAt, o.UpdatedBy = tx.Now, a.UserID()
		_, err = tx.ExecContext(ctx, `UPDATE orgs SET name = $1, name_key = $2, type = $3, jurisdiction = $4,
			disabled = $5, updated_at = $6, updated_by = $7 WHERE id = $8`,
			o.Name, foldKey(o.Name), string(o.Type), o.Jurisdiction, o.Disabled, o.UpdatedAt, o.UpdatedBy, o.ID)
		if isUniqueViolation(err) {
			return &atip.Error{Code: atip.ECONFLICT, Message: "an organisation with this name exists",
				Fields: []atip.FieldError{{Field: "name", Message: "is already taken"}}}
		} else if err != nil {
			return fmt.Errorf("update org: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "org.update", RecordType: "org", RecordID: o.ID,
			Detail: "changed " + strings.Join(changed, ",")})
		return nil
	})
	return out, err
}

var errOrgNotFound = atip.Errorf(atip.ENOTFOUND, "organisation not found")

// FindOrgByID returns an organisation the actor may see.
func (s *OrgService) FindOrgByID(ctx context.Context, id string) (*atip.Org, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !policy.Can(a, policy.OrgView, id) {
		return nil, errOrgNotFound
	}
	return findOrg(ctx, s.db.r, id)
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

const orgCols = `id, name, type, jurisdiction, disabled, created_at, created_by, updated_at, updated_by`

func scanOrg(r interface{ Scan(...any) error }) (*atip.Org, error) {
	var o atip.Org
	var typ string
	if err := r.Scan(&o.ID, &o.Name, &typ, &o.Jurisdiction, &o.Disabled,
		&o.CreatedAt, &o.CreatedBy, &o.UpdatedAt, &o.UpdatedBy); err != nil {
		return nil, err
	}
	o.Type = atip.OrgType(typ)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return &o, nil
}

func findOrg(ctx context.Context, q querier, id string) (*atip.Org, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgCols+` FROM orgs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOrgNotFound
	} else if err != nil {
		return nil, fmt.Errorf("find org: %w", err)
	}
	return o, nil
}

// FindOrgs returns a page of organisations ordered by id.
func (s *OrgService) FindOrgs(ctx context.Context, f atip.OrgFilter) ([]*atip.Org, string, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	var c conds
	add := c.add
	if !policy.Can(a, policy.OrgView, otherOrg) {
		if a.User == nil || !policy.Can(a, policy.OrgView, a.User.OrgID) {
			return nil, "", nil
		}
		add("id = ?", a.User.OrgID)
	}
	if f.Type != "" {
		add("type = ?", string(f.Type))
	}
	if q := foldKey(f.Query); q != "" {
		add(`name_key LIKE ? ESCAPE '\'`, "%"+likeEscape(q)+"%")
	}
	if f.After != "" {
		add("id > ?", f.After)
	}
	return listByID(ctx, s.db.r, orgCols, "orgs", &c, pageSize(f.Limit), scanOrg, func(o *atip.Org) string { return o.ID })
}
