package policy

import (
	"fmt"
	"testing"
	"time"

	"atip"
)

// listFixture builds a page of n mixed records as an AHTU supervisor would
// meet them in a search: some its own, some referred to it, some through its
// groups, some platform-wide, some it must not see — with consents on each.
func listFixture(n int) (*atip.Actor, Holdings, []*atip.RecordMeta) {
	a := actor("u-ahtu", ahtu, atip.RoleSupervisor)
	var h Holdings
	for i := range 10 {
		g := liveGroup()
		g.ID = fmt.Sprintf("grp-%d", i)
		h.Groups = append(h.Groups, g)
	}
	tlps := atip.TLPs
	metas := make([]*atip.RecordMeta, n)
	for i := range n {
		ref := atip.RecordRef{Type: atip.RecordCase, ID: fmt.Sprintf("rec-%05d", i)}
		m := &atip.RecordMeta{
			Ref: ref, OwnerOrgID: ngo.ID, Distribution: atip.Distributions[i%3], TLP: tlps[i%5],
			GroupIDs: []string{fmt.Sprintf("grp-%d", i%20), "grp-x"}, Child: i%4 == 0,
			Consents: []atip.Consent{{Purposes: []atip.Purpose{atip.PurposeCare, atip.PurposeInvestigation},
				OrgIDs: []string{cwc.ID, ahtu.ID}, GivenBy: atip.GivenByGuardian, GivenAt: t0.Add(-time.Hour)}},
		}
		switch i % 10 {
		case 0, 1, 2:
			m.OwnerOrgID = ahtu.ID
		case 3, 4:
			h.Referrals = append(h.Referrals, &atip.Referral{Record: ref, ToOrgID: ahtu.ID, ToUserIDs: []string{"u-ahtu"},
				Classes: []atip.FieldClass{atip.ClassIdentity, atip.ClassHealth}, Purpose: atip.PurposeInvestigation,
				AcceptedAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(time.Hour)})
		case 5:
			h.BreakGlass = append(h.BreakGlass, &atip.BreakGlass{Record: ref, UserID: "u-ahtu",
				Classes: []atip.FieldClass{atip.ClassContact}, StartedAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(time.Hour)})
		}
		metas[i] = m
	}
	return a, h, metas
}

// BenchmarkPolicyList1000 is the cost of deciding the view of a page of
// 1,000 mixed records for one actor, once its holdings are loaded.
func BenchmarkPolicyList1000(b *testing.B) {
	a, h, metas := listFixture(1000)
	s := NewSubject(a, h, t0)
	out := make([]View, 0, len(metas))
	b.ReportAllocs()
	for b.Loop() {
		out = s.Views(metas, out[:0])
	}
	levels := map[Level]int{}
	for _, v := range out {
		levels[v.Level]++
	}
	if levels[LevelNone] == 0 || levels[LevelRedacted] == 0 || levels[LevelFull] == 0 {
		b.Fatalf("the fixture should mix levels: %v", levels)
	}
}

// BenchmarkNewSubject1000 is the per-request preparation for an actor whose
// organisation holds 10 groups and hundreds of referrals.
func BenchmarkNewSubject1000(b *testing.B) {
	a, h, _ := listFixture(1000)
	b.ReportAllocs()
	for b.Loop() {
		NewSubject(a, h, t0)
	}
}
