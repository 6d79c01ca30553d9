// Package web serves ATIP's browser interface: server-rendered pages over the
// domain services, with sign-in, two-factor, organisations, users, the
// user's own account and the audit trail.
//
// It decides nothing about visibility itself: every route names the policy
// action it needs (checked with policy.CanSome before the handler runs), each
// handler asks policy.Can for the object at hand, and the services enforce
// the same rules again from the actor in the context.
//
// Invariants:
//   - every route is in one table (routeTable); a route is signed-in only
//     unless it says public, and the route tests are generated from the table;
//   - domain error codes become HTTP statuses in one function (status), and
//     a fault of ours shows a generic page, its detail going to the log only;
//   - templates hold no inline script or style, so the CSP can forbid them;
//   - request logs carry the route pattern, never the path or query.
package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"atip"
	"atip/internal/i18n"
	"atip/internal/policy"
)

// Config is what the web server needs. The services are required; API and
// Places are optional.
type Config struct {
	Orgs   atip.OrgService
	Users  atip.UserService
	Auth   atip.AuthService
	Tokens atip.TokenService
	Audit  atip.AuditService
	// Groups serves the sharing-group pages; nil answers them 404.
	Groups atip.GroupService
	// Tips is the tip service: the public reporting page, the triage
	// queue and networks.
	Tips atip.TipService
	// The record areas; nil answers their pages 404.
	Cases   atip.CaseService
	Sharing atip.SharingService
	Intake  atip.IntakeService
	Care    atip.CareService
	// Review is the identification review queue; nil answers its pages 404.
	Review atip.ReviewService

	// Places searches the gazetteer for the jurisdiction picker; nil means
	// a plain text field for the place code.
	Places PlaceFinder

	// API is mounted at /api/; nil means no API.
	API http.Handler

	Logger *slog.Logger

	// TLS says the server itself terminates TLS: cookies are Secure and
	// responses carry HSTS.
	TLS bool
	// TrustProxy says a reverse proxy in front terminates TLS and sets
	// X-Forwarded-Proto and X-Forwarded-For, which are then believed. Never
	// set it when clients can reach the server directly: they could forge
	// their address in the audit trail.
	TrustProxy bool

	// MaxBodyBytes limits request bodies (413 beyond); 0 means 1 MiB.
	MaxBodyBytes int64
}

// Place is a gazetteer entry as the jurisdiction picker shows it.
type Place struct {
	Code string
	Name string // full name with its parents, e.g. "Sindhupalchok, Bagmati, Nepal"
}

// PlaceFinder is the part of the gazetteer the pages use.
type PlaceFinder interface {
	// FindPlaces returns places whose name or alternate spelling starts
	// with prefix, at most limit.
	FindPlaces(prefix string, limit int) []Place
	// PlaceName returns a place's full name, "" when the code is unknown.
	PlaceName(code string) string
}

// Server is the web interface as an http.Handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	cat     *i18n.Catalog
	pages   *pages
	handler http.Handler
	routes  []route
	desk    *tipDesk
}

// access says who may reach a route at all.
type access int

const (
	// signedIn routes need a full session. It is the zero value, so that
	// a route is protected unless it says otherwise.
	signedIn access = iota
	// public routes need no session: sign-in, assets, health.
	public
	// secondFactor routes need a session whose password was checked and
	// that waits for a TOTP code (StageTOTP).
	secondFactor
	// enrolment routes need a session that must enrol in TOTP before going
	// further (StageEnrolTOTP).
	enrolment
)

// route is one entry of the route table: the only place that says who may
// reach what. A route with an action is refused (403) to users whose roles
// grant that action nowhere; the handler then checks the object itself.
type route struct {
	pattern string // ServeMux pattern with method, e.g. "GET /orgs/{id}"
	access  access
	action  policy.Action // "" when any signed-in user may come
	handle  handlerFunc
}

// handlerFunc is a page handler. It returns domain errors instead of
// writing them, so that errors become statuses in one place (Server.fail).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// New builds the server.
func New(cfg Config) (*Server, error) {
	if cfg.Orgs == nil || cfg.Users == nil || cfg.Auth == nil || cfg.Tokens == nil || cfg.Audit == nil || cfg.Tips == nil {
		return nil, fmt.Errorf("web: every service must be given")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, cat: cat, desk: newTipDesk()}
	if s.pages, err = loadPages(cat); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()

	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.gate(rt))
	}
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	if cfg.API != nil {
		mux.Handle("/api/", cfg.API)
	}
	// Anything else is a friendly 404 page, after the session is known so
	// that the page shows the right language and navigation.
	mux.Handle("/", s.gate(route{pattern: "/", access: public, handle: func(w http.ResponseWriter, r *http.Request) error {
		return atip.Errorf(atip.ENOTFOUND, "page not found")
	}}))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))

	var h http.Handler = mux
	h = s.loadSession(h)
	h = cop.Handler(h)
	h = s.limitBody(h)
	h = s.secureHeaders(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	s.handler = h
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routeTable lists every page route. Static assets and health are public
// by their own handlers above; everything here that is not marked public or
// part of sign-in needs a full session.
func (s *Server) routeTable() []route {
	rs := []route{
		{pattern: "GET /login", access: public, handle: s.loginPage},
		{pattern: "POST /login", access: public, handle: s.loginSubmit},
		{pattern: "POST /lang", access: public, handle: s.setLanguage},
		{pattern: "GET /login/code", access: secondFactor, handle: s.codePage},
		{pattern: "POST /login/code", access: secondFactor, handle: s.codeSubmit},
		{pattern: "GET /login/enrol", access: enrolment, handle: s.enrolPage},
		{pattern: "POST /login/enrol", access: enrolment, handle: s.enrolSubmit},
		{pattern: "POST /logout", access: public, handle: s.logout},

		{pattern: "GET /{$}", handle: s.home},

		{pattern: "GET /orgs", action: policy.OrgView, handle: s.orgList},
		{pattern: "GET /orgs/new", action: policy.OrgCreate, handle: s.orgNew},
		{pattern: "POST /orgs", action: policy.OrgCreate, handle: s.orgCreate},
		{pattern: "GET /orgs/{id}", action: policy.OrgView, handle: s.orgShow},
		{pattern: "POST /orgs/{id}", action: policy.OrgUpdate, handle: s.orgUpdate},
		{pattern: "GET /orgs/{id}/security", action: policy.SettingsEdit, handle: s.orgSecurity},
		{pattern: "POST /orgs/{id}/security", action: policy.SettingsEdit, handle: s.orgSecuritySave},
		{pattern: "GET /places", action: policy.OrgView, handle: s.placeSearch},
		{pattern: "GET /report", access: public, handle: s.reportForm},
		{pattern: "POST /report", access: public, handle: s.reportSubmit},
		{pattern: "GET /report/thanks", access: public, handle: s.reportThanks},
		{pattern: "GET /tips", action: policy.TipView, handle: s.tipList},
		{pattern: "GET /tips/new", action: policy.TipCreate, handle: s.tipNew},
		{pattern: "POST /tips", action: policy.TipCreate, handle: s.tipCreate},
		{pattern: "GET /tips/import", action: policy.TipCreate, handle: s.tipImportForm},
		{pattern: "POST /tips/import", action: policy.TipCreate, handle: s.tipImport},
		{pattern: "GET /tips/{id}", action: policy.TipView, handle: s.tipShow},
		{pattern: "POST /tips/{id}/assign", action: policy.TipTriage, handle: s.tipTriage(s.tipAssign)},
		{pattern: "POST /tips/{id}/feedback", action: policy.TipTriage, handle: s.tipTriage(s.tipFeedback)},
		{pattern: "POST /tips/{id}/actions", action: policy.TipTriage, handle: s.tipTriage(s.tipAction)},
		{pattern: "POST /tips/{id}/merge", action: policy.TipTriage, handle: s.tipTriage(s.tipMerge)},
		{pattern: "POST /tips/{id}/dismiss", action: policy.TipTriage, handle: s.tipTriage(s.tipDismiss)},
		{pattern: "GET /tips/{id}/network", action: policy.TipView, handle: s.tipNetwork},
		{pattern: "GET /tips/{id}/network.json", action: policy.TipView, handle: s.tipNetworkJSON},

		{pattern: "GET /users", action: policy.UserView, handle: s.userList},
		{pattern: "GET /users/new", action: policy.UserCreate, handle: s.userNew},
		{pattern: "POST /users", action: policy.UserCreate, handle: s.userCreate},
		{pattern: "GET /users/{id}", action: policy.UserView, handle: s.userShow},
		{pattern: "POST /users/{id}", action: policy.UserUpdate, handle: s.userUpdate},
		{pattern: "POST /users/{id}/disable", action: policy.UserUpdate, handle: s.userDisable},
		{pattern: "POST /users/{id}/enable", action: policy.UserUpdate, handle: s.userEnable},
		{pattern: "POST /users/{id}/password", action: policy.UserResetPass, handle: s.userResetPassword},

		{pattern: "GET /account", handle: s.account},
		{pattern: "POST /account/password", handle: s.accountPassword},
		{pattern: "GET /account/totp", handle: s.totpPage},
		{pattern: "POST /account/totp", handle: s.totpConfirm},
		{pattern: "POST /account/tokens", handle: s.tokenCreate},
		{pattern: "POST /account/tokens/{id}/revoke", handle: s.tokenRevoke},

		{pattern: "GET /audit", action: policy.AuditView, handle: s.auditList},
		{pattern: "GET /audit/export", action: policy.AuditExport, handle: s.auditExport},

		{pattern: "GET /groups", action: policy.GroupView, handle: s.groupList},
		{pattern: "GET /groups/new", action: policy.GroupManage, handle: s.groupNew},
		{pattern: "POST /groups", action: policy.GroupManage, handle: s.groupCreate},
		{pattern: "GET /groups/{id}", action: policy.GroupView, handle: s.groupShow},
		{pattern: "POST /groups/{id}/invite", action: policy.GroupManage, handle: s.groupInvite},
		{pattern: "POST /groups/{id}/answer", action: policy.GroupManage, handle: s.groupAnswer},
		{pattern: "POST /groups/{id}/expiry", action: policy.GroupManage, handle: s.groupExpiry},
	}
	for _, area := range routeAreas {
		rs = append(rs, area(s)...)
	}
	return rs
}

// routeAreas add the routes of one area of the application each (cases.go,
// sharing.go, …), registered from the area's file, so that the table stays
// one list without every area editing this file.
var routeAreas []func(*Server) []route

// cookieMaxAge is how long the browser keeps the session cookie. It only
// bounds the cookie: the auth service applies the real idle and absolute
// timeouts on every request, whatever the browser sends.
const cookieMaxAge = 24 * time.Hour
