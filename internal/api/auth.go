package api

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Token scopes, as the token service defines them (the tests check they
// agree): "read" for GET operations, "write" for the rest; a token with
// "write" may also read. The API does not import the database package.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// hasScope reports whether a caller with scopes may use an operation that
// needs scope.
func hasScope(scopes []string, scope string) bool {
	return slices.Contains(scopes, scope) || scope == ScopeRead && slices.Contains(scopes, ScopeWrite)
}

// Security scheme names in the OpenAPI document.
const (
	schemeBearer  = "bearer"
	schemeSession = "session"
)

// ExtAction is the OpenAPI extension on every operation naming the policy
// action it performs ("" for operations on the caller's own account). The
// authorisation tests read it from the served document.
const ExtAction = "x-atip-action"

// access is what an operation requires of its caller. Every operation has
// one: register refuses to add an operation without it.
type access struct {
	scope  string        // ScopeRead or ScopeWrite
	action policy.Action // policy action the caller's roles must allow somewhere; "" for the caller's own account
}

const accessKey = "atip.access"

// operation declares an operation with its access requirements and the
// limits every operation shares.
func operation(a access, op huma.Operation) huma.Operation {
	op.Security = []map[string][]string{{schemeBearer: {a.scope}}, {schemeSession: {}}}
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[accessKey] = a
	if op.Extensions == nil {
		op.Extensions = map[string]any{}
	}
	op.Extensions[ExtAction] = string(a.action)
	op.MaxBodyBytes = MaxBodyBytes
	op.Errors = append(op.Errors, http.StatusUnauthorized, http.StatusForbidden)
	return op
}

// authenticate is the huma middleware in front of every operation: it finds
// the caller (bearer token, else session cookie), refuses the anonymous with
// 401, checks the operation's scope and the caller's role with 403, and puts
// the actor in the context for the services to authorise and audit.
func (s *server) authenticate(ctx huma.Context, next func(huma.Context)) {
	r, _ := humago.Unwrap(ctx)
	a, ok := ctx.Operation().Metadata[accessKey].(access)
	if !ok {
		// An operation registered without its requirements: refuse rather
		// than serve it open.
		s.log.Error("api: operation without access requirements", "operation", ctx.Operation().OperationID)
		huma.WriteErr(s.api, ctx, http.StatusInternalServerError, "internal error")
		return
	}

	actor, status, msg := s.actor(r)
	if actor == nil {
		if status == http.StatusUnauthorized {
			challenge := `Bearer realm="atip"`
			if msg != "" {
				challenge += `, error="invalid_token"`
			}
			ctx.SetHeader("WWW-Authenticate", challenge)
			if msg == "" {
				msg = "authentication required: send Authorization: Bearer <token>"
			}
		}
		huma.WriteErr(s.api, ctx, status, msg)
		return
	}
	if !hasScope(actor.Scopes, a.scope) {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="atip", error="insufficient_scope", scope="`+a.scope+`"`)
		huma.WriteErr(s.api, ctx, http.StatusForbidden, "this token lacks the "+a.scope+" scope")
		return
	}
	if a.action != "" && !policy.CanSome(actor, a.action) {
		huma.WriteErr(s.api, ctx, http.StatusForbidden, "your roles do not allow this")
		return
	}
	c := atip.NewContextWithActor(ctx.Context(), actor)
	// The record policy needs the actor's organisation (a missing one reads
	// as a foreign counterpart), as the web's session middleware loads it.
	if actor.User != nil && s.Orgs != nil {
		org, err := s.Orgs.FindOrgByID(c, actor.User.OrgID)
		if err != nil {
			s.log.ErrorContext(c, "api: loading the actor's organisation", "err", err)
			huma.WriteErr(s.api, ctx, http.StatusInternalServerError, "internal error")
			return
		}
		actor.Org = org
	}
	c = context.WithValue(c, urlKey{}, r.URL)
	next(huma.WithContext(ctx, c))
}

type urlKey struct{}

// requestURL is the URL of the request being served, for links to the
// next page.
func requestURL(ctx context.Context) url.URL {
	if u, ok := ctx.Value(urlKey{}).(*url.URL); ok && u != nil {
		return *u
	}
	return url.URL{}
}

// actor authenticates the request. On failure it returns the status (401,
// 403 for a cross-origin cookie request, 500) and a message ("" when no
// credentials were sent at all).
func (s *server) actor(r *http.Request) (*atip.Actor, int, string) {
	remote := remoteHost(r)
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return nil, http.StatusUnauthorized, "the Authorization header must be: Bearer <token>"
		}
		if s.Tokens == nil {
			return nil, http.StatusUnauthorized, "API tokens are not accepted here"
		}
		tok, u, err := s.Tokens.AuthenticateToken(r.Context(), secret)
		if err != nil {
			if atip.ErrorCode(err) == atip.EUNAUTHORIZED || atip.ErrorCode(err) == atip.ENOTFOUND {
				return nil, http.StatusUnauthorized, "the token is unknown, expired or revoked"
			}
			s.log.ErrorContext(r.Context(), "api: authenticating token", "err", err)
			return nil, http.StatusInternalServerError, "internal error"
		}
		if u == nil || u.Disabled {
			return nil, http.StatusUnauthorized, "the token's user is disabled"
		}
		return &atip.Actor{User: u, Via: atip.ViaAPI, RemoteAddr: remote, TokenID: tok.ID, Scopes: tok.Scopes}, 0, ""
	}
	if s.SessionCookie == "" || s.Auth == nil {
		return nil, http.StatusUnauthorized, ""
	}
	c, err := r.Cookie(s.SessionCookie)
	if err != nil || c.Value == "" {
		return nil, http.StatusUnauthorized, ""
	}
	// A cookie rides along on cross-site requests too; only same-origin
	// browser requests may use it (bearer tokens are not sent by browsers on
	// their own, so they need no such check).
	if err := s.csrf.Check(r); err != nil {
		return nil, http.StatusForbidden, "cross-origin requests may not use the session cookie"
	}
	sess, u, err := s.Auth.Session(r.Context(), c.Value)
	if err != nil {
		switch atip.ErrorCode(err) {
		case atip.ENOTFOUND, atip.EUNAUTHORIZED:
			return nil, http.StatusUnauthorized, "the session has ended; sign in again"
		}
		s.log.ErrorContext(r.Context(), "api: reading session", "err", err)
		return nil, http.StatusInternalServerError, "internal error"
	}
	if sess.Stage != atip.StageFull || u == nil || u.Disabled {
		return nil, http.StatusUnauthorized, "sign-in is not complete"
	}
	// A signed-in browser may do through the API what it may do in the UI.
	return &atip.Actor{User: u, Via: atip.ViaAPI, RemoteAddr: remote, Scopes: []string{ScopeRead, ScopeWrite}}, 0, ""
}

// remoteHost is the client's address without the port, as the audit trail
// records it. A reverse proxy in front is expected to have set RemoteAddr
// from its forwarding header before the request reaches the API.
func remoteHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
