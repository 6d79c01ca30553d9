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
//
// Referrals, access grants and break-glass accesses have no tables yet;
// their lists stay empty until they do.
func (db *DB) Holdings(ctx context.Context, a *atip.Actor) (policy.Holdings, error) {
	var h policy.Holdings
	if a == nil || a.User == nil {
		return h, nil
	}
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		h.Groups, err = liveGroupsOf(ctx, tx, a.User.OrgID, tx.Now)
		return err
	})
	return h, err
}

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
