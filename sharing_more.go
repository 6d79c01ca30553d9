package atip

import "time"

// MarkingChange is the sharing settings an owner gives a record.
type MarkingChange struct {
	Distribution      Distribution
	TLP               TLP
	GroupIDs          []string
	SharedOperational bool // the groups and the platform receive the operational class too
}

// RecordLabel is what any list may say about a record the actor is allowed
// to know of: its pseudonymous reference, type, owner and marking — never
// its content.
type RecordLabel struct {
	Record     RecordRef
	Ref        string // pseudonymous, e.g. "PER-7F3A-91C2"
	OwnerOrgID string
	TLP        TLP
	Erased     bool
}

// DeconflictionMatch is a match as one organisation knows it: its own record
// holds a selector that a record of OtherOrgID holds too. It names whom to
// ask, never the other record — unless the actor may see that record anyway
// (OtherRecord is then set).
type DeconflictionMatch struct {
	ID          string
	OrgID       string
	Record      RecordRef // the organisation's own record
	OtherOrgID  string    // whom to ask
	OtherRecord RecordRef // zero unless the actor may see the other record
	Selectors   int       // how many of the record's selectors matched
	CreatedAt   time.Time
	Sighted     bool // the organisation already said "we have seen this too"
}

// RecordSharing is what the sharing page of one record shows the actor.
type RecordSharing struct {
	Label RecordLabel
	// Meta is the full marking for the owner; others get the reference,
	// owner and TLP only.
	Meta        RecordMeta
	Owner       bool
	CanShare    bool
	CanTransfer bool
	CanErase    bool
	CanConsent  bool
	Shown       []FieldClass // classes the actor sees now
	Glass       []FieldClass // classes break-glass could open now
	Requestable []FieldClass // classes the actor could ask the owner for

	// For the owner.
	Consents   []Consent
	Referrals  []*Referral
	Transfers  []*Transfer
	Erasures   []*ErasureRequest
	BreakGlass []*BreakGlass
	// For others: their own requests and open break-glass accesses.
	MyRequests []*AccessRequest
	MyGlass    []*BreakGlass
	Matches    []*DeconflictionMatch
}

// SharingInbox is what waits for an organisation.
type SharingInbox struct {
	Referrals  []*Referral       // made to us, to accept or decline
	Transfers  []*Transfer       // made to us, to accept or decline
	Requests   []*AccessRequest  // for our records, to approve or decline
	Erasures   []*ErasureRequest // for our records, a second person to approve
	BreakGlass []*BreakGlass     // uses on our records not reviewed yet
	Matches    []*DeconflictionMatch
	Sightings  []*Sighting // partners who have seen what our records hold
	Labels     map[string]RecordLabel
}

// SharedLists are a manager's "shared by us" and "shared with us".
type SharedLists struct {
	ByUs   []*Referral
	WithUs []*Referral
	Labels map[string]RecordLabel
}
