package sop

import (
	"slices"
	"testing"

	"atip"
)

func TestFactsForSelectsTheRightProcedures(t *testing.T) {
	s := defaults(t)
	intake := ist("2026-04-01 09:00")
	c := &atip.Case{IntakeAt: intake, Exploitation: []string{"sexual_exploitation"}}
	girl := atip.Person{Sex: "female", Nationality: "NP", AgeYears: 15, AgeAsOf: intake, AgeMethod: "officer_estimate"}
	woman := atip.Person{Sex: "female", Nationality: "IN", AgeYears: 22, AgeAsOf: intake, AgeMethod: "self_declared"}
	tests := []struct {
		name    string
		victims []atip.Person
		want    []string
	}{
		{"a Nepali girl", []atip.Person{girl}, []string{"in-child-rescue", "in-foreign-national", "in-investigation"}},
		{"an Indian woman", []atip.Person{woman}, []string{"in-adult-sexual-exploitation", "in-investigation"}},
		{"a woman and a girl: the child's procedure applies", []atip.Person{woman, girl}, []string{"in-child-rescue", "in-foreign-national", "in-investigation"}},
		{"nobody recorded yet", nil, []string{"in-child-rescue", "in-investigation"}},
	}
	for _, tt := range tests {
		f := FactsFor(c, tt.victims, "IN")
		if got := ids(s.Applicable(f)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestDueFromAndOverdueByRole(t *testing.T) {
	s := defaults(t)
	arrest := ist("2026-01-10 15:00")
	due, err := s.DueFrom("in.bnss.s187.charge_sheet_90", arrest, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := due.In(kolkata).Format("2006-01-02 15:04"); got != "2026-04-10 23:59" {
		t.Errorf("charge sheet due %s", got)
	}
	if _, err := s.DueFrom("nope", arrest, 0); atip.ErrorCode(err) != atip.ENOTFOUND {
		t.Errorf("unknown deadline: %v", err)
	}

	a := childChecklist(t, ist("2026-03-10 10:00"), 0)
	b := childChecklist(t, ist("2026-03-10 08:00"), 0)
	byRole := OverdueByRole(map[string]*Checklist{"case-a": a, "case-b": b}, ist("2026-03-11 12:00"))
	fr := byRole[atip.RoleFirstResponder]
	if len(fr) == 0 || fr[0].CaseID != "case-b" || fr[0].Key != "in-child-rescue/separate_from_suspects" {
		t.Fatalf("first responders' list: %+v", fr)
	}
	for i := 1; i < len(fr); i++ {
		if fr[i].Due.Before(fr[i-1].Due) {
			t.Fatal("not sorted by due time")
		}
	}
	for role, list := range byRole {
		for _, o := range list {
			if o.Owner != role {
				t.Errorf("%s listed under %s", o.Key, role)
			}
		}
	}
	if _, ok := byRole[atip.RoleCaseworker]; ok {
		t.Errorf("caseworker steps overdue a day after intake: %+v", byRole[atip.RoleCaseworker])
	}
}
