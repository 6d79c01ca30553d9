package atip

import (
	"context"
	"time"
)

// SelectorCaseLink says an analyst linked a selector found in a tip (a
// phone, a handle, a payment id …, by type and normal form) to a case and,
// optionally, to one of the case's suspects.
type SelectorCaseLink struct {
	ID         string
	TipID      string // the tip the selector was seen in
	Type       string
	Normalized string
	CaseID     string
	CaseRef    string // the case's reference, e.g. "CAS-7F3A-91C2"
	CaseTLP    TLP
	SuspectID  string // a person id among the case's suspects; "" for the case alone
	By         string
	At         time.Time
}

// TipSelectorService is the selector side of tips: the network of one
// selector. Authorisation is the service's: tips are the actor's
// organisation's.
type TipSelectorService interface {
	// SelectorNetwork returns the network of the tips of the actor's
	// organisation that carry the selector (those tips first).
	SelectorNetwork(ctx context.Context, typ, normalized string) (*TipNetwork, error)
}

// TipCaseLinkService links selectors found in tips to cases and their
// suspects. A case the actor may not see or edit is ENOTFOUND.
type TipCaseLinkService interface {
	// CaseForLink finds a case by its reference for the link form, with
	// its suspects; the actor's organisation must own the case and be
	// allowed to edit it.
	CaseForLink(ctx context.Context, caseRef string) (*CaseLinkChoice, error)
	// LinkSelectorToCase links one selector of a tip to a case (by its
	// reference in CaseRef) and optionally to a suspect of that case.
	LinkSelectorToCase(ctx context.Context, l *SelectorCaseLink) error
	// SelectorCaseLinks returns the links of the selectors carried by the
	// given tips (of the actor's organisation) to cases the actor may see:
	// one entry per tip and link, TipID naming the tip.
	SelectorCaseLinks(ctx context.Context, tipIDs []string) ([]*SelectorCaseLink, error)
}

// CaseLinkChoice is a case as the link form offers it: its reference,
// marking and suspects (person ids with their readable references).
type CaseLinkChoice struct {
	CaseID   string
	CaseRef  string
	TLP      TLP
	Suspects []SuspectChoice
}

// SuspectChoice is one suspect of a case, by person id and reference.
type SuspectChoice struct {
	PersonID string
	Ref      string
}

// SelectorRecord is a person or case record, of any organisation, holding a
// selector found in a tip — matched by deconfliction token, never by value.
// When the viewer may not see the record, only OrgID and OrgName are set:
// "a record held by organisation X", so the two agencies know whom to ask.
type SelectorRecord struct {
	TipID   string
	Type    string // the selector's type in the tip
	OrgID   string
	OrgName string
	Visible bool
	Record  RecordRef // set only when Visible
	Ref     string    // the record's reference, e.g. "PER-7F3A-91C2"; only when Visible
	TLP     TLP       // only when Visible
}

// TipRecordService finds the persons and cases on the platform that hold
// the selectors of tips.
type TipRecordService interface {
	// SelectorRecords returns, for the given tips of the actor's
	// organisation, the person and case records holding one of their
	// selectors, as the actor may see them. Looking is audited.
	SelectorRecords(ctx context.Context, tipIDs []string) ([]*SelectorRecord, error)
}
