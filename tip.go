package atip

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// TipSource says through which door a tip came in.
type TipSource string

const (
	TipPublic  TipSource = "public"  // the public reporting page, possibly anonymous
	TipOfficer TipSource = "officer" // an officer's form, signed in
	TipImport  TipSource = "import"  // bulk import of collected posts
	TipAPI     TipSource = "api"     // another system through the JSON API
)

// TipStatus is where a tip is in triage.
type TipStatus string

const (
	TipNew       TipStatus = "new"
	TipAssigned  TipStatus = "assigned"
	TipActioned  TipStatus = "actioned"
	TipDismissed TipStatus = "dismissed"
	TipMerged    TipStatus = "merged" // a duplicate; MergedInto names the tip kept
)

// TipStatuses lists every status in the order filters show them.
var TipStatuses = []TipStatus{TipNew, TipAssigned, TipActioned, TipDismissed, TipMerged}

// Valid reports whether s is one of TipStatuses.
func (s TipStatus) Valid() bool {
	for _, x := range TipStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// TipIndicator is one matched indicator of a tip's text, with its byte span.
type TipIndicator struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Category string `json:"category"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

// TipContribution is how much one category (or pair) added to a score's
// log-odds: the score's explanation.
type TipContribution struct {
	Term    string  `json:"term"`
	LogOdds float64 `json:"log_odds"`
}

// TipSelector is a selector found in a tip's text (a phone, a handle, a
// payment id …) in its normal form, which is what links tips together.
type TipSelector struct {
	Type       string `json:"type"`
	Value      string `json:"value"`
	Normalized string `json:"normalized"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
}

// Tip is a report or a collected post about possible trafficking. It is
// owned by one organisation; its text may hold personal data, so reading it
// in full is audited.
type Tip struct {
	ID         string
	OrgID      string
	Ref        string // short reference shown to a public reporter
	Source     TipSource
	Platform   string // facebook, whatsapp, … or "" when unknown
	URL        string
	Author     string // the poster's handle, not the reporter
	Contact    string // the reporter's optional contact (public tips)
	Text       string
	Images     []string // image references (URLs or file names), never fetched
	PostedAt   time.Time
	ReceivedAt time.Time
	Score      float64
	Version    string // lexicon and model version of Score
	Indicators []TipIndicator
	Explain    []TipContribution
	Selectors  []TipSelector
	Status     TipStatus
	AssignedTo string
	MergedInto string
	Stamp
}

// Limits of one tip. A post is rarely over a few hundred words; the limit
// keeps one submission from filling the queue or the disk.
const (
	MaxTipText   = 5000 // characters
	MaxTipField  = 500  // platform, URL, author, contact, each image reference
	MaxTipImages = 20
)

// Validate checks a tip's fields as submitted and trims them; every wrong
// field is named. Storage normalises the text further (NFC) before this.
func (t *Tip) Validate() error {
	var v Invalid
	t.Text = strings.TrimSpace(t.Text)
	switch n := utf8.RuneCountInString(t.Text); {
	case !utf8.ValidString(t.Text):
		v.Add("text", "is not valid text")
	case n == 0:
		v.Add("text", "is required")
	case n > MaxTipText:
		v.Add("text", "must be at most %d characters", MaxTipText)
	}
	for _, f := range []struct {
		name string
		p    *string
	}{{"platform", &t.Platform}, {"url", &t.URL}, {"author", &t.Author}, {"contact", &t.Contact}} {
		*f.p = strings.TrimSpace(*f.p)
		if utf8.RuneCountInString(*f.p) > MaxTipField || !utf8.ValidString(*f.p) {
			v.Add(f.name, "must be valid text of at most %d characters", MaxTipField)
		}
	}
	t.Platform = strings.ToLower(t.Platform)
	if t.URL != "" && !strings.HasPrefix(t.URL, "http://") && !strings.HasPrefix(t.URL, "https://") {
		v.Add("url", "must start with http:// or https://")
	}
	if len(t.Images) > MaxTipImages {
		v.Add("images", "at most %d image references", MaxTipImages)
	}
	for i, im := range t.Images {
		t.Images[i] = strings.TrimSpace(im)
		if t.Images[i] == "" || len(t.Images[i]) > MaxTipField || !utf8.ValidString(t.Images[i]) {
			v.Add("images", "reference %d must be text of at most %d bytes", i+1, MaxTipField)
		}
	}
	if !t.PostedAt.IsZero() {
		t.PostedAt = t.PostedAt.UTC().Truncate(time.Microsecond)
	}
	return v.Err()
}

// TipActionKind is an action taken on a tip.
type TipActionKind string

const (
	TipReferredCyberCell TipActionKind = "referred_to_cyber_cell"
	TipTakedown          TipActionKind = "takedown_requested" // Reference: the platform's reference
	TipLinkedCase        TipActionKind = "linked_to_case"     // Reference: the case reference
	TipNote              TipActionKind = "note"
)

// TipActionKinds lists every kind in the order forms show them.
var TipActionKinds = []TipActionKind{TipReferredCyberCell, TipTakedown, TipLinkedCase, TipNote}

// TipAction is one recorded action on a tip.
type TipAction struct {
	ID        string
	TipID     string
	Kind      TipActionKind
	Reference string
	Note      string
	By        string
	At        time.Time
}

// TipFeedback is an analyst's judgement of a tip, stored for tuning the
// indicator weights later.
type TipFeedback struct {
	TipID    string
	UserID   string
	Relevant bool
	At       time.Time
}

// TipFilter selects tips for the triage queue, best first (score, then
// the newest). Zero fields do not filter.
type TipFilter struct {
	Status   TipStatus
	MinScore float64
	Platform string
	After    string // cursor from the previous page
	Limit    int
}

// TipService stores tips and their triage. Authorisation is the service's:
// a tip of another organisation is ENOTFOUND.
type TipService interface {
	// CreateTip scores the text, extracts its selectors and stores the tip
	// in the actor's organisation (officer, import, API).
	CreateTip(ctx context.Context, t *Tip) error
	// ImportTips stores all the tips or none.
	ImportTips(ctx context.Context, tips []*Tip) error
	// SubmitPublicTip stores a tip from the public page, with no actor,
	// in the tip desk organisation; it returns the tip's reference.
	SubmitPublicTip(ctx context.Context, t *Tip) (string, error)
	// AcceptsPublicTips reports whether a tip desk is configured.
	AcceptsPublicTips() bool
	FindTips(ctx context.Context, f TipFilter) ([]*Tip, string, error)
	// FindTipByID returns the tip with its full text; the view is audited.
	FindTipByID(ctx context.Context, id string) (*Tip, error)
	AssignTip(ctx context.Context, id, userID string) error
	SetTipFeedback(ctx context.Context, id string, relevant bool) error
	AddTipAction(ctx context.Context, a *TipAction) error
	FindTipActions(ctx context.Context, id string) ([]*TipAction, error)
	DismissTip(ctx context.Context, id string) error
	MergeTip(ctx context.Context, id, into string) error
	// TipNetwork returns the tips linked to id through shared selectors or
	// near-duplicate text (id first), and the links between them.
	TipNetwork(ctx context.Context, id string) (*TipNetwork, error)
}

// TipNetwork is a tip's network: member tips and why they are linked.
type TipNetwork struct {
	Tips  []*Tip
	Links []TipLink
}

// TipLink says two tips share a selector (Reason is its key) or a
// near-duplicate text (Reason "near-duplicate").
type TipLink struct {
	A, B   string
	Reason string
}
