package database_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/deconflict"
	"atip/internal/policy"
)

// victimName is a distinctive name that must never reach anyone the policy
// does not let see it.
const victimName = "Zebunnisa Qwertyuiop"

type sharingWorld struct {
	*world
	clock *dbtest.Clock
	svc   *database.SharingService
}

func eachSharing(t *testing.T, fn func(t *testing.T, w *sharingWorld), opts ...database.Option) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			clock := dbtest.NewClock(t0)
			db := dbtest.Open(t, e, append([]database.Option{database.WithClock(clock.Now)}, opts...)...)
			fn(t, &sharingWorld{world: newWorld(t, db), clock: clock, svc: database.NewSharingService(db)})
		})
	}
}

// putPerson stores a victim owned by org A.
func (w *sharingWorld) putPerson(t *testing.T, dist atip.Distribution, tlp atip.TLP, child bool) atip.RecordRef {
	t.Helper()
	p := &atip.Person{ID: atip.NewID(), Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female",
		Names: []atip.PersonName{{Full: victimName, Script: "Latn", Kind: "name"}}, AgeYears: 24,
		HomeDistrict: "NP-P3-SINDHUPALCHOK", HomeVillage: "Thangpalkot", Phones: []string{"+9779800000001"}}
	m := &atip.RecordMeta{Ref: atip.RecordRef{Type: atip.RecordPerson, ID: p.ID}, OwnerOrgID: w.orgA.ID,
		Distribution: dist, TLP: tlp, Child: child}
	if err := database.PutRecord(w.as("A", atip.RoleCaseworker), w.db, m, p); err != nil {
		t.Fatal(err)
	}
	return m.Ref
}

// level is what the context's actor sees of the record: LevelNone when the
// read answers not found. A full view must carry the name, a lesser one not.
func (w *sharingWorld) level(t *testing.T, ctx context.Context, id string) policy.Level {
	t.Helper()
	var p atip.Person
	v, err := database.ReadRecord(ctx, w.db, id, &p)
	if atip.ErrorCode(err) == atip.ENOTFOUND {
		return policy.LevelNone
	}
	if err != nil {
		t.Fatal(err)
	}
	hasName := len(p.Names) > 0 && p.Names[0].Full == victimName
	if hasName != v.Shows(atip.ClassIdentity) {
		t.Fatalf("view %+v but name shown: %v", v, hasName)
	}
	return v.Level
}

func (w *sharingWorld) consent(t *testing.T, rec atip.RecordRef, orgID string, p atip.Purpose) *atip.Consent {
	t.Helper()
	c := &atip.Consent{Record: rec, Purposes: []atip.Purpose{p}, OrgIDs: []string{orgID}, Method: atip.ConsentWritten,
		GivenBy: atip.GivenByPerson, GivenAt: w.clock.Now().Add(-time.Minute)}
	if err := w.svc.RecordConsent(w.as("A", atip.RoleCaseworker), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// notes returns the kinds of the context's actor's notifications, and
// fails if any of them carries the victim's name.
func (w *sharingWorld) notes(t *testing.T, ctx context.Context) []*atip.Notification {
	t.Helper()
	ns, err := w.svc.Notifications(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(ns)
	if strings.Contains(string(b), "Zebunnisa") {
		t.Fatalf("a notification carries the victim's name: %s", b)
	}
	return ns
}

func kinds(ns []*atip.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

func countKind(ns []*atip.Notification, kind string) int {
	n := 0
	for _, x := range ns {
		if x.Kind == kind {
			n++
		}
	}
	return n
}

// A referral gives the receiver what it names only once accepted, only
// within the person's consent, and ends at once on expiry, revocation or
// withdrawal of consent.
func TestSharingReferralLifecycle(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistOwner, atip.TLPAmber, false)
		cwA, cwB := w.as("A", atip.RoleCaseworker), w.as("B", atip.RoleCaseworker)
		if got := w.level(t, cwB, rec.ID); got != policy.LevelNone {
			t.Fatalf("before any referral B sees %v", got)
		}
		_, err := w.svc.RecordSharing(cwB, rec.ID)
		wantCode(t, err, atip.ENOTFOUND)
		_, err = w.svc.RecordSharing(cwB, atip.NewID())
		wantCode(t, err, atip.ENOTFOUND)

		refer := func() *atip.Referral {
			r := &atip.Referral{Record: rec, ToOrgID: w.orgB.ID, Classes: []atip.FieldClass{atip.ClassIdentity, atip.ClassContact},
				Purpose: atip.PurposeCare, Note: "shelter placement", ExpiresAt: w.clock.Now().Add(time.Hour)}
			if err := w.svc.Refer(cwA, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		// Without consent, protected classes do not travel.
		err = w.svc.Refer(cwA, &atip.Referral{Record: rec, ToOrgID: w.orgB.ID, Classes: []atip.FieldClass{atip.ClassIdentity},
			Purpose: atip.PurposeCare, ExpiresAt: w.clock.Now().Add(time.Hour)})
		wantField(t, err, "classes")

		c := w.consent(t, rec, w.orgB.ID, atip.PurposeCare)
		r := refer()
		if n := countKind(w.notes(t, cwB), "sharing.notify.referral"); n != 1 {
			t.Fatalf("B's caseworker has %d referral notifications", n)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelNone {
			t.Fatalf("before acceptance B sees %v", got)
		}
		_, err = w.svc.AnswerReferral(w.as("B", atip.RoleAnalyst), r.ID, true, "")
		wantCode(t, err, atip.EFORBIDDEN)
		_, err = w.svc.AnswerReferral(w.as("A", atip.RoleCaseworker), r.ID, true, "")
		wantCode(t, err, atip.ENOTFOUND)
		if _, err := w.svc.AnswerReferral(cwB, r.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if n := countKind(w.notes(t, cwA), "sharing.notify.referral_accepted"); n != 1 {
			t.Fatalf("the sender has %d acceptance notifications", n)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelFull {
			t.Fatalf("after acceptance B sees %v", got)
		}

		// Withdrawn consent ends protected access at once; the redacted view stays.
		if err := w.svc.WithdrawConsent(w.as("B", atip.RoleCaseworker), c.ID); atip.ErrorCode(err) != atip.ENOTFOUND &&
			atip.ErrorCode(err) != atip.EFORBIDDEN {
			t.Fatalf("B withdrew A's consent: %v", err)
		}
		if err := w.svc.WithdrawConsent(cwA, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelRedacted {
			t.Fatalf("after withdrawal B sees %v", got)
		}
		if n := countKind(w.notes(t, cwB), "sharing.notify.consent_withdrawn"); n != 1 {
			t.Fatalf("the referral holder has %d withdrawal notifications", n)
		}
		w.consent(t, rec, w.orgB.ID, atip.PurposeCare)
		if got := w.level(t, cwB, rec.ID); got != policy.LevelFull {
			t.Fatalf("with consent again B sees %v", got)
		}
		// Expiry ends it at once.
		w.clock.Advance(time.Hour)
		if got := w.level(t, cwB, rec.ID); got != policy.LevelNone {
			t.Fatalf("after expiry B sees %v", got)
		}

		// Revocation ends it at once.
		r2 := refer()
		if _, err := w.svc.AnswerReferral(cwB, r2.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelFull {
			t.Fatalf("second referral: B sees %v", got)
		}
		wantCode(t, w.svc.RevokeReferral(cwB, r2.ID), atip.ENOTFOUND)
		if err := w.svc.RevokeReferral(cwA, r2.ID); err != nil {
			t.Fatal(err)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelNone {
			t.Fatalf("after revocation B sees %v", got)
		}
		wantCode(t, w.svc.RevokeReferral(cwA, r2.ID), atip.ECONFLICT)

		// A declined referral gives nothing, and the sender is told.
		r3 := refer()
		_, err = w.svc.AnswerReferral(cwB, r3.ID, false, "")
		wantField(t, err, "reason")
		if _, err := w.svc.AnswerReferral(cwB, r3.ID, false, "no bed free this month"); err != nil {
			t.Fatal(err)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelNone {
			t.Fatalf("after declining B sees %v", got)
		}
		if n := countKind(w.notes(t, cwA), "sharing.notify.referral_declined"); n != 1 {
			t.Fatalf("the sender has %d decline notifications", n)
		}
		// The owner's page lists the referrals and the consents.
		rs, err := w.svc.RecordSharing(cwA, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !rs.Owner || len(rs.Referrals) != 3 || len(rs.Consents) != 2 || rs.Label.TLP != atip.TLPAmber {
			t.Fatalf("owner's sharing page: owner %v, %d referrals, %d consents, TLP %s", rs.Owner, len(rs.Referrals), len(rs.Consents), rs.Label.TLP)
		}
	})
}

// A user who sees a redacted record asks; a supervisor of the owner
// approves for a limited time; the grant is the requester's alone.
func TestSharingAccessRequest(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistPlatform, atip.TLPGreen, false)
		w.consent(t, rec, w.orgB.ID, atip.PurposeInvestigation)
		cwB, supB := w.as("B", atip.RoleCaseworker), w.as("B", atip.RoleSupervisor)
		if got := w.level(t, cwB, rec.ID); got != policy.LevelRedacted {
			t.Fatalf("platform member sees %v", got)
		}
		rs, err := w.svc.RecordSharing(cwB, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rs.Owner || rs.Label.Ref == "" || !slices.Contains(rs.Requestable, atip.ClassIdentity) || len(rs.Consents) != 0 || len(rs.Meta.Consents) != 0 {
			t.Fatalf("redacted sharing page: %+v", rs)
		}
		ask := func() *atip.AccessRequest {
			req := &atip.AccessRequest{Record: rec, Classes: []atip.FieldClass{atip.ClassIdentity}, Purpose: atip.PurposeInvestigation,
				Reason: "the same victim appears in our FIR 112/2026"}
			if err := w.svc.RequestAccess(cwB, req); err != nil {
				t.Fatal(err)
			}
			return req
		}
		err = w.svc.RequestAccess(cwB, &atip.AccessRequest{Record: rec, Classes: []atip.FieldClass{atip.ClassIdentity},
			Purpose: atip.PurposeInvestigation, Reason: "need it"})
		wantField(t, err, "reason")
		err = w.svc.RequestAccess(cwB, &atip.AccessRequest{Record: atip.RecordRef{ID: atip.NewID()}, Classes: []atip.FieldClass{atip.ClassIdentity},
			Purpose: atip.PurposeInvestigation, Reason: "the same victim appears in our FIR 112/2026"})
		wantCode(t, err, atip.ENOTFOUND)
		req := ask()
		if n := countKind(w.notes(t, w.as("A", atip.RoleSupervisor)), "sharing.notify.access_request"); n != 1 {
			t.Fatalf("A's supervisor has %d request notifications", n)
		}
		in, err := w.svc.Inbox(w.as("A", atip.RoleSupervisor))
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Requests) != 1 || in.Labels[rec.ID].Ref == "" {
			t.Fatalf("A's inbox: %d requests, labels %v", len(in.Requests), in.Labels)
		}
		_, err = w.svc.DecideAccessRequest(w.as("A", atip.RoleCaseworker), req.ID, true, w.clock.Now().Add(time.Hour), "")
		wantCode(t, err, atip.EFORBIDDEN)
		_, err = w.svc.DecideAccessRequest(supB, req.ID, true, w.clock.Now().Add(time.Hour), "")
		wantCode(t, err, atip.ENOTFOUND)
		got, err := w.svc.DecideAccessRequest(w.as("A", atip.RoleSupervisor), req.ID, true, w.clock.Now().Add(time.Hour), "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != atip.RequestApproved || got.ReferralID == "" {
			t.Fatalf("approved request: %+v", got)
		}
		if n := countKind(w.notes(t, cwB), "sharing.notify.access_approved"); n != 1 {
			t.Fatalf("the requester has %d approval notifications", n)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelFull {
			t.Fatalf("the requester sees %v", got)
		}
		if got := w.level(t, supB, rec.ID); got != policy.LevelRedacted {
			t.Fatalf("another user of the requester's organisation sees %v", got)
		}
		w.clock.Advance(time.Hour)
		if got := w.level(t, cwB, rec.ID); got != policy.LevelRedacted {
			t.Fatalf("after the grant expired the requester sees %v", got)
		}

		req2 := ask()
		_, err = w.svc.DecideAccessRequest(w.as("A", atip.RoleSupervisor), req2.ID, false, time.Time{}, "")
		wantField(t, err, "note")
		if _, err := w.svc.DecideAccessRequest(w.as("A", atip.RoleSupervisor), req2.ID, false, time.Time{}, "ask the CWC"); err != nil {
			t.Fatal(err)
		}
		if n := countKind(w.notes(t, cwB), "sharing.notify.access_declined"); n != 1 {
			t.Fatalf("the requester has %d decline notifications", n)
		}
		entries, _, err := database.NewAuditService(w.db).FindAuditEntries(w.op, atip.AuditFilter{Action: "access_request.", RecordID: rec.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 4 {
			t.Fatalf("%d access request audit entries, want 4", len(entries))
		}
	})
}

// Break-glass opens a class for a short time, tells each supervisor and
// admin of the owner at once, and marks the audit entry.
func TestSharingBreakGlass(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistOwner, atip.TLPAmber, false)
		cwA, cwB := w.as("A", atip.RoleCaseworker), w.as("B", atip.RoleCaseworker)
		r := &atip.Referral{Record: rec, ToOrgID: w.orgB.ID, Classes: []atip.FieldClass{atip.ClassOperational},
			Purpose: atip.PurposeInvestigation, ExpiresAt: w.clock.Now().Add(24 * time.Hour)}
		if err := w.svc.Refer(cwA, r); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.AnswerReferral(cwB, r.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelRedacted {
			t.Fatalf("referral holder sees %v", got)
		}
		rs, err := w.svc.RecordSharing(cwB, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(rs.Glass, atip.ClassIdentity) {
			t.Fatalf("break-glass not offered: %v", rs.Glass)
		}
		_, err = w.svc.BreakGlass(cwB, rec.ID, []atip.FieldClass{atip.ClassIdentity}, "urgent", 0)
		wantField(t, err, "reason")
		_, err = w.svc.BreakGlass(w.as("A", atip.RoleCaseworker), atip.NewID(), []atip.FieldClass{atip.ClassIdentity}, "a child is at the border post now", 0)
		wantCode(t, err, atip.ENOTFOUND)
		b, err := w.svc.BreakGlass(cwB, rec.ID, []atip.FieldClass{atip.ClassIdentity}, "a child is at the border post now", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		for role, want := range map[atip.Role]int{atip.RoleSupervisor: 1, atip.RoleOrgAdmin: 1, atip.RoleCaseworker: 0, atip.RoleAnalyst: 0} {
			if n := countKind(w.notes(t, w.as("A", role)), "sharing.notify.break_glass"); n != want {
				t.Errorf("A's %s has %d break-glass notifications, want %d", role, n, want)
			}
		}
		if len(b.NotifiedUserIDs) != 2 {
			t.Fatalf("notified %v", b.NotifiedUserIDs)
		}
		entries, _, err := database.NewAuditService(w.db).FindAuditEntries(w.op, atip.AuditFilter{Action: "record.break_glass", RecordID: rec.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || !entries[0].BreakGlass || strings.Contains(entries[0].Detail, "border") {
			t.Fatalf("break-glass audit entries: %+v", entries)
		}
		var p atip.Person
		v, err := database.ReadRecord(cwB, w.db, rec.ID, &p)
		if err != nil {
			t.Fatal(err)
		}
		if !v.ByGlass.Has(atip.ClassIdentity) || len(p.Names) == 0 || len(p.Phones) != 0 {
			t.Fatalf("under break-glass: view %+v, person %+v", v, p)
		}
		w.clock.Advance(time.Hour)
		if got := w.level(t, cwB, rec.ID); got != policy.LevelRedacted {
			t.Fatalf("after break-glass expired B sees %v", got)
		}
		wantCode(t, w.svc.ReviewBreakGlass(cwA, b.ID), atip.EFORBIDDEN)
		wantCode(t, w.svc.ReviewBreakGlass(w.as("B", atip.RoleSupervisor), b.ID), atip.ENOTFOUND)
		if err := w.svc.ReviewBreakGlass(w.as("A", atip.RoleSupervisor), b.ID); err != nil {
			t.Fatal(err)
		}
		in, err := w.svc.Inbox(w.as("A", atip.RoleSupervisor))
		if err != nil {
			t.Fatal(err)
		}
		if len(in.BreakGlass) != 0 {
			t.Fatalf("reviewed break-glass still in the inbox")
		}
	})
}

// A transfer takes effect on the receiver's acceptance: the receiver owns
// the record, the sender keeps nothing of an owner-only record.
func TestSharingTransfer(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistOwner, atip.TLPAmber, false)
		supA, cwB := w.as("A", atip.RoleSupervisor), w.as("B", atip.RoleCaseworker)
		err := w.svc.TransferRecord(w.as("A", atip.RoleCaseworker), &atip.Transfer{Record: rec, ToOrgID: w.orgB.ID, Purpose: atip.PurposeCare})
		wantCode(t, err, atip.EFORBIDDEN)
		err = w.svc.TransferRecord(supA, &atip.Transfer{Record: rec, ToOrgID: w.orgB.ID, Purpose: atip.PurposeCare})
		wantField(t, err, "to_org_id") // no consent covers B
		w.consent(t, rec, w.orgB.ID, atip.PurposeCare)
		tr := &atip.Transfer{Record: rec, ToOrgID: w.orgB.ID, Purpose: atip.PurposeCare, Reason: "the survivor moves to Kathmandu"}
		if err := w.svc.TransferRecord(supA, tr); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.svc.TransferRecord(supA, &atip.Transfer{Record: rec, ToOrgID: w.orgB.ID, Purpose: atip.PurposeCare}), atip.ECONFLICT)
		if got := w.level(t, cwB, rec.ID); got != policy.LevelNone {
			t.Fatalf("before acceptance the receiver sees %v", got)
		}
		in, err := w.svc.Inbox(cwB)
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Transfers) != 1 || in.Labels[rec.ID].TLP != atip.TLPAmber {
			t.Fatalf("receiver's inbox: %+v", in)
		}
		if _, err := w.svc.AnswerTransfer(cwB, tr.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelFull {
			t.Fatalf("the new owner sees %v", got)
		}
		rs, err := w.svc.RecordSharing(cwB, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !rs.Owner {
			t.Fatal("the receiver does not own the record")
		}
		if got := w.level(t, w.as("A", atip.RoleCaseworker), rec.ID); got != policy.LevelNone {
			t.Fatalf("the former owner sees %v", got)
		}
		if n := countKind(w.notes(t, supA), "sharing.notify.transfer_accepted"); n != 1 {
			t.Fatalf("the sender has %d acceptance notifications", n)
		}
	})
}

// Two organisations holding the same phone number learn that a match
// exists and whom to ask — never the other record's id or content.
func TestSharingDeconfliction(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		recA := w.putPerson(t, atip.DistOwner, atip.TLPAmber, false)
		phone := deconflict.Selector{Kind: deconflict.Phone, Value: "+977 980-0000001"}
		ms, err := database.IndexSelectors(w.as("A", atip.RoleCaseworker), w.db, recA, w.orgA.ID, []deconflict.Selector{phone})
		if err != nil || len(ms) != 0 {
			t.Fatalf("first holder: %v, %v", ms, err)
		}
		// B records a suspect with the same number, written differently.
		p := &atip.Person{ID: atip.NewID(), Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: "male", Phones: []string{"+9779800000001"}}
		recB := atip.RecordRef{Type: atip.RecordPerson, ID: p.ID}
		if err := database.PutRecord(w.as("B", atip.RoleCaseworker), w.db, &atip.RecordMeta{Ref: recB, OwnerOrgID: w.orgB.ID,
			Distribution: atip.DistOwner, TLP: atip.TLPAmber}, p); err != nil {
			t.Fatal(err)
		}
		ms, err = database.IndexSelectors(w.as("B", atip.RoleCaseworker), w.db, recB, w.orgB.ID,
			[]deconflict.Selector{{Kind: deconflict.Phone, Value: "009779800000001"}, {Kind: deconflict.Phone, Value: "not a phone"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].OrgID != w.orgA.ID {
			t.Fatalf("matches: %+v", ms)
		}
		// Saving again does not notify again.
		if _, err := database.IndexSelectors(w.as("B", atip.RoleCaseworker), w.db, recB, w.orgB.ID,
			[]deconflict.Selector{{Kind: deconflict.Phone, Value: "009779800000001"}}); err != nil {
			t.Fatal(err)
		}
		nb := w.notes(t, w.as("B", atip.RoleCaseworker))
		if countKind(nb, "sharing.notify.match") != 1 {
			t.Fatalf("B's notifications: %v", kinds(nb))
		}
		for _, n := range nb {
			b, _ := json.Marshal(n)
			if strings.Contains(string(b), recA.ID) {
				t.Fatalf("B's notification names A's record: %s", b)
			}
			if n.Kind == "sharing.notify.match" && (n.Record != recB || n.Args["org"] != w.orgA.ID) {
				t.Fatalf("B's match notification: %+v", n)
			}
		}
		na := w.notes(t, w.as("A", atip.RoleSupervisor))
		if countKind(na, "sharing.notify.match") != 1 {
			t.Fatalf("A's notifications: %v", kinds(na))
		}
		in, err := w.svc.Inbox(w.as("B", atip.RoleCaseworker))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(in)
		if len(in.Matches) != 1 || in.Matches[0].OtherOrgID != w.orgA.ID || in.Matches[0].OtherRecord != (atip.RecordRef{}) ||
			strings.Contains(string(b), recA.ID) {
			t.Fatalf("B's inbox discloses A's record: %s", b)
		}
		// "We have seen this too" tells A, about A's own record.
		if _, err := w.svc.RecordSighting(w.as("A", atip.RoleCaseworker), in.Matches[0].ID, ""); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("A used B's match: %v", err)
		}
		if _, err := w.svc.RecordSighting(w.as("B", atip.RoleCaseworker), in.Matches[0].ID, "same recruiter"); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.RecordSighting(w.as("B", atip.RoleCaseworker), in.Matches[0].ID, "")
		wantCode(t, err, atip.ECONFLICT)
		inA, err := w.svc.Inbox(w.as("A", atip.RoleSupervisor))
		if err != nil {
			t.Fatal(err)
		}
		if len(inA.Sightings) != 1 || inA.Sightings[0].Record != recA || inA.Sightings[0].FromOrgID != w.orgB.ID {
			t.Fatalf("A's sightings: %+v", inA.Sightings)
		}
		if countKind(w.notes(t, w.as("A", atip.RoleSupervisor)), "sharing.notify.sighting") != 1 {
			t.Fatal("A was not told of the sighting")
		}

		// The match lets B ask A for the record it cannot see; A's
		// supervisor decides, and an approval makes the record visible to B
		// (its operational class here: identities would need the consent).
		ask := func(ctx context.Context, matchID string) error {
			return w.svc.RequestAccessFromMatch(ctx, matchID, &atip.AccessRequest{Classes: []atip.FieldClass{atip.ClassOperational},
				Purpose: atip.PurposeInvestigation, Reason: "the same recruiter's phone is in our case"})
		}
		wantCode(t, ask(w.as("A", atip.RoleCaseworker), in.Matches[0].ID), atip.ENOTFOUND)
		wantCode(t, ask(w.as("B", atip.RoleCaseworker), atip.NewID()), atip.ENOTFOUND)
		if _, err := database.ReadRecord(w.as("B", atip.RoleCaseworker), w.db, recA.ID, &atip.Person{}); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Fatalf("B sees A's record before asking: %v", err)
		}
		if err := ask(w.as("B", atip.RoleCaseworker), in.Matches[0].ID); err != nil {
			t.Fatal(err)
		}
		inA, err = w.svc.Inbox(w.as("A", atip.RoleSupervisor))
		if err != nil {
			t.Fatal(err)
		}
		if len(inA.Requests) != 1 || inA.Requests[0].Record != recA || inA.Requests[0].RequesterOrgID != w.orgB.ID {
			t.Fatalf("A's requests: %+v", inA.Requests)
		}
		if _, err := w.svc.DecideAccessRequest(w.as("A", atip.RoleSupervisor), inA.Requests[0].ID, true, w.db.Now().Add(24*time.Hour), ""); err != nil {
			t.Fatal(err)
		}
		if _, err := database.ReadRecord(w.as("B", atip.RoleCaseworker), w.db, recA.ID, &atip.Person{}); err != nil {
			t.Fatalf("B after approval: %v", err)
		}
	})
}

// Without a deconfliction key nothing is stored and nothing matches.
func TestSharingDeconflictionWithoutKey(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistOwner, atip.TLPAmber, false)
		ms, err := database.IndexSelectors(w.as("A", atip.RoleCaseworker), w.db, rec, w.orgA.ID,
			[]deconflict.Selector{{Kind: deconflict.Phone, Value: "+9779800000001"}})
		if err != nil || ms != nil {
			t.Fatalf("without a key: %v, %v", ms, err)
		}
	}, database.WithTokenizer(nil))
}

// The owner changes the marking within what the TLP allows; defaults per
// organisation and type are set by its admin.
func TestSharingMarkingAndDefaults(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistOwner, atip.TLPAmber, false)
		cwA, cwB := w.as("A", atip.RoleCaseworker), w.as("B", atip.RoleCaseworker)
		wantField(t, w.svc.SetMarking(cwA, rec.ID, atip.MarkingChange{Distribution: atip.DistPlatform, TLP: atip.TLPRed}), "distribution")
		wantCode(t, w.svc.SetMarking(cwB, rec.ID, atip.MarkingChange{Distribution: atip.DistPlatform, TLP: atip.TLPGreen}), atip.ENOTFOUND)
		if err := w.svc.SetMarking(cwA, rec.ID, atip.MarkingChange{Distribution: atip.DistPlatform, TLP: atip.TLPGreen}); err != nil {
			t.Fatal(err)
		}
		if got := w.level(t, cwB, rec.ID); got != policy.LevelRedacted {
			t.Fatalf("after marking GREEN platform-wide B sees %v", got)
		}
		wantCode(t, w.svc.SetMarking(cwB, rec.ID, atip.MarkingChange{Distribution: atip.DistOwner, TLP: atip.TLPRed}), atip.EFORBIDDEN)

		wantCode(t, w.svc.SetSharingDefault(cwA, atip.SharingDefault{RecordType: atip.RecordPerson, Distribution: atip.DistPlatform, TLP: atip.TLPGreen}), atip.EFORBIDDEN)
		adminA := w.as("A", atip.RoleOrgAdmin)
		wantField(t, w.svc.SetSharingDefault(adminA, atip.SharingDefault{RecordType: atip.RecordPerson, Distribution: atip.DistPlatform, TLP: atip.TLPAmber}), "distribution")
		if err := w.svc.SetSharingDefault(adminA, atip.SharingDefault{RecordType: atip.RecordTip, Distribution: atip.DistPlatform, TLP: atip.TLPGreen}); err != nil {
			t.Fatal(err)
		}
		d, m, err := database.DefaultMarking(w.op, w.db, w.orgA.ID, atip.RecordTip)
		if err != nil || d != atip.DistPlatform || m != atip.TLPGreen {
			t.Fatalf("tip default: %s %s %v", d, m, err)
		}
		d, m, err = database.DefaultMarking(w.op, w.db, w.orgA.ID, atip.RecordCase)
		if err != nil || d != atip.DistOwner || m != atip.TLPAmber {
			t.Fatalf("case default: %s %s %v", d, m, err)
		}
		d, _, _ = database.DefaultMarking(w.op, w.db, w.orgB.ID, atip.RecordTip)
		if d != atip.DistOwner {
			t.Fatalf("B inherits A's default: %s", d)
		}
	})
}

// Erasure needs a second supervisor; it removes the sealed record and its
// key, keeps the reference fields and the audit trail; retention lists the
// records due.
func TestSharingErasureAndRetention(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistOwner, atip.TLPAmber, false)
		sup2 := &atip.User{OrgID: w.orgA.ID, Login: "A-supervisor-2", Name: "Test supervisor 2", Roles: []atip.Role{atip.RoleSupervisor}}
		if err := w.users.CreateUser(w.op, sup2, testPassword); err != nil {
			t.Fatal(err)
		}
		asSup2 := atip.NewContextWithActor(context.Background(), &atip.Actor{User: sup2, Org: w.orgA, Via: atip.ViaWeb})
		supA := w.as("A", atip.RoleSupervisor)

		adminA := w.as("A", atip.RoleOrgAdmin)
		if err := w.svc.SetRetentionRule(adminA, atip.RetentionRule{RecordType: atip.RecordPerson, KeepFor: 30 * 24 * time.Hour}); err != nil {
			t.Fatal(err)
		}
		due, err := w.svc.RetentionDue(supA)
		if err != nil || len(due) != 0 {
			t.Fatalf("due at once: %v %v", due, err)
		}
		w.clock.Advance(31 * 24 * time.Hour)
		due, err = w.svc.RetentionDue(supA)
		if err != nil || len(due) != 1 || due[0].Record != rec {
			t.Fatalf("due after 31 days: %v %v", due, err)
		}

		_, err = w.svc.RequestErasure(w.as("A", atip.RoleCaseworker), rec.ID, "retention period ended")
		wantCode(t, err, atip.EFORBIDDEN)
		e, err := w.svc.RequestErasure(supA, rec.ID, "retention period ended")
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.DecideErasure(supA, e.ID, true)
		wantCode(t, err, atip.EFORBIDDEN)
		_, err = w.svc.DecideErasure(w.as("B", atip.RoleSupervisor), e.ID, true)
		wantCode(t, err, atip.ENOTFOUND)
		if _, err := w.svc.DecideErasure(asSup2, e.ID, true); err != nil {
			t.Fatal(err)
		}
		var p atip.Person
		if _, err := database.ReadRecord(w.as("A", atip.RoleCaseworker), w.db, rec.ID, &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Names) != 0 || p.HomeVillage != "" || p.HomeDistrict != "NP-P3-SINDHUPALCHOK" {
			t.Fatalf("after erasure the owner reads %+v", p)
		}
		due, _ = w.svc.RetentionDue(supA)
		if len(due) != 0 {
			t.Fatalf("an erased record is still due: %v", due)
		}
		entries, _, err := database.NewAuditService(w.db).FindAuditEntries(w.op, atip.AuditFilter{RecordID: rec.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, x := range entries {
			actions = append(actions, x.Action)
		}
		if !slices.Contains(actions, "record.erase") || !slices.Contains(actions, "erasure.request") {
			t.Fatalf("audit trail after erasure: %v", actions)
		}
		if w.db.Engine() == database.SQLite {
			if err := w.db.Close(); err != nil {
				t.Fatal(err)
			}
			dumpHasNo(t, w.db.Target().Path, "Zebunnisa", "Thangpalkot")
		}
	})
}

// Notifications: a user's own and their role's, marked read one by one;
// another organisation's are not found.
func TestSharingNotifications(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistPlatform, atip.TLPGreen, false)
		req := &atip.AccessRequest{Record: rec, Classes: []atip.FieldClass{atip.ClassIdentity}, Purpose: atip.PurposeCare,
			Reason: "the same victim came to our shelter"}
		if err := w.svc.RequestAccess(w.as("B", atip.RoleCaseworker), req); err != nil {
			t.Fatal(err)
		}
		supA := w.as("A", atip.RoleSupervisor)
		n, err := w.svc.UnreadNotifications(supA)
		if err != nil || n != 1 {
			t.Fatalf("unread: %d %v", n, err)
		}
		if n, _ := w.svc.UnreadNotifications(w.as("A", atip.RoleCaseworker)); n != 0 {
			t.Fatalf("a caseworker sees the supervisors' notification: %d", n)
		}
		ns := w.notes(t, supA)
		wantCode(t, w.svc.MarkNotificationRead(w.as("B", atip.RoleSupervisor), ns[0].ID), atip.ENOTFOUND)
		if err := w.svc.MarkNotificationRead(supA, ns[0].ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.svc.UnreadNotifications(supA); n != 0 {
			t.Fatalf("unread after marking: %d", n)
		}
		ns = w.notes(t, supA)
		if ns[0].ReadAt.IsZero() {
			t.Fatal("not marked read")
		}
	})
}

// Two supervisors approving the same request at once make one grant: the
// second finds the request decided.
func TestSharingDecisionsTakeTurns(t *testing.T) {
	eachSharing(t, func(t *testing.T, w *sharingWorld) {
		rec := w.putPerson(t, atip.DistPlatform, atip.TLPGreen, false)
		w.consent(t, rec, w.orgB.ID, atip.PurposeCare)
		req := &atip.AccessRequest{Record: rec, Classes: []atip.FieldClass{atip.ClassIdentity}, Purpose: atip.PurposeCare,
			Reason: "the same victim came to our shelter"}
		if err := w.svc.RequestAccess(w.as("B", atip.RoleCaseworker), req); err != nil {
			t.Fatal(err)
		}
		sup2 := &atip.User{OrgID: w.orgA.ID, Login: "A-supervisor-2", Name: "Test supervisor 2", Roles: []atip.Role{atip.RoleSupervisor}}
		if err := w.users.CreateUser(w.op, sup2, testPassword); err != nil {
			t.Fatal(err)
		}
		asSup2 := atip.NewContextWithActor(context.Background(), &atip.Actor{User: sup2, Org: w.orgA, Via: atip.ViaWeb})
		errs := make(chan error, 2)
		for _, ctx := range []context.Context{w.as("A", atip.RoleSupervisor), asSup2} {
			go func() {
				_, err := w.svc.DecideAccessRequest(ctx, req.ID, true, w.clock.Now().Add(time.Hour), "")
				errs <- err
			}()
		}
		var ok, conflict int
		for range 2 {
			switch err := <-errs; atip.ErrorCode(err) {
			case "":
				ok++
			case atip.ECONFLICT:
				conflict++
			default:
				t.Fatalf("concurrent decision: %v", err)
			}
		}
		if ok != 1 || conflict != 1 {
			t.Fatalf("%d approvals, %d conflicts", ok, conflict)
		}
		sh, err := w.svc.Shared(w.as("A", atip.RoleSupervisor))
		if err != nil {
			t.Fatal(err)
		}
		if len(sh.ByUs) != 1 {
			t.Fatalf("%d grants made", len(sh.ByUs))
		}
	})
}
