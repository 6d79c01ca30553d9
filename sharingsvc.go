package atip

import (
	"context"
	"time"
)

// SharingService serves the sharing workflows over every shareable record
// (issue 3): consent, referrals and transfers, access requests,
// break-glass, deconfliction matches and sightings, markings and defaults,
// erasure and retention, notifications. Every method acts for the Actor in
// the context; a record (or a referral, request, match …) the actor may not
// see is ENOTFOUND, never EFORBIDDEN. The policy package decides; the
// service loads, stores, notifies and audits.
type SharingService interface {
	// RecordSharing returns what the sharing page of one record shows the actor.
	RecordSharing(ctx context.Context, recordID string) (*RecordSharing, error)

	// RecordConsent stores c (its Record.ID names the record) and sets its
	// ID, RecordedBy and Stamp.
	RecordConsent(ctx context.Context, c *Consent) error
	// WithdrawConsent ends a consent at once, and with it the protected
	// access of every referral it covered.
	WithdrawConsent(ctx context.Context, consentID string) error

	// Refer makes a referral of r.Record.ID to r.ToOrgID (classes, purpose,
	// note, expiry, optional named users); the receiver answers it.
	Refer(ctx context.Context, r *Referral) error
	// AnswerReferral accepts or declines (with a reason) a referral made
	// to the actor's organisation.
	AnswerReferral(ctx context.Context, id string, accept bool, reason string) (*Referral, error)
	// RevokeReferral ends a referral or access grant at once.
	RevokeReferral(ctx context.Context, id string) error

	// TransferRecord proposes to hand the record over to t.ToOrgID; it
	// takes effect when the receiver accepts.
	TransferRecord(ctx context.Context, t *Transfer) error
	// AnswerTransfer accepts (the receiver becomes the owner) or declines.
	AnswerTransfer(ctx context.Context, id string, accept bool, reason string) (*Transfer, error)

	// RequestAccess asks the owner for classes of a record the actor sees redacted.
	RequestAccess(ctx context.Context, req *AccessRequest) error
	// RequestAccessFromMatch asks for classes of the record on the other
	// side of one of the organisation's deconfliction matches, which the
	// actor cannot see.
	RequestAccessFromMatch(ctx context.Context, matchID string, req *AccessRequest) error
	// DecideAccessRequest approves until expiresAt (a grant to the
	// requester alone) or declines with a note; the requester is told.
	DecideAccessRequest(ctx context.Context, id string, approve bool, expiresAt time.Time, note string) (*AccessRequest, error)

	// BreakGlass opens an emergency access to classes of a record for d
	// (0: the longest allowed), notifying the owner's supervisors and
	// admins at once.
	BreakGlass(ctx context.Context, recordID string, classes []FieldClass, reason string, d time.Duration) (*BreakGlass, error)
	// ReviewBreakGlass records the owner's review of a break-glass use.
	ReviewBreakGlass(ctx context.Context, id string) error

	// RecordSighting tells the other organisation of a deconfliction match
	// "we have seen this too", without sending content.
	RecordSighting(ctx context.Context, matchID, note string) (*Sighting, error)

	// SetMarking changes a record's distribution, TLP, groups and shared
	// operational class.
	SetMarking(ctx context.Context, recordID string, m MarkingChange) error
	// SharingDefaults lists the actor's organisation's defaults per type.
	SharingDefaults(ctx context.Context) ([]SharingDefault, error)
	// SetSharingDefault sets the default marking of new records of a type
	// for the actor's organisation (organisation admins).
	SetSharingDefault(ctx context.Context, d SharingDefault) error
	// RetentionRules lists the actor's organisation's retention rules.
	RetentionRules(ctx context.Context) ([]RetentionRule, error)
	// SetRetentionRule sets (KeepFor > 0) or removes (KeepFor 0) a rule.
	SetRetentionRule(ctx context.Context, r RetentionRule) error
	// RetentionDue lists the actor's organisation's records whose retention
	// period has ended and that are not erased yet.
	RetentionDue(ctx context.Context) ([]RecordLabel, error)

	// RequestErasure asks for a record to be anonymised; a second person approves.
	RequestErasure(ctx context.Context, recordID, reason string) (*ErasureRequest, error)
	// DecideErasure approves (and carries out) or declines an erasure request.
	DecideErasure(ctx context.Context, id string, approve bool) (*ErasureRequest, error)

	// Inbox lists what waits for the actor's organisation.
	Inbox(ctx context.Context) (*SharingInbox, error)
	// Shared lists the live referrals made by and to the actor's organisation.
	Shared(ctx context.Context) (*SharedLists, error)

	// Notifications lists the actor's notifications (their own and their
	// roles' at their organisation), newest first, at most limit.
	Notifications(ctx context.Context, limit int) ([]*Notification, error)
	// UnreadNotifications counts the actor's unread notifications.
	UnreadNotifications(ctx context.Context) (int, error)
	// MarkNotificationRead marks one of the actor's notifications read.
	MarkNotificationRead(ctx context.Context, id string) error
}
