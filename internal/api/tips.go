package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// TipIndicator is a matched indicator with its byte span in the text.
type TipIndicator struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Category string `json:"category"`
	Start    int    `json:"start" doc:"Byte offset into text."`
	End      int    `json:"end"`
}

// TipSelector is a selector found in the text, in its normal form.
type TipSelector struct {
	Type       string `json:"type"`
	Value      string `json:"value"`
	Normalized string `json:"normalized"`
}

// Tip is a tip as the API shows it. Lists leave out text, contact and
// selectors: reading a tip's text is audited, one tip at a time.
type Tip struct {
	ID         string         `json:"id"`
	Ref        string         `json:"ref" doc:"Short reference, as given to a public reporter."`
	OrgID      string         `json:"org_id"`
	Source     string         `json:"source" enum:"public,officer,import,api"`
	Platform   string         `json:"platform"`
	URL        string         `json:"url"`
	Author     string         `json:"author"`
	Contact    string         `json:"contact,omitempty"`
	Text       string         `json:"text,omitempty"`
	Images     []string       `json:"images" nullable:"false" doc:"Image references, recorded and never fetched."`
	PostedAt   *time.Time     `json:"posted_at,omitempty"`
	ReceivedAt time.Time      `json:"received_at"`
	Score      float64        `json:"score" doc:"In [0,1]; at and above 0.5 the tip needs an analyst's look."`
	Version    string         `json:"score_version"`
	Indicators []TipIndicator `json:"indicators" nullable:"false"`
	Selectors  []TipSelector  `json:"selectors,omitempty"`
	Status     string         `json:"status" enum:"new,assigned,actioned,dismissed,merged"`
	AssignedTo string         `json:"assigned_to,omitempty"`
	MergedInto string         `json:"merged_into,omitempty"`
}

func tipOut(t *atip.Tip, full bool) Tip {
	out := Tip{ID: t.ID, Ref: t.Ref, OrgID: t.OrgID, Source: string(t.Source), Platform: t.Platform, URL: t.URL, Author: t.Author,
		Images: t.Images, ReceivedAt: t.ReceivedAt, Score: t.Score, Version: t.Version, Indicators: []TipIndicator{},
		Status: string(t.Status), AssignedTo: t.AssignedTo, MergedInto: t.MergedInto}
	if out.Images == nil {
		out.Images = []string{}
	}
	if !t.PostedAt.IsZero() {
		p := t.PostedAt
		out.PostedAt = &p
	}
	for _, in := range t.Indicators {
		out.Indicators = append(out.Indicators, TipIndicator{ID: in.ID, Label: in.Label, Category: in.Category, Start: in.Start, End: in.End})
	}
	if full {
		out.Text, out.Contact = t.Text, t.Contact
		out.Selectors = []TipSelector{}
		for _, s := range t.Selectors {
			out.Selectors = append(out.Selectors, TipSelector{Type: s.Type, Value: s.Value, Normalized: s.Normalized})
		}
	}
	return out
}

type tipOutput struct {
	Body Tip
}

type tipCreated struct {
	Location string `header:"Location"`
	Body     Tip
}

// TipPage is one page of the triage queue.
type TipPage struct {
	Items []Tip  `json:"items" nullable:"false"`
	Next  string `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
}

type tipPageOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body TipPage
}

type listTipsInput struct {
	Status   string  `query:"status" enum:"new,assigned,actioned,dismissed,merged," doc:"Only tips in this status."`
	MinScore float64 `query:"min_score" minimum:"0" maximum:"1" doc:"Only tips scoring at least this."`
	Platform string  `query:"platform" maxLength:"100" doc:"Only tips from this platform."`
	PageQuery
}

// TipCreate is the body that reports a tip (an officer's report or a post
// collected by another system).
type TipCreate struct {
	Text     string     `json:"text" minLength:"1" maxLength:"5000"`
	Platform string     `json:"platform,omitempty" maxLength:"100"`
	URL      string     `json:"url,omitempty" maxLength:"500"`
	Author   string     `json:"author,omitempty" maxLength:"500" doc:"The poster's handle."`
	PostedAt *time.Time `json:"posted_at,omitempty"`
	Images   []string   `json:"images,omitempty" maxItems:"20" doc:"Image references; never fetched."`
}

type createTipInput struct {
	Body TipCreate
}

// TipFeedback is an analyst's judgement of a tip.
type TipFeedback struct {
	Relevant bool `json:"relevant"`
}

type feedbackInput struct {
	IDPath
	Body TipFeedback
}

type noContent struct{}

func (s *server) registerTips() {
	huma.Register(s.api, operation(access{ScopeRead, policy.TipView}, huma.Operation{
		OperationID: "list-tips", Method: http.MethodGet, Path: "/tips", Tags: []string{"tips"},
		Summary: "List tips", Description: "The caller's organisation's tips, highest score first, then the newest; without their text.",
	}), s.listTips)
	huma.Register(s.api, operation(access{ScopeRead, policy.TipView}, huma.Operation{
		OperationID: "get-tip", Method: http.MethodGet, Path: "/tips/{id}", Tags: []string{"tips"},
		Summary: "Get a tip", Description: "The tip with its text and selectors. Every read is in the audit trail.",
		Errors: []int{http.StatusNotFound},
	}), s.getTip)
	huma.Register(s.api, operation(access{ScopeWrite, policy.TipCreate}, huma.Operation{
		OperationID: "create-tip", Method: http.MethodPost, Path: "/tips", Tags: []string{"tips"},
		Summary: "Report a tip", Description: "Scored and its selectors extracted at once; stored in the caller's organisation.",
		DefaultStatus: http.StatusCreated,
	}), s.createTip)
	huma.Register(s.api, operation(access{ScopeWrite, policy.TipTriage}, huma.Operation{
		OperationID: "set-tip-feedback", Method: http.MethodPut, Path: "/tips/{id}/feedback", Tags: []string{"tips"},
		Summary: "Mark a tip relevant or not", Description: "The caller's judgement, replacing an earlier one; kept for tuning the indicator weights.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}), s.setTipFeedback)
	s.registerTipTriage()
}

var errNoTips = huma.Error404NotFound("tips are not served here")

func (s *server) listTips(ctx context.Context, in *listTipsInput) (*tipPageOutput, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	after, err := decodeCursor("tips", in.Cursor)
	if err != nil {
		return nil, cursorProblem(err)
	}
	// The service's cursor is "score.id"; cursors here carry only letters,
	// digits and dashes.
	if bp, id, ok := strings.Cut(after, "-"); ok {
		after = bp + "." + id
	}
	list, next, err := s.Tips.FindTips(ctx, atip.TipFilter{Status: atip.TipStatus(in.Status), MinScore: in.MinScore,
		Platform: in.Platform, After: after, Limit: in.Limit})
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &tipPageOutput{Body: TipPage{Items: make([]Tip, 0, len(list)), Next: encodeCursor("tips", strings.Replace(next, ".", "-", 1))}}
	for _, t := range list {
		out.Body.Items = append(out.Body.Items, tipOut(t, false))
	}
	out.Link = nextLink(requestURL(ctx), out.Body.Next)
	return out, nil
}

func (s *server) getTip(ctx context.Context, in *IDPath) (*tipOutput, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	t, err := s.Tips.FindTipByID(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &tipOutput{Body: tipOut(t, true)}, nil
}

func (s *server) createTip(ctx context.Context, in *createTipInput) (*tipCreated, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	t := &atip.Tip{Source: atip.TipAPI, Text: in.Body.Text, Platform: in.Body.Platform, URL: in.Body.URL,
		Author: in.Body.Author, Images: in.Body.Images}
	if in.Body.PostedAt != nil {
		t.PostedAt = *in.Body.PostedAt
	}
	if err := s.Tips.CreateTip(ctx, t); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &tipCreated{Location: Prefix + "/tips/" + t.ID, Body: tipOut(t, true)}, nil
}

func (s *server) setTipFeedback(ctx context.Context, in *feedbackInput) (*noContent, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	if err := s.Tips.SetTipFeedback(ctx, in.ID, in.Body.Relevant); err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &noContent{}, nil
}

// TipActionIn records an action taken on a tip.
type TipActionIn struct {
	Kind      string `json:"kind" enum:"referred_to_cyber_cell,takedown_requested,linked_to_case,note"`
	Reference string `json:"reference,omitempty" maxLength:"500" doc:"The platform's reference of a takedown request, or the case reference."`
	Note      string `json:"note,omitempty" maxLength:"5000"`
}

type tipActionInput struct {
	IDPath
	Body TipActionIn
}

// TipAssign names the user a tip is assigned to.
type TipAssign struct {
	UserID string `json:"user_id" minLength:"1" maxLength:"64" doc:"A user of the tip's organisation who may triage tips."`
}

type tipAssignInput struct {
	IDPath
	Body TipAssign
}

// TipMerge names the tip a duplicate is merged into.
type TipMerge struct {
	Into string `json:"into" minLength:"1" maxLength:"64" doc:"The kept tip's id or reference (TIP-…)."`
}

type tipMergeInput struct {
	IDPath
	Body TipMerge
}

type tipImportInput struct {
	Body struct {
		Tips []TipCreate `json:"tips" minItems:"1" maxItems:"1000" nullable:"false"`
	}
}

// TipImported says how many tips an import stored.
type TipImported struct {
	Stored int      `json:"stored"`
	IDs    []string `json:"ids" nullable:"false"`
}

type tipImportOutput struct {
	Body TipImported
}

// NetworkNode is a member of a network: a tip, or a case linked to one of
// its selectors (shown by reference and TLP only).
type NetworkNode struct {
	Kind  string   `json:"kind" enum:"tip,case"`
	ID    string   `json:"id"`
	Ref   string   `json:"ref"`
	Score *float64 `json:"score,omitempty" doc:"A tip's score."`
	TLP   string   `json:"tlp,omitempty" doc:"A case's TLP marking."`
	Root  bool     `json:"root,omitempty" doc:"The tip asked for, or a tip carrying the selector asked for."`
}

// NetworkEdge joins two nodes: a shared selector (its key), a
// near-duplicate text, or a case link ("case:<selector type>").
type NetworkEdge struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Reason string `json:"reason"`
}

// TipNetwork is a network of tips and linked cases.
type TipNetwork struct {
	Nodes []NetworkNode `json:"nodes" nullable:"false"`
	Edges []NetworkEdge `json:"edges" nullable:"false"`
}

type tipNetworkOutput struct {
	Body TipNetwork
}

type selectorNetworkInput struct {
	Type  string `query:"type" required:"true" maxLength:"20" doc:"Selector type: phone, whatsapp, telegram, email, url, handle, upi, iban, passport."`
	Value string `query:"value" required:"true" maxLength:"500" doc:"The selector's normal form, e.g. +919830123456."`
}

// CaseLink is a link from a selector to a case and optionally a suspect.
type CaseLink struct {
	ID         string    `json:"id"`
	TipID      string    `json:"tip_id" doc:"The tip (of the caller's organisation) that carries the selector."`
	Type       string    `json:"type"`
	Normalized string    `json:"normalized"`
	CaseID     string    `json:"case_id"`
	CaseRef    string    `json:"case_ref"`
	TLP        string    `json:"tlp"`
	SuspectID  string    `json:"suspect_id,omitempty" doc:"A person id among the case's suspects."`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

// CaseLinkIn links one of a tip's selectors to a case.
type CaseLinkIn struct {
	Type       string `json:"type" minLength:"1" maxLength:"20"`
	Normalized string `json:"normalized" minLength:"1" maxLength:"500"`
	CaseRef    string `json:"case_ref" minLength:"1" maxLength:"40" doc:"The case's reference, e.g. CAS-7F3A-91C2; a case of the caller's organisation."`
	SuspectID  string `json:"suspect_id,omitempty" maxLength:"64" doc:"One of the case's suspects (person id); absent for the case alone."`
}

type caseLinkInput struct {
	IDPath
	Body CaseLinkIn
}

type caseLinkOutput struct {
	Body CaseLink
}

// CaseLinks lists links.
type CaseLinks struct {
	Items []CaseLink `json:"items" nullable:"false"`
}

type caseLinksOutput struct {
	Body CaseLinks
}

func caseLinkOut(l *atip.SelectorCaseLink) CaseLink {
	return CaseLink{ID: l.ID, TipID: l.TipID, Type: l.Type, Normalized: l.Normalized, CaseID: l.CaseID, CaseRef: l.CaseRef,
		TLP: string(l.CaseTLP), SuspectID: l.SuspectID, By: l.By, At: l.At}
}

func (s *server) registerTipTriage() {
	huma.Register(s.api, operation(access{ScopeWrite, policy.TipCreate}, huma.Operation{
		OperationID: "import-tips", Method: http.MethodPost, Path: "/tips/import", Tags: []string{"tips"},
		Summary: "Import collected posts", Description: "Every post is scored and stored in the caller's organisation, all or none. Image references are recorded, never fetched.",
		DefaultStatus: http.StatusCreated,
	}), s.importTips)
	huma.Register(s.api, operation(access{ScopeWrite, policy.TipTriage}, huma.Operation{
		OperationID: "add-tip-action", Method: http.MethodPost, Path: "/tips/{id}/actions", Tags: []string{"tips"},
		Summary: "Record an action taken on a tip", Description: "Referred to a cyber cell, takedown requested (with the platform's reference), linked to a case, or a note.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}), s.addTipAction)
	huma.Register(s.api, operation(access{ScopeWrite, policy.TipTriage}, huma.Operation{
		OperationID: "assign-tip", Method: http.MethodPost, Path: "/tips/{id}/assign", Tags: []string{"tips"},
		Summary: "Assign a tip", DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}), s.assignTip)
	huma.Register(s.api, operation(access{ScopeWrite, policy.TipTriage}, huma.Operation{
		OperationID: "merge-tip", Method: http.MethodPost, Path: "/tips/{id}/merge", Tags: []string{"tips"},
		Summary: "Merge a duplicate tip into another", DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}), s.mergeTip)
	huma.Register(s.api, operation(access{ScopeWrite, policy.TipTriage}, huma.Operation{
		OperationID: "dismiss-tip", Method: http.MethodPost, Path: "/tips/{id}/dismiss", Tags: []string{"tips"},
		Summary: "Dismiss a tip", DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}), s.dismissTip)
	huma.Register(s.api, operation(access{ScopeRead, policy.TipView}, huma.Operation{
		OperationID: "get-tip-network", Method: http.MethodGet, Path: "/tips/{id}/network", Tags: []string{"tips"},
		Summary: "Get a tip's network", Description: "The tips linked to it through shared selectors or near-duplicate text, and the cases the caller may see that are linked to their selectors. Audited.",
		Errors: []int{http.StatusNotFound},
	}), s.tipNetwork)
	huma.Register(s.api, operation(access{ScopeRead, policy.TipView}, huma.Operation{
		OperationID: "get-selector-network", Method: http.MethodGet, Path: "/tip-selectors/network", Tags: []string{"tips"},
		Summary: "Get a selector's network", Description: "The caller's organisation's tips that carry the selector, the tips linked to them, and linked cases the caller may see. Audited.",
		Errors: []int{http.StatusNotFound},
	}), s.selectorNetwork)
	huma.Register(s.api, operation(access{ScopeRead, policy.TipView}, huma.Operation{
		OperationID: "list-tip-case-links", Method: http.MethodGet, Path: "/tips/{id}/case-links", Tags: []string{"tips"},
		Summary: "List the case links of a tip's selectors", Description: "Only cases the caller may see.",
		Errors: []int{http.StatusNotFound},
	}), s.listTipCaseLinks)
	huma.Register(s.api, operation(access{ScopeWrite, policy.TipTriage}, huma.Operation{
		OperationID: "link-tip-selector", Method: http.MethodPost, Path: "/tips/{id}/case-links", Tags: []string{"tips"},
		Summary: "Link a tip's selector to a case and suspect", Description: "The case must be the caller's organisation's and editable by the caller; otherwise it is not found. Audited on the tip and the case.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusNotFound},
	}), s.linkTipSelector)
}

func (s *server) importTips(ctx context.Context, in *tipImportInput) (*tipImportOutput, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	list := make([]*atip.Tip, len(in.Body.Tips))
	for i, b := range in.Body.Tips {
		list[i] = &atip.Tip{Source: atip.TipImport, Text: b.Text, Platform: b.Platform, URL: b.URL, Author: b.Author, Images: b.Images}
		if b.PostedAt != nil {
			list[i].PostedAt = *b.PostedAt
		}
	}
	if err := s.Tips.ImportTips(ctx, list); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	out := &tipImportOutput{Body: TipImported{Stored: len(list), IDs: make([]string, len(list))}}
	for i, t := range list {
		out.Body.IDs[i] = t.ID
	}
	return out, nil
}

func (s *server) addTipAction(ctx context.Context, in *tipActionInput) (*noContent, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	err := s.Tips.AddTipAction(ctx, &atip.TipAction{TipID: in.ID, Kind: atip.TipActionKind(in.Body.Kind), Reference: in.Body.Reference, Note: in.Body.Note})
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &noContent{}, nil
}

func (s *server) assignTip(ctx context.Context, in *tipAssignInput) (*noContent, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	if err := s.Tips.AssignTip(ctx, in.ID, in.Body.UserID); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &noContent{}, nil
}

func (s *server) mergeTip(ctx context.Context, in *tipMergeInput) (*noContent, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	if err := s.Tips.MergeTip(ctx, in.ID, in.Body.Into); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &noContent{}, nil
}

func (s *server) dismissTip(ctx context.Context, in *IDPath) (*noContent, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	if err := s.Tips.DismissTip(ctx, in.ID); err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &noContent{}, nil
}

// networkOut builds a network's nodes and edges; roots are the tips the
// request was about.
func (s *server) networkOut(ctx context.Context, n *atip.TipNetwork, roots func(*atip.Tip) bool) (*tipNetworkOutput, error) {
	out := &tipNetworkOutput{Body: TipNetwork{Nodes: []NetworkNode{}, Edges: []NetworkEdge{}}}
	ids := make([]string, len(n.Tips))
	for i, t := range n.Tips {
		ids[i] = t.ID
		score := t.Score
		out.Body.Nodes = append(out.Body.Nodes, NetworkNode{Kind: "tip", ID: t.ID, Ref: t.Ref, Score: &score, Root: roots(t)})
	}
	for _, l := range n.Links {
		out.Body.Edges = append(out.Body.Edges, NetworkEdge{Source: l.A, Target: l.B, Reason: l.Reason})
	}
	cl, ok := s.Tips.(atip.TipCaseLinkService)
	if !ok {
		return out, nil
	}
	links, err := cl.SelectorCaseLinks(ctx, ids)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	seen := map[string]bool{}
	for _, l := range links {
		node := "case:" + l.CaseID
		if !seen[node] {
			seen[node] = true
			out.Body.Nodes = append(out.Body.Nodes, NetworkNode{Kind: "case", ID: l.CaseID, Ref: l.CaseRef, TLP: string(l.CaseTLP)})
		}
		if e := (NetworkEdge{Source: l.TipID, Target: l.CaseID, Reason: "case:" + l.Type}); !seen[e.Source+e.Target] {
			seen[e.Source+e.Target] = true
			out.Body.Edges = append(out.Body.Edges, e)
		}
	}
	return out, nil
}

func (s *server) tipNetwork(ctx context.Context, in *IDPath) (*tipNetworkOutput, error) {
	if s.Tips == nil {
		return nil, errNoTips
	}
	n, err := s.Tips.TipNetwork(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return s.networkOut(ctx, n, func(t *atip.Tip) bool { return t.ID == in.ID })
}

func (s *server) selectorNetwork(ctx context.Context, in *selectorNetworkInput) (*tipNetworkOutput, error) {
	ss, ok := s.Tips.(atip.TipSelectorService)
	if !ok {
		return nil, errNoTips
	}
	n, err := ss.SelectorNetwork(ctx, in.Type, in.Value)
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	return s.networkOut(ctx, n, func(t *atip.Tip) bool {
		for _, x := range t.Selectors {
			if x.Type == in.Type && x.Normalized == in.Value {
				return true
			}
		}
		return false
	})
}

func (s *server) listTipCaseLinks(ctx context.Context, in *IDPath) (*caseLinksOutput, error) {
	cl, ok := s.Tips.(atip.TipCaseLinkService)
	if !ok {
		return nil, errNoTips
	}
	// Reading the tip first makes another organisation's tip not found.
	if _, err := s.Tips.FindTipByID(ctx, in.ID); err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	links, err := cl.SelectorCaseLinks(ctx, []string{in.ID})
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	out := &caseLinksOutput{Body: CaseLinks{Items: make([]CaseLink, 0, len(links))}}
	for _, l := range links {
		out.Body.Items = append(out.Body.Items, caseLinkOut(l))
	}
	return out, nil
}

func (s *server) linkTipSelector(ctx context.Context, in *caseLinkInput) (*caseLinkOutput, error) {
	cl, ok := s.Tips.(atip.TipCaseLinkService)
	if !ok {
		return nil, errNoTips
	}
	l := &atip.SelectorCaseLink{TipID: in.ID, Type: in.Body.Type, Normalized: in.Body.Normalized, CaseRef: in.Body.CaseRef, SuspectID: in.Body.SuspectID}
	if err := cl.LinkSelectorToCase(ctx, l); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &caseLinkOutput{Body: caseLinkOut(l)}, nil
}
