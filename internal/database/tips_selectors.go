package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"atip"
	"atip/internal/networks"
	"atip/internal/policy"
	"atip/internal/redact"
)

var _ atip.TipSelectorService = (*TipService)(nil)

// validSelector checks a selector as asked for in a query or a form.
func validSelector(typ, norm string) error {
	var v atip.Invalid
	if typ == "" || len(typ) > 20 || strings.ContainsAny(typ, ": ") {
		v.Add("type", "is not a selector type")
	}
	if norm == "" || len(norm) > maxTipField || !utf8.ValidString(norm) {
		v.Add("value", "must be a selector's normal form")
	}
	return v.Err()
}

// SelectorNetwork returns the network of the actor's organisation's tips
// that carry the selector: those tips first, then the tips reached from
// them. A selector on no tip of the organisation is ENOTFOUND, so the page
// tells nothing about other organisations. The view is audited with the
// selector's type only: its value is personal data.
func (s *TipService) SelectorNetwork(ctx context.Context, typ, norm string) (*atip.TipNetwork, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := validSelector(typ, norm); err != nil {
		return nil, err
	}
	if !policy.CanSome(a, policy.TipView) {
		return nil, atip.Errorf(atip.EFORBIDDEN, "your role may not see tips")
	}
	if a.User == nil {
		return nil, atip.Errorf(atip.ENOTFOUND, "selector not found")
	}
	ex, err := networks.DefaultExclusions()
	if err != nil {
		return nil, err
	}
	org := a.User.OrgID
	var out *atip.TipNetwork
	err = s.db.Read(ctx, func(tx *Tx) error {
		ids, err := tipsWithSelector(ctx, tx, org, typ, norm)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return atip.Errorf(atip.ENOTFOUND, "selector not found")
		}
		if len(ids) > maxSelectorShare {
			ids = ids[:maxSelectorShare]
		}
		var seeds []*atip.Tip
		for _, id := range ids {
			t, err := visibleTip(ctx, tx, a, id, policy.TipView)
			if err != nil {
				return err
			}
			seeds = append(seeds, t)
		}
		if out, err = networkOf(ctx, tx, ex, org, seeds); err != nil {
			return err
		}
		// The page marks the tips that carry the selector by their selectors.
		for _, t := range seeds {
			if err := loadSelectors(ctx, tx, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.db.Audit(ctx, atip.AuditEntry{Action: "tip.selector_network_view", RecordType: "tip", RecordID: out.Tips[0].ID,
		Detail: fmt.Sprintf("type=%s members=%d", typ, len(out.Tips))}); err != nil {
		return nil, err
	}
	return out, nil
}

var _ atip.TipCaseLinkService = (*TipService)(nil)

var errCaseNotFound = atip.Errorf(atip.ENOTFOUND, "case not found")

// caseForLink finds the case with reference ref that the actor's
// organisation owns and may edit (operational fields): anything else,
// including another organisation's case the actor could see, is not found.
func caseForLink(tx *Tx, a *atip.Actor, ref string) (*atip.CaseLinkChoice, error) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	if ref == "" || len(ref) > 40 {
		return nil, &atip.Error{Code: atip.EINVALID, Message: "no case reference",
			Fields: []atip.FieldError{{Field: "case", Message: "is required"}}}
	}
	if a.User == nil {
		return nil, errCaseNotFound
	}
	rows, err := tx.QueryContext(tx.ctx, `SELECT id FROM records WHERE ref = $1 AND type = $2 AND owner_org_id = $3 AND erased_at IS NULL`,
		ref, string(atip.RecordCase), a.User.OrgID)
	if err != nil {
		return nil, fmt.Errorf("find case: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) != 1 {
		// None, or (a reference is eight hex digits of the id) an
		// ambiguous one: the analyst cannot tell which was meant.
		return nil, errCaseNotFound
	}
	recs, err := loadRecords(tx.ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	if len(recs) != 1 {
		return nil, errCaseNotFound
	}
	r := recs[0]
	sub, err := tx.subject()
	if err != nil {
		return nil, err
	}
	if r.Meta.OwnerOrgID != a.User.OrgID || !sub.Decide(&r.Meta, policy.RecordEdit, atip.ClassOperational).Allowed() {
		return nil, errCaseNotFound
	}
	var c atip.Case
	if err := tx.decodeRecord(r, sub.View(&r.Meta), &c); err != nil {
		return nil, err
	}
	out := &atip.CaseLinkChoice{CaseID: r.Meta.Ref.ID, CaseRef: r.Ref, TLP: r.Meta.TLP}
	seen := map[string]bool{}
	for _, s := range c.Suspects {
		if s.PersonID != "" && !seen[s.PersonID] {
			seen[s.PersonID] = true
			out.Suspects = append(out.Suspects, atip.SuspectChoice{PersonID: s.PersonID,
				Ref: redact.Ref(atip.RecordRef{Type: atip.RecordPerson, ID: s.PersonID})})
		}
	}
	return out, nil
}

// CaseForLink finds a case for the link form. Only who may triage tips may
// link them.
func (s *TipService) CaseForLink(ctx context.Context, caseRef string) (*atip.CaseLinkChoice, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !policy.CanSome(a, policy.TipTriage) {
		return nil, atip.Errorf(atip.EFORBIDDEN, "your role may not link tips to cases")
	}
	var out *atip.CaseLinkChoice
	err = s.db.Read(ctx, func(tx *Tx) error {
		out, err = caseForLink(tx, a, caseRef)
		return err
	})
	return out, err
}

// LinkSelectorToCase links a selector the tip carries to a case of the
// actor's organisation and, when SuspectID is set, to one of its suspects.
// Linking the same again changes nothing. Both the tip and the case get an
// audit entry (ids only: the selector's value is personal data).
func (s *TipService) LinkSelectorToCase(ctx context.Context, l *atip.SelectorCaseLink) error {
	l.Type, l.Normalized, l.SuspectID = strings.TrimSpace(l.Type), strings.TrimSpace(l.Normalized), strings.TrimSpace(l.SuspectID)
	if err := validSelector(l.Type, l.Normalized); err != nil {
		e := err.(*atip.Error)
		return &atip.Error{Code: e.Code, Message: "choose a selector of the tip", Fields: []atip.FieldError{{Field: "selector", Message: "choose a selector of the tip"}}}
	}
	return s.triage(ctx, l.TipID, func(tx *Tx, a *atip.Actor, t *atip.Tip) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tip_selectors WHERE tip_id = $1 AND type = $2 AND normalized = $3`,
			t.ID, l.Type, l.Normalized).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &atip.Error{Code: atip.EINVALID, Message: "not a selector of this tip",
				Fields: []atip.FieldError{{Field: "selector", Message: "choose a selector of the tip"}}}
		}
		c, err := caseForLink(tx, a, l.CaseRef)
		if err != nil {
			return err
		}
		if l.SuspectID != "" {
			found := false
			for _, sc := range c.Suspects {
				found = found || sc.PersonID == l.SuspectID
			}
			if !found {
				return &atip.Error{Code: atip.EINVALID, Message: "not a suspect of this case",
					Fields: []atip.FieldError{{Field: "suspect", Message: "choose one of the case's suspects"}}}
			}
		}
		l.CaseID, l.CaseRef, l.CaseTLP, l.By, l.At = c.CaseID, c.CaseRef, c.TLP, a.UserID(), tx.Now
		err = tx.QueryRowContext(ctx, `SELECT id FROM tip_selector_cases WHERE type = $1 AND normalized = $2 AND case_id = $3 AND suspect_id = $4`,
			l.Type, l.Normalized, l.CaseID, l.SuspectID).Scan(&l.ID)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		l.ID = atip.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO tip_selector_cases (id, tip_id, type, normalized, case_id, suspect_id, org_id, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, l.ID, t.ID, l.Type, l.Normalized, l.CaseID, l.SuspectID, t.OrgID, tx.Now, l.By); err != nil {
			return fmt.Errorf("link selector: %w", err)
		}
		detail := "case=" + l.CaseID + " type=" + l.Type
		if l.SuspectID != "" {
			detail += " suspect=" + l.SuspectID
		}
		tx.Audit(atip.AuditEntry{Action: "tip.selector_link", RecordType: "tip", RecordID: t.ID, Detail: detail})
		tx.Audit(atip.AuditEntry{Action: "case.selector_link", RecordType: string(atip.RecordCase), RecordID: l.CaseID, Detail: "tip=" + t.ID})
		return nil
	})
}

// maxNetworkLinks bounds the case links a page shows.
const maxNetworkLinks = 200

// SelectorCaseLinks returns, for the given tips of the actor's
// organisation, the links of their selectors to cases the actor may see.
// Another organisation's tips in tipIDs are ignored.
func (s *TipService) SelectorCaseLinks(ctx context.Context, tipIDs []string) ([]*atip.SelectorCaseLink, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !policy.CanSome(a, policy.TipView) {
		return nil, atip.Errorf(atip.EFORBIDDEN, "your role may not see tips")
	}
	if len(tipIDs) == 0 || a.User == nil {
		return nil, nil
	}
	if len(tipIDs) > maxNetworkTips {
		tipIDs = tipIDs[:maxNetworkTips]
	}
	var out []*atip.SelectorCaseLink
	err = s.db.Read(ctx, func(tx *Tx) error {
		in, args := inList(tipIDs, 2)
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT s.tip_id, c.id, c.type, c.normalized, c.case_id, c.suspect_id, c.created_by, c.created_at
			FROM tip_selectors s JOIN tips t ON t.id = s.tip_id
			JOIN tip_selector_cases c ON c.type = s.type AND c.normalized = s.normalized
			WHERE t.org_id = $1 AND s.tip_id IN (`+in+`) ORDER BY c.created_at, c.id, s.tip_id LIMIT `+fmt.Sprint(maxNetworkLinks),
			append([]any{a.User.OrgID}, args...)...)
		if err != nil {
			return fmt.Errorf("selector links: %w", err)
		}
		var all []*atip.SelectorCaseLink
		var caseIDs []string
		seen := map[string]bool{}
		for rows.Next() {
			var l atip.SelectorCaseLink
			if err := rows.Scan(&l.TipID, &l.ID, &l.Type, &l.Normalized, &l.CaseID, &l.SuspectID, &l.By, &l.At); err != nil {
				rows.Close()
				return err
			}
			l.At = l.At.UTC()
			all = append(all, &l)
			if !seen[l.CaseID] {
				seen[l.CaseID] = true
				caseIDs = append(caseIDs, l.CaseID)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		recs, err := loadRecords(ctx, tx, caseIDs)
		if err != nil {
			return err
		}
		sub, err := tx.subject()
		if err != nil {
			return err
		}
		metas := make([]*atip.RecordMeta, len(recs))
		for i, r := range recs {
			metas[i] = &r.Meta
		}
		views := sub.Views(metas, nil)
		visible := map[string]*StoredRecord{}
		for i, r := range recs {
			if views[i].Level != policy.LevelNone && r.ErasedAt.IsZero() {
				visible[r.Meta.Ref.ID] = r
			}
		}
		for _, l := range all {
			if r := visible[l.CaseID]; r != nil {
				l.CaseRef, l.CaseTLP = r.Ref, r.Meta.TLP
				out = append(out, l)
			}
		}
		return nil
	})
	return out, err
}
