package redact

import (
	"encoding/json"
	"strings"
	"testing"

	"atip"
	"atip/internal/policy"
)

type leg struct {
	District string `class:"reference"`
	Village  string `class:"location"`
	Mode     string `class:"operational"`
}

type guardian struct {
	Relation string `class:"reference"`
	Name     string `class:"identity"`
	Phone    string `class:"contact"`
}

type person struct {
	ID        string    `class:"reference"`
	Sex       string    `class:"reference"`
	AgeBand   string    `class:"reference"`
	Name      string    `class:"identity"`
	Aliases   []string  `class:"identity"`
	Phone     string    `class:"contact"`
	Aadhaar   string    `class:"documents"`
	Medical   string    `class:"health"`
	Statement string    `class:"statement"`
	Journey   []leg     // walked: each leg classifies its own fields
	Guardian  *guardian // walked
	Counselor guardian  `class:"operational"` // a tag on a struct applies to all of it, then its own tags
	secret    string
}

func samplePerson() *person {
	return &person{
		ID: "p1", Sex: "female", AgeBand: "15-17", Name: "Rina Khatun", Aliases: []string{"Rinu"},
		Phone: "+919830012345", Aadhaar: "234567890123", Medical: "anaemia", Statement: "I was promised work",
		Journey:   []leg{{District: "IN-WB-SOUTH_24_PARGANAS", Village: "Canning", Mode: "train"}},
		Guardian:  &guardian{Relation: "mother", Name: "Salma Khatun", Phone: "+919830099999"},
		Counselor: guardian{Relation: "counsellor", Name: "A. Das", Phone: "+913322223333"},
		secret:    "internal",
	}
}

func TestApplyRedacted(t *testing.T) {
	p := samplePerson()
	if err := Apply(p, policy.Classes(atip.ClassReference)); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(p)
	for _, leak := range []string{"Rina", "Rinu", "9830012345", "234567890123", "anaemia", "promised", "Canning", "Salma", "9830099999", "train", "A. Das"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("redacted record still holds %q: %s", leak, b)
		}
	}
	for _, keep := range []string{"p1", "female", "15-17", "IN-WB-SOUTH_24_PARGANAS", "mother"} {
		if !strings.Contains(string(b), keep) {
			t.Errorf("redacted record lost %q: %s", keep, b)
		}
	}
}

func TestApplyPartial(t *testing.T) {
	p := samplePerson()
	if err := Apply(p, policy.Classes(atip.ClassReference, atip.ClassOperational, atip.ClassIdentity)); err != nil {
		t.Fatal(err)
	}
	if p.Name != "Rina Khatun" || p.Guardian.Name != "Salma Khatun" || p.Journey[0].Mode != "train" {
		t.Errorf("shown classes were blanked: %+v", p)
	}
	if p.Phone != "" || p.Guardian.Phone != "" || p.Journey[0].Village != "" || p.Counselor.Phone != "" || p.Statement != "" {
		t.Errorf("withheld classes remain: %+v", p)
	}
	if p.Counselor.Name != "A. Das" {
		t.Error("an operational struct's identity field was blanked though identity is shown")
	}
}

func TestApplyFailsClosed(t *testing.T) {
	type careless struct {
		ID    string `class:"reference"`
		Notes string // nobody classified it
	}
	c := &careless{ID: "x", Notes: "Rina was seen at Siliguri"}
	if err := Apply(c, policy.SetAll&^policy.Classes(atip.ClassHealth)); err != nil {
		t.Fatal(err)
	}
	if c.Notes != "" {
		t.Error("an unclassified field reached a viewer who does not see every class")
	}
	if err := Classified(careless{}); err == nil || !strings.Contains(err.Error(), "Notes") {
		t.Errorf("Classified = %v, want an error naming Notes", err)
	}
	c = &careless{ID: "x", Notes: "kept"}
	_ = Apply(c, policy.SetAll)
	if c.Notes != "kept" {
		t.Error("the owner's full view lost an unclassified field")
	}
}

func TestClassified(t *testing.T) {
	if err := Classified(&person{}); err != nil {
		t.Errorf("person: %v", err)
	}
	type badTag struct {
		Name string `class:"names"`
	}
	if err := Classified(badTag{}); err == nil {
		t.Error("an unknown class was accepted")
	}
	if err := Apply(&badTag{Name: "x"}, policy.SetAll); err == nil {
		t.Error("Apply accepted an unknown class")
	}
	if err := Apply(person{}, policy.SetAll); err == nil {
		t.Error("Apply accepted a struct it cannot change")
	}
}
