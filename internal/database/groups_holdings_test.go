package database_test

import (
	"context"
	"testing"
	"time"

	"atip"
	"atip/internal/database/dbtest"
	"atip/internal/policy"
)

// TestHoldingsFollowMembership checks the loader end to end with the
// policy: a record distributed to a group reaches a member organisation's
// users (redacted) only while it is an accepted member of a live group.
func TestHoldingsFollowMembership(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			w := newGroupWorld(t, e)
			adminA, adminB := w.as("A", atip.RoleOrgAdmin), w.as("B", atip.RoleOrgAdmin)
			workerB := atip.ActorFromContext(w.as("B", atip.RoleCaseworker))
			g := newGroup(t0.Add(30 * 24 * time.Hour))
			if err := w.groups.CreateGroup(adminA, g); err != nil {
				t.Fatal(err)
			}
			rec := &atip.RecordMeta{Ref: atip.RecordRef{Type: atip.RecordCase, ID: atip.NewID()}, OwnerOrgID: w.orgA.ID,
				Distribution: atip.DistGroups, TLP: atip.TLPAmber, GroupIDs: []string{g.ID}}
			level := func() (policy.Level, int) {
				t.Helper()
				h, err := w.db.Holdings(context.Background(), workerB)
				if err != nil {
					t.Fatal(err)
				}
				return policy.NewSubject(workerB, h, w.clock.Now()).View(rec).Level, len(h.Groups)
			}
			steps := []struct {
				name   string
				do     func() error
				level  policy.Level
				groups int
			}{
				{"not invited", func() error { return nil }, policy.LevelNone, 0},
				{"invited", func() error { _, err := w.groups.InviteOrgs(adminA, g.ID, []string{w.orgB.ID}); return err }, policy.LevelNone, 0},
				{"accepted", func() error { _, err := w.groups.AnswerGroup(adminB, g.ID, atip.MemberAccepted); return err }, policy.LevelRedacted, 1},
				{"left", func() error { _, err := w.groups.AnswerGroup(adminB, g.ID, atip.MemberLeft); return err }, policy.LevelNone, 0},
				{"invited again and accepted", func() error {
					if _, err := w.groups.InviteOrgs(adminA, g.ID, []string{w.orgB.ID}); err != nil {
						return err
					}
					_, err := w.groups.AnswerGroup(adminB, g.ID, atip.MemberAccepted)
					return err
				}, policy.LevelRedacted, 1},
				{"expired", func() error { w.clock.Advance(30 * 24 * time.Hour); return nil }, policy.LevelNone, 0},
			}
			for _, s := range steps {
				if err := s.do(); err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if l, n := level(); l != s.level || n != s.groups {
					t.Fatalf("%s: level %s with %d live groups, want %s with %d", s.name, l, n, s.level, s.groups)
				}
			}
			// The owner's users see it in full whatever the group does.
			owner := atip.ActorFromContext(w.as("A", atip.RoleCaseworker))
			h, err := w.db.Holdings(context.Background(), owner)
			if err != nil {
				t.Fatal(err)
			}
			if l := policy.NewSubject(owner, h, w.clock.Now()).View(rec).Level; l != policy.LevelFull {
				t.Fatalf("the owner's caseworker: %s", l)
			}
		})
	}
}
