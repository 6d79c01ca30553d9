package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"atip"
	"atip/internal/policy"
	"atip/internal/redact"
)

// This file is the one storage path of every shareable record (issue 3):
// persons, cases, missing reports, interceptions, signals, alerts,
// networks, documents. Each record has a row in the records registry
// (owner, distribution, TLP, groups, child flag, its wrapped data key, its
// JSON with the protected classes blanked) and its whole JSON sealed in
// record_secrets. A record type adds a table of its own only for the
// columns its lists filter and sort on, keyed by the registry id.
//
// Reading goes: pre-filter in SQL by the subject's ListScope (scopeConds),
// load the registry rows in one query (loadRecords), let the policy decide
// every record at once (Subject.Views), then decode each record for its view
// (decodeRecord): the clear JSON, the sealed JSON only when the view shows a
// protected class, and redact.Apply last so nothing the view does not show
// reaches a template, an encoder or an export.

// errNoMasterKey is returned when a record with personal data is written or
// read without a master key: protected fields are never stored in clear.
var errNoMasterKey = errors.New("database: no master key is configured (ATIP_MASTER_KEY_FILE or ATIP_MASTER_KEY); records with personal data are stored only encrypted")

// recordAAD is the associated data of a record's sealed JSON.
const recordField = "record"

// dekRecord binds a wrapped data key to its record.
func dekRecord(id string) string { return "record/" + id }

// StoredRecord is a registry row as loaded: what the policy needs (Meta),
// the record's readable reference and stamps, and its clear JSON.
type StoredRecord struct {
	Meta      atip.RecordMeta
	Ref       string // pseudonymous reference, e.g. "CAS-7F3A-91C2"
	Data      []byte // the record's JSON with the protected classes blanked
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	ClosedAt  time.Time
	ErasedAt  time.Time
}

// Info returns the record's RecordInfo, as record structs embed it.
func (r *StoredRecord) Info() atip.RecordInfo {
	return atip.RecordInfo{
		OwnerOrgID: r.Meta.OwnerOrgID, Distribution: r.Meta.Distribution, TLP: r.Meta.TLP,
		GroupIDs: slices.Clone(r.Meta.GroupIDs), CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy,
		UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy,
	}
}

// putRecord inserts or updates a shareable record: its registry row and
// groups, its clear JSON (v with every protected class blanked) and its
// whole JSON sealed under its data key (made on insert). v must be a pointer
// to a record struct whose fields carry class tags. The caller has checked
// the policy; putRecord checks only that the marking is consistent.
func (tx *Tx) putRecord(m *atip.RecordMeta, v any) error {
	ctx := tx.ctx
	if !m.Ref.Type.Valid() || m.Ref.ID == "" || m.OwnerOrgID == "" {
		return fmt.Errorf("database: putRecord: incomplete record meta %+v", m.Ref)
	}
	if !m.Distribution.Valid() || !m.TLP.Valid() {
		return atip.Errorf(atip.EINVALID, "unknown distribution %q or marking %q", m.Distribution, m.TLP)
	}
	if tx.db.keyring == nil {
		return errNoMasterKey
	}
	full, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("database: encode %s: %w", m.Ref, err)
	}
	clear, err := clearJSON(v)
	if err != nil {
		return err
	}
	who := actorID(ctx)
	sharedOp := slices.Contains(m.SharedClasses, atip.ClassOperational)

	var dekText string
	err = tx.QueryRowContext(ctx, `SELECT dek FROM records WHERE id = $1`, m.Ref.ID).Scan(&dekText)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		dk, wrapped, err := tx.db.keyring.NewDataKey(dekRecord(m.Ref.ID))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO records (id, type, ref, owner_org_id, distribution, tlp,
			shared_operational, child, dek, data, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12)`,
			m.Ref.ID, string(m.Ref.Type), redact.Ref(m.Ref), m.OwnerOrgID, string(m.Distribution), string(m.TLP),
			sharedOp, m.Child, joinEnvelope(wrapped, nil), string(clear), tx.Now, who); err != nil {
			return fmt.Errorf("database: insert %s: %w", m.Ref, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO record_secrets (record_id, sealed) VALUES ($1, $2)`,
			m.Ref.ID, dk.Seal(recordField, full)); err != nil {
			return fmt.Errorf("database: insert %s: %w", m.Ref, err)
		}
	case err != nil:
		return fmt.Errorf("database: read %s: %w", m.Ref, err)
	default:
		dk, err := tx.db.openDEK(m.Ref.ID, dekText)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET owner_org_id = $2, distribution = $3, tlp = $4,
			shared_operational = $5, child = $6, data = $7, updated_at = $8, updated_by = $9 WHERE id = $1`,
			m.Ref.ID, m.OwnerOrgID, string(m.Distribution), string(m.TLP), sharedOp, m.Child, string(clear), tx.Now, who); err != nil {
			return fmt.Errorf("database: update %s: %w", m.Ref, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE record_secrets SET sealed = $2 WHERE record_id = $1`,
			m.Ref.ID, dk.Seal(recordField, full)); err != nil {
			return fmt.Errorf("database: update %s: %w", m.Ref, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_groups WHERE record_id = $1`, m.Ref.ID); err != nil {
			return err
		}
	}
	groups := slices.Clone(m.GroupIDs)
	slices.Sort(groups)
	for _, g := range slices.Compact(groups) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO record_groups (record_id, group_id) VALUES ($1, $2)`, m.Ref.ID, g); err != nil {
			return fmt.Errorf("database: group %s of %s: %w", g, m.Ref, err)
		}
	}
	return nil
}

// clearJSON is v's JSON with every protected class blanked, from a copy: v
// itself is left whole.
func clearJSON(v any) ([]byte, error) {
	full, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	cp, err := newLike(v)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(full, cp); err != nil {
		return nil, err
	}
	if err := redact.Apply(cp, policy.SetAll&^policy.SetProtected); err != nil {
		return nil, err
	}
	return json.Marshal(cp)
}

// newLike returns a new zero value of the type v points to.
func newLike(v any) (any, error) {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("database: a record must be a pointer to a struct, got %T", v)
	}
	return reflect.New(t.Elem()).Interface(), nil
}

// actorID is the id stamped on rows the actor in ctx writes.
func actorID(ctx context.Context) string {
	if a := atip.ActorFromContext(ctx); a != nil {
		return a.UserID()
	}
	return ""
}

func (db *DB) openDEK(id, dekText string) (interface {
	Seal(string, []byte) []byte
	Open(string, []byte) ([]byte, error)
}, error) {
	if dekText == "" {
		return nil, atip.Errorf(atip.ENOTFOUND, "record %s was erased", id)
	}
	if db.keyring == nil {
		return nil, errNoMasterKey
	}
	wrapped, _, ok, err := splitEnvelope(dekText)
	if err != nil || !ok {
		return nil, fmt.Errorf("database: data key of record %s is malformed", id)
	}
	dk, err := db.keyring.OpenDataKey(dekRecord(id), wrapped)
	if err != nil {
		return nil, fmt.Errorf("database: data key of record %s: %w", id, err)
	}
	return dk, nil
}

const recordCols = `r.id, r.type, r.ref, r.owner_org_id, r.distribution, r.tlp, r.shared_operational, r.child,
	r.data, r.closed_at, r.erased_at, r.created_at, r.created_by, r.updated_at, r.updated_by`

func scanRecord(s interface{ Scan(...any) error }) (*StoredRecord, error) {
	var r StoredRecord
	var typ, dist, tlp, data string
	var sharedOp bool
	var closed, erased sql.NullTime
	if err := s.Scan(&r.Meta.Ref.ID, &typ, &r.Ref, &r.Meta.OwnerOrgID, &dist, &tlp, &sharedOp, &r.Meta.Child,
		&data, &closed, &erased, &r.CreatedAt, &r.CreatedBy, &r.UpdatedAt, &r.UpdatedBy); err != nil {
		return nil, err
	}
	r.Meta.Ref.Type = atip.RecordType(typ)
	r.Meta.Distribution, r.Meta.TLP = atip.Distribution(dist), atip.TLP(tlp)
	if sharedOp {
		r.Meta.SharedClasses = []atip.FieldClass{atip.ClassOperational}
	}
	r.Data = []byte(data)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if closed.Valid {
		r.ClosedAt = closed.Time.UTC()
	}
	if erased.Valid {
		r.ErasedAt = erased.Time.UTC()
	}
	return &r, nil
}

// loadRecords loads the registry rows of ids with their groups — two
// queries whatever the number of ids — in the order of ids; ids that do not
// exist are left out.
func loadRecords(ctx context.Context, q querier, ids []string) ([]*StoredRecord, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(ids, 1)
	rows, err := q.QueryContext(ctx, `SELECT `+recordCols+` FROM records r WHERE r.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("database: load records: %w", err)
	}
	byID := make(map[string]*StoredRecord, len(ids))
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byID[r.Meta.Ref.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	grows, err := q.QueryContext(ctx, `SELECT record_id, group_id FROM record_groups WHERE record_id IN (`+in+`) ORDER BY record_id, group_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("database: load record groups: %w", err)
	}
	for grows.Next() {
		var rid, gid string
		if err := grows.Scan(&rid, &gid); err != nil {
			grows.Close()
			return nil, err
		}
		if r := byID[rid]; r != nil {
			r.Meta.GroupIDs = append(r.Meta.GroupIDs, gid)
		}
	}
	grows.Close()
	if err := grows.Err(); err != nil {
		return nil, err
	}
	for _, hook := range recordMetaLoaders {
		if err := hook(ctx, q, byID, in, args); err != nil {
			return nil, err
		}
	}
	out := make([]*StoredRecord, 0, len(byID))
	for _, id := range ids {
		if r := byID[id]; r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// recordMetaLoaders complete the loaded records' Meta from side tables
// (consents, for one), each in one query over the same id list: in is the
// placeholder list and args its values.
var recordMetaLoaders []func(ctx context.Context, q querier, byID map[string]*StoredRecord, in string, args []any) error

// inList returns "$k, $k+1, …" for the values and the values as arguments.
func inList(vals []string, first int) (string, []any) {
	var b strings.Builder
	args := make([]any, len(vals))
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", first+i)
		args[i] = v
	}
	return b.String(), args
}

// decodeRecord fills v (a pointer to the record struct) with what view
// shows of r: the clear JSON, the sealed JSON when the view shows a protected
// class, and then redact.Apply so that nothing else survives. A record the
// view does not show at all is ENOTFOUND.
func (tx *Tx) decodeRecord(r *StoredRecord, view policy.View, v any) error {
	if view.Level == policy.LevelNone {
		return atip.Errorf(atip.ENOTFOUND, "record not found")
	}
	data := r.Data
	if view.Shown&policy.SetProtected != 0 && r.ErasedAt.IsZero() {
		var dekText string
		var sealed []byte
		err := tx.QueryRowContext(tx.ctx, `SELECT r.dek, s.sealed FROM records r JOIN record_secrets s ON s.record_id = r.id
			WHERE r.id = $1`, r.Meta.Ref.ID).Scan(&dekText, &sealed)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("database: read %s: %w", r.Meta.Ref, err)
		}
		if err == nil {
			dk, err := tx.db.openDEK(r.Meta.Ref.ID, dekText)
			if err != nil {
				return err
			}
			if data, err = dk.Open(recordField, sealed); err != nil {
				return fmt.Errorf("database: open %s: %w", r.Meta.Ref, err)
			}
		}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("database: decode %s: %w", r.Meta.Ref, err)
	}
	return redact.Apply(v, view.Shown)
}

// subject prepares the actor in the transaction's context for record
// decisions at the transaction's time: its holdings loaded once, whatever
// the number of records then decided.
func (tx *Tx) subject() (*policy.Subject, error) {
	a, err := actor(tx.ctx)
	if err != nil {
		return nil, err
	}
	h, err := holdings(tx.ctx, tx, a, tx.Now)
	if err != nil {
		return nil, err
	}
	return policy.NewSubject(a, h, tx.Now), nil
}

// scopeConds adds to c the condition that keeps, of the records aliased
// alias, those the scope may reach: owned, referred, in one of the groups,
// or platform-wide. The policy still decides each record afterwards.
func scopeConds(c *conds, sc policy.ListScope, alias string) {
	if sc.All {
		return
	}
	if sc.None {
		c.where = append(c.where, "1 = 0")
		return
	}
	var or []string
	c.args = append(c.args, sc.OrgID)
	or = append(or, fmt.Sprintf("%s.owner_org_id = $%d", alias, len(c.args)))
	if len(sc.ReferralIDs) > 0 {
		in, args := inList(sc.ReferralIDs, len(c.args)+1)
		c.args = append(c.args, args...)
		or = append(or, alias+".id IN ("+in+")")
	}
	if len(sc.GroupIDs) > 0 {
		in, args := inList(sc.GroupIDs, len(c.args)+1)
		c.args = append(c.args, args...)
		or = append(or, fmt.Sprintf("(%s.distribution IN ('groups', 'platform') AND %s.id IN (SELECT record_id FROM record_groups WHERE group_id IN (%s)))", alias, alias, in))
	}
	if sc.Platform {
		if sc.ClearOnly {
			or = append(or, fmt.Sprintf("(%s.distribution = 'platform' AND %s.tlp = 'CLEAR')", alias, alias))
		} else {
			or = append(or, fmt.Sprintf("(%s.distribution = 'platform' AND %s.tlp IN ('CLEAR', 'GREEN'))", alias, alias))
		}
	}
	c.where = append(c.where, "("+strings.Join(or, " OR ")+")")
}

// notify stores a notification in the transaction.
func (tx *Tx) notify(n atip.Notification) error {
	if n.ID == "" {
		n.ID = atip.NewID()
	}
	args, err := json.Marshal(n.Args)
	if err != nil {
		return err
	}
	if n.Args == nil {
		args = []byte("{}")
	}
	var user any
	if n.UserID != "" {
		user = n.UserID
	}
	_, err = tx.ExecContext(tx.ctx, `INSERT INTO notifications (id, org_id, user_id, role, kind, record_id, record_type, args, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		n.ID, n.OrgID, user, string(n.Role), n.Kind, n.Record.ID, string(n.Record.Type), string(args), tx.Now)
	if err != nil {
		return fmt.Errorf("database: notify: %w", err)
	}
	return nil
}

// auditView appends the audit entry of a look at a record's protected data
// (every look is audited; one made under break-glass is marked so), in the
// transaction that read it — so a page showing personal data reads in
// db.Write. Views of the redacted record alone are not entries: they show
// nobody's personal data, and a list of a thousand records would otherwise
// write a thousand entries.
func (tx *Tx) auditView(r *StoredRecord, v policy.View) {
	if v.Shown&policy.SetProtected == 0 {
		return
	}
	var classes []string
	for _, c := range (v.Shown & policy.SetProtected).List() {
		classes = append(classes, string(c))
	}
	tx.Audit(atip.AuditEntry{Action: string(r.Meta.Ref.Type) + ".view", RecordType: string(r.Meta.Ref.Type),
		RecordID: r.Meta.Ref.ID, Detail: "classes=" + strings.Join(classes, ","), BreakGlass: v.ByGlass != 0})
}

// loadRecord loads one registry row of type t; ENOTFOUND when absent or of
// another type. It decides nothing: callers ask the policy next.
func (tx *Tx) loadRecord(t atip.RecordType, id string) (*StoredRecord, error) {
	rs, err := loadRecords(tx.ctx, tx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 || rs[0].Meta.Ref.Type != t {
		return nil, atip.Errorf(atip.ENOTFOUND, "%s not found", t)
	}
	return rs[0], nil
}

// visibleRecord loads one record of type t as the actor sees it, or
// ENOTFOUND: a guessed id, a record of another type, an erased record and a
// record the actor may not see all answer the same.
func (tx *Tx) visibleRecord(t atip.RecordType, id string) (*StoredRecord, *policy.Subject, policy.View, error) {
	sub, err := tx.subject()
	if err != nil {
		return nil, nil, policy.View{}, err
	}
	r, err := tx.loadRecord(t, id)
	if err != nil || !r.ErasedAt.IsZero() {
		return nil, nil, policy.View{}, atip.Errorf(atip.ENOTFOUND, "record not found")
	}
	view := sub.View(&r.Meta)
	if view.Level == policy.LevelNone {
		return nil, nil, policy.View{}, atip.Errorf(atip.ENOTFOUND, "record not found")
	}
	return r, sub, view, nil
}

// newRecordID returns a new id whose readable reference (redact.Ref: the
// id's last eight hex digits) no record has yet. References are short so
// that people can read them out on the phone; with a million records two
// ids would share one, and records.ref is unique.
func (tx *Tx) newRecordID(t atip.RecordType) (string, error) {
	for range 20 {
		id := atip.NewID()
		var n int
		if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM records WHERE ref = $1`, redact.Ref(atip.RecordRef{Type: t, ID: id})).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return id, nil
		}
	}
	return "", fmt.Errorf("database: no free record reference after 20 tries")
}

// freeRecordID is newRecordID for services that make a record's id before
// their write transaction. Two writers racing for one reference meet the
// registry's UNIQUE constraint, and one of them fails rather than sharing it.
func (db *DB) freeRecordID(ctx context.Context, t atip.RecordType) (string, error) {
	var id string
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.newRecordID(t)
		return err
	})
	return id, err
}
