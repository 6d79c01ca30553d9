package policy

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
)

// Limits of the sharing workflow. They are policy, not configuration: a
// deployment that wants longer break-glass access is asking for a different
// system.
const (
	// BreakGlassMaxDuration is the longest a break-glass access lasts; a
	// longer need goes through an access request to the owner.
	BreakGlassMaxDuration = 4 * time.Hour
	// ReferralMaxDuration is the longest a referral or access grant lasts
	// before the owner must renew it.
	ReferralMaxDuration = 365 * 24 * time.Hour
	// MinReasonLength is the shortest reason accepted for break-glass and
	// access requests: enough to force a sentence, not a shrug.
	MinReasonLength = 20
)

// BreakGlassNotify are the roles at the owner organisation whose users are
// notified at once when someone breaks the glass on one of its records.
var BreakGlassNotify = []atip.Role{atip.RoleSupervisor, atip.RoleOrgAdmin}

func notFound() error { return atip.Errorf(atip.ENOTFOUND, "record not found") }

func forbidden(format string, a ...any) error { return atip.Errorf(atip.EFORBIDDEN, format, a...) }

// mayShare checks that the actor may pass the record on at all.
func (s *Subject) mayShare(m *atip.RecordMeta, act RecordAction) error {
	d := s.Decide(m, act, atip.ClassReference)
	switch d.Effect {
	case Hidden:
		return notFound()
	case Allow:
		return nil
	}
	if act == RecordTransfer {
		return forbidden("only the owning organisation's supervisors and admins may transfer a record")
	}
	return forbidden("only the owning organisation may share a record")
}

// Marking is a record's sharing settings as the owner proposes to set them.
type Marking struct {
	Distribution  atip.Distribution
	TLP           atip.TLP
	GroupIDs      []string
	SharedClasses []atip.FieldClass
}

// CheckMarking decides whether the actor may give the record this marking.
// A record cannot be shared wider than its TLP allows, only with groups the
// owner is a live member of, and its protected classes never go to groups or
// the platform: they travel by referral only.
func (s *Subject) CheckMarking(m *atip.RecordMeta, to Marking) error {
	if err := s.mayShare(m, RecordShare); err != nil {
		return err
	}
	var v atip.Invalid
	if !to.TLP.Valid() {
		v.Add("tlp", "must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED")
	}
	switch {
	case !to.Distribution.Valid():
		v.Add("distribution", "must be one of owner, groups, platform")
	case to.TLP.Valid() && to.Distribution.Rank() > to.TLP.MaxDistribution().Rank():
		v.Add("distribution", "a TLP:%s record may go no wider than %s", to.TLP, to.TLP.MaxDistribution())
	case to.Distribution == atip.DistGroups && len(to.GroupIDs) == 0:
		v.Add("group_ids", "name at least one sharing group")
	}
	if len(to.GroupIDs) > 0 && to.Distribution == atip.DistOwner {
		v.Add("group_ids", "an owner-only record goes to no group")
	}
	for _, g := range to.GroupIDs {
		if _, ok := s.groups[g]; !ok && !s.operator {
			v.Add("group_ids", "%q is not a live sharing group of your organisation", g)
		}
	}
	for _, c := range to.SharedClasses {
		switch {
		case !c.Valid():
			v.Add("shared_classes", "unknown field class %q", c)
		case c.Protected():
			v.Add("shared_classes", "%s is protected personal data: it travels only by referral, within consent", c)
		}
	}
	return v.Err()
}

// CheckReferral decides whether the actor may make the referral (or approve
// an access request with it). receiverGroups are the sharing groups the
// receiving organisation is a live member of, through which a consent may
// cover it. Protected classes go only within the person's live consent for
// the referral's purpose; a TLP:RED record only to named users.
func (s *Subject) CheckReferral(m *atip.RecordMeta, r *atip.Referral, receiverGroups []string) error {
	if err := s.mayShare(m, RecordShare); err != nil {
		return err
	}
	var v atip.Invalid
	if r.Record != m.Ref {
		v.Add("record", "the referral is for another record")
	}
	switch r.ToOrgID {
	case "":
		v.Add("to_org_id", "name the receiving organisation")
	case m.OwnerOrgID:
		v.Add("to_org_id", "the receiver already owns the record")
	}
	if m.TLP == atip.TLPRed && len(r.ToUserIDs) == 0 {
		v.Add("to_user_ids", "a TLP:RED record goes only to named people: name them")
	}
	if !r.Purpose.Valid() {
		v.Add("purpose", "choose a purpose")
	}
	switch {
	case !r.ExpiresAt.After(s.now):
		v.Add("expires_at", "must be in the future")
	case r.ExpiresAt.Sub(s.now) > ReferralMaxDuration:
		v.Add("expires_at", "may be at most a year ahead; renew it later if still needed")
	}
	if len(r.Classes) == 0 {
		v.Add("classes", "name what the receiver may see")
	}
	groups := make(map[string]struct{}, len(receiverGroups))
	for _, g := range receiverGroups {
		groups[g] = struct{}{}
	}
	for _, c := range r.Classes {
		switch {
		case !c.Valid():
			v.Add("classes", "unknown field class %q", c)
		case !s.operator && !s.rights.view.Has(c):
			v.Add("classes", "your role does not see %s, so it cannot share it", c)
		case c.Protected() && r.Purpose.Valid() && !consentCovers(m, r.ToOrgID, groups, r.Purpose, s.now):
			v.Add("classes", "the person's consent does not cover sharing %s with this organisation for %s", c, r.Purpose)
		}
	}
	return v.Err()
}

// CheckTransfer decides whether the actor may hand the record over to
// toOrgID for purpose. When the record holds protected data, the person's
// consent must cover the receiver (for a child, a CWC's decision recorded as
// its consent does).
func (s *Subject) CheckTransfer(m *atip.RecordMeta, toOrgID string, receiverGroups []string, purpose atip.Purpose, holdsProtected bool) error {
	if err := s.mayShare(m, RecordTransfer); err != nil {
		return err
	}
	var v atip.Invalid
	switch toOrgID {
	case "":
		v.Add("to_org_id", "name the receiving organisation")
	case m.OwnerOrgID:
		v.Add("to_org_id", "the receiver already owns the record")
	}
	if !purpose.Valid() {
		v.Add("purpose", "choose a purpose")
	}
	if holdsProtected && purpose.Valid() && toOrgID != "" {
		groups := make(map[string]struct{}, len(receiverGroups))
		for _, g := range receiverGroups {
			groups[g] = struct{}{}
		}
		if !consentCovers(m, toOrgID, groups, purpose, s.now) {
			v.Add("to_org_id", "the person's consent does not cover handing their data to this organisation for %s", purpose)
		}
	}
	return v.Err()
}

// CheckAccessRequest decides whether the actor may ask the owner for the
// classes of a record it sees redacted.
func (s *Subject) CheckAccessRequest(m *atip.RecordMeta, classes []atip.FieldClass, purpose atip.Purpose, reason string) error {
	v := s.View(m)
	if v.Level == LevelNone {
		return notFound()
	}
	if v.Relation == RelOwner {
		return forbidden("your organisation owns this record")
	}
	var inv atip.Invalid
	if len(classes) == 0 {
		inv.Add("classes", "name what you need to see")
	}
	for _, c := range classes {
		switch {
		case !c.Valid():
			inv.Add("classes", "unknown field class %q", c)
		case !s.rights.view.Has(c):
			inv.Add("classes", "your role does not need %s", c)
		case v.Shown.Has(c) && !v.ByGlass.Has(c):
			inv.Add("classes", "you already see %s", c)
		}
	}
	if !purpose.Valid() {
		inv.Add("purpose", "choose a purpose")
	}
	checkReason(&inv, reason)
	return inv.Err()
}

func checkReason(v *atip.Invalid, reason string) {
	if utf8.RuneCountInString(strings.TrimSpace(reason)) < MinReasonLength {
		v.Add("reason", "say why, in at least %d characters", MinReasonLength)
	}
}

// CheckBreakGlass decides whether the actor may break the glass on the
// record's classes for d (0 means BreakGlassMaxDuration), and returns the
// access to record. The caller must store it, notify the owner's users with
// BreakGlassNotify roles at once, and audit it — and every read under it —
// with the break-glass mark.
func (s *Subject) CheckBreakGlass(m *atip.RecordMeta, classes []atip.FieldClass, reason string, d time.Duration) (*atip.BreakGlass, error) {
	if s.operator || s.disabled {
		return nil, forbidden("break-glass is for signed-in users")
	}
	v := s.View(m)
	if v.Level == LevelNone {
		return nil, notFound()
	}
	var inv atip.Invalid
	if len(classes) == 0 {
		inv.Add("classes", "name what you need to see")
	}
	for _, c := range classes {
		if !v.Glass.Has(c) {
			inv.Add("classes", "break-glass cannot open %s on this record for you", c)
		}
	}
	checkReason(&inv, reason)
	switch {
	case d == 0:
		d = BreakGlassMaxDuration
	case d < time.Minute, d > BreakGlassMaxDuration:
		inv.Add("duration", "must be between a minute and %s", BreakGlassMaxDuration)
	}
	if err := inv.Err(); err != nil {
		return nil, err
	}
	return &atip.BreakGlass{
		Record:    m.Ref,
		UserID:    s.userID,
		OrgID:     s.orgID,
		Classes:   slices.Clone(classes),
		Reason:    strings.TrimSpace(reason),
		StartedAt: s.now,
		ExpiresAt: s.now.Add(d),
	}, nil
}

// GrantFromRequest makes the access grant that approves a pending access
// request until expiresAt, after checking it as any referral: the approver
// must be at the owner and may share only what they see, and protected
// classes only within the person's consent for the request's purpose.
// The grant names the requester alone: an access request is personal.
// requesterGroups are the live groups of the requester's organisation.
func (s *Subject) GrantFromRequest(m *atip.RecordMeta, req *atip.AccessRequest, requesterGroups []string, expiresAt time.Time) (*atip.Referral, error) {
	if req.Record != m.Ref {
		return nil, atip.Errorf(atip.EINVALID, "the request is for another record")
	}
	if req.Status != atip.RequestPending {
		return nil, atip.Errorf(atip.ECONFLICT, "the request is already %s", req.Status)
	}
	r := &atip.Referral{
		Kind:       atip.KindAccessGrant,
		Record:     m.Ref,
		FromOrgID:  m.OwnerOrgID,
		ToOrgID:    req.RequesterOrgID,
		ToUserIDs:  []string{req.RequesterID},
		Classes:    slices.Clone(req.Classes),
		Purpose:    req.Purpose,
		Note:       req.Reason,
		GrantedBy:  s.userID,
		GrantedAt:  s.now,
		AcceptedAt: s.now, // the requester asked for it
		ExpiresAt:  expiresAt,
	}
	if err := s.CheckReferral(m, r, requesterGroups); err != nil {
		return nil, err
	}
	return r, nil
}

// CheckRevoke decides whether the actor may revoke the referral r: a user
// of the owner who may share the record. Revoking takes effect at once.
func (s *Subject) CheckRevoke(m *atip.RecordMeta, r *atip.Referral) error {
	if r.Record != m.Ref {
		return atip.Errorf(atip.EINVALID, "the referral is for another record")
	}
	if err := s.mayShare(m, RecordShare); err != nil {
		return err
	}
	if !r.RevokedAt.IsZero() {
		return atip.Errorf(atip.ECONFLICT, "the referral is already revoked")
	}
	return nil
}
