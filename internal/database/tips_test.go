package database_test

import (
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

const recruitPost = "Urgent! Girls only age 18-25 needed for hotel job in Dubai. Free visa, salary 80000, no experience needed. Call 98301 23456"

func newTips(t *testing.T, db *database.DB, desk string) *database.TipService {
	t.Helper()
	s, err := database.NewTipService(db, desk)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTipIntakeScoresAndAudits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ts := newTips(t, db, w.orgA.ID)

		// The public page files into the tip desk, scored, with selectors.
		pub := &atip.Tip{Text: recruitPost, Contact: ""}
		public := atip.NewContextWithActor(t.Context(), &atip.Actor{Via: atip.ViaWeb, RemoteAddr: "198.51.100.7"})
		ref, err := ts.SubmitPublicTip(public, pub)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ref, "TIP-") || pub.OrgID != w.orgA.ID || pub.Score < 0.5 || len(pub.Indicators) == 0 {
			t.Fatalf("public tip: ref %q org %q score %v indicators %d", ref, pub.OrgID, pub.Score, len(pub.Indicators))
		}
		// Without a desk, public tips are refused.
		_, err = newTips(t, db, "").SubmitPublicTip(t.Context(), &atip.Tip{Text: "x"})
		wantCode(t, err, atip.EFORBIDDEN)

		// Validation names the field.
		_, err = ts.SubmitPublicTip(t.Context(), &atip.Tip{Text: strings.Repeat("क", database.MaxTipText+1)})
		wantField(t, err, "text")
		_, err = ts.SubmitPublicTip(t.Context(), &atip.Tip{Text: "  "})
		wantField(t, err, "text")

		// An analyst of A sees and opens it; the view is audited.
		analyst := w.as("A", atip.RoleAnalyst)
		got, err := ts.FindTipByID(analyst, pub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != recruitPost || got.Source != atip.TipPublic || got.Status != atip.TipNew || len(got.Selectors) == 0 {
			t.Fatalf("stored tip: %+v", got)
		}
		var phone bool
		for _, s := range got.Selectors {
			phone = phone || (s.Type == "phone" && s.Normalized == "+919830123456")
		}
		if !phone {
			t.Errorf("selectors %+v lack the phone +919830123456", got.Selectors)
		}
		for _, in := range got.Indicators {
			if in.Start < 0 || in.End > len(got.Text) || in.Start >= in.End {
				t.Errorf("indicator %+v: span outside the text", in)
			}
		}
		entries, _, err := database.NewAuditService(db).FindAuditEntries(w.op, atip.AuditFilter{Action: "tip.", RecordID: pub.ID})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]bool{}
		for _, e := range entries {
			actions[e.Action] = true
			if strings.Contains(e.Detail, "9830") {
				t.Errorf("audit detail holds tip content: %q", e.Detail)
			}
			if e.Action == "tip.create" && (e.RemoteAddr != "" || e.ActorID != database.PublicActorID) {
				t.Errorf("public tip's audit entry: actor %q address %q, want %q and no address", e.ActorID, e.RemoteAddr, database.PublicActorID)
			}
		}
		if !actions["tip.create"] || !actions["tip.view"] {
			t.Errorf("audit actions %v, want tip.create and tip.view", actions)
		}

		// Another organisation's analyst: not found. An auditor: forbidden.
		_, err = ts.FindTipByID(w.as("B", atip.RoleAnalyst), pub.ID)
		wantCode(t, err, atip.ENOTFOUND)
		_, err = ts.FindTipByID(w.as("A", atip.RoleAuditor), pub.ID)
		wantCode(t, err, atip.EFORBIDDEN)
		list, _, err := ts.FindTips(w.as("B", atip.RoleAnalyst), atip.TipFilter{})
		if err != nil || len(list) != 0 {
			t.Fatalf("B's queue: %d tips, %v", len(list), err)
		}
		// A caseworker reports from their own organisation; may not triage.
		officer := &atip.Tip{Text: "Job in Mumbai dance bar, advance 5000 rupees, passport will be kept by agent", Platform: "Facebook"}
		if err := ts.CreateTip(w.as("B", atip.RoleCaseworker), officer); err != nil {
			t.Fatal(err)
		}
		if officer.OrgID != w.orgB.ID || officer.Source != atip.TipOfficer || officer.Platform != "facebook" {
			t.Fatalf("officer tip: %+v", officer)
		}
		wantCode(t, ts.DismissTip(w.as("B", atip.RoleCaseworker), officer.ID), atip.EFORBIDDEN)
		wantCode(t, ts.CreateTip(w.as("A", atip.RoleAuditor), &atip.Tip{Text: "x"}), atip.EFORBIDDEN)
	})
}

func TestTipTriage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ts := newTips(t, db, w.orgA.ID)
		analyst := w.as("A", atip.RoleAnalyst)
		texts := []string{
			"hello, anyone selling a second-hand bicycle near Raxaul?",
			recruitPost,
			"Girls only, spa work in Delhi, free stay, call 98301 23456",
			"Urgent! Girls only age 18-25 needed for hotel job in Dubai. Free visa, salary 80000, no experience. WhatsApp 9830 123 456",
			"Call childline 1098 if you see a child in danger. Police 112.",
			"Call childline 1098 for help with a lost child at the station",
		}
		var all []*atip.Tip
		for _, tx := range texts {
			tip := &atip.Tip{Text: tx, Platform: "facebook"}
			if err := ts.CreateTip(analyst, tip); err != nil {
				t.Fatal(err)
			}
			all = append(all, tip)
		}
		// The queue: best score first, and paging loses nothing.
		var seen []*atip.Tip
		after := ""
		for {
			page, next, err := ts.FindTips(analyst, atip.TipFilter{Limit: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, page...)
			if next == "" {
				break
			}
			after = next
		}
		if len(seen) != len(texts) {
			t.Fatalf("paged through %d tips, want %d", len(seen), len(texts))
		}
		for i := 1; i < len(seen); i++ {
			if seen[i].Score > seen[i-1].Score {
				t.Errorf("queue not sorted by score at %d: %v after %v", i, seen[i].Score, seen[i-1].Score)
			}
		}
		high, _, err := ts.FindTips(analyst, atip.TipFilter{MinScore: 0.5})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range high {
			if h.Score < 0.5 {
				t.Errorf("min score filter let through %v", h.Score)
			}
		}

		// Assign, feedback, actions, merge.
		if err := ts.AssignTip(analyst, all[1].ID, w.u["A"][atip.RoleSupervisor].ID); err != nil {
			t.Fatal(err)
		}
		wantField(t, ts.AssignTip(analyst, all[1].ID, w.u["A"][atip.RoleCaseworker].ID), "user")
		wantField(t, ts.AssignTip(analyst, all[1].ID, w.u["B"][atip.RoleAnalyst].ID), "user")
		if err := ts.SetTipFeedback(analyst, all[1].ID, true); err != nil {
			t.Fatal(err)
		}
		if err := ts.SetTipFeedback(analyst, all[1].ID, false); err != nil {
			t.Fatal(err)
		}
		fb, err := ts.TipFeedbackOf(analyst, all[1].ID)
		if err != nil || len(fb) != 1 || fb[0].Relevant {
			t.Fatalf("feedback after changing one's mind: %+v %v", fb, err)
		}
		wantField(t, ts.AddTipAction(analyst, &atip.TipAction{TipID: all[1].ID, Kind: atip.TipTakedown}), "reference")
		wantField(t, ts.AddTipAction(analyst, &atip.TipAction{TipID: all[1].ID, Kind: "burn"}), "kind")
		if err := ts.AddTipAction(analyst, &atip.TipAction{TipID: all[1].ID, Kind: atip.TipTakedown, Reference: "FB-REQ-1"}); err != nil {
			t.Fatal(err)
		}
		acts, err := ts.FindTipActions(analyst, all[1].ID)
		if err != nil || len(acts) != 1 || acts[0].Reference != "FB-REQ-1" {
			t.Fatalf("actions: %+v %v", acts, err)
		}
		wantField(t, ts.MergeTip(analyst, all[3].ID, all[3].ID), "into")
		if err := ts.MergeTip(analyst, all[3].ID, all[1].Ref); err != nil {
			t.Fatal(err)
		}
		wantField(t, ts.MergeTip(analyst, all[2].ID, all[3].ID), "into")
		got, err := ts.FindTipByID(analyst, all[3].ID)
		if err != nil || got.Status != atip.TipMerged || got.MergedInto != all[1].ID {
			t.Fatalf("merged tip: %+v %v", got, err)
		}
		got, _ = ts.FindTipByID(analyst, all[1].ID)
		if got.Status != atip.TipActioned || got.AssignedTo != w.u["A"][atip.RoleSupervisor].ID {
			t.Fatalf("actioned tip: status %s assigned %s", got.Status, got.AssignedTo)
		}
		// Another organisation cannot triage it.
		wantCode(t, ts.DismissTip(w.as("B", atip.RoleAnalyst), all[1].ID), atip.ENOTFOUND)

		// Networks: the shared phone links 1, 2 and 3; the helpline 1098
		// links nothing, and the bicycle post stays alone.
		net, err := ts.TipNetwork(analyst, all[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, m := range net.Tips {
			ids[m.ID] = true
		}
		if !ids[all[1].ID] || !ids[all[2].ID] || !ids[all[3].ID] || ids[all[0].ID] || ids[all[4].ID] || ids[all[5].ID] {
			t.Errorf("network of tip 1: %v", ids)
		}
		if len(net.Links) < 2 {
			t.Errorf("network links %+v, want at least 2", net.Links)
		}
		alone, err := ts.TipNetwork(analyst, all[4].ID)
		if err != nil || len(alone.Tips) != 1 {
			t.Errorf("helpline post's network has %d tips (%v), want itself only", len(alone.Tips), err)
		}
	})
}

func TestImportTipsAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ts := newTips(t, db, "")
		analyst := w.as("A", atip.RoleAnalyst)
		batch := []*atip.Tip{
			{Text: "good post one", Source: atip.TipImport, Images: []string{"img/1.jpg"}},
			{Text: "", Source: atip.TipImport},
		}
		err := ts.ImportTips(analyst, batch)
		wantField(t, err, "text")
		if !strings.Contains(err.Error(), "tip 2") {
			t.Errorf("error %q does not name tip 2", err)
		}
		list, _, _ := ts.FindTips(analyst, atip.TipFilter{})
		if len(list) != 0 {
			t.Fatalf("%d tips stored after a failed import", len(list))
		}
		batch[1].Text = "good post two"
		if err := ts.ImportTips(analyst, batch); err != nil {
			t.Fatal(err)
		}
		list, _, _ = ts.FindTips(analyst, atip.TipFilter{})
		if len(list) != 2 {
			t.Fatalf("%d tips stored, want 2", len(list))
		}
		for _, tip := range list {
			if tip.Text == "good post one" && (len(tip.Images) != 1 || tip.Images[0] != "img/1.jpg") {
				t.Errorf("image references: %v", tip.Images)
			}
		}
	})
}
