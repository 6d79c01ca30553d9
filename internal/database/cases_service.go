package database

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"context"

	"atip"
	"atip/internal/policy"
)

// CaseService stores and serves persons, cases (victims, suspects,
// incidents), notes, the timeline, quick intake, the case list and search
// (issue 4). Every record goes through the one storage path (records.go);
// every read goes through Subject.View or Views and decodeRecord.
type CaseService struct{ db *DB }

// NewCaseService returns the service on db.
func NewCaseService(db *DB) *CaseService { return &CaseService{db: db} }

var _ atip.CaseService = (*CaseService)(nil)

// writer checks the coarse permission to write records at all.
func writer(ctx context.Context) (*atip.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, atip.Errorf(atip.EFORBIDDEN, "records are made by an organisation's users")
	}
	if err := require(a, policy.RecordWrite, a.User.OrgID, "record cases"); err != nil {
		return nil, err
	}
	return a, nil
}

// CreatePerson stores a new person of the actor's organisation.
func (s *CaseService) CreatePerson(ctx context.Context, p *atip.Person) error {
	a, err := writer(ctx)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		p.ID, err = tx.newRecordID(atip.RecordPerson)
		if err != nil {
			return err
		}
		p.Info = atip.RecordInfo{CreatedAt: tx.Now, CreatedBy: a.UserID(), UpdatedAt: tx.Now, UpdatedBy: a.UserID()}
		meta, err := tx.newMeta(a, atip.RecordPerson, p.ID, p.ChildAt(tx.Now))
		if err != nil {
			return err
		}
		if err := tx.putPerson(p, meta); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "person.create", RecordType: string(atip.RecordPerson), RecordID: p.ID})
		return nil
	})
}

// UpdatePerson replaces a person the actor's organisation owns.
func (s *CaseService) UpdatePerson(ctx context.Context, p *atip.Person) error {
	a, err := writer(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		subj, err := tx.subject()
		if err != nil {
			return err
		}
		r, err := tx.editable(subj, atip.RecordPerson, p.ID)
		if err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return err
		}
		p.Info = r.Info()
		p.Info.UpdatedAt, p.Info.UpdatedBy = tx.Now, a.UserID()
		m := r.Meta
		m.Child = p.ChildAt(r.CreatedAt)
		if err := tx.putPerson(p, &m); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "person.update", RecordType: string(atip.RecordPerson), RecordID: p.ID})
		return nil
	})
}

// FindPerson returns a person as the actor sees it; a look at protected
// data is audited.
func (s *CaseService) FindPerson(ctx context.Context, id string) (*atip.PersonView, error) {
	var out *atip.PersonView
	err := s.db.Write(ctx, func(tx *Tx) error {
		subj, err := tx.subject()
		if err != nil {
			return err
		}
		r, err := tx.loadRecord(atip.RecordPerson, id)
		if err != nil {
			return err
		}
		pv, err := tx.personView(subj, r, subj.View(&r.Meta))
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT case_id FROM case_persons WHERE person_id = $1 ORDER BY case_id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			pv.CaseIDs = append(pv.CaseIDs, c)
		}
		out = pv
		return rows.Err()
	})
	return out, err
}

// personView decodes a person for view, auditing a look at protected data.
func (tx *Tx) personView(subj *policy.Subject, r *StoredRecord, v policy.View) (*atip.PersonView, error) {
	var p atip.Person
	if err := tx.decodeRecord(r, v, &p); err != nil {
		return nil, err
	}
	tx.auditView(r, v)
	return &atip.PersonView{Person: &p, Ref: r.Ref, TLP: r.Meta.TLP, Access: access(subj, &r.Meta, v)}, nil
}

// CreateCase stores a new case of the actor's organisation.
func (s *CaseService) CreateCase(ctx context.Context, c *atip.Case, people ...*atip.Person) error {
	a, err := writer(ctx)
	if err != nil {
		return err
	}
	prepareCase(c)
	if err := c.Validate(); err != nil {
		return err
	}
	for i, p := range people {
		if err := p.Validate(); err != nil {
			return prefixed(err, fmt.Sprintf("people[%d].", i))
		}
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		if err := tx.savePeople(a, c, people); err != nil {
			return err
		}
		if err := tx.linkVictims(c, a.User.OrgID); err != nil {
			return err
		}
		c.ID, err = tx.newRecordID(atip.RecordCase)
		if err != nil {
			return err
		}
		c.Info = atip.RecordInfo{CreatedAt: tx.Now, CreatedBy: a.UserID(), UpdatedAt: tx.Now, UpdatedBy: a.UserID()}
		meta, err := tx.newMeta(a, atip.RecordCase, c.ID, false)
		if err != nil {
			return err
		}
		if err := tx.putCase(c, meta); err != nil {
			return err
		}
		origin, err := tx.linkOrigin(c)
		if err != nil {
			return err
		}
		e := &atip.TimelineEvent{CaseID: c.ID, Kind: atip.EventIntake, Summary: "case opened: " + c.IntakeChannel,
			SubjectType: origin.Type, SubjectID: origin.ID}
		if err := tx.addEvent(e); err != nil {
			return err
		}
		if err := tx.applyProcedures(c.ID); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.create", RecordType: string(atip.RecordCase), RecordID: c.ID})
		return nil
	})
}

// savePeople stores the people given with a case — new ones created, known
// ones updated if the actor may edit them — and rewrites the case's
// NewPersonRef placeholders to their ids.
func (tx *Tx) savePeople(a *atip.Actor, c *atip.Case, people []*atip.Person) error {
	if len(people) == 0 {
		return nil
	}
	subj, err := tx.subject()
	if err != nil {
		return err
	}
	ids := map[string]string{}
	for i, p := range people {
		if p.ID == "" {
			p.ID, err = tx.newRecordID(atip.RecordPerson)
			if err != nil {
				return err
			}
			p.Info = atip.RecordInfo{CreatedAt: tx.Now, CreatedBy: a.UserID(), UpdatedAt: tx.Now, UpdatedBy: a.UserID()}
			meta, err := tx.newMeta(a, atip.RecordPerson, p.ID, p.ChildAt(tx.Now))
			if err != nil {
				return err
			}
			if err := tx.putPerson(p, meta); err != nil {
				return err
			}
			tx.Audit(atip.AuditEntry{Action: "person.create", RecordType: string(atip.RecordPerson), RecordID: p.ID})
		} else {
			r, err := tx.editable(subj, atip.RecordPerson, p.ID)
			if err != nil {
				return err
			}
			p.Info = r.Info()
			p.Info.UpdatedAt, p.Info.UpdatedBy = tx.Now, a.UserID()
			m := r.Meta
			m.Child = p.ChildAt(r.CreatedAt)
			if err := tx.putPerson(p, &m); err != nil {
				return err
			}
			tx.Audit(atip.AuditEntry{Action: "person.update", RecordType: string(atip.RecordPerson), RecordID: p.ID})
		}
		ids[atip.NewPersonRef(i)] = p.ID
	}
	fix := func(id string) string {
		if v, ok := ids[id]; ok {
			return v
		}
		return id
	}
	for i := range c.Victims {
		c.Victims[i].PersonID = fix(c.Victims[i].PersonID)
	}
	for i := range c.Suspects {
		c.Suspects[i].PersonID = fix(c.Suspects[i].PersonID)
	}
	for i := range c.Witnesses {
		c.Witnesses[i] = fix(c.Witnesses[i])
	}
	for i := range c.Incidents {
		for j := range c.Incidents[i].RecruiterIDs {
			c.Incidents[i].RecruiterIDs[j] = fix(c.Incidents[i].RecruiterIDs[j])
		}
	}
	return nil
}

// prefixed renames the fields of an EINVALID error with a prefix.
func prefixed(err error, prefix string) error {
	e, ok := err.(*atip.Error)
	if !ok || e.Code != atip.EINVALID {
		return err
	}
	out := *e
	out.Fields = nil
	for _, f := range e.Fields {
		f.Field = prefix + f.Field
		out.Fields = append(out.Fields, f)
	}
	return &out
}

// prepareCase fills the defaults a new or edited case starts from.
func prepareCase(c *atip.Case) {
	if c.Status == "" {
		c.Status = "open"
	}
	if c.Stage == "" {
		c.Stage = "first_response"
	}
	c.IntakeAt = c.IntakeAt.UTC()
}

// linkVictims checks the case's people and marks each victim a child when
// the person record says so.
func (tx *Tx) linkVictims(c *atip.Case, owner string) error {
	if err := tx.checkPeople(c, owner); err != nil {
		return err
	}
	var ids []string
	for _, v := range c.Victims {
		ids = append(ids, v.PersonID)
	}
	rs, err := loadRecords(tx.ctx, tx, ids)
	if err != nil {
		return err
	}
	child := map[string]bool{}
	for _, r := range rs {
		child[r.Meta.Ref.ID] = r.Meta.Child
	}
	for i := range c.Victims {
		c.Victims[i].ChildAtIntake = child[c.Victims[i].PersonID]
	}
	return nil
}

// UpdateCase replaces a case the actor's organisation owns, keeping its
// marking, intake key and origin.
func (s *CaseService) UpdateCase(ctx context.Context, c *atip.Case, people ...*atip.Person) error {
	a, err := writer(ctx)
	if err != nil {
		return err
	}
	prepareCase(c)
	return s.db.Write(ctx, func(tx *Tx) error {
		subj, err := tx.subject()
		if err != nil {
			return err
		}
		r, err := tx.editable(subj, atip.RecordCase, c.ID)
		if err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		for i, p := range people {
			if err := p.Validate(); err != nil {
				return prefixed(err, fmt.Sprintf("people[%d].", i))
			}
		}
		if err := tx.savePeople(a, c, people); err != nil {
			return err
		}
		var old atip.Case
		if err := tx.decodeRecord(r, policy.View{Level: policy.LevelFull, Shown: policy.SetAll}, &old); err != nil {
			return err
		}
		if err := tx.linkVictims(c, r.Meta.OwnerOrgID); err != nil {
			return err
		}
		c.Info = r.Info()
		c.Info.UpdatedAt, c.Info.UpdatedBy = tx.Now, a.UserID()
		c.IntakeKey, c.SignalID, c.InterceptionID, c.MissingReportID = old.IntakeKey, old.SignalID, old.InterceptionID, old.MissingReportID
		m := r.Meta
		if err := tx.putCase(c, &m); err != nil {
			return err
		}
		e := &atip.TimelineEvent{CaseID: c.ID, Kind: "update", Summary: "case updated"}
		switch {
		case old.Status != c.Status:
			e.Kind, e.Summary = atip.EventStatus, fmt.Sprintf("status %s → %s", old.Status, c.Status)
		case old.Stage != c.Stage:
			e.Kind, e.Summary = atip.EventStatus, fmt.Sprintf("stage %s → %s", old.Stage, c.Stage)
		case !old.Complete && c.Complete:
			e.Summary = "intake completed"
		}
		if err := tx.addEvent(e); err != nil {
			return err
		}
		if err := tx.applyProcedures(c.ID); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.update", RecordType: string(atip.RecordCase), RecordID: c.ID})
		return nil
	})
}

// FindCase returns a case with its people and timeline as the actor sees
// them. It runs in a write transaction because looks at protected data are
// audited in the transaction that reads them.
func (s *CaseService) FindCase(ctx context.Context, id string) (*atip.CaseView, error) {
	var out *atip.CaseView
	err := s.db.Write(ctx, func(tx *Tx) error {
		subj, err := tx.subject()
		if err != nil {
			return err
		}
		r, err := tx.loadRecord(atip.RecordCase, id)
		if err != nil {
			return err
		}
		v := subj.View(&r.Meta)
		var c atip.Case
		if err := tx.decodeRecord(r, v, &c); err != nil {
			return err
		}
		tx.auditView(r, v)
		cv := &atip.CaseView{Case: &c, Ref: r.Ref, TLP: r.Meta.TLP, Access: access(subj, &r.Meta, v),
			People: map[string]*atip.PersonView{}, UpdatedAt: r.UpdatedAt}
		var ids []string
		for _, x := range c.Victims {
			ids = append(ids, x.PersonID)
		}
		for _, x := range c.Suspects {
			ids = append(ids, x.PersonID)
		}
		ids = append(ids, c.Witnesses...)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		if len(ids) > 0 && ids[0] == "" {
			ids = ids[1:]
		}
		prs, err := loadRecords(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, pr := range prs {
			pv := subj.View(&pr.Meta)
			if pv.Level == policy.LevelNone || pr.Meta.Ref.Type != atip.RecordPerson {
				continue
			}
			p, err := tx.personView(subj, pr, pv)
			if err != nil {
				return err
			}
			cv.People[pr.Meta.Ref.ID] = p
		}
		if cv.Timeline, err = tx.timeline(r, v.Shows(atip.ClassStatement)); err != nil {
			return err
		}
		over, err := overdueCounts(ctx, tx, []string{id}, tx.Now)
		if err != nil {
			return err
		}
		cv.Overdue = over[id]
		out = cv
		return nil
	})
	return out, err
}

// overdueCounts counts each case's open checklist steps past their deadline.
func overdueCounts(ctx context.Context, q querier, ids []string, now time.Time) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 2)
	rows, err := q.QueryContext(ctx, `SELECT case_id, COUNT(*) FROM case_steps WHERE done_at IS NULL AND due_at < $1
		AND case_id IN (`+in+`) GROUP BY case_id`, append([]any{now}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// AddNote appends a note to a case's timeline. Notes may name people: they
// are sealed under the case's data key, and only the owner adds them.
func (s *CaseService) AddNote(ctx context.Context, caseID, note string) error {
	if _, err := writer(ctx); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return invalidField("note", "write a note")
	}
	if len(note) > 20000 {
		return invalidField("note", "is longer than 20,000 bytes")
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		subj, err := tx.subject()
		if err != nil {
			return err
		}
		if _, err := tx.editable(subj, atip.RecordCase, caseID); err != nil {
			return err
		}
		if err := tx.addEvent(&atip.TimelineEvent{CaseID: caseID, Kind: atip.EventNote, Summary: "note", Note: note}); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "case.note", RecordType: string(atip.RecordCase), RecordID: caseID})
		return nil
	})
}

// QuickIntake makes the case and person of a quick intake, or returns the
// case an earlier send with the same client key made.
func (s *CaseService) QuickIntake(ctx context.Context, q *atip.QuickIntake) (*atip.Case, bool, error) {
	a, err := writer(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := q.Validate(s.db.Now()); err != nil {
		return nil, false, err
	}
	var out *atip.Case
	created := false
	try := func() error {
		return s.db.Write(ctx, func(tx *Tx) error {
			if id, err := tx.caseByIntakeKey(a.User.OrgID, q.ClientKey); err != nil {
				return err
			} else if id != "" {
				r, err := tx.loadRecord(atip.RecordCase, id)
				if err != nil {
					return err
				}
				var c atip.Case
				if err := tx.decodeRecord(r, policy.View{Level: policy.LevelRedacted, Shown: policy.SetAll &^ policy.SetProtected}, &c); err != nil {
					return err
				}
				out, created = &c, false
				return nil
			}
			info := atip.RecordInfo{CreatedAt: tx.Now, CreatedBy: a.UserID(), UpdatedAt: tx.Now, UpdatedBy: a.UserID()}
			c, p := q.Records(info)
			p.ID, err = tx.newRecordID(atip.RecordPerson)
			if err != nil {
				return err
			}
			meta, err := tx.newMeta(a, atip.RecordPerson, p.ID, p.ChildAt(q.At))
			if err != nil {
				return err
			}
			if err := tx.putPerson(p, meta); err != nil {
				return err
			}
			c.ID, err = tx.newRecordID(atip.RecordCase)
			if err != nil {
				return err
			}
			c.Victims[0].PersonID = p.ID
			c.Victims[0].ChildAtIntake = p.ChildAt(q.At)
			meta, err = tx.newMeta(a, atip.RecordCase, c.ID, false)
			if err != nil {
				return err
			}
			if err := tx.putCase(c, meta); err != nil {
				return err
			}
			summary := "quick intake: " + q.Channel
			if q.Point != "" {
				summary += " at a crossing or transit point"
			}
			origin, err := tx.linkOrigin(c)
			if err != nil {
				return err
			}
			if err := tx.addEvent(&atip.TimelineEvent{CaseID: c.ID, Kind: atip.EventIntake, Summary: summary,
				SubjectType: origin.Type, SubjectID: origin.ID}); err != nil {
				return err
			}
			if err := tx.applyProcedures(c.ID); err != nil {
				return err
			}
			tx.Audit(atip.AuditEntry{Action: "case.quick_intake", RecordType: string(atip.RecordCase), RecordID: c.ID})
			out, created = c, true
			return nil
		})
	}
	err = try()
	if atip.ErrorCode(err) == atip.ECONFLICT { // a concurrent send of the same intake won the race
		err = try()
	}
	if err != nil {
		return nil, false, err
	}
	return out, created, nil
}

// ImportCases stores every row of a legacy register in one transaction:
// one bad row (a record the store refuses) and nothing is stored.
func (s *CaseService) ImportCases(ctx context.Context, rows []atip.CaseImport) (int, error) {
	a, err := writer(ctx)
	if err != nil {
		return 0, err
	}
	if err := require(a, policy.RecordImport, a.User.OrgID, "import registers"); err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, invalidField("rows", "the file has no rows")
	}
	for i := range rows {
		r := &rows[i]
		r.Case.Complete = false
		prepareCase(&r.Case)
		r.Link.PersonID = atip.NewPersonRef(0)
		r.Case.Victims = []atip.CaseVictim{r.Link}
		if err := r.Case.Validate(); err != nil {
			return 0, prefixed(err, fmt.Sprintf("line %d: ", r.Line))
		}
		if err := r.Victim.Validate(); err != nil {
			return 0, prefixed(err, fmt.Sprintf("line %d: ", r.Line))
		}
	}
	// A legacy import is history, matched in bulk by `atip link` if at all:
	// matching every row here would hold the import's one transaction.
	err = s.db.Write(withoutMatching(ctx), func(tx *Tx) error {
		for i := range rows {
			r := &rows[i]
			info := atip.RecordInfo{CreatedAt: tx.Now, CreatedBy: a.UserID(), UpdatedAt: tx.Now, UpdatedBy: a.UserID()}
			p := &r.Victim
			p.Info = info
			if p.ID, err = tx.newRecordID(atip.RecordPerson); err != nil {
				return err
			}
			meta, err := tx.newMeta(a, atip.RecordPerson, p.ID, r.Link.ChildAtIntake || p.ChildAt(r.Case.IntakeAt))
			if err != nil {
				return err
			}
			if err := tx.putPerson(p, meta); err != nil {
				return err
			}
			c := &r.Case
			c.Info = info
			if c.ID, err = tx.newRecordID(atip.RecordCase); err != nil {
				return err
			}
			c.Victims[0].PersonID = p.ID
			meta, err = tx.newMeta(a, atip.RecordCase, c.ID, false)
			if err != nil {
				return err
			}
			if err := tx.putCase(c, meta); err != nil {
				return err
			}
			if err := tx.addEvent(&atip.TimelineEvent{CaseID: c.ID, Kind: atip.EventIntake, Summary: fmt.Sprintf("imported from a register (line %d)", r.Line)}); err != nil {
				return err
			}
			// A closed case of the register gets no checklist (it would
			// never be worked); reopening it applies the procedures.
			if c.Status != "closed" {
				if err := tx.applyProcedures(c.ID); err != nil {
					return prefixed(err, fmt.Sprintf("line %d: ", r.Line))
				}
			}
		}
		tx.Audit(atip.AuditEntry{Action: "case.import", RecordType: string(atip.RecordCase), Detail: fmt.Sprintf("rows=%d", len(rows))})
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}
