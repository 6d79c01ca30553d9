package policy

import (
	"testing"

	"atip"
)

// TestCan checks the platform grants that are easy to get wrong: reach to
// one's own organisation only, the auditor's read-only reach, and that
// nobody but the operator acts without a live account.
func TestCan(t *testing.T) {
	user := func(org string, roles ...atip.Role) *atip.Actor {
		return &atip.Actor{User: &atip.User{ID: "u-" + org, OrgID: org, Roles: roles}, Via: atip.ViaWeb}
	}
	disabled := user("A", atip.RolePlatformAdmin)
	disabled.User.Disabled = true
	for _, tc := range []struct {
		name   string
		actor  *atip.Actor
		action Action
		org    string
		want   bool
	}{
		{"org admin creates a user in their own org", user("A", atip.RoleOrgAdmin), UserCreate, "A", true},
		{"org admin may not create a user elsewhere", user("A", atip.RoleOrgAdmin), UserCreate, "B", false},
		{"org admin may not create organisations", user("A", atip.RoleOrgAdmin), OrgCreate, "", false},
		{"platform admin creates organisations", user("A", atip.RolePlatformAdmin), OrgCreate, "", true},
		{"platform admin may not read the audit trail", user("A", atip.RolePlatformAdmin), AuditView, "", false},
		{"auditor reads the trail", user("A", atip.RoleAuditor), AuditView, "", true},
		{"auditor reads who the users of any org are", user("A", atip.RoleAuditor), UserView, "B", true},
		{"auditor changes no user", user("A", atip.RoleAuditor), UserUpdate, "A", false},
		{"auditor resets no password", user("A", atip.RoleAuditor), UserResetPass, "A", false},
		{"supervisor sees own org's users", user("A", atip.RoleSupervisor), UserView, "A", true},
		{"supervisor does not see other orgs' users", user("A", atip.RoleSupervisor), UserView, "B", false},
		{"caseworker sees no user list", user("A", atip.RoleCaseworker), UserView, "A", false},
		{"widest of several roles wins", user("A", atip.RoleCaseworker, atip.RoleOrgAdmin), UserUpdate, "A", true},
		{"a disabled account may do nothing", disabled, OrgView, "A", false},
		{"nobody signed in may do nothing", nil, OrgView, "A", false},
		{"the operator at the command line may do anything", &atip.Actor{Via: atip.ViaCLI}, OrgCreate, "", true},
		{"a user-less actor through the API is not the operator", &atip.Actor{Via: atip.ViaAPI}, OrgView, "A", false},
	} {
		if got := Can(tc.actor, tc.action, tc.org); got != tc.want {
			t.Errorf("%s: Can(%s, %q) = %v, want %v", tc.name, tc.action, tc.org, got, tc.want)
		}
	}
}
