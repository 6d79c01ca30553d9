package database

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"atip"
	"atip/internal/gazetteer"
	"atip/internal/linkage"
	"atip/internal/policy"
)

// The review queue (issue 5, "in the app"). matchRecord runs inside the
// write that stores a person or a missing report: it finds candidates
// through the blind name index (record_terms) and the list columns, never
// by decrypting the register, decodes only those candidates (as the system:
// matching is not a user's view), scores them with the identification
// engine's fixed single-record model and queues those at or above its
// threshold for the organisation that owns the new record. What a reviewer
// is then shown of the other record is the policy's decision alone.

// ReviewService implements atip.ReviewService.
type ReviewService struct{ db *DB }

// NewReviewService returns the review queue over db.
func NewReviewService(db *DB) *ReviewService { return &ReviewService{db: db} }

var _ atip.ReviewService = (*ReviewService)(nil)

// maxCandidates bounds the records one new record is decoded and compared
// with: those sharing the most name terms first.
const maxCandidates = 50

type noMatchKey struct{}

// withoutMatching marks a context whose writes are not matched for the
// review queue (a legacy import); names are still indexed.
func withoutMatching(ctx context.Context) context.Context {
	return context.WithValue(ctx, noMatchKey{}, true)
}

// systemView is what the matcher reads of a record: everything. It never
// leaves this file except as a score and its explanation.
var systemView = policy.View{Level: policy.LevelFull, Shown: policy.SetAll}

// matchPerson is one person of a record as the engine compares it, with
// what a side-by-side view shows of it.
type matchPerson struct {
	rec  linkage.Record
	side atip.MatchSide
}

// codePlaces resolves the gazetteer codes records hold (and, failing that,
// place names) for the engine.
type codePlaces struct{}

func (codePlaces) Resolve(country, state, district string) (string, string) {
	for _, c := range []string{district, state} {
		if p, ok := gazetteer.Get(c); ok {
			switch p.Level {
			case gazetteer.District:
				return p.Parent, p.Code
			case gazetteer.State:
				return p.Code, ""
			}
		}
	}
	if p := gazetteer.Resolve(country, state, district); p != nil {
		switch p.Level {
		case gazetteer.District:
			return p.Parent, p.Code
		case gazetteer.State:
			return p.Code, ""
		}
	}
	return "", ""
}

func sexByte(s string) byte {
	switch s {
	case "female":
		return 'F'
	case "male":
		return 'M'
	case "other", "transgender":
		return 'X'
	}
	return 0
}

func placeName(code string) string {
	if p, ok := gazetteer.Get(code); ok {
		return p.Name
	}
	return code
}

// people decodes a stored record as v (already decoded) into the persons
// it describes.
func peopleOf(typ atip.RecordType, v any, at time.Time) []matchPerson {
	var out []matchPerson
	add := func(names []string, side atip.MatchSide, rec linkage.Record) {
		side.Names = names
		for _, n := range names {
			if strings.TrimSpace(n) == "" {
				continue
			}
			r := rec
			r.Name = n
			out = append(out, matchPerson{rec: r, side: side})
		}
	}
	switch x := v.(type) {
	case *atip.Person:
		var ns []string
		for _, n := range x.Names {
			ns = append(ns, n.Full)
		}
		phone := ""
		if len(x.Phones) > 0 {
			phone = x.Phones[0]
		}
		roles := make([]string, len(x.Roles))
		for i, r := range x.Roles {
			roles[i] = string(r)
		}
		age := x.AgeAt(at)
		add(ns, atip.MatchSide{Type: atip.RecordPerson, Sex: x.Sex, Age: age, District: placeName(x.HomeDistrict), Village: x.HomeVillage, Phone: phone, Roles: strings.Join(roles, " ")},
			linkage.Record{Sex: sexByte(x.Sex), Age: age, RecordedOn: at, Village: x.HomeVillage, District: x.HomeDistrict, Phone: phone})
	case *atip.MissingReport:
		age := x.Missing.AgeYears
		add(x.Missing.Names, atip.MatchSide{Type: atip.RecordMissing, Sex: x.Missing.Sex, Age: age, Guardian: x.Reporter, District: placeName(x.LastSeenIn), Village: x.LastSeenPlace, Phone: x.Missing.Phone, Roles: "missing"},
			linkage.Record{Sex: sexByte(x.Missing.Sex), Age: age, RecordedOn: x.ReportedAt, Guardian: x.Reporter, Village: x.LastSeenPlace, District: x.LastSeenIn, Phone: x.Missing.Phone})
	case *atip.Interception:
		d := x.Origin
		if d == "" {
			d = x.District
		}
		for _, p := range x.Stopped {
			add(p.Names, atip.MatchSide{Type: atip.RecordInterception, Sex: p.Sex, Age: p.AgeYears, District: placeName(d), Phone: p.Phone, Roles: "intercepted"},
				linkage.Record{Sex: sexByte(p.Sex), Age: p.AgeYears, RecordedOn: x.At, District: d, Phone: p.Phone})
		}
	}
	for i := range out {
		if out[i].rec.Age < 0 {
			out[i].rec.Age = -1
		}
	}
	return out
}

// newOf returns an empty record struct of a matchable type.
func newOf(t atip.RecordType) any {
	switch t {
	case atip.RecordPerson:
		return &atip.Person{}
	case atip.RecordMissing:
		return &atip.MissingReport{}
	case atip.RecordInterception:
		return &atip.Interception{}
	}
	return nil
}

// matchable reports whether a person is one the queue matches: a victim or
// a missing person, or one of no stated role (not a suspect or a witness).
func matchable(p *atip.Person) bool {
	if len(p.Roles) == 0 {
		return true
	}
	for _, r := range p.Roles {
		if r == atip.PersonVictim || r == atip.PersonMissing {
			return true
		}
	}
	return false
}

// matchRecord matches the record id of type t, just stored in this
// transaction, against the platform's missing reports, interceptions and
// victims, and queues the candidates for its owner. Interceptions are only
// indexed (they are candidates; their people are matched when recorded as
// persons).
func (tx *Tx) matchRecord(t atip.RecordType, id string) error {
	if tx.db.tokenizer == nil { // no blind index: nothing to find candidates by
		return nil
	}
	skip := tx.ctx.Value(noMatchKey{}) != nil
	if skip && t == atip.RecordPerson {
		return nil
	}
	recs, err := loadRecords(tx.ctx, tx, []string{id})
	if err != nil || len(recs) == 0 {
		return err
	}
	me := recs[0]
	v := newOf(t)
	if v == nil {
		return nil
	}
	if err := tx.decodeRecord(me, systemView, v); err != nil {
		return err
	}
	people := peopleOf(t, v, me.CreatedAt)
	if t != atip.RecordPerson { // persons index their names in putPerson
		var terms []string
		for _, p := range people {
			terms = append(terms, nameTerms(p.rec.Name)...)
		}
		if err := tx.putTerms(id, terms); err != nil {
			return err
		}
	}
	if skip || t == atip.RecordInterception || len(people) == 0 {
		return nil
	}
	if p, ok := v.(*atip.Person); ok && !matchable(p) {
		return nil
	}
	// Candidates: records sharing a keyed name token, of the matchable
	// types, persons only when victims or missing and not of another sex.
	var toks []string
	seen := map[string]bool{}
	for _, p := range people {
		for _, w := range strings.Fields(p.rec.Name) {
			for _, tk := range tx.db.blindTerms(w) {
				if !seen[tk] {
					seen[tk] = true
					toks = append(toks, tk)
				}
			}
		}
	}
	if len(toks) == 0 {
		return nil
	}
	in, args := inList(toks, 3)
	sex := ""
	if len(people) > 0 {
		sex = people[0].side.Sex
	}
	args = append([]any{id, sex}, args...)
	// At least two shared terms (a word and its key, or two keys) when the
	// names have two words or more: one common family name alone proposes
	// half the register.
	minShared, words := 1, 0
	for _, p := range people {
		words = max(words, len(strings.Fields(p.rec.Name)))
	}
	if words > 1 {
		minShared = 2
	}
	rows, err := tx.QueryContext(tx.ctx, `SELECT r.id FROM record_terms t
		JOIN records r ON r.id = t.record_id
		LEFT JOIN persons p ON p.id = r.id
		WHERE t.term IN (`+in+`) AND r.id <> $1 AND r.erased_at IS NULL
		AND r.type IN ('person', 'missing', 'interception')
		AND (p.id IS NULL OR ((p.roles = '' OR p.roles LIKE '%victim%' OR p.roles LIKE '%missing%')
			AND (p.sex IN ('', 'unknown') OR $2 IN ('', 'unknown') OR p.sex = $2)))
		AND NOT EXISTS (SELECT 1 FROM review_matches m WHERE m.record_id = r.id AND m.candidate_id = $1)
		GROUP BY r.id HAVING COUNT(*) >= `+fmt.Sprint(minShared)+`
		ORDER BY COUNT(*) DESC, r.id LIMIT `+fmt.Sprint(maxCandidates), args...)
	if err != nil {
		return fmt.Errorf("database: match candidates: %w", err)
	}
	var ids []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	var population int
	if err := tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM records WHERE type IN ('person', 'missing', 'interception')`).Scan(&population); err != nil {
		return err
	}
	model := linkage.DefaultModel(population)
	cands, err := loadRecords(tx.ctx, tx, ids)
	if err != nil {
		return err
	}
	left := make([]linkage.Record, len(people))
	for i, p := range people {
		left[i] = p.rec
	}
	queued := 0
	for _, c := range cands {
		cv := newOf(c.Meta.Ref.Type)
		if cv == nil {
			continue
		}
		if err := tx.decodeRecord(c, systemView, cv); err != nil {
			return err
		}
		cp := peopleOf(c.Meta.Ref.Type, cv, c.CreatedAt)
		if len(cp) == 0 {
			continue
		}
		right := make([]linkage.Record, len(cp))
		for i, p := range cp {
			right[i] = p.rec
		}
		var best linkage.Pair
		for _, l := range left {
			for _, p := range linkage.Query(l, right, model, codePlaces{}) {
				if p.Score > best.Score {
					best = p
				}
			}
		}
		if best.Score < linkage.DefaultThreshold {
			continue
		}
		ev := make([]atip.MatchEvidence, 0, len(best.Explanation.Fields))
		for _, f := range best.Explanation.Fields {
			ev = append(ev, atip.MatchEvidence{Field: f.Field, Level: f.Level, Weight: f.Weight})
		}
		expl, _ := json.Marshal(storedExplanation{Prior: best.Explanation.Prior, Fields: ev})
		mid := atip.NewID()
		res, err := tx.ExecContext(tx.ctx, `INSERT INTO review_matches (id, org_id, record_id, candidate_id, score, explanation, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)
			ON CONFLICT (record_id, candidate_id) DO UPDATE SET score = $5, explanation = $6, updated_at = $7
			WHERE review_matches.status = 'pending'`,
			mid, me.Meta.OwnerOrgID, id, c.Meta.Ref.ID, best.Score, string(expl), tx.Now)
		if err != nil {
			return fmt.Errorf("database: queue match: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			tx.Audit(atip.AuditEntry{Action: "review.match", RecordType: string(t), RecordID: id, Detail: "candidate=" + c.Meta.Ref.ID})
			queued++
		}
	}
	if queued == 0 {
		return nil
	}
	// The owner's caseworkers are told one waits (the reference only).
	return tx.notify(atip.Notification{OrgID: me.Meta.OwnerOrgID, Role: atip.RoleCaseworker, Kind: "review.notify.match",
		Record: me.Meta.Ref, Args: map[string]string{"ref": me.Ref}})
}

type storedExplanation struct {
	Prior  float64
	Fields []atip.MatchEvidence
}

// reviewActor is the signed-in user whose organisation's queue is served.
func reviewActor(ctx context.Context) (*atip.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.User == nil || a.User.OrgID == "" {
		return nil, atip.Errorf(atip.EFORBIDDEN, "the review queue belongs to an organisation's users")
	}
	return a, nil
}

const reviewCols = `id, org_id, record_id, candidate_id, score, explanation, status, created_at, decided_by, decided_at`

func scanReview(s interface{ Scan(...any) error }) (*atip.ReviewMatch, error) {
	var m atip.ReviewMatch
	var expl string
	var decided sql.NullTime
	if err := s.Scan(&m.ID, &m.OrgID, &m.Record.ID, &m.Candidate.ID, &m.Score, &expl, &m.Status, &m.CreatedAt, &m.DecidedBy, &decided); err != nil {
		return nil, err
	}
	var se storedExplanation
	if err := json.Unmarshal([]byte(expl), &se); err != nil {
		return nil, fmt.Errorf("database: match explanation: %w", err)
	}
	m.Prior, m.Evidence = se.Prior, se.Fields
	m.CreatedAt = m.CreatedAt.UTC()
	if decided.Valid {
		m.DecidedAt = decided.Time.UTC()
	}
	return &m, nil
}

// fill decides what the reviewer sees of both records of each match.
func (tx *Tx) fillMatches(s *policy.Subject, ms []*atip.ReviewMatch, audit bool) error {
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.Record.ID, m.Candidate.ID)
	}
	recs, err := loadRecords(tx.ctx, tx, ids)
	if err != nil {
		return err
	}
	byID := map[string]*StoredRecord{}
	for _, r := range recs {
		byID[r.Meta.Ref.ID] = r
	}
	side := func(r *StoredRecord, v policy.View) (atip.MatchSide, error) {
		x := newOf(r.Meta.Ref.Type)
		if err := tx.decodeRecord(r, v, x); err != nil {
			return atip.MatchSide{}, err
		}
		ps := peopleOf(r.Meta.Ref.Type, x, r.CreatedAt)
		out := atip.MatchSide{Type: r.Meta.Ref.Type, Age: -1}
		if len(ps) > 0 {
			out = ps[0].side
			var ns []string
			for _, p := range ps {
				ns = append(ns, p.rec.Name)
			}
			out.Names = ns
		}
		out.Ref, out.TLP = r.Ref, r.Meta.TLP
		if !v.Shows(atip.ClassIdentity) {
			out.Age = -1
		}
		return out, nil
	}
	for _, m := range ms {
		own, cand := byID[m.Record.ID], byID[m.Candidate.ID]
		if own == nil || cand == nil {
			continue
		}
		m.Record.Type, m.Candidate.Type, m.RecordRef = own.Meta.Ref.Type, cand.Meta.Ref.Type, own.Ref
		m.CandidateOrg = cand.Meta.OwnerOrgID
		ov := s.View(&own.Meta)
		if ov.Level != policy.LevelNone {
			if m.Left, err = side(own, ov); err != nil {
				return err
			}
			if audit {
				tx.auditView(own, ov)
			}
		}
		cv := s.View(&cand.Meta)
		m.Visible = cv.Level != policy.LevelNone && cv.Shows(atip.ClassIdentity)
		if m.Visible {
			m.CandidateRef = cand.Ref
			if m.Right, err = side(cand, cv); err != nil {
				return err
			}
			if audit {
				tx.auditView(cand, cv)
			}
		} else {
			// The other record is not the reviewer's to see: nothing of it
			// but who holds it, no explanation (its levels would say how its
			// name and age compare) and no score.
			m.Evidence, m.Prior, m.Score = nil, 0, 0
		}
	}
	return nil
}

// Queue implements atip.ReviewService.
func (s *ReviewService) Queue(ctx context.Context, f atip.ReviewFilter) ([]*atip.ReviewMatch, error) {
	a, err := reviewActor(ctx)
	if err != nil {
		return nil, err
	}
	status := f.Status
	if status == "" {
		status = atip.ReviewPending
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	var out []*atip.ReviewMatch
	err = s.db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+reviewCols+` FROM review_matches WHERE org_id = $1 AND status = $2
			ORDER BY score DESC, id LIMIT `+fmt.Sprint(limit), a.User.OrgID, status)
		if err != nil {
			return err
		}
		for rows.Next() {
			m, err := scanReview(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		sub, err := tx.subject()
		if err != nil {
			return err
		}
		return tx.fillMatches(sub, out, false)
	})
	return out, err
}

// ownMatch loads a match of the actor's organisation.
func (tx *Tx) ownMatch(a *atip.Actor, id string) (*atip.ReviewMatch, error) {
	m, err := scanReview(tx.QueryRowContext(tx.ctx, `SELECT `+reviewCols+` FROM review_matches WHERE id = $1 AND org_id = $2`, id, a.User.OrgID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, atip.Errorf(atip.ENOTFOUND, "match not found")
	}
	return m, err
}

// Match implements atip.ReviewService. Showing a candidate's identity is
// audited as a view of that record.
func (s *ReviewService) Match(ctx context.Context, id string) (*atip.ReviewMatch, error) {
	a, err := reviewActor(ctx)
	if err != nil {
		return nil, err
	}
	var m *atip.ReviewMatch
	err = s.db.Write(ctx, func(tx *Tx) error {
		if m, err = tx.ownMatch(a, id); err != nil {
			return err
		}
		sub, err := tx.subject()
		if err != nil {
			return err
		}
		if err := tx.fillMatches(sub, []*atip.ReviewMatch{m}, true); err != nil {
			return err
		}
		m.Retrafficked, err = tx.linkFlag(m)
		return err
	})
	return m, err
}

func (tx *Tx) linkFlag(m *atip.ReviewMatch) (bool, error) {
	var flag bool
	err := tx.QueryRowContext(tx.ctx, `SELECT retrafficked FROM record_links WHERE match_id = $1 LIMIT 1`, m.ID).Scan(&flag)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return flag, err
}

// casesOf returns the cases a record belongs to: a person's cases, a
// missing report's case.
func (tx *Tx) casesOf(ref atip.RecordRef) ([]string, error) {
	var q string
	switch ref.Type {
	case atip.RecordPerson:
		q = `SELECT DISTINCT case_id FROM case_persons WHERE person_id = $1 ORDER BY case_id`
	case atip.RecordCase:
		return []string{ref.ID}, nil
	default:
		return nil, nil
	}
	rows, err := tx.QueryContext(tx.ctx, q, ref.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EventMatch is the timeline event of a confirmed match.
const EventMatch = "match"

// Decide implements atip.ReviewService.
func (s *ReviewService) Decide(ctx context.Context, id string, confirm bool) (*atip.ReviewMatch, error) {
	a, err := reviewActor(ctx)
	if err != nil {
		return nil, err
	}
	var m *atip.ReviewMatch
	err = s.db.Write(ctx, func(tx *Tx) error {
		if m, err = tx.ownMatch(a, id); err != nil {
			return err
		}
		sub, err := tx.subject()
		if err != nil {
			return err
		}
		if err := tx.fillMatches(sub, []*atip.ReviewMatch{m}, false); err != nil {
			return err
		}
		if m.Status != atip.ReviewPending {
			return atip.Errorf(atip.ECONFLICT, "this match was already decided")
		}
		if confirm && !m.Visible {
			return atip.Errorf(atip.EFORBIDDEN, "ask the organisation holding the other record for access before confirming")
		}
		m.Status, m.DecidedBy, m.DecidedAt = atip.ReviewRejected, a.User.ID, tx.Now
		if confirm {
			m.Status = atip.ReviewConfirmed
		}
		if _, err := tx.ExecContext(ctx, `UPDATE review_matches SET status = $2, decided_by = $3, decided_at = $4, updated_at = $4 WHERE id = $1`,
			m.ID, m.Status, m.DecidedBy, tx.Now); err != nil {
			return fmt.Errorf("database: decide match: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "review." + m.Status, RecordType: string(m.Record.Type), RecordID: m.Record.ID,
			Detail: "match=" + m.ID + " candidate=" + m.Candidate.ID})
		if !confirm {
			return nil
		}
		// Re-trafficking: the earlier record was a victim in a case.
		var victim int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_persons WHERE person_id = $1 AND role = 'victim'`, m.Candidate.ID).Scan(&victim); err != nil {
			return err
		}
		m.Retrafficked = victim > 0
		// The flag is on the new record's side only: it is the new case
		// that is a re-trafficking.
		for k, pair := range [][2]string{{m.Record.ID, m.Candidate.ID}, {m.Candidate.ID, m.Record.ID}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO record_links (record_id, linked_id, match_id, retrafficked, created_at, created_by)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (record_id, linked_id) DO NOTHING`,
				pair[0], pair[1], m.ID, m.Retrafficked && k == 0, tx.Now, a.User.ID); err != nil {
				return fmt.Errorf("database: link records: %w", err)
			}
		}
		cases, err := tx.casesOf(m.Record)
		if err != nil {
			return err
		}
		summary := "match confirmed with " + m.CandidateRef
		if m.Retrafficked {
			summary = "possible re-trafficking: match confirmed with " + m.CandidateRef + ", a victim in an earlier case"
		}
		for _, c := range cases {
			if err := tx.addEvent(&atip.TimelineEvent{CaseID: c, Kind: EventMatch, SubjectType: m.Candidate.Type, SubjectID: m.Candidate.ID, Summary: summary}); err != nil {
				return err
			}
		}
		return nil
	})
	return m, err
}

// RequestAccess implements atip.ReviewService: the match itself is the
// reviewer's reason to know the record exists, so the request is made even
// when the record is hidden from them, for its identity class only; the
// holder decides it in their sharing inbox as any other.
func (s *ReviewService) RequestAccess(ctx context.Context, id, reason string) (*atip.AccessRequest, error) {
	a, err := reviewActor(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) < policy.MinReasonLength {
		var v atip.Invalid
		v.Add("reason", "say why, in at least %d characters", policy.MinReasonLength)
		return nil, v.Err()
	}
	var req *atip.AccessRequest
	err = s.db.Write(ctx, func(tx *Tx) error {
		m, err := tx.ownMatch(a, id)
		if err != nil {
			return err
		}
		sub, err := tx.subject()
		if err != nil {
			return err
		}
		if err := tx.fillMatches(sub, []*atip.ReviewMatch{m}, false); err != nil {
			return err
		}
		if m.Visible {
			return atip.Errorf(atip.ECONFLICT, "you already see this record")
		}
		var pending int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM access_requests WHERE record_id = $1 AND requester_id = $2 AND status = 'pending'`,
			m.Candidate.ID, a.User.ID).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return atip.Errorf(atip.ECONFLICT, "you already asked for this record; wait for the answer")
		}
		req = &atip.AccessRequest{ID: atip.NewID(), Record: m.Candidate, RequesterID: a.User.ID, RequesterOrgID: a.User.OrgID,
			Classes: []atip.FieldClass{atip.ClassIdentity}, Purpose: atip.PurposeFamilyTracing, Reason: reason, Status: atip.RequestPending,
			Stamp: atip.Stamp{CreatedAt: tx.Now, CreatedBy: a.User.ID, UpdatedAt: tx.Now, UpdatedBy: a.User.ID}}
		if _, err := tx.ExecContext(ctx, `INSERT INTO access_requests (id, record_id, record_type, owner_org_id, requester_id,
			requester_org_id, classes, purpose, reason, status, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $5, $10, $5)`,
			req.ID, m.Candidate.ID, string(m.Candidate.Type), m.CandidateOrg, a.User.ID, a.User.OrgID,
			jsonText(req.Classes), string(req.Purpose), req.Reason, tx.Now); err != nil {
			return fmt.Errorf("database: insert access request: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "access_request.create", RecordType: string(m.Candidate.Type), RecordID: m.Candidate.ID,
			Detail: "request=" + req.ID + " match=" + m.ID})
		for _, role := range policy.BreakGlassNotify {
			if err := tx.notify(atip.Notification{OrgID: m.CandidateOrg, Role: role, Kind: "sharing.notify.access_request",
				Record: m.Candidate, Args: map[string]string{"request": req.ID, "org": a.User.OrgID}}); err != nil {
				return err
			}
		}
		return nil
	})
	return req, err
}

// Links implements atip.ReviewService.
func (s *ReviewService) Links(ctx context.Context, recordID string) ([]*atip.RecordLink, error) {
	var out []*atip.RecordLink
	err := s.db.Read(ctx, func(tx *Tx) error {
		sub, err := tx.subject()
		if err != nil {
			return err
		}
		recs, err := loadRecords(ctx, tx, []string{recordID})
		if err != nil {
			return err
		}
		if len(recs) == 0 || sub.View(&recs[0].Meta).Level == policy.LevelNone {
			return atip.Errorf(atip.ENOTFOUND, "record not found")
		}
		rows, err := tx.QueryContext(ctx, `SELECT linked_id, match_id, retrafficked, created_at FROM record_links WHERE record_id = $1 ORDER BY created_at, linked_id`, recordID)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			var l atip.RecordLink
			if err := rows.Scan(&l.Other.ID, &l.MatchID, &l.Retrafficked, &l.At); err != nil {
				rows.Close()
				return err
			}
			l.At = l.At.UTC()
			out = append(out, &l)
			ids = append(ids, l.Other.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		others, err := loadRecords(ctx, tx, ids)
		if err != nil {
			return err
		}
		byID := map[string]*StoredRecord{}
		for _, r := range others {
			byID[r.Meta.Ref.ID] = r
		}
		for _, l := range out {
			if r := byID[l.Other.ID]; r != nil {
				l.Other.Type, l.OtherOrg = r.Meta.Ref.Type, r.Meta.OwnerOrgID
				if sub.View(&r.Meta).Level != policy.LevelNone {
					l.Visible, l.OtherRef = true, r.Ref
				}
			}
		}
		return nil
	})
	return out, err
}
