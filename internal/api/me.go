package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"atip"

	"github.com/danielgtaylor/huma/v2"
)

// Me is the caller: their user record and how they authenticated.
type Me struct {
	User    User     `json:"user"`
	TokenID string   `json:"token_id,omitempty" doc:"The API token used; absent for a browser session."`
	Scopes  []string `json:"scopes" nullable:"false" doc:"What this request's credentials may do: read and/or write."`
}

type meOutput struct {
	Body Me
}

// Token is one of the caller's API tokens. The secret is never shown again
// after creation (in the web UI); only its hash is stored.
type Token struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes" nullable:"false"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty" doc:"Absent while the token is live."`
	CreatedAt  time.Time  `json:"created_at"`
	Current    bool       `json:"current" doc:"Whether this request used this token."`
}

// TokenList is the caller's API tokens, live and revoked, newest first as
// the service returns them.
type TokenList struct {
	Items []Token `json:"items" nullable:"false"`
}

type tokenListOutput struct {
	Body TokenList
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *server) registerMe() {
	// Operations on the caller's own account need no role (action ""), only
	// a signed-in caller with the right scope. Tokens are made in the web UI
	// only: a token that could mint tokens would outlive its own expiry and
	// revocation.
	huma.Register(s.api, operation(access{ScopeRead, ""}, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/me", Tags: []string{"me"},
		Summary: "Who am I", Description: "The calling user and the scopes of the credentials used.",
	}), s.getMe)
	huma.Register(s.api, operation(access{ScopeRead, ""}, huma.Operation{
		OperationID: "list-my-tokens", Method: http.MethodGet, Path: "/me/tokens", Tags: []string{"me"},
		Summary: "List my API tokens",
	}), s.listTokens)
	huma.Register(s.api, operation(access{ScopeWrite, ""}, huma.Operation{
		OperationID: "revoke-my-token", Method: http.MethodDelete, Path: "/me/tokens/{id}", Tags: []string{"me"},
		Summary: "Revoke one of my API tokens", Description: "The token stops working at once. Revoking the token in use is allowed.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound},
	}), s.revokeToken)
}

func (s *server) getMe(ctx context.Context, _ *struct{}) (*meOutput, error) {
	a := atip.ActorFromContext(ctx)
	scopes := a.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	return &meOutput{Body: Me{User: userOut(a.User), TokenID: a.TokenID, Scopes: scopes}}, nil
}

func (s *server) listTokens(ctx context.Context, _ *struct{}) (*tokenListOutput, error) {
	a := atip.ActorFromContext(ctx)
	toks, err := s.Tokens.FindTokens(ctx, a.User.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &tokenListOutput{Body: TokenList{Items: make([]Token, 0, len(toks))}}
	for _, t := range toks {
		scopes := t.Scopes
		if scopes == nil {
			scopes = []string{}
		}
		out.Body.Items = append(out.Body.Items, Token{
			ID: t.ID, Name: t.Name, Scopes: scopes, ExpiresAt: t.ExpiresAt,
			LastUsedAt: optTime(t.LastUsedAt), RevokedAt: optTime(t.RevokedAt), CreatedAt: t.CreatedAt,
			Current: t.ID == a.TokenID,
		})
	}
	return out, nil
}

func (s *server) revokeToken(ctx context.Context, in *IDPath) (*struct{}, error) {
	// The path is the caller's own tokens: another user's token id is "not
	// found" here, whatever the caller's roles.
	toks, err := s.Tokens.FindTokens(ctx, atip.ActorFromContext(ctx).User.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	if !slices.ContainsFunc(toks, func(t *atip.APIToken) bool { return t.ID == in.ID }) {
		return nil, huma.Error404NotFound("no such token")
	}
	if err := s.Tokens.RevokeToken(ctx, in.ID); err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return nil, nil
}
