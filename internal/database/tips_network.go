package database

import (
	"context"
	"fmt"
	"strings"

	"atip"
	"atip/internal/networks"
	"atip/internal/policy"
)

// Bounds of a network computed on demand: a page, not a batch job. The
// batch engine (atip tips networks) has no such bounds.
const (
	maxNetworkTips   = 200 // members reached through shared selectors
	nearDupWindow    = 500 // the organisation's newest tips compared as text
	maxSelectorShare = 50  // a selector on more tips than this links nothing here
)

type netRow struct {
	tip  *atip.Tip
	keys []string
}

// TipNetwork returns the tips of id's network: those reached from it
// through shared selectors (the networks package's exclusion list and
// generic selectors left out), and near-duplicate texts among the
// organisation's newest tips. Only the actor's organisation's tips are
// considered, so a network never reveals another organisation's tips. The
// view is audited, since member texts are shown.
func (s *TipService) TipNetwork(ctx context.Context, id string) (*atip.TipNetwork, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ex, err := networks.DefaultExclusions()
	if err != nil {
		return nil, err
	}
	var out *atip.TipNetwork
	err = s.db.Read(ctx, func(tx *Tx) error {
		root, err := visibleTip(ctx, tx, a, id, policy.TipView)
		if err != nil {
			return err
		}
		out, err = networkOf(ctx, tx, ex, root.OrgID, []*atip.Tip{root})
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.db.Audit(ctx, atip.AuditEntry{Action: "tip.network_view", RecordType: "tip", RecordID: id,
		Detail: fmt.Sprintf("members=%d", len(out.Tips))}); err != nil {
		return nil, err
	}
	return out, nil
}

// networkOf computes the network of the seed tips (all of orgID): the tips
// reached from them through shared selectors, and near-duplicate texts
// among the organisation's newest tips; the seeds come first.
func networkOf(ctx context.Context, tx *Tx, ex *networks.Exclusions, orgID string, seeds []*atip.Tip) (*atip.TipNetwork, error) {
	rows := map[string]*netRow{}
	order := []string{}
	addTip := func(t *atip.Tip) {
		if rows[t.ID] == nil {
			rows[t.ID] = &netRow{tip: t}
			order = append(order, t.ID)
		}
	}
	for _, t := range seeds {
		addTip(t)
	}
	// Breadth-first over shared selectors.
	seenKey := map[string]bool{}
	for i := 0; i < len(order) && len(order) < maxNetworkTips; i++ {
		keys, err := tipKeys(ctx, tx, order[i])
		if err != nil {
			return nil, err
		}
		rows[order[i]].keys = keys
		for _, k := range keys {
			if seenKey[k] || ex.Excludes(k) {
				continue
			}
			seenKey[k] = true
			typ, norm, _ := strings.Cut(k, ":")
			ids, err := tipsWithSelector(ctx, tx, orgID, typ, norm)
			if err != nil {
				return nil, err
			}
			if len(ids) > maxSelectorShare {
				continue
			}
			for _, other := range ids {
				if rows[other] != nil || len(order) >= maxNetworkTips {
					continue
				}
				t, err := findTip(ctx, tx, other)
				if err != nil {
					return nil, err
				}
				addTip(t)
			}
		}
	}
	// Near-duplicates among the newest tips.
	recent, err := tx.QueryContext(ctx, `SELECT `+tipCols+` FROM tips WHERE org_id = $1 ORDER BY id DESC LIMIT `+
		fmt.Sprint(nearDupWindow), orgID)
	if err != nil {
		return nil, fmt.Errorf("network: recent tips: %w", err)
	}
	var extra []*atip.Tip
	for recent.Next() {
		t, err := scanTip(recent)
		if err != nil {
			recent.Close()
			return nil, err
		}
		extra = append(extra, t)
	}
	recent.Close()
	for _, t := range extra {
		addTip(t)
	}
	items := make([]networks.Item, len(order))
	for i, tid := range order {
		r := rows[tid]
		if r.keys == nil {
			if r.keys, err = tipKeys(ctx, tx, tid); err != nil {
				return nil, err
			}
		}
		items[i] = networks.Item{ID: tid, Text: r.tip.Text, Keys: r.keys}
	}
	res, err := networks.Cluster(items, networks.Options{Exclude: ex, MaxShare: maxSelectorShare, Edges: true})
	if err != nil {
		return nil, err
	}
	mine := map[int]bool{}
	for i := range seeds {
		mine[res.Network[i]] = true
	}
	out := &atip.TipNetwork{}
	for i, tid := range order {
		if mine[res.Network[i]] {
			out.Tips = append(out.Tips, rows[tid].tip)
		}
	}
	for _, e := range res.Edges {
		if mine[res.Network[e.A]] {
			out.Links = append(out.Links, atip.TipLink{A: order[e.A], B: order[e.B], Reason: e.Reason})
		}
	}
	return out, nil
}

func tipKeys(ctx context.Context, q querier, id string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT type, normalized FROM tip_selectors WHERE tip_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("network: selectors: %w", err)
	}
	defer rows.Close()
	keys := []string{}
	for rows.Next() {
		var typ, norm string
		if err := rows.Scan(&typ, &norm); err != nil {
			return nil, err
		}
		keys = append(keys, typ+":"+norm)
	}
	return keys, rows.Err()
}

func tipsWithSelector(ctx context.Context, q querier, orgID, typ, norm string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT s.tip_id FROM tip_selectors s JOIN tips t ON t.id = s.tip_id
		WHERE s.type = $1 AND s.normalized = $2 AND t.org_id = $3 ORDER BY s.tip_id LIMIT `+fmt.Sprint(maxSelectorShare+1),
		typ, norm, orgID)
	if err != nil {
		return nil, fmt.Errorf("network: selector look-up: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
