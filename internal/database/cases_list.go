package database

import (
	"context"
	"fmt"
	"strings"
	"time"

	"atip"
	"atip/internal/codelist"
	"atip/internal/policy"
	"atip/internal/redact"
)

// The case list and search. One SQL query pre-filters by the subject's
// scope and the filters and pages by id (newest first); the registry rows
// of the page are loaded in one query and decided at once by Subject.Views;
// each row is decoded from its clear JSON only (a list shows no protected
// field, so it reads nothing sealed and audits nothing).
//
// Search: every query word must match, either in the case's clear search
// text (reference, codes, place codes) or, through the blind index, a name
// of one of its people. A row found only through a name counts only when
// the actor's view of the case shows the identity class; the others are
// dropped after the policy decides, never shown.

// maxCaseRounds bounds the queries one page may take when the policy drops
// rows the pre-filter let through.
const maxCaseRounds = 4

// FindCases returns a page of the cases the actor may see, newest first.
func (s *CaseService) FindCases(ctx context.Context, f atip.CaseFilter) ([]*atip.CaseView, string, error) {
	return s.findCases(ctx, f, false)
}

// ExportCases returns the cases of the filter the actor may export, and
// audits the export.
func (s *CaseService) ExportCases(ctx context.Context, f atip.CaseFilter, format string) ([]*atip.CaseView, error) {
	if format != "csv" && format != "xlsx" {
		return nil, invalidField("format", "is csv or xlsx")
	}
	f.After, f.Limit = "", maxPage
	var out []*atip.CaseView
	for len(out) < atip.MaxCaseExport {
		page, next, err := s.findCases(ctx, f, true)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			break
		}
		f.After = next
	}
	if len(out) > atip.MaxCaseExport {
		out = out[:atip.MaxCaseExport]
	}
	err := s.db.Audit(ctx, atip.AuditEntry{Action: "case.export", RecordType: string(atip.RecordCase),
		Detail: fmt.Sprintf("format=%s rows=%d", format, len(out))})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *CaseService) findCases(ctx context.Context, f atip.CaseFilter, exporting bool) ([]*atip.CaseView, string, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	if !policy.CanSome(a, policy.RecordBrowse) {
		return nil, "", atip.Errorf(atip.EFORBIDDEN, "your role may not see cases")
	}
	if err := checkCaseFilter(&f); err != nil {
		return nil, "", err
	}
	limit := pageSize(f.Limit)
	if exporting {
		limit = f.Limit
	}
	var out []*atip.CaseView
	next := f.After
	err = s.db.Read(ctx, func(tx *Tx) error {
		subj, err := tx.subject()
		if err != nil {
			return err
		}
		words := strings.Fields(strings.ToLower(f.Query))
		for round := 0; round < maxCaseRounds && len(out) < limit; round++ {
			want := limit - len(out)
			ids, rows, more, err := s.caseIDs(ctx, tx, subj, &f, words, next, want)
			if err != nil {
				return err
			}
			rs, err := loadRecords(ctx, tx, ids)
			if err != nil {
				return err
			}
			metas := make([]*atip.RecordMeta, len(rs))
			for i, r := range rs {
				metas[i] = &r.Meta
			}
			views := subj.Views(metas, make([]policy.View, 0, len(rs)))
			over, err := overdueCounts(ctx, tx, ids, tx.Now)
			if err != nil {
				return err
			}
			for i, r := range rs {
				v := views[i]
				if v.Level == policy.LevelNone {
					continue
				}
				if exporting && !subj.Decide(&r.Meta, policy.RecordExport, atip.ClassReference).Allowed() {
					continue
				}
				if len(words) > 0 && !v.Shows(atip.ClassIdentity) && !allIn(rows[r.Meta.Ref.ID].search, words) {
					continue // found through a name the actor may not see
				}
				// A list shows the list columns only (reference class), built
				// from the pre-filter's row rather than by decoding each
				// record's JSON, and redact.Apply still has the last word.
				row := rows[r.Meta.Ref.ID]
				c := atip.Case{ID: r.Meta.Ref.ID, Ref: r.Ref, Info: r.Info(), Status: row.status, Stage: row.stage,
					IntakeChannel: row.channel, IntakeAt: row.intakeAt.UTC(), IntakeDistrict: row.district,
					Exploitation: []string{row.caseType}, Complete: row.complete, ClosedAt: r.ClosedAt}
				if err := redact.Apply(&c, v.Shown&^policy.SetProtected); err != nil {
					return err
				}
				out = append(out, &atip.CaseView{Case: &c, Ref: r.Ref, TLP: r.Meta.TLP, Access: access(subj, &r.Meta, views[i]),
					Overdue: over[r.Meta.Ref.ID], UpdatedAt: r.UpdatedAt})
			}
			next = ""
			if more && len(ids) > 0 {
				next = ids[len(ids)-1]
			}
			if next == "" {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

func allIn(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// checkCaseFilter checks the codes of a filter and the cursor.
func checkCaseFilter(f *atip.CaseFilter) error {
	var v atip.Invalid
	optCode := func(field, list, code string) {
		if code != "" {
			if err := codelist.Check(list, code); err != nil {
				v.Add(field, "is not a code of this list")
			}
		}
	}
	optCode("stage", codelist.CaseStage, f.Stage)
	optCode("status", codelist.CaseStatus, f.Status)
	optCode("type", codelist.Exploitation, f.Type)
	switch f.Complete {
	case "", "yes", "no":
	default:
		v.Add("complete", "is yes, no or empty")
	}
	if len(f.After) > 64 {
		v.Add("after", "is not a cursor this list gave")
	}
	if len(f.Query) > 200 {
		v.Add("q", "is longer than 200 characters")
	}
	if len(f.District) > 64 {
		v.Add("district", "is not a place code")
	}
	return v.Err()
}

// caseRow is a case's list columns as the pre-filter reads them.
type caseRow struct {
	search, status, stage, channel, district, caseType string
	intakeAt                                           time.Time
	complete                                           bool
}

// caseIDs runs the pre-filter: at most want ids after the cursor, newest
// first, with each case's list columns, and whether more rows follow.
func (s *CaseService) caseIDs(ctx context.Context, tx *Tx, subj *policy.Subject, f *atip.CaseFilter, words []string,
	after string, want int) ([]string, map[string]*caseRow, bool, error) {
	var c conds
	if f.Mine {
		c.add("c.id IN (SELECT case_id FROM case_assignees WHERE user_id = ?)", actorID(ctx))
	}
	if f.Stage != "" {
		c.add("c.stage = ?", f.Stage)
	}
	if f.Status != "" {
		c.add("c.status = ?", f.Status)
	}
	if f.District != "" {
		c.add("c.intake_district = ?", f.District)
	}
	if f.Type != "" {
		c.add("c.case_type = ?", f.Type)
	}
	switch f.Complete {
	case "yes":
		c.add("c.complete = ?", true)
	case "no":
		c.add("c.complete = ?", false)
	}
	if f.Overdue {
		c.add("EXISTS (SELECT 1 FROM case_steps st WHERE st.case_id = c.id AND st.done_at IS NULL AND st.due_at < ?)", tx.Now)
	}
	for _, w := range words {
		c.args = append(c.args, "%"+likeEscape(w)+"%")
		cond := fmt.Sprintf(`c.search LIKE $%d ESCAPE '\'`, len(c.args))
		if terms := s.db.blindTerms(w); len(terms) > 0 {
			// The cases whose people carry the name, looked up first: an
			// IN list of ids is planned well on both engines, where the
			// subquery OR-ed with LIKE made PostgreSQL re-run it per row.
			ids, err := casesWithTerms(ctx, tx, terms, maxTermCases+1)
			if err != nil {
				return nil, nil, false, err
			}
			switch {
			case len(ids) > maxTermCases:
				in, args := inList(terms, len(c.args)+1)
				c.args = append(c.args, args...)
				cond = fmt.Sprintf(`(%s OR c.id IN (SELECT cp.case_id FROM case_persons cp JOIN record_terms t ON t.record_id = cp.person_id
				WHERE t.term IN (%s)))`, cond, in)
			case len(ids) > 0:
				in, args := inList(ids, len(c.args)+1)
				c.args = append(c.args, args...)
				cond = fmt.Sprintf(`(%s OR c.id IN (%s))`, cond, in)
			}
		}
		c.where = append(c.where, cond)
	}
	if after != "" {
		c.add("r.id < ?", after)
	}
	branches := scopeBranches(&c, subj.Scope())
	if len(branches) == 0 {
		return nil, nil, false, nil
	}
	const cols = `c.id, c.search, c.status, c.stage, c.intake_channel, c.intake_at, c.intake_district, c.case_type, c.complete`
	limit := fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, want+1)
	var parts []string
	for i, b := range branches {
		where := append(append([]string{"1 = 1"}, c.where...), b...)
		parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT %s FROM cases c JOIN records r ON r.id = c.id WHERE %s ORDER BY r.id DESC LIMIT %d) AS b%d`,
			cols, strings.Join(where, " AND "), want+1, i))
	}
	q := parts[0]
	if len(parts) > 1 {
		q = `SELECT * FROM (` + strings.Join(parts, " UNION ") + `) AS u` + limit
	}
	rows, err := tx.QueryContext(ctx, q, c.args...)
	if err != nil {
		return nil, nil, false, fmt.Errorf("database: list cases: %w", err)
	}
	defer rows.Close()
	var ids []string
	out := map[string]*caseRow{}
	for rows.Next() {
		var id string
		var x caseRow
		if err := rows.Scan(&id, &x.search, &x.status, &x.stage, &x.channel, &x.intakeAt, &x.district, &x.caseType, &x.complete); err != nil {
			return nil, nil, false, err
		}
		ids = append(ids, id)
		out[id] = &x
	}
	if err := rows.Err(); err != nil {
		return nil, nil, false, err
	}
	more := len(ids) > want
	if more {
		ids = ids[:want]
	}
	return ids, out, more, nil
}

// scopeBranches is scopeConds (records.go) taken apart: one condition list
// per way a record can reach the subject — owned, referred, in a group,
// platform-wide — so that each branch of the list query walks an index in
// id order (r.id: the registry's indexes end in id, so ordering by the
// registry's id lets SQLite walk them without a sort) and stops at a page, where one OR of them all makes the engines
// collect and sort every record the organisation can reach. The branches
// let through exactly what scopeConds does; the policy decides afterwards.
// No branch means nothing is reachable; one empty branch, no filter.
func scopeBranches(c *conds, sc policy.ListScope) [][]string {
	if sc.All {
		return [][]string{nil}
	}
	if sc.None {
		return nil
	}
	var out [][]string
	c.args = append(c.args, sc.OrgID)
	out = append(out, []string{fmt.Sprintf("r.owner_org_id = $%d", len(c.args)), "r.type = 'case'"})
	if len(sc.ReferralIDs) > 0 {
		in, args := inList(sc.ReferralIDs, len(c.args)+1)
		c.args = append(c.args, args...)
		out = append(out, []string{"r.id IN (" + in + ")"})
	}
	if len(sc.GroupIDs) > 0 {
		in, args := inList(sc.GroupIDs, len(c.args)+1)
		c.args = append(c.args, args...)
		out = append(out, []string{"r.distribution IN ('groups', 'platform')", "r.id IN (SELECT record_id FROM record_groups WHERE group_id IN (" + in + "))"})
	}
	if sc.Platform {
		tlps := "('CLEAR', 'GREEN')"
		if sc.ClearOnly {
			tlps = "('CLEAR')"
		}
		out = append(out, []string{"r.distribution = 'platform'", "r.type = 'case'", "r.tlp IN " + tlps})
	}
	return out
}

// maxTermCases is the most case ids a name search inlines in the list query.
const maxTermCases = 2000

// casesWithTerms returns up to limit ids of cases one of whose people has
// one of the blind-index terms.
func casesWithTerms(ctx context.Context, tx *Tx, terms []string, limit int) ([]string, error) {
	in, args := inList(terms, 1)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT DISTINCT cp.case_id FROM case_persons cp JOIN record_terms t ON t.record_id = cp.person_id
		WHERE t.term IN (%s) LIMIT %d`, in, limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
