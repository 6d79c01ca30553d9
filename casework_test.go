package atip_test

import (
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/policy"
	"atip/internal/redact"
)

func TestEveryCaseRecordIsClassified(t *testing.T) {
	for _, v := range []any{atip.Person{}, atip.Case{}, atip.Signal{}, atip.Interception{}, atip.MissingReport{},
		atip.CaseReferral{}, atip.Repatriation{}, atip.CarePlan{}, atip.FollowUp{}, atip.LegalTrack{}, atip.TimelineEvent{}} {
		if err := redact.Classified(v); err != nil {
			t.Error(err)
		}
	}
}

func TestRedactedPersonKeepsNoIdentity(t *testing.T) {
	p := atip.Person{
		ID: "p1", Sex: "female", AgeBand: "15-17", HomeDistrict: "NP-SIN",
		Names:       []atip.PersonName{{Full: "Sunita Tamang", Script: "Latn"}},
		Phones:      []string{"+9779800000000"},
		HomeVillage: "Thangpalkot",
		Documents:   []atip.IdentityDocument{{Type: "np_citizenship", Number: "123"}},
		AgeYears:    15,
	}
	if err := redact.Apply(&p, policy.Classes(atip.ClassReference)); err != nil {
		t.Fatal(err)
	}
	if len(p.Names) != 0 || len(p.Phones) != 0 || p.HomeVillage != "" || len(p.Documents) != 0 || p.AgeYears != 0 {
		t.Errorf("protected fields survived: %+v", p)
	}
	if p.Sex != "female" || p.AgeBand != "15-17" || p.HomeDistrict != "NP-SIN" {
		t.Errorf("reference fields lost: %+v", p)
	}
}

func TestPersonAge(t *testing.T) {
	at := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	tests := []struct {
		name  string
		p     atip.Person
		on    string
		age   int
		child bool
	}{
		{"birth date, day before birthday", atip.Person{BirthDate: at("2010-06-15")}, "2028-06-14", 17, true},
		{"birth date, on birthday", atip.Person{BirthDate: at("2010-06-15")}, "2028-06-15", 18, false},
		{"estimate ages with time", atip.Person{AgeYears: 16, AgeAsOf: at("2025-01-01")}, "2027-01-02", 18, false},
		{"unknown counts as child", atip.Person{AgeYears: -1}, "2026-01-01", -1, true},
	}
	for _, tt := range tests {
		if got := tt.p.AgeAt(at(tt.on)); got != tt.age {
			t.Errorf("%s: age %d, want %d", tt.name, got, tt.age)
		}
		if got := tt.p.ChildAt(at(tt.on)); got != tt.child {
			t.Errorf("%s: child %v", tt.name, got)
		}
	}
}

func fields(err error) string {
	e, ok := err.(*atip.Error)
	if !ok {
		return ""
	}
	var s []string
	for _, f := range e.Fields {
		s = append(s, f.Field)
	}
	return strings.Join(s, ",")
}

func TestValidateNamesTheBadFields(t *testing.T) {
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		rec  interface{ Validate() error }
		want string // comma-joined field names; "" for valid
	}{
		{"quick intake is enough", &atip.Case{IntakeChannel: "interception", IntakeAt: now, IntakeDistrict: "IN-BR-PUR"}, ""},
		{"bad exploitation code", &atip.Case{IntakeChannel: "rescue", IntakeAt: now, IntakeDistrict: "X", Exploitation: []string{"slavery"}}, "exploitation[0]"},
		{"complete case needs a victim", &atip.Case{IntakeChannel: "rescue", IntakeAt: now, IntakeDistrict: "X", Complete: true, Exploitation: []string{"forced_labour_brick_kiln"}}, "victims"},
		{"status needs who decided", &atip.Case{IntakeChannel: "rescue", IntakeAt: now, IntakeDistrict: "X",
			Victims: []atip.CaseVictim{{PersonID: "p", TraffickingStatus: "confirmed_victim"}}}, "victims[0].status_decided_by"},
		{"suspect role", &atip.Case{IntakeChannel: "rescue", IntakeAt: now, IntakeDistrict: "X",
			Suspects: []atip.CaseSuspect{{PersonID: "s", Roles: []string{"recruiter", "boss"}}}}, "suspects[0].roles"},
		{"person needs role and sex", &atip.Person{AgeYears: -1}, "roles,sex"},
		{"estimated age needs a method", &atip.Person{Roles: []atip.PersonRole{"victim"}, Sex: "female", AgeYears: 15}, "age_method"},
		{"person ok", &atip.Person{Roles: []atip.PersonRole{"victim"}, Sex: "female", AgeYears: 15, AgeMethod: "officer_estimate", Nationality: "NP"}, ""},
		{"interception verified by the recorder", &atip.Interception{At: now, Point: "sunauli-bhairahawa", PersonIDs: []string{"p"}, Certainty: 3, RecordedBy: "u1", VerifiedBy: "u1"}, "verified_by"},
		{"interception certainty", &atip.Interception{At: now, Point: "x", PersonIDs: []string{"p"}, Certainty: 6}, "certainty"},
		{"anonymous caller", &atip.Signal{Channel: "helpline", ReceivedAt: now, CallerAnonymous: true, CallerPhone: "+91"}, "caller_anonymous"},
		{"repatriation before verification", &atip.Repatriation{CaseID: "c", Kind: "cross_border", ToOrgID: "np", Status: "handed_over"}, "home_verification"},
		{"received needs confirmation", &atip.Repatriation{CaseID: "c", Kind: "cross_border", ToOrgID: "np", Status: "received",
			HomeVerification: atip.HomeVerification{DoneAt: now, Safe: true},
			HandOvers:        []atip.HandOver{{FromOrgID: "in", ToOrgID: "np"}}}, "status"},
		{"legal outcome needs a date", &atip.LegalTrack{CaseID: "c", Outcome: "convicted"}, "outcome_at"},
		{"follow-up done needs a risk level", &atip.FollowUp{CaseID: "c", Due: now, DoneAt: now}, "risk.level"},
		{"care plan service type", &atip.CarePlan{CaseID: "c", Services: []atip.Service{{Type: "spa", Status: "planned"}}}, "services[0].type"},
	}
	for _, tt := range tests {
		err := tt.rec.Validate()
		if got := fields(err); got != tt.want || (tt.want == "" && err != nil) {
			t.Errorf("%s: fields %q (err %v), want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestScheduleFollowUpsStaysInTheMonth(t *testing.T) {
	kathmandu, _ := time.LoadLocation("Asia/Kathmandu")
	start := time.Date(2026, 1, 31, 11, 0, 0, 0, kathmandu)
	got := atip.ScheduleFollowUps(start.UTC(), atip.DefaultFollowUpMonths, kathmandu)
	want := []string{"2026-02-28", "2026-04-30", "2026-07-31", "2027-01-31"}
	for i, d := range got {
		if s := d.In(kathmandu).Format("2006-01-02"); s != want[i] {
			t.Errorf("visit %d on %s, want %s", i, s, want[i])
		}
		if d.In(kathmandu).Hour() != 11 {
			t.Errorf("visit %d at %v", i, d.In(kathmandu))
		}
	}
}

func TestRiskFactors(t *testing.T) {
	r := atip.RiskAssessment{NoIncome: true, OfferToMigrate: true}
	if r.Factors() != 2 {
		t.Fatal(r.Factors())
	}
}

func TestQuickIntake(t *testing.T) {
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	ok := atip.QuickIntake{ClientKey: "0123456789abcdef", Channel: "interception", At: now.Add(-time.Hour),
		District: "IN-BR-EAST_CHAMPARAN", Point: "birgunj-raxaul", Sex: "female", AgeYears: 15, Nationality: "NP"}
	if err := ok.Validate(now); err != nil {
		t.Fatal(err)
	}
	c, p := ok.Records(atip.RecordInfo{OwnerOrgID: "bop"})
	if !c.CrossBorder || c.Complete || c.IntakeKey != ok.ClientKey || !c.Victims[0].ChildAtIntake || p.AgeMethod != "officer_estimate" {
		t.Errorf("records: %+v %+v", c, p)
	}
	c.Victims[0].PersonID = "p1"
	if err := c.Validate(); err != nil {
		t.Errorf("case from a quick intake: %v", err)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("person from a quick intake: %v", err)
	}
	bad := atip.QuickIntake{ClientKey: "short", Channel: "interception", At: now.Add(time.Hour), Sex: "girl", AgeYears: 200, Nationality: "Nepal"}
	if got := fields(bad.Validate(now)); got != "client_key,at,district,point,sex,age_years,nationality" {
		t.Errorf("fields %s", got)
	}
}

func TestReferralAnswer(t *testing.T) {
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		org    string
		accept bool
		reason string
		code   string
		status string
	}{
		{"another organisation", "other", true, "", atip.ENOTFOUND, "sent"},
		{"decline without reason", "shelter", false, "", atip.EINVALID, "sent"},
		{"accept", "shelter", true, "", "", "accepted"},
	}
	r := atip.CaseReferral{ToOrgID: "shelter", Status: "sent"}
	for _, tt := range tests {
		if got := atip.ErrorCode(r.Answer(tt.org, "u", tt.accept, tt.reason, at)); got != tt.code || r.Status != tt.status {
			t.Errorf("%s: code %q status %q", tt.name, got, r.Status)
		}
	}
	if atip.ErrorCode(r.Answer("shelter", "u", false, "full", at)) != atip.ECONFLICT {
		t.Error("answered twice")
	}
}

func TestHandOverConfirmedByReceiverOnly(t *testing.T) {
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	r := atip.Repatriation{CaseID: "c", Kind: "cross_border", ToOrgID: "np-counterpart", Status: "handed_over",
		HomeVerification: atip.HomeVerification{DoneAt: at.Add(-240 * time.Hour), Safe: true},
		HandOvers: []atip.HandOver{
			{ID: "h1", FromOrgID: "in-shelter", ToOrgID: "in-police", At: at},
			{ID: "h2", FromOrgID: "in-police", ToOrgID: "np-counterpart", At: at.Add(5 * time.Hour)},
		}}
	if atip.ErrorCode(r.ConfirmReceipt("h2", "in-police", "u", at.Add(6*time.Hour))) != atip.EFORBIDDEN {
		t.Error("the sender confirmed its own hand-over")
	}
	if err := r.ConfirmReceipt("h1", "in-police", "p1", at.Add(time.Hour)); err != nil || r.Status != "handed_over" {
		t.Fatalf("intermediate hand-over: %v, status %s", err, r.Status)
	}
	if atip.ErrorCode(r.ConfirmReceipt("h2", "np-counterpart", "n1", at)) != atip.EINVALID {
		t.Error("receipt before the hand-over accepted")
	}
	if err := r.ConfirmReceipt("h2", "np-counterpart", "n1", at.Add(6*time.Hour)); err != nil || r.Status != "received" {
		t.Fatalf("final hand-over: %v, status %s", err, r.Status)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("a received repatriation is valid: %v", err)
	}
	if atip.ErrorCode(r.ConfirmReceipt("h2", "np-counterpart", "n1", at.Add(7*time.Hour))) != atip.ECONFLICT {
		t.Error("confirmed twice")
	}
}
