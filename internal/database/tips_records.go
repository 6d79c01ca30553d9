package database

import (
	"context"
	"fmt"
	"strings"

	"atip"
	"atip/internal/deconflict"
	"atip/internal/policy"
)

// This file joins tips to the persons, cases, interceptions and missing-person
// reports of every organisation that hold one of their selectors — a recruiter's phone in a job advert and the
// same phone in a rescued girl's case at another agency — without either
// side's content crossing over. The join is on deconfliction tokens (keyed
// HMACs, see internal/deconflict), never on values: persons' phones are
// protected data and are stored only sealed. What the analyst then sees of
// each record is the policy's call: records the analyst may see appear with
// their reference and marking; the others only as "a record held by
// organisation X", so the two agencies know whom to call.

// tipSelectorOf maps a selector found in a tip to a deconfliction selector;
// false for kinds deconfliction does not compare (web addresses, group
// invitation links).
func tipSelectorOf(typ, norm string) (deconflict.Selector, bool) {
	switch typ {
	case "phone":
		return deconflict.Selector{Kind: deconflict.Phone, Value: norm}, true
	case "whatsapp":
		if strings.HasPrefix(norm, "+") {
			return deconflict.Selector{Kind: deconflict.Phone, Value: norm}, true
		}
	case "email":
		return deconflict.Selector{Kind: deconflict.Email, Value: norm}, true
	case "telegram":
		if h, ok := strings.CutPrefix(norm, "t.me/"); ok && !strings.HasPrefix(h, "+") {
			return deconflict.Selector{Kind: deconflict.Handle, Scheme: "telegram", Value: h}, true
		}
	case "upi":
		return deconflict.Selector{Kind: deconflict.Payment, Scheme: "upi", Value: norm}, true
	case "iban":
		return deconflict.Selector{Kind: deconflict.Payment, Scheme: "bank", Value: norm}, true
	case "passport":
		return deconflict.Selector{Kind: deconflict.Document, Scheme: "passport", Value: norm}, true
	}
	return deconflict.Selector{}, false
}

// SelectorRecords implements atip.TipRecordService.
func (s *TipService) SelectorRecords(ctx context.Context, tipIDs []string) ([]*atip.SelectorRecord, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !policy.CanSome(a, policy.TipView) || a.User == nil || len(tipIDs) == 0 || s.db.tokenizer == nil {
		return nil, nil
	}
	var out []*atip.SelectorRecord
	err = s.db.Read(ctx, func(tx *Tx) error {
		// The selectors of the actor's organisation's tips among tipIDs.
		in, args := inList(tipIDs, 2)
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT s.tip_id, s.type, s.normalized FROM tip_selectors s
			JOIN tips t ON t.id = s.tip_id WHERE t.org_id = $1 AND s.tip_id IN (`+in+`)`, append([]any{a.User.OrgID}, args...)...)
		if err != nil {
			return fmt.Errorf("selector records: %w", err)
		}
		type use struct{ tip, typ string }
		byToken := map[string][]use{}
		var tokens []string
		for rows.Next() {
			var tip, typ, norm string
			if err := rows.Scan(&tip, &typ, &norm); err != nil {
				rows.Close()
				return err
			}
			sel, ok := tipSelectorOf(typ, norm)
			if !ok {
				continue
			}
			tok, _, err := s.db.tokenizer.Token(sel)
			if err != nil {
				continue // a value deconfliction cannot normalise matches nothing
			}
			if byToken[string(tok)] == nil {
				tokens = append(tokens, string(tok))
			}
			byToken[string(tok)] = append(byToken[string(tok)], use{tip, typ})
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(tokens) == 0 {
			return err
		}
		in, args = inList(tokens, 1)
		rows, err = tx.QueryContext(ctx, `SELECT DISTINCT token, record_id FROM selector_tokens
			WHERE token IN (`+in+`) AND record_type IN ('person', 'case', 'interception', 'missing') ORDER BY record_id`, args...)
		if err != nil {
			return fmt.Errorf("selector records: %w", err)
		}
		holders := map[string][]string{} // record id → tokens
		var ids []string
		for rows.Next() {
			var tok, id string
			if err := rows.Scan(&tok, &id); err != nil {
				rows.Close()
				return err
			}
			if holders[id] == nil {
				ids = append(ids, id)
			}
			holders[id] = append(holders[id], tok)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		recs, err := loadRecords(ctx, tx, ids)
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
		views := sub.Views(metas, make([]policy.View, 0, len(metas)))
		names, err := orgNames(ctx, tx, recs)
		if err != nil {
			return err
		}
		for i, r := range recs {
			seen := map[string]bool{}
			for _, tok := range holders[r.Meta.Ref.ID] {
				for _, u := range byToken[tok] {
					if seen[u.tip+u.typ] {
						continue
					}
					seen[u.tip+u.typ] = true
					m := &atip.SelectorRecord{TipID: u.tip, Type: u.typ, OrgID: r.Meta.OwnerOrgID, OrgName: names[r.Meta.OwnerOrgID]}
					if views[i].Level != policy.LevelNone {
						m.Visible, m.Record, m.Ref, m.TLP = true, r.Meta.Ref, r.Ref, r.Meta.TLP
					}
					out = append(out, m)
				}
			}
		}
		return nil
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.db.Audit(ctx, atip.AuditEntry{Action: "tip.selector_records", RecordType: "tip", RecordID: tipIDs[0],
		Detail: fmt.Sprintf("tips=%d matches=%d", len(tipIDs), len(out))})
}

// orgNames returns the names of the organisations owning recs.
func orgNames(ctx context.Context, q querier, recs []*StoredRecord) (map[string]string, error) {
	var ids []string
	seen := map[string]bool{}
	for _, r := range recs {
		if !seen[r.Meta.OwnerOrgID] {
			seen[r.Meta.OwnerOrgID] = true
			ids = append(ids, r.Meta.OwnerOrgID)
		}
	}
	in, args := inList(ids, 1)
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM orgs WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
