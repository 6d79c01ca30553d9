package atip

import (
	"time"

	"atip/internal/codelist"
)

// CaseReferral ties a sharing-model Referral (which grants the view) to the
// case work it is for: the service asked for and the receiver's answer. The
// grant itself — classes, purpose, expiry, consent — is the Referral's.
type CaseReferral struct {
	ID         string    `class:"reference"`
	CaseID     string    `class:"reference"`
	ReferralID string    `class:"reference"` // Referral.ID
	ToOrgID    string    `class:"reference"`
	Service    string    `class:"operational"` // codelist.SupportType
	Status     string    `class:"reference"`   // "sent", "accepted", "declined", "withdrawn", "completed"
	AnsweredBy string    `class:"reference"`
	AnsweredAt time.Time `class:"reference"`
	Reason     string    `class:"operational"` // why declined, without personal data
}

// Repatriation is the return of a victim home, inter-state or across a
// border: home verification, escort, and the hand-overs on the way.
type Repatriation struct {
	ID   string     `class:"reference"`
	Info RecordInfo `class:"reference"`

	CaseID   string `class:"reference"`
	PersonID string `class:"operational"`
	Kind     string `class:"reference"` // "inter_state" or "cross_border"
	// The home district (gazetteer code) and the organisation receiving
	// the person there, e.g. a Nepali counterpart or a district CWC.
	ToDistrict string `class:"reference"`
	ToOrgID    string `class:"reference"`
	CrossingPt string `class:"operational"`
	Escort     string `class:"operational"` // e.g. "two police officers, one woman", without names
	TravelPlan string `class:"location"`

	HomeVerification HomeVerification `class:"operational"`
	HandOvers        []HandOver       `class:"reference"`
	Status           string           `class:"reference"` // "planned", "verified", "in_transit", "handed_over", "received"
}

// HomeVerification is the report on the family and home that a
// repatriation waits for: is it safe to return there?
type HomeVerification struct {
	RequestedAt time.Time `class:"operational"`
	ByOrgID     string    `class:"operational"`
	DoneAt      time.Time `class:"operational"`
	Safe        bool      `class:"operational"`
	Report      string    `class:"statement"`
}

// HandOver is one hand-over of a person between organisations. Both sides
// see it; it is complete when the receiver confirms receipt.
type HandOver struct {
	ID          string    `class:"reference"`
	FromOrgID   string    `class:"reference"`
	ToOrgID     string    `class:"reference"`
	Place       string    `class:"reference"` // gazetteer code or crossing point
	At          time.Time `class:"reference"`
	HandedBy    string    `class:"reference"` // user id
	ReceivedBy  string    `class:"reference"` // user id at the receiver
	ConfirmedAt time.Time `class:"reference"` // zero until the receiver confirms receipt
	Note        string    `class:"operational"`
}

// Confirmed reports whether the receiver confirmed the hand-over.
func (h *HandOver) Confirmed() bool { return !h.ConfirmedAt.IsZero() }

// Validate checks a repatriation.
func (r *Repatriation) Validate() error {
	var v Invalid
	if r.CaseID == "" {
		v.Add("case_id", "is required")
	}
	if r.Kind != "inter_state" && r.Kind != "cross_border" {
		v.Add("kind", "must be inter_state or cross_border")
	}
	if r.ToOrgID == "" {
		v.Add("to_org_id", "name the receiving organisation")
	}
	if r.Status == "handed_over" || r.Status == "received" {
		if r.HomeVerification.DoneAt.IsZero() {
			v.Add("home_verification", "a person is handed over only after home verification")
		} else if !r.HomeVerification.Safe {
			v.Add("home_verification", "home verification found the home unsafe")
		}
	}
	for i, h := range r.HandOvers {
		if h.FromOrgID == h.ToOrgID {
			v.Add(indexed("hand_overs", i, "to_org_id"), "is the same as from_org_id")
		}
		if h.Confirmed() && h.ReceivedBy == "" {
			v.Add(indexed("hand_overs", i, "received_by"), "a confirmed hand-over names who received the person")
		}
	}
	if r.Status == "received" {
		n := len(r.HandOvers)
		if n == 0 || !r.HandOvers[n-1].Confirmed() || r.HandOvers[n-1].ToOrgID != r.ToOrgID {
			v.Add("status", "received needs the receiving organisation's confirmed hand-over")
		}
	}
	return v.Err()
}

// CarePlan is the rehabilitation plan of one survivor: services with
// milestones, agreed with the survivor (or, for a child, the CWC).
type CarePlan struct {
	ID        string     `class:"reference"`
	Info      RecordInfo `class:"reference"`
	CaseID    string     `class:"reference"`
	PersonID  string     `class:"operational"`
	AgreedAt  time.Time  `class:"operational"`
	ReviewDue time.Time  `class:"operational"`
	Services  []Service  `class:"operational"`
	Goals     string     `class:"statement"` // in the survivor's words
}

// Service is one service of a care plan, e.g. legal aid from a named NGO.
type Service struct {
	ID         string      `class:"operational"`
	Type       string      `class:"operational"` // codelist.SupportType
	ProviderID string      `class:"operational"` // organisation id
	Status     string      `class:"operational"` // codelist.ServiceStatus
	Start      time.Time   `class:"operational"`
	End        time.Time   `class:"operational"`
	Milestones []Milestone `class:"operational"`
	// Health-related detail (diagnoses, treatment) is of the health class.
	Detail string `class:"health"`
}

// Milestone is a dated target of a service, e.g. "compensation application
// filed with the district legal services authority".
type Milestone struct {
	Title  string    `class:"operational"`
	Due    time.Time `class:"operational"`
	DoneAt time.Time `class:"operational"`
}

// Validate checks a care plan's codes.
func (p *CarePlan) Validate() error {
	var v Invalid
	if p.CaseID == "" {
		v.Add("case_id", "is required")
	}
	for i, s := range p.Services {
		checkCode(&v, indexed("services", i, "type"), codelist.SupportType, s.Type)
		checkCode(&v, indexed("services", i, "status"), codelist.ServiceStatus, s.Status)
		if !s.End.IsZero() && s.End.Before(s.Start) {
			v.Add(indexed("services", i, "end"), "is before start")
		}
	}
	return v.Err()
}

// FollowUp is a visit to a survivor after reintegration, with a short
// re-trafficking risk assessment.
type FollowUp struct {
	ID       string         `class:"reference"`
	CaseID   string         `class:"reference"`
	PersonID string         `class:"operational"`
	Due      time.Time      `class:"reference"`
	DoneAt   time.Time      `class:"reference"` // zero until the visit happens
	ByUserID string         `class:"reference"`
	Missed   bool           `class:"reference"` // the visit was attempted but the person was not found
	Risk     RiskAssessment `class:"operational"`
	Note     string         `class:"statement"`
}

// RiskAssessment is the short re-trafficking risk check made at each
// follow-up. The factors are those caseworkers ask about on a visit; the level
// is the caseworker's judgement, informed by the factors, not computed.
type RiskAssessment struct {
	Level                    string `class:"operational"` // codelist.RiskLevel
	NoIncome                 bool   `class:"operational"` // the survivor or family has no stable income
	DebtPressure             bool   `class:"operational"`
	FamilyRejection          bool   `class:"operational"` // stigma or rejection at home
	RecontactedByTraffickers bool   `class:"operational"`
	OfferToMigrate           bool   `class:"operational"` // a new job or marriage offer elsewhere
	OutOfSchool              bool   `class:"operational"` // for a child
	Unsafe                   bool   `class:"operational"` // violence or threat at home
}

// Factors counts the risk factors present.
func (r *RiskAssessment) Factors() int {
	n := 0
	for _, b := range []bool{r.NoIncome, r.DebtPressure, r.FamilyRejection, r.RecontactedByTraffickers,
		r.OfferToMigrate, r.OutOfSchool, r.Unsafe} {
		if b {
			n++
		}
	}
	return n
}

// DefaultFollowUpMonths are the months after reintegration at which
// follow-up visits are scheduled unless an organisation configures others.
var DefaultFollowUpMonths = []int{1, 3, 6, 12}

// ScheduleFollowUps returns the due dates of follow-up visits the given
// months after reintegration, at the same local time of day in loc.
func ScheduleFollowUps(reintegrated time.Time, months []int, loc *time.Location) []time.Time {
	t := reintegrated.In(loc)
	out := make([]time.Time, 0, len(months))
	for _, m := range months {
		d := t.AddDate(0, m, 0)
		// AddDate normalises 31 January + 1 month to early March; a visit
		// belongs to the month it is due in, so clamp to that month's end.
		if want := (int(t.Month())-1+m)%12 + 1; int(d.Month()) != want {
			d = d.AddDate(0, 0, -d.Day())
		}
		out = append(out, d.UTC())
	}
	return out
}

// FollowUpMissed reports whether a follow-up is overdue at now: not done
// and more than grace past its due time.
func (f *FollowUp) FollowUpMissed(now time.Time, grace time.Duration) bool {
	return f.DoneAt.IsZero() && now.After(f.Due.Add(grace))
}

// Validate checks a follow-up.
func (f *FollowUp) Validate() error {
	var v Invalid
	if f.CaseID == "" {
		v.Add("case_id", "is required")
	}
	if f.Due.IsZero() {
		v.Add("due", "is required")
	}
	if !f.DoneAt.IsZero() && !f.Missed {
		checkCode(&v, "risk.level", codelist.RiskLevel, f.Risk.Level)
	}
	return v.Err()
}

// Answer records the receiver's answer to a referral: only the receiving
// organisation answers, once, and a refusal says why.
func (r *CaseReferral) Answer(orgID, userID string, accept bool, reason string, at time.Time) error {
	switch {
	case orgID != r.ToOrgID:
		return Errorf(ENOTFOUND, "no such referral")
	case r.Status != "sent":
		return Errorf(ECONFLICT, "the referral is already %s", r.Status)
	case !accept && reason == "":
		return &Error{Code: EINVALID, Message: "a declined referral needs a reason",
			Fields: []FieldError{{Field: "reason", Message: "is required when declining"}}}
	}
	r.Status = "declined"
	if accept {
		r.Status = "accepted"
	}
	r.AnsweredBy, r.AnsweredAt, r.Reason = userID, at.UTC(), reason
	return nil
}

// ConfirmReceipt records that the receiving organisation received the
// person of a hand-over. Only the receiver confirms; when it is the
// repatriation's final receiver, the repatriation is complete.
func (r *Repatriation) ConfirmReceipt(handOverID, orgID, userID string, at time.Time) error {
	for i := range r.HandOvers {
		h := &r.HandOvers[i]
		if h.ID != handOverID {
			continue
		}
		switch {
		case orgID != h.ToOrgID:
			return Errorf(EFORBIDDEN, "only the receiving organisation confirms a hand-over")
		case h.Confirmed():
			return Errorf(ECONFLICT, "the hand-over is already confirmed")
		case at.Before(h.At):
			return Errorf(EINVALID, "receipt cannot precede the hand-over")
		}
		h.ReceivedBy, h.ConfirmedAt = userID, at.UTC()
		if h.ToOrgID == r.ToOrgID {
			r.Status = "received"
		}
		return nil
	}
	return Errorf(ENOTFOUND, "no such hand-over")
}
