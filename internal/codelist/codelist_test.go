package codelist

import (
	"strings"
	"testing"
)

func TestEveryListTheRecordsNameExists(t *testing.T) {
	for _, name := range []string{Sex, PersonRole, AgeEstimation, TraffickingStatus, StatusDecidedBy,
		RelationToTrafficker, MeansOfRecruitment, MeansOfControl, PerpetratorRole, Exploitation,
		SupportType, CaseStatus, CaseStage, IntakeChannel, Transport, OnlinePlatform, DocumentType,
		LegalStage, TrialOutcome, RiskLevel, ServiceStatus} {
		if len(Codes(name)) == 0 {
			t.Errorf("list %s is missing or empty", name)
		}
	}
}

func TestExploitationCoversTheFormsTheIssueNames(t *testing.T) {
	for _, c := range []string{"sexual_exploitation", "forced_labour", "domestic_servitude", "forced_marriage",
		"child_marriage", "child_labour", "forced_begging", "forced_criminality", "organ_removal",
		"online_sexual_exploitation", "other"} {
		if !Valid(Exploitation, c) {
			t.Errorf("%s missing", c)
		}
	}
}

func TestIsFollowsParents(t *testing.T) {
	tests := []struct {
		code, want string
		is         bool
	}{
		{"forced_labour_brick_kiln", "forced_labour", true},
		{"forced_labour", "forced_labour", true},
		{"online_sexual_exploitation", "sexual_exploitation", true},
		{"child_marriage", "forced_marriage", true},
		{"domestic_servitude", "forced_labour", false},
		{"nonsense", "forced_labour", false},
	}
	for _, tt := range tests {
		if got := Is(Exploitation, tt.code, tt.want); got != tt.is {
			t.Errorf("Is(%s, %s) = %v", tt.code, tt.want, got)
		}
	}
}

func TestCheckNamesTheList(t *testing.T) {
	if err := Check(Sex, "female"); err != nil {
		t.Fatal(err)
	}
	err := Check(Sex, "f")
	if err == nil || !strings.Contains(err.Error(), "sex") {
		t.Fatalf("got %v", err)
	}
	if Check("nolist", "x") == nil {
		t.Fatal("unknown list accepted")
	}
}

func TestLabelPrefersTranslation(t *testing.T) {
	tr := func(k string) (string, bool) {
		if k == "code.sex.female" {
			return "महिला", true
		}
		return "", false
	}
	if got := Label(Sex, "female", tr); got != "महिला" {
		t.Errorf("got %q", got)
	}
	if got := Label(Sex, "male", tr); got != "Male" {
		t.Errorf("got %q", got)
	}
	if got := Label(Sex, "zz", nil); got != "zz" {
		t.Errorf("got %q", got)
	}
}

func TestParseRejectsBrokenLists(t *testing.T) {
	for _, bad := range []string{
		`{"lists":[{"name":"a","codes":[{"code":"x","label":"X"},{"code":"x","label":"Y"}]}]}`,
		`{"lists":[{"name":"a","codes":[{"code":"x","label":""}]}]}`,
		`{"lists":[{"name":"a","codes":[{"code":"x","label":"X","parent":"y"}]}]}`,
		`{"lists":[{"name":"a"},{"name":"a"}]}`,
		`{"lists":`,
	} {
		if _, err := parse([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
