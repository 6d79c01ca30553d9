package policy

import (
	"testing"
	"time"

	"atip"
)

func TestGroupLifecycle(t *testing.T) {
	ngoAdmin := NewSubject(actor("u-ngo-adm", ngo, atip.RoleOrgAdmin), Holdings{}, t0)
	ngoSup := NewSubject(actor("u-ngo-sup", ngo, atip.RoleSupervisor), Holdings{}, t0)
	ahtuAdmin := NewSubject(actor("u-ahtu-adm", ahtu, atip.RoleOrgAdmin), Holdings{}, t0)
	ahtuCW := NewSubject(actor("u-ahtu-cw", ahtu, atip.RoleCaseworker), Holdings{}, t0)

	g := &atip.SharingGroup{ID: taskGrp, Name: "West Bengal AHTU network", Purpose: "rescue coordination",
		Agreement: "Members use shared records only for …", OwnerOrgID: ngo.ID, ExpiresAt: t0.Add(365 * 24 * time.Hour),
		Members: []atip.GroupMember{{OrgID: ngo.ID, Status: atip.MemberAccepted}}}
	wantErr(t, ngoAdmin.CheckGroup(g), "", "")
	wantErr(t, ngoSup.CheckGroup(g), atip.EFORBIDDEN, "")
	wantErr(t, ahtuAdmin.CheckGroup(g), atip.EFORBIDDEN, "")
	noAgreement := *g
	noAgreement.Agreement, noAgreement.ExpiresAt = " ", t0.Add(3*365*24*time.Hour)
	err := ngoAdmin.CheckGroup(&noAgreement)
	wantErr(t, err, atip.EINVALID, "agreement")
	wantErr(t, err, atip.EINVALID, "expires_at")

	wantErr(t, ngoAdmin.CheckInvite(g, ahtu.ID), "", "")
	g.Members = append(g.Members, atip.GroupMember{OrgID: ahtu.ID, Status: atip.MemberInvited})
	wantErr(t, ngoAdmin.CheckInvite(g, ahtu.ID), atip.ECONFLICT, "")

	// Only the invited organisation's admin answers for it.
	wantErr(t, ahtuCW.CheckAnswer(g, atip.MemberAccepted), atip.EFORBIDDEN, "")
	wantErr(t, ahtuAdmin.CheckAnswer(g, atip.MemberLeft), atip.ECONFLICT, "")
	wantErr(t, ahtuAdmin.CheckAnswer(g, atip.MemberAccepted), "", "")
	g.Members[1].Status = atip.MemberAccepted
	wantErr(t, ahtuAdmin.CheckAnswer(g, atip.MemberLeft), "", "")

	late := NewSubject(actor("u-ahtu-adm", ahtu, atip.RoleOrgAdmin), Holdings{}, g.ExpiresAt)
	g.Members[1].Status = atip.MemberInvited
	wantErr(t, late.CheckAnswer(g, atip.MemberAccepted), atip.EINVALID, "")
}

func TestCheckConsent(t *testing.T) {
	cw := NewSubject(actor("u-ngo", ngo, atip.RoleCaseworker), Holdings{}, t0)
	good := func() *atip.Consent {
		return &atip.Consent{Record: caseRef, Purposes: []atip.Purpose{atip.PurposeCare}, OrgIDs: []string{cwc.ID},
			Method: atip.ConsentVerbal, GivenBy: atip.GivenByPerson, GivenAt: t0.Add(-time.Hour)}
	}
	wantErr(t, cw.CheckConsent(record(), good()), "", "")

	child := record(func(m *atip.RecordMeta) { m.Child = true })
	wantErr(t, cw.CheckConsent(child, good()), atip.EINVALID, "given_by")
	byMother := good()
	byMother.GivenBy = atip.GivenByGuardian
	wantErr(t, cw.CheckConsent(child, byMother), atip.EINVALID, "guardian_relation")
	byMother.GuardianRelation = "mother"
	wantErr(t, cw.CheckConsent(child, byMother), "", "")

	empty := &atip.Consent{Record: caseRef}
	err := cw.CheckConsent(record(), empty)
	for _, f := range []string{"purposes", "org_ids", "method", "given_by", "given_at"} {
		wantErr(t, err, atip.EINVALID, f)
	}
	an := NewSubject(actor("u-ngo-an", ngo, atip.RoleAnalyst), Holdings{}, t0)
	wantErr(t, an.CheckConsent(record(), good()), atip.EFORBIDDEN, "")
	member := NewSubject(actor("u-ahtu", ahtu, atip.RoleCaseworker), Holdings{Groups: []*atip.SharingGroup{liveGroup()}}, t0)
	wantErr(t, member.CheckConsent(record(), good()), atip.EFORBIDDEN, "")
}

func TestDefaultMarking(t *testing.T) {
	defaults := []atip.SharingDefault{
		{OrgID: ahtu.ID, RecordType: atip.RecordTip, Distribution: atip.DistGroups, TLP: atip.TLPGreen},
		// A default wider than its marking allows is narrowed, not obeyed.
		{OrgID: ahtu.ID, RecordType: atip.RecordPerson, Distribution: atip.DistPlatform, TLP: atip.TLPRed},
	}
	tests := []struct {
		org  string
		typ  atip.RecordType
		dist atip.Distribution
		tlp  atip.TLP
	}{
		{ahtu.ID, atip.RecordTip, atip.DistGroups, atip.TLPGreen},
		{ahtu.ID, atip.RecordPerson, atip.DistOwner, atip.TLPRed},
		{ahtu.ID, atip.RecordCase, atip.DistOwner, atip.TLPAmber},
		{ngo.ID, atip.RecordTip, atip.DistOwner, atip.TLPAmber},
	}
	for _, tt := range tests {
		if d, m := DefaultMarking(defaults, tt.org, tt.typ); d != tt.dist || m != tt.tlp {
			t.Errorf("%s %s: %s %s, want %s %s", tt.org, tt.typ, d, m, tt.dist, tt.tlp)
		}
	}
}

func TestRetentionDue(t *testing.T) {
	year := 365 * 24 * time.Hour
	rules := []atip.RetentionRule{{RecordType: atip.RecordTip, KeepFor: year}, {RecordType: atip.RecordCase, KeepFor: 7 * year}}
	created := t0.Add(-3 * year)
	tests := []struct {
		name   string
		typ    atip.RecordType
		closed time.Time
		want   bool
	}{
		{"a tip past its year", atip.RecordTip, time.Time{}, true},
		{"a tip closed last month is kept", atip.RecordTip, t0.Add(-30 * 24 * time.Hour), false},
		{"a case closed three years ago is kept for seven", atip.RecordCase, created, false},
		{"no rule: kept", atip.RecordPerson, time.Time{}, false},
	}
	for _, tt := range tests {
		if got := RetentionDue(rules, tt.typ, created, tt.closed, t0); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
	if !RetentionDue(rules, atip.RecordTip, t0.Add(-year), time.Time{}, t0) {
		t.Error("due exactly at the end of the period")
	}
}
