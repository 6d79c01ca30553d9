package database_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/policy"
)

// groupWorld is the two-organisation world plus a third organisation C with
// an admin, on a database whose clock the test moves.
type groupWorld struct {
	*world
	clock  *dbtest.Clock
	groups *database.GroupService
	orgC   *atip.Org
	adminC *atip.User
}

func newGroupWorld(t *testing.T, e database.Engine) *groupWorld {
	t.Helper()
	clock := dbtest.NewClock(t0)
	db := dbtest.Open(t, e, database.WithClock(clock.Now))
	w := &groupWorld{world: newWorld(t, db), clock: clock, groups: database.NewGroupService(db)}
	w.orgC = &atip.Org{Name: "Test Police Dhaka", Type: atip.OrgPolice, Jurisdiction: "BD"}
	if err := w.orgs.CreateOrg(w.op, w.orgC); err != nil {
		t.Fatal(err)
	}
	w.adminC = &atip.User{OrgID: w.orgC.ID, Login: "C-admin", Name: "Test admin C", Roles: []atip.Role{atip.RoleOrgAdmin}}
	if err := w.users.CreateUser(w.op, w.adminC, testPassword); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *groupWorld) asC() context.Context {
	return atip.NewContextWithActor(context.Background(), &atip.Actor{User: w.adminC, Org: w.orgC, Via: atip.ViaWeb})
}

func newGroup(expires time.Time) *atip.SharingGroup {
	return &atip.SharingGroup{Name: "  India–Nepal border   task force ", Purpose: "Rescue coordination at the border",
		Agreement: "Members use shared records only to coordinate rescues.\r\nNo onward sharing.", ExpiresAt: expires}
}

// status returns org's membership status in the group as the owner sees it.
func (w *groupWorld) status(t *testing.T, groupID, orgID string) atip.MemberStatus {
	t.Helper()
	g, err := w.groups.FindGroupByID(w.as("A", atip.RoleOrgAdmin), groupID)
	if err != nil {
		t.Fatal(err)
	}
	if m := g.Member(orgID); m != nil {
		return m.Status
	}
	return ""
}

// sees reports whether the context's actor finds the group, by id and in
// its list; the two must agree.
func (w *groupWorld) sees(t *testing.T, ctx context.Context, groupID string) bool {
	t.Helper()
	_, err := w.groups.FindGroupByID(ctx, groupID)
	if err != nil && atip.ErrorCode(err) != atip.ENOTFOUND {
		t.Fatal(err)
	}
	list, lerr := w.groups.FindGroups(ctx)
	if lerr != nil {
		t.Fatal(lerr)
	}
	listed := false
	for _, g := range list {
		listed = listed || g.ID == groupID
	}
	if listed != (err == nil) {
		t.Fatalf("found by id: %v, listed: %v", err == nil, listed)
	}
	return err == nil
}

func TestGroupCreateValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		groups := database.NewGroupService(db)
		admin := w.as("A", atip.RoleOrgAdmin)
		now := time.Now()
		for _, tc := range []struct {
			name  string
			edit  func(*atip.SharingGroup)
			field string
		}{
			{"no name", func(g *atip.SharingGroup) { g.Name = " " }, "name"},
			{"no purpose", func(g *atip.SharingGroup) { g.Purpose = "" }, "purpose"},
			{"no agreement", func(g *atip.SharingGroup) { g.Agreement = "\n" }, "agreement"},
			{"expired", func(g *atip.SharingGroup) { g.ExpiresAt = now.Add(-time.Hour) }, "expires_at"},
			{"too far ahead", func(g *atip.SharingGroup) { g.ExpiresAt = now.Add(3 * 365 * 24 * time.Hour) }, "expires_at"},
			{"long name", func(g *atip.SharingGroup) { g.Name = strings.Repeat("न", 201) }, "name"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				g := newGroup(now.Add(30 * 24 * time.Hour))
				tc.edit(g)
				wantField(t, groups.CreateGroup(admin, g), tc.field)
			})
		}
		for _, r := range []atip.Role{atip.RoleCaseworker, atip.RoleSupervisor, atip.RolePlatformAdmin, atip.RoleAuditor} {
			wantCode(t, groups.CreateGroup(w.as("A", r), newGroup(now.Add(time.Hour))), atip.EFORBIDDEN)
		}
		wantCode(t, groups.CreateGroup(w.op, newGroup(now.Add(time.Hour))), atip.EFORBIDDEN)
		wantCode(t, groups.CreateGroup(context.Background(), newGroup(now.Add(time.Hour))), atip.EUNAUTHORIZED)
	})
}

func TestGroupLifecycle(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			w := newGroupWorld(t, e)
			adminA, adminB, workerB := w.as("A", atip.RoleOrgAdmin), w.as("B", atip.RoleOrgAdmin), w.as("B", atip.RoleCaseworker)
			g := newGroup(t0.Add(90 * 24 * time.Hour))
			if err := w.groups.CreateGroup(adminA, g); err != nil {
				t.Fatal(err)
			}
			if g.Name != "India–Nepal border task force" || g.OwnerOrgID != w.orgA.ID || len(g.Members) != 1 || g.Members[0].Status != atip.MemberAccepted {
				t.Fatalf("created group: %+v", g)
			}
			got, err := w.groups.FindGroupByID(w.as("A", atip.RoleCaseworker), g.ID)
			if err != nil || got.Agreement != "Members use shared records only to coordinate rescues.\nNo onward sharing." || !got.ExpiresAt.Equal(g.ExpiresAt) {
				t.Fatalf("a caseworker of the owner reads the group: %v %+v", err, got)
			}

			// Not invited: the group does not exist for B or C.
			for _, ctx := range []context.Context{adminB, workerB, w.asC()} {
				if w.sees(t, ctx, g.ID) {
					t.Fatal("an organisation that was never invited sees the group")
				}
			}
			_, err = w.groups.AnswerGroup(adminB, g.ID, atip.MemberAccepted)
			wantCode(t, err, atip.ENOTFOUND)
			_, err = w.groups.InviteOrgs(adminB, g.ID, []string{w.orgB.ID})
			wantCode(t, err, atip.ENOTFOUND)
			_, err = w.groups.FindGroupByID(adminA, atip.NewID())
			wantCode(t, err, atip.ENOTFOUND)

			// Only the owner's admin invites; unknown organisations are refused.
			_, err = w.groups.InviteOrgs(w.as("A", atip.RoleSupervisor), g.ID, []string{w.orgB.ID})
			wantCode(t, err, atip.EFORBIDDEN)
			_, err = w.groups.InviteOrgs(adminA, g.ID, []string{atip.NewID()})
			wantField(t, err, "org_ids")
			_, err = w.groups.InviteOrgs(adminA, g.ID, nil)
			wantField(t, err, "org_ids")
			if _, err := w.groups.InviteOrgs(adminA, g.ID, []string{w.orgB.ID, w.orgC.ID, w.orgB.ID}); err != nil {
				t.Fatal(err)
			}
			_, err = w.groups.InviteOrgs(adminA, g.ID, []string{w.orgB.ID})
			wantCode(t, err, atip.ECONFLICT)
			if !w.sees(t, adminB, g.ID) || !w.sees(t, workerB, g.ID) || !w.sees(t, w.asC(), g.ID) {
				t.Fatal("invited organisations do not see the invitation")
			}

			// Nobody answers for another organisation: the owner's admin
			// cannot accept (A's own membership is what it would change), a
			// caseworker of B may not, and C's answer changes only C.
			_, err = w.groups.AnswerGroup(adminA, g.ID, atip.MemberAccepted)
			wantCode(t, err, atip.ECONFLICT)
			_, err = w.groups.AnswerGroup(workerB, g.ID, atip.MemberAccepted)
			wantCode(t, err, atip.EFORBIDDEN)
			if _, err := w.groups.AnswerGroup(w.asC(), g.ID, atip.MemberDeclined); err != nil {
				t.Fatal(err)
			}
			if s := w.status(t, g.ID, w.orgB.ID); s != atip.MemberInvited {
				t.Fatalf("B after C declined: %s", s)
			}
			if w.sees(t, w.asC(), g.ID) {
				t.Fatal("C still sees the group it declined")
			}
			_, err = w.groups.AnswerGroup(adminB, g.ID, atip.MemberLeft)
			wantCode(t, err, atip.ECONFLICT)
			accepted, err := w.groups.AnswerGroup(adminB, g.ID, atip.MemberAccepted)
			if err != nil {
				t.Fatal(err)
			}
			if m := accepted.Member(w.orgB.ID); m.Status != atip.MemberAccepted || m.AnsweredBy != w.u["B"][atip.RoleOrgAdmin].ID || !m.AnsweredAt.Equal(t0) {
				t.Fatalf("B's membership after accepting: %+v", m)
			}
			if !policy.LiveMember(accepted, w.orgB.ID, w.clock.Now()) {
				t.Fatal("B accepted but is not a live member")
			}

			// A declined organisation may be invited again.
			if _, err := w.groups.InviteOrgs(adminA, g.ID, []string{w.orgC.ID}); err != nil {
				t.Fatal(err)
			}
			if !w.sees(t, w.asC(), g.ID) || w.status(t, g.ID, w.orgC.ID) != atip.MemberInvited {
				t.Fatal("C does not see its second invitation")
			}

			// Leaving ends access at once; the owner cannot leave.
			w.clock.Advance(time.Hour)
			if _, err := w.groups.AnswerGroup(adminB, g.ID, atip.MemberLeft); err != nil {
				t.Fatal(err)
			}
			if w.sees(t, workerB, g.ID) {
				t.Fatal("B still sees the group it left")
			}
			_, err = w.groups.AnswerGroup(adminA, g.ID, atip.MemberLeft)
			wantCode(t, err, atip.ECONFLICT)
			if _, err := w.groups.InviteOrgs(adminA, g.ID, []string{w.orgB.ID}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.groups.AnswerGroup(adminB, g.ID, atip.MemberAccepted); err != nil {
				t.Fatal(err)
			}

			// The expiry ends it for every member at once; the owner still
			// sees it, and may renew it.
			w.clock.Advance(90 * 24 * time.Hour)
			if w.sees(t, workerB, g.ID) || w.sees(t, w.asC(), g.ID) {
				t.Fatal("members see an expired group")
			}
			_, err = w.groups.AnswerGroup(w.asC(), g.ID, atip.MemberAccepted)
			wantCode(t, err, atip.ENOTFOUND)
			if !w.sees(t, adminA, g.ID) {
				t.Fatal("the owner lost its expired group")
			}
			_, err = w.groups.SetGroupExpiry(adminB, g.ID, w.clock.Now().Add(time.Hour))
			wantCode(t, err, atip.ENOTFOUND)
			_, err = w.groups.SetGroupExpiry(adminA, g.ID, w.clock.Now().Add(-time.Hour))
			wantField(t, err, "expires_at")
			if _, err := w.groups.SetGroupExpiry(adminA, g.ID, w.clock.Now().Add(30*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if !w.sees(t, workerB, g.ID) {
				t.Fatal("a renewed group is not back for its accepted member")
			}

			// Every change is audited, naming the organisation concerned.
			es, _, err := database.NewAuditService(w.db).FindAuditEntries(w.op, atip.AuditFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			n := map[string]int{}
			for _, e := range es {
				if e.RecordType == "sharing_group" {
					if e.RecordID != g.ID {
						t.Errorf("audit entry %s names %s", e.Action, e.RecordID)
					}
					n[e.Action]++
				}
			}
			want := map[string]int{"group.create": 1, "group.invite": 4, "group.decline": 1, "group.accept": 2, "group.leave": 1, "group.expiry": 1}
			for a, k := range want {
				if n[a] != k {
					t.Errorf("%d %s entries, want %d (all: %v)", n[a], a, k, n)
				}
			}
		})
	}
}
