package atip

import (
	"testing"
	"time"
)

func TestTLPMaxDistribution(t *testing.T) {
	want := map[TLP]Distribution{
		TLPClear: DistPlatform, TLPGreen: DistPlatform, TLPAmber: DistGroups,
		TLPAmberStrict: DistOwner, TLPRed: DistOwner, "PURPLE": DistOwner,
	}
	for m, d := range want {
		if got := m.MaxDistribution(); got != d {
			t.Errorf("%s: %s, want %s", m, got, d)
		}
	}
}

func TestFieldClassProtected(t *testing.T) {
	for _, c := range FieldClasses {
		want := c != ClassReference && c != ClassOperational
		if c.Protected() != want {
			t.Errorf("%s.Protected() = %v", c, !want)
		}
	}
	if FieldClass("names").Protected() {
		t.Error("an unknown class must not pass as protected: it would escape the protected handling silently")
	}
}

// TestLiveBoundaries: every grant ends exactly at its expiry or revocation,
// not a moment later.
func TestLiveBoundaries(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	r := Referral{AcceptedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	checks := []struct {
		name string
		live bool
		want bool
	}{
		{"referral at acceptance", r.Live(t0), true},
		{"referral before acceptance", r.Live(t0.Add(-time.Second)), false},
		{"referral at expiry", r.Live(t0.Add(time.Hour)), false},
		{"referral revoked", (&Referral{AcceptedAt: t0, ExpiresAt: t0.Add(time.Hour), RevokedAt: t0.Add(time.Minute)}).Live(t0.Add(time.Minute)), false},
		{"referral declined", (&Referral{AcceptedAt: t0, DeclinedAt: t0, ExpiresAt: t0.Add(time.Hour)}).Live(t0), false},
		{"referral never accepted", (&Referral{ExpiresAt: t0.Add(time.Hour)}).Live(t0), false},
		{"consent in force", (&Consent{GivenAt: t0}).Live(t0), true},
		{"consent withdrawn", (&Consent{GivenAt: t0, WithdrawnAt: t0.Add(time.Minute)}).Live(t0.Add(time.Minute)), false},
		{"consent before it was given", (&Consent{GivenAt: t0}).Live(t0.Add(-time.Second)), false},
		{"break-glass open", (&BreakGlass{StartedAt: t0, ExpiresAt: t0.Add(time.Hour)}).Live(t0), true},
		{"break-glass at expiry", (&BreakGlass{StartedAt: t0, ExpiresAt: t0.Add(time.Hour)}).Live(t0.Add(time.Hour)), false},
	}
	for _, c := range checks {
		if c.live != c.want {
			t.Errorf("%s: live=%v, want %v", c.name, c.live, c.want)
		}
	}
}

func TestGroupMember(t *testing.T) {
	g := &SharingGroup{Members: []GroupMember{{OrgID: "a", Status: MemberAccepted}, {OrgID: "b", Status: MemberLeft}}}
	if m := g.Member("b"); m == nil || m.Status != MemberLeft {
		t.Errorf("Member(b) = %+v", m)
	}
	if g.Member("c") != nil {
		t.Error("an organisation never invited has a membership")
	}
}
