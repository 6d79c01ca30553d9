package atip

import (
	"context"
	"time"
)

// Role is what a user does in their organisation. Permissions attach to
// roles in the policy package, and nowhere else.
type Role string

const (
	RolePlatformAdmin  Role = "platform_admin"  // runs the platform: organisations, any user
	RoleOrgAdmin       Role = "org_admin"       // manages the users and settings of their organisation
	RoleSupervisor     Role = "supervisor"      // oversees caseworkers, approves and verifies
	RoleCaseworker     Role = "caseworker"      // manages cases and victims' care
	RoleFirstResponder Role = "first_responder" // intercepts, rescues, records quick intakes
	RoleAnalyst        Role = "analyst"         // works with tips, networks and statistics
	RoleAuditor        Role = "auditor"         // reads the audit trail, changes nothing
)

// Roles lists every role in the order forms show them.
var Roles = []Role{
	RolePlatformAdmin, RoleOrgAdmin, RoleSupervisor, RoleCaseworker,
	RoleFirstResponder, RoleAnalyst, RoleAuditor,
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is a person who signs in to ATIP. A user belongs to exactly one
// organisation.
type User struct {
	ID          string
	OrgID       string
	Login       string // unique, case-folded; an e-mail address or a user name
	Name        string // shown on screen and in the audit trail
	Roles       []Role
	Lang        string // preferred language: en, hi, ne or bn
	Disabled    bool
	TOTPEnabled bool
	LastLoginAt time.Time // zero when never
	Stamp
}

// HasRole reports whether the user has role r.
func (u *User) HasRole(r Role) bool {
	if u == nil {
		return false
	}
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// UserFilter selects users. Zero fields do not filter.
type UserFilter struct {
	OrgID string
	Role  Role
	Query string // matches login or name
	After string // cursor: the last id of the previous page
	Limit int
}

// UserUpdate changes the non-nil fields of a user.
type UserUpdate struct {
	Name     *string
	Roles    *[]Role
	Lang     *string
	Disabled *bool
}

// UserService manages users and their credentials.
type UserService interface {
	CreateUser(ctx context.Context, u *User, password string) error
	UpdateUser(ctx context.Context, id string, upd UserUpdate) (*User, error)
	FindUserByID(ctx context.Context, id string) (*User, error)
	FindUserByLogin(ctx context.Context, login string) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, string, error)
	// SetPassword is an admin's reset of another user's password; it ends
	// that user's sessions and lifts a lockout. Users change their own
	// password with AuthService.ChangePassword, which asks for the current one.
	SetPassword(ctx context.Context, id, password string) error
}

// Languages are the interface languages, in the order the picker shows them.
var Languages = []string{"en", "hi", "ne", "bn"}
