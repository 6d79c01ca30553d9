package sop

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"atip"
)

var (
	kolkata   = location("Asia/Kolkata")
	kathmandu = location("Asia/Kathmandu")
	dhaka     = location("Asia/Dhaka")
	colombo   = location("Asia/Colombo")
)

func defaults(t *testing.T) *Set {
	t.Helper()
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ids(ps []*Procedure) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestConditionsSelectTheProcedures(t *testing.T) {
	s := defaults(t)
	tests := []struct {
		name  string
		facts Facts
		want  []string
	}{
		{"Nepali girl intercepted in India", Facts{Country: "IN", Child: true, CrossBorder: true, ForeignNational: true, Sex: "female", Exploitation: []string{"unknown"}},
			[]string{"in-child-rescue", "in-foreign-national", "in-investigation"}},
		{"adult woman rescued from a brothel", Facts{Country: "IN", Sex: "female", Exploitation: []string{"sexual_exploitation"}},
			[]string{"in-adult-sexual-exploitation", "in-investigation"}},
		{"online sexual exploitation is sexual exploitation", Facts{Country: "IN", Sex: "female", Exploitation: []string{"online_sexual_exploitation"}},
			[]string{"in-adult-sexual-exploitation", "in-investigation"}},
		{"adult men from a brick kiln", Facts{Country: "IN", Sex: "male", Exploitation: []string{"forced_labour_brick_kiln"}},
			[]string{"in-adult-forced-labour", "in-investigation"}},
		{"adult in domestic servitude", Facts{Country: "IN", Sex: "female", Exploitation: []string{"domestic_servitude"}},
			[]string{"in-adult-forced-labour", "in-investigation"}},
		{"child in a kiln follows the child procedure only", Facts{Country: "IN", Child: true, Exploitation: []string{"forced_labour_brick_kiln"}},
			[]string{"in-child-rescue", "in-investigation"}},
		{"a case in Nepal gets none of India's, only Nepal's", Facts{Country: "NP", Child: true}, []string{"np-returnee-victim"}},
		{"a case in Bangladesh gets no procedure yet", Facts{Country: "BD", Child: true}, nil},
	}
	for _, tt := range tests {
		if got := ids(s.Applicable(tt.facts)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func ist(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, kolkata)
	if err != nil {
		panic(err)
	}
	return t
}

func childChecklist(t *testing.T, intake time.Time, journey time.Duration) *Checklist {
	t.Helper()
	s := defaults(t)
	f := Facts{Country: "IN", Child: true, ForeignNational: true, CrossBorder: true, Sex: "female"}
	c, err := s.Instantiate(s.Applicable(f), f, intake, journey)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCWCProductionExcludesTheJourney(t *testing.T) {
	tests := []struct {
		intake  string
		journey time.Duration
		want    string // IST
	}{
		{"2026-03-10 22:30", 0, "2026-03-11 22:30"},
		{"2026-03-10 22:30", 3 * time.Hour, "2026-03-12 01:30"},
		{"2026-12-31 23:00", 90 * time.Minute, "2027-01-02 00:30"},
	}
	for _, tt := range tests {
		c := childChecklist(t, ist(tt.intake), tt.journey)
		it := c.Item("in-child-rescue/cwc_production")
		if got := it.DueLocal().Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("intake %s, journey %v: due %s, want %s", tt.intake, tt.journey, got, tt.want)
		}
		if it.Due.Location() != time.UTC {
			t.Errorf("due time not stored in UTC: %v", it.Due)
		}
		if !strings.Contains(it.Law, "s.31") {
			t.Errorf("law %q", it.Law)
		}
	}
	// The journey becomes known later: the deadline moves with it, the
	// steps without journey exclusion do not.
	c := childChecklist(t, ist("2026-03-10 10:00"), 0)
	med := c.Item("in-child-rescue/medical_care").Due
	if err := c.SetJourney(5 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := c.Item("in-child-rescue/cwc_production").DueLocal().Format("15:04 02"); got != "15:00 11" {
		t.Errorf("after journey set: %s", got)
	}
	if !c.Item("in-child-rescue/medical_care").Due.Equal(med) {
		t.Error("medical care deadline moved with the journey")
	}
}

func TestStepsCountFromOtherSteps(t *testing.T) {
	c := childChecklist(t, ist("2026-10-30 20:00"), 2*time.Hour)
	sir := c.Item("in-child-rescue/social_investigation")
	if !sir.Due.IsZero() || sir.WaitingOn != "step:in-child-rescue/cwc_production" {
		t.Fatalf("before production: due %v waiting %q", sir.Due, sir.WaitingOn)
	}
	produced := ist("2026-10-31 11:15")
	if err := c.Complete("in-child-rescue/cwc_production", produced, "u1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ key, want string }{
		{"in-child-rescue/social_investigation", "2026-11-15 23:59"}, // 15 days, end of the day
		{"in-child-rescue/cwc_final_order", "2027-02-28 23:59"},      // 4 months from 31 October ends in February
		{"in-child-rescue/age_determination", "2026-11-15 11:15"},
		{"in-child-rescue/shelter_placement", "2026-11-01 11:15"},
		{"in-child-rescue/individual_care_plan", ""}, // waits for the social investigation
	}
	for _, tt := range tests {
		it := c.Item(tt.key)
		got := ""
		if !it.Due.IsZero() {
			got = it.DueLocal().Format("2006-01-02 15:04")
		}
		if got != tt.want {
			t.Errorf("%s: due %q, want %q", tt.key, got, tt.want)
		}
	}
	// A chain: the care plan counts from the report's completion.
	if err := c.Complete("in-child-rescue/social_investigation", ist("2026-11-10 16:00"), "u2"); err != nil {
		t.Fatal(err)
	}
	if got := c.Item("in-child-rescue/individual_care_plan").DueLocal().Format("2006-01-02 15:04"); got != "2026-12-10 16:00" {
		t.Errorf("care plan due %s", got)
	}
	// Reopening the production puts its dependants back to waiting.
	if err := c.Reopen("in-child-rescue/cwc_production"); err != nil {
		t.Fatal(err)
	}
	if !c.Item("in-child-rescue/cwc_final_order").Due.IsZero() {
		t.Error("final order still due after production was reopened")
	}
}

func TestEventsStartDeadlines(t *testing.T) {
	s := defaults(t)
	for _, tt := range []struct {
		child      bool
		key, other string
		want       string
	}{
		{true, "in-investigation/charge_sheet", "in-investigation/charge_sheet_adult", "2026-06-08 23:59"},
		{false, "in-investigation/charge_sheet_adult", "in-investigation/charge_sheet", "2026-05-09 23:59"},
	} {
		f := Facts{Country: "IN", Child: tt.child, Exploitation: []string{"sexual_exploitation"}}
		c, err := s.Instantiate(s.Applicable(f), f, ist("2026-03-09 09:00"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if c.Item(tt.other) != nil {
			t.Errorf("child=%v: %s should not be on the checklist", tt.child, tt.other)
		}
		if it := c.Item(tt.key); it.WaitingOn != "event:arrest" {
			t.Errorf("waiting on %q", it.WaitingOn)
		}
		c.SetEvent("arrest", ist("2026-03-10 17:40"))
		if got := c.Item(tt.key).DueLocal().Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("child=%v: charge sheet due %s, want %s", tt.child, got, tt.want)
		}
		if got := c.Item("in-investigation/produce_suspects").DueLocal().Format("2006-01-02 15:04"); got != "2026-03-11 17:40" {
			t.Errorf("suspect production due %s", got)
		}
	}
}

// zoneSet builds a set whose one procedure counts a 1-day end-of-day
// deadline and a 24-hour deadline in the given zone.
func zoneSet(t *testing.T, zone, country string) *Set {
	t.Helper()
	fsys := fstest.MapFS{
		"p/deadlines.yaml": {Data: fmt.Appendf(nil, `deadlines:
  - id: day
    law: Test Act s.1
    country: %s
    zone: %s
    from: intake
    within: 1d
    end_of_day: true
  - id: hours
    law: Test Act s.2
    country: %s
    zone: %s
    from: intake
    within: 24h
    exclude_journey: true
`, country, zone, country, zone)},
		"p/test.yaml": {Data: fmt.Appendf(nil, `id: test
version: 1
title: Test
country: %s
zone: %s
sources: [test]
steps:
  - {id: day, title: Day, owner: caseworker, due: {deadline: day}}
  - {id: hours, title: Hours, owner: caseworker, due: {deadline: hours}}
`, country, zone)},
	}
	s, err := LoadFS(fsys, "p")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDueTimesFollowTheJurisdictionsZone(t *testing.T) {
	// 18:00 UTC is 23:30 in Kolkata and Colombo, 23:45 in Kathmandu and
	// already the next day (00:00) in Dhaka: "end of the next day" differs
	// across the borders by up to a day.
	intake := time.Date(2026, 5, 1, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		zone, country string
		loc           *time.Location
		wantDayUTC    string
		wantLocal     string
	}{
		{"Asia/Kolkata", "IN", kolkata, "2026-05-02 18:29:59", "2026-05-02 23:59:59 +0530"},
		{"Asia/Colombo", "LK", colombo, "2026-05-02 18:29:59", "2026-05-02 23:59:59 +0530"},
		{"Asia/Kathmandu", "NP", kathmandu, "2026-05-02 18:14:59", "2026-05-02 23:59:59 +0545"},
		{"Asia/Dhaka", "BD", dhaka, "2026-05-03 17:59:59", "2026-05-03 23:59:59 +0600"},
	}
	for _, tt := range tests {
		s := zoneSet(t, tt.zone, tt.country)
		p, _ := s.Latest("test")
		c, err := s.Instantiate([]*Procedure{p}, Facts{}, intake, 45*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		day := c.Item("test/day")
		if got := day.Due.Format("2006-01-02 15:04:05"); got != tt.wantDayUTC {
			t.Errorf("%s: end of next day %s UTC, want %s", tt.zone, got, tt.wantDayUTC)
		}
		if got := day.DueLocal().Format("2006-01-02 15:04:05 -0700"); got != tt.wantLocal {
			t.Errorf("%s: local %s, want %s", tt.zone, got, tt.wantLocal)
		}
		// Elapsed hours are the same everywhere.
		if got := c.Item("test/hours").Due; !got.Equal(intake.Add(24*time.Hour + 45*time.Minute)) {
			t.Errorf("%s: 24h deadline %v", tt.zone, got)
		}
	}
}

func TestOverdueListsPendingStepsWithOwners(t *testing.T) {
	intake := ist("2026-03-10 10:00")
	c := childChecklist(t, intake, 0)
	if got := c.Overdue(intake.Add(30 * time.Minute)); len(got) != 0 {
		t.Fatalf("overdue 30 minutes after intake: %v", got)
	}
	if err := c.Complete("in-child-rescue/separate_from_suspects", intake.Add(20*time.Minute), "u"); err != nil {
		t.Fatal(err)
	}
	now := intake.Add(25 * time.Hour)
	var keys []string
	for _, o := range c.Overdue(now) {
		keys = append(keys, o.Key)
		if o.Owner == "" || o.Late <= 0 {
			t.Errorf("%s: owner %q late %v", o.Key, o.Owner, o.Late)
		}
	}
	// Equal due times (medical care and production, both 24 hours) list
	// in key order.
	want := []string{"in-child-rescue/inform_cwc", "in-child-rescue/cwc_production", "in-child-rescue/medical_care",
		"in-foreign-national/interpreter", "in-investigation/register_fir"}
	if !slices.Equal(keys, want) {
		t.Errorf("overdue %v, want %v", keys, want)
	}
	if n := c.NextDue(); n == nil || n.Key != "in-child-rescue/inform_cwc" {
		t.Errorf("next due %+v", n)
	}
}

func TestCompleteAndSkipRefuseBadInput(t *testing.T) {
	intake := ist("2026-03-10 10:00")
	c := childChecklist(t, intake, 0)
	key := "in-child-rescue/medical_care"
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"unknown step", c.Complete("nope/x", intake, "u"), atip.ENOTFOUND},
		{"before intake", c.Complete(key, intake.Add(-time.Hour), "u"), atip.EINVALID},
		{"skip without reason", c.Skip(key, " ", intake, "u"), atip.EINVALID},
		{"done", c.Complete(key, intake.Add(time.Hour), "u"), ""},
		{"done twice", c.Complete(key, intake.Add(2*time.Hour), "u"), atip.ECONFLICT},
	}
	for _, tt := range tests {
		if got := atip.ErrorCode(tt.err); got != tt.code {
			t.Errorf("%s: code %q (%v), want %q", tt.name, got, tt.err, tt.code)
		}
	}
	// A skipped step counts as finished: its dependants count from the skip.
	if err := c.Skip("in-foreign-national/inform_counterpart", "the person refused contact with the mission", ist("2026-03-11 09:00"), "u"); err != nil {
		t.Fatal(err)
	}
	if got := c.Item("in-foreign-national/home_verification").DueLocal().Format("2006-01-02"); got != "2026-04-10" {
		t.Errorf("home verification due %s", got)
	}
}

const procV1 = `id: demo
version: 1
title: Demo
country: IN
zone: Asia/Kolkata
sources: [test]
applies_when: [{child: true}]
steps:
  - {id: a, title: A, owner: caseworker, due: {after: intake, within: 1d}}
`

func TestVersions(t *testing.T) {
	s := NewSet(map[string]Deadline{})
	add := func(doc string) error {
		p, err := ParseProcedure("demo.yaml", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return s.Add(p)
	}
	if err := add(procV1); err != nil {
		t.Fatal(err)
	}
	intake := ist("2026-01-01 10:00")
	f := Facts{Child: true}
	c1, err := s.Instantiate(s.Applicable(f), f, intake, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The same version again, even changed, is refused: cases refer to it.
	if err := add(strings.Replace(procV1, "1d", "2d", 1)); err == nil || !strings.Contains(err.Error(), "version") {
		t.Fatalf("same version accepted: %v", err)
	}
	v2 := strings.Replace(strings.Replace(procV1, "version: 1", "version: 2", 1), "1d", "3d", 1)
	v2 = strings.Replace(v2, "{child: true}", "{child: false}", 1)
	if err := add(v2); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.Latest("demo"); p.Version != 2 {
		t.Errorf("latest is %d", p.Version)
	}
	if p, ok := s.Get("demo", 1); !ok || p.Steps[0].Due.Within != "1d" {
		t.Error("version 1 lost")
	}
	// The new version's conditions decide for new cases...
	if got := ids(s.Applicable(f)); len(got) != 0 {
		t.Errorf("v2 applies to a child: %v", got)
	}
	// ...while the old checklist keeps its version and its due times.
	if c1.Procedures[0] != (atip.ProcedureRef{ID: "demo", Version: 1}) || c1.Items[0].Procedure.Version != 1 {
		t.Errorf("refs %v", c1.Procedures)
	}
	c1.Recompute()
	if got := c1.Items[0].DueLocal().Format("2006-01-02"); got != "2026-01-02" {
		t.Errorf("old checklist due %s", got)
	}
	// An older version uploaded after a newer one is refused too.
	if err := add(procV1); err == nil {
		t.Error("older version accepted")
	}
}

func TestParseErrorsNameFileLineAndField(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"missing everything", "id: x\n", []string{"p.yaml:1: version: is required", "p.yaml:1: title:", "country", "zone", "sources", "steps"}},
		{"unknown field", procV1 + "colour: red\n", []string{"p.yaml:10: colour: unknown field"}},
		{"bad owner and step reference", strings.Replace(strings.Replace(procV1, "caseworker", "boss", 1), "after: intake", "after: step:zz", 1),
			[]string{"p.yaml:9: steps[0].owner: must be one of the roles", `p.yaml:9: steps[0].due.after: names no step of this procedure: "zz"`}},
		{"bad span", strings.Replace(procV1, "1d", "1 day", 1), []string{"p.yaml:9: steps[0].due.within:"}},
		{"bad zone", strings.Replace(procV1, "Asia/Kolkata", "IST", 1), []string{`p.yaml:5: zone: "IST" is not a time zone`}},
		{"bad condition", strings.Replace(procV1, "{child: true}", "{child: yes please, exploitation: [slavery]}", 1),
			[]string{"p.yaml:7: applies_when[0].child: must be true or false", "applies_when[0].exploitation"}},
		{"duplicate step", procV1 + "  - {id: a, title: B, owner: caseworker}\n", []string{`p.yaml:10: steps[1].id: "a" is used by another step (line 9)`}},
		{"cycle", strings.Replace(procV1, "  - {id: a, title: A, owner: caseworker, due: {after: intake, within: 1d}}",
			"  - {id: a, title: A, owner: caseworker, due: {after: step:b, within: 1d}}\n  - {id: b, title: B, owner: caseworker, due: {after: step:a, within: 1d}}", 1),
			[]string{"steps[0].due.after: steps count from each other in a circle"}},
		{"deadline and within", strings.Replace(procV1, "after: intake, within: 1d", "deadline: x, within: 1d", 1), []string{"steps[0].due: a statutory deadline sets its own length"}},
		{"syntax", "id: [x\n", []string{"p.yaml:"}},
		{"alias", "id: &a x\nversion: 1\ntitle: *a\n", []string{"anchors and aliases are not allowed"}},
		{"not a mapping", "- a\n- b\n", []string{"must be a mapping"}},
	}
	for _, tt := range tests {
		_, err := ParseProcedure("p.yaml", []byte(tt.doc))
		var pe ParseErrors
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v is not ParseErrors", tt.name, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q not in\n%v", tt.name, w, err)
			}
		}
	}
}

func TestAddChecksDeadlinesAgainstTheTable(t *testing.T) {
	s := defaults(t)
	doc := strings.Replace(strings.Replace(procV1, "id: demo", "id: demo2", 1), "after: intake, within: 1d", "deadline: in.nowhere", 1)
	p, err := ParseProcedure("demo2.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add(p); err == nil || !strings.Contains(err.Error(), `demo2.yaml: steps[0].due.deadline: "in.nowhere" is not in the deadline table`) {
		t.Errorf("got %v", err)
	}
}

func TestParseDeadlinesErrors(t *testing.T) {
	doc := "deadlines:\n  - id: a\n    law: X\n    country: IN\n    zone: Asia/Kolkata\n    within: 2d\n  - id: a\n    country: India\n    zone: Asia/Kolkata\n    within: soon\n"
	_, err := ParseDeadlines("d.yaml", []byte(doc))
	for _, w := range []string{`d.yaml:7: deadlines[1].id: "a" is already defined on line 2`, "deadlines[1].law", "d.yaml:8: deadlines[1].country", "d.yaml:10: deadlines[1].within"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("%q not in %v", w, err)
		}
	}
}

func TestSpan(t *testing.T) {
	tests := []struct {
		in, from, want string
	}{
		{"24h", "2026-03-10 10:00", "2026-03-11 10:00"},
		{"15d", "2026-02-20 10:00", "2026-03-07 10:00"},
		{"4mo", "2026-10-31 10:00", "2027-02-28 10:00"},
		{"1mo", "2028-01-31 10:00", "2028-02-29 10:00"},
		{"1y", "2028-02-29 10:00", "2029-02-28 10:00"},
		{"2w+12h", "2026-03-01 10:00", "2026-03-15 22:00"},
		{"90min", "2026-03-01 23:00", "2026-03-02 00:30"},
	}
	for _, tt := range tests {
		sp, err := ParseSpan(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if got := sp.AddTo(ist(tt.from), kolkata).Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("%s + %s = %s, want %s", tt.from, tt.in, got, tt.want)
		}
		back, err := ParseSpan(sp.String())
		if err != nil || back != sp {
			t.Errorf("%s round trip: %v %v", tt.in, back, err)
		}
	}
	for _, bad := range []string{"", "d", "3", "3 days", "-2d", "1h+", "999999999d"} {
		if _, err := ParseSpan(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestShippedProceduresCiteSourcesAndOwners(t *testing.T) {
	s := defaults(t)
	if len(s.IDs()) < 5 {
		t.Fatalf("procedures %v", s.IDs())
	}
	for _, id := range s.IDs() {
		p, _ := s.Latest(id)
		if len(p.Sources) == 0 {
			t.Errorf("%s cites nothing", id)
		}
		for _, st := range p.Steps {
			if st.Due != nil && st.Due.Deadline == "" && st.Source == "" && !strings.Contains(st.Note, "ATIP default") {
				t.Errorf("%s/%s: a deadline neither statutory, sourced nor marked as ATIP's default", id, st.ID)
			}
		}
	}
}

// Storage keeps a checklist as one JSON document; what comes back must
// recompute to the same due times.
func TestChecklistSurvivesJSON(t *testing.T) {
	c := childChecklist(t, ist("2026-03-10 22:30"), 3*time.Hour)
	if err := c.Complete("in-child-rescue/cwc_production", ist("2026-03-11 20:00"), "u"); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Checklist
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	back.Recompute()
	for i, it := range c.Items {
		if !back.Items[i].Due.Equal(it.Due) || back.Items[i].Status != it.Status {
			t.Errorf("%s: due %v status %s after JSON, want %v %s", it.Key, back.Items[i].Due, back.Items[i].Status, it.Due, it.Status)
		}
	}
}

func TestStepCountingFromAnExcludedStepIsRefused(t *testing.T) {
	doc := strings.Replace(procV1, "  - {id: a, title: A, owner: caseworker, due: {after: intake, within: 1d}}",
		"  - {id: a, title: A, owner: caseworker, due: {after: intake, within: 1d}, when: [{foreign_national: true}]}\n"+
			"  - {id: b, title: B, owner: caseworker, due: {after: step:a, within: 1d}}", 1)
	p, err := ParseProcedure("demo.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	s := NewSet(nil)
	if err := s.Add(p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Instantiate([]*Procedure{p}, Facts{Child: true}, ist("2026-01-01 10:00"), 0); err == nil || !strings.Contains(err.Error(), "demo/b counts from demo/a") {
		t.Errorf("got %v", err)
	}
	if _, err := s.Instantiate([]*Procedure{p}, Facts{Child: true, ForeignNational: true}, ist("2026-01-01 10:00"), 0); err != nil {
		t.Error(err)
	}
}
