package database_test

import (
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// putCase stores a case owned by the organisation of ctx's actor.
func putCase(t *testing.T, w *world, tag string, dist atip.Distribution, tlp atip.TLP, suspects ...string) (string, string) {
	t.Helper()
	org := w.orgA.ID
	if tag == "B" {
		org = w.orgB.ID
	}
	c := &atip.Case{ID: atip.NewID()}
	for _, s := range suspects {
		c.Suspects = append(c.Suspects, atip.CaseSuspect{PersonID: s, Roles: []string{"recruiter"}})
	}
	m := &atip.RecordMeta{Ref: atip.RecordRef{Type: atip.RecordCase, ID: c.ID}, OwnerOrgID: org, Distribution: dist, TLP: tlp}
	if err := database.PutRecord(w.as(tag, atip.RoleSupervisor), w.db, m, c); err != nil {
		t.Fatal(err)
	}
	var ref string
	if err := w.db.ReadDB().QueryRowContext(t.Context(), `SELECT ref FROM records WHERE id = $1`, c.ID).Scan(&ref); err != nil {
		t.Fatal(err)
	}
	return c.ID, ref
}

// An analyst links a phone seen in a tip to a suspect of one of the
// organisation's cases; the link is audited on the tip and the case, and
// the tip's network then names the case (only to who may see it).
func TestLinkSelectorToCaseSuspect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ts := newTips(t, db, w.orgA.ID)
		analyst := w.as("A", atip.RoleAnalyst)
		tip := &atip.Tip{Text: recruitPost}
		if err := ts.CreateTip(analyst, tip); err != nil {
			t.Fatal(err)
		}
		other := &atip.Tip{Text: "Driver wanted, call +91 98301 23456"}
		if err := ts.CreateTip(analyst, other); err != nil {
			t.Fatal(err)
		}
		suspect := atip.NewID()
		caseID, caseRef := putCase(t, w, "A", atip.DistOwner, atip.TLPAmber, suspect)
		_, bareRef := putCase(t, w, "A", atip.DistOwner, atip.TLPRed)
		_, theirRef := putCase(t, w, "B", atip.DistPlatform, atip.TLPGreen, atip.NewID())

		got, err := ts.CaseForLink(analyst, " "+caseRef+" ")
		if err != nil {
			t.Fatal(err)
		}
		if got.CaseID != caseID || got.TLP != atip.TLPAmber || len(got.Suspects) != 1 || got.Suspects[0].PersonID != suspect ||
			got.Suspects[0].Ref == "" {
			t.Fatalf("case for link: %+v", got)
		}
		phone := atip.SelectorCaseLink{TipID: tip.ID, Type: "phone", Normalized: "+919830123456", CaseRef: caseRef, SuspectID: suspect}
		l := phone
		if err := ts.LinkSelectorToCase(analyst, &l); err != nil {
			t.Fatal(err)
		}
		if l.ID == "" || l.CaseID != caseID {
			t.Fatalf("link: %+v", l)
		}
		again := phone
		if err := ts.LinkSelectorToCase(analyst, &again); err != nil || again.ID != l.ID {
			t.Errorf("linking again: %v, id %q want %q", err, again.ID, l.ID)
		}
		// A case without suspects is linked as the case alone.
		bare := atip.SelectorCaseLink{TipID: tip.ID, Type: "phone", Normalized: "+919830123456", CaseRef: bareRef}
		if err := ts.LinkSelectorToCase(w.as("A", atip.RoleSupervisor), &bare); err != nil {
			t.Fatal(err)
		}

		// Refusals.
		for _, tc := range []struct {
			name  string
			ctx   func() atip.SelectorCaseLink
			as    atip.Role
			code  string
			field string
		}{
			{"another organisation's case, though visible", func() atip.SelectorCaseLink { x := phone; x.CaseRef = theirRef; x.SuspectID = ""; return x }, atip.RoleAnalyst, atip.ENOTFOUND, ""},
			{"unknown case", func() atip.SelectorCaseLink { x := phone; x.CaseRef = "CAS-0000-0000"; return x }, atip.RoleAnalyst, atip.ENOTFOUND, ""},
			{"no case", func() atip.SelectorCaseLink { x := phone; x.CaseRef = ""; return x }, atip.RoleAnalyst, atip.EINVALID, "case"},
			{"not a suspect of the case", func() atip.SelectorCaseLink { x := phone; x.SuspectID = atip.NewID(); return x }, atip.RoleAnalyst, atip.EINVALID, "suspect"},
			{"not a selector of the tip", func() atip.SelectorCaseLink { x := phone; x.Normalized = "+9779800000000"; return x }, atip.RoleAnalyst, atip.EINVALID, "selector"},
			{"caseworker may not triage", func() atip.SelectorCaseLink { return phone }, atip.RoleCaseworker, atip.EFORBIDDEN, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				x := tc.ctx()
				err := ts.LinkSelectorToCase(w.as("A", tc.as), &x)
				wantCode(t, err, tc.code)
				if tc.field != "" {
					wantField(t, err, tc.field)
				}
			})
		}
		if _, err := ts.CaseForLink(analyst, theirRef); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Errorf("case for link of another organisation: %v", err)
		}

		// The links of the network's tips: the other tip shares the phone.
		links, err := ts.SelectorCaseLinks(analyst, []string{tip.ID, other.ID})
		if err != nil {
			t.Fatal(err)
		}
		refs := map[string]int{}
		for _, x := range links {
			refs[x.CaseRef+"@"+x.TipID]++
			if x.CaseRef == caseRef && (x.CaseTLP != atip.TLPAmber || x.SuspectID != suspect) {
				t.Errorf("link %+v", x)
			}
		}
		if len(links) != 4 || refs[caseRef+"@"+tip.ID] != 1 || refs[caseRef+"@"+other.ID] != 1 || refs[bareRef+"@"+other.ID] != 1 {
			t.Errorf("links %v, want both cases on both tips", refs)
		}
		// Another organisation sees none of A's tips' links.
		if links, err := ts.SelectorCaseLinks(w.as("B", atip.RoleAnalyst), []string{tip.ID}); err != nil || len(links) != 0 {
			t.Errorf("organisation B: %d links (%v)", len(links), err)
		}

		entries, _, err := database.NewAuditService(db).FindAuditEntries(w.op, atip.AuditFilter{Action: "case.selector_link", RecordID: caseID})
		if err != nil || len(entries) != 1 || entries[0].Detail != "tip="+tip.ID {
			t.Fatalf("case audit: %v %+v", err, entries)
		}
		entries, _, err = database.NewAuditService(db).FindAuditEntries(w.op, atip.AuditFilter{Action: "tip.selector_link", RecordID: tip.ID})
		if err != nil || len(entries) != 2 {
			t.Fatalf("tip audit: %v %d entries", err, len(entries))
		}
		for _, e := range entries {
			if len(e.Detail) == 0 || strings.Contains(e.Detail, "9830") {
				t.Errorf("audit detail %q holds the selector's value", e.Detail)
			}
		}
	})
}
