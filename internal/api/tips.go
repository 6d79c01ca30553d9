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
