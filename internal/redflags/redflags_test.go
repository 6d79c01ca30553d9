package redflags

import (
	"strings"
	"testing"
	"time"

	"atip"
)

func TestShippedCatalogueHasTheIssuesFlags(t *testing.T) {
	c := Default()
	for _, id := range []string{"job_does_not_exist", "companion_not_relative", "family_unaware", "no_documents",
		"minor_with_unrelated_adult", "contradictory_stories"} {
		if _, ok := c.Flag(id); !ok {
			t.Errorf("flag %s missing", id)
		}
	}
	if n, m := len(c.For(false)), len(c.For(true)); n >= m {
		t.Errorf("adult sees %d flags, minor %d: minor-only flags not filtered", n, m)
	}
}

func TestScorePrompts(t *testing.T) {
	c := Default() // thresholds: score 8, certainty 4, or 5 and 3 together
	tests := []struct {
		name      string
		flags     []string
		certainty int
		minor     bool
		score     int
		prompt    bool
		reason    string
	}{
		{"nothing seen, unsure", nil, 1, false, 0, false, ""},
		{"two weak flags", []string{"first_time_away", "gifts_from_companion"}, 2, false, 2, false, ""},
		{"the officer is sure", []string{"first_time_away"}, 4, false, 1, true, "certainty 4"},
		{"score reaches threshold", []string{"job_does_not_exist", "family_unaware", "no_documents"}, 1, false, 8, true, "score 8"},
		{"just below", []string{"job_does_not_exist", "family_unaware", "gifts_from_companion"}, 1, false, 7, false, ""},
		{"combined", []string{"job_does_not_exist", "no_documents"}, 3, false, 5, true, "together"},
		{"combined needs both", []string{"job_does_not_exist", "no_documents"}, 2, false, 5, false, ""},
		{"a child with an unrelated adult always prompts", []string{"minor_with_unrelated_adult"}, 1, true, 5, true, "critical"},
	}
	for _, tt := range tests {
		r, err := c.Score(tt.flags, tt.certainty, tt.minor)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if r.Score != tt.score || r.Prompt != tt.prompt || !strings.Contains(r.Reason, tt.reason) {
			t.Errorf("%s: %+v", tt.name, r)
		}
	}
}

func TestScoreRefusesBadInput(t *testing.T) {
	c := Default()
	tests := []struct {
		name      string
		flags     []string
		certainty int
		minor     bool
		field     string
	}{
		{"unknown flag", []string{"looks_shifty"}, 3, false, "flags"},
		{"twice", []string{"no_documents", "no_documents"}, 3, false, "flags"},
		{"minor flag on an adult", []string{"minor_alone"}, 3, false, "flags"},
		{"certainty 0", nil, 0, false, "certainty"},
		{"certainty 6", nil, 6, true, "certainty"},
	}
	for _, tt := range tests {
		_, err := c.Score(tt.flags, tt.certainty, tt.minor)
		e, ok := err.(*atip.Error)
		if !ok || e.Code != atip.EINVALID || e.Fields[0].Field != tt.field {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestAssessFillsTheRecord(t *testing.T) {
	x := &atip.Interception{Flags: []string{"minor_with_unrelated_adult", "family_unaware"}, Certainty: 2}
	if _, err := Default().Assess(x, true); err != nil {
		t.Fatal(err)
	}
	if x.Score != 8 || !x.Prompted || x.CatalogueVersion != 1 {
		t.Errorf("%+v", x)
	}
}

func TestTunedThresholdsChangeTheDecision(t *testing.T) {
	strict, err := Parse([]byte(`version: 2
thresholds: {score: 3, certainty: 5}
flags:
  - {id: no_documents, en: No documents, weight: 3}
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := strict.Score([]string{"no_documents"}, 1, false)
	if err != nil || !r.Prompt || r.CatalogueVersion != 2 {
		t.Errorf("%+v %v", r, err)
	}
	r, _ = Default().Score([]string{"no_documents"}, 1, false)
	if r.Prompt {
		t.Error("default catalogue prompts on one weak flag")
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	_, err := Parse([]byte(`version: 0
thresholds: {score: 0, certainty: 9, combined_score: 4}
flags:
  - {id: a, en: A, weight: 0}
  - {id: a, en: "", weight: 3}
`))
	for _, w := range []string{"version", "thresholds.score", "certainties", "combined_certainty", "flags[0].weight", `flags[1].id: "a" is given twice`, "flags[1].en"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("%q not in %v", w, err)
		}
	}
	if _, err := Parse([]byte("version: 1\ncolour: red\n")); err == nil {
		t.Error("unknown field accepted")
	}
}

func TestSecondPersonVerifies(t *testing.T) {
	at := time.Date(2026, 4, 2, 3, 0, 0, 0, time.UTC)
	x := &atip.Interception{At: at, RecordedBy: "officer"}
	if err := Verify(x, "officer", at.Add(time.Hour)); atip.ErrorCode(err) != atip.EFORBIDDEN {
		t.Errorf("self-verification: %v", err)
	}
	if err := Verify(x, "other", at.Add(-time.Hour)); atip.ErrorCode(err) != atip.EINVALID {
		t.Errorf("verification before the stop: %v", err)
	}
	if got := Unverified([]*atip.Interception{x}, at.Add(3*time.Hour), 2*time.Hour); len(got) != 1 {
		t.Error("unverified interception not listed")
	}
	if err := Verify(x, "supervisor", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := Verify(x, "third", at.Add(2*time.Hour)); atip.ErrorCode(err) != atip.ECONFLICT {
		t.Errorf("second verification: %v", err)
	}
	if got := Unverified([]*atip.Interception{x}, at.Add(3*time.Hour), 2*time.Hour); len(got) != 0 {
		t.Error("verified interception still listed")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(shipped)
	f.Add([]byte("version: 1\nflags: [{id: a, en: A, weight: 1}]\nthresholds: {score: 1, certainty: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err == nil {
			if _, err := c.Score(nil, 3, true); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// A stored interception names the catalogue version it was scored with; the
// page explains its score with that version's flags, and an unknown version
// is nil rather than another version's weights.
func TestVersionAndContributions(t *testing.T) {
	c := Default()
	if v := Version(c.Version); v == nil || v.Version != c.Version {
		t.Fatalf("Version(%d) = %v", c.Version, v)
	}
	if Version(c.Version+1) != nil || Version(0) != nil {
		t.Fatal("an unknown version returned a catalogue")
	}
	ticked, total := c.Contributions([]string{"no_documents", "job_does_not_exist", "not_a_flag"})
	r, err := c.Score([]string{"no_documents", "job_does_not_exist"}, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ticked) != 2 || total != r.Score {
		t.Fatalf("contributions %v total %d, score %d", ticked, total, r.Score)
	}
	if ticked[0].ID != c.Flags[indexOf(c, ticked[0].ID)].ID || indexOf(c, ticked[0].ID) > indexOf(c, ticked[1].ID) {
		t.Errorf("contributions not in catalogue order: %v", ticked)
	}
}

func indexOf(c *Catalogue, id string) int {
	for i, f := range c.Flags {
		if f.ID == id {
			return i
		}
	}
	return -1
}
