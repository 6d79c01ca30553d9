package atip

import (
	"context"
	"time"
)

// GroupService keeps the sharing groups (see SharingGroup). Every method
// acts for the Actor in the context and for that actor's organisation:
// an organisation admin creates groups for their own organisation, invites
// others, and answers invitations made to it. A group the actor may not see
// is ENOTFOUND, never EFORBIDDEN.
type GroupService interface {
	// CreateGroup makes g, run by the actor's organisation, which becomes
	// its first (accepted) member. It sets g's ID, OwnerOrgID, Members
	// and Stamp.
	CreateGroup(ctx context.Context, g *SharingGroup) error
	// InviteOrgs invites organisations to the group; organisations that
	// declined or left earlier may be invited again.
	InviteOrgs(ctx context.Context, groupID string, orgIDs []string) (*SharingGroup, error)
	// AnswerGroup moves the actor's organisation's membership to status:
	// MemberAccepted or MemberDeclined for an invitation, MemberLeft for a
	// group it belongs to. Leaving takes effect at once.
	AnswerGroup(ctx context.Context, groupID string, status MemberStatus) (*SharingGroup, error)
	// SetGroupExpiry changes when the group's agreement ends.
	SetGroupExpiry(ctx context.Context, groupID string, expiresAt time.Time) (*SharingGroup, error)
	// FindGroupByID returns a group the actor may see, with its members.
	FindGroupByID(ctx context.Context, id string) (*SharingGroup, error)
	// FindGroups returns the groups the actor's organisation runs, belongs
	// to or is invited to, newest first, with their members.
	FindGroups(ctx context.Context) ([]*SharingGroup, error)
}
