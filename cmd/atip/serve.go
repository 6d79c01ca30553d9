package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"atip/internal/database"
	"atip/internal/deconflict"
	"atip/internal/seal"
	"atip/internal/web/app"
)

const serveUsage = `Usage: atip serve [flags]

Serves the web interface and the JSON API (under /api/v1) on one address.
Applies pending database migrations at start-up, and refuses to start on a
schema newer than this binary. Stops gracefully on SIGTERM or SIGINT: new
connections are refused and requests in flight get --shutdown-timeout to
finish.

Every flag has an environment variable; a flag given on the command line
wins over the variable.

  --addr ADDR              listen address (ATIP_ADDR; default :8080)
  --db URL                 database: a SQLite file path (sqlite:PATH) or a
                           postgres:// URL (ATIP_DB; default atip.db)
  --audit-key FILE         audit checkpoint signing key (ATIP_AUDIT_KEY_FILE;
                           default beside the SQLite file)
  --log-format text|json   log format (ATIP_LOG_FORMAT; default text)
  --log-level LEVEL        debug, info, warn or error (ATIP_LOG_LEVEL; default info)
  --tls-cert FILE          PEM certificate; with --tls-key, serve HTTPS
                           (ATIP_TLS_CERT)
  --tls-key FILE           PEM private key (ATIP_TLS_KEY)
  --trust-proxy            a reverse proxy in front terminates TLS: believe its
                           X-Forwarded-Proto and X-Forwarded-For (ATIP_TRUST_PROXY;
                           default false). Set it only when clients cannot reach
                           atip directly, or they could forge their address.
  --session-idle DURATION  end a browser session unused this long
                           (ATIP_SESSION_IDLE; default: the store's, 30m)
  --session-max DURATION   end a browser session this long after sign-in,
                           however active (ATIP_SESSION_MAX; default: the store's, 12h)
  --max-body BYTES         largest request body; larger ones get 413
                           (ATIP_MAX_BODY; default 1048576)
  --shutdown-timeout DURATION
                           time for requests in flight at shutdown
                           (ATIP_SHUTDOWN_TIMEOUT; default 15s)
  --tip-desk-org ORG       the organisation (id or exact name) that receives
                           tips from the public page /report (ATIP_TIP_DESK_ORG;
                           default none: the page says reports are not accepted)

Logs go to standard error, one line per request with the method, the route
pattern, the status and the duration; never query strings or form values.

Behind a reverse proxy (nginx, Caddy, a load balancer): let the proxy
terminate TLS, forward to atip on a private address, keep the Host header,
set X-Forwarded-Proto and X-Forwarded-For, and start atip with --trust-proxy.
Cookies are then marked Secure and HSTS is sent. Cross-origin form posts are
refused (CSRF protection compares the browser's Origin with the Host).`

// serveFlags are the flags serve and demo share.
type serveFlags struct {
	addr            string
	logFormat       string
	logLevel        string
	tlsCert, tlsKey string
	trustProxy      bool
	sessionIdle     time.Duration
	sessionMax      time.Duration
	maxBody         int64
	shutdownTimeout time.Duration
	tipDesk         string
}

// envDefaults reads the ATIP_* variables that give the flags their
// defaults; a malformed value is a usage error naming the variable.
func addServeFlags(fs *flag.FlagSet, env *cmdEnv) (*serveFlags, error) {
	f := &serveFlags{}
	get := func(name, def string) string {
		if v := env.getenv(name); v != "" {
			return v
		}
		return def
	}
	var err error
	dur := func(name string, def time.Duration) time.Duration {
		s := env.getenv(name)
		if s == "" {
			return def
		}
		d, perr := time.ParseDuration(s)
		if perr != nil || d < 0 {
			err = usageError("%s: %q is not a duration such as 30m or 12h", name, s)
		}
		return d
	}
	fs.StringVar(&f.addr, "addr", get("ATIP_ADDR", ":8080"), "listen address (env ATIP_ADDR)")
	fs.StringVar(&f.logFormat, "log-format", get("ATIP_LOG_FORMAT", "text"), "log format, text or json (env ATIP_LOG_FORMAT)")
	fs.StringVar(&f.logLevel, "log-level", get("ATIP_LOG_LEVEL", "info"), "debug, info, warn or error (env ATIP_LOG_LEVEL)")
	fs.StringVar(&f.tlsCert, "tls-cert", get("ATIP_TLS_CERT", ""), "PEM certificate file (env ATIP_TLS_CERT)")
	fs.StringVar(&f.tlsKey, "tls-key", get("ATIP_TLS_KEY", ""), "PEM key file (env ATIP_TLS_KEY)")
	trust := false
	if s := env.getenv("ATIP_TRUST_PROXY"); s != "" {
		b, perr := strconv.ParseBool(s)
		if perr != nil {
			err = usageError("ATIP_TRUST_PROXY: %q is not true or false", s)
		}
		trust = b
	}
	fs.BoolVar(&f.trustProxy, "trust-proxy", trust, "believe X-Forwarded-Proto/For from a reverse proxy (env ATIP_TRUST_PROXY)")
	fs.DurationVar(&f.sessionIdle, "session-idle", dur("ATIP_SESSION_IDLE", 0), "idle timeout of browser sessions (env ATIP_SESSION_IDLE)")
	fs.DurationVar(&f.sessionMax, "session-max", dur("ATIP_SESSION_MAX", 0), "absolute timeout of browser sessions (env ATIP_SESSION_MAX)")
	maxBody := int64(1 << 20)
	if s := env.getenv("ATIP_MAX_BODY"); s != "" {
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil || n <= 0 {
			err = usageError("ATIP_MAX_BODY: %q is not a positive number of bytes", s)
		}
		maxBody = n
	}
	fs.StringVar(&f.tipDesk, "tip-desk-org", get("ATIP_TIP_DESK_ORG", ""), "organisation receiving public tips (env ATIP_TIP_DESK_ORG)")
	fs.Int64Var(&f.maxBody, "max-body", maxBody, "largest request body in bytes (env ATIP_MAX_BODY)")
	fs.DurationVar(&f.shutdownTimeout, "shutdown-timeout", dur("ATIP_SHUTDOWN_TIMEOUT", 15*time.Second), "time for requests in flight at shutdown (env ATIP_SHUTDOWN_TIMEOUT)")
	return f, err
}

// logger builds the slog logger the flags ask for.
func (f *serveFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, usageError("--log-level: %q is not debug, info, warn or error", f.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(f.logFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError("--log-format: %q is not text or json", f.logFormat)
}

func (f *serveFlags) check() error {
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usageError("--tls-cert and --tls-key go together")
	}
	if f.maxBody <= 0 {
		return usageError("--max-body must be positive")
	}
	if f.sessionIdle < 0 || f.sessionMax < 0 {
		return usageError("session timeouts must not be negative")
	}
	return nil
}

// appConfig turns the flags into the app's configuration.
func (f *serveFlags) appConfig(log *slog.Logger) app.Config {
	return app.Config{
		Addr: f.addr, TLSCert: f.tlsCert, TLSKey: f.tlsKey, TrustProxy: f.trustProxy,
		MaxBodyBytes: f.maxBody, SessionIdle: f.sessionIdle, SessionMax: f.sessionMax,
		ShutdownTimeout: f.shutdownTimeout, Logger: log, Version: versionString(),
		TipDeskOrg: f.tipDesk,
	}
}

// dbOptions are the database options the --audit-key flag asks for.
func dbOptions(env *cmdEnv, c *dbConfig) ([]database.Option, error) {
	var opts []database.Option
	if c.keyFile != "" {
		opts = append(opts, database.WithAuditKeyFile(c.keyFile))
	}
	// The master keyring seals two-factor secrets and every record's personal
	// data; without it the server runs, but refuses to store personal data.
	if env.getenv(seal.EnvKeyFile) != "" || env.getenv(seal.EnvKey) != "" {
		kr, err := seal.FromEnv(env.getenv)
		if err != nil {
			return nil, err
		}
		opts = append(opts, database.WithKeyring(kr))
	}
	// The deconfliction key makes selector tokens and the blind index of
	// protected names; without it neither is made.
	if env.getenv(deconflict.EnvKeyFile) != "" || env.getenv(deconflict.EnvKey) != "" {
		tk, err := deconflict.TokenizerFromEnv(env.getenv)
		if err != nil {
			return nil, err
		}
		opts = append(opts, database.WithTokenizer(tk))
	}
	return opts, nil
}

// runUntilSignal runs m until ctx ends (SIGTERM or SIGINT, see main) or the
// server fails, then shuts it down gracefully.
func runUntilSignal(ctx context.Context, m *app.Main, log *slog.Logger) error {
	select {
	case <-ctx.Done():
		log.Info("shutting down")
		return m.Close()
	case err := <-m.Done():
		m.Close()
		if err != nil {
			return fmt.Errorf("server stopped: %w", err)
		}
		return nil
	}
}

func init() {
	register(&command{
		name:    "serve",
		summary: "serve the web interface and the JSON API",
		usage:   serveUsage,
		run: func(ctx context.Context, env *cmdEnv, args []string) error {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			sf, err := addServeFlags(fs, env)
			if err != nil {
				return err
			}
			db := addDBFlags(fs, env)
			if err := fs.Parse(args); err != nil {
				return usageError("%v", err)
			}
			if fs.NArg() > 0 {
				return usageError("serve takes no arguments, only flags")
			}
			if err := sf.check(); err != nil {
				return err
			}
			log, err := sf.logger(env.stderr)
			if err != nil {
				return err
			}
			cfg := sf.appConfig(log)
			cfg.DBURL = db.url
			if cfg.DBOptions, err = dbOptions(env, db); err != nil {
				return err
			}
			m := app.New(cfg)
			if err := m.Run(ctx); err != nil {
				return err
			}
			return runUntilSignal(ctx, m, log)
		},
	})
}
