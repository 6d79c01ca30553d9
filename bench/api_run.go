package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/web"
	"atip/internal/web/app"
)

// APIConfig describes one load run of the API and page benchmark.
type APIConfig struct {
	DBURL     string            // SQLite file path or postgres:// URL of an empty database
	DBOptions []database.Option // e.g. the audit key file
	Records   int               // records to seed (organisations and users)
	Load      Load
	Pages     bool // also measure server-rendered pages with a browser session
	// Progress, if set, is told what the run is doing.
	Progress func(format string, args ...any)
}

// Bench user credentials. The password is only for the synthetic admin of a
// throw-away benchmark database.
const (
	benchLogin    = "bench.admin"
	benchPassword = "bench admin password, not a secret"
)

// APIRun is a started server with its seeded data and credentials.
type APIRun struct {
	main    *app.Main
	Seeded  *Seeded
	Token   string // API token (read) of a platform admin
	Session string // browser session cookie value of the same admin
	Cookie  string // the session cookie's name
	Took    time.Duration
}

// StartAPI opens the database, seeds it and starts the whole server (pages
// and API behind one listener, as `atip serve` runs) on a loopback port.
func StartAPI(ctx context.Context, cfg APIConfig) (*APIRun, error) {
	progress := cfg.Progress
	if progress == nil {
		progress = func(string, ...any) {}
	}
	run := &APIRun{Cookie: web.SessionCookieName(false)}
	var admin *atip.User
	seed := func(ctx context.Context, db *database.DB) error {
		t0 := time.Now()
		s, err := SeedRecords(ctx, db, cfg.Records)
		if err != nil {
			return err
		}
		run.Seeded, run.Took = s, time.Since(t0)
		progress("seeded %d records in %v", s.Records(), run.Took.Round(time.Millisecond))
		org := &atip.Org{Name: "Bench Platform Team", Type: atip.OrgGovernment, Jurisdiction: "IN"}
		if err := database.NewOrgService(db).CreateOrg(ctx, org); err != nil {
			return err
		}
		admin = &atip.User{OrgID: org.ID, Login: benchLogin, Name: "Bench Admin", Roles: []atip.Role{atip.RolePlatformAdmin}}
		return database.NewUserService(db).CreateUser(ctx, admin, benchPassword)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	run.main = app.New(app.Config{
		Addr: "127.0.0.1:0", DBURL: cfg.DBURL, DBOptions: cfg.DBOptions, Seed: seed, Logger: quiet, Version: "bench",
		ShutdownTimeout: 5 * time.Second,
	})
	if err := run.main.Run(ctx); err != nil {
		return nil, err
	}
	db := run.main.DB()
	actx := atip.NewContextWithActor(ctx, &atip.Actor{User: admin, Via: atip.ViaWeb, RemoteAddr: "127.0.0.1"})
	secret, _, err := database.NewTokenService(db).CreateToken(actx, "bench", []string{"read"}, time.Now().Add(24*time.Hour))
	if err != nil {
		run.Close()
		return nil, fmt.Errorf("create token: %w", err)
	}
	run.Token = secret
	if cfg.Pages {
		tok, sess, err := database.NewAuthService(db, database.AuthConfig{}).Login(ctx, benchLogin, benchPassword)
		if err != nil {
			run.Close()
			return nil, fmt.Errorf("sign in: %w", err)
		}
		if sess.Stage != atip.StageFull {
			run.Close()
			return nil, fmt.Errorf("sign in stopped at stage %s", sess.Stage)
		}
		run.Session = tok
	}
	return run, nil
}

// URL is the server's base URL.
func (r *APIRun) URL() string { return r.main.URL() }

// Close stops the server and closes the database.
func (r *APIRun) Close() error { return r.main.Close() }

// APIRequests are the authenticated API reads measured: single records
// picked at random among the 100,000, pages of lists, and the caller.
func (r *APIRun) APIRequests() []Request {
	h := http.Header{"Authorization": {"Bearer " + r.Token}, "Accept": {"application/json"}}
	s := r.Seeded
	return []Request{
		{Name: "api get user", Want: 200, Header: h, Path: func(rnd *rand.Rand) string {
			return "/api/v1/users/" + s.UserIDs[rnd.IntN(len(s.UserIDs))]
		}},
		{Name: "api get org", Want: 200, Header: h, Path: func(rnd *rand.Rand) string {
			return "/api/v1/orgs/" + s.OrgIDs[rnd.IntN(len(s.OrgIDs))]
		}},
		{Name: "api list users of org", Want: 200, Header: h, Path: func(rnd *rand.Rand) string {
			return "/api/v1/users?limit=50&org_id=" + s.OrgIDs[rnd.IntN(len(s.OrgIDs))]
		}},
		{Name: "api list orgs by type", Want: 200, Header: h, Path: func(rnd *rand.Rand) string {
			return "/api/v1/orgs?limit=50&type=" + url.QueryEscape(string(atip.OrgTypes[rnd.IntN(len(atip.OrgTypes))]))
		}},
		{Name: "api me", Want: 200, Header: h, Path: func(*rand.Rand) string { return "/api/v1/me" }},
	}
}

// PageRequests are server-rendered pages as a signed-in browser gets them.
func (r *APIRun) PageRequests() []Request {
	h := http.Header{"Cookie": {r.Cookie + "=" + r.Session}, "Accept": {"text/html"}}
	s := r.Seeded
	return []Request{
		{Name: "page user", Want: 200, Header: h, Path: func(rnd *rand.Rand) string {
			return "/users/" + s.UserIDs[rnd.IntN(len(s.UserIDs))]
		}},
		{Name: "page org", Want: 200, Header: h, Path: func(rnd *rand.Rand) string {
			return "/orgs/" + s.OrgIDs[rnd.IntN(len(s.OrgIDs))]
		}},
		{Name: "page org list", Want: 200, Header: h, Path: func(*rand.Rand) string { return "/orgs" }},
	}
}

// RunAPIBench starts the server, seeds it, and measures every request kind
// one after another under the same load, calling report with each result.
func RunAPIBench(ctx context.Context, cfg APIConfig, report func(Result)) error {
	run, err := StartAPI(ctx, cfg)
	if err != nil {
		return err
	}
	defer run.Close()
	reqs := run.APIRequests()
	if cfg.Pages {
		reqs = append(reqs, run.PageRequests()...)
	}
	client := NewClient(cfg.Load.Concurrency)
	defer client.CloseIdleConnections()
	for _, req := range reqs {
		res, err := Run(ctx, client, run.URL(), req, cfg.Load)
		if err != nil {
			return err
		}
		report(res)
	}
	return nil
}
