package policy

import (
	"context"
	"testing"
	"time"

	"atip"
)

// Who sees a sharing group: the organisation that runs it always (to renew
// or wind it up), invited and accepted members until it expires, and nobody
// else — declining and leaving make it vanish.
func TestSeesGroup(t *testing.T) {
	exp := t0.Add(30 * 24 * time.Hour)
	g := group(exp, map[string]atip.MemberStatus{
		ngo.ID: atip.MemberAccepted, ahtu.ID: atip.MemberInvited, nepal.ID: atip.MemberAccepted,
		border.ID: atip.MemberDeclined, cwc.ID: atip.MemberLeft,
	})
	operator := atip.ActorFromContext(atip.OperatorContext(context.Background()))
	disabled := actor("u-ngo-off", ngo, atip.RoleCaseworker)
	disabled.User.Disabled = true
	tests := []struct {
		name   string
		a      *atip.Actor
		at     time.Time
		sees   bool
		member bool // LiveMember of the actor's organisation
	}{
		{"owner", actor("u-ngo", ngo, atip.RoleCaseworker), t0, true, true},
		{"owner after expiry", actor("u-ngo", ngo, atip.RoleCaseworker), exp, true, false},
		{"invited", actor("u-ahtu", ahtu, atip.RoleAnalyst), t0, true, false},
		{"invited after expiry", actor("u-ahtu", ahtu, atip.RoleOrgAdmin), exp, false, false},
		{"accepted foreign counterpart", actor("u-np", nepal, atip.RoleFirstResponder), t0, true, true},
		{"accepted, a moment before expiry", actor("u-np", nepal, atip.RoleCaseworker), exp.Add(-time.Microsecond), true, true},
		{"accepted at expiry", actor("u-np", nepal, atip.RoleCaseworker), exp, false, false},
		{"declined", actor("u-bop", border, atip.RoleOrgAdmin), t0, false, false},
		{"left", actor("u-cwc", cwc, atip.RoleOrgAdmin), t0, false, false},
		{"disabled user of the owner (the organisation stays a member)", disabled, t0, false, true},
		{"operator", operator, t0, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NewSubject(tc.a, Holdings{}, tc.at).SeesGroup(g); got != tc.sees {
				t.Errorf("SeesGroup = %v, want %v", got, tc.sees)
			}
			org := ""
			if tc.a.User != nil {
				org = tc.a.User.OrgID
			}
			if got := LiveMember(g, org, tc.at); got != tc.member {
				t.Errorf("LiveMember = %v, want %v", got, tc.member)
			}
		})
	}
}
