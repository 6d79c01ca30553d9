package api

import (
	"context"
	"net/http"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// MemberStatus is atip.MemberStatus on the wire.
type MemberStatus string

// Schema implements huma.SchemaProvider.
func (MemberStatus) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Description: "Where an organisation stands in a sharing group.",
		Enum: []any{string(atip.MemberInvited), string(atip.MemberAccepted), string(atip.MemberDeclined), string(atip.MemberLeft)}}
}

// GroupMember is one organisation's membership of a sharing group.
type GroupMember struct {
	OrgID      string       `json:"org_id"`
	Status     MemberStatus `json:"status"`
	InvitedBy  string       `json:"invited_by" doc:"User id of the admin who invited."`
	InvitedAt  time.Time    `json:"invited_at"`
	AnsweredBy string       `json:"answered_by,omitempty" doc:"User id of the member's admin who accepted or declined."`
	AnsweredAt *time.Time   `json:"answered_at,omitempty"`
	LeftAt     *time.Time   `json:"left_at,omitempty"`
}

// Group is a sharing group as the API shows it: to its owner, and to
// invited and accepted members until it expires.
type Group struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Purpose    string        `json:"purpose"`
	Agreement  string        `json:"agreement" doc:"The data-sharing agreement every member accepts."`
	OwnerOrgID string        `json:"owner_org_id" doc:"The organisation that runs the group."`
	ExpiresAt  time.Time     `json:"expires_at" doc:"When the agreement, and every member's access, ends."`
	Members    []GroupMember `json:"members" nullable:"false"`
	CreatedAt  time.Time     `json:"created_at"`
	CreatedBy  string        `json:"created_by"`
	UpdatedAt  time.Time     `json:"updated_at"`
	UpdatedBy  string        `json:"updated_by"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func groupOut(g *atip.SharingGroup) Group {
	out := Group{ID: g.ID, Name: g.Name, Purpose: g.Purpose, Agreement: g.Agreement, OwnerOrgID: g.OwnerOrgID,
		ExpiresAt: g.ExpiresAt, Members: make([]GroupMember, 0, len(g.Members)),
		CreatedAt: g.CreatedAt, CreatedBy: g.CreatedBy, UpdatedAt: g.UpdatedAt, UpdatedBy: g.UpdatedBy}
	for _, m := range g.Members {
		out.Members = append(out.Members, GroupMember{OrgID: m.OrgID, Status: MemberStatus(m.Status), InvitedBy: m.InvitedBy,
			InvitedAt: m.InvitedAt, AnsweredBy: m.AnsweredBy, AnsweredAt: timePtr(m.AnsweredAt), LeftAt: timePtr(m.LeftAt)})
	}
	return out
}

type groupOutput struct {
	Body Group
}

type groupCreated struct {
	Location string `header:"Location"`
	Body     Group
}

// GroupList is every group of the caller's organisation: those it runs,
// belongs to or is invited to. Groups are few; the list is not paginated.
type GroupList struct {
	Items []Group `json:"items" nullable:"false"`
}

type groupListOutput struct {
	Body GroupList
}

// GroupCreate is the body that creates a sharing group, run by the
// caller's organisation.
type GroupCreate struct {
	Name      string    `json:"name" maxLength:"300"`
	Purpose   string    `json:"purpose" maxLength:"2000"`
	Agreement string    `json:"agreement" maxLength:"50000"`
	ExpiresAt time.Time `json:"expires_at" doc:"At most two years ahead."`
}

type createGroupInput struct {
	Body GroupCreate
}

// GroupInvite names the organisations to invite.
type GroupInvite struct {
	OrgIDs []string `json:"org_ids" minItems:"1" maxItems:"100"`
}

type inviteGroupInput struct {
	IDPath
	Body GroupInvite
}

// GroupAnswer is the caller's organisation's answer to an invitation, or
// its leaving.
type GroupAnswer struct {
	Status MemberStatus `json:"status" doc:"accepted or declined for an invitation; left to leave."`
}

type answerGroupInput struct {
	IDPath
	Body GroupAnswer
}

// GroupPatch changes a group's expiry.
type GroupPatch struct {
	ExpiresAt time.Time `json:"expires_at"`
}

type updateGroupInput struct {
	IDPath
	Body GroupPatch
}

func (s *server) registerGroups() {
	tags := []string{"sharing groups"}
	huma.Register(s.api, operation(access{ScopeRead, policy.GroupView}, huma.Operation{
		OperationID: "list-groups", Method: http.MethodGet, Path: "/groups", Tags: tags,
		Summary: "List my organisation's sharing groups", Description: "The groups the caller's organisation runs, belongs to or is invited to, newest first.",
	}), s.listGroups)
	huma.Register(s.api, operation(access{ScopeRead, policy.GroupView}, huma.Operation{
		OperationID: "get-group", Method: http.MethodGet, Path: "/groups/{id}", Tags: tags,
		Summary: "Get a sharing group", Errors: []int{http.StatusNotFound},
	}), s.getGroup)
	huma.Register(s.api, operation(access{ScopeWrite, policy.GroupManage}, huma.Operation{
		OperationID: "create-group", Method: http.MethodPost, Path: "/groups", Tags: tags,
		Summary: "Create a sharing group", DefaultStatus: http.StatusCreated,
	}), s.createGroup)
	huma.Register(s.api, operation(access{ScopeWrite, policy.GroupManage}, huma.Operation{
		OperationID: "update-group", Method: http.MethodPatch, Path: "/groups/{id}", Tags: tags,
		Summary: "Change a sharing group's expiry", Errors: []int{http.StatusNotFound},
	}), s.updateGroup)
	huma.Register(s.api, operation(access{ScopeWrite, policy.GroupManage}, huma.Operation{
		OperationID: "invite-to-group", Method: http.MethodPost, Path: "/groups/{id}/invite", Tags: tags,
		Summary: "Invite organisations to a sharing group", Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.inviteToGroup)
	huma.Register(s.api, operation(access{ScopeWrite, policy.GroupManage}, huma.Operation{
		OperationID: "answer-group", Method: http.MethodPost, Path: "/groups/{id}/answer", Tags: tags,
		Summary: "Accept or decline an invitation, or leave", Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.answerGroup)
	huma.Register(s.api, operation(access{ScopeWrite, policy.GroupManage}, huma.Operation{
		OperationID: "leave-group", Method: http.MethodPost, Path: "/groups/{id}/leave", Tags: tags,
		Summary: "Leave a sharing group", Description: "The caller's organisation stops receiving the group's records at once.",
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.leaveGroup)
}

var errNoGroups = atip.Errorf(atip.ENOTFOUND, "sharing groups are not served here")

func (s *server) groups() (atip.GroupService, error) {
	if s.Groups == nil {
		return nil, errNoGroups
	}
	return s.Groups, nil
}

func (s *server) listGroups(ctx context.Context, _ *struct{}) (*groupListOutput, error) {
	svc, err := s.groups()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	gs, err := svc.FindGroups(ctx)
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &groupListOutput{Body: GroupList{Items: make([]Group, 0, len(gs))}}
	for _, g := range gs {
		out.Body.Items = append(out.Body.Items, groupOut(g))
	}
	return out, nil
}

func (s *server) getGroup(ctx context.Context, in *IDPath) (*groupOutput, error) {
	svc, err := s.groups()
	if err == nil {
		var g *atip.SharingGroup
		if g, err = svc.FindGroupByID(ctx, in.ID); err == nil {
			return &groupOutput{Body: groupOut(g)}, nil
		}
	}
	return nil, s.fail(ctx, err, "path")
}

func (s *server) createGroup(ctx context.Context, in *createGroupInput) (*groupCreated, error) {
	svc, err := s.groups()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	g := &atip.SharingGroup{Name: in.Body.Name, Purpose: in.Body.Purpose, Agreement: in.Body.Agreement, ExpiresAt: in.Body.ExpiresAt}
	if err := svc.CreateGroup(ctx, g); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &groupCreated{Location: Prefix + "/groups/" + g.ID, Body: groupOut(g)}, nil
}

// groupChange runs one change and answers with the group as it is after it.
func (s *server) groupChange(ctx context.Context, change func(atip.GroupService) (*atip.SharingGroup, error)) (*groupOutput, error) {
	svc, err := s.groups()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	g, err := change(svc)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &groupOutput{Body: groupOut(g)}, nil
}

func (s *server) updateGroup(ctx context.Context, in *updateGroupInput) (*groupOutput, error) {
	return s.groupChange(ctx, func(svc atip.GroupService) (*atip.SharingGroup, error) {
		return svc.SetGroupExpiry(ctx, in.ID, in.Body.ExpiresAt)
	})
}

func (s *server) inviteToGroup(ctx context.Context, in *inviteGroupInput) (*groupOutput, error) {
	return s.groupChange(ctx, func(svc atip.GroupService) (*atip.SharingGroup, error) {
		return svc.InviteOrgs(ctx, in.ID, in.Body.OrgIDs)
	})
}

func (s *server) answerGroup(ctx context.Context, in *answerGroupInput) (*groupOutput, error) {
	return s.groupChange(ctx, func(svc atip.GroupService) (*atip.SharingGroup, error) {
		return svc.AnswerGroup(ctx, in.ID, atip.MemberStatus(in.Body.Status))
	})
}

func (s *server) leaveGroup(ctx context.Context, in *IDPath) (*groupOutput, error) {
	return s.groupChange(ctx, func(svc atip.GroupService) (*atip.SharingGroup, error) {
		return svc.AnswerGroup(ctx, in.ID, atip.MemberLeft)
	})
}
