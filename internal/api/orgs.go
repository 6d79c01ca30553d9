package api

import (
	"context"
	"net/http"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// OrgType is atip.OrgType on the wire; its schema's enum is generated from
// atip.OrgTypes so the document lists exactly the types the domain knows.
type OrgType string

// Schema implements huma.SchemaProvider.
func (OrgType) Schema(huma.Registry) *huma.Schema {
	enum := make([]any, len(atip.OrgTypes))
	for i, t := range atip.OrgTypes {
		enum[i] = string(t)
	}
	return &huma.Schema{Type: huma.TypeString, Enum: enum, Description: "Kind of organisation."}
}

// Org is an organisation as the API shows it.
type Org struct {
	ID           string    `json:"id" doc:"Unique id (UUIDv7)."`
	Name         string    `json:"name"`
	Type         OrgType   `json:"type"`
	Jurisdiction string    `json:"jurisdiction" doc:"Gazetteer place code of the area the organisation works in."`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by"`
	UpdatedAt    time.Time `json:"updated_at"`
	UpdatedBy    string    `json:"updated_by"`
}

func orgOut(o *atip.Org) Org {
	return Org{
		ID: o.ID, Name: o.Name, Type: OrgType(o.Type), Jurisdiction: o.Jurisdiction, Disabled: o.Disabled,
		CreatedAt: o.CreatedAt, CreatedBy: o.CreatedBy, UpdatedAt: o.UpdatedAt, UpdatedBy: o.UpdatedBy,
	}
}

type orgOutput struct {
	Body Org
}

type orgCreated struct {
	Location string `header:"Location"`
	Body     Org
}

// IDPath is the id in the path of an operation on one record.
type IDPath struct {
	ID string `path:"id" maxLength:"64" doc:"The record's id."`
}

// PageQuery is the cursor and page size of a list operation.
type PageQuery struct {
	Cursor string `query:"cursor" maxLength:"200" doc:"Opaque cursor: the next value of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Page size."`
}

type listOrgsInput struct {
	Type OrgType `query:"type" doc:"Only organisations of this type."`
	Q    string  `query:"q" maxLength:"200" doc:"Matches the name, case- and script-insensitively."`
	PageQuery
}

// OrgPage is one page of organisations.
type OrgPage struct {
	Items []Org  `json:"items" nullable:"false"`
	Next  string `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
}

type orgPageOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body OrgPage
}

// OrgCreate is the body that creates an organisation.
type OrgCreate struct {
	Name         string  `json:"name" maxLength:"300"`
	Type         OrgType `json:"type"`
	Jurisdiction string  `json:"jurisdiction" maxLength:"100" doc:"Gazetteer place code."`
}

type createOrgInput struct {
	Body OrgCreate
}

// OrgPatch changes the fields it carries; absent fields stay as they are.
type OrgPatch struct {
	Name         *string  `json:"name,omitempty" maxLength:"300"`
	Type         *OrgType `json:"type,omitempty"`
	Jurisdiction *string  `json:"jurisdiction,omitempty" maxLength:"100"`
	Disabled     *bool    `json:"disabled,omitempty"`
}

type updateOrgInput struct {
	IDPath
	Body OrgPatch
}

func (s *server) registerOrgs() {
	huma.Register(s.api, operation(access{ScopeRead, policy.OrgView}, huma.Operation{
		OperationID: "list-orgs", Method: http.MethodGet, Path: "/orgs", Tags: []string{"organisations"},
		Summary: "List organisations", Description: "Organisations ordered by id (creation time), filtered and paginated.",
	}), s.listOrgs)
	huma.Register(s.api, operation(access{ScopeRead, policy.OrgView}, huma.Operation{
		OperationID: "get-org", Method: http.MethodGet, Path: "/orgs/{id}", Tags: []string{"organisations"},
		Summary: "Get an organisation", Errors: []int{http.StatusNotFound},
	}), s.getOrg)
	huma.Register(s.api, operation(access{ScopeWrite, policy.OrgCreate}, huma.Operation{
		OperationID: "create-org", Method: http.MethodPost, Path: "/orgs", Tags: []string{"organisations"},
		Summary: "Create an organisation", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict},
	}), s.createOrg)
	huma.Register(s.api, operation(access{ScopeWrite, policy.OrgUpdate}, huma.Operation{
		OperationID: "update-org", Method: http.MethodPatch, Path: "/orgs/{id}", Tags: []string{"organisations"},
		Summary: "Change an organisation", Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.updateOrg)
}

func (s *server) listOrgs(ctx context.Context, in *listOrgsInput) (*orgPageOutput, error) {
	after, err := decodeCursor("orgs", in.Cursor)
	if err != nil {
		return nil, cursorProblem(err)
	}
	orgs, next, err := s.Orgs.FindOrgs(ctx, atip.OrgFilter{Type: atip.OrgType(in.Type), Query: in.Q, After: after, Limit: in.Limit})
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &orgPageOutput{Body: OrgPage{Items: make([]Org, 0, len(orgs)), Next: encodeCursor("orgs", next)}}
	for _, o := range orgs {
		out.Body.Items = append(out.Body.Items, orgOut(o))
	}
	out.Link = nextLink(requestURL(ctx), out.Body.Next)
	return out, nil
}

func (s *server) getOrg(ctx context.Context, in *IDPath) (*orgOutput, error) {
	o, err := s.Orgs.FindOrgByID(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &orgOutput{Body: orgOut(o)}, nil
}

func (s *server) createOrg(ctx context.Context, in *createOrgInput) (*orgCreated, error) {
	o := &atip.Org{Name: in.Body.Name, Type: atip.OrgType(in.Body.Type), Jurisdiction: in.Body.Jurisdiction}
	if err := s.Orgs.CreateOrg(ctx, o); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &orgCreated{Location: Prefix + "/orgs/" + o.ID, Body: orgOut(o)}, nil
}

func (s *server) updateOrg(ctx context.Context, in *updateOrgInput) (*orgOutput, error) {
	upd := atip.OrgUpdate{Name: in.Body.Name, Jurisdiction: in.Body.Jurisdiction, Disabled: in.Body.Disabled}
	if in.Body.Type != nil {
		t := atip.OrgType(*in.Body.Type)
		upd.Type = &t
	}
	o, err := s.Orgs.UpdateOrg(ctx, in.ID, upd)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &orgOutput{Body: orgOut(o)}, nil
}
