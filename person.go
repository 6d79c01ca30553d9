package atip

import (
	"time"

	"atip/internal/codelist"
)

// This file and case.go, intake.go, care.go and legal.go hold the case
// management records (issue 4). Every field of a shareable record carries a
// `class` tag naming its atip.FieldClass, so redact.Apply can blank what a
// viewer may not see; a test checks every record type with redact.Classified.
// Code-valued fields hold codes from the codelist package (HTCDS v2.0).

// RecordInfo is what every shareable record carries about itself: its
// marking and who made it. It is the record's own copy of the fields
// RecordMeta is built from.
type RecordInfo struct {
	OwnerOrgID   string       `class:"reference"`
	Distribution Distribution `class:"reference"`
	TLP          TLP          `class:"reference"`
	GroupIDs     []string     `class:"reference"`
	CreatedAt    time.Time    `class:"reference"`
	CreatedBy    string       `class:"reference"`
	UpdatedAt    time.Time    `class:"reference"`
	UpdatedBy    string       `class:"reference"`
}

// PersonRole is what a person is in ATIP's records; one human may hold
// several roles across records (a witness in one case, a victim in another).
type PersonRole string

const (
	PersonVictim   PersonRole = "victim"
	PersonMissing  PersonRole = "missing"
	PersonSuspect  PersonRole = "suspect"
	PersonWitness  PersonRole = "witness"
	PersonGuardian PersonRole = "guardian"
)

// Person is anyone ATIP records. Linking records of the same human is the
// identification engine's work, not this type's.
type Person struct {
	ID    string       `class:"reference"`
	Ref   string       `class:"reference"` // pseudonymous reference shown in the redacted view
	Roles []PersonRole `class:"reference"`
	Info  RecordInfo   `class:"reference"`

	Names []PersonName `class:"identity"`
	Sex   string       `class:"reference"` // codelist.Sex

	// BirthDate is exact when known. Otherwise AgeYears is the age stated or
	// estimated at AgeAsOf, and AgeMethod says how it was arrived at (a
	// child's age decides which law and procedure apply, so how it was
	// determined matters as much as the number).
	BirthDate time.Time `class:"identity"`
	AgeYears  int       `class:"identity"` // -1 when unknown
	AgeAsOf   time.Time `class:"identity"`
	AgeMethod string    `class:"operational"` // codelist.AgeEstimation
	AgeBand   string    `class:"reference"`   // redact.AgeBand of the age at intake, stored for lists

	Nationality string   `class:"operational"` // ISO 3166-1 alpha-2, e.g. "NP"
	Languages   []string `class:"operational"` // BCP 47, e.g. "ne", "bho", "bn"

	// HomeDistrict is a gazetteer code at district level or above; the
	// village and anything finer is free text of the location class.
	HomeDistrict string `class:"reference"`
	HomeVillage  string `class:"location"`
	Address      string `class:"location"`

	Guardians  []GuardianLink     `class:"identity"`
	Documents  []IdentityDocument `class:"documents"`
	Phones     []string           `class:"contact"` // E.164
	Handles    []string           `class:"contact"` // social media, e.g. "facebook:someone"
	Photos     []PhotoRef         `class:"identity"`
	Marks      string             `class:"identity"` // identifying marks, description
	Disability string             `class:"health"`
	Notes      string             `class:"statement"`
}

// PersonName is one name of a person in one script. People in South Asia
// are recorded under several spellings and scripts, nicknames and names
// given by traffickers; every one is kept, none is "the" name.
type PersonName struct {
	Full   string `class:"identity"`
	Script string `class:"identity"` // ISO 15924: "Latn", "Deva", "Beng"
	Kind   string `class:"identity"` // "name", "alias", "nickname", "given_by_trafficker"
}

// GuardianLink names a guardian recorded as a person of their own.
type GuardianLink struct {
	PersonID string `class:"identity"`
	Relation string `class:"identity"` // e.g. "mother", "uncle"
	Verified bool   `class:"identity"` // home verification confirmed the relation
}

// IdentityDocument is an identity document of a person.
type IdentityDocument struct {
	Type    string    `class:"documents"` // codelist.DocumentType
	Number  string    `class:"documents"`
	Country string    `class:"documents"` // ISO 3166-1 alpha-2 of the issuer
	Expires time.Time `class:"documents"`
	Held    bool      `class:"documents"` // false when the trafficker holds it, or it is lost
}

// PhotoRef points to a stored photo; the file itself is a RecordDocument.
type PhotoRef struct {
	DocumentID string    `class:"identity"`
	TakenAt    time.Time `class:"identity"`
}

// AgeAt returns the person's age in whole years at t, from the birth date
// when known, else from the stated or estimated age; -1 when unknown.
func (p *Person) AgeAt(t time.Time) int {
	if !p.BirthDate.IsZero() {
		return yearsBetween(p.BirthDate, t)
	}
	if p.AgeYears < 0 || p.AgeAsOf.IsZero() {
		return -1
	}
	return p.AgeYears + yearsBetween(p.AgeAsOf, t)
}

// ChildAt reports whether the person was under 18 at t. An unknown age
// counts as a child: the law presumes childhood until age is determined, and
// the child procedures are the protective default.
func (p *Person) ChildAt(t time.Time) bool {
	a := p.AgeAt(t)
	return a < 18
}

func yearsBetween(from, to time.Time) int {
	if to.Before(from) {
		return 0
	}
	y := to.Year() - from.Year()
	if to.Month() < from.Month() || (to.Month() == from.Month() && to.Day() < from.Day()) {
		y--
	}
	return y
}

// Validate checks the person's codes and required fields.
func (p *Person) Validate() error {
	var v Invalid
	if len(p.Roles) == 0 {
		v.Add("roles", "at least one role is required")
	}
	for _, r := range p.Roles {
		checkCode(&v, "roles", codelist.PersonRole, string(r))
	}
	if p.Sex == "" {
		v.Add("sex", "is required (use \"unknown\")")
	} else {
		checkCode(&v, "sex", codelist.Sex, p.Sex)
	}
	for i, n := range p.Names {
		if n.Full == "" {
			v.Add(indexed("names", i, "full"), "is empty")
		}
	}
	if p.AgeYears < -1 || p.AgeYears > 120 {
		v.Add("age_years", "must be between 0 and 120, or -1 when unknown")
	}
	if p.AgeYears >= 0 && p.BirthDate.IsZero() && p.AgeMethod == "" {
		v.Add("age_method", "say how the age was determined or estimated")
	}
	if p.AgeMethod != "" {
		checkCode(&v, "age_method", codelist.AgeEstimation, p.AgeMethod)
	}
	if p.Nationality != "" && !isCountry(p.Nationality) {
		v.Add("nationality", "must be a two-letter country code such as IN or NP")
	}
	for i, d := range p.Documents {
		checkCode(&v, indexed("documents", i, "type"), codelist.DocumentType, d.Type)
	}
	return v.Err()
}
