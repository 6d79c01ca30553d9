// Package api serves ATIP's JSON API under /api/v1 for other systems (and
// for same-origin scripts of the web UI).
//
// The operations are declared with huma, so the OpenAPI 3.1 document served
// at /api/v1/openapi.json (and .yaml) is generated from the very structs and
// registrations that handle requests and cannot drift from them. Every
// operation declares the token scope it needs and the policy action it
// performs; one middleware authenticates the caller, checks both, and puts
// the atip.Actor in the context. Record-level visibility is decided by the
// services from that actor, exactly as for the UI: this package never filters
// or hides records itself.
//
// Errors are RFC 9457 problem details (application/problem+json) everywhere,
// including unknown routes, wrong methods, oversized and malformed bodies.
// Domain error codes are mapped to HTTP statuses in one place (problem.go).
package api

import (
	"cmp"
	"log/slog"
	"net/http"

	"atip"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Prefix is where the API is served; the web server mounts the handler at
// "/api/" and requests keep their full path.
const Prefix = "/api/v1"

// MaxBodyBytes is the largest request body accepted; larger ones get 413.
// The API's bodies are small forms (an organisation, a user): 64 KiB is
// generous and keeps a slow or hostile client from tying up memory.
const MaxBodyBytes = 64 << 10

// Page sizes for cursor pagination.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Services are the domain services the API calls. Auth is optional: without
// it (or without Config.SessionCookie) only bearer tokens are accepted.
type Services struct {
	Orgs   atip.OrgService
	Users  atip.UserService
	Auth   atip.AuthService
	Tokens atip.TokenService
	Audit  atip.AuditService
	// Groups serves /groups; nil answers those operations 404.
	Groups atip.GroupService
	// Tips is optional: without it the tip operations answer 404.
	Tips atip.TipService
	// The record areas; each is optional (nil: its operations answer 404).
	Cases   atip.CaseService
	Sharing atip.SharingService
	Intake  atip.IntakeService
	Care    atip.CareService
}

// Config configures the API handler.
type Config struct {
	Services
	// Version is the product version shown in the OpenAPI document.
	Version string
	// SessionCookie is the name of the web UI's session cookie. When set
	// (and Services.Auth is given), same-origin requests carrying a live,
	// fully signed-in session are accepted as that user with every scope.
	SessionCookie string
	// Logger receives internal errors (never request bodies or personal
	// data). Nil means slog.Default().
	Logger *slog.Logger
}

// server holds what every operation handler needs.
type server struct {
	Config
	log  *slog.Logger
	api  huma.API
	mux  *http.ServeMux
	csrf *http.CrossOriginProtection
}

// New returns the API handler. Mount it at "/api/" (or serve it directly):
// it answers every path under Prefix and returns problem+json for the rest.
func New(c Config) http.Handler {
	s := &server{
		Config: c,
		log:    cmp.Or(c.Logger, slog.Default()),
		mux:    http.NewServeMux(),
		csrf:   http.NewCrossOriginProtection(),
	}
	s.api = humago.NewWithPrefix(s.mux, Prefix, s.humaConfig())
	s.api.UseMiddleware(s.authenticate)
	s.registerOrgs()
	s.registerUsers()
	s.registerMe()
	s.registerAudit()
	s.registerGroups()
	s.registerTips()
	s.registerCases()
	s.registerSharing()
	s.registerIntake()
	s.registerCare()
	s.mux.HandleFunc("/", s.notFound)
	return s.recoverer(s.headers(s.mux))
}

func (s *server) humaConfig() huma.Config {
	version := cmp.Or(s.Version, "dev")
	c := huma.DefaultConfig("ATIP API", version)
	c.Info.Description = "JSON API of the Anti-Trafficking in Persons Platform. " +
		"Authenticate with `Authorization: Bearer <token>` (tokens are made in the web UI, " +
		"with the scopes `read` and/or `write`). Errors are RFC 9457 problem details. " +
		"Lists are paginated with an opaque `cursor`: pass the `next` value of one page to get the next."
	// No documentation page: huma's default loads its viewer from a CDN, and
	// ATIP serves no third-party-hosted assets. The document itself is served.
	c.DocsPath = ""
	// No $schema fields or Link headers pointing at per-type schemas: the
	// OpenAPI document is the one description clients need.
	c.SchemasPath = ""
	c.CreateHooks = nil
	c.Formats = map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
	// A misspelt filter silently returning everything would be worse than an
	// error naming the parameter.
	c.RejectUnknownQueryParameters = true
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		schemeBearer: {
			Type: "http", Scheme: "bearer",
			Description: "An API token made in the web UI. Its scopes (`read`, `write`) limit what it may do; " +
				"its user's roles limit it further, exactly as in the UI.",
		},
		schemeSession: {
			Type: "apiKey", In: "cookie", Name: cmp.Or(s.SessionCookie, "session"),
			Description: "The web UI's session cookie, for same-origin requests from the signed-in browser.",
		},
	}
	c.Transformers = append(c.Transformers, s.scrubErrors)
	return c
}
