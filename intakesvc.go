package atip

import (
	"context"
	"time"
)

// IntakeService serves signals, interceptions at borders and transit points
// and missing-person reports (issue 4). Every record goes through the one
// storage path of shareable records: lists show what the policy lets the
// actor see of each record, in its redacted view; a record's page shows its
// protected fields when the policy allows, and that look is audited.
type IntakeService interface {
	// CreateInterception records a stop, scoring its red flags against the
	// current catalogue (the score and the catalogue version are stored
	// with the record). RecordedBy is the actor.
	CreateInterception(ctx context.Context, x *Interception) error
	// Interception returns one record as the actor may see it.
	Interception(ctx context.Context, id string) (*Interception, *IntakeAccess, error)
	// Interceptions lists the records the actor may see, newest first.
	Interceptions(ctx context.Context, f InterceptionFilter) ([]*Interception, string, error)
	// VerifyInterception records a second person's verification (or
	// rejection, with a note): another user of the owning organisation, a
	// supervisor or a first responder, never the one who recorded it.
	VerifyInterception(ctx context.Context, id string, accept bool, note string) (*Interception, error)

	CreateSignal(ctx context.Context, s *Signal) error
	Signal(ctx context.Context, id string) (*Signal, *IntakeAccess, error)
	Signals(ctx context.Context, f SignalFilter) ([]*Signal, string, error)
	// SetSignalStatus closes or reopens a signal, or marks it converted
	// with the case opened from it.
	SetSignalStatus(ctx context.Context, id, status, caseID, note string) (*Signal, error)

	CreateMissing(ctx context.Context, m *MissingReport) error
	Missing(ctx context.Context, id string) (*MissingReport, *IntakeAccess, error)
	MissingReports(ctx context.Context, f MissingFilter) ([]*MissingReport, string, error)
	// MissingFound marks a missing person found at a time; the report
	// leaves the list of open reports.
	MissingFound(ctx context.Context, id string, at time.Time) (*MissingReport, error)

	// LinkCase records that a case was opened from an intake record (an
	// interception, a signal or a missing-person report): the signal is
	// then converted, the interception's outcome is case_opened. The case
	// pages call it after creating the case from /cases/new?from=…&id=….
	LinkCase(ctx context.Context, ref RecordRef, caseID string) error
}

// IntakeAccess is what the actor may do with, and sees of, one record.
type IntakeAccess struct {
	Full      bool // protected fields are shown
	CanEdit   bool
	CanVerify bool // interceptions: the actor may verify it now
	// Prompt and Reason: the record's score or certainty crossed the
	// thresholds, so the page prompts to open a case.
	Prompt bool
	Reason string
}

// InterceptionFilter selects interceptions.
type InterceptionFilter struct {
	Unverified bool   // only those no second person has looked at yet
	District   string // gazetteer code of the point
	Before     string // cursor: the id to continue after (ids are newest first)
	Limit      int    // 0 means 50
}

// SignalFilter selects signals.
type SignalFilter struct {
	Status string // "" for every status
	Before string
	Limit  int
}

// MissingFilter selects missing-person reports.
type MissingFilter struct {
	Status string // "open", "found" or "" for both
	Before string
	Limit  int
}
