package atip

import (
	"fmt"
	"time"

	"atip/internal/codelist"
)

// Case is the organised response to one or more victims of one trafficking
// situation.
type Case struct {
	ID   string     `class:"reference"`
	Ref  string     `class:"reference"` // e.g. "CASE-7F3A-91C2"; never a name
	Info RecordInfo `class:"reference"`

	Status        string    `class:"reference"` // codelist.CaseStatus
	Stage         string    `class:"reference"` // codelist.CaseStage
	IntakeChannel string    `class:"reference"` // codelist.IntakeChannel
	IntakeAt      time.Time `class:"reference"` // when the first responder met the victim (UTC)
	// IntakeDistrict is the gazetteer code of the district of intake.
	IntakeDistrict string `class:"reference"`
	// Exploitation lists the forms of exploitation (codelist.Exploitation);
	// the first is the case type shown in the redacted view.
	Exploitation []string `class:"reference"`
	// CrossBorder is true when a victim crossed an international border or
	// is a foreign national; it selects the repatriation procedures.
	CrossBorder bool `class:"operational"`
	// Complete is false for a quick intake a caseworker has yet to complete
	// (and for a record imported from a legacy register, until reviewed).
	Complete bool `class:"reference"`
	// AssignedTo are the owner's users working the case (the "mine" of a
	// case list).
	AssignedTo []string `class:"operational"`
	// IntakeKey is the quick intake's ClientKey: storage keeps it unique per
	// owner, so a repeated send finds the case it already made.
	IntakeKey string `class:"operational"`
	// ExternalRef is the case's number in another system: a legacy register
	// it was imported from, or an NGO's or police unit's own file number.
	ExternalRef string `class:"operational"`

	Victims   []CaseVictim  `class:"operational"`
	Suspects  []CaseSuspect `class:"operational"`
	Witnesses []string      `class:"operational"` // person ids
	Incidents []Incident    `class:"operational"`

	// Where the case came from; empty when not from one of these.
	SignalID        string `class:"operational"`
	InterceptionID  string `class:"operational"`
	MissingReportID string `class:"operational"`

	// Procedures are the SOPs instantiated on the case, by id and version;
	// the checklist itself is stored with the case by the sop package's
	// types.
	Procedures []ProcedureRef `class:"operational"`

	Summary       string    `class:"statement"` // the caseworker's account
	ClosedAt      time.Time `class:"reference"`
	ClosureReason string    `class:"operational"`
}

// CaseVictim links a person to a case as a victim, with what HTCDS records
// per victim: trafficking status and who decided it, relation to the
// trafficker, and how they were recruited and controlled.
type CaseVictim struct {
	PersonID             string    `class:"operational"`
	TraffickingStatus    string    `class:"operational"` // codelist.TraffickingStatus
	StatusDecidedBy      string    `class:"operational"` // codelist.StatusDecidedBy
	StatusDecidedAt      time.Time `class:"operational"`
	RelationToTrafficker string    `class:"operational"` // codelist.RelationToTrafficker
	MeansOfRecruitment   []string  `class:"operational"` // codelist.MeansOfRecruitment
	MeansOfControl       []string  `class:"operational"` // codelist.MeansOfControl
	ChildAtIntake        bool      `class:"reference"`
}

// CaseSuspect links a person to a case as a suspect with their roles.
type CaseSuspect struct {
	PersonID string   `class:"operational"`
	Roles    []string `class:"operational"` // codelist.PerpetratorRole
	Arrested bool     `class:"operational"`
}

// ProcedureRef names one version of a standard operating procedure.
type ProcedureRef struct {
	ID      string `class:"operational"`
	Version int    `class:"operational"`
}

// Incident is what happened: recruitment, movement and exploitation, with
// places as gazetteer codes (district level) and finer places as free text.
type Incident struct {
	ID string `class:"operational"`

	// Recruitment.
	RecruitedAt      time.Time `class:"operational"`
	RecruitedIn      string    `class:"operational"` // gazetteer code
	RecruitmentMeans []string  `class:"operational"` // codelist.MeansOfRecruitment
	RecruiterIDs     []string  `class:"operational"` // suspects' person ids
	OnlinePlatforms  []string  `class:"operational"` // codelist.OnlinePlatform
	RecruitmentStory string    `class:"statement"`

	// Movement.
	Origin        string        `class:"operational"` // gazetteer code
	TransitPoints []string      `class:"operational"` // gazetteer codes or named transit points
	Destination   string        `class:"operational"` // gazetteer code, or a country code
	BorderPoint   string        `class:"operational"` // e.g. "raxaul-birgunj"
	Transport     []string      `class:"operational"` // codelist.Transport
	Legs          []MovementLeg `class:"operational"`

	// Exploitation.
	ExploitationForm  string    `class:"operational"` // codelist.Exploitation
	ExploitationPlace string    `class:"operational"` // gazetteer code
	ExploitationSite  string    `class:"location"`    // the brothel, kiln or house: below district level
	ExploitedFrom     time.Time `class:"operational"`
	ExploitedUntil    time.Time `class:"operational"`
}

// MovementLeg is one stretch of a journey.
type MovementLeg struct {
	From      string    `class:"operational"` // gazetteer code
	To        string    `class:"operational"`
	Transport string    `class:"operational"` // codelist.Transport
	Departed  time.Time `class:"operational"`
}

// ExploitationDays returns the length of the exploitation in whole days, or
// -1 when its start or end is not known.
func (in *Incident) ExploitationDays() int {
	if in.ExploitedFrom.IsZero() || in.ExploitedUntil.IsZero() || in.ExploitedUntil.Before(in.ExploitedFrom) {
		return -1
	}
	return int(in.ExploitedUntil.Sub(in.ExploitedFrom) / (24 * time.Hour))
}

// CaseType is the case's main form of exploitation, "unknown" when none is
// recorded yet.
func (c *Case) CaseType() string {
	if len(c.Exploitation) == 0 {
		return "unknown"
	}
	return c.Exploitation[0]
}

// Validate checks the case's codes and required fields. A quick intake
// (Complete false) needs only the channel, the time and the district.
func (c *Case) Validate() error {
	var v Invalid
	checkCode(&v, "intake_channel", codelist.IntakeChannel, c.IntakeChannel)
	if c.IntakeAt.IsZero() {
		v.Add("intake_at", "is required")
	}
	if c.IntakeDistrict == "" {
		v.Add("intake_district", "is required")
	}
	if c.Status != "" {
		checkCode(&v, "status", codelist.CaseStatus, c.Status)
	}
	if c.Stage != "" {
		checkCode(&v, "stage", codelist.CaseStage, c.Stage)
	}
	for i, e := range c.Exploitation {
		checkCode(&v, fmt.Sprintf("exploitation[%d]", i), codelist.Exploitation, e)
	}
	if c.Complete {
		if len(c.Victims) == 0 {
			v.Add("victims", "a complete case names at least one victim")
		}
		if len(c.Exploitation) == 0 {
			v.Add("exploitation", "a complete case names a form of exploitation (\"unknown\" is allowed)")
		}
	}
	for i, x := range c.Victims {
		if x.PersonID == "" {
			v.Add(indexed("victims", i, "person_id"), "is required")
		}
		optCode(&v, indexed("victims", i, "trafficking_status"), codelist.TraffickingStatus, x.TraffickingStatus)
		optCode(&v, indexed("victims", i, "status_decided_by"), codelist.StatusDecidedBy, x.StatusDecidedBy)
		if x.TraffickingStatus != "" && x.TraffickingStatus != "unknown" && x.StatusDecidedBy == "" {
			v.Add(indexed("victims", i, "status_decided_by"), "say who decided the trafficking status")
		}
		optCode(&v, indexed("victims", i, "relation_to_trafficker"), codelist.RelationToTrafficker, x.RelationToTrafficker)
		for _, m := range x.MeansOfRecruitment {
			checkCode(&v, indexed("victims", i, "means_of_recruitment"), codelist.MeansOfRecruitment, m)
		}
		for _, m := range x.MeansOfControl {
			checkCode(&v, indexed("victims", i, "means_of_control"), codelist.MeansOfControl, m)
		}
	}
	for i, s := range c.Suspects {
		if s.PersonID == "" {
			v.Add(indexed("suspects", i, "person_id"), "is required")
		}
		for _, r := range s.Roles {
			checkCode(&v, indexed("suspects", i, "roles"), codelist.PerpetratorRole, r)
		}
	}
	for i, in := range c.Incidents {
		for _, m := range in.OnlinePlatforms {
			checkCode(&v, indexed("incidents", i, "online_platforms"), codelist.OnlinePlatform, m)
		}
		for _, m := range in.Transport {
			checkCode(&v, indexed("incidents", i, "transport"), codelist.Transport, m)
		}
		optCode(&v, indexed("incidents", i, "exploitation_form"), codelist.Exploitation, in.ExploitationForm)
		if !in.ExploitedFrom.IsZero() && !in.ExploitedUntil.IsZero() && in.ExploitedUntil.Before(in.ExploitedFrom) {
			v.Add(indexed("incidents", i, "exploited_until"), "is before exploited_from")
		}
	}
	if !c.ClosedAt.IsZero() && c.ClosedAt.Before(c.IntakeAt) {
		v.Add("closed_at", "is before intake_at")
	}
	return v.Err()
}

// TimelineEvent is one entry in a case's timeline: everything that happened,
// in order. Storage appends one for every change; users add their own.
type TimelineEvent struct {
	ID      string    `class:"reference"`
	CaseID  string    `class:"reference"`
	At      time.Time `class:"reference"`
	Kind    string    `class:"reference"` // see the Event* constants
	ByUser  string    `class:"reference"` // user id
	ByOrgID string    `class:"reference"`
	// Subject points to the record the event is about (a referral, a step,
	// a hand-over), when it has one.
	SubjectType RecordType `class:"reference"`
	SubjectID   string     `class:"reference"`
	Summary     string     `class:"operational"` // written without personal data, e.g. "step cwc_production done"
	Note        string     `class:"statement"`   // the user's own words, which may name people
}

// Timeline event kinds.
const (
	EventIntake         = "intake"
	EventStepDone       = "step_done"
	EventStepOverdue    = "step_overdue"
	EventReferral       = "referral"
	EventReferralAnswer = "referral_answer"
	EventTransfer       = "transfer"
	EventHandOver       = "hand_over"
	EventService        = "service"
	EventFollowUp       = "follow_up"
	EventLegal          = "legal"
	EventNote           = "note"
	EventStatus         = "status"
)

func checkCode(v *Invalid, field, list, code string) {
	if err := codelist.Check(list, code); err != nil {
		v.Add(field, "%s", err.Error())
	}
}

func optCode(v *Invalid, field, list, code string) {
	if code != "" {
		checkCode(v, field, list, code)
	}
}

func indexed(list string, i int, field string) string {
	return fmt.Sprintf("%s[%d].%s", list, i, field)
}

func isCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// Empty reports whether an incident records nothing yet.
func (in *Incident) Empty() bool {
	return in.RecruitedAt.IsZero() && in.RecruitedIn == "" && len(in.RecruitmentMeans) == 0 && len(in.RecruiterIDs) == 0 &&
		len(in.OnlinePlatforms) == 0 && in.RecruitmentStory == "" && in.Origin == "" && len(in.TransitPoints) == 0 &&
		in.Destination == "" && in.BorderPoint == "" && len(in.Transport) == 0 && len(in.Legs) == 0 &&
		in.ExploitationForm == "" && in.ExploitationPlace == "" && in.ExploitationSite == "" &&
		in.ExploitedFrom.IsZero() && in.ExploitedUntil.IsZero()
}
