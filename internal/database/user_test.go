package database_test

import (
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

func TestCreateUserValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		for _, tc := range []struct {
			name  string
			user  atip.User
			pw    string
			field string
		}{
			{"no org", atip.User{Login: "ok-login", Name: "N", Roles: []atip.Role{atip.RoleAnalyst}}, testPassword, "org_id"},
			{"unknown org", atip.User{OrgID: atip.NewID(), Login: "ok-login", Name: "N", Roles: []atip.Role{atip.RoleAnalyst}}, testPassword, "org_id"},
			{"short login", atip.User{OrgID: w.orgA.ID, Login: "ab", Name: "N", Roles: []atip.Role{atip.RoleAnalyst}}, testPassword, "login"},
			{"login with space", atip.User{OrgID: w.orgA.ID, Login: "a b c", Name: "N", Roles: []atip.Role{atip.RoleAnalyst}}, testPassword, "login"},
			{"no name", atip.User{OrgID: w.orgA.ID, Login: "ok-login", Roles: []atip.Role{atip.RoleAnalyst}}, testPassword, "name"},
			{"no roles", atip.User{OrgID: w.orgA.ID, Login: "ok-login", Name: "N"}, testPassword, "roles"},
			{"bad role", atip.User{OrgID: w.orgA.ID, Login: "ok-login", Name: "N", Roles: []atip.Role{"god"}}, testPassword, "roles"},
			{"bad lang", atip.User{OrgID: w.orgA.ID, Login: "ok-login", Name: "N", Roles: []atip.Role{atip.RoleAnalyst}, Lang: "fr"}, testPassword, "lang"},
			{"short password", atip.User{OrgID: w.orgA.ID, Login: "ok-login", Name: "N", Roles: []atip.Role{atip.RoleAnalyst}}, "short", "password"},
			{"password has login", atip.User{OrgID: w.orgA.ID, Login: "ok-login", Name: "N", Roles: []atip.Role{atip.RoleAnalyst}}, "my-OK-LOGIN-is-great", "password"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := tc.user
				wantField(t, w.users.CreateUser(w.op, &u, tc.pw), tc.field)
			})
		}
		dup := &atip.User{OrgID: w.orgB.ID, Login: "a-CASEWORKER", Name: "Other", Roles: []atip.Role{atip.RoleAnalyst}}
		wantCode(t, w.users.CreateUser(w.op, dup, testPassword), atip.ECONFLICT)
	})
}

func TestUserPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		newUser := func(org *atip.Org, roles ...atip.Role) *atip.User {
			return &atip.User{OrgID: org.ID, Login: "new-" + atip.NewID()[24:], Name: "New", Roles: roles}
		}
		// Org admins create users in their own organisation only, and never
		// platform admins.
		if err := w.users.CreateUser(w.as("A", atip.RoleOrgAdmin), newUser(w.orgA, atip.RoleCaseworker), testPassword); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.users.CreateUser(w.as("A", atip.RoleOrgAdmin), newUser(w.orgB, atip.RoleCaseworker), testPassword), atip.EFORBIDDEN)
		wantCode(t, w.users.CreateUser(w.as("A", atip.RoleOrgAdmin), newUser(w.orgA, atip.RolePlatformAdmin), testPassword), atip.EFORBIDDEN)
		// The auditor reads every organisation's trail: an org admin granting
		// it would reach beyond their organisation.
		wantCode(t, w.users.CreateUser(w.as("A", atip.RoleOrgAdmin), newUser(w.orgA, atip.RoleAuditor), testPassword), atip.EFORBIDDEN)
		if err := w.users.CreateUser(w.as("B", atip.RolePlatformAdmin), newUser(w.orgA, atip.RoleAuditor), testPassword); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.users.CreateUser(w.as("A", atip.RoleCaseworker), newUser(w.orgA, atip.RoleCaseworker), testPassword), atip.EFORBIDDEN)

		target := w.u["A"][atip.RoleCaseworker]
		for _, tc := range []struct {
			who  string
			role atip.Role
			code string // "" when visible
		}{
			{"A", atip.RolePlatformAdmin, ""},
			{"B", atip.RolePlatformAdmin, ""},
			{"A", atip.RoleOrgAdmin, ""},
			{"A", atip.RoleSupervisor, ""},
			{"B", atip.RoleOrgAdmin, atip.ENOTFOUND}, // another organisation's user is "not found"
			{"B", atip.RoleSupervisor, atip.ENOTFOUND},
			{"A", atip.RoleAnalyst, atip.ENOTFOUND}, // no user.view at all
			{"A", atip.RoleCaseworker, ""},          // themselves
		} {
			_, err := w.users.FindUserByID(w.as(tc.who, tc.role), target.ID)
			if atip.ErrorCode(err) != tc.code {
				t.Errorf("%s %s finds A's caseworker: %v, want code %q", tc.who, tc.role, err, tc.code)
			}
			_, err = w.users.FindUserByLogin(w.as(tc.who, tc.role), "A-CaseWorker")
			if atip.ErrorCode(err) != tc.code {
				t.Errorf("%s %s finds A's caseworker by login: %v, want code %q", tc.who, tc.role, err, tc.code)
			}
		}

		// Lists hold only what the actor may see.
		for _, tc := range []struct {
			who  string
			role atip.Role
			want int
		}{
			{"A", atip.RolePlatformAdmin, 2*len(atip.Roles) + 2},
			{"B", atip.RoleOrgAdmin, len(atip.Roles)},
			{"A", atip.RoleOrgAdmin, len(atip.Roles) + 2},
			{"A", atip.RoleAnalyst, 1},
		} {
			n, after := 0, ""
			for {
				page, next, err := w.users.FindUsers(w.as(tc.who, tc.role), atip.UserFilter{After: after, Limit: 4})
				if err != nil {
					t.Fatal(err)
				}
				n += len(page)
				if next == "" {
					break
				}
				after = next
			}
			if n != tc.want {
				t.Errorf("%s %s lists %d users, want %d", tc.who, tc.role, n, tc.want)
			}
		}
		got, _, err := w.users.FindUsers(w.op, atip.UserFilter{Role: atip.RoleAuditor})
		if err != nil || len(got) != 3 {
			t.Errorf("filter by role: %d users, %v", len(got), err)
		}
		got, _, err = w.users.FindUsers(w.op, atip.UserFilter{Query: "b-org_ad"})
		if err != nil || len(got) != 1 || got[0].ID != w.u["B"][atip.RoleOrgAdmin].ID {
			t.Errorf("search by login: %v, %v", got, err)
		}

		// Updates: self may rename; roles need an admin; nobody disables themselves.
		name := "Renamed"
		if _, err := w.users.UpdateUser(w.as("A", atip.RoleCaseworker), target.ID, atip.UserUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		roles := []atip.Role{atip.RoleSupervisor}
		_, err = w.users.UpdateUser(w.as("A", atip.RoleCaseworker), target.ID, atip.UserUpdate{Roles: &roles})
		wantCode(t, err, atip.EFORBIDDEN)
		_, err = w.users.UpdateUser(w.as("B", atip.RoleOrgAdmin), target.ID, atip.UserUpdate{Roles: &roles})
		wantCode(t, err, atip.ENOTFOUND)
		u, err := w.users.UpdateUser(w.as("A", atip.RoleOrgAdmin), target.ID, atip.UserUpdate{Roles: &roles})
		if err != nil || !u.HasRole(atip.RoleSupervisor) || u.HasRole(atip.RoleCaseworker) {
			t.Fatalf("org admin changes roles: %+v %v", u, err)
		}
		yes := true
		_, err = w.users.UpdateUser(w.as("A", atip.RoleOrgAdmin), w.u["A"][atip.RoleOrgAdmin].ID, atip.UserUpdate{Disabled: &yes})
		wantCode(t, err, atip.EFORBIDDEN)
		auditorRole := []atip.Role{atip.RoleAuditor}
		_, err = w.users.UpdateUser(w.as("A", atip.RoleOrgAdmin), target.ID, atip.UserUpdate{Roles: &auditorRole})
		wantCode(t, err, atip.EFORBIDDEN)
		plain := []atip.Role{atip.RoleAnalyst}
		_, err = w.users.UpdateUser(w.as("A", atip.RoleOrgAdmin), w.u["A"][atip.RoleAuditor].ID, atip.UserUpdate{Roles: &plain})
		wantCode(t, err, atip.EFORBIDDEN)
		bad := []atip.Role{"god"}
		_, err = w.users.UpdateUser(w.as("A", atip.RoleOrgAdmin), target.ID, atip.UserUpdate{Roles: &bad})
		wantField(t, err, "roles")
	})
}
