package atip

import (
	"context"
	"strconv"
	"time"
)

// CaseService serves persons, cases (victims, suspects, incidents), notes,
// the timeline, quick intake, the case list and search (issue 4). Every
// record is stored through the shareable-record path, so what a caller gets
// back is what the access policy lets the actor in ctx see: something not
// visible is ENOTFOUND, and protected fields of a redacted view are blank.
type CaseService interface {
	// CreatePerson stores a new person owned by the actor's organisation
	// (owner-only, AMBER); p.ID and p.Ref are set.
	CreatePerson(ctx context.Context, p *Person) error
	// UpdatePerson replaces a person the actor's organisation owns.
	UpdatePerson(ctx context.Context, p *Person) error
	// FindPerson returns a person as the actor sees it.
	FindPerson(ctx context.Context, id string) (*PersonView, error)

	// CreateCase stores a new case owned by the actor's organisation; c.ID
	// and c.Ref are set. Victims, suspects and witnesses name persons stored
	// before, or people given with the case, in the same transaction: a
	// person without an ID is created, one with an ID updated, and the case
	// names a new one as NewPersonRef(i), i its index in people.
	CreateCase(ctx context.Context, c *Case, people ...*Person) error
	// UpdateCase replaces a case the actor's organisation owns, saving
	// people as CreateCase does; the marking stays what it was (the sharing
	// pages change it).
	UpdateCase(ctx context.Context, c *Case, people ...*Person) error
	// FindCase returns a case with its people and timeline as the actor
	// sees them. Reads that show protected data are audited.
	FindCase(ctx context.Context, id string) (*CaseView, error)
	// FindCases returns a page of the cases the actor may see, newest
	// first, and the cursor of the next page ("" on the last).
	FindCases(ctx context.Context, f CaseFilter) ([]*CaseView, string, error)
	// ExportCases returns every case of the filter (Query, stage, …; After
	// and Limit ignored) that the actor may take out of ATIP in a file, at
	// most MaxCaseExport, with reference fields only; the export is audited
	// with its format and row count.
	ExportCases(ctx context.Context, f CaseFilter, format string) ([]*CaseView, error)
	// ImportCases stores converted rows of a legacy register — each a case
	// with its victim — all in one transaction or none of them (the
	// RecordImport action). Imported cases are incomplete until reviewed.
	ImportCases(ctx context.Context, rows []CaseImport) (int, error)
	// AddNote appends a note (sealed with the case) to a case's timeline.
	AddNote(ctx context.Context, caseID, note string) error

	// QuickIntake makes the case and person of a quick intake, or returns
	// the case an earlier send with the same client key made (created
	// false).
	QuickIntake(ctx context.Context, q *QuickIntake) (c *Case, created bool, err error)
}

// MaxCaseExport is the most rows one export file holds.
const MaxCaseExport = 100000

// NewPersonRef is how a case names the i-th of the people saved with it
// before they have ids.
func NewPersonRef(i int) string { return "new:" + strconv.Itoa(i) }

// CaseImport is one row of a legacy register, converted: a case and its
// victim, linked by Link (whose PersonID the store sets).
type CaseImport struct {
	Line   int
	Case   Case
	Victim Person
	Link   CaseVictim
}

// CaseFilter selects cases for a list. Zero values select everything.
type CaseFilter struct {
	Mine     bool   // assigned to the actor
	Overdue  bool   // with an open checklist step past its deadline
	Stage    string // codelist.CaseStage
	Status   string // codelist.CaseStatus
	District string // gazetteer code of the intake district
	Type     string // codelist.Exploitation, the case type
	// Complete is "yes", "no" or "" (either).
	Complete string
	// Query searches the case reference, codes and places, and the names
	// of its people where the actor's view shows identities.
	Query string
	After string // cursor from the previous page
	Limit int
}

// Access is what the actor may see and do with one record, as the policy
// decided.
type Access struct {
	Full     bool   // protected fields are shown
	Redacted bool   // only the redacted view is shown
	Relation string // owner, referral, group, platform, …
	CanEdit  bool
	Shown    []FieldClass
}

// Shows reports whether fields of class c are shown.
func (a Access) Shows(c FieldClass) bool {
	for _, x := range a.Shown {
		if x == c {
			return true
		}
	}
	return false
}

// PersonView is a person as the actor sees it.
type PersonView struct {
	Person *Person
	Ref    string
	TLP    TLP
	Access Access
	// CaseIDs are the cases the person is linked to (the actor may not
	// see all of them).
	CaseIDs []string
}

// CaseView is a case as the actor sees it.
type CaseView struct {
	Case   *Case
	Ref    string
	TLP    TLP
	Access Access
	// People are the case's victims and suspects the actor may see, by id.
	People map[string]*PersonView
	// Timeline is filled by FindCase only, oldest first.
	Timeline []*TimelineEvent
	// Overdue counts the open checklist steps past their deadline.
	Overdue int
	// UpdatedAt is when the record last changed.
	UpdatedAt time.Time
}

// VictimName returns the first name the actor sees of the case's first
// victim, "" when none is shown.
func (v *CaseView) VictimName() string {
	for _, x := range v.Case.Victims {
		if p := v.People[x.PersonID]; p != nil && len(p.Person.Names) > 0 {
			return p.Person.Names[0].Full
		}
	}
	return ""
}
