package atip

import (
	"slices"
	"time"

	"atip/internal/codelist"
)

// Signal is a contact or report — a helpline call, a walk-in, a public tip
// — that may or may not become a case. Signals are kept apart from cases
// until someone opens a case from one (CaseID is then set), so that an
// unverified call never shows up as a victim in case statistics.
type Signal struct {
	ID   string     `class:"reference"`
	Ref  string     `class:"reference"`
	Info RecordInfo `class:"reference"`

	Channel    string    `class:"reference"`   // one of SignalChannels
	Status     string    `class:"reference"`   // "open", "closed" or "converted" (a case was opened from it)
	ReceivedAt time.Time `class:"reference"`   // UTC
	District   string    `class:"reference"`   // gazetteer code of where it is about, when known
	Concern    string    `class:"reference"`   // codelist.Exploitation, "unknown" when not said
	Urgent     bool      `class:"operational"` // someone is in danger now
	Summary    string    `class:"operational"` // without names: what is happening, where, to how many
	// Caller details: many callers want to stay anonymous, and their
	// number can identify them as surely as a name.
	CallerAnonymous bool   `class:"operational"`
	CallerName      string `class:"identity"`
	CallerPhone     string `class:"contact"`
	Account         string `class:"statement"` // the caller's words

	CaseID      string    `class:"operational"` // set when a case was opened from the signal
	DismissedAt time.Time `class:"operational"`
	DismissNote string    `class:"operational"`
}

// SignalChannels are the ways a signal reaches an organisation: a helpline
// call, a walk-in or other self-referral, a tip from the public or from a
// partner organisation, an online contact.
var SignalChannels = []string{"helpline", "self_referral", "walk_in", "partner_tip", "public_tip", "online"}

// Signal statuses.
const (
	SignalOpen      = "open"
	SignalClosed    = "closed"
	SignalConverted = "converted" // a case was opened from it
)

// Validate checks a signal's required fields.
func (s *Signal) Validate() error {
	var v Invalid
	if !slices.Contains(SignalChannels, s.Channel) {
		v.Add("channel", "must be one of %v", SignalChannels)
	}
	switch s.Status {
	case "", SignalOpen, SignalClosed: // "" is a new signal, stored open
	case SignalConverted:
		if s.CaseID == "" {
			v.Add("case_id", "is required when a case was opened from the signal")
		}
	default:
		v.Add("status", "must be open, closed or converted")
	}
	if s.ReceivedAt.IsZero() {
		v.Add("received_at", "is required")
	}
	optCode(&v, "concern", codelist.Exploitation, s.Concern)
	if s.CallerAnonymous && (s.CallerName != "" || s.CallerPhone != "") {
		v.Add("caller_anonymous", "an anonymous caller's name and phone must not be recorded")
	}
	if !s.DismissedAt.IsZero() && s.CaseID != "" {
		v.Add("dismissed_at", "a signal that became a case cannot be dismissed")
	}
	return v.Err()
}

// Interception is a stop at a border or transit point — a border outpost,
// a bus stand, a railway station — as border monitors record it: who was
// stopped, with whom, travelling where, the red flags seen, their score and
// the officer's certainty. A second person verifies every interception.
type Interception struct {
	ID   string     `class:"reference"`
	Ref  string     `class:"reference"`
	Info RecordInfo `class:"reference"`

	At        time.Time `class:"reference"`   // UTC
	Point     string    `class:"reference"`   // the crossing or transit point, e.g. "raxaul-birgunj"
	District  string    `class:"reference"`   // gazetteer code of the point
	Direction string    `class:"operational"` // "outbound" or "inbound" as seen from the post's country
	Transport string    `class:"operational"` // codelist.Transport

	// Stopped are the people stopped and Companions those travelling with
	// them (who may be traffickers, relatives or both), as the officer
	// recorded them at the point: names, ages and phones are protected.
	// PersonIDs and CompanionIDs link person records once a case is opened.
	Stopped       []StoppedPerson `class:"reference"`
	Companions    []Companion     `class:"reference"`
	PersonIDs     []string        `class:"operational"`
	CompanionIDs  []string        `class:"operational"`
	Origin        string          `class:"operational"` // gazetteer code
	Destination   string          `class:"operational"` // gazetteer code or country code
	StatedPurpose string          `class:"operational"` // e.g. "job in a hotel", in the officer's words, without names

	// Red flags ticked from the catalogue version CatalogueVersion, the
	// score computed from them, and the officer's 1–5 certainty.
	CatalogueVersion int      `class:"operational"`
	Flags            []string `class:"operational"` // flag ids
	Score            int      `class:"operational"`
	Certainty        int      `class:"operational"`
	Prompted         bool     `class:"operational"` // score or certainty crossed the thresholds

	Outcome string `class:"reference"` // "released", "handed_to_family", "case_opened", "handed_to_police"
	CaseID  string `class:"operational"`
	Account string `class:"statement"` // what the people stopped said

	RecordedBy string    `class:"reference"` // user id
	VerifiedBy string    `class:"reference"` // user id of the second person; never RecordedBy
	VerifiedAt time.Time `class:"reference"`
	// Verification is "" until a second person looked at the record, then
	// "verified" or "rejected" (the record does not hold up), with a note.
	Verification string `class:"reference"`
	VerifyNote   string `class:"operational"`
}

// Verification outcomes of an interception.
const (
	InterceptionVerified = "verified"
	InterceptionRejected = "rejected"
)

// StoppedPerson is someone stopped at a border or transit point, as the
// officer records them on the spot, before any person record exists.
type StoppedPerson struct {
	Names       []string `class:"identity"`    // in any script, aliases included
	Sex         string   `class:"reference"`   // codelist.Sex
	AgeYears    int      `class:"identity"`    // stated or estimated; -1 when unknown
	AgeEstimate bool     `class:"operational"` // the age is the officer's estimate
	AgeBand     string   `class:"reference"`   // redact.AgeBand of AgeYears, for lists and the redacted view
	Nationality string   `class:"operational"` // ISO 3166-1 alpha-2, e.g. "NP"
	Phone       string   `class:"contact"`
}

// Minor reports whether the person is, or may be, under 18: an unknown age
// counts as a minor, the safer reading at a border.
func (p StoppedPerson) Minor() bool { return p.AgeYears < 18 }

// Companion is someone travelling with the people stopped.
type Companion struct {
	Name     string `class:"identity"`
	Relation string `class:"operational"` // as stated: "father", "uncle", "employer", "agent", "none"
	Sex      string `class:"reference"`
	AgeYears int    `class:"identity"` // -1 when unknown
	AgeBand  string `class:"reference"`
	Phone    string `class:"contact"`
}

// Minor reports whether anyone stopped is, or may be, under 18.
func (x *Interception) Minor() bool {
	for _, p := range x.Stopped {
		if p.Minor() {
			return true
		}
	}
	return false
}

// Interception outcomes.
var InterceptionOutcomes = []string{"released", "handed_to_family", "case_opened", "handed_to_police", "pending"}

// Validate checks an interception's required fields.
func (x *Interception) Validate() error {
	var v Invalid
	if x.At.IsZero() {
		v.Add("at", "is required")
	}
	if x.Point == "" {
		v.Add("point", "is required")
	}
	if len(x.PersonIDs) == 0 && len(x.Stopped) == 0 {
		v.Add("stopped", "name at least one person stopped")
	}
	for i, p := range x.Stopped {
		if p.Sex != "" {
			optCode(&v, indexed("stopped", i, "sex"), codelist.Sex, p.Sex)
		}
		if p.AgeYears < -1 || p.AgeYears > 120 {
			v.Add(indexed("stopped", i, "age"), "must be from 0 to 120, or unknown")
		}
	}
	for i, c := range x.Companions {
		if c.AgeYears < -1 || c.AgeYears > 120 {
			v.Add(indexed("companions", i, "age"), "must be from 0 to 120, or unknown")
		}
	}
	switch x.Verification {
	case "", InterceptionVerified, InterceptionRejected:
	default:
		v.Add("verification", "must be verified or rejected")
	}
	if x.Certainty < 1 || x.Certainty > 5 {
		v.Add("certainty", "must be from 1 (unsure) to 5 (certain)")
	}
	if x.Direction != "" && x.Direction != "outbound" && x.Direction != "inbound" {
		v.Add("direction", "must be outbound or inbound")
	}
	optCode(&v, "transport", codelist.Transport, x.Transport)
	ok := x.Outcome == ""
	for _, o := range InterceptionOutcomes {
		ok = ok || x.Outcome == o
	}
	if !ok {
		v.Add("outcome", "must be one of %v", InterceptionOutcomes)
	}
	if x.Outcome == "case_opened" && x.CaseID == "" {
		v.Add("case_id", "is required when the outcome is case_opened")
	}
	if x.VerifiedBy != "" && x.VerifiedBy == x.RecordedBy {
		v.Add("verified_by", "a second person must verify the interception, not the one who recorded it")
	}
	return v.Err()
}

// MissingReport is a missing-person report filed by a family (or a school,
// an employer) with the police or an NGO.
type MissingReport struct {
	ID   string     `class:"reference"`
	Ref  string     `class:"reference"`
	Info RecordInfo `class:"reference"`

	PersonID      string    `class:"operational"` // the missing person
	ReportedAt    time.Time `class:"reference"`
	LastSeenAt    time.Time `class:"reference"`
	LastSeenIn    string    `class:"reference"`   // gazetteer code
	LastSeenPlace string    `class:"location"`    // the place below district level
	PoliceRef     string    `class:"operational"` // missing-person report or FIR number
	ReporterID    string    `class:"identity"`    // the person who reported, usually a guardian
	Relation      string    `class:"identity"`    // reporter's relation to the missing person
	// Missing is the missing person as the family describes them, before
	// (or instead of) a person record; Reporter is the family member who
	// filed. Both are protected.
	Missing      StoppedPerson `class:"reference"`
	Description  string        `class:"identity"` // height, clothes, marks
	Reporter     string        `class:"identity"`
	ReporterTel  string        `class:"contact"`
	Status       string        `class:"reference"` // "open" or "found"
	Circumstance string        `class:"statement"`
	FoundAt      time.Time     `class:"reference"`
	CaseID       string        `class:"operational"`
}

// Missing-person report statuses.
const (
	MissingOpen  = "open"
	MissingFound = "found"
)

// Validate checks a missing-person report's required fields.
func (m *MissingReport) Validate() error {
	var v Invalid
	if m.PersonID == "" && len(m.Missing.Names) == 0 {
		v.Add("missing_name", "is required")
	}
	switch m.Status {
	case "", MissingOpen: // "" is a new report, stored open
	case MissingFound:
		if m.FoundAt.IsZero() {
			v.Add("found_at", "is required when the person was found")
		}
	default:
		v.Add("status", "must be open or found")
	}
	if m.Missing.Sex != "" {
		optCode(&v, "missing_sex", codelist.Sex, m.Missing.Sex)
	}
	if m.Missing.AgeYears < -1 || m.Missing.AgeYears > 120 {
		v.Add("missing_age", "must be from 0 to 120, or unknown")
	}
	if m.ReportedAt.IsZero() {
		v.Add("reported_at", "is required")
	}
	if !m.LastSeenAt.IsZero() && m.LastSeenAt.After(m.ReportedAt) {
		v.Add("last_seen_at", "is after reported_at")
	}
	return v.Err()
}
