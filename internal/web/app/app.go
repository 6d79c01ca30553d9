// Package app assembles the running ATIP: the database, the services on
// it, the web pages and the JSON API behind one HTTP listener. `atip serve`,
// `atip demo` and the end-to-end tests all start it the same way:
//
//	m := app.New(cfg)
//	err := m.Run(ctx) // opens, migrates, listens; returns once serving
//	defer m.Close()   // graceful shutdown, then the database
//
// Tests give Addr "127.0.0.1:0" and a database in a temporary directory.
package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
	"atip/internal/web"
)

// Config is everything `atip serve` can be told.
type Config struct {
	Addr         string // listen address, e.g. ":8080" or "127.0.0.1:0"
	DBURL        string // database URL or SQLite path
	DBOptions    []database.Option
	TLSCert      string // PEM certificate file; with TLSKey, serve HTTPS
	TLSKey       string
	TrustProxy   bool
	MaxBodyBytes int64
	// SessionIdle and SessionMax bound browser sessions (0: the store's
	// defaults).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// ShutdownTimeout is how long Close lets requests in flight finish.
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	Version         string
	// TipDeskOrg is the organisation (its id, or its exact name) that
	// receives tips from the public reporting page; "" means the page says
	// reports are not being accepted.
	TipDeskOrg string
	// Seed, when set, runs on the open database before the listener opens
	// (the demo's synthetic data, a test's fixtures).
	Seed func(ctx context.Context, db *database.DB) error
}

// Main is a running ATIP.
type Main struct {
	cfg    Config
	desk   string // the tip desk organisation's id
	log    *slog.Logger
	db     *database.DB
	srv    *http.Server
	ln     net.Listener
	url    string
	served chan error
}

// New returns a Main that Run will start.
func New(cfg Config) *Main {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 15 * time.Second
	}
	return &Main{cfg: cfg, log: cfg.Logger, served: make(chan error, 1)}
}

// Run opens the database (applying migrations), seeds it when asked,
// builds the handlers and starts listening. It returns once requests are
// being served, or with the error that stopped it from getting there.
func (m *Main) Run(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			m.Close()
		}
	}()
	if (m.cfg.TLSCert == "") != (m.cfg.TLSKey == "") {
		return errors.New("give both a TLS certificate and its key, or neither")
	}
	if m.db, err = database.Open(ctx, m.cfg.DBURL, m.cfg.DBOptions...); err != nil {
		return err
	}
	if m.cfg.Seed != nil {
		if err := m.cfg.Seed(atip.OperatorContext(ctx), m.db); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	if m.desk, err = m.tipDesk(ctx); err != nil {
		return err
	}
	h, err := m.handler()
	if err != nil {
		return err
	}
	useTLS := m.cfg.TLSCert != ""
	var tlsConfig *tls.Config
	if useTLS {
		cert, err := tls.LoadX509KeyPair(m.cfg.TLSCert, m.cfg.TLSKey)
		if err != nil {
			return fmt.Errorf("TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	m.srv = &http.Server{
		Handler:           h,
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // a CSV export of a long trail streams for a while
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
	}
	if m.ln, err = net.Listen("tcp", m.cfg.Addr); err != nil {
		return err
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
		m.ln = tls.NewListener(m.ln, tlsConfig)
	}
	m.url = scheme + "://" + displayAddr(m.ln.Addr())
	go func() {
		err := m.srv.Serve(m.ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		m.served <- err
	}()
	m.startSweeper(m.db)
	m.log.Info("serving", "url", m.url, "db_engine", string(m.db.Engine()), "tls", useTLS, "trust_proxy", m.cfg.TrustProxy)
	return nil
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return net.JoinHostPort("localhost", fmt.Sprint(tcp.Port))
	}
	return tcp.String()
}

func (m *Main) handler() (http.Handler, error) {
	svc := api.Services{
		Orgs:   database.NewOrgService(m.db),
		Users:  database.NewUserService(m.db),
		Auth:   database.NewAuthService(m.db, database.AuthConfig{SessionIdle: m.cfg.SessionIdle, SessionAbsolute: m.cfg.SessionMax, Logger: m.log}),
		Tokens: database.NewTokenService(m.db),
		Audit:  database.NewAuditService(m.db),
		Groups: database.NewGroupService(m.db),

		Cases:   database.NewCaseService(m.db),
		Sharing: database.NewSharingService(m.db),
		Intake:  database.NewIntakeService(m.db),
		Care:    database.NewCareService(m.db),
	}
	tips, err := database.NewTipService(m.db, m.desk)
	if err != nil {
		return nil, err
	}
	svc.Tips = tips
	secure := m.cfg.TLSCert != ""
	apiHandler := api.New(api.Config{Services: svc, Version: m.cfg.Version, SessionCookie: web.SessionCookieName(secure), Logger: m.log})
	return web.New(web.Config{
		Orgs: svc.Orgs, Users: svc.Users, Auth: svc.Auth, Tokens: svc.Tokens, Audit: svc.Audit, Groups: svc.Groups, Tips: tips,
		Cases: svc.Cases, Sharing: svc.Sharing, Intake: svc.Intake, Care: svc.Care,
		Review:       database.NewReviewService(m.db),
		Places:       web.Gazetteer{},
		API:          apiHandler,
		Logger:       m.log,
		TLS:          secure,
		TrustProxy:   m.cfg.TrustProxy,
		MaxBodyBytes: m.cfg.MaxBodyBytes,
	})
}

// tipDesk resolves the configured tip desk to an organisation id: an id,
// or an organisation's exact name. An unknown one stops the start: public
// tips must not go nowhere.
func (m *Main) tipDesk(ctx context.Context) (string, error) {
	want := m.cfg.TipDeskOrg
	if want == "" {
		return "", nil
	}
	op := atip.OperatorContext(ctx)
	orgs := database.NewOrgService(m.db)
	if o, err := orgs.FindOrgByID(op, want); err == nil {
		return o.ID, nil
	}
	found, _, err := orgs.FindOrgs(op, atip.OrgFilter{Query: want, Limit: 20})
	if err != nil {
		return "", err
	}
	for _, o := range found {
		if o.Name == want {
			return o.ID, nil
		}
	}
	return "", fmt.Errorf("tip desk organisation %q not found", want)
}

// URL is where the server answers, e.g. "http://127.0.0.1:43117".
func (m *Main) URL() string { return m.url }

// DB is the open database (for seeding and inspection in tests).
func (m *Main) DB() *database.DB { return m.db }

// Done reports the server stopping by itself (the listener failed); nil
// after Close.
func (m *Main) Done() <-chan error { return m.served }

// Close stops accepting requests, lets those in flight finish within the
// shutdown timeout, and closes the database. It is safe to call twice.
func (m *Main) Close() error {
	var errs []error
	m.stopSweeper()
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.cfg.ShutdownTimeout)
		defer cancel()
		if err := m.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
		m.srv = nil
	} else if m.ln != nil {
		m.ln.Close()
	}
	if m.db != nil {
		if err := m.db.Close(); err != nil {
			errs = append(errs, err)
		}
		m.db = nil
	}
	return errors.Join(errs...)
}
