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
