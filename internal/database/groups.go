package database

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
	"atip/internal/policy"
	"atip/internal/textnorm"
)

// GroupService implements atip.GroupService. The rules — who may create,
// invite, answer, leave and see — are the policy package's (CheckGroup,
// CheckInvite, CheckAnswer, SeesGroup); this file loads, stores and audits.
type GroupService struct{ db *DB }

// NewGroupService returns the sharing-group service on db.
func NewGroupService(db *DB) *GroupService { return &GroupService{db: db} }

var _ atip.GroupService = (*GroupService)(nil)

var errGroupNotFound = atip.Errorf(atip.ENOTFOUND, "sharing group not found")

// Longest texts a group accepts, in characters.
const (
	maxGroupPurpose   = 2000
	maxGroupAgreement = 50000
)

// cleanGroup normalises the texts of g and checks their lengths; the policy
// checks that they are there at all.
func cleanGroup(g *atip.SharingGroup) error {
	g.Name = textnorm.Clean(g.Name)
	g.Purpose = strings.TrimSpace(g.Purpose)
	g.Agreement = strings.TrimSpace(strings.ReplaceAll(g.Agreement, "\r\n", "\n"))
	var v atip.Invalid
	for _, f := range []struct {
		name, value string
		max         int
	}{{"name", g.Name, maxNameLen}, {"purpose", g.Purpose, maxGroupPurpose}, {"agreement", g.Agreement, maxGroupAgreement}} {
		switch {
		case !utf8.ValidString(f.value):
			v.Add(f.name, "is not valid text")
		case utf8.RuneCountInString(f.value) > f.max:
			v.Add(f.name, "must be at most %d characters", f.max)
		}
	}
	return v.Err()
}

// orgActor returns the acting user, who must belong to an organisation:
// groups are run and answered by organisations, not by the operator.
func orgActor(ctx context.Context, action policy.Action, what string) (*atip.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, atip.Errorf(atip.EFORBIDDEN, "sharing groups are run by an organisation's admin, not at the command line")
	}
	if err := require(a, action, a.User.OrgID, what); err != nil {
		return nil, err
	}
	return a, nil
}

// CreateGroup makes g for the actor's organisation, which becomes its first
// accepted member.
func (s *GroupService) CreateGroup(ctx context.Context, g *atip.SharingGroup) error {
	a, err := orgActor(ctx, policy.GroupManage, "create sharing groups")
	if err != nil {
		return err
	}
	g.OwnerOrgID = a.User.OrgID
	g.ExpiresAt = g.ExpiresAt.UTC().Truncate(time.Microsecond)
	return s.db.Write(ctx, func(tx *Tx) error {
		if err := policy.NewSubject(a, policy.Holdings{}, tx.Now).CheckGroup(g); err != nil {
			return err
		}
		if err := cleanGroup(g); err != nil {
			return err
		}
		g.ID = atip.NewID()
		g.Stamp = atip.Stamp{CreatedAt: tx.Now, CreatedBy: a.UserID(), UpdatedAt: tx.Now, UpdatedBy: a.UserID()}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sharing_groups
			(id, name, purpose, agreement, owner_org_id, expires_at, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)`,
			g.ID, g.Name, g.Purpose, g.Agreement, g.OwnerOrgID, g.ExpiresAt, tx.Now, a.UserID()); err != nil {
			return fmt.Errorf("create group: %w", err)
		}
		owner := atip.GroupMember{OrgID: g.OwnerOrgID, Status: atip.MemberAccepted, InvitedBy: a.UserID(), InvitedAt: tx.Now,
			AnsweredBy: a.UserID(), AnsweredAt: tx.Now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sharing_group_members
			(group_id, org_id, status, invited_by, invited_at, answered_by, answered_at) VALUES ($1, $2, $3, $4, $5, $4, $5)`,
			g.ID, owner.OrgID, string(owner.Status), owner.InvitedBy, owner.InvitedAt); err != nil {
			return fmt.Errorf("create group: %w", err)
		}
		g.Members = []atip.GroupMember{owner}
		tx.Audit(atip.AuditEntry{Action: "group.create", RecordType: "sharing_group", RecordID: g.ID,
			Detail: "expires_at=" + g.ExpiresAt.Format(time.RFC3339)})
		return nil
	})
}

// lockGroup loads a group for a change. Touching its row first makes
// concurrent changes to one group take turns on PostgreSQL (SQLite has one
// writer anyway), so each decides on the members as they are.
func lockGroup(tx *Tx, a *atip.Actor, id string) (*atip.SharingGroup, *policy.Subject, error) {
	res, err := tx.ExecContext(tx.ctx, `UPDATE sharing_groups SET updated_at = $1, updated_by = $2 WHERE id = $3`, tx.Now, a.UserID(), id)
	if err != nil {
		return nil, nil, fmt.Errorf("lock group: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, errGroupNotFound
	}
	g, err := loadGroup(tx.ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	sub := policy.NewSubject(a, policy.Holdings{}, tx.Now)
	if !sub.SeesGroup(g) {
		return nil, nil, errGroupNotFound
	}
	return g, sub, nil
}

// InviteOrgs invites organisations to the group.
func (s *GroupService) InviteOrgs(ctx context.Context, groupID string, orgIDs []string) (*atip.SharingGroup, error) {
	a, err := orgActor(ctx, policy.GroupManage, "invite organisations")
	if err != nil {
		return nil, err
	}
	var out *atip.SharingGroup
	err = s.db.Write(ctx, func(tx *Tx) error {
		g, sub, err := lockGroup(tx, a, groupID)
		if err != nil {
			return err
		}
		var ids []string
		for _, id := range orgIDs {
			if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			var v atip.Invalid
			v.Add("org_ids", "choose at least one organisation")
			return v.Err()
		}
		for _, id := range ids {
			o, err := findOrg(ctx, tx, id)
			if err != nil || o.Disabled {
				var v atip.Invalid
				v.Add("org_ids", "is not an organisation that can be invited")
				return v.Err()
			}
			if err := sub.CheckInvite(g, id); err != nil {
				return err
			}
			m := atip.GroupMember{OrgID: id, Status: atip.MemberInvited, InvitedBy: a.UserID(), InvitedAt: tx.Now}
			if old := g.Member(id); old != nil {
				// Declined or left earlier: a new invitation, a fresh answer.
				_, err = tx.ExecContext(ctx, `UPDATE sharing_group_members SET status = $1, invited_by = $2, invited_at = $3,
					answered_by = '', answered_at = NULL, left_at = NULL WHERE group_id = $4 AND org_id = $5`,
					string(m.Status), m.InvitedBy, m.InvitedAt, g.ID, id)
				*old = m
			} else {
				_, err = tx.ExecContext(ctx, `INSERT INTO sharing_group_members (group_id, org_id, status, invited_by, invited_at)
					VALUES ($1, $2, $3, $4, $5)`, g.ID, id, string(m.Status), m.InvitedBy, m.InvitedAt)
				g.Members = append(g.Members, m)
			}
			if err != nil {
				return fmt.Errorf("invite: %w", err)
			}
			tx.Audit(atip.AuditEntry{Action: "group.invite", RecordType: "sharing_group", RecordID: g.ID, Detail: "org=" + id})
		}
		g.UpdatedAt, g.UpdatedBy = tx.Now, a.UserID()
		out = g
		return nil
	})
	return out, err
}

// AnswerGroup accepts or declines an invitation of the actor's
// organisation, or leaves a group it belongs to.
func (s *GroupService) AnswerGroup(ctx context.Context, groupID string, to atip.MemberStatus) (*atip.SharingGroup, error) {
	a, err := orgActor(ctx, policy.GroupManage, "answer for your organisation")
	if err != nil {
		return nil, err
	}
	action, ok := map[atip.MemberStatus]string{
		atip.MemberAccepted: "group.accept", atip.MemberDeclined: "group.decline", atip.MemberLeft: "group.leave",
	}[to]
	if !ok {
		var v atip.Invalid
		v.Add("status", "must be accepted, declined or left")
		return nil, v.Err()
	}
	var out *atip.SharingGroup
	err = s.db.Write(ctx, func(tx *Tx) error {
		g, sub, err := lockGroup(tx, a, groupID)
		if err != nil {
			return err
		}
		org := a.User.OrgID
		if to == atip.MemberLeft && g.OwnerOrgID == org {
			return atip.Errorf(atip.ECONFLICT, "the organisation that runs a group cannot leave it; shorten its expiry to end it")
		}
		if err := sub.CheckAnswer(g, to); err != nil {
			return err
		}
		m := g.Member(org)
		m.Status = to
		if to == atip.MemberLeft {
			m.LeftAt = tx.Now
			_, err = tx.ExecContext(ctx, `UPDATE sharing_group_members SET status = $1, left_at = $2 WHERE group_id = $3 AND org_id = $4`,
				string(to), tx.Now, g.ID, org)
		} else {
			m.AnsweredBy, m.AnsweredAt = a.UserID(), tx.Now
			_, err = tx.ExecContext(ctx, `UPDATE sharing_group_members SET status = $1, answered_by = $2, answered_at = $3
				WHERE group_id = $4 AND org_id = $5`, string(to), a.UserID(), tx.Now, g.ID, org)
		}
		if err != nil {
			return fmt.Errorf("answer: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: action, RecordType: "sharing_group", RecordID: g.ID, Detail: "org=" + org})
		g.UpdatedAt, g.UpdatedBy = tx.Now, a.UserID()
		out = g
		return nil
	})
	return out, err
}

// SetGroupExpiry changes when the group ends.
func (s *GroupService) SetGroupExpiry(ctx context.Context, groupID string, expiresAt time.Time) (*atip.SharingGroup, error) {
	a, err := orgActor(ctx, policy.GroupManage, "change sharing groups")
	if err != nil {
		return nil, err
	}
	var out *atip.SharingGroup
	err = s.db.Write(ctx, func(tx *Tx) error {
		g, sub, err := lockGroup(tx, a, groupID)
		if err != nil {
			return err
		}
		g.ExpiresAt = expiresAt.UTC().Truncate(time.Microsecond)
		if err := sub.CheckGroup(g); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sharing_groups SET expires_at = $1 WHERE id = $2`, g.ExpiresAt, g.ID); err != nil {
			return fmt.Errorf("set expiry: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "group.expiry", RecordType: "sharing_group", RecordID: g.ID,
			Detail: "expires_at=" + g.ExpiresAt.Format(time.RFC3339)})
		g.UpdatedAt, g.UpdatedBy = tx.Now, a.UserID()
		out = g
		return nil
	})
	return out, err
}

// FindGroupByID returns a group the actor may see.
func (s *GroupService) FindGroupByID(ctx context.Context, id string) (*atip.SharingGroup, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !policy.CanSome(a, policy.GroupView) {
		return nil, errGroupNotFound
	}
	var out *atip.SharingGroup
	err = s.db.Read(ctx, func(tx *Tx) error {
		g, err := loadGroup(ctx, tx, id)
		if err != nil {
			return err
		}
		if !policy.NewSubject(a, policy.Holdings{}, tx.Now).SeesGroup(g) {
			return errGroupNotFound
		}
		out = g
		return nil
	})
	return out, err
}

// FindGroups returns the groups the actor's organisation runs, belongs to
// or is invited to, newest first. Declined, left and expired memberships
// are filtered in the query itself, by the transaction's time.
func (s *GroupService) FindGroups(ctx context.Context) ([]*atip.SharingGroup, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !policy.CanSome(a, policy.GroupView) || a.User == nil {
		return nil, nil
	}
	var out []*atip.SharingGroup
	err = s.db.Read(ctx, func(tx *Tx) error {
		gs, err := queryGroups(ctx, tx, `SELECT `+groupCols+` FROM sharing_groups g
			JOIN sharing_group_members m ON m.group_id = g.id AND m.org_id = $1
			WHERE g.owner_org_id = $1 OR (m.status IN ('invited', 'accepted') AND g.expires_at > $2)
			ORDER BY g.id DESC`, a.User.OrgID, tx.Now)
		if err != nil {
			return err
		}
		sub := policy.NewSubject(a, policy.Holdings{}, tx.Now)
		for _, g := range gs {
			if sub.SeesGroup(g) {
				out = append(out, g)
			}
		}
		return nil
	})
	return out, err
}

const groupCols = `g.id, g.name, g.purpose, g.agreement, g.owner_org_id, g.expires_at, g.created_at, g.created_by, g.updated_at, g.updated_by`

func loadGroup(ctx context.Context, q querier, id string) (*atip.SharingGroup, error) {
	gs, err := queryGroups(ctx, q, `SELECT `+groupCols+` FROM sharing_groups g WHERE g.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, errGroupNotFound
	}
	return gs[0], nil
}

// queryGroups runs a query of groupCols and loads the members of every
// group it returns in one more query.
func queryGroups(ctx context.Context, q querier, query string, args ...any) ([]*atip.SharingGroup, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find groups: %w", err)
	}
	var gs []*atip.SharingGroup
	byID := map[string]*atip.SharingGroup{}
	for rows.Next() {
		var g atip.SharingGroup
		if err := rows.Scan(&g.ID, &g.Name, &g.Purpose, &g.Agreement, &g.OwnerOrgID, &g.ExpiresAt,
			&g.CreatedAt, &g.CreatedBy, &g.UpdatedAt, &g.UpdatedBy); err != nil {
			rows.Close()
			return nil, err
		}
		g.ExpiresAt, g.CreatedAt, g.UpdatedAt = g.ExpiresAt.UTC(), g.CreatedAt.UTC(), g.UpdatedAt.UTC()
		gs = append(gs, &g)
		byID[g.ID] = &g
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, nil
	}
	ids := make([]any, len(gs))
	marks := make([]string, len(gs))
	for i, g := range gs {
		ids[i], marks[i] = g.ID, fmt.Sprintf("$%d", i+1)
	}
	mrows, err := q.QueryContext(ctx, `SELECT group_id, org_id, status, invited_by, invited_at, answered_by, answered_at, left_at
		FROM sharing_group_members WHERE group_id IN (`+strings.Join(marks, ", ")+`) ORDER BY invited_at, org_id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("find group members: %w", err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var (
			gid, status      string
			m                atip.GroupMember
			answered, leftAt sql.NullTime
		)
		if err := mrows.Scan(&gid, &m.OrgID, &status, &m.InvitedBy, &m.InvitedAt, &m.AnsweredBy, &answered, &leftAt); err != nil {
			return nil, err
		}
		m.Status = atip.MemberStatus(status)
		m.InvitedAt = m.InvitedAt.UTC()
		if answered.Valid {
			m.AnsweredAt = answered.Time.UTC()
		}
		if leftAt.Valid {
			m.LeftAt = leftAt.Time.UTC()
		}
		if g := byID[gid]; g != nil {
			g.Members = append(g.Members, m)
		}
	}
	return gs, mrows.Err()
}
