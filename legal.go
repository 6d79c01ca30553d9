package atip

import (
	"time"

	"atip/internal/codelist"
)

// LegalTrack is the prosecution of a case: the complaint or FIR, the
// sections of law, arrests, the charge sheet and its statutory deadline,
// the trial's stages and outcome, and notes on protecting the victim-witness.
// It holds the data behind a prosecution funnel (FIRs → charge sheets →
// trials → convictions).
type LegalTrack struct {
	ID     string     `class:"reference"`
	Info   RecordInfo `class:"reference"`
	CaseID string     `class:"reference"`

	PoliceStation string       `class:"operational"` // gazetteer code or station name
	FIRNumber     string       `class:"operational"` // e.g. "123/2026"
	FIRAt         time.Time    `class:"operational"`
	Sections      []LawSection `class:"operational"`
	Arrests       []Arrest     `class:"operational"`

	// The charge sheet is due within the statutory period from the first
	// arrest (e.g. 60 or 90 days under BNSS s.187, CrPC s.167); the sop
	// package's deadline table computes ChargeSheetDue.
	ChargeSheetDue time.Time `class:"operational"`
	// ChargeSheetDeadline is the id of the deadline table's entry the
	// charge sheet is due by (e.g. in.bnss.s187.charge_sheet_90).
	ChargeSheetDeadline string       `class:"operational"`
	ChargeSheetLaw      string       `class:"operational"` // the law of that entry, for display
	ChargeSheetAt       time.Time    `class:"operational"`
	FinalReportAt       time.Time    `class:"operational"` // closure report instead of a charge sheet
	Court               string       `class:"operational"`
	CourtCaseNumber     string       `class:"operational"`
	Stage               string       `class:"reference"` // codelist.LegalStage
	Stages              []StageEntry `class:"operational"`
	Outcome             string       `class:"reference"` // codelist.TrialOutcome
	OutcomeAt           time.Time    `class:"reference"`
	Sentence            string       `class:"operational"`

	// Witness protection: measures asked for and granted (in-camera trial,
	// screen, video testimony, relocation) and any threats reported.
	WitnessProtection string `class:"statement"`
}

// LawSection is a section of an act, e.g. {"BNS", "143"} or {"ITPA", "5"}.
type LawSection struct {
	Act     string `class:"operational"`
	Section string `class:"operational"`
}

// Arrest is the arrest of a suspect.
type Arrest struct {
	PersonID string    `class:"operational"`
	At       time.Time `class:"operational"`
	Bail     bool      `class:"operational"`
}

// StageEntry records when the trial reached a stage.
type StageEntry struct {
	Stage string    `class:"operational"` // codelist.LegalStage
	At    time.Time `class:"operational"`
}

// FirstArrest returns the time of the earliest arrest, zero when none.
func (l *LegalTrack) FirstArrest() time.Time {
	var first time.Time
	for _, a := range l.Arrests {
		if first.IsZero() || a.At.Before(first) {
			first = a.At
		}
	}
	return first
}

// Validate checks a legal track.
func (l *LegalTrack) Validate() error {
	var v Invalid
	if l.CaseID == "" {
		v.Add("case_id", "is required")
	}
	optCode(&v, "stage", codelist.LegalStage, l.Stage)
	optCode(&v, "outcome", codelist.TrialOutcome, l.Outcome)
	for i, s := range l.Stages {
		checkCode(&v, indexed("stages", i, "stage"), codelist.LegalStage, s.Stage)
	}
	for i, s := range l.Sections {
		if s.Act == "" || s.Section == "" {
			v.Add(indexed("sections", i, "section"), "name both the act and the section")
		}
	}
	for i, a := range l.Arrests {
		if a.PersonID == "" {
			v.Add(indexed("arrests", i, "person_id"), "is required")
		}
		if !l.FIRAt.IsZero() && a.At.Before(l.FIRAt.Add(-24*time.Hour)) {
			// Arrests a day before the FIR happen (a rescue, then the FIR);
			// more than that is almost always a typing error.
			v.Add(indexed("arrests", i, "at"), "is more than a day before the FIR")
		}
	}
	if l.Outcome != "" && l.Outcome != "pending" && l.OutcomeAt.IsZero() {
		v.Add("outcome_at", "is required with an outcome")
	}
	if l.FIRNumber != "" && l.FIRAt.IsZero() {
		v.Add("fir_at", "is required with an FIR number")
	}
	return v.Err()
}
