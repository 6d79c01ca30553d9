package atip

import "context"

// OrgType is the kind of organisation. The set follows who acts against
// trafficking in South Asia (see DESIGN.md, "The field in one page").
type OrgType string

const (
	OrgBorderUnit         OrgType = "border_unit"         // a border guarding force unit, e.g. a border outpost
	OrgAHTU               OrgType = "ahtu"                // police anti-human-trafficking unit
	OrgPolice             OrgType = "police"              // state or district police
	OrgCWC                OrgType = "cwc"                 // child welfare committee
	OrgShelterNGO         OrgType = "shelter_ngo"         // shelter home or NGO
	OrgGovernment         OrgType = "government"          // government department
	OrgProsecution        OrgType = "prosecution"         // public prosecutor's office
	OrgForeignCounterpart OrgType = "foreign_counterpart" // agency or mission of another country
	OrgInternational      OrgType = "international"       // international organisation
)

// OrgTypes lists every organisation type in the order forms show them.
var OrgTypes = []OrgType{
	OrgBorderUnit, OrgAHTU, OrgPolice, OrgCWC, OrgShelterNGO,
	OrgGovernment, OrgProsecution, OrgForeignCounterpart, OrgInternational,
}

// Valid reports whether t is one of OrgTypes.
func (t OrgType) Valid() bool {
	for _, x := range OrgTypes {
		if t == x {
			return true
		}
	}
	return false
}

// Org is an organisation: every user belongs to one, and every shareable
// record is owned by one.
type Org struct {
	ID   string
	Name string
	Type OrgType
	// Jurisdiction is a gazetteer place code (country, state or district)
	// naming the area the organisation works in.
	Jurisdiction string
	Disabled     bool
	Stamp
}

// OrgFilter selects organisations. Zero fields do not filter.
type OrgFilter struct {
	Type  OrgType
	Query string // matches the name, case- and script-insensitively
	After string // cursor: the last id of the previous page
	Limit int    // at most this many; 0 means a default page size
}

// OrgUpdate changes the non-nil fields of an organisation.
type OrgUpdate struct {
	Name         *string
	Type         *OrgType
	Jurisdiction *string
	Disabled     *bool
}

// OrgService manages organisations. Only platform admins (and the operator)
// create organisations; organisation admins may update their own.
type OrgService interface {
	CreateOrg(ctx context.Context, o *Org) error
	UpdateOrg(ctx context.Context, id string, upd OrgUpdate) (*Org, error)
	FindOrgByID(ctx context.Context, id string) (*Org, error)
	// FindOrgs returns one page and the cursor of the next ("" at the end).
	FindOrgs(ctx context.Context, f OrgFilter) ([]*Org, string, error)
}
