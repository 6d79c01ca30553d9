package atip

import "time"

// Notification tells users something needs them: a deadline overdue, a
// referral or access request to answer, a break-glass access to review, a
// possible match. It goes to one user, or to every user of a role at an
// organisation when Role is set and UserID is empty. It carries a message
// key and record ids, never personal data: a notification may be read on a
// shared screen, and it is copied into e-mail or SMS by deployments that
// forward it.
type Notification struct {
	ID     string
	OrgID  string
	UserID string // empty: every user of Role at OrgID (every user when Role is empty too)
	Role   Role
	// Kind is the message key, e.g. "notify.sop_overdue"; the interface
	// text lives in the i18n catalogues.
	Kind   string
	Record RecordRef
	// Args fill the message: references and dates, never names.
	Args      map[string]string
	CreatedAt time.Time
	ReadAt    time.Time
	ReadBy    string
}
