package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
)

// What analysts judged in the app comes out for refitting, and the same
// stored feedback refits the same model.
func TestTipsFeedbackThenFit(t *testing.T) {
	c := newCLI(t, database.SQLite)
	c.ok("", "org", "create", "--name", "Demo Tip Desk", "--type", "shelter_ngo", "--jurisdiction", "IN-WB-KOLKATA")
	c.ok("a long enough password\n", "user", "create", "--org", "Demo Tip Desk", "--login", "ana",
		"--name", "Ana Lyst", "--role", "analyst", "--password-stdin")

	db, err := database.Open(context.Background(), c.db, database.WithAuditKeyFile(c.key))
	if err != nil {
		t.Fatal(err)
	}
	op := atip.OperatorContext(context.Background())
	u, err := database.NewUserService(db).FindUserByLogin(op, "ana")
	if err != nil {
		t.Fatal(err)
	}
	o, _ := database.NewOrgService(db).FindOrgByID(op, u.OrgID)
	analyst := atip.NewContextWithActor(context.Background(), &atip.Actor{User: u, Org: o, Via: atip.ViaWeb})
	ts, err := database.NewTipService(db, "")
	if err != nil {
		t.Fatal(err)
	}
	for text, relevant := range map[string]bool{
		"Girls only, hotel job in Dubai, free visa, passport kept by agent": true,
		"Second-hand bicycle for sale near the bus stand":                   false,
	} {
		tip := &atip.Tip{Text: text}
		if err := ts.CreateTip(analyst, tip); err != nil {
			t.Fatal(err)
		}
		if err := ts.SetTipFeedback(analyst, tip.ID, relevant); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	dir := t.TempDir()
	fb := filepath.Join(dir, "feedback.jsonl")
	_, _, errs := c.run("", "tips", "feedback", "--out", fb, "--org", "Demo Tip Desk")
	if !strings.Contains(errs, "2 judgement(s)") {
		t.Fatalf("tips feedback: %q", errs)
	}
	if fi, err := os.Stat(fb); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("feedback file: %v %v, want mode 0600 (it holds tip texts)", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(fb); !strings.Contains(string(b), `"relevant":false`) || !strings.Contains(string(b), "passport kept") {
		t.Fatalf("feedback file:\n%s", b)
	}
	m1, m2 := filepath.Join(dir, "m1.json"), filepath.Join(dir, "m2.json")
	c.ok("", "tips", "fit", "--in", fb, "--out", m1)
	c.ok("", "tips", "fit", "--in", fb, "--out", m2)
	b1, _ := os.ReadFile(m1)
	b2, _ := os.ReadFile(m2)
	if len(b1) == 0 || string(b1) != string(b2) {
		t.Error("fitting the same stored feedback twice gave different models")
	}
	if out := c.ok("", "audit", "export", "--format", "csv", "--action", "tip.feedback_export"); !strings.Contains(out, "tip.feedback_export") {
		t.Errorf("the export is not in the audit trail:\n%s", out)
	}
	if code, _, _ := c.run("", "tips", "feedback"); code != 2 {
		t.Errorf("tips feedback without --out: exit %d, want 2", code)
	}
}
