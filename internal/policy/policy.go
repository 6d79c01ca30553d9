// Package policy decides who may do what. It is the only place in ATIP where
// visibility and permission are decided: pages, API endpoints, searches,
// exports and notifications ask it, and no handler decides on its own.
//
// It is a pure package: its answers depend only on its arguments, never on a
// database or a request, so it can be tested exhaustively.
package policy

import "atip"

// Action names something a user may try to do to the platform's own objects
// (organisations, users, the audit trail, tokens). Record-level decisions on
// shareable records are made by the record functions of this package.
type Action string

const (
	OrgCreate     Action = "org.create"
	OrgUpdate     Action = "org.update"
	OrgView       Action = "org.view"
	UserCreate    Action = "user.create"
	UserUpdate    Action = "user.update" // name, roles, language, disabled
	UserView      Action = "user.view"
	UserResetPass Action = "user.reset_password"
	AuditView     Action = "audit.view"
	AuditExport   Action = "audit.export"
	SettingsEdit  Action = "settings.edit" // organisation settings, e.g. mandatory two-factor per role
)

// scope says how far a permission reaches.
type scope int

const (
	none    scope = iota
	ownOrg        // objects belonging to the user's own organisation
	allOrgs       // objects of every organisation
)

// grants is the table the policy is written from: for each role, how far
// each action reaches. A user's reach is the widest of their roles'.
var grants = map[atip.Role]map[Action]scope{
	atip.RolePlatformAdmin: {
		OrgCreate: allOrgs, OrgUpdate: allOrgs, OrgView: allOrgs,
		UserCreate: allOrgs, UserUpdate: allOrgs, UserView: allOrgs, UserResetPass: allOrgs,
		SettingsEdit: allOrgs,
	},
	atip.RoleOrgAdmin: {
		OrgUpdate: ownOrg, OrgView: allOrgs,
		UserCreate: ownOrg, UserUpdate: ownOrg, UserView: ownOrg, UserResetPass: ownOrg,
		SettingsEdit: ownOrg,
	},
	atip.RoleSupervisor:     {OrgView: allOrgs, UserView: ownOrg},
	atip.RoleCaseworker:     {OrgView: allOrgs},
	atip.RoleFirstResponder: {OrgView: allOrgs},
	atip.RoleAnalyst:        {OrgView: allOrgs},
	// The auditor reads the trail of every organisation on the platform but
	// changes nothing: separation of duties from the admins whose actions the
	// trail records.
	atip.RoleAuditor: {OrgView: allOrgs, AuditView: allOrgs, AuditExport: allOrgs},
}

// Can reports whether the actor may do action to an object that belongs to
// organisation objOrgID ("" for actions without an object, such as creating
// an organisation). The command-line operator may do everything.
func Can(a *atip.Actor, action Action, objOrgID string) bool {
	if a == nil {
		return false
	}
	if a.IsOperator() {
		return true
	}
	u := a.User
	if u == nil || u.Disabled {
		return false
	}
	best := none
	for _, r := range u.Roles {
		if s := grants[r][action]; s > best {
			best = s
		}
	}
	switch best {
	case allOrgs:
		return true
	case ownOrg:
		return objOrgID == "" || objOrgID == u.OrgID
	}
	return false
}

// CanSome reports whether the actor may do action to at least some objects;
// navigation uses it to decide which links to show.
func CanSome(a *atip.Actor, action Action) bool {
	if a.IsOperator() {
		return true
	}
	if a == nil || a.User == nil || a.User.Disabled {
		return false
	}
	for _, r := range a.User.Roles {
		if grants[r][action] > none {
			return true
		}
	}
	return false
}
