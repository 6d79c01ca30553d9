// Package policy decides who may do what. It is the only place in ATIP where
// visibility and permission are decided: pages, API endpoints, searches,
// exports and notifications ask it, and no handler decides on its own.
//
// It is a pure package: its answers depend only on its arguments, never on a
// database or a request, so it can be tested exhaustively.
//
// Two kinds of question are answered here. Can and CanSome decide actions on
// the platform's own objects (organisations, users, the audit trail) from the
// user's roles. Subject decides actions on shareable records (persons, cases,
// tips …) from five things: the user's roles; how the user's organisation
// stands to the record (owner, holder of a referral, member of one of its
// sharing groups, fellow platform member, foreign counterpart, or nothing);
// the record's marking (distribution and TLP) and the person's consent; the
// class of the fields in question; and the time, since groups, referrals,
// consents and break-glass accesses all end.
//
// # The record model
//
// Every record has one owner, a distribution (owner only, named sharing
// groups, platform-wide) saying who may know it exists, and a TLP 2.0 marking
// saying how far recipients may pass it on. The marking caps the
// distribution: RED and AMBER+STRICT never leave the owner and the holders of
// its referrals, AMBER goes to groups at most, GREEN and CLEAR platform-wide
// (see atip.TLP.MaxDistribution). A record an organisation may not know
// about is Hidden — callers answer 404, exactly as for an unused id.
//
// Fields are sorted into classes. The reference class is the redacted view
// (package redact): what everyone who may know the record sees. Operational
// detail goes where the owner sends it. The six protected classes — identity,
// contact, precise location, documents, health, statements — are seen only
// at the owner and by the holders of a live referral that names the class,
// within the person's live consent for the referral's purpose (a guardian's
// or the CWC's for a child), and only by users whose role needs the class.
// Where that fails inside an existing relationship (a referral or a group),
// a user whose role needs the class may break the glass: a reason, at most
// BreakGlassMaxDuration, the owner's supervisors told at once, every read
// marked in the audit trail. Break-glass never reveals that a record exists,
// never opens a RED record, and never allows export.
//
// The whole record policy is written as one table, testdata/records.rules;
// the matrix test checks the code against every cell of it.
//
// # Compared with MISP, TLP 2.0 and Primero
//
// MISP has five distribution levels (organisation, community, connected
// communities, all, sharing group) that apply to whole events and
// attributes, and propagate across synchronised servers. ATIP keeps three
// levels, all within one deployment, and moves cross-border sharing into
// sharing groups with a written agreement and an expiry, so that "who may see
// this" is answerable by reading one record's marking. TLP 2.0 in MISP is a
// tag; here it is enforced, capping the distribution. MISP decides per event;
// ATIP decides per field class, because a trafficking record mixes what a
// border post must know (a girl of 15–17 from Sindhupalchok, intercepted on
// 3 March) with what it must not (her name and village).
//
// Primero scopes what a receiving agency sees of a referral by the
// receiving user's role ("role-scoped views") and relies on each agency's
// configuration for the rest. ATIP names the field classes in the referral
// itself, intersects them with the receiving user's role, makes every
// referral expire, lets the sender revoke it, and ties it to the person's
// consent, which takes effect everywhere the moment it is withdrawn. There is
// no "see everything" grant, not even for platform admins; only the
// machine's operator at the command line, who holds the keys anyway, is
// unrestricted.
package policy

import "atip"

// Action names something a user may try to do to the platform's own objects
// (organisations, users, the audit trail, tokens). Record-level decisions on
// shareable records are made by the record functions of this package.
type Action string

const (
	OrgCreate     Action = "org.create"
	OrgUpdate     Action = "org.update"
	OrgView       Action = "org.view"
	UserCreate    Action = "user.create"
	UserUpdate    Action = "user.update" // name, roles, language, disabled
	UserView      Action = "user.view"
	UserResetPass Action = "user.reset_password"
	AuditView     Action = "audit.view"
	AuditExport   Action = "audit.export"
	SettingsEdit  Action = "settings.edit" // organisation settings, e.g. mandatory two-factor per role
	// GroupView is seeing the sharing groups one's organisation runs, belongs
	// to or is invited to; which groups exactly is Subject.SeesGroup's call.
	GroupView Action = "group.view"
	// GroupManage is creating groups, inviting, accepting, declining,
	// leaving and changing expiry, for one's own organisation; the details
	// are CheckGroup, CheckInvite and CheckAnswer.
	GroupManage Action = "group.manage"
	TipView     Action = "tip.view"   // the triage queue and a tip's full text
	TipTriage   Action = "tip.triage" // assign, feedback, actions taken, merge, dismiss
	TipCreate   Action = "tip.create" // an officer's report, bulk import, the API
	// The record actions below only open the door to record pages (cases,
	// persons, interceptions, missing reports, referrals): which records a
	// user then sees or changes, and which fields, is the record policy's
	// call (Subject.View, Subject.Decide) for every record.
	RecordBrowse Action = "record.view"   // lists, search, a record's page, one's referral inbox
	RecordWrite  Action = "record.edit"   // intake, cases, checklists, care plans, legal track
	RecordImport Action = "record.import" // legacy registers in bulk, all or nothing
	SOPEdit      Action = "sop.edit"      // the organisation's own versions of the procedures
)

// scope says how far a permission reaches.
type scope int

const (
	none    scope = iota
	ownOrg        // objects belonging to the user's own organisation
	allOrgs       // objects of every organisation
)

// grants is the table the policy is written from: for each role, how far
// each action reaches. A user's reach is the widest of their roles'.
var grants = map[atip.Role]map[Action]scope{
	atip.RolePlatformAdmin: {
		OrgCreate: allOrgs, OrgUpdate: allOrgs, OrgView: allOrgs,
		UserCreate: allOrgs, UserUpdate: allOrgs, UserView: allOrgs, UserResetPass: allOrgs,
		SettingsEdit: allOrgs, GroupView: ownOrg, RecordBrowse: allOrgs,
	},
	atip.RoleOrgAdmin: {
		OrgUpdate: ownOrg, OrgView: allOrgs,
		UserCreate: ownOrg, UserUpdate: ownOrg, UserView: ownOrg, UserResetPass: ownOrg,
		SettingsEdit: ownOrg, GroupView: ownOrg, GroupManage: ownOrg,
		RecordBrowse: allOrgs, SOPEdit: ownOrg,
	},
	// Every user may see the groups of their own organisation: they decide
	// where the records they make may travel. Tips are owned by one
	// organisation and never reach beyond it here: analysts and supervisors
	// triage their own organisation's tips; caseworkers and first responders
	// report what they see online.
	atip.RoleSupervisor: {OrgView: allOrgs, UserView: ownOrg, GroupView: ownOrg, TipView: ownOrg, TipTriage: ownOrg, TipCreate: ownOrg,
		RecordBrowse: allOrgs, RecordWrite: ownOrg, RecordImport: ownOrg},
	atip.RoleCaseworker: {OrgView: allOrgs, GroupView: ownOrg, TipView: ownOrg, TipCreate: ownOrg,
		RecordBrowse: allOrgs, RecordWrite: ownOrg},
	atip.RoleFirstResponder: {OrgView: allOrgs, GroupView: ownOrg, TipView: ownOrg, TipCreate: ownOrg,
		RecordBrowse: allOrgs, RecordWrite: ownOrg},
	atip.RoleAnalyst: {OrgView: allOrgs, GroupView: ownOrg, TipView: ownOrg, TipTriage: ownOrg, TipCreate: ownOrg,
		RecordBrowse: allOrgs},
	// The auditor reads the trail of every organisation on the platform but
	// changes nothing: separation of duties from the admins whose actions the
	// trail records. Reading the staff accounts (not victims' records) is what
	// lets the trail say who acted, not just which id.
	atip.RoleAuditor: {OrgView: allOrgs, UserView: allOrgs, AuditView: allOrgs, AuditExport: allOrgs, GroupView: ownOrg,
		RecordBrowse: allOrgs},
}

// Can reports whether the actor may do action to an object that belongs to
// organisation objOrgID ("" for actions without an object, such as creating
// an organisation). The command-line operator may do everything.
func Can(a *atip.Actor, action Action, objOrgID string) bool {
	if a == nil {
		return false
	}
	if a.IsOperator() {
		return true
	}
	u := a.User
	if u == nil || u.Disabled {
		return false
	}
	best := none
	for _, r := range u.Roles {
		if s := grants[r][action]; s > best {
			best = s
		}
	}
	switch best {
	case allOrgs:
		return true
	case ownOrg:
		return objOrgID == "" || objOrgID == u.OrgID
	}
	return false
}

// CanSome reports whether the actor may do action to at least some objects;
// navigation uses it to decide which links to show.
func CanSome(a *atip.Actor, action Action) bool {
	if a.IsOperator() {
		return true
	}
	if a == nil || a.User == nil || a.User.Disabled {
		return false
	}
	for _, r := range a.User.Roles {
		if grants[r][action] > none {
			return true
		}
	}
	return false
}
