package policy

import (
	"slices"
	"testing"
	"time"

	"atip"
)

// wantErr checks an error's code and, for EINVALID, that it names field.
func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if got := atip.ErrorCode(err); got != code {
		t.Fatalf("error code %q (%v), want %q", got, err, code)
	}
	if field == "" {
		return
	}
	e := err.(*atip.Error)
	if !slices.ContainsFunc(e.Fields, func(f atip.FieldError) bool { return f.Field == field }) {
		t.Fatalf("error %v does not name field %q", err, field)
	}
}

func TestCheckMarking(t *testing.T) {
	owner := actor("u-ngo", ngo, atip.RoleSupervisor)
	h := Holdings{Groups: []*atip.SharingGroup{liveGroup()}}
	tests := []struct {
		name        string
		actor       *atip.Actor
		to          Marking
		code, field string
	}{
		{"AMBER to the task force", owner, Marking{Distribution: atip.DistGroups, TLP: atip.TLPAmber, GroupIDs: []string{taskGrp}}, "", ""},
		{"GREEN platform-wide", owner, Marking{Distribution: atip.DistPlatform, TLP: atip.TLPGreen}, "", ""},
		{"RED cannot go to a group", owner, Marking{Distribution: atip.DistGroups, TLP: atip.TLPRed, GroupIDs: []string{taskGrp}}, atip.EINVALID, "distribution"},
		{"AMBER+STRICT cannot go to a group", owner, Marking{Distribution: atip.DistGroups, TLP: atip.TLPAmberStrict, GroupIDs: []string{taskGrp}}, atip.EINVALID, "distribution"},
		{"AMBER cannot go platform-wide", owner, Marking{Distribution: atip.DistPlatform, TLP: atip.TLPAmber}, atip.EINVALID, "distribution"},
		{"groups level needs a group", owner, Marking{Distribution: atip.DistGroups, TLP: atip.TLPAmber}, atip.EINVALID, "group_ids"},
		{"a group the owner is not in", owner, Marking{Distribution: atip.DistGroups, TLP: atip.TLPAmber, GroupIDs: []string{"grp-other"}}, atip.EINVALID, "group_ids"},
		{"protected classes never go to groups", owner, Marking{Distribution: atip.DistGroups, TLP: atip.TLPAmber, GroupIDs: []string{taskGrp},
			SharedClasses: []atip.FieldClass{atip.ClassOperational, atip.ClassHealth}}, atip.EINVALID, "shared_classes"},
		{"unknown TLP", owner, Marking{Distribution: atip.DistOwner, TLP: "PURPLE"}, atip.EINVALID, "tlp"},
		{"a group member may not change the marking", actor("u-ahtu", ahtu, atip.RoleSupervisor),
			Marking{Distribution: atip.DistOwner, TLP: atip.TLPRed}, atip.EFORBIDDEN, ""},
		{"an unrelated organisation gets not-found", actor("u-cwc", cwc, atip.RoleSupervisor),
			Marking{Distribution: atip.DistOwner, TLP: atip.TLPRed}, atip.ENOTFOUND, ""},
		{"an auditor at the owner may not", actor("u-ngo-aud", ngo, atip.RoleAuditor),
			Marking{Distribution: atip.DistOwner, TLP: atip.TLPRed}, atip.EFORBIDDEN, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, NewSubject(tt.actor, h, t0).CheckMarking(record(), tt.to), tt.code, tt.field)
		})
	}
}

func TestCheckReferral(t *testing.T) {
	owner := actor("u-ngo", ngo, atip.RoleCaseworker)
	ok := func(r *atip.Referral) {}
	tests := []struct {
		name        string
		actor       *atip.Actor
		meta        *atip.RecordMeta
		mut         func(*atip.Referral)
		groups      []string
		code, field string
	}{
		{"within consent", owner, record(), ok, nil, "", ""},
		{"beyond consent: another organisation", owner, record(), func(r *atip.Referral) { r.ToOrgID = border.ID }, nil, atip.EINVALID, "classes"},
		{"beyond consent: another purpose", owner, record(), func(r *atip.Referral) { r.Purpose = atip.PurposeCare }, nil, atip.EINVALID, "classes"},
		{"redacted view needs no consent", owner, record(func(m *atip.RecordMeta) { m.Consents = nil }),
			func(r *atip.Referral) { r.Classes = []atip.FieldClass{atip.ClassReference, atip.ClassOperational} }, nil, "", ""},
		{"withdrawn consent refuses", owner, record(func(m *atip.RecordMeta) { m.Consents[0].WithdrawnAt = t0.Add(-time.Second) }),
			ok, nil, atip.EINVALID, "classes"},
		{"consent through the receiver's group", owner, record(func(m *atip.RecordMeta) {
			m.Consents[0].OrgIDs, m.Consents[0].GroupIDs = nil, []string{taskGrp}
		}), ok, []string{taskGrp}, "", ""},
		{"child's own consent is not enough", owner, record(func(m *atip.RecordMeta) { m.Child = true }), ok, nil, atip.EINVALID, "classes"},
		{"CWC consents for a child", owner, record(func(m *atip.RecordMeta) {
			m.Child, m.Consents[0].GivenBy = true, atip.GivenByCWC
		}), ok, nil, "", ""},
		{"RED needs named users", owner, record(func(m *atip.RecordMeta) { m.TLP = atip.TLPRed }), ok, nil, atip.EINVALID, "to_user_ids"},
		{"RED with named users", owner, record(func(m *atip.RecordMeta) { m.TLP = atip.TLPRed }),
			func(r *atip.Referral) { r.ToUserIDs = []string{"u-ahtu"} }, nil, "", ""},
		{"expiry required", owner, record(), func(r *atip.Referral) { r.ExpiresAt = time.Time{} }, nil, atip.EINVALID, "expires_at"},
		{"at most a year", owner, record(), func(r *atip.Referral) { r.ExpiresAt = t0.Add(400 * 24 * time.Hour) }, nil, atip.EINVALID, "expires_at"},
		{"to itself", owner, record(), func(r *atip.Referral) { r.ToOrgID = ngo.ID }, nil, atip.EINVALID, "to_org_id"},
		{"first responder cannot refer a statement it does not see", actor("u-ngo-fr", ngo, atip.RoleFirstResponder), record(),
			func(r *atip.Referral) { r.Classes = []atip.FieldClass{atip.ClassStatement} }, nil, atip.EINVALID, "classes"},
		{"referral holder cannot pass it on", actor("u-ahtu", ahtu, atip.RoleSupervisor), record(),
			func(r *atip.Referral) { r.ToOrgID = border.ID }, nil, atip.EFORBIDDEN, ""},
	}
	h := Holdings{Groups: []*atip.SharingGroup{liveGroup()}, Referrals: []*atip.Referral{referral()}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := referral(func(r *atip.Referral) { r.AcceptedAt = time.Time{} })
			tt.mut(r)
			wantErr(t, NewSubject(tt.actor, h, t0).CheckReferral(tt.meta, r, tt.groups), tt.code, tt.field)
		})
	}
}

func TestCheckTransfer(t *testing.T) {
	sup := NewSubject(actor("u-ngo", ngo, atip.RoleSupervisor), Holdings{}, t0)
	wantErr(t, sup.CheckTransfer(record(), ahtu.ID, nil, atip.PurposeInvestigation, true), "", "")
	wantErr(t, sup.CheckTransfer(record(), cwc.ID, nil, atip.PurposeCare, true), atip.EINVALID, "to_org_id")
	// A tip with no victim's data moves without consent.
	wantErr(t, sup.CheckTransfer(record(func(m *atip.RecordMeta) { m.Consents = nil }), cwc.ID, nil, atip.PurposeCare, false), "", "")
	cw := NewSubject(actor("u-ngo-cw", ngo, atip.RoleCaseworker), Holdings{}, t0)
	wantErr(t, cw.CheckTransfer(record(), ahtu.ID, nil, atip.PurposeInvestigation, true), atip.EFORBIDDEN, "")
}

func TestCheckBreakGlass(t *testing.T) {
	h := Holdings{Groups: []*atip.SharingGroup{liveGroup()}}
	reason := "child found alone at Raxaul crossing at night, need guardian contact"
	member := NewSubject(actor("u-ahtu", ahtu, atip.RoleFirstResponder), h, t0)

	bg, err := member.CheckBreakGlass(record(), []atip.FieldClass{atip.ClassContact}, reason, 0)
	wantErr(t, err, "", "")
	if !bg.ExpiresAt.Equal(t0.Add(BreakGlassMaxDuration)) || bg.UserID != "u-ahtu" || bg.Record != caseRef {
		t.Errorf("break-glass = %+v", bg)
	}
	// Once stored, it opens the class for its user until it expires.
	h.BreakGlass = []*atip.BreakGlass{bg}
	if v := NewSubject(actor("u-ahtu", ahtu, atip.RoleFirstResponder), h, t0.Add(time.Hour)).View(record()); !v.ByGlass.Has(atip.ClassContact) {
		t.Errorf("break-glass did not open contact: %+v", v)
	}
	if v := NewSubject(actor("u-ahtu", ahtu, atip.RoleFirstResponder), h, bg.ExpiresAt).View(record()); v.Shown.Has(atip.ClassContact) {
		t.Errorf("break-glass still open at its expiry: %+v", v)
	}

	tests := []struct {
		name        string
		s           *Subject
		meta        *atip.RecordMeta
		classes     []atip.FieldClass
		reason      string
		d           time.Duration
		code, field string
	}{
		{"reason too short", member, record(), []atip.FieldClass{atip.ClassContact}, "urgent", 0, atip.EINVALID, "reason"},
		{"too long", member, record(), []atip.FieldClass{atip.ClassContact}, reason, 5 * time.Hour, atip.EINVALID, "duration"},
		{"a statement the role does not need", member, record(), []atip.FieldClass{atip.ClassStatement}, reason, time.Hour, atip.EINVALID, "classes"},
		{"an analyst may not break the glass", NewSubject(actor("u-ahtu-an", ahtu, atip.RoleAnalyst), h, t0), record(),
			[]atip.FieldClass{atip.ClassContact}, reason, time.Hour, atip.EINVALID, "classes"},
		{"a platform member has no relationship to answer to", NewSubject(actor("u-bop", border, atip.RoleSupervisor), h, t0),
			record(func(m *atip.RecordMeta) { m.Distribution, m.TLP = atip.DistPlatform, atip.TLPGreen }),
			[]atip.FieldClass{atip.ClassContact}, reason, time.Hour, atip.EINVALID, "classes"},
		{"a hidden record is not found", NewSubject(actor("u-cwc", cwc, atip.RoleSupervisor), h, t0), record(),
			[]atip.FieldClass{atip.ClassContact}, reason, time.Hour, atip.ENOTFOUND, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.s.CheckBreakGlass(tt.meta, tt.classes, tt.reason, tt.d)
			wantErr(t, err, tt.code, tt.field)
		})
	}
}

func TestCheckAccessRequest(t *testing.T) {
	h := Holdings{Groups: []*atip.SharingGroup{liveGroup()}, Referrals: []*atip.Referral{referral()}}
	s := NewSubject(actor("u-ahtu", ahtu, atip.RoleCaseworker), h, t0)
	reason := "the same recruiter appears in our FIR 112/2026"
	wantErr(t, s.CheckAccessRequest(record(), []atip.FieldClass{atip.ClassStatement}, atip.PurposeInvestigation, reason), "", "")
	wantErr(t, s.CheckAccessRequest(record(), []atip.FieldClass{atip.ClassIdentity}, atip.PurposeInvestigation, reason), atip.EINVALID, "classes")
	wantErr(t, s.CheckAccessRequest(record(), []atip.FieldClass{atip.ClassStatement}, atip.PurposeInvestigation, "pls"), atip.EINVALID, "reason")
	wantErr(t, s.CheckAccessRequest(record(), nil, "", reason), atip.EINVALID, "purpose")
	owner := NewSubject(actor("u-ngo", ngo, atip.RoleCaseworker), h, t0)
	wantErr(t, owner.CheckAccessRequest(record(), []atip.FieldClass{atip.ClassStatement}, atip.PurposeInvestigation, reason), atip.EFORBIDDEN, "")
	stranger := NewSubject(actor("u-cwc", cwc, atip.RoleCaseworker), h, t0)
	wantErr(t, stranger.CheckAccessRequest(record(), []atip.FieldClass{atip.ClassStatement}, atip.PurposeInvestigation, reason), atip.ENOTFOUND, "")
}

func TestErasureNeedsASecondPerson(t *testing.T) {
	m := record()
	a := NewSubject(actor("u-sup-1", ngo, atip.RoleSupervisor), Holdings{}, t0)
	if a.CanApproveErasure(m, "u-sup-1") {
		t.Error("the requester approved their own erasure")
	}
	if !a.CanApproveErasure(m, "u-sup-2") {
		t.Error("a second supervisor of the owner could not approve")
	}
	if NewSubject(actor("u-cw", ngo, atip.RoleCaseworker), Holdings{}, t0).CanApproveErasure(m, "u-sup-2") {
		t.Error("a caseworker approved an erasure")
	}
	if NewSubject(actor("u-ahtu", ahtu, atip.RoleSupervisor), Holdings{Groups: []*atip.SharingGroup{liveGroup()}}, t0).CanApproveErasure(m, "u-sup-2") {
		t.Error("a group member approved an erasure")
	}
}

// TestAccessRequestFlow: a police user in the task force sees a redacted
// record, asks for the statement, the NGO approves, the user — and only that
// user — sees it until the grant expires.
func TestAccessRequestFlow(t *testing.T) {
	meta := record(func(m *atip.RecordMeta) {
		m.Consents[0].Purposes = append(m.Consents[0].Purposes, atip.PurposeProsecution)
	})
	h := Holdings{Groups: []*atip.SharingGroup{liveGroup()}}
	police := actor("u-ahtu", ahtu, atip.RoleCaseworker)
	reason := "the recruiter in this case is accused in our FIR"
	classes := []atip.FieldClass{atip.ClassStatement}

	s := NewSubject(police, h, t0)
	if v := s.View(meta); v.Level != LevelRedacted {
		t.Fatalf("before: %s", v.Level)
	}
	wantErr(t, s.CheckAccessRequest(meta, classes, atip.PurposeProsecution, reason), "", "")
	req := &atip.AccessRequest{Record: meta.Ref, RequesterID: "u-ahtu", RequesterOrgID: ahtu.ID, Classes: classes,
		Purpose: atip.PurposeProsecution, Reason: reason, Status: atip.RequestPending}

	// A caseworker at the NGO approves for a week.
	approver := NewSubject(actor("u-ngo", ngo, atip.RoleCaseworker), Holdings{Groups: []*atip.SharingGroup{liveGroup()}}, t0)
	grant, err := approver.GrantFromRequest(meta, req, []string{taskGrp}, t0.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// The requester cannot approve their own request.
	if _, err := s.GrantFromRequest(meta, req, nil, t0.Add(time.Hour)); atip.ErrorCode(err) != atip.EFORBIDDEN {
		t.Errorf("requester side approved: %v", err)
	}
	h.Referrals = []*atip.Referral{grant}
	during := NewSubject(police, h, t0.Add(24*time.Hour)).View(meta)
	if during.Level != LevelFull || !during.Shows(atip.ClassStatement) || during.Shows(atip.ClassIdentity) {
		t.Errorf("during the grant: %s %v", during.Level, during.Shown.List())
	}
	colleague := NewSubject(actor("u-ahtu-2", ahtu, atip.RoleCaseworker), h, t0.Add(24*time.Hour)).View(meta)
	if colleague.Shows(atip.ClassStatement) {
		t.Error("the grant reached a colleague who did not ask")
	}
	after := NewSubject(police, h, grant.ExpiresAt).View(meta)
	if after.Level != LevelRedacted {
		t.Errorf("after the grant: %s %v", after.Level, after.Shown.List())
	}
	// Consent for another purpose only: the approval is refused.
	req.Purpose = atip.PurposeCompensation
	if _, err := approver.GrantFromRequest(meta, req, []string{taskGrp}, t0.Add(time.Hour)); atip.ErrorCode(err) != atip.EINVALID {
		t.Errorf("approval beyond consent: %v", err)
	}
	req.Status = atip.RequestDeclined
	if _, err := approver.GrantFromRequest(meta, req, nil, t0.Add(time.Hour)); atip.ErrorCode(err) != atip.ECONFLICT {
		t.Errorf("approving a declined request: %v", err)
	}

	// Revocation: by the owner, once.
	wantErr(t, approver.CheckRevoke(meta, grant), "", "")
	wantErr(t, s.CheckRevoke(meta, grant), atip.EFORBIDDEN, "")
	grant.RevokedAt = t0.Add(time.Hour)
	wantErr(t, approver.CheckRevoke(meta, grant), atip.ECONFLICT, "")
	if v := NewSubject(police, h, t0.Add(2*time.Hour)).View(meta); v.Shows(atip.ClassStatement) {
		t.Error("a revoked grant still shows the statement")
	}
}
