package database

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
	"atip/internal/deconflict"
	"atip/internal/policy"
	"atip/internal/redact"
	"atip/internal/redflags"
)

// IntakeService stores and serves signals, interceptions at borders and
// transit points and missing-person reports (issue 4), each through the one
// storage path of shareable records (records.go). Its own tables
// (intake_interceptions, intake_signals, intake_missing) hold only what the
// lists filter and sort on; names, phones and statements live only in the
// sealed JSON.
type IntakeService struct {
	db  *DB
	cat *redflags.Catalogue
}

// NewIntakeService returns the service on db, scoring interceptions with
// the shipped red-flag catalogue.
func NewIntakeService(db *DB) *IntakeService {
	return &IntakeService{db: db, cat: redflags.Default()}
}

// WithCatalogue returns the service scoring with c: an organisation's own
// weights and thresholds (a catalogue document, redflags.Parse).
func (s *IntakeService) WithCatalogue(c *redflags.Catalogue) *IntakeService {
	return &IntakeService{db: s.db, cat: c}
}

// Catalogue is the red-flag catalogue new interceptions are scored with.
func (s *IntakeService) Catalogue() *redflags.Catalogue { return s.cat }

var _ atip.IntakeService = (*IntakeService)(nil)

// maxIntakeText is the longest free text (an account, a summary) stored.
const maxIntakeText = 20000

// writer returns the actor allowed to create intake records for their
// organisation.
func intakeWriter(ctx context.Context) (*atip.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.User == nil || !policy.Can(a, policy.RecordWrite, a.User.OrgID) {
		return nil, atip.Errorf(atip.EFORBIDDEN, "you may not record intake for an organisation")
	}
	return a, nil
}

// marking returns the record's marking: the one asked for when valid, else
// owner-only and AMBER, the narrowest default.
func intakeMarking(info *atip.RecordInfo) (atip.Distribution, atip.TLP, error) {
	d, t := info.Distribution, info.TLP
	if d == "" {
		d = atip.DistOwner
	}
	if t == "" {
		t = atip.TLPAmber
	}
	var v atip.Invalid
	if !d.Valid() {
		v.Add("distribution", "must be owner, groups or platform")
	}
	if !t.Valid() {
		v.Add("tlp", "must be one of %v", atip.TLPs)
	}
	if err := v.Err(); err != nil {
		return "", "", err
	}
	if policy.EffectiveDistribution(d, t) != d {
		return "", "", fieldErr("distribution", "is wider than the TLP marking allows")
	}
	return d, t, nil
}

// stamp fills the record's info for a new record of the actor's
// organisation and returns its meta.
func newIntakeMeta(tx *Tx, a *atip.Actor, typ atip.RecordType, id string, info *atip.RecordInfo, child bool) (*atip.RecordMeta, error) {
	d, t, err := intakeMarking(info)
	if err != nil {
		return nil, err
	}
	*info = atip.RecordInfo{OwnerOrgID: a.User.OrgID, Distribution: d, TLP: t, GroupIDs: slices.Clone(info.GroupIDs),
		CreatedAt: tx.Now, CreatedBy: a.User.ID, UpdatedAt: tx.Now, UpdatedBy: a.User.ID}
	if len(info.GroupIDs) > 0 && d == atip.DistOwner {
		return nil, fieldErr("groups", "an owner-only record goes to no group")
	}
	return &atip.RecordMeta{Ref: atip.RecordRef{Type: typ, ID: id}, OwnerOrgID: a.User.OrgID, Distribution: d, TLP: t,
		GroupIDs: info.GroupIDs, Child: child}, nil
}

// fieldErr is an EINVALID error naming one field.
func fieldErr(field, msg string) error {
	var v atip.Invalid
	v.Add(field, "%s", msg)
	return v.Err()
}

func checkText(v *atip.Invalid, field, s string) {
	if len(s) > maxIntakeText || !utf8.ValidString(s) {
		v.Add(field, "is too long or not valid text")
	}
}

// fillBands stores the age bands shown in the redacted view.
func fillBands(x *atip.Interception) {
	for i := range x.Stopped {
		x.Stopped[i].AgeBand = redact.AgeBand(x.Stopped[i].AgeYears)
		if x.Stopped[i].Sex == "" {
			x.Stopped[i].Sex = "unknown"
		}
	}
	for i := range x.Companions {
		x.Companions[i].AgeBand = redact.AgeBand(x.Companions[i].AgeYears)
	}
}

// CreateInterception implements atip.IntakeService.
func (s *IntakeService) CreateInterception(ctx context.Context, x *atip.Interception) error {
	a, err := intakeWriter(ctx)
	if err != nil {
		return err
	}
	if x.ID, err = s.db.freeRecordID(ctx, atip.RecordInterception); err != nil {
		return err
	}
	x.RecordedBy = a.User.ID
	x.VerifiedBy, x.VerifiedAt, x.Verification, x.VerifyNote = "", time.Time{}, "", ""
	x.At = x.At.UTC()
	fillBands(x)
	if x.Outcome == "" {
		x.Outcome = "pending"
	}
	if _, err := s.cat.Assess(x, x.Minor()); err != nil {
		return err
	}
	if err := x.Validate(); err != nil {
		return err
	}
	var v atip.Invalid
	checkText(&v, "account", x.Account)
	checkText(&v, "stated_purpose", x.StatedPurpose)
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		if x.At.After(tx.Now.Add(time.Hour)) {
			return fieldErr("at", "is in the future")
		}
		m, err := newIntakeMeta(tx, a, atip.RecordInterception, x.ID, &x.Info, x.Minor())
		if err != nil {
			return err
		}
		x.Ref = redact.Ref(m.Ref)
		if err := tx.putRecord(m, x); err != nil {
			return err
		}
		// The phones of the people stopped and of their companions (an
		// "uncle" may be the recruiter another agency knows): another
		// organisation holding one learns only that a match exists.
		var sels []deconflict.Selector
		for _, p := range x.Stopped {
			if p.Phone != "" {
				sels = append(sels, deconflict.Selector{Kind: deconflict.Phone, Value: p.Phone, Region: p.Nationality})
			}
		}
		for _, c := range x.Companions {
			if c.Phone != "" {
				sels = append(sels, deconflict.Selector{Kind: deconflict.Phone, Value: c.Phone})
			}
		}
		if _, err := tx.indexSelectors(m.Ref, m.OwnerOrgID, sels); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO intake_interceptions (id, at, point, district, catalogue_version,
			score, certainty, prompted, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			x.ID, x.At, x.Point, x.District, x.CatalogueVersion, x.Score, x.Certainty, x.Prompted, x.RecordedBy); err != nil {
			return fmt.Errorf("database: insert interception: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "interception.create", RecordType: string(atip.RecordInterception), RecordID: x.ID,
			Detail: fmt.Sprintf("catalogue=%d score=%d certainty=%d prompted=%t", x.CatalogueVersion, x.Score, x.Certainty, x.Prompted)})
		// Index the names stopped: a missing report filed later finds them.
		if err := tx.matchRecord(atip.RecordInterception, x.ID); err != nil {
			return err
		}
		// The supervisors of the organisation verify: tell them one waits.
		return tx.notify(atip.Notification{OrgID: a.User.OrgID, Role: atip.RoleSupervisor, Kind: "intake.notify.interception_verify",
			Record: m.Ref, Args: map[string]string{"ref": x.Ref}})
	})
}

// readOne decodes one record for its page: in a write transaction, so the
// look at protected fields is audited with the read.
func readOne[T any](s *IntakeService, ctx context.Context, typ atip.RecordType, id string, v *T,
	access func(tx *Tx, r *StoredRecord, sub *policy.Subject, view policy.View, acc *atip.IntakeAccess)) (*atip.IntakeAccess, error) {
	acc := &atip.IntakeAccess{}
	err := s.db.Write(ctx, func(tx *Tx) error {
		r, sub, view, err := tx.visibleRecord(typ, id)
		if err != nil {
			return err
		}
		if err := tx.decodeRecord(r, view, v); err != nil {
			return err
		}
		tx.auditView(r, view)
		acc.Full = view.Level == policy.LevelFull
		acc.CanEdit = sub.Decide(&r.Meta, policy.RecordEdit, atip.ClassReference).Allowed()
		if access != nil {
			access(tx, r, sub, view, acc)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// mayVerify reports whether the actor may verify the interception: a
// supervisor or first responder of the owning organisation who may edit it
// and did not record it, while it waits for verification.
func mayVerify(a *atip.Actor, sub *policy.Subject, m *atip.RecordMeta, x *atip.Interception) error {
	if a == nil || a.User == nil || a.User.OrgID != m.OwnerOrgID || !sub.Decide(m, policy.RecordEdit, atip.ClassReference).Allowed() {
		return atip.Errorf(atip.EFORBIDDEN, "only the organisation that recorded the interception verifies it")
	}
	if !slices.Contains(a.User.Roles, atip.RoleSupervisor) && !slices.Contains(a.User.Roles, atip.RoleFirstResponder) {
		return atip.Errorf(atip.EFORBIDDEN, "a supervisor or first responder verifies an interception")
	}
	if a.User.ID == x.RecordedBy {
		return &atip.Error{Code: atip.EFORBIDDEN, Message: "a second person must verify the interception",
			Fields: []atip.FieldError{{Field: "verified_by", Message: "is the person who recorded it"}}}
	}
	if x.Verification != "" {
		return atip.Errorf(atip.ECONFLICT, "the interception was already verified or rejected")
	}
	return nil
}

// Interception implements atip.IntakeService.
func (s *IntakeService) Interception(ctx context.Context, id string) (*atip.Interception, *atip.IntakeAccess, error) {
	var x atip.Interception
	acc, err := readOne(s, ctx, atip.RecordInterception, id, &x, func(tx *Tx, r *StoredRecord, sub *policy.Subject, _ policy.View, acc *atip.IntakeAccess) {
		acc.CanVerify = mayVerify(atip.ActorFromContext(ctx), sub, &r.Meta, &x) == nil
		acc.Prompt, acc.Reason = s.prompt(&x)
	})
	if err != nil {
		return nil, nil, err
	}
	return &x, acc, nil
}

// prompt recomputes why a stored interception prompts to open a case, from
// the catalogue version it was scored with.
func (s *IntakeService) prompt(x *atip.Interception) (bool, string) {
	c := s.cat
	if c.Version != x.CatalogueVersion {
		c = redflags.Version(x.CatalogueVersion)
	}
	if c != nil {
		// The flags were checked against the person's age when stored;
		// the redacted view has no ages, so minor-only flags are let be.
		if r, err := c.Score(x.Flags, min(max(x.Certainty, 1), 5), true); err == nil {
			return x.Prompted, r.Reason
		}
	}
	return x.Prompted, ""
}

// VerifyInterception implements atip.IntakeService.
func (s *IntakeService) VerifyInterception(ctx context.Context, id string, accept bool, note string) (*atip.Interception, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	var v atip.Invalid
	if !accept && note == "" {
		v.Add("note", "say why the record does not hold up")
	}
	checkText(&v, "note", note)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out atip.Interception
	var denied error
	err = s.db.Write(ctx, func(tx *Tx) error {
		r, sub, view, err := tx.visibleRecord(atip.RecordInterception, id)
		if err != nil {
			return err
		}
		var x atip.Interception
		if err := tx.decodeRecord(r, policy.View{Level: policy.LevelFull, Shown: policy.SetAll}, &x); err != nil {
			return err
		}
		if err := mayVerify(a, sub, &r.Meta, &x); err != nil {
			tx.Audit(atip.AuditEntry{Action: "interception.verify", RecordType: string(atip.RecordInterception), RecordID: id,
				Outcome: "denied", Detail: "reason=" + atip.ErrorCode(err)})
			denied = err // the refusal is audited: commit its entry
			return nil
		}
		if accept {
			if err := redflags.Verify(&x, a.User.ID, tx.Now); err != nil {
				return err
			}
			x.Verification = atip.InterceptionVerified
		} else {
			x.VerifiedBy, x.VerifiedAt, x.Verification = a.User.ID, tx.Now, atip.InterceptionRejected
		}
		x.VerifyNote = note
		x.Info.UpdatedAt, x.Info.UpdatedBy = tx.Now, a.User.ID
		if err := tx.putRecord(&r.Meta, &x); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE intake_interceptions SET verification = $2, verified_by = $3, verified_at = $4
			WHERE id = $1`, id, x.Verification, x.VerifiedBy, x.VerifiedAt); err != nil {
			return fmt.Errorf("database: verify interception: %w", err)
		}
		action, kind := "interception.verify", "intake.notify.interception_verified"
		if !accept {
			action, kind = "interception.reject", "intake.notify.interception_rejected"
		}
		tx.Audit(atip.AuditEntry{Action: action, RecordType: string(atip.RecordInterception), RecordID: id})
		if err := tx.notify(atip.Notification{OrgID: r.Meta.OwnerOrgID, UserID: x.RecordedBy, Kind: kind,
			Record: r.Meta.Ref, Args: map[string]string{"ref": r.Ref}}); err != nil {
			return err
		}
		tx.auditView(r, view)
		out = x
		return redact.Apply(&out, view.Shown)
	})
	if err == nil {
		err = denied
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// listPage is one page of a record list: the ids matching the query, newest
// first, loaded and decided at once, decoded in their redacted view (a list
// never opens sealed data, so it costs no query per record and no audit
// entry).
func listPage[T any](tx *Tx, table string, c *conds, before string, limit int, each func(r *StoredRecord, v *T)) ([]*T, string, error) {
	sub, err := tx.subject()
	if err != nil {
		return nil, "", err
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	scopeConds(c, sub.Scope(), "r")
	c.where = append(c.where, "r.erased_at IS NULL")
	if before != "" {
		c.add("x.id < ?", before)
	}
	rows, err := tx.QueryContext(tx.ctx, `SELECT x.id FROM `+table+` x JOIN records r ON r.id = x.id`+c.clause()+
		fmt.Sprintf(` ORDER BY x.id DESC LIMIT %d`, limit+1), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("database: list %s: %w", table, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, "", err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(ids) > limit {
		ids, next = ids[:limit], ids[limit-1]
	}
	rs, err := loadRecords(tx.ctx, tx, ids)
	if err != nil {
		return nil, "", err
	}
	metas := make([]*atip.RecordMeta, len(rs))
	for i, r := range rs {
		metas[i] = &r.Meta
	}
	views := sub.Views(metas, make([]policy.View, 0, len(rs)))
	out := make([]*T, 0, len(rs))
	for i, r := range rs {
		view := views[i]
		if view.Level == policy.LevelNone {
			continue
		}
		view.Shown &^= policy.SetProtected
		v := new(T)
		if err := tx.decodeRecord(r, view, v); err != nil {
			return nil, "", err
		}
		if each != nil {
			each(r, v)
		}
		out = append(out, v)
	}
	return out, next, nil
}

// Interceptions implements atip.IntakeService.
func (s *IntakeService) Interceptions(ctx context.Context, f atip.InterceptionFilter) ([]*atip.Interception, string, error) {
	var out []*atip.Interception
	var next string
	err := s.db.Read(ctx, func(tx *Tx) error {
		var c conds
		if f.Unverified {
			c.where = append(c.where, "x.verification = ''")
		}
		if f.District != "" {
			c.add("x.district = ?", f.District)
		}
		var err error
		out, next, err = listPage[atip.Interception](tx, "intake_interceptions", &c, f.Before, f.Limit, nil)
		return err
	})
	return out, next, err
}

// CreateSignal implements atip.IntakeService.
func (s *IntakeService) CreateSignal(ctx context.Context, sg *atip.Signal) error {
	a, err := intakeWriter(ctx)
	if err != nil {
		return err
	}
	if sg.ID, err = s.db.freeRecordID(ctx, atip.RecordSignal); err != nil {
		return err
	}
	sg.ReceivedAt = sg.ReceivedAt.UTC()
	if sg.Status == "" {
		sg.Status = atip.SignalOpen
	}
	if sg.Concern == "" {
		sg.Concern = "unknown"
	}
	if err := sg.Validate(); err != nil {
		return err
	}
	var v atip.Invalid
	checkText(&v, "summary", sg.Summary)
	checkText(&v, "account", sg.Account)
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		m, err := newIntakeMeta(tx, a, atip.RecordSignal, sg.ID, &sg.Info, false)
		if err != nil {
			return err
		}
		sg.Ref = redact.Ref(m.Ref)
		if err := tx.putRecord(m, sg); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO intake_signals (id, channel, status, received_at, district, urgent, case_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, sg.ID, sg.Channel, sg.Status, sg.ReceivedAt, sg.District, sg.Urgent, sg.CaseID); err != nil {
			return fmt.Errorf("database: insert signal: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "signal.create", RecordType: string(atip.RecordSignal), RecordID: sg.ID,
			Detail: "channel=" + sg.Channel})
		return nil
	})
}

// Signal implements atip.IntakeService.
func (s *IntakeService) Signal(ctx context.Context, id string) (*atip.Signal, *atip.IntakeAccess, error) {
	var sg atip.Signal
	acc, err := readOne(s, ctx, atip.RecordSignal, id, &sg, nil)
	if err != nil {
		return nil, nil, err
	}
	return &sg, acc, nil
}

// Signals implements atip.IntakeService.
func (s *IntakeService) Signals(ctx context.Context, f atip.SignalFilter) ([]*atip.Signal, string, error) {
	var out []*atip.Signal
	var next string
	err := s.db.Read(ctx, func(tx *Tx) error {
		var c conds
		if f.Status != "" {
			c.add("x.status = ?", f.Status)
		}
		var err error
		out, next, err = listPage[atip.Signal](tx, "intake_signals", &c, f.Before, f.Limit, nil)
		return err
	})
	return out, next, err
}

// SetSignalStatus implements atip.IntakeService.
func (s *IntakeService) SetSignalStatus(ctx context.Context, id, status, caseID, note string) (*atip.Signal, error) {
	a, err := intakeWriter(ctx)
	if err != nil {
		return nil, err
	}
	var v atip.Invalid
	checkText(&v, "note", note)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out atip.Signal
	err = s.db.Write(ctx, func(tx *Tx) error {
		r, sub, view, err := tx.visibleRecord(atip.RecordSignal, id)
		if err != nil {
			return err
		}
		if !sub.Decide(&r.Meta, policy.RecordEdit, atip.ClassReference).Allowed() {
			return atip.Errorf(atip.EFORBIDDEN, "you may not change this signal")
		}
		var sg atip.Signal
		if err := tx.decodeRecord(r, policy.View{Level: policy.LevelFull, Shown: policy.SetAll}, &sg); err != nil {
			return err
		}
		if sg.Status == atip.SignalConverted {
			return atip.Errorf(atip.ECONFLICT, "a case was opened from this signal")
		}
		sg.Status, sg.CaseID = status, caseID
		switch status {
		case atip.SignalClosed:
			sg.DismissedAt, sg.DismissNote = tx.Now, note
		case atip.SignalOpen:
			sg.DismissedAt, sg.DismissNote = time.Time{}, ""
		}
		if err := sg.Validate(); err != nil {
			return err
		}
		sg.Info.UpdatedAt, sg.Info.UpdatedBy = tx.Now, a.User.ID
		if err := tx.putRecord(&r.Meta, &sg); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE intake_signals SET status = $2, case_id = $3 WHERE id = $1`, id, sg.Status, sg.CaseID); err != nil {
			return fmt.Errorf("database: signal status: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "signal.status", RecordType: string(atip.RecordSignal), RecordID: id, Detail: "status=" + sg.Status})
		tx.auditView(r, view)
		out = sg
		return redact.Apply(&out, view.Shown)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateMissing implements atip.IntakeService.
func (s *IntakeService) CreateMissing(ctx context.Context, m *atip.MissingReport) error {
	a, err := intakeWriter(ctx)
	if err != nil {
		return err
	}
	if m.ID, err = s.db.freeRecordID(ctx, atip.RecordMissing); err != nil {
		return err
	}
	m.ReportedAt, m.LastSeenAt = m.ReportedAt.UTC(), m.LastSeenAt.UTC()
	if m.Status == "" {
		m.Status = atip.MissingOpen
	}
	m.Missing.AgeBand = redact.AgeBand(m.Missing.AgeYears)
	if m.Missing.Sex == "" {
		m.Missing.Sex = "unknown"
	}
	if err := m.Validate(); err != nil {
		return err
	}
	var v atip.Invalid
	checkText(&v, "circumstance", m.Circumstance)
	checkText(&v, "description", m.Description)
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		meta, err := newIntakeMeta(tx, a, atip.RecordMissing, m.ID, &m.Info, m.Missing.Minor())
		if err != nil {
			return err
		}
		m.Ref = redact.Ref(meta.Ref)
		if err := tx.putRecord(meta, m); err != nil {
			return err
		}
		if m.Missing.Phone != "" {
			if _, err := tx.indexSelectors(meta.Ref, meta.OwnerOrgID, []deconflict.Selector{
				{Kind: deconflict.Phone, Value: m.Missing.Phone, Region: m.Missing.Nationality}}); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO intake_missing (id, status, reported_at, last_seen_at, last_seen_in, found_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, m.Status, m.ReportedAt, nullTime(m.LastSeenAt), m.LastSeenIn, nullTime(m.FoundAt)); err != nil {
			return fmt.Errorf("database: insert missing report: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "missing.create", RecordType: string(atip.RecordMissing), RecordID: m.ID})
		// Matched against earlier interceptions, rescued persons and reports.
		return tx.matchRecord(atip.RecordMissing, m.ID)
	})
}

// Missing implements atip.IntakeService.
func (s *IntakeService) Missing(ctx context.Context, id string) (*atip.MissingReport, *atip.IntakeAccess, error) {
	var m atip.MissingReport
	acc, err := readOne(s, ctx, atip.RecordMissing, id, &m, nil)
	if err != nil {
		return nil, nil, err
	}
	return &m, acc, nil
}

// MissingReports implements atip.IntakeService.
func (s *IntakeService) MissingReports(ctx context.Context, f atip.MissingFilter) ([]*atip.MissingReport, string, error) {
	var out []*atip.MissingReport
	var next string
	err := s.db.Read(ctx, func(tx *Tx) error {
		var c conds
		if f.Status != "" {
			c.add("x.status = ?", f.Status)
		}
		var err error
		out, next, err = listPage[atip.MissingReport](tx, "intake_missing", &c, f.Before, f.Limit, nil)
		return err
	})
	return out, next, err
}

// LinkCase implements atip.IntakeService.
func (s *IntakeService) LinkCase(ctx context.Context, ref atip.RecordRef, caseID string) error {
	if _, err := intakeWriter(ctx); err != nil {
		return err
	}
	if caseID == "" || len(caseID) > 64 {
		return fieldErr("case_id", "is required")
	}
	return s.db.Write(ctx, func(tx *Tx) error { return tx.linkIntake(ref, caseID) })
}

// linkIntake marks the intake record ref (interception, signal or missing
// report) with the case opened from it, in the transaction that opens the
// case or links it later: a signal becomes converted, an interception's
// outcome becomes case_opened. The actor must be able to edit the record.
func (tx *Tx) linkIntake(ref atip.RecordRef, caseID string) error {
	ctx := tx.ctx
	switch ref.Type {
	case atip.RecordInterception, atip.RecordMissing, atip.RecordSignal:
	default:
		return fieldErr("type", "must be interception, signal or missing")
	}
	r, sub, _, err := tx.visibleRecord(ref.Type, ref.ID)
	if err != nil {
		return err
	}
	if !sub.Decide(&r.Meta, policy.RecordEdit, atip.ClassReference).Allowed() {
		return atip.Errorf(atip.EFORBIDDEN, "you may not change this record")
	}
	full := policy.View{Level: policy.LevelFull, Shown: policy.SetAll}
	var v any
	switch ref.Type {
	case atip.RecordSignal:
		var sg atip.Signal
		if err := tx.decodeRecord(r, full, &sg); err != nil {
			return err
		}
		if sg.Status == atip.SignalConverted {
			return atip.Errorf(atip.ECONFLICT, "a case was opened from this signal")
		}
		sg.Status, sg.CaseID = atip.SignalConverted, caseID
		sg.Info.UpdatedAt, sg.Info.UpdatedBy = tx.Now, actorID(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE intake_signals SET status = $2, case_id = $3 WHERE id = $1`, ref.ID, sg.Status, sg.CaseID); err != nil {
			return fmt.Errorf("database: signal status: %w", err)
		}
		v = &sg
	case atip.RecordInterception:
		var x atip.Interception
		if err := tx.decodeRecord(r, full, &x); err != nil {
			return err
		}
		x.CaseID, x.Outcome = caseID, "case_opened"
		x.Info.UpdatedAt, x.Info.UpdatedBy = tx.Now, actorID(ctx)
		v = &x
	default:
		var m atip.MissingReport
		if err := tx.decodeRecord(r, full, &m); err != nil {
			return err
		}
		m.CaseID = caseID
		m.Info.UpdatedAt, m.Info.UpdatedBy = tx.Now, actorID(ctx)
		v = &m
	}
	if err := tx.putRecord(&r.Meta, v); err != nil {
		return err
	}
	tx.Audit(atip.AuditEntry{Action: string(ref.Type) + ".link_case", RecordType: string(ref.Type), RecordID: ref.ID,
		Detail: "case=" + caseID})
	return nil
}

// MissingFound implements atip.IntakeService.
func (s *IntakeService) MissingFound(ctx context.Context, id string, at time.Time) (*atip.MissingReport, error) {
	a, err := intakeWriter(ctx)
	if err != nil {
		return nil, err
	}
	var out atip.MissingReport
	err = s.db.Write(ctx, func(tx *Tx) error {
		r, sub, view, err := tx.visibleRecord(atip.RecordMissing, id)
		if err != nil {
			return err
		}
		if !sub.Decide(&r.Meta, policy.RecordEdit, atip.ClassReference).Allowed() {
			return atip.Errorf(atip.EFORBIDDEN, "you may not change this report")
		}
		var m atip.MissingReport
		if err := tx.decodeRecord(r, policy.View{Level: policy.LevelFull, Shown: policy.SetAll}, &m); err != nil {
			return err
		}
		if m.Status == atip.MissingFound {
			return atip.Errorf(atip.ECONFLICT, "the person was already found")
		}
		if at.IsZero() {
			at = tx.Now
		}
		if at.After(tx.Now.Add(time.Hour)) || at.Before(m.ReportedAt.Add(-365*24*time.Hour)) {
			return fieldErr("found_at", "is in the future or long before the report")
		}
		m.Status, m.FoundAt = atip.MissingFound, at.UTC()
		m.Info.UpdatedAt, m.Info.UpdatedBy = tx.Now, a.User.ID
		if err := m.Validate(); err != nil {
			return err
		}
		if err := tx.putRecord(&r.Meta, &m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE intake_missing SET status = $2, found_at = $3 WHERE id = $1`, id, m.Status, m.FoundAt); err != nil {
			return fmt.Errorf("database: missing found: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "missing.found", RecordType: string(atip.RecordMissing), RecordID: id})
		tx.auditView(r, view)
		out = m
		return redact.Apply(&out, view.Shown)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
