package atip

import (
	"context"
	"time"
)

// AuditEntry is one line of the audit trail: who did what, to which record,
// from where, when. It never holds personal data, only ids and action names,
// so that erasing a victim's data leaves the trail intact and harmless.
type AuditEntry struct {
	Seq        int64 // position in the log, from 0, without gaps
	At         time.Time
	ActorID    string // user id, or SystemActorID
	ActorOrgID string
	Via        Via
	RemoteAddr string
	Action     string // e.g. "auth.login", "auth.login_failed", "org.create", "person.view"
	RecordType string // e.g. "org", "user", "person"; "" when the action has no record
	RecordID   string
	Outcome    string // "ok", "denied", "failed"
	Detail     string // a short note without personal data, e.g. changed field names
	BreakGlass bool   // the action used break-glass access
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	ActorID    string
	ActorOrgID string
	Action     string // exact action, or a prefix ending in "." such as "auth."
	RecordType string
	RecordID   string
	Since      time.Time
	Until      time.Time
	Before     int64 // cursor: entries with Seq below this; 0 means from the newest
	Limit      int
}

// AuditService reads the trail. Writing happens inside the services, in the
// same transaction as the change it records, so a change is never without its
// entry and an entry never without its change.
type AuditService interface {
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, int64, error)
	// ExportAuditEntries calls fn for every entry matching f, oldest first
	// (f.Before and f.Limit are ignored), after recording the export itself
	// in the trail: who exported what is audited like any other look.
	ExportAuditEntries(ctx context.Context, f AuditFilter, fn func(*AuditEntry) error) error
}
