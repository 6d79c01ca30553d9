package database

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"atip"
	"atip/internal/names"
	"atip/internal/policy"
	"atip/internal/redact"
)

// Storage of persons and cases: each is a shareable record (records.go,
// putRecord) and a row of list columns in its own table; the links between
// them, the assignees, the timeline and the blind name index are side
// tables. Nothing here holds a name, a contact or a statement in clear.

// newMeta is the registry meta of a new record of the actor's organisation,
// marked with the organisation's default for the type (sharing settings;
// owner only and TLP:AMBER when it has none).
func (tx *Tx) newMeta(a *atip.Actor, t atip.RecordType, id string, child bool) (*atip.RecordMeta, error) {
	d, m, err := tx.defaultMarking(actorOrg(a), t)
	if err != nil {
		return nil, err
	}
	return &atip.RecordMeta{Ref: atip.RecordRef{Type: t, ID: id}, OwnerOrgID: actorOrg(a), Distribution: d, TLP: m, Child: child}, nil
}

func actorOrg(a *atip.Actor) string {
	if a != nil && a.User != nil {
		return a.User.OrgID
	}
	return ""
}

// editable loads a record the subject may edit: ENOTFOUND when it may not
// see it, EFORBIDDEN when it sees it but may not change it.
func (tx *Tx) editable(s *policy.Subject, t atip.RecordType, id string) (*StoredRecord, error) {
	r, err := tx.loadRecord(t, id)
	if err != nil {
		return nil, err
	}
	if s.View(&r.Meta).Level == policy.LevelNone {
		return nil, atip.Errorf(atip.ENOTFOUND, "%s not found", t)
	}
	if !s.Decide(&r.Meta, policy.RecordEdit, atip.ClassReference).Allowed() {
		return nil, atip.Errorf(atip.EFORBIDDEN, "only the owning organisation edits this %s", t)
	}
	return r, nil
}

// putPerson stores p (a new one when meta is nil) with its list row and
// blind name terms.
func (tx *Tx) putPerson(p *atip.Person, m *atip.RecordMeta) error {
	p.Ref = redact.Ref(m.Ref)
	p.Info.OwnerOrgID, p.Info.Distribution, p.Info.TLP, p.Info.GroupIDs = m.OwnerOrgID, m.Distribution, m.TLP, m.GroupIDs
	if err := tx.putRecord(m, p); err != nil {
		return err
	}
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	band := p.AgeBand
	if band == "" {
		band = redact.AgeBand(p.AgeAt(tx.Now))
	}
	if _, err := tx.ExecContext(tx.ctx, `INSERT INTO persons (id, owner_org_id, roles, sex, age_band, home_district)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET owner_org_id = $2, roles = $3, sex = $4, age_band = $5, home_district = $6`,
		p.ID, m.OwnerOrgID, strings.Join(roles, " "), p.Sex, band, p.HomeDistrict); err != nil {
		return fmt.Errorf("database: person row: %w", err)
	}
	// Another organisation holding the same phone, handle or document
	// learns only that a match exists and whom to ask.
	if _, err := tx.indexSelectors(m.Ref, m.OwnerOrgID, personSelectors(p)); err != nil {
		return err
	}
	if err := tx.putTerms(p.ID, personTerms(p)); err != nil {
		return err
	}
	// Matched against missing reports, interceptions and earlier victims
	// (review_service.go); candidates go to the owner's review queue.
	return tx.matchRecord(atip.RecordPerson, p.ID)
}

// personTerms are the folded name parts of every name of p and their
// phonetic keys.
func personTerms(p *atip.Person) []string {
	var out []string
	for _, n := range p.Names {
		out = append(out, nameTerms(n.Full)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// nameTerms are the index terms of one name or one query: "n:" and the
// folded word, and "k:" and its phonetic key.
func nameTerms(s string) []string {
	var out []string
	for _, w := range names.Parse(s).Tokens {
		out = append(out, "n:"+w)
		if k := names.Key(w); k != "" {
			out = append(out, "k:"+k)
		}
	}
	return out
}

// putTerms replaces the blind index terms of a record. Without a tokenizer
// there is no blind index (and name search finds nothing).
func (tx *Tx) putTerms(id string, terms []string) error {
	if _, err := tx.ExecContext(tx.ctx, `DELETE FROM record_terms WHERE record_id = $1`, id); err != nil {
		return err
	}
	if tx.db.tokenizer == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, t := range terms {
		tok := string(tx.db.tokenizer.Blind("name", t))
		if seen[tok] {
			continue
		}
		seen[tok] = true
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO record_terms (record_id, term) VALUES ($1, $2)`, id, tok); err != nil {
			return fmt.Errorf("database: record terms: %w", err)
		}
	}
	return nil
}

// blindTerms are the tokens a query word is looked up by: its folded form
// and its phonetic key, each keyed.
func (db *DB) blindTerms(word string) []string {
	if db.tokenizer == nil {
		return nil
	}
	var out []string
	for _, t := range nameTerms(word) {
		out = append(out, string(db.tokenizer.Blind("name", t)))
	}
	return out
}

// caseSearchText is the lower-case text of a case's reference-class fields
// that the list's text search looks in.
func caseSearchText(c *atip.Case) string {
	parts := []string{c.Ref, c.Status, c.Stage, c.IntakeChannel, c.IntakeDistrict}
	parts = append(parts, c.Exploitation...)
	return strings.ToLower(strings.Join(parts, " "))
}

// putCase stores c with its list row, assignees and person links.
func (tx *Tx) putCase(c *atip.Case, m *atip.RecordMeta) error {
	c.Ref = redact.Ref(m.Ref)
	c.Info.OwnerOrgID, c.Info.Distribution, c.Info.TLP, c.Info.GroupIDs = m.OwnerOrgID, m.Distribution, m.TLP, m.GroupIDs
	m.Child = false
	for _, v := range c.Victims {
		m.Child = m.Child || v.ChildAtIntake
	}
	if err := tx.putRecord(m, c); err != nil {
		return err
	}
	var key any
	if c.IntakeKey != "" {
		key = c.IntakeKey
	}
	if _, err := tx.ExecContext(tx.ctx, `INSERT INTO cases (id, owner_org_id, status, stage, intake_channel, intake_at,
		intake_district, case_type, complete, child, intake_key, search)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (id) DO UPDATE SET owner_org_id = $2, status = $3, stage = $4, intake_channel = $5, intake_at = $6,
		intake_district = $7, case_type = $8, complete = $9, child = $10, intake_key = $11, search = $12`,
		c.ID, m.OwnerOrgID, c.Status, c.Stage, c.IntakeChannel, c.IntakeAt.UTC(), c.IntakeDistrict, c.CaseType(),
		c.Complete, m.Child, key, caseSearchText(c)); err != nil {
		if isUniqueViolation(err) {
			return atip.Errorf(atip.ECONFLICT, "another case was made from this intake")
		}
		return fmt.Errorf("database: case row: %w", err)
	}
	for _, q := range []string{`DELETE FROM case_assignees WHERE case_id = $1`, `DELETE FROM case_persons WHERE case_id = $1`} {
		if _, err := tx.ExecContext(tx.ctx, q, c.ID); err != nil {
			return err
		}
	}
	users := slices.Clone(c.AssignedTo)
	slices.Sort(users)
	for _, u := range slices.Compact(users) {
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO case_assignees (case_id, user_id) VALUES ($1, $2)`, c.ID, u); err != nil {
			return err
		}
	}
	type link struct{ id, role string }
	var links []link
	for _, v := range c.Victims {
		links = append(links, link{v.PersonID, string(atip.PersonVictim)})
	}
	for _, s := range c.Suspects {
		links = append(links, link{s.PersonID, string(atip.PersonSuspect)})
	}
	for _, w := range c.Witnesses {
		links = append(links, link{w, string(atip.PersonWitness)})
	}
	seen := map[link]bool{}
	for _, l := range links {
		if seen[l] {
			continue
		}
		seen[l] = true
		if _, err := tx.ExecContext(tx.ctx, `INSERT INTO case_persons (case_id, person_id, role) VALUES ($1, $2, $3)`, c.ID, l.id, l.role); err != nil {
			return fmt.Errorf("database: case person: %w", err)
		}
	}
	return nil
}

// checkPeople makes sure every person a case names exists and belongs to
// the case's owner: a case cannot pull in another organisation's person.
func (tx *Tx) checkPeople(c *atip.Case, owner string) error {
	var ids []string
	for _, v := range c.Victims {
		ids = append(ids, v.PersonID)
	}
	for _, s := range c.Suspects {
		ids = append(ids, s.PersonID)
	}
	ids = append(ids, c.Witnesses...)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	rs, err := loadRecords(tx.ctx, tx, ids)
	if err != nil {
		return err
	}
	ok := map[string]bool{}
	for _, r := range rs {
		if r.Meta.Ref.Type == atip.RecordPerson && r.Meta.OwnerOrgID == owner {
			ok[r.Meta.Ref.ID] = true
		}
	}
	var v atip.Invalid
	for i, x := range c.Victims {
		if x.PersonID != "" && !ok[x.PersonID] {
			v.Add(fmt.Sprintf("victims[%d].person_id", i), "is not a person of this organisation")
		}
	}
	for i, x := range c.Suspects {
		if x.PersonID != "" && !ok[x.PersonID] {
			v.Add(fmt.Sprintf("suspects[%d].person_id", i), "is not a person of this organisation")
		}
	}
	for i, x := range c.Witnesses {
		if !ok[x] {
			v.Add(fmt.Sprintf("witnesses[%d]", i), "is not a person of this organisation")
		}
	}
	return v.Err()
}

// addEvent appends an event to a case's timeline, sealing its note under
// the case's data key.
func (tx *Tx) addEvent(e *atip.TimelineEvent) error {
	if e.ID == "" {
		e.ID = atip.NewID()
	}
	e.At = tx.Now
	a := atip.ActorFromContext(tx.ctx)
	if a != nil {
		e.ByUser, e.ByOrgID = a.UserID(), actorOrg(a)
	}
	var note []byte
	if e.Note != "" {
		var dekText string
		if err := tx.QueryRowContext(tx.ctx, `SELECT dek FROM records WHERE id = $1`, e.CaseID).Scan(&dekText); err != nil {
			return fmt.Errorf("database: case key: %w", err)
		}
		dk, err := tx.db.openDEK(e.CaseID, dekText)
		if err != nil {
			return err
		}
		note = dk.Seal(eventField(e.ID), []byte(e.Note))
	}
	_, err := tx.ExecContext(tx.ctx, `INSERT INTO case_events (id, case_id, at, kind, by_user, by_org_id, subject_type, subject_id, summary, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.ID, e.CaseID, e.At, e.Kind, e.ByUser, e.ByOrgID, string(e.SubjectType), e.SubjectID, e.Summary, note)
	if err != nil {
		return fmt.Errorf("database: case event: %w", err)
	}
	return nil
}

func eventField(id string) string { return "event/" + id }

// timeline reads a case's events, oldest first, opening the notes only
// when withNotes (the view shows the statement class).
func (tx *Tx) timeline(r *StoredRecord, withNotes bool) ([]*atip.TimelineEvent, error) {
	rows, err := tx.QueryContext(tx.ctx, `SELECT id, at, kind, by_user, by_org_id, subject_type, subject_id, summary, note
		FROM case_events WHERE case_id = $1 ORDER BY id`, r.Meta.Ref.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*atip.TimelineEvent
	var sealed [][]byte
	for rows.Next() {
		e := &atip.TimelineEvent{CaseID: r.Meta.Ref.ID}
		var st string
		var note []byte
		if err := rows.Scan(&e.ID, &e.At, &e.Kind, &e.ByUser, &e.ByOrgID, &st, &e.SubjectID, &e.Summary, &note); err != nil {
			return nil, err
		}
		e.At, e.SubjectType = e.At.UTC(), atip.RecordType(st)
		out = append(out, e)
		sealed = append(sealed, note)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !withNotes {
		return out, nil
	}
	var dekText string
	if err := tx.QueryRowContext(tx.ctx, `SELECT dek FROM records WHERE id = $1`, r.Meta.Ref.ID).Scan(&dekText); err != nil {
		return nil, err
	}
	if dekText == "" { // erased
		return out, nil
	}
	dk, err := tx.db.openDEK(r.Meta.Ref.ID, dekText)
	if err != nil {
		return nil, err
	}
	for i, e := range out {
		if len(sealed[i]) == 0 {
			continue
		}
		b, err := dk.Open(eventField(e.ID), sealed[i])
		if err != nil {
			return nil, fmt.Errorf("database: open note of %s: %w", r.Meta.Ref, err)
		}
		e.Note = string(b)
	}
	return out, nil
}

// caseByIntakeKey returns the id of the owner's case made from a quick
// intake's client key, "" when none.
func (tx *Tx) caseByIntakeKey(owner, key string) (string, error) {
	var id string
	err := tx.QueryRowContext(tx.ctx, `SELECT id FROM cases WHERE owner_org_id = $1 AND intake_key = $2`, owner, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// access turns a policy view into the domain's Access.
func access(s *policy.Subject, m *atip.RecordMeta, v policy.View) atip.Access {
	return atip.Access{
		Full: v.Level == policy.LevelFull, Redacted: v.Level == policy.LevelRedacted, Relation: v.Relation.String(),
		CanEdit: s.Decide(m, policy.RecordEdit, atip.ClassReference).Allowed(), Shown: v.Shown.List(),
	}
}
