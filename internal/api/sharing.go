package api

import (
	"context"
	"net/http"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// Operations of the sharing workflows (issue 3): a record's sharing state,
// consents, referrals, access requests, break-glass, the inbox and
// notifications. Every rule is the sharing service's (and so the policy's);
// a record the caller may not see answers 404. Every answer that names a
// record carries its TLP marking.

// RecordLabel is what the API says about a record in a sharing answer: its
// pseudonymous reference, type, owner and TLP marking — never its content.
type RecordLabel struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Ref        string `json:"ref" doc:"Pseudonymous reference."`
	OwnerOrgID string `json:"owner_org_id"`
	TLP        string `json:"tlp" doc:"TLP 2.0 marking: CLEAR, GREEN, AMBER, AMBER+STRICT or RED."`
}

func labelOut(l atip.RecordLabel) RecordLabel {
	return RecordLabel{ID: l.Record.ID, Type: string(l.Record.Type), Ref: l.Ref, OwnerOrgID: l.OwnerOrgID, TLP: string(l.TLP)}
}

// Consent is a person's (or guardian's) consent as the owner sees it.
type Consent struct {
	ID               string     `json:"id"`
	RecordID         string     `json:"record_id"`
	Purposes         []string   `json:"purposes" nullable:"false"`
	OrgIDs           []string   `json:"org_ids" nullable:"false"`
	GroupIDs         []string   `json:"group_ids" nullable:"false"`
	Method           string     `json:"method" enum:"verbal,written"`
	GivenBy          string     `json:"given_by" enum:"person,guardian,cwc"`
	GuardianRelation string     `json:"guardian_relation,omitempty"`
	ChildAssent      bool       `json:"child_assent"`
	RecordedBy       string     `json:"recorded_by"`
	GivenAt          time.Time  `json:"given_at"`
	WithdrawnAt      *time.Time `json:"withdrawn_at,omitempty"`
}

func strs[T ~string](xs []T) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, string(x))
	}
	return out
}

func consentOut(c *atip.Consent) Consent {
	return Consent{ID: c.ID, RecordID: c.Record.ID, Purposes: strs(c.Purposes), OrgIDs: strs(c.OrgIDs), GroupIDs: strs(c.GroupIDs),
		Method: string(c.Method), GivenBy: string(c.GivenBy), GuardianRelation: c.GuardianRelation, ChildAssent: c.ChildAssent,
		RecordedBy: c.RecordedBy, GivenAt: c.GivenAt, WithdrawnAt: timePtr(c.WithdrawnAt)}
}

// Referral is a referral or access grant.
type Referral struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind" enum:"referral,access_grant"`
	RecordID   string     `json:"record_id"`
	FromOrgID  string     `json:"from_org_id"`
	ToOrgID    string     `json:"to_org_id"`
	ToUserIDs  []string   `json:"to_user_ids" nullable:"false"`
	Classes    []string   `json:"classes" nullable:"false"`
	Purpose    string     `json:"purpose"`
	Note       string     `json:"note,omitempty"`
	GrantedBy  string     `json:"granted_by"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	DeclinedAt *time.Time `json:"declined_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

func referralOut(r *atip.Referral) Referral {
	return Referral{ID: r.ID, Kind: string(r.Kind), RecordID: r.Record.ID, FromOrgID: r.FromOrgID, ToOrgID: r.ToOrgID,
		ToUserIDs: strs(r.ToUserIDs), Classes: strs(r.Classes), Purpose: string(r.Purpose), Note: r.Note, GrantedBy: r.GrantedBy,
		ExpiresAt: r.ExpiresAt, AcceptedAt: timePtr(r.AcceptedAt), DeclinedAt: timePtr(r.DeclinedAt), RevokedAt: timePtr(r.RevokedAt)}
}

// AccessRequest is a request for the protected classes of a record.
type AccessRequest struct {
	ID             string     `json:"id"`
	RecordID       string     `json:"record_id"`
	RequesterID    string     `json:"requester_id"`
	RequesterOrgID string     `json:"requester_org_id"`
	Classes        []string   `json:"classes" nullable:"false"`
	Purpose        string     `json:"purpose"`
	Reason         string     `json:"reason"`
	Status         string     `json:"status" enum:"pending,approved,declined,canceled"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	DecisionNote   string     `json:"decision_note,omitempty"`
	GrantID        string     `json:"grant_id,omitempty" doc:"The access grant made on approval."`
}

func requestOut(r *atip.AccessRequest) AccessRequest {
	return AccessRequest{ID: r.ID, RecordID: r.Record.ID, RequesterID: r.RequesterID, RequesterOrgID: r.RequesterOrgID,
		Classes: strs(r.Classes), Purpose: string(r.Purpose), Reason: r.Reason, Status: string(r.Status),
		DecidedAt: timePtr(r.DecidedAt), DecisionNote: r.DecisionNote, GrantID: r.ReferralID}
}

// BreakGlass is an emergency access.
type BreakGlass struct {
	ID        string    `json:"id"`
	RecordID  string    `json:"record_id"`
	UserID    string    `json:"user_id"`
	OrgID     string    `json:"org_id"`
	Classes   []string  `json:"classes" nullable:"false"`
	Reason    string    `json:"reason"`
	StartedAt time.Time `json:"started_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

func glassOut(b *atip.BreakGlass) BreakGlass {
	return BreakGlass{ID: b.ID, RecordID: b.Record.ID, UserID: b.UserID, OrgID: b.OrgID, Classes: strs(b.Classes),
		Reason: b.Reason, StartedAt: b.StartedAt, ExpiresAt: b.ExpiresAt}
}

// RecordSharing is a record's sharing state as the caller may know it.
type RecordSharing struct {
	Record       RecordLabel `json:"record"`
	Owner        bool        `json:"owner" doc:"The caller's organisation owns the record."`
	Distribution string      `json:"distribution,omitempty" doc:"For the owner only."`
	Shown        []string    `json:"shown" nullable:"false" doc:"The field classes the caller sees now."`
	Glass        []string    `json:"glass" nullable:"false" doc:"Classes break-glass could open now."`
	Requestable  []string    `json:"requestable" nullable:"false" doc:"Classes the caller could ask the owner for."`
	Consents     []Consent   `json:"consents" nullable:"false" doc:"For the owner only."`
	Referrals    []Referral  `json:"referrals" nullable:"false" doc:"For the owner only."`
}

type recordSharingOutput struct{ Body RecordSharing }

// ConsentCreate records a consent.
type ConsentCreate struct {
	Purposes         []string  `json:"purposes" minItems:"1" maxItems:"10"`
	OrgIDs           []string  `json:"org_ids,omitempty" maxItems:"100"`
	GroupIDs         []string  `json:"group_ids,omitempty" maxItems:"100"`
	Method           string    `json:"method" enum:"verbal,written"`
	GivenBy          string    `json:"given_by" enum:"person,guardian,cwc"`
	GuardianRelation string    `json:"guardian_relation,omitempty" maxLength:"100" doc:"Who the guardian is to the person, e.g. mother; never a name."`
	ChildAssent      bool      `json:"child_assent,omitempty"`
	GivenAt          time.Time `json:"given_at"`
}

type createConsentInput struct {
	IDPath
	Body ConsentCreate
}

type consentOutput struct{ Body Consent }

// ReferralCreate refers a record to another organisation.
type ReferralCreate struct {
	ToOrgID   string    `json:"to_org_id" maxLength:"64"`
	ToUserIDs []string  `json:"to_user_ids,omitempty" maxItems:"50" doc:"Required for a TLP:RED record."`
	Classes   []string  `json:"classes" minItems:"1" maxItems:"8"`
	Purpose   string    `json:"purpose"`
	Note      string    `json:"note,omitempty" maxLength:"2000"`
	ExpiresAt time.Time `json:"expires_at" doc:"At most a year ahead."`
}

type createReferralInput struct {
	IDPath
	Body ReferralCreate
}

type referralOutput struct{ Body Referral }

// Answer accepts or declines.
type Answer struct {
	Accept bool   `json:"accept"`
	Reason string `json:"reason,omitempty" maxLength:"2000" doc:"Required to decline."`
}

type answerInput struct {
	IDPath
	Body Answer
}

// AccessRequestCreate asks for classes of a record.
type AccessRequestCreate struct {
	Classes []string `json:"classes" minItems:"1" maxItems:"8"`
	Purpose string   `json:"purpose"`
	Reason  string   `json:"reason" maxLength:"2000" doc:"At least 20 characters."`
}

type createRequestInput struct {
	IDPath
	Body AccessRequestCreate
}

type requestOutput struct{ Body AccessRequest }

// AccessDecision approves until expires_at, or declines with a note.
type AccessDecision struct {
	Approve   bool      `json:"approve"`
	ExpiresAt time.Time `json:"expires_at,omitempty" doc:"Required to approve."`
	Note      string    `json:"note,omitempty" maxLength:"2000" doc:"Required to decline."`
}

type decideRequestInput struct {
	IDPath
	Body AccessDecision
}

// BreakGlassCreate opens an emergency access.
type BreakGlassCreate struct {
	Classes []string `json:"classes" minItems:"1" maxItems:"8"`
	Reason  string   `json:"reason" maxLength:"2000" doc:"At least 20 characters."`
	Minutes int      `json:"minutes,omitempty" minimum:"0" maximum:"240" doc:"0: the longest allowed (4 hours)."`
}

type breakGlassInput struct {
	IDPath
	Body BreakGlassCreate
}

type breakGlassOutput struct{ Body BreakGlass }

// Notification tells the caller something needs them. It carries a
// message key and ids, never personal data.
type Notification struct {
	ID        string            `json:"id"`
	Kind      string            `json:"kind" doc:"Message key, e.g. sharing.notify.referral."`
	RecordID  string            `json:"record_id,omitempty"`
	Type      string            `json:"record_type,omitempty"`
	Args      map[string]string `json:"args"`
	CreatedAt time.Time         `json:"created_at"`
	ReadAt    *time.Time        `json:"read_at,omitempty"`
}

// NotificationList is the caller's latest notifications.
type NotificationList struct {
	Items  []Notification `json:"items" nullable:"false"`
	Unread int            `json:"unread"`
}

type notificationListOutput struct{ Body NotificationList }

// Inbox is what waits for the caller's organisation.
type Inbox struct {
	Referrals []Referral      `json:"referrals" nullable:"false"`
	Requests  []AccessRequest `json:"requests" nullable:"false"`
	Glass     []BreakGlass    `json:"break_glass" nullable:"false"`
	Records   []RecordLabel   `json:"records" nullable:"false" doc:"The records the lists name, with their TLP marking."`
}

type inboxOutput struct{ Body Inbox }

func (s *server) registerSharing() {
	tags := []string{"sharing"}
	huma.Register(s.api, operation(access{ScopeRead, policy.RecordBrowse}, huma.Operation{
		OperationID: "get-record-sharing", Method: http.MethodGet, Path: "/records/{id}/sharing", Tags: tags,
		Summary: "Get a record's sharing state", Errors: []int{http.StatusNotFound},
	}), s.getRecordSharing)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordWrite}, huma.Operation{
		OperationID: "create-consent", Method: http.MethodPost, Path: "/records/{id}/consents", Tags: tags,
		Summary: "Record a person's consent", DefaultStatus: http.StatusCreated, Errors: []int{http.StatusNotFound, http.StatusForbidden},
	}), s.createConsent)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordWrite}, huma.Operation{
		OperationID: "withdraw-consent", Method: http.MethodPost, Path: "/consents/{id}/withdraw", Tags: tags,
		Summary: "Withdraw a consent", Description: "Protected access the consent covered ends at once.", DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.withdrawConsent)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordWrite}, huma.Operation{
		OperationID: "create-referral", Method: http.MethodPost, Path: "/records/{id}/referrals", Tags: tags,
		Summary: "Refer a record to another organisation", DefaultStatus: http.StatusCreated, Errors: []int{http.StatusNotFound, http.StatusForbidden},
	}), s.createReferral)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordWrite}, huma.Operation{
		OperationID: "answer-referral", Method: http.MethodPost, Path: "/referrals/{id}/answer", Tags: tags,
		Summary: "Accept or decline a referral to my organisation", Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.answerReferral)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordWrite}, huma.Operation{
		OperationID: "revoke-referral", Method: http.MethodPost, Path: "/referrals/{id}/revoke", Tags: tags,
		Summary: "Revoke a referral or access grant", Description: "The receiver's access ends at once.", DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.revokeReferral)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordBrowse}, huma.Operation{
		OperationID: "create-access-request", Method: http.MethodPost, Path: "/records/{id}/access-requests", Tags: tags,
		Summary: "Ask the owner for access to a record's protected data", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.createAccessRequest)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordBrowse}, huma.Operation{
		OperationID: "decide-access-request", Method: http.MethodPost, Path: "/access-requests/{id}/decide", Tags: tags,
		Summary: "Approve or decline an access request", Description: "For the owner's supervisors and admins; the requester is told.",
		Errors: []int{http.StatusNotFound, http.StatusForbidden, http.StatusConflict},
	}), s.decideAccessRequest)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordBrowse}, huma.Operation{
		OperationID: "break-glass", Method: http.MethodPost, Path: "/records/{id}/break-glass", Tags: tags,
		Summary: "Open emergency access to a record", DefaultStatus: http.StatusCreated,
		Description: "Audited with the break-glass mark; the owner's supervisors and admins are told at once.",
		Errors:      []int{http.StatusNotFound, http.StatusForbidden},
	}), s.breakGlass)
	huma.Register(s.api, operation(access{ScopeRead, policy.RecordBrowse}, huma.Operation{
		OperationID: "get-sharing-inbox", Method: http.MethodGet, Path: "/sharing/inbox", Tags: tags,
		Summary: "What waits for my organisation",
	}), s.getInbox)
	huma.Register(s.api, operation(access{ScopeRead, policy.RecordBrowse}, huma.Operation{
		OperationID: "list-notifications", Method: http.MethodGet, Path: "/notifications", Tags: tags,
		Summary: "List my notifications", Description: "The caller's own and their roles' at their organisation, newest first, at most 100.",
	}), s.listNotifications)
	huma.Register(s.api, operation(access{ScopeWrite, policy.RecordBrowse}, huma.Operation{
		OperationID: "mark-notification-read", Method: http.MethodPost, Path: "/notifications/{id}/read", Tags: tags,
		Summary: "Mark a notification read", DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}), s.markNotificationRead)
}

var errNoSharing = atip.Errorf(atip.ENOTFOUND, "sharing is not served here")

func (s *server) sharing() (atip.SharingService, error) {
	if s.Sharing == nil {
		return nil, errNoSharing
	}
	return s.Sharing, nil
}

func classesIn(xs []string) []atip.FieldClass {
	out := make([]atip.FieldClass, 0, len(xs))
	for _, x := range xs {
		out = append(out, atip.FieldClass(x))
	}
	return out
}

func (s *server) getRecordSharing(ctx context.Context, in *IDPath) (*recordSharingOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	rs, err := svc.RecordSharing(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	out := RecordSharing{Record: labelOut(rs.Label), Owner: rs.Owner, Shown: strs(rs.Shown), Glass: strs(rs.Glass),
		Requestable: strs(rs.Requestable), Consents: []Consent{}, Referrals: []Referral{}}
	if rs.Owner {
		out.Distribution = string(rs.Meta.Distribution)
	}
	for i := range rs.Consents {
		out.Consents = append(out.Consents, consentOut(&rs.Consents[i]))
	}
	for _, r := range rs.Referrals {
		out.Referrals = append(out.Referrals, referralOut(r))
	}
	return &recordSharingOutput{Body: out}, nil
}

func (s *server) createConsent(ctx context.Context, in *createConsentInput) (*consentOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	c := &atip.Consent{Record: atip.RecordRef{ID: in.ID}, OrgIDs: in.Body.OrgIDs, GroupIDs: in.Body.GroupIDs,
		Method: atip.ConsentMethod(in.Body.Method), GivenBy: atip.ConsentGiver(in.Body.GivenBy), GuardianRelation: in.Body.GuardianRelation,
		ChildAssent: in.Body.ChildAssent, GivenAt: in.Body.GivenAt}
	for _, p := range in.Body.Purposes {
		c.Purposes = append(c.Purposes, atip.Purpose(p))
	}
	if err := svc.RecordConsent(ctx, c); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &consentOutput{Body: consentOut(c)}, nil
}

func (s *server) withdrawConsent(ctx context.Context, in *IDPath) (*struct{}, error) {
	svc, err := s.sharing()
	if err == nil {
		err = svc.WithdrawConsent(ctx, in.ID)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return nil, nil
}

func (s *server) createReferral(ctx context.Context, in *createReferralInput) (*referralOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	r := &atip.Referral{Record: atip.RecordRef{ID: in.ID}, ToOrgID: in.Body.ToOrgID, ToUserIDs: in.Body.ToUserIDs,
		Classes: classesIn(in.Body.Classes), Purpose: atip.Purpose(in.Body.Purpose), Note: in.Body.Note, ExpiresAt: in.Body.ExpiresAt}
	if err := svc.Refer(ctx, r); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &referralOutput{Body: referralOut(r)}, nil
}

func (s *server) answerReferral(ctx context.Context, in *answerInput) (*referralOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	r, err := svc.AnswerReferral(ctx, in.ID, in.Body.Accept, in.Body.Reason)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &referralOutput{Body: referralOut(r)}, nil
}

func (s *server) revokeReferral(ctx context.Context, in *IDPath) (*struct{}, error) {
	svc, err := s.sharing()
	if err == nil {
		err = svc.RevokeReferral(ctx, in.ID)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return nil, nil
}

func (s *server) createAccessRequest(ctx context.Context, in *createRequestInput) (*requestOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	req := &atip.AccessRequest{Record: atip.RecordRef{ID: in.ID}, Classes: classesIn(in.Body.Classes),
		Purpose: atip.Purpose(in.Body.Purpose), Reason: in.Body.Reason}
	if err := svc.RequestAccess(ctx, req); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &requestOutput{Body: requestOut(req)}, nil
}

func (s *server) decideAccessRequest(ctx context.Context, in *decideRequestInput) (*requestOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	req, err := svc.DecideAccessRequest(ctx, in.ID, in.Body.Approve, in.Body.ExpiresAt, in.Body.Note)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &requestOutput{Body: requestOut(req)}, nil
}

func (s *server) breakGlass(ctx context.Context, in *breakGlassInput) (*breakGlassOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	b, err := svc.BreakGlass(ctx, in.ID, classesIn(in.Body.Classes), in.Body.Reason, time.Duration(in.Body.Minutes)*time.Minute)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &breakGlassOutput{Body: glassOut(b)}, nil
}

func (s *server) getInbox(ctx context.Context, _ *struct{}) (*inboxOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	in, err := svc.Inbox(ctx)
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := Inbox{Referrals: []Referral{}, Requests: []AccessRequest{}, Glass: []BreakGlass{}, Records: []RecordLabel{}}
	for _, r := range in.Referrals {
		out.Referrals = append(out.Referrals, referralOut(r))
	}
	for _, r := range in.Requests {
		out.Requests = append(out.Requests, requestOut(r))
	}
	for _, b := range in.BreakGlass {
		out.Glass = append(out.Glass, glassOut(b))
	}
	for _, l := range in.Labels {
		out.Records = append(out.Records, labelOut(l))
	}
	sortLabels(out.Records)
	return &inboxOutput{Body: out}, nil
}

func sortLabels(ls []RecordLabel) {
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].ID < ls[j-1].ID; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

func (s *server) listNotifications(ctx context.Context, _ *struct{}) (*notificationListOutput, error) {
	svc, err := s.sharing()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	ns, err := svc.Notifications(ctx, 100)
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := NotificationList{Items: make([]Notification, 0, len(ns))}
	for _, n := range ns {
		args := n.Args
		if args == nil {
			args = map[string]string{}
		}
		out.Items = append(out.Items, Notification{ID: n.ID, Kind: n.Kind, RecordID: n.Record.ID, Type: string(n.Record.Type),
			Args: args, CreatedAt: n.CreatedAt, ReadAt: timePtr(n.ReadAt)})
		if n.ReadAt.IsZero() {
			out.Unread++
		}
	}
	return &notificationListOutput{Body: out}, nil
}

func (s *server) markNotificationRead(ctx context.Context, in *IDPath) (*struct{}, error) {
	svc, err := s.sharing()
	if err == nil {
		err = svc.MarkNotificationRead(ctx, in.ID)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return nil, nil
}
