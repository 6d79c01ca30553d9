package atip

import (
	"context"
	"time"
)

// CareService serves SOP checklists and deadlines, the overdue dashboard,
// and organisations' own versions of the procedures (issue 4).
type CareService interface {
	// Checklist returns the SOP checklist of a case the actor may see
	// (ENOTFOUND otherwise, or when the actor sees only the redacted case).
	Checklist(ctx context.Context, caseID string) (*Checklist, error)
	// CompleteStep marks a step done with the evidence it needs and a note;
	// only the owner's users of the step's owner role, or its supervisors,
	// may. Steps counting from it get their due time.
	CompleteStep(ctx context.Context, caseID, procedureID, stepID string, in StepDone) error
	// Overdue lists the overdue steps of the actor's organisation's cases,
	// longest overdue first.
	Overdue(ctx context.Context) ([]OverdueStep, error)
	// Procedures lists the procedures in force for the actor's
	// organisation: shipped, or the organisation's own newer version.
	Procedures(ctx context.Context) ([]ProcedureInfo, error)
	// Procedure returns one procedure in force with its YAML text.
	Procedure(ctx context.Context, id string) (*ProcedureInfo, error)
	// SaveProcedure stores an organisation's own version of a procedure
	// (SOPEdit): the YAML is validated and must raise the version.
	SaveProcedure(ctx context.Context, source string) (*ProcedureInfo, error)

	CareWork
}

// StepDone is what a user gives when marking a step done.
type StepDone struct {
	Evidence string // what shows the step was done, e.g. "GD entry 14/2026"; no names
	Note     string
}

// Checklist is a case's SOP checklist as a page shows it.
type Checklist struct {
	CaseID  string
	CaseRef string
	TLP     TLP
	Steps   []CaseStep
}

// CaseStep is one step of a case's checklist.
type CaseStep struct {
	ProcedureID string
	Version     int
	StepID      string
	TitleKey    string
	Title       string // English wording
	Owner       Role
	OwnerOrg    OrgType // empty: the case owner's organisation
	Needs       []string
	Source      string
	Due         time.Time // UTC; zero when none or waiting
	Zone        string    // the deadline's IANA zone, for display
	WaitingOn   string    // "step:…" or "event:…" when the due time waits for it
	Status      string    // "open", "done", "skipped"
	DoneAt      time.Time
	DoneBy      string
	Evidence    string
	Note        string
	// Overdue is true when the step is open past its due time.
	Overdue bool
	// CanComplete is true when the actor may mark the step done.
	CanComplete bool
}

// DueLocal returns the due time in the deadline's zone.
func (s *CaseStep) DueLocal() time.Time { return inZone(s.Due, s.Zone) }

// OverdueStep is one line of the overdue dashboard.
type OverdueStep struct {
	CaseID      string
	CaseRef     string
	TLP         TLP
	ProcedureID string
	StepID      string
	TitleKey    string
	Title       string
	Owner       Role
	Due         time.Time
	Zone        string
	Late        time.Duration
}

// DueLocal returns the due time in the deadline's zone.
func (s *OverdueStep) DueLocal() time.Time { return inZone(s.Due, s.Zone) }

// ProcedureInfo describes a procedure in force for an organisation.
type ProcedureInfo struct {
	ID      string
	Version int
	Title   string
	// Own is true when the version is the organisation's own.
	Own       bool
	Source    string // the YAML text
	CreatedAt time.Time
}

func inZone(t time.Time, zone string) time.Time {
	if loc, err := time.LoadLocation(zone); err == nil && zone != "" {
		return t.In(loc)
	}
	return t
}

// CareWork is the care service's part for repatriation, rehabilitation and
// the legal track of a case (issue 4, sections 5-7). Every record here is
// seen as its case is; a hand-over is seen by both its organisations.
type CareWork interface {
	// Repatriations returns the repatriations of a case with their
	// hand-overs.
	Repatriations(ctx context.Context, caseID string) (*CaseRepatriations, error)
	// SaveRepatriation creates (ID empty) or updates a repatriation of a
	// case of the actor's organisation; the hand-overs are not changed here.
	SaveRepatriation(ctx context.Context, r *Repatriation) error
	// AddHandOver records a hand-over from the actor's organisation (the
	// case's owner) to the receiving organisation, which then sees it.
	AddHandOver(ctx context.Context, caseID, repatriationID string, h *HandOver) error
	// HandOvers lists the hand-overs to or from the actor's organisation.
	HandOvers(ctx context.Context) ([]HandOverInfo, error)
	// HandOver returns one hand-over the actor's organisation is a side of.
	HandOver(ctx context.Context, id string) (*HandOverInfo, error)
	// ConfirmHandOver records the receiver's confirmation of receipt; only
	// the receiving organisation confirms, and confirming gives it the case
	// by an accepted referral (purpose repatriation).
	ConfirmHandOver(ctx context.Context, id string) error

	// Care returns a case's care plans and follow-up visits.
	Care(ctx context.Context, caseID string) (*CaseCare, error)
	// SaveCarePlan creates (ID empty) or updates a care plan.
	SaveCarePlan(ctx context.Context, p *CarePlan) error
	// ScheduleFollowUps schedules visits the given months after
	// reintegration (DefaultFollowUpMonths when none are given).
	ScheduleFollowUps(ctx context.Context, caseID, personID string, reintegrated time.Time, months []int) ([]FollowUp, error)
	// RecordFollowUp records a visit: done (with a risk assessment) or
	// missed (the person was not found).
	RecordFollowUp(ctx context.Context, caseID, followUpID string, visit FollowUp) error
	// MissedFollowUps lists the follow-ups of the actor's organisation's
	// cases more than FollowUpGrace past due and not done.
	MissedFollowUps(ctx context.Context) ([]MissedFollowUp, error)

	// Legal returns the legal track of a case (nil Track when none yet).
	Legal(ctx context.Context, caseID string) (*CaseLegal, error)
	// SaveLegal creates or updates the legal track of a case; the charge
	// sheet's due date is computed from the first arrest and the deadline
	// table (ChargeSheetDeadline).
	SaveLegal(ctx context.Context, l *LegalTrack) error
}

// FollowUpGrace is how long past its due time a follow-up visit counts as
// missed on the dashboard.
const FollowUpGrace = 7 * 24 * time.Hour

// CaseRepatriations is a case's repatriation page.
type CaseRepatriations struct {
	CaseID, CaseRef string
	TLP             TLP
	OwnerOrgID      string
	Items           []Repatriation
	CanEdit         bool
}

// HandOverInfo is a hand-over as either side sees it.
type HandOverInfo struct {
	HandOver
	CaseID         string
	CaseRef        string
	TLP            TLP
	RepatriationID string
	// Incoming is true when the actor's organisation is the receiver.
	Incoming   bool
	CanConfirm bool
	ReferralID string // the referral confirming gave the receiver
}

// CaseCare is a case's care page.
type CaseCare struct {
	CaseID, CaseRef string
	TLP             TLP
	Plans           []CarePlan
	FollowUps       []FollowUp
	CanEdit         bool
}

// MissedFollowUp is a line of the dashboard's missed follow-ups.
type MissedFollowUp struct {
	CaseID, CaseRef string
	TLP             TLP
	FollowUpID      string
	Due             time.Time
	Late            time.Duration
}

// CaseLegal is a case's legal page.
type CaseLegal struct {
	CaseID, CaseRef string
	TLP             TLP
	Track           *LegalTrack
	CanEdit         bool
	// Suspects are the case's suspects' person ids, in the case's order,
	// for the arrests form ("suspect 1", "suspect 2", …: no names here).
	Suspects []string
	// ChargeSheetDeadlines are the deadline table's entries a charge sheet
	// may be due by.
	ChargeSheetDeadlines []string
}
