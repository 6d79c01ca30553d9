package database_test

import (
	"context"
	"encoding/json"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/tips"
)

// Analysts' judgements come back out with the tips' texts, in a fixed
// order, so the weights can be refitted from them reproducibly; only the
// operator may take them out, and doing so is audited.
func TestExportTipFeedback(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ts := newTips(t, db, w.orgA.ID)
		analystA, analystB := w.as("A", atip.RoleAnalyst), w.as("B", atip.RoleAnalyst)
		judge := func(ctx context.Context, text string, relevant bool) {
			t.Helper()
			tip := &atip.Tip{Text: text, Platform: "facebook"}
			if err := ts.CreateTip(ctx, tip); err != nil {
				t.Fatal(err)
			}
			if err := ts.SetTipFeedback(ctx, tip.ID, relevant); err != nil {
				t.Fatal(err)
			}
		}
		judge(analystA, recruitPost, true)
		judge(analystA, "selling a second-hand bicycle near Raxaul", false)
		judge(analystB, "Girls only, spa work in Delhi, free stay", true)

		wantCode(t, ts.ExportTipFeedback(analystA, "", func(tips.Feedback) error { return nil }), atip.EFORBIDDEN)

		op := atip.OperatorContext(context.Background())
		collect := func(org string) []tips.Feedback {
			var out []tips.Feedback
			if err := ts.ExportTipFeedback(op, org, func(f tips.Feedback) error { out = append(out, f); return nil }); err != nil {
				t.Fatal(err)
			}
			return out
		}
		all := collect("")
		if len(all) != 3 || all[0].Text != recruitPost || !all[0].Relevant || all[1].Relevant || all[0].Analyst == "" {
			t.Fatalf("exported %+v", all)
		}
		if onlyA := collect(w.orgA.ID); len(onlyA) != 2 {
			t.Fatalf("organisation A's feedback: %d, want 2", len(onlyA))
		}
		// The same stored feedback fits the same model.
		lex, _ := tips.DefaultLexicon()
		prior, _ := tips.DefaultPrior()
		m1, err := tips.Fit(lex, prior, all, tips.FitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		m2, _ := tips.Fit(lex, prior, collect(""), tips.FitOptions{})
		if !sameModel(t, m1, m2) {
			t.Error("refitting from the same stored feedback gave another model")
		}
		es, _, err := database.NewAuditService(db).FindAuditEntries(op, atip.AuditFilter{Action: "tip.feedback_export"})
		if err != nil || len(es) != 3 || es[0].Via != atip.ViaCLI {
			t.Fatalf("export audit entries: %d %v", len(es), err)
		}
	})
}

func sameModel(t *testing.T, a, b *tips.Model) bool {
	t.Helper()
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	return string(ja) == string(jb)
}
