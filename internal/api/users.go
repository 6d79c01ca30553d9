package api

import (
	"context"
	"net/http"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// Role is atip.Role on the wire, its enum generated from atip.Roles.
type Role string

// Schema implements huma.SchemaProvider.
func (Role) Schema(huma.Registry) *huma.Schema {
	enum := make([]any, len(atip.Roles))
	for i, r := range atip.Roles {
		enum[i] = string(r)
	}
	return &huma.Schema{Type: huma.TypeString, Enum: enum, Description: "What a user does in their organisation."}
}

// Lang is an interface language, its enum generated from atip.Languages.
type Lang string

// Schema implements huma.SchemaProvider.
func (Lang) Schema(huma.Registry) *huma.Schema {
	enum := make([]any, len(atip.Languages))
	for i, l := range atip.Languages {
		enum[i] = l
	}
	return &huma.Schema{Type: huma.TypeString, Enum: enum, Description: "Interface language."}
}

// User is a user as the API shows it. Credentials never leave the server.
type User struct {
	ID          string     `json:"id"`
	OrgID       string     `json:"org_id"`
	Login       string     `json:"login"`
	Name        string     `json:"name"`
	Roles       []Role     `json:"roles" nullable:"false"`
	Lang        Lang       `json:"lang"`
	Disabled    bool       `json:"disabled"`
	TOTPEnabled bool       `json:"totp_enabled" doc:"Whether two-factor sign-in is on."`
	LastLoginAt *time.Time `json:"last_login_at,omitempty" doc:"Absent when the user never signed in."`
	CreatedAt   time.Time  `json:"created_at"`
	CreatedBy   string     `json:"created_by"`
	UpdatedAt   time.Time  `json:"updated_at"`
	UpdatedBy   string     `json:"updated_by"`
}

func userOut(u *atip.User) User {
	out := User{
		ID: u.ID, OrgID: u.OrgID, Login: u.Login, Name: u.Name, Roles: make([]Role, 0, len(u.Roles)),
		Lang: Lang(u.Lang), Disabled: u.Disabled, TOTPEnabled: u.TOTPEnabled,
		CreatedAt: u.CreatedAt, CreatedBy: u.CreatedBy, UpdatedAt: u.UpdatedAt, UpdatedBy: u.UpdatedBy,
	}
	for _, r := range u.Roles {
		out.Roles = append(out.Roles, Role(r))
	}
	if !u.LastLoginAt.IsZero() {
		t := u.LastLoginAt
		out.LastLoginAt = &t
	}
	return out
}

func rolesIn(rs []Role) []atip.Role {
	out := make([]atip.Role, len(rs))
	for i, r := range rs {
		out[i] = atip.Role(r)
	}
	return out
}

type userOutput struct {
	Body User
}

type userCreated struct {
	Location string `header:"Location"`
	Body     User
}

type listUsersInput struct {
	OrgID string `query:"org_id" maxLength:"64" doc:"Only users of this organisation."`
	Role  Role   `query:"role" doc:"Only users with this role."`
	Q     string `query:"q" maxLength:"200" doc:"Matches the login or the name."`
	PageQuery
}

// UserPage is one page of users.
type UserPage struct {
	Items []User `json:"items" nullable:"false"`
	Next  string `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
}

type userPageOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body UserPage
}

// UserCreate is the body that creates a user.
type UserCreate struct {
	OrgID    string `json:"org_id" maxLength:"64"`
	Login    string `json:"login" maxLength:"200" doc:"Unique; an e-mail address or a user name."`
	Name     string `json:"name" maxLength:"300"`
	Roles    []Role `json:"roles" maxItems:"10"`
	Lang     Lang   `json:"lang,omitempty"`
	Password string `json:"password" maxLength:"1024" writeOnly:"true" doc:"The first password; the user should change it."`
}

type createUserInput struct {
	Body UserCreate
}

// UserPatch changes the fields it carries; absent fields stay as they are.
type UserPatch struct {
	Name     *string `json:"name,omitempty" maxLength:"300"`
	Roles    *[]Role `json:"roles,omitempty" maxItems:"10"`
	Lang     *Lang   `json:"lang,omitempty"`
	Disabled *bool   `json:"disabled,omitempty"`
}

type updateUserInput struct {
	IDPath
	Body UserPatch
}

// PasswordReset is an administrator's new password for a user.
type PasswordReset struct {
	Password string `json:"password" maxLength:"1024" writeOnly:"true"`
}

type resetPasswordInput struct {
	IDPath
	Body PasswordReset
}

func (s *server) registerUsers() {
	huma.Register(s.api, operation(access{ScopeRead, policy.UserView}, huma.Operation{
		OperationID: "list-users", Method: http.MethodGet, Path: "/users", Tags: []string{"users"},
		Summary: "List users", Description: "Users the caller may see, ordered by id, filtered and paginated.",
	}), s.listUsers)
	huma.Register(s.api, operation(access{ScopeRead, policy.UserView}, huma.Operation{
		OperationID: "get-user", Method: http.MethodGet, Path: "/users/{id}", Tags: []string{"users"},
		Summary: "Get a user", Errors: []int{http.StatusNotFound},
	}), s.getUser)
	huma.Register(s.api, operation(access{ScopeWrite, policy.UserCreate}, huma.Operation{
		OperationID: "create-user", Method: http.MethodPost, Path: "/users", Tags: []string{"users"},
		Summary: "Create a user", DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
	}), s.createUser)
	huma.Register(s.api, operation(access{ScopeWrite, policy.UserUpdate}, huma.Operation{
		OperationID: "update-user", Method: http.MethodPatch, Path: "/users/{id}", Tags: []string{"users"},
		Summary: "Change a user", Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.updateUser)
	huma.Register(s.api, operation(access{ScopeWrite, policy.UserResetPass}, huma.Operation{
		OperationID: "reset-user-password", Method: http.MethodPost, Path: "/users/{id}/password", Tags: []string{"users"},
		Summary: "Reset a user's password", Description: "Sets a new password and ends the user's sessions.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}), s.resetPassword)
}

func (s *server) listUsers(ctx context.Context, in *listUsersInput) (*userPageOutput, error) {
	after, err := decodeCursor("users", in.Cursor)
	if err != nil {
		return nil, cursorProblem(err)
	}
	users, next, err := s.Users.FindUsers(ctx, atip.UserFilter{OrgID: in.OrgID, Role: atip.Role(in.Role), Query: in.Q, After: after, Limit: in.Limit})
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &userPageOutput{Body: UserPage{Items: make([]User, 0, len(users)), Next: encodeCursor("users", next)}}
	for _, u := range users {
		out.Body.Items = append(out.Body.Items, userOut(u))
	}
	out.Link = nextLink(requestURL(ctx), out.Body.Next)
	return out, nil
}

func (s *server) getUser(ctx context.Context, in *IDPath) (*userOutput, error) {
	u, err := s.Users.FindUserByID(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &userOutput{Body: userOut(u)}, nil
}

func (s *server) createUser(ctx context.Context, in *createUserInput) (*userCreated, error) {
	u := &atip.User{OrgID: in.Body.OrgID, Login: in.Body.Login, Name: in.Body.Name, Roles: rolesIn(in.Body.Roles), Lang: string(in.Body.Lang)}
	if err := s.Users.CreateUser(ctx, u, in.Body.Password); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &userCreated{Location: Prefix + "/users/" + u.ID, Body: userOut(u)}, nil
}

func (s *server) updateUser(ctx context.Context, in *updateUserInput) (*userOutput, error) {
	upd := atip.UserUpdate{Name: in.Body.Name, Disabled: in.Body.Disabled}
	if in.Body.Roles != nil {
		rs := rolesIn(*in.Body.Roles)
		upd.Roles = &rs
	}
	if in.Body.Lang != nil {
		l := string(*in.Body.Lang)
		upd.Lang = &l
	}
	u, err := s.Users.UpdateUser(ctx, in.ID, upd)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &userOutput{Body: userOut(u)}, nil
}

func (s *server) resetPassword(ctx context.Context, in *resetPasswordInput) (*struct{}, error) {
	if err := s.Users.SetPassword(ctx, in.ID, in.Body.Password); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return nil, nil
}
