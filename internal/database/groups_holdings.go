package database

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"atip"
	"atip/internal/policy"
)

// Holdings loads the sharing relations the policy needs to decide for the
// actor (policy.NewSubject): the sharing groups its organisation is a live
// member of. It is one query whatever the number of records a page then
// decides on, and it filters on the transaction's time, so leaving a group
// or its expiry takes effect on the very next request.
func (db *DB) Holdings(ctx context.Context, a *atip.Actor) (policy.Holdings, error) {
	var h policy.Holdings
	if a == nil || a.User == nil {
		return h, nil
	}
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		h, err = holdings(ctx, tx, a, tx.Now)
		return err
	})
	return h, err
}

// holdings loads the actor's holdings at now inside a transaction. Each
// kind of holding is one query; loaders for referrals and break-glass
// accesses register in holdingLoaders.
func holdings(ctx context.Context, q querier, a *atip.Actor, now time.Time) (policy.Holdings, error) {
	var h policy.Holdings
	if a == nil || a.User == nil {
		return h, nil
	}
	var err error
	if h.Groups, err = liveGroupsOf(ctx, q, a.User.OrgID, now); err != nil {
		return h, err
	}
	for _, load := range holdingLoaders {
		if err := load(ctx, q, a, now, &h); err != nil {
			return h, err
		}
	}
	return h, nil
}

// holdingLoaders add referrals, access grants and break-glass accesses to
// an actor's holdings, each in one query.
var holdingLoaders []func(ctx context.Context, q querier, a *atip.Actor, now time.Time, h *policy.Holdings) error

// liveGroupsOf returns the groups orgID is an accepted member of at now,
// each with orgID's own membership only: what the policy looks at.
func liveGroupsOf(ctx context.Context, q querier, orgID string, now time.Time) ([]*atip.SharingGroup, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.owner_org_id, g.expires_at, m.status, m.answered_at
		FROM sharing_group_members m JOIN sharing_groups g ON g.id = m.group_id
		WHERE m.org_id = $1 AND m.status = 'accepted' AND g.expires_at > $2 ORDER BY g.id`, orgID, now)
	if err != nil {
		return nil, fmt.Errorf("load holdings: %w", err)
	}
	defer rows.Close()
	var out []*atip.SharingGroup
	for rows.Next() {
		g := &atip.SharingGroup{}
		m := atip.GroupMember{OrgID: orgID}
		var status string
		var answered sql.NullTime
		if err := rows.Scan(&g.ID, &g.OwnerOrgID, &g.ExpiresAt, &status, &answered); err != nil {
			return nil, err
		}
		g.ExpiresAt = g.ExpiresAt.UTC()
		m.Status = atip.MemberStatus(status)
		if answered.Valid {
			m.AnsweredAt = answered.Time.UTC()
		}
		g.Members = []atip.GroupMember{m}
		out = append(out, g)
	}
	return out, rows.Err()
}
