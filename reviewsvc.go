package atip

import (
	"context"
	"time"
)

// The review queue (issue 5, "in the app"): every new or edited person and
// every new missing-person report is matched by the identification engine
// against the missing reports, interceptions and victims the platform
// holds; candidates at or above the engine's threshold wait here for a
// person of the organisation that owns the new record to confirm or reject.

// Review statuses.
const (
	ReviewPending   = "pending"
	ReviewConfirmed = "confirmed"
	ReviewRejected  = "rejected"
)

// MatchEvidence is one field's part in a match score: how well it agreed
// and the weight, in bits, it added to (or took from) the log-odds.
type MatchEvidence struct {
	Field  string
	Level  string
	Weight float64
}

// ReviewMatch is one candidate pair as its reviewer may see it. Record is
// the reviewer's organisation's own record; Candidate is filled only when
// the reviewer may see the candidate's identity. Otherwise only
// CandidateOrg (the organisation holding it) is told.
type ReviewMatch struct {
	ID        string
	OrgID     string
	Record    RecordRef
	RecordRef string // pseudonymous reference
	Candidate RecordRef
	Score     float64
	Prior     float64 // bits
	Evidence  []MatchEvidence
	Status    string
	CreatedAt time.Time
	DecidedBy string
	DecidedAt time.Time

	// What the reviewer may see of the two records.
	Visible      bool // the candidate's identity is shown to the reviewer
	CandidateOrg string
	CandidateRef string // pseudonymous reference; empty when not Visible
	Left, Right  MatchSide
	// Retrafficked is set on a confirmed match whose earlier record was a
	// victim in a case.
	Retrafficked bool
}

// MatchSide is one record of a pair as shown side by side: its words
// already decided by the policy (empty when withheld).
type MatchSide struct {
	Type     RecordType
	Ref      string
	TLP      TLP
	Names    []string
	Sex      string
	Age      int // -1 when unknown or withheld
	Guardian string
	District string
	Village  string
	Phone    string
	Roles    string
}

// RecordLink is a confirmed match as shown on a record: the other record
// (its reference only when visible) and whether it flags re-trafficking.
type RecordLink struct {
	Other        RecordRef
	OtherRef     string
	OtherOrg     string
	Visible      bool
	Retrafficked bool
	MatchID      string
	At           time.Time
}

// ReviewFilter selects a queue page.
type ReviewFilter struct {
	Status string // "" means pending
	Limit  int
}

// ReviewService is the review queue.
type ReviewService interface {
	// Queue lists the actor's organisation's matches.
	Queue(ctx context.Context, f ReviewFilter) ([]*ReviewMatch, error)
	// Match returns one match of the actor's organisation (ENOTFOUND otherwise).
	Match(ctx context.Context, id string) (*ReviewMatch, error)
	// Decide confirms or rejects a pending match; a confirmation links the
	// records and flags re-trafficking when the earlier record was a victim.
	Decide(ctx context.Context, id string, confirm bool) (*ReviewMatch, error)
	// RequestAccess asks the holder of a candidate the reviewer may not see
	// for its identity, for the review.
	RequestAccess(ctx context.Context, id, reason string) (*AccessRequest, error)
	// Links lists the confirmed links of a record the actor may see.
	Links(ctx context.Context, recordID string) ([]*RecordLink, error)
}
