package policy

import (
	"slices"
	"strings"
	"time"

	"atip"
)

// GroupMaxDuration is the longest a sharing group's agreement runs before it
// must be renewed: long enough for a task force, short enough that forgotten
// groups close themselves.
const GroupMaxDuration = 2 * 365 * 24 * time.Hour

// orgAdminOf reports whether the subject is an organisation admin of orgID.
func (s *Subject) orgAdminOf(orgID string) bool {
	return s.operator || !s.disabled && s.orgID == orgID && slices.Contains(s.roles, atip.RoleOrgAdmin)
}

// CheckGroup decides whether the actor may create or change the sharing
// group g: an organisation admin of the group's owner, with a name, a
// purpose, the agreement text every member will accept, and an expiry.
func (s *Subject) CheckGroup(g *atip.SharingGroup) error {
	if !s.orgAdminOf(g.OwnerOrgID) {
		return forbidden("only an admin of the organisation that runs the group may change it")
	}
	var v atip.Invalid
	if strings.TrimSpace(g.Name) == "" {
		v.Add("name", "give the group a name")
	}
	if strings.TrimSpace(g.Purpose) == "" {
		v.Add("purpose", "say what the group shares for")
	}
	if strings.TrimSpace(g.Agreement) == "" {
		v.Add("agreement", "give the data-sharing agreement the members accept")
	}
	switch {
	case !g.ExpiresAt.After(s.now):
		v.Add("expires_at", "must be in the future")
	case g.ExpiresAt.Sub(s.now) > GroupMaxDuration:
		v.Add("expires_at", "may be at most two years ahead; renew the agreement then")
	}
	return v.Err()
}

// CheckInvite decides whether the actor may invite orgID to the group.
func (s *Subject) CheckInvite(g *atip.SharingGroup, orgID string) error {
	if !s.orgAdminOf(g.OwnerOrgID) {
		return forbidden("only an admin of the organisation that runs the group may invite")
	}
	if !s.now.Before(g.ExpiresAt) {
		return atip.Errorf(atip.EINVALID, "the group has expired")
	}
	if m := g.Member(orgID); m != nil && (m.Status == atip.MemberInvited || m.Status == atip.MemberAccepted) {
		return atip.Errorf(atip.ECONFLICT, "the organisation is already invited or a member")
	}
	return nil
}

// CheckAnswer decides whether the actor may accept or decline an invitation
// for its organisation, or leave a group it belongs to (to is the new
// status). Only the organisation's own admin answers for it; leaving is
// always possible and takes effect at once.
func (s *Subject) CheckAnswer(g *atip.SharingGroup, to atip.MemberStatus) error {
	m := g.Member(s.orgID)
	if m == nil || !s.orgAdminOf(s.orgID) {
		return forbidden("only an admin of an invited organisation may answer for it")
	}
	switch {
	case to == atip.MemberLeft && m.Status == atip.MemberAccepted:
		return nil
	case (to == atip.MemberAccepted || to == atip.MemberDeclined) && m.Status == atip.MemberInvited:
		if to == atip.MemberAccepted && !s.now.Before(g.ExpiresAt) {
			return atip.Errorf(atip.EINVALID, "the group has expired")
		}
		return nil
	}
	return atip.Errorf(atip.ECONFLICT, "cannot go from %s to %s", m.Status, to)
}

// SeesGroup reports whether the actor may see the sharing group g (its
// name, purpose, agreement and members): the organisation that runs it
// always, so that it can renew or wind it up; an accepted or invited member
// until the group expires. Organisations that declined or left, and everyone
// after the expiry, see nothing: the group does not exist for them.
func (s *Subject) SeesGroup(g *atip.SharingGroup) bool {
	if s.operator {
		return true
	}
	if s.disabled || s.orgID == "" {
		return false
	}
	if g.OwnerOrgID == s.orgID {
		return true
	}
	m := g.Member(s.orgID)
	return m != nil && (m.Status == atip.MemberInvited || m.Status == atip.MemberAccepted) && s.now.Before(g.ExpiresAt)
}

// LiveMember reports whether orgID is an accepted member of g at t and g
// has not expired: whether the group's records reach the organisation.
func LiveMember(g *atip.SharingGroup, orgID string, t time.Time) bool { return liveMember(g, orgID, t) }

// CheckConsent decides whether the actor may record the consent c on the
// record: users at the owner who may edit the person's identity, with a
// purpose, a receiver, how and by whom it was given — and for a child, a
// guardian or the CWC.
func (s *Subject) CheckConsent(m *atip.RecordMeta, c *atip.Consent) error {
	switch d := s.Decide(m, RecordEdit, atip.ClassIdentity); d.Effect {
	case Hidden:
		return notFound()
	case Deny, Glass:
		return forbidden("only the owning organisation's caseworkers record consent")
	}
	var v atip.Invalid
	if c.Record != m.Ref {
		v.Add("record", "the consent is for another record")
	}
	if len(c.Purposes) == 0 {
		v.Add("purposes", "name at least one purpose")
	}
	for _, p := range c.Purposes {
		if !p.Valid() {
			v.Add("purposes", "unknown purpose %q", p)
		}
	}
	if len(c.OrgIDs) == 0 && len(c.GroupIDs) == 0 {
		v.Add("org_ids", "name the organisations or groups the consent covers")
	}
	if c.Method != atip.ConsentVerbal && c.Method != atip.ConsentWritten {
		v.Add("method", "verbal or written")
	}
	switch {
	case m.Child && c.GivenBy != atip.GivenByGuardian && c.GivenBy != atip.GivenByCWC:
		v.Add("given_by", "a child's consent is given by a guardian or the child welfare committee")
	case !slices.Contains([]atip.ConsentGiver{atip.GivenByPerson, atip.GivenByGuardian, atip.GivenByCWC}, c.GivenBy):
		v.Add("given_by", "say who gave consent")
	case c.GivenBy == atip.GivenByGuardian && strings.TrimSpace(c.GuardianRelation) == "":
		v.Add("guardian_relation", "say who the guardian is to the person, e.g. mother")
	}
	if c.GivenAt.IsZero() || c.GivenAt.After(s.now) {
		v.Add("given_at", "must be a time in the past")
	}
	return v.Err()
}

// DefaultMarking returns the distribution and TLP for a new record of type t
// made by orgID: the organisation's default for the type, or owner-only and
// AMBER when it has none. A default wider than its TLP allows is narrowed.
func DefaultMarking(defaults []atip.SharingDefault, orgID string, t atip.RecordType) (atip.Distribution, atip.TLP) {
	for _, d := range defaults {
		if d.OrgID == orgID && d.RecordType == t && d.TLP.Valid() {
			return EffectiveDistribution(d.Distribution, d.TLP), d.TLP
		}
	}
	return atip.DistOwner, atip.TLPAmber
}

// RetentionDue reports whether a record of type t, created at created and
// closed at closed (zero while open, or for records that never close), has
// outlived its retention rule at now and should come up for erasure. With no
// rule for the type, records are kept.
func RetentionDue(rules []atip.RetentionRule, t atip.RecordType, created, closed, now time.Time) bool {
	for _, r := range rules {
		if r.RecordType != t || r.KeepFor <= 0 {
			continue
		}
		from := created
		if !closed.IsZero() {
			from = closed
		}
		return !now.Before(from.Add(r.KeepFor))
	}
	return false
}
