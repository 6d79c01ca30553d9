package policy

import (
	"atip"
)

// RecordAction is something a user may try to do to a shareable record
// (person, case, tip …) or to one class of its fields.
type RecordAction string

const (
	RecordView     RecordAction = "view"
	RecordEdit     RecordAction = "edit"
	RecordShare    RecordAction = "share"    // change the marking, or refer the record; the class says what travels
	RecordExport   RecordAction = "export"   // take the class out of ATIP in a file
	RecordTransfer RecordAction = "transfer" // hand ownership to another organisation
	RecordErase    RecordAction = "erase"    // request or approve anonymisation; a second person approves
)

// RecordActions lists every record action.
var RecordActions = []RecordAction{RecordView, RecordEdit, RecordShare, RecordExport, RecordTransfer, RecordErase}

// Relation is how the actor's organisation stands to a record. An
// organisation may hold several relations to one record at once (a group
// member that also holds a referral); the policy takes the most generous
// answer among them.
type Relation uint8

const (
	RelNone     Relation = iota // nothing links the organisation to the record
	RelForeign                  // a foreign counterpart agency with no group or referral for the record
	RelPlatform                 // a domestic organisation on the platform, nothing more
	RelGroup                    // a live, accepted member of one of the record's sharing groups
	RelReferral                 // holds a live, accepted referral or access grant for the record
	RelOwner                    // owns the record
)

// Relations lists every relation from the weakest to the strongest.
var Relations = []Relation{RelNone, RelForeign, RelPlatform, RelGroup, RelReferral, RelOwner}

var relationNames = [...]string{"none", "foreign", "platform", "group", "referral", "owner"}

func (r Relation) String() string {
	if int(r) < len(relationNames) {
		return relationNames[r]
	}
	return "invalid"
}

// Effect is the policy's answer for one class and one action. The values are
// ordered: when several relations apply, the greatest wins.
type Effect uint8

const (
	// Hidden: the actor may not know the record exists. Callers answer
	// "not found" (404), exactly as for an id that was never used, and leave
	// the record out of lists, searches, counts and autocomplete.
	Hidden Effect = iota
	// Deny: the actor may see the record but not do this (403, or the
	// field shows as withheld).
	Deny
	// Glass: denied, but the actor may open it by breaking the glass:
	// a reason, a short time limit, the owner's supervisors told at once.
	Glass
	// Allow: go ahead.
	Allow
)

var effectNames = [...]string{"hidden", "deny", "glass", "allow"}

func (e Effect) String() string {
	if int(e) < len(effectNames) {
		return effectNames[e]
	}
	return "invalid"
}

// ClassSet is a set of field classes, one bit each, so that a view of a
// record is a value without allocation.
type ClassSet uint16

func classBit(c atip.FieldClass) ClassSet {
	switch c {
	case atip.ClassReference:
		return 1 << 0
	case atip.ClassOperational:
		return 1 << 1
	case atip.ClassIdentity:
		return 1 << 2
	case atip.ClassContact:
		return 1 << 3
	case atip.ClassLocation:
		return 1 << 4
	case atip.ClassDocuments:
		return 1 << 5
	case atip.ClassHealth:
		return 1 << 6
	case atip.ClassStatement:
		return 1 << 7
	}
	return 0
}

// Classes returns the set of the given classes; unknown classes are left out.
func Classes(cs ...atip.FieldClass) ClassSet {
	var s ClassSet
	for _, c := range cs {
		s |= classBit(c)
	}
	return s
}

const (
	setReference   ClassSet = 1 << 0
	setOperational ClassSet = 1 << 1
	// SetProtected is every protected class.
	SetProtected ClassSet = 0xfc
	// SetAll is every class.
	SetAll ClassSet = 0xff
)

// Has reports whether c is in the set.
func (s ClassSet) Has(c atip.FieldClass) bool { b := classBit(c); return b != 0 && s&b == b }

// List returns the classes of the set in the order of atip.FieldClasses.
func (s ClassSet) List() []atip.FieldClass {
	var out []atip.FieldClass
	for _, c := range atip.FieldClasses {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// rights is what a role lets its holder do to records, before the relation
// and the marking are considered.
type rights struct {
	view       ClassSet // classes the role needs to see
	edit       ClassSet // classes the role may change (only in records its organisation owns)
	export     ClassSet // classes the role may take out in a file
	share      bool     // may change the marking or refer the record (only what it may see)
	transfer   bool     // may hand ownership over
	erase      bool     // may request and approve erasure
	breakGlass bool     // may break the glass in an emergency
}

var (
	allProtected = Classes(atip.ClassIdentity, atip.ClassContact, atip.ClassLocation,
		atip.ClassDocuments, atip.ClassHealth, atip.ClassStatement)
	openClasses = setReference | setOperational
	// A first responder intercepts, rescues and records quick intakes: they
	// need to know who the person is, how to reach them, where they are from,
	// their papers and their immediate health — not their statement, which
	// the investigating officer or caseworker takes.
	responderClasses = openClasses | allProtected&^Classes(atip.ClassStatement)
)

// recordRights is the table the record policy is written from: what each
// role needs. The relation to the record and its marking then narrow it
// (see cell). A user with several roles gets the union.
var recordRights = map[atip.Role]rights{
	// The platform admin runs the platform, not cases: the redacted view only.
	atip.RolePlatformAdmin: {view: setReference},
	// An organisation admin decides what the organisation shares and hands
	// over, but does not work cases: no protected data.
	atip.RoleOrgAdmin: {view: openClasses, share: true, transfer: true},
	atip.RoleSupervisor: {view: SetAll, edit: SetAll, export: SetAll,
		share: true, transfer: true, erase: true, breakGlass: true},
	atip.RoleCaseworker:     {view: SetAll, edit: SetAll, share: true, breakGlass: true},
	atip.RoleFirstResponder: {view: responderClasses, edit: responderClasses, share: true, breakGlass: true},
	// Analysts work with tips, networks and statistics: patterns, never
	// victims' identities.
	atip.RoleAnalyst: {view: openClasses, edit: openClasses, export: openClasses},
	// The auditor reads the trail and needs to know what an entry points to.
	atip.RoleAuditor: {view: setReference},
}

func rightsOf(roles []atip.Role) rights {
	var r rights
	for _, role := range roles {
		x := recordRights[role]
		r.view |= x.view
		r.edit |= x.edit
		r.export |= x.export
		r.share = r.share || x.share
		r.transfer = r.transfer || x.transfer
		r.erase = r.erase || x.erase
		r.breakGlass = r.breakGlass || x.breakGlass
	}
	return r
}

// EffectiveDistribution is how far the record actually travels: its
// distribution, narrowed by what its marking allows. A RED record marked
// platform-wide by mistake still goes nowhere beyond its owner and referrals.
func EffectiveDistribution(d atip.Distribution, m atip.TLP) atip.Distribution {
	limit := m.MaxDistribution()
	if !d.Valid() {
		return atip.DistOwner
	}
	if d.Rank() > limit.Rank() {
		return limit
	}
	return d
}

// Situation is one cell of the record policy: everything the answer depends
// on, reduced to values. InScope says, for a referral holder, whether a live
// referral names the class, and for group, platform and foreign relations,
// whether the owner shares the class beyond itself (RecordMeta.SharedClasses);
// the redacted view (ClassReference) is always in scope. Consent says whether
// a live consent covers the disclosure in question: the referral's receiver
// and purpose when viewing, the intended receiver when sharing or
// transferring.
type Situation struct {
	Relation     Relation
	Distribution atip.Distribution
	TLP          atip.TLP
	Class        atip.FieldClass
	Action       RecordAction
	InScope      bool
	Consent      bool
}

// Rule answers one cell of the record policy for a user with the given
// roles. It is what Subject applies to each relation it finds; the matrix
// test checks it, cell by cell, against the rule table in testdata.
func Rule(roles []atip.Role, s Situation) Effect {
	r := rightsOf(roles)
	return cell(&r, s)
}

// visible reports whether an organisation with relation rel may know that a
// record with this marking exists.
func visible(rel Relation, d atip.Distribution, m atip.TLP) bool {
	eff := EffectiveDistribution(d, m)
	switch rel {
	case RelOwner, RelReferral:
		return true
	case RelGroup:
		return eff == atip.DistGroups || eff == atip.DistPlatform
	case RelPlatform:
		return eff == atip.DistPlatform
	case RelForeign:
		// Platform-wide sharing stays in the country: across a border a
		// record travels by a group's agreement or a referral, unless it
		// is marked for unrestricted disclosure.
		return eff == atip.DistPlatform && m == atip.TLPClear
	}
	return false
}

func cell(r *rights, s Situation) Effect {
	if !visible(s.Relation, s.Distribution, s.TLP) || !s.Class.Valid() {
		return Hidden
	}
	protected := s.Class.Protected()
	owner := s.Relation == RelOwner
	switch s.Action {
	case RecordView:
		return viewCell(r, s)
	case RecordEdit:
		if owner && r.edit.Has(s.Class) {
			return Allow
		}
	case RecordExport:
		// RED is for the eyes and ears of its recipients: no files. Beyond
		// the owner, no protected data and nothing AMBER+STRICT leaves in a
		// file, and nothing seen only through break-glass.
		switch {
		case s.TLP == atip.TLPRed, !r.export.Has(s.Class), viewCell(r, s) != Allow:
		case !owner && (protected || s.TLP == atip.TLPAmberStrict):
		default:
			return Allow
		}
	case RecordShare, RecordTransfer:
		may := r.share
		if s.Action == RecordTransfer {
			may = r.transfer
		}
		// Only the owner passes a record on, only what its user may see,
		// and protected data only within the person's consent.
		if owner && may && r.view.Has(s.Class) && (!protected || s.Consent) {
			return Allow
		}
	case RecordErase:
		if owner && r.erase {
			return Allow
		}
	default:
		return Hidden
	}
	return Deny
}

func viewCell(r *rights, s Situation) Effect {
	if !r.view.Has(s.Class) {
		return Deny // the role does not need it; break-glass does not change a role's need
	}
	switch {
	case s.Relation == RelOwner, s.Class == atip.ClassReference:
		return Allow
	case s.Class == atip.ClassOperational:
		if s.InScope {
			return Allow
		}
		return Deny
	}
	// A protected class, outside the owner.
	switch s.Relation {
	case RelReferral:
		if s.InScope && s.Consent {
			return Allow
		}
		if r.breakGlass && s.TLP != atip.TLPRed {
			return Glass
		}
	case RelGroup:
		// A group member has an agreement with the owner; in an emergency
		// it may break the glass. A mere platform member or a foreign
		// agency may not: there is no relationship to answer to.
		if r.breakGlass {
			return Glass
		}
	}
	return Deny
}
