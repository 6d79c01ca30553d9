package atip

import "time"

// This file holds the sharing model (issue 3): who owns a record, how far it
// may travel, how its recipients may pass it on, what each field class
// reveals, and the hand-overs, groups, consents, access requests and
// break-glass accesses that widen the view. The decisions themselves are made
// by the policy package from these types; nothing here decides visibility.

// RecordType names a kind of shareable record.
type RecordType string

const (
	RecordPerson   RecordType = "person"   // victim/survivor, missing person, suspect, witness, guardian
	RecordCase     RecordType = "case"     // the organised response to one trafficking situation
	RecordMissing  RecordType = "missing"  // a missing-person report
	RecordTip      RecordType = "tip"      // a signal: helpline call, public tip, online post
	RecordAlert    RecordType = "alert"    // a notice sent to partners, e.g. a look-out at a border
	RecordNetwork  RecordType = "network"  // a recruitment or trafficking network
	RecordDocument RecordType = "document" // an attached file: statement, medical report, scan
)

// RecordTypes lists every shareable record type.
var RecordTypes = []RecordType{
	RecordPerson, RecordCase, RecordMissing, RecordTip, RecordAlert, RecordNetwork, RecordDocument,
}

// Valid reports whether t is one of RecordTypes.
func (t RecordType) Valid() bool {
	for _, x := range RecordTypes {
		if t == x {
			return true
		}
	}
	return false
}

// RecordRef names one shareable record. Ids are unique across types; the
// type travels with the id so that audit entries, grants and tokens say what
// they point to without a lookup.
type RecordRef struct {
	Type RecordType
	ID   string
}

func (r RecordRef) String() string { return string(r.Type) + "/" + r.ID }

// Distribution is how far a record may travel: who may know it exists.
// The levels are ordered; a wider level includes the narrower ones.
type Distribution string

const (
	// DistOwner: the owning organisation and the holders of its referrals.
	DistOwner Distribution = "owner"
	// DistGroups: as DistOwner, plus the member organisations of the
	// record's sharing groups.
	DistGroups Distribution = "groups"
	// DistPlatform: every organisation of this country's platform. Foreign
	// counterparts are not "the platform": they receive a record only through
	// a sharing group or a referral, except TLP:CLEAR records.
	DistPlatform Distribution = "platform"
)

// Distributions lists the levels from the narrowest to the widest.
var Distributions = []Distribution{DistOwner, DistGroups, DistPlatform}

// Valid reports whether d is one of Distributions.
func (d Distribution) Valid() bool { return d.Rank() >= 0 }

// Rank orders the levels: 0 for DistOwner, 2 for DistPlatform, -1 when
// unknown.
func (d Distribution) Rank() int {
	for i, x := range Distributions {
		if d == x {
			return i
		}
	}
	return -1
}

// TLP is a Traffic Light Protocol 2.0 marking: how the recipients of a record
// may pass it on. It is shown on every screen, API response and export that
// carries the record.
type TLP string

const (
	TLPClear       TLP = "CLEAR"        // may be disclosed without restriction
	TLPGreen       TLP = "GREEN"        // the community: within this platform
	TLPAmber       TLP = "AMBER"        // the recipients' organisations, on a need-to-know basis
	TLPAmberStrict TLP = "AMBER+STRICT" // the recipients' organisations only, never further
	TLPRed         TLP = "RED"          // the named individual recipients only
)

// TLPs lists the markings from the least to the most restrictive.
var TLPs = []TLP{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// Valid reports whether m is one of TLPs.
func (m TLP) Valid() bool {
	for _, x := range TLPs {
		if m == x {
			return true
		}
	}
	return false
}

// MaxDistribution is the widest distribution a marking allows. RED and
// AMBER+STRICT records never leave their listed recipients (the owner and
// the holders of its referrals); AMBER travels to sharing groups, whose
// agreements make the need to know explicit; GREEN and CLEAR go platform-wide.
func (m TLP) MaxDistribution() Distribution {
	switch m {
	case TLPClear, TLPGreen:
		return DistPlatform
	case TLPAmber:
		return DistGroups
	}
	return DistOwner
}

// FieldClass sorts the fields of a record by how much they reveal about a
// person. Every field of every shareable record belongs to exactly one class,
// and visibility is decided per class, never per field.
type FieldClass string

const (
	// ClassReference is the redacted view: a pseudonymous reference, sex, age
	// band, district, dates, case type, status and marking — enough to
	// coordinate, not enough to identify. Whoever may see a record sees these.
	ClassReference FieldClass = "reference"
	// ClassOperational is working detail that identifies no victim or witness:
	// SOP steps and deadlines, modus operandi, routes at district level,
	// indicators and suspects' selectors. The owner may share it with the
	// record's groups or the platform (RecordMeta.SharedClasses).
	ClassOperational FieldClass = "operational"

	// The protected classes: a victim's or witness's personal data. Only the
	// owner and the holders of a referral that names the class, within the
	// person's consent, see them — and only users whose role needs them.

	ClassIdentity  FieldClass = "identity"  // names, aliases, photos, exact date of birth, family names
	ClassContact   FieldClass = "contact"   // the person's own phones, e-mail, social media handles
	ClassLocation  FieldClass = "location"  // address or place below district level: village, house, GPS
	ClassDocuments FieldClass = "documents" // identity documents and their numbers: Aadhaar, passport, citizenship
	ClassHealth    FieldClass = "health"    // medical, psychological and sexual-health information
	ClassStatement FieldClass = "statement" // statements and free-text accounts in the person's words
)

// FieldClasses lists every class: the two open ones first, then the
// protected ones.
var FieldClasses = []FieldClass{
	ClassReference, ClassOperational,
	ClassIdentity, ClassContact, ClassLocation, ClassDocuments, ClassHealth, ClassStatement,
}

// Valid reports whether c is one of FieldClasses.
func (c FieldClass) Valid() bool {
	for _, x := range FieldClasses {
		if c == x {
			return true
		}
	}
	return false
}

// Protected reports whether c is personal data of the protected class,
// which is encrypted at rest and never leaves the owner and its referral
// holders without consent or break-glass.
func (c FieldClass) Protected() bool {
	return c.Valid() && c != ClassReference && c != ClassOperational
}

// RecordMeta is what the policy needs to know about a record to decide who
// may see and do what with it. Storage loads it with the record (it lives in
// the record's own row and a few side tables), so a list of records costs no
// extra query per record.
type RecordMeta struct {
	Ref          RecordRef
	OwnerOrgID   string
	Distribution Distribution
	TLP          TLP
	// GroupIDs are the sharing groups the record is distributed to; they
	// count only when Distribution is DistGroups or wider.
	GroupIDs []string
	// SharedClasses are the classes beyond ClassReference that the record's
	// groups and the platform receive. Only ClassOperational may be listed:
	// protected classes travel only by referral.
	SharedClasses []FieldClass
	// Child is true when the person concerned was under 18 when the record
	// was made; their consent must come from a guardian or a child welfare
	// committee.
	Child bool
	// Consents are the consents recorded for the person, withdrawn ones
	// included (the policy ignores those).
	Consents []Consent
}

// SharingDefault is an organisation's default marking for new records of a
// type. When an organisation has none, new records are owner-only and AMBER.
type SharingDefault struct {
	OrgID        string
	RecordType   RecordType
	Distribution Distribution
	TLP          TLP
}

// SharingGroup is a set of organisations that share records under a written
// data-sharing agreement, for a purpose, until an expiry. An organisation
// admin creates it and invites others, who accept or decline. Leaving, or the
// expiry, ends access to the group's records at once.
type SharingGroup struct {
	ID         string
	Name       string // e.g. "India–Nepal border task force, Sindhupalchok–Sitamarhi"
	Purpose    string
	Agreement  string // the data-sharing agreement text every member accepted
	OwnerOrgID string // the organisation that created the group and manages its members
	ExpiresAt  time.Time
	Members    []GroupMember
	Stamp
}

// MemberStatus is where an organisation stands in a sharing group.
type MemberStatus string

const (
	MemberInvited  MemberStatus = "invited"
	MemberAccepted MemberStatus = "accepted"
	MemberDeclined MemberStatus = "declined"
	MemberLeft     MemberStatus = "left"
)

// GroupMember is one organisation's membership of a sharing group.
type GroupMember struct {
	OrgID      string
	Status     MemberStatus
	InvitedBy  string // user id
	InvitedAt  time.Time
	AnsweredBy string // user id of the member's admin who accepted or declined
	AnsweredAt time.Time
	LeftAt     time.Time
}

// Member returns orgID's membership, or nil when it was never invited.
func (g *SharingGroup) Member(orgID string) *GroupMember {
	for i := range g.Members {
		if g.Members[i].OrgID == orgID {
			return &g.Members[i]
		}
	}
	return nil
}

// Purpose is what personal data is shared for. Consents and referrals name
// purposes, and a referral is covered by a consent only for the same purpose.
type Purpose string

const (
	PurposeCare          Purpose = "care"           // shelter, counselling, medical care, rehabilitation
	PurposeInvestigation Purpose = "investigation"  // police investigation of the traffickers
	PurposeProsecution   Purpose = "prosecution"    // charge sheet, trial, witness protection
	PurposeRepatriation  Purpose = "repatriation"   // return across a border, home verification
	PurposeFamilyTracing Purpose = "family_tracing" // finding and assessing the family
	PurposeCompensation  Purpose = "compensation"   // victim compensation schemes
)

// Purposes lists every purpose in the order forms show them.
var Purposes = []Purpose{
	PurposeCare, PurposeInvestigation, PurposeProsecution, PurposeRepatriation,
	PurposeFamilyTracing, PurposeCompensation,
}

// Valid reports whether p is one of Purposes.
func (p Purpose) Valid() bool {
	for _, x := range Purposes {
		if p == x {
			return true
		}
	}
	return false
}

// ConsentMethod is how consent was given.
type ConsentMethod string

const (
	ConsentVerbal  ConsentMethod = "verbal"
	ConsentWritten ConsentMethod = "written"
)

// ConsentGiver is who gave consent. For a child it must be a guardian or a
// child welfare committee; a child's own word is recorded as their assent
// (ChildAssent) but does not by itself cover sharing.
type ConsentGiver string

const (
	GivenByPerson   ConsentGiver = "person"   // the victim or witness themselves, an adult
	GivenByGuardian ConsentGiver = "guardian" // a parent or legal guardian of a child
	GivenByCWC      ConsentGiver = "cwc"      // the child welfare committee acting for the child
)

// Consent is a person's (or, for a child, their guardian's) permission to
// share their protected personal data with named organisations or groups for
// named purposes. Withdrawal takes effect at once for every referral it
// covered. It never holds the giver's name: GuardianRelation says who they are
// to the child.
type Consent struct {
	ID               string
	Record           RecordRef // the person (or case) the consent is about
	Purposes         []Purpose
	OrgIDs           []string // organisations covered
	GroupIDs         []string // sharing groups whose member organisations are covered
	Method           ConsentMethod
	GivenBy          ConsentGiver
	GuardianRelation string // e.g. "mother"; empty unless GivenBy is GivenByGuardian
	ChildAssent      bool   // a child agreed in their own words as well
	RecordedBy       string // user id
	GivenAt          time.Time
	WithdrawnAt      time.Time // zero while in force
	WithdrawnBy      string    // user id who recorded the withdrawal
	Stamp
}

// Live reports whether the consent is in force at t.
func (c *Consent) Live(t time.Time) bool {
	return !c.GivenAt.After(t) && (c.WithdrawnAt.IsZero() || t.Before(c.WithdrawnAt))
}

// ReferralKind says how a referral came to be.
type ReferralKind string

const (
	// KindReferral is a hand-over the owner starts, e.g. a shelter refers a
	// survivor to a CWC. The receiver accepts or declines it.
	KindReferral ReferralKind = "referral"
	// KindAccessGrant is made when the owner approves an access request; it
	// is accepted from the start.
	KindAccessGrant ReferralKind = "access_grant"
)

// Referral is a scoped, time-limited grant of a view of one record to another
// organisation: it names the field classes the receiver may see (never
// "everything"), the purpose, and an expiry. The owner can revoke it at any
// time. For a TLP:RED record it must also name the individual users.
type Referral struct {
	ID         string
	Kind       ReferralKind
	Record     RecordRef
	FromOrgID  string // the owner when the referral was made
	ToOrgID    string
	ToUserIDs  []string // when set, only these users of ToOrgID benefit; required for TLP:RED
	Classes    []FieldClass
	Purpose    Purpose
	Note       string // why, in words; shown to the receiver
	GrantedBy  string // user id
	GrantedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt time.Time // zero until the receiver accepts
	DeclinedAt time.Time
	RevokedAt  time.Time
	RevokedBy  string
	Stamp
}

// Live reports whether the referral gives access at t: accepted, not
// declined, not revoked, not expired.
func (r *Referral) Live(t time.Time) bool {
	return !r.AcceptedAt.IsZero() && !r.AcceptedAt.After(t) && r.DeclinedAt.IsZero() &&
		(r.RevokedAt.IsZero() || t.Before(r.RevokedAt)) && t.Before(r.ExpiresAt)
}

// Transfer records a change of a record's owner: the hand-over of a case, for
// example from a shelter to the CWC of the child's home district. After it the
// receiver is the owner; the sender keeps nothing unless the receiver refers
// the record back.
type Transfer struct {
	ID         string
	Record     RecordRef
	FromOrgID  string
	ToOrgID    string
	Reason     string
	ByUserID   string
	At         time.Time
	AcceptedBy string // user id at the receiver; a transfer takes effect on acceptance
	AcceptedAt time.Time
	// Purpose is what the receiver takes the record over for; the person's
	// consent must cover it when the record holds protected data.
	Purpose       Purpose
	DeclinedAt    time.Time
	DeclineReason string
}

// AccessRequestStatus is where an access request stands.
type AccessRequestStatus string

const (
	RequestPending  AccessRequestStatus = "pending"
	RequestApproved AccessRequestStatus = "approved"
	RequestDeclined AccessRequestStatus = "declined"
	RequestCanceled AccessRequestStatus = "canceled"
)

// AccessRequest is a user's request, from a redacted view or a deconfliction
// match, for the protected classes of a record. The owner approves it for a
// limited time (which creates a Referral of KindAccessGrant) or declines it;
// the requester is told either way, and every step is audited.
type AccessRequest struct {
	ID             string
	Record         RecordRef
	RequesterID    string // user id
	RequesterOrgID string
	Classes        []FieldClass
	Purpose        Purpose
	Reason         string
	Status         AccessRequestStatus
	DecidedBy      string // user id at the owner
	DecidedAt      time.Time
	DecisionNote   string
	ReferralID     string // the grant made on approval
	Stamp
}

// BreakGlass is an emergency access to protected classes that the policy
// would otherwise refuse — a child in danger at a border post at night, when
// nobody at the owner can approve a request. It needs a reason, lasts a short
// time, notifies the owner's supervisors at once, and marks every audit entry
// made under it.
type BreakGlass struct {
	ID        string
	Record    RecordRef
	UserID    string
	OrgID     string
	Classes   []FieldClass
	Reason    string
	StartedAt time.Time
	ExpiresAt time.Time
	// NotifiedUserIDs are the owner's supervisors and admins who were told.
	NotifiedUserIDs []string
	// ReviewedBy and ReviewedAt record the owner's later review of the use.
	ReviewedBy string
	ReviewedAt time.Time
}

// Live reports whether the break-glass access is open at t.
func (b *BreakGlass) Live(t time.Time) bool {
	return !b.StartedAt.After(t) && t.Before(b.ExpiresAt)
}

// Sighting is a partner's confirmation, after a deconfliction match, that
// they hold the same selector too — "we have seen this too" — without
// sending any content. It tells two agencies working the same trafficker that
// they should talk.
type Sighting struct {
	ID          string
	Record      RecordRef // the record whose selector matched, at the owner
	FromOrgID   string    // who confirms
	ToOrgID     string    // the owner who is told
	SelectorRef string    // the deconfliction token, never the selector itself
	Note        string
	At          time.Time
	ByUserID    string
}

// RetentionRule says how long records of a type are kept once their work is
// done before they come up for anonymisation. KeepFor counts from ClosedAt
// (a case closed, a tip dismissed), or from creation for records that never
// close.
type RetentionRule struct {
	RecordType RecordType
	KeepFor    time.Duration
}

// ErasureStatus is where an erasure request stands.
type ErasureStatus string

const (
	ErasurePending  ErasureStatus = "pending"
	ErasureApproved ErasureStatus = "approved" // and carried out: the protected fields and the data key are gone
	ErasureDeclined ErasureStatus = "declined"
)

// ErasureRequest asks to anonymise a record: its protected fields are
// deleted with its data key, its reference fields kept for statistics. A
// second person at the owner approves it. The audit trail keeps the entries
// that pointed to the record — ids and actions, never personal data — so
// history survives the erasure without the person.
type ErasureRequest struct {
	ID          string
	Record      RecordRef
	Reason      string // e.g. "retention period ended", "the person asked"
	RequestedBy string // user id
	RequestedAt time.Time
	Status      ErasureStatus
	DecidedBy   string // user id; never RequestedBy
	DecidedAt   time.Time
}
