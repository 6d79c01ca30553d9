package policy

import (
	"slices"
	"time"

	"atip"
)

// Holdings are the sharing relations of the actor's organisation (and the
// actor's own break-glass accesses). A service loads them once per request —
// three small queries, whatever the number of records on the page — and
// passes them to NewSubject. Include expired, declined, left and revoked
// rows or not, as is convenient: the policy checks every status and expiry
// itself.
type Holdings struct {
	Groups     []*atip.SharingGroup // the groups the organisation was invited to
	Referrals  []*atip.Referral     // referrals and access grants made to the organisation
	BreakGlass []*atip.BreakGlass   // the actor's own break-glass accesses
}

// Subject is an actor prepared for record decisions at one instant: its
// rights, its organisation's live groups and referrals indexed for lookups.
// Deciding for a record is then pure computation with no I/O, so a page of a
// thousand records costs a thousand map lookups, not a thousand queries.
//
// A Subject fixes the time it was made for: make a new one per request.
type Subject struct {
	userID, orgID string
	operator      bool
	disabled      bool
	foreign       bool
	rights        rights
	roles         []atip.Role
	now           time.Time
	groups        map[string]struct{}
	referrals     map[atip.RecordRef][]*atip.Referral
	glass         map[atip.RecordRef][]*atip.BreakGlass
}

// NewSubject prepares the actor for record decisions at now. An actor whose
// Org is not set is treated as a foreign counterpart, the stricter reading:
// it receives nothing platform-wide.
func NewSubject(a *atip.Actor, h Holdings, now time.Time) *Subject {
	s := &Subject{now: now}
	switch {
	case a.IsOperator():
		s.operator = true
		return s
	case a == nil || a.User == nil || a.User.Disabled:
		s.disabled = true
		return s
	}
	s.userID, s.orgID = a.User.ID, a.User.OrgID
	s.rights = rightsOf(a.User.Roles)
	s.roles = a.User.Roles
	if !s.rights.view.Has(atip.ClassReference) {
		// No role we know: a user who may see nothing is treated like a
		// disabled one, so that every answer is "not found", never "forbidden".
		s.disabled = true
		return s
	}
	s.foreign = a.Org == nil || a.Org.Type == atip.OrgForeignCounterpart || a.Org.Disabled
	if a.Org != nil && a.Org.Disabled {
		s.disabled = true
		return s
	}
	for _, g := range h.Groups {
		if liveMember(g, s.orgID, now) {
			if s.groups == nil {
				s.groups = make(map[string]struct{}, len(h.Groups))
			}
			s.groups[g.ID] = struct{}{}
		}
	}
	for _, r := range h.Referrals {
		if r.ToOrgID == s.orgID && r.Live(now) {
			if s.referrals == nil {
				s.referrals = make(map[atip.RecordRef][]*atip.Referral, len(h.Referrals))
			}
			s.referrals[r.Record] = append(s.referrals[r.Record], r)
		}
	}
	for _, b := range h.BreakGlass {
		if b.UserID == s.userID && b.Live(now) {
			if s.glass == nil {
				s.glass = make(map[atip.RecordRef][]*atip.BreakGlass)
			}
			s.glass[b.Record] = append(s.glass[b.Record], b)
		}
	}
	return s
}

// liveMember reports whether orgID is an accepted member of g at t, and g has
// not expired. A group without an expiry is treated as expired: every
// agreement has an end.
func liveMember(g *atip.SharingGroup, orgID string, t time.Time) bool {
	if !t.Before(g.ExpiresAt) {
		return false
	}
	m := g.Member(orgID)
	return m != nil && m.Status == atip.MemberAccepted && !m.AnsweredAt.After(t)
}

// Now is the instant the subject decides for.
func (s *Subject) Now() time.Time { return s.now }

// Level is how much of a record a view shows.
type Level uint8

const (
	LevelNone     Level = iota // the record does not exist for the actor: answer 404
	LevelRedacted              // the record without any protected class
	LevelFull                  // at least one protected class is shown
)

var levelNames = [...]string{"none", "redacted", "full"}

func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "invalid"
}

// View is what the actor may see of one record.
type View struct {
	Level    Level
	Relation Relation // the strongest relation that makes the record visible; RelNone when hidden
	Shown    ClassSet // the classes to show; every other field is withheld
	ByGlass  ClassSet // the part of Shown open only through break-glass: audit its reads with the mark
	Glass    ClassSet // withheld classes that break-glass could open now (to offer the button)
}

// Shows reports whether fields of class c are shown.
func (v View) Shows(c atip.FieldClass) bool { return v.Shown.Has(c) }

// Decision is the answer for one action on one class of one record.
type Decision struct {
	Effect     Effect
	Relation   Relation // the relation the answer rests on
	BreakGlass bool     // allowed only through an open break-glass: audit with the mark
}

// Allowed reports whether the action may go ahead.
func (d Decision) Allowed() bool { return d.Effect == Allow }

// standing is a subject's relations to one record, worked out once and then
// applied to each class.
type standing struct {
	owner      bool
	referral   bool
	scopeAny   ClassSet // classes named by some live referral
	scopeOK    ClassSet // classes named by a live referral that the person's consent covers
	group      bool
	wide       Relation // RelPlatform, or RelForeign for a foreign counterpart
	shared     ClassSet // classes the owner shares beyond referrals
	consentAny bool     // some live, valid consent exists (for share and transfer buttons)
}

func (s *Subject) stand(m *atip.RecordMeta) standing {
	st := standing{owner: m.OwnerOrgID == s.orgID, wide: RelPlatform}
	if s.foreign {
		st.wide = RelForeign
	}
	if refs := s.referrals[m.Ref]; len(refs) > 0 {
		for _, r := range refs {
			// A referral naming users reaches only them (an access grant
			// names its requester); a RED record goes to named users only.
			if len(r.ToUserIDs) > 0 && !slices.Contains(r.ToUserIDs, s.userID) ||
				len(r.ToUserIDs) == 0 && m.TLP == atip.TLPRed {
				continue
			}
			st.referral = true
			scope := Classes(r.Classes...) | setReference
			st.scopeAny |= scope
			if consentCovers(m, r.ToOrgID, s.groups, r.Purpose, s.now) {
				st.scopeOK |= scope
			} else {
				st.scopeOK |= scope &^ SetProtected
			}
		}
	}
	if len(s.groups) > 0 {
		for _, g := range m.GroupIDs {
			if _, ok := s.groups[g]; ok {
				st.group = true
				break
			}
		}
	}
	st.shared = (Classes(m.SharedClasses...) &^ SetProtected) | setReference
	if st.owner {
		st.consentAny = anyConsent(m, s.now)
	}
	return st
}

// visible reports whether any relation the subject holds lets it know the
// record exists; the same test the rule applies first, done once.
func (st *standing) visible(m *atip.RecordMeta) bool {
	return st.owner || st.referral ||
		st.group && visible(RelGroup, m.Distribution, m.TLP) ||
		visible(st.wide, m.Distribution, m.TLP)
}

// decide applies the rule to every relation the subject holds and keeps the
// most generous answer.
func (s *Subject) decide(m *atip.RecordMeta, st *standing, c atip.FieldClass, act RecordAction) Decision {
	sit := Situation{Distribution: m.Distribution, TLP: m.TLP, Class: c, Action: act}
	best := Decision{}
	try := func(rel Relation, inScope, consent bool) {
		sit.Relation, sit.InScope, sit.Consent = rel, inScope, consent
		if e := cell(&s.rights, sit); e > best.Effect {
			best = Decision{Effect: e, Relation: rel}
		}
	}
	if st.owner {
		try(RelOwner, true, st.consentAny)
	}
	if st.referral {
		ok := st.scopeOK.Has(c)
		try(RelReferral, ok || st.scopeAny.Has(c), ok)
	}
	if st.group {
		try(RelGroup, st.shared.Has(c), false)
	}
	try(st.wide, st.shared.Has(c), false)
	if best.Effect == Glass && s.glassOpen(m.Ref, c) {
		best.Effect, best.BreakGlass = Allow, true
	}
	return best
}

func (s *Subject) glassOpen(ref atip.RecordRef, c atip.FieldClass) bool {
	for _, b := range s.glass[ref] {
		if slices.Contains(b.Classes, c) {
			return true
		}
	}
	return false
}

// Decide answers whether the actor may do act to the fields of class c of
// the record. For record-wide actions (transfer, erase) pass
// atip.ClassReference. For share and transfer of a protected class the answer
// assumes a receiver the person's consent covers; CheckReferral and
// CheckTransfer decide for a named receiver.
func (s *Subject) Decide(m *atip.RecordMeta, act RecordAction, c atip.FieldClass) Decision {
	if s.operator {
		return Decision{Effect: Allow, Relation: RelOwner}
	}
	if s.disabled {
		return Decision{}
	}
	st := s.stand(m)
	return s.decide(m, &st, c, act)
}

// View returns what the actor may see of the record.
func (s *Subject) View(m *atip.RecordMeta) View {
	if s.operator {
		return View{Level: LevelFull, Relation: RelOwner, Shown: SetAll}
	}
	if s.disabled {
		return View{}
	}
	st := s.stand(m)
	if !st.visible(m) {
		return View{} // the common case in a search across organisations: no class to decide
	}
	var v View
	for _, c := range atip.FieldClasses {
		d := s.decide(m, &st, c, RecordView)
		bit := classBit(c)
		switch d.Effect {
		case Allow:
			v.Shown |= bit
			if d.BreakGlass {
				v.ByGlass |= bit
			}
		case Glass:
			v.Glass |= bit
		}
		if d.Effect > Hidden && d.Relation > v.Relation {
			v.Relation = d.Relation
		}
	}
	switch {
	case v.Shown&SetProtected != 0:
		v.Level = LevelFull
	case v.Shown != 0:
		v.Level = LevelRedacted
	}
	return v
}

// Views decides for a list of records at once, appending one View per record
// to out (pass a slice with capacity to avoid allocation) in the same order.
// Records whose Level is LevelNone must be left out of the list.
func (s *Subject) Views(ms []*atip.RecordMeta, out []View) []View {
	for _, m := range ms {
		out = append(out, s.View(m))
	}
	return out
}

// ListScope is what a store needs to pre-filter a list in SQL before the
// policy decides per record: the records the organisation owns, those it
// holds referrals for, those distributed to its groups, and — when Platform
// (or, for a foreign agency, ClearOnly) is set — the platform-wide ones. The
// filter may let through more than the policy allows (a referral's user
// list, a TLP that narrows a distribution); it must never let through less.
// Views has the last word.
type ListScope struct {
	All         bool // the operator: no filter
	None        bool // a disabled user: nothing
	OrgID       string
	GroupIDs    []string
	ReferralIDs []string // record ids
	Platform    bool     // records distributed platform-wide (TLP CLEAR or GREEN)
	ClearOnly   bool     // platform-wide records only when TLP:CLEAR (foreign counterparts)
}

// Scope returns the subject's list scope.
func (s *Subject) Scope() ListScope {
	switch {
	case s.operator:
		return ListScope{All: true}
	case s.disabled:
		return ListScope{None: true}
	}
	sc := ListScope{OrgID: s.orgID, Platform: true, ClearOnly: s.foreign}
	for g := range s.groups {
		sc.GroupIDs = append(sc.GroupIDs, g)
	}
	for ref := range s.referrals {
		sc.ReferralIDs = append(sc.ReferralIDs, ref.ID)
	}
	slices.Sort(sc.GroupIDs)
	slices.Sort(sc.ReferralIDs)
	return sc
}

// validGiver reports whether a consent given by g counts for the record: a
// child's consent comes from a guardian or the child welfare committee, never
// from the child alone.
func validGiver(m *atip.RecordMeta, g atip.ConsentGiver) bool {
	if m.Child {
		return g == atip.GivenByGuardian || g == atip.GivenByCWC
	}
	return g == atip.GivenByPerson || g == atip.GivenByGuardian
}

// consentCovers reports whether a live consent on the record covers
// disclosing protected data to orgID (or to a member of one of groups) for
// purpose at t.
func consentCovers(m *atip.RecordMeta, orgID string, groups map[string]struct{}, purpose atip.Purpose, t time.Time) bool {
	for i := range m.Consents {
		c := &m.Consents[i]
		if !c.Live(t) || !validGiver(m, c.GivenBy) || !slices.Contains(c.Purposes, purpose) {
			continue
		}
		if slices.Contains(c.OrgIDs, orgID) {
			return true
		}
		for _, g := range c.GroupIDs {
			if _, ok := groups[g]; ok {
				return true
			}
		}
	}
	return false
}

func anyConsent(m *atip.RecordMeta, t time.Time) bool {
	for i := range m.Consents {
		if c := &m.Consents[i]; c.Live(t) && validGiver(m, c.GivenBy) {
			return true
		}
	}
	return false
}

// CanApproveErasure reports whether the actor may approve the erasure of a
// record that requestedBy asked for: a second person, with the right to
// erase, at the owner.
func (s *Subject) CanApproveErasure(m *atip.RecordMeta, requestedBy string) bool {
	return s.Decide(m, RecordErase, atip.ClassReference).Allowed() && s.userID != requestedBy
}
