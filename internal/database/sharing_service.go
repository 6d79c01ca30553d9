package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
	"atip/internal/policy"
	"atip/internal/textnorm"
)

// SharingService implements atip.SharingService: the sharing workflows over
// the records registry. Every rule is the policy's (CheckConsent,
// CheckReferral, CheckTransfer, CheckAccessRequest, GrantFromRequest,
// CheckBreakGlass, CheckRevoke, CheckMarking, CanApproveErasure,
// CheckOwnerManager); this file and the sharing_*.go files load, store,
// notify and audit. Audit entries and notifications carry ids, classes and
// purposes only, never personal data.
type SharingService struct{ db *DB }

// NewSharingService returns the service on db.
func NewSharingService(db *DB) *SharingService { return &SharingService{db: db} }

var _ atip.SharingService = (*SharingService)(nil)

func init() {
	recordMetaLoaders = append(recordMetaLoaders, loadConsents)
}

// Longest free texts the workflows accept, in characters.
const (
	maxSharingNote = 2000
	maxRelation    = 100
)

var errRecordNotFound = atip.Errorf(atip.ENOTFOUND, "record not found")

// userActor returns the acting user, who must belong to an organisation:
// records are shared by organisations, not from the command line.
func userActor(ctx context.Context) (*atip.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, atip.Errorf(atip.EFORBIDDEN, "sharing is done by an organisation's users")
	}
	return a, nil
}

// sharedRecord loads one record and the actor's subject at tx.Now. A record
// the actor may not know of is ENOTFOUND, exactly as an id never used.
func (tx *Tx) sharedRecord(id string) (*StoredRecord, *policy.Subject, policy.View, error) {
	s, err := tx.subject()
	if err != nil {
		return nil, nil, policy.View{}, err
	}
	if id == "" {
		return nil, nil, policy.View{}, errRecordNotFound
	}
	recs, err := loadRecords(tx.ctx, tx, []string{id})
	if err != nil {
		return nil, nil, policy.View{}, err
	}
	if len(recs) == 0 {
		return nil, nil, policy.View{}, errRecordNotFound
	}
	v := s.View(&recs[0].Meta)
	if v.Level == policy.LevelNone {
		return nil, nil, policy.View{}, errRecordNotFound
	}
	return recs[0], s, v, nil
}

// liveGroupIDs returns the groups orgID is a live member of at now.
func liveGroupIDs(ctx context.Context, q querier, orgID string, now time.Time) ([]string, error) {
	gs, err := liveGroupsOf(ctx, q, orgID, now)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.ID
	}
	return out, nil
}

// orgExists reports whether orgID names an enabled organisation.
func orgExists(tx *Tx, orgID string) (bool, error) {
	var disabled bool
	err := tx.QueryRowContext(tx.ctx, `SELECT disabled FROM orgs WHERE id = $1`, orgID).Scan(&disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !disabled, nil
}

// cleanText trims s and checks it is valid text of at most max characters.
func cleanText(v *atip.Invalid, field, s string, max int) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(s):
		v.Add(field, "is not valid text")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "must be at most %d characters", max)
	}
	return s
}

func jsonText[T any](s []T) string {
	b, _ := json.Marshal(nonNil(s))
	return string(b)
}

func fromJSON[T any](s string, out *[]T) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), out)
}

func classList(cs []atip.FieldClass) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(c))
	}
	return b.String()
}

func utcOrZero(n sql.NullTime) time.Time {
	if n.Valid {
		return n.Time.UTC()
	}
	return time.Time{}
}

// labelOf is the label of a loaded record.
func labelOf(r *StoredRecord) atip.RecordLabel {
	return atip.RecordLabel{Record: r.Meta.Ref, Ref: r.Ref, OwnerOrgID: r.Meta.OwnerOrgID, TLP: r.Meta.TLP, Erased: !r.ErasedAt.IsZero()}
}

// labels loads the labels of ids (records the caller is entitled to name).
func labels(ctx context.Context, q querier, ids []string) (map[string]atip.RecordLabel, error) {
	out := map[string]atip.RecordLabel{}
	if len(ids) == 0 {
		return out, nil
	}
	seen := map[string]bool{}
	var uniq []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	in, args := inList(uniq, 1)
	rows, err := q.QueryContext(ctx, `SELECT id, type, ref, owner_org_id, tlp, erased_at FROM records WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("database: record labels: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l atip.RecordLabel
		var typ, tlp string
		var erased sql.NullTime
		if err := rows.Scan(&l.Record.ID, &typ, &l.Ref, &l.OwnerOrgID, &tlp, &erased); err != nil {
			return nil, err
		}
		l.Record.Type, l.TLP, l.Erased = atip.RecordType(typ), atip.TLP(tlp), erased.Valid
		out[l.Record.ID] = l
	}
	return out, rows.Err()
}

// ---- Consents ----

const consentCols = `id, record_id, record_type, purposes, org_ids, group_ids, method, given_by, guardian_relation,
	child_assent, recorded_by, given_at, withdrawn_at, withdrawn_by, created_at, created_by, updated_at, updated_by`

func scanConsent(s interface{ Scan(...any) error }) (*atip.Consent, error) {
	var c atip.Consent
	var typ, purposes, orgs, groups, method, givenBy string
	var withdrawn sql.NullTime
	if err := s.Scan(&c.ID, &c.Record.ID, &typ, &purposes, &orgs, &groups, &method, &givenBy, &c.GuardianRelation,
		&c.ChildAssent, &c.RecordedBy, &c.GivenAt, &withdrawn, &c.WithdrawnBy, &c.CreatedAt, &c.CreatedBy, &c.UpdatedAt, &c.UpdatedBy); err != nil {
		return nil, err
	}
	c.Record.Type, c.Method, c.GivenBy = atip.RecordType(typ), atip.ConsentMethod(method), atip.ConsentGiver(givenBy)
	for _, p := range []error{fromJSON(purposes, &c.Purposes), fromJSON(orgs, &c.OrgIDs), fromJSON(groups, &c.GroupIDs)} {
		if p != nil {
			return nil, fmt.Errorf("consent %s: %w", c.ID, p)
		}
	}
	c.GivenAt, c.WithdrawnAt = c.GivenAt.UTC(), utcOrZero(withdrawn)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

// loadConsents fills RecordMeta.Consents of the loaded records: one query.
func loadConsents(ctx context.Context, q querier, byID map[string]*StoredRecord, in string, args []any) error {
	rows, err := q.QueryContext(ctx, `SELECT `+consentCols+` FROM consents WHERE record_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("database: load consents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			return err
		}
		if r := byID[c.Record.ID]; r != nil {
			r.Meta.Consents = append(r.Meta.Consents, *c)
		}
	}
	return rows.Err()
}

// RecordConsent stores a consent the policy allows.
func (s *SharingService) RecordConsent(ctx context.Context, c *atip.Consent) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		r, sub, _, err := tx.sharedRecord(c.Record.ID)
		if err != nil {
			return err
		}
		if c.Record.Type == "" {
			c.Record.Type = r.Meta.Ref.Type
		}
		var v atip.Invalid
		c.GuardianRelation = textnorm.Clean(c.GuardianRelation)
		if utf8.RuneCountInString(c.GuardianRelation) > maxRelation {
			v.Add("guardian_relation", "must be at most %d characters", maxRelation)
		}
		if c.GivenBy != atip.GivenByGuardian {
			c.GuardianRelation = ""
		}
		c.GivenAt = c.GivenAt.UTC().Truncate(time.Microsecond)
		if err := sub.CheckConsent(&r.Meta, c); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		for _, o := range c.OrgIDs {
			if ok, err := orgExists(tx, o); err != nil {
				return err
			} else if !ok {
				return invalidField("org_ids", "%q is not an organisation", o)
			}
		}
		c.ID = atip.NewID()
		c.RecordedBy = a.User.ID
		c.WithdrawnAt, c.WithdrawnBy = time.Time{}, ""
		c.Stamp = atip.Stamp{CreatedAt: tx.Now, CreatedBy: a.User.ID, UpdatedAt: tx.Now, UpdatedBy: a.User.ID}
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents (id, record_id, record_type, purposes, org_ids, group_ids,
			method, given_by, guardian_relation, child_assent, recorded_by, given_at, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $11, $13, $11)`,
			c.ID, c.Record.ID, string(c.Record.Type), jsonText(c.Purposes), jsonText(c.OrgIDs), jsonText(c.GroupIDs),
			string(c.Method), string(c.GivenBy), c.GuardianRelation, c.ChildAssent, a.User.ID, c.GivenAt, tx.Now); err != nil {
			return fmt.Errorf("database: insert consent: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "consent.record", RecordType: string(c.Record.Type), RecordID: c.Record.ID,
			Detail: fmt.Sprintf("consent=%s method=%s given_by=%s", c.ID, c.Method, c.GivenBy)})
		return nil
	})
}

// WithdrawConsent ends a consent at once.
func (s *SharingService) WithdrawConsent(ctx context.Context, id string) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		c, err := scanConsent(tx.QueryRowContext(ctx, `SELECT `+consentCols+` FROM consents WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errRecordNotFound
		}
		if err != nil {
			return err
		}
		r, sub, _, err := tx.sharedRecord(c.Record.ID)
		if err != nil {
			return err
		}
		if d := sub.Decide(&r.Meta, policy.RecordEdit, atip.ClassIdentity); !d.Allowed() {
			if r.Meta.OwnerOrgID != a.User.OrgID {
				return errRecordNotFound
			}
			return atip.Errorf(atip.EFORBIDDEN, "only the owning organisation's caseworkers record consent")
		}
		if err := claim(tx, "consents", id, "withdrawn_at IS NULL", "the consent is already withdrawn"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE consents SET withdrawn_at = $2, withdrawn_by = $3, updated_at = $2, updated_by = $3
			WHERE id = $1`, id, tx.Now, a.User.ID); err != nil {
			return fmt.Errorf("database: withdraw consent: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "consent.withdraw", RecordType: string(c.Record.Type), RecordID: c.Record.ID,
			Detail: "consent=" + id})
		// The organisations holding live referrals of the record are told:
		// what the consent covered is closed to them from now on.
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT to_org_id FROM referrals WHERE record_id = $1 AND accepted_at IS NOT NULL
			AND declined_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY to_org_id`, c.Record.ID, tx.Now)
		if err != nil {
			return fmt.Errorf("database: referral holders: %w", err)
		}
		var orgs []string
		for rows.Next() {
			var o string
			if err := rows.Scan(&o); err != nil {
				rows.Close()
				return err
			}
			orgs = append(orgs, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, o := range orgs {
			if err := tx.notify(atip.Notification{OrgID: o, Kind: "sharing.notify.consent_withdrawn", Record: c.Record,
				Args: map[string]string{"ref": r.Ref, "tlp": string(r.Meta.TLP)}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// claim takes the row of table with id for this change, provided cond
// still holds: on PostgreSQL a concurrent change waits for this one and
// then finds cond false (SQLite has one writer anyway). It answers
// ECONFLICT when the row has moved on, e.g. a request answered twice.
func claim(tx *Tx, table, id, cond, what string) error {
	res, err := tx.ExecContext(tx.ctx, `UPDATE `+table+` SET id = id WHERE id = $1 AND `+cond, id)
	if err != nil {
		return fmt.Errorf("database: claim %s: %w", table, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return atip.Errorf(atip.ECONFLICT, "%s", what)
	}
	return nil
}

// invalidField is EINVALID naming one field.
func invalidField(field, format string, a ...any) error {
	var v atip.Invalid
	v.Add(field, format, a...)
	return v.Err()
}
