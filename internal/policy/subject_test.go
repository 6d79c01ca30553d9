package policy

import (
	"testing"
	"time"

	"atip"
)

// The cast: an NGO shelter that owns the records, a district AHTU that works
// with it in a task-force group, a border unit on the platform with no other
// tie, and Nepal Police as a foreign counterpart in the same task force.
var (
	t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

	ngo     = &atip.Org{ID: "org-ngo", Type: atip.OrgShelterNGO}
	ahtu    = &atip.Org{ID: "org-ahtu", Type: atip.OrgAHTU}
	border  = &atip.Org{ID: "org-bop", Type: atip.OrgBorderUnit}
	nepal   = &atip.Org{ID: "org-np", Type: atip.OrgForeignCounterpart}
	cwc     = &atip.Org{ID: "org-cwc", Type: atip.OrgCWC}
	taskGrp = "grp-task"
)

func actor(id string, org *atip.Org, roles ...atip.Role) *atip.Actor {
	return &atip.Actor{User: &atip.User{ID: id, OrgID: org.ID, Roles: roles}, Org: org, Via: atip.ViaWeb}
}

// group returns the task-force group with the given member statuses,
// expiring at exp.
func group(exp time.Time, members map[string]atip.MemberStatus) *atip.SharingGroup {
	g := &atip.SharingGroup{ID: taskGrp, Name: "Border task force", OwnerOrgID: ngo.ID, ExpiresAt: exp}
	for org, st := range members {
		g.Members = append(g.Members, atip.GroupMember{OrgID: org, Status: st, AnsweredAt: t0.Add(-48 * time.Hour)})
	}
	return g
}

func liveGroup() *atip.SharingGroup {
	return group(t0.Add(90*24*time.Hour), map[string]atip.MemberStatus{
		ngo.ID: atip.MemberAccepted, ahtu.ID: atip.MemberAccepted, nepal.ID: atip.MemberAccepted,
	})
}

var caseRef = atip.RecordRef{Type: atip.RecordPerson, ID: "rec-1"}

// record is a person record of the NGO shared with the task force, AMBER.
func record(mut ...func(*atip.RecordMeta)) *atip.RecordMeta {
	m := &atip.RecordMeta{
		Ref: caseRef, OwnerOrgID: ngo.ID, Distribution: atip.DistGroups, TLP: atip.TLPAmber,
		GroupIDs: []string{taskGrp},
		Consents: []atip.Consent{{
			ID: "c1", Record: caseRef, Purposes: []atip.Purpose{atip.PurposeInvestigation},
			OrgIDs: []string{ahtu.ID}, Method: atip.ConsentWritten, GivenBy: atip.GivenByPerson,
			GivenAt: t0.Add(-72 * time.Hour),
		}},
	}
	for _, f := range mut {
		f(m)
	}
	return m
}

// referral is a live referral of identity and contact to the AHTU for
// investigation.
func referral(mut ...func(*atip.Referral)) *atip.Referral {
	r := &atip.Referral{
		ID: "ref-1", Kind: atip.KindReferral, Record: caseRef, FromOrgID: ngo.ID, ToOrgID: ahtu.ID,
		Classes: []atip.FieldClass{atip.ClassIdentity, atip.ClassContact}, Purpose: atip.PurposeInvestigation,
		GrantedAt: t0.Add(-24 * time.Hour), AcceptedAt: t0.Add(-23 * time.Hour), ExpiresAt: t0.Add(30 * 24 * time.Hour),
	}
	for _, f := range mut {
		f(r)
	}
	return r
}

var (
	identityContact = Classes(atip.ClassReference, atip.ClassIdentity, atip.ClassContact)
	redacted        = Classes(atip.ClassReference)
)

func TestViewSurprises(t *testing.T) {
	cw := atip.RoleCaseworker
	tests := []struct {
		name      string
		actor     *atip.Actor
		holdings  Holdings
		meta      *atip.RecordMeta
		at        time.Time // t0 when zero
		level     Level
		shown     ClassSet
		byGlass   ClassSet
		glassable bool // some protected class can be opened by break-glass
	}{
		{name: "owner caseworker sees everything",
			actor: actor("u-ngo", ngo, cw), meta: record(), level: LevelFull, shown: SetAll},
		{name: "owner analyst sees no personal data of its own records",
			actor: actor("u-ngo-an", ngo, atip.RoleAnalyst), meta: record(), level: LevelRedacted,
			shown: Classes(atip.ClassReference, atip.ClassOperational)},
		{name: "group member sees the redacted view and may break the glass",
			actor: actor("u-ahtu", ahtu, cw), holdings: Holdings{Groups: []*atip.SharingGroup{liveGroup()}},
			meta: record(), level: LevelRedacted, shown: redacted, glassable: true},
		{name: "operational detail reaches the group only when the owner shares it",
			actor: actor("u-ahtu", ahtu, cw), holdings: Holdings{Groups: []*atip.SharingGroup{liveGroup()}},
			meta: record(func(m *atip.RecordMeta) {
				m.SharedClasses = []atip.FieldClass{atip.ClassOperational, atip.ClassIdentity}
			}),
			level: LevelRedacted, shown: Classes(atip.ClassReference, atip.ClassOperational), glassable: true},
		{name: "referral holder sees the named classes within consent",
			actor: actor("u-ahtu", ahtu, cw), holdings: Holdings{Referrals: []*atip.Referral{referral()}},
			meta: record(), level: LevelFull, shown: identityContact, glassable: true},
		{name: "expired referral on an owner-only record: the record vanishes",
			actor: actor("u-ahtu", ahtu, cw), holdings: Holdings{Referrals: []*atip.Referral{referral()}},
			meta: record(func(m *atip.RecordMeta) { m.Distribution, m.GroupIDs = atip.DistOwner, nil }),
			at:   t0.Add(31 * 24 * time.Hour), level: LevelNone},
		{name: "expired referral inside a live group: back to the redacted view",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Referrals: []*atip.Referral{referral()},
				Groups: []*atip.SharingGroup{liveGroup()}},
			meta: record(), at: t0.Add(31 * 24 * time.Hour), level: LevelRedacted, shown: redacted, glassable: true},
		{name: "revoked referral gives nothing",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Referrals: []*atip.Referral{referral(func(r *atip.Referral) {
				r.RevokedAt = t0.Add(-time.Hour)
			})}},
			meta: record(func(m *atip.RecordMeta) { m.Distribution = atip.DistOwner }), level: LevelNone},
		{name: "referral not yet accepted gives nothing",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Referrals: []*atip.Referral{referral(func(r *atip.Referral) {
				r.AcceptedAt = time.Time{}
			})}},
			meta: record(func(m *atip.RecordMeta) { m.Distribution = atip.DistOwner }), level: LevelNone},
		{name: "withdrawn consent: the referral holder drops to the redacted view at once",
			actor: actor("u-ahtu", ahtu, cw), holdings: Holdings{Referrals: []*atip.Referral{referral()}},
			meta:  record(func(m *atip.RecordMeta) { m.Consents[0].WithdrawnAt = t0.Add(-time.Minute) }),
			level: LevelRedacted, shown: redacted, glassable: true},
		{name: "consent for another purpose does not cover the referral",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Referrals: []*atip.Referral{referral(func(r *atip.Referral) {
				r.Purpose = atip.PurposeProsecution
			})}},
			meta: record(), level: LevelRedacted, shown: redacted, glassable: true},
		{name: "consent through a group the receiver belongs to",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Referrals: []*atip.Referral{referral()},
				Groups: []*atip.SharingGroup{liveGroup()}},
			meta: record(func(m *atip.RecordMeta) {
				m.Consents[0].OrgIDs, m.Consents[0].GroupIDs = nil, []string{taskGrp}
			}),
			level: LevelFull, shown: identityContact, glassable: true},
		{name: "child record: the child's own consent does not cover sharing",
			actor: actor("u-ahtu", ahtu, cw), holdings: Holdings{Referrals: []*atip.Referral{referral()}},
			meta:  record(func(m *atip.RecordMeta) { m.Child = true }),
			level: LevelRedacted, shown: redacted, glassable: true},
		{name: "child record: a guardian's consent does",
			actor: actor("u-ahtu", ahtu, cw), holdings: Holdings{Referrals: []*atip.Referral{referral()}},
			meta: record(func(m *atip.RecordMeta) {
				m.Child = true
				m.Consents[0].GivenBy, m.Consents[0].GuardianRelation = atip.GivenByGuardian, "mother"
			}),
			level: LevelFull, shown: identityContact, glassable: true},
		{name: "left the group: the record vanishes at once",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Groups: []*atip.SharingGroup{group(t0.Add(time.Hour),
				map[string]atip.MemberStatus{ngo.ID: atip.MemberAccepted, ahtu.ID: atip.MemberLeft})}},
			meta: record(), level: LevelNone},
		{name: "invited but not accepted: nothing yet",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Groups: []*atip.SharingGroup{group(t0.Add(time.Hour),
				map[string]atip.MemberStatus{ngo.ID: atip.MemberAccepted, ahtu.ID: atip.MemberInvited})}},
			meta: record(), level: LevelNone},
		{name: "expired group: the record vanishes at the expiry",
			actor: actor("u-ahtu", ahtu, cw), holdings: Holdings{Groups: []*atip.SharingGroup{liveGroup()}},
			meta: record(), at: t0.Add(90 * 24 * time.Hour), level: LevelNone},
		{name: "foreign counterpart in the group sees the redacted view",
			actor: actor("u-np", nepal, cw), holdings: Holdings{Groups: []*atip.SharingGroup{liveGroup()}},
			meta: record(), level: LevelRedacted, shown: redacted, glassable: true},
		{name: "foreign counterpart receives nothing platform-wide GREEN",
			actor: actor("u-np", nepal, cw),
			meta: record(func(m *atip.RecordMeta) {
				m.Distribution, m.TLP = atip.DistPlatform, atip.TLPGreen
			}),
			level: LevelNone},
		{name: "foreign counterpart sees a platform-wide CLEAR record, redacted",
			actor: actor("u-np", nepal, cw),
			meta: record(func(m *atip.RecordMeta) {
				m.Distribution, m.TLP = atip.DistPlatform, atip.TLPClear
			}),
			level: LevelRedacted, shown: redacted},
		{name: "domestic platform member sees a platform-wide GREEN record, redacted, no break-glass",
			actor: actor("u-bop", border, atip.RoleFirstResponder),
			meta: record(func(m *atip.RecordMeta) {
				m.Distribution, m.TLP = atip.DistPlatform, atip.TLPGreen
			}),
			level: LevelRedacted, shown: redacted},
		{name: "RED marked platform-wide by mistake stays with the owner",
			actor: actor("u-bop", border, atip.RoleFirstResponder),
			meta: record(func(m *atip.RecordMeta) {
				m.Distribution, m.TLP = atip.DistPlatform, atip.TLPRed
			}),
			level: LevelNone},
		{name: "RED: a referral to the organisation does not reach an unnamed user",
			actor: actor("u-ahtu-2", ahtu, cw),
			holdings: Holdings{Referrals: []*atip.Referral{referral(func(r *atip.Referral) {
				r.ToUserIDs = []string{"u-ahtu"}
			})}},
			meta: record(func(m *atip.RecordMeta) { m.TLP = atip.TLPRed }), level: LevelNone},
		{name: "RED: the named user sees the referred classes, and cannot break the glass for more",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Referrals: []*atip.Referral{referral(func(r *atip.Referral) {
				r.ToUserIDs = []string{"u-ahtu"}
			})}},
			meta:  record(func(m *atip.RecordMeta) { m.TLP = atip.TLPRed }),
			level: LevelFull, shown: identityContact},
		{name: "open break-glass shows the opened classes, marked",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Groups: []*atip.SharingGroup{liveGroup()},
				BreakGlass: []*atip.BreakGlass{{Record: caseRef, UserID: "u-ahtu", Classes: []atip.FieldClass{atip.ClassHealth},
					StartedAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(time.Hour)}}},
			meta: record(), level: LevelFull, shown: Classes(atip.ClassReference, atip.ClassHealth),
			byGlass: Classes(atip.ClassHealth), glassable: true},
		{name: "break-glass expired: back to the redacted view",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Groups: []*atip.SharingGroup{liveGroup()},
				BreakGlass: []*atip.BreakGlass{{Record: caseRef, UserID: "u-ahtu", Classes: []atip.FieldClass{atip.ClassHealth},
					StartedAt: t0.Add(-5 * time.Hour), ExpiresAt: t0.Add(-time.Hour)}}},
			meta: record(), level: LevelRedacted, shown: redacted, glassable: true},
		{name: "a colleague's break-glass does not open the record for me",
			actor: actor("u-ahtu-2", ahtu, cw),
			holdings: Holdings{Groups: []*atip.SharingGroup{liveGroup()},
				BreakGlass: []*atip.BreakGlass{{Record: caseRef, UserID: "u-ahtu", Classes: []atip.FieldClass{atip.ClassHealth},
					StartedAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(time.Hour)}}},
			meta: record(), level: LevelRedacted, shown: redacted, glassable: true},
		{name: "break-glass on another record opens nothing here",
			actor: actor("u-ahtu", ahtu, cw),
			holdings: Holdings{Groups: []*atip.SharingGroup{liveGroup()},
				BreakGlass: []*atip.BreakGlass{{Record: atip.RecordRef{Type: atip.RecordPerson, ID: "rec-2"}, UserID: "u-ahtu",
					Classes: []atip.FieldClass{atip.ClassHealth}, StartedAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(time.Hour)}}},
			meta: record(), level: LevelRedacted, shown: redacted, glassable: true},
		{name: "a disabled user sees nothing, even their own organisation's records",
			actor: func() *atip.Actor { a := actor("u-ngo", ngo, cw); a.User.Disabled = true; return a }(),
			meta:  record(), level: LevelNone},
		{name: "two roles give the union: analyst and first responder",
			actor: actor("u-ngo", ngo, atip.RoleAnalyst, atip.RoleFirstResponder), meta: record(),
			level: LevelFull, shown: SetAll &^ Classes(atip.ClassStatement)},
		{name: "the command-line operator sees everything",
			actor: &atip.Actor{Via: atip.ViaCLI}, meta: record(), level: LevelFull, shown: SetAll},
		{name: "an actor without a known organisation is treated as foreign",
			actor: &atip.Actor{User: &atip.User{ID: "u-x", OrgID: "org-x", Roles: []atip.Role{cw}}},
			meta: record(func(m *atip.RecordMeta) {
				m.Distribution, m.TLP = atip.DistPlatform, atip.TLPGreen
			}),
			level: LevelNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.at
			if at.IsZero() {
				at = t0
			}
			v := NewSubject(tt.actor, tt.holdings, at).View(tt.meta)
			if v.Level != tt.level || v.Shown != tt.shown || v.ByGlass != tt.byGlass {
				t.Errorf("got level %s shown %v by glass %v; want level %s shown %v by glass %v",
					v.Level, v.Shown.List(), v.ByGlass.List(), tt.level, tt.shown.List(), tt.byGlass.List())
			}
			if got := v.Glass&SetProtected != 0; got != tt.glassable {
				t.Errorf("break-glass possible for %v; want possible=%v", v.Glass.List(), tt.glassable)
			}
			if v.Level == LevelNone && (v.Shown != 0 || v.Glass != 0 || v.Relation != RelNone) {
				t.Errorf("a hidden record must reveal nothing, got %+v", v)
			}
		})
	}
}

// TestDecideAgreesWithView: a record hidden from the view is hidden to every
// action too, so no endpoint can answer 403 where the page answers 404.
func TestDecideAgreesWithView(t *testing.T) {
	metas := []*atip.RecordMeta{
		record(),
		record(func(m *atip.RecordMeta) { m.Distribution = atip.DistOwner }),
		record(func(m *atip.RecordMeta) { m.Distribution, m.TLP = atip.DistPlatform, atip.TLPGreen }),
		record(func(m *atip.RecordMeta) { m.TLP = atip.TLPRed }),
	}
	h := Holdings{Groups: []*atip.SharingGroup{liveGroup()}}
	for _, a := range []*atip.Actor{actor("u-ahtu", ahtu, atip.RoleSupervisor), actor("u-bop", border, atip.RoleSupervisor),
		actor("u-np", nepal, atip.RoleSupervisor), actor("u-ngo", ngo, atip.RoleSupervisor)} {
		s := NewSubject(a, h, t0)
		for i, m := range metas {
			hidden := s.View(m).Level == LevelNone
			for _, act := range RecordActions {
				for _, c := range atip.FieldClasses {
					if d := s.Decide(m, act, c); (d.Effect == Hidden) != hidden {
						t.Errorf("%s record %d %s %s: decide %s, view hidden=%v", a.User.ID, i, act, c, d.Effect, hidden)
					}
				}
			}
		}
	}
}

func TestDecideActions(t *testing.T) {
	h := Holdings{Groups: []*atip.SharingGroup{liveGroup()}, Referrals: []*atip.Referral{referral()}}
	tests := []struct {
		name  string
		actor *atip.Actor
		meta  *atip.RecordMeta
		act   RecordAction
		class atip.FieldClass
		want  Effect
	}{
		{"referral holder may not edit", actor("u-ahtu", ahtu, atip.RoleSupervisor), record(), RecordEdit, atip.ClassIdentity, Deny},
		{"referral holder may not re-share", actor("u-ahtu", ahtu, atip.RoleSupervisor), record(), RecordShare, atip.ClassReference, Deny},
		{"referral holder may not export protected data", actor("u-ahtu", ahtu, atip.RoleSupervisor), record(), RecordExport, atip.ClassIdentity, Deny},
		{"referral holder exports the redacted view", actor("u-ahtu", ahtu, atip.RoleSupervisor), record(), RecordExport, atip.ClassReference, Allow},
		{"owner shares protected data when consent exists", actor("u-ngo", ngo, atip.RoleCaseworker), record(), RecordShare, atip.ClassIdentity, Allow},
		{"owner cannot share protected data of a person with no consent", actor("u-ngo", ngo, atip.RoleCaseworker),
			record(func(m *atip.RecordMeta) { m.Consents = nil }), RecordShare, atip.ClassIdentity, Deny},
		{"owner still shares the redacted view without consent", actor("u-ngo", ngo, atip.RoleCaseworker),
			record(func(m *atip.RecordMeta) { m.Consents = nil }), RecordShare, atip.ClassReference, Allow},
		{"RED is never exported, even by the owner", actor("u-ngo", ngo, atip.RoleSupervisor),
			record(func(m *atip.RecordMeta) { m.TLP = atip.TLPRed }), RecordExport, atip.ClassReference, Deny},
		{"caseworker may not transfer", actor("u-ngo", ngo, atip.RoleCaseworker), record(), RecordTransfer, atip.ClassReference, Deny},
		{"org admin may transfer", actor("u-ngo-adm", ngo, atip.RoleOrgAdmin), record(), RecordTransfer, atip.ClassReference, Allow},
		{"unknown action is treated as hidden", actor("u-ngo", ngo, atip.RoleSupervisor), record(), RecordAction("frobnicate"), atip.ClassReference, Hidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewSubject(tt.actor, h, t0).Decide(tt.meta, tt.act, tt.class).Effect; got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestScope(t *testing.T) {
	h := Holdings{Groups: []*atip.SharingGroup{liveGroup()}, Referrals: []*atip.Referral{referral()}}
	sc := NewSubject(actor("u-ahtu", ahtu, atip.RoleCaseworker), h, t0).Scope()
	if sc.OrgID != ahtu.ID || len(sc.GroupIDs) != 1 || sc.GroupIDs[0] != taskGrp ||
		len(sc.ReferralIDs) != 1 || sc.ReferralIDs[0] != caseRef.ID || !sc.Platform || sc.ClearOnly {
		t.Errorf("AHTU scope = %+v", sc)
	}
	if sc := NewSubject(actor("u-np", nepal, atip.RoleCaseworker), Holdings{}, t0).Scope(); !sc.ClearOnly {
		t.Errorf("a foreign agency's scope must be limited to CLEAR platform-wide records: %+v", sc)
	}
	if sc := NewSubject(actor("u-ahtu", ahtu, atip.RoleCaseworker), h, t0.Add(100*24*time.Hour)).Scope(); len(sc.GroupIDs) != 0 || len(sc.ReferralIDs) != 0 {
		t.Errorf("expired group and referral must leave the scope: %+v", sc)
	}
}
