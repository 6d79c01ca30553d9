package database

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"atip"
	"atip/internal/networks"
	"atip/internal/policy"
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
