package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"atip"
	"atip/internal/database"
	"atip/internal/deconflict"
	"atip/internal/demo"
	"atip/internal/seal"
	"atip/internal/web/app"
)

const demoUsage = `Usage: atip demo [flags]

Starts ATIP on http://localhost:8080 with clearly synthetic demo data: a
throw-away SQLite database in a temporary directory (removed on exit),
migrated and seeded with demo organisations and a user of every role, whose
logins and passwords are printed. It serves exactly as atip serve does.

The demo never uses ATIP_DB: seeding a real database with demo accounts
would be a security hole. Give --db to keep the demo database between runs;
seeding is idempotent.

  --addr ADDR              listen address (ATIP_ADDR; default :8080)
  --db PATH                SQLite file (or postgres:// URL) for the demo;
                           default: a new file in a temporary directory
  --log-format text|json   log format (ATIP_LOG_FORMAT; default text)
  --log-level LEVEL        debug, info, warn or error (ATIP_LOG_LEVEL; default info)

The other flags of atip serve (TLS, proxy, timeouts) are accepted too.`

func init() {
	register(&command{
		name:    "demo",
		summary: "run the web app on synthetic demo data and print the demo logins",
		usage:   demoUsage,
		run:     runDemo,
	})
}

func runDemo(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sf, err := addServeFlags(fs, env)
	if err != nil {
		return err
	}
	dbURL := fs.String("db", "", "demo database; default a new SQLite file in a temporary directory")
	if err := fs.Parse(args); err != nil {
		return usageError("%v", err)
	}
	if fs.NArg() > 0 {
		return usageError("demo takes no arguments, only flags")
	}
	if err := sf.check(); err != nil {
		return err
	}
	log, err := sf.logger(env.stderr)
	if err != nil {
		return err
	}
	cfg := sf.appConfig(log)
	cfg.DBURL = *dbURL
	if cfg.DBURL == "" {
		dir, err := os.MkdirTemp("", "atip-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.DBURL = filepath.Join(dir, "atip-demo.db")
		cfg.DBOptions = []database.Option{database.WithAuditKeyFile(filepath.Join(dir, "audit.key"))}
	}
	kr, tk, err := demoKeys(env, cfg.DBURL)
	if err != nil {
		return err
	}
	cfg.DBOptions = append(cfg.DBOptions, database.WithKeyring(kr), database.WithTokenizer(tk))
	var logins []demo.Login
	cfg.Seed = func(ctx context.Context, db *database.DB) error {
		if logins, err = demo.Seed(ctx, db); err != nil {
			return err
		}
		if err := demo.SeedTips(ctx, db); err != nil {
			return err
		}
		if err := demo.SeedCases(ctx, db); err != nil {
			return err
		}
		return demo.SeedIntake(ctx, db)
	}
	if cfg.TipDeskOrg == "" {
		cfg.TipDeskOrg = demo.TipDeskOrg
	}
	m := app.New(cfg)
	if err := m.Run(ctx); err != nil {
		return err
	}
	printDemoLogins(env.stdout, m.URL(), logins)
	return runUntilSignal(ctx, m, log)
}

func printDemoLogins(w io.Writer, url string, logins []demo.Login) {
	fmt.Fprintf(w, "\nATIP demo running at %s — synthetic data only; stop with Ctrl-C.\n\n", url)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tPASSWORD\tROLES\tORGANISATION")
	var totp []demo.Login
	for _, l := range logins {
		roles := make([]string, len(l.Roles))
		for i, r := range l.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Login, l.Password, strings.Join(roles, ","), l.Org)
		if l.TOTPSecret != "" {
			totp = append(totp, l)
		}
	}
	tw.Flush()
	for _, l := range totp {
		fmt.Fprintf(w, "\n%s signs in with two-factor: add the key %s to an authenticator app (TOTP, 30 s, 6 digits).\n", l.Login, l.TOTPSecret)
	}
	fmt.Fprintf(w, "\nThe auditor (%s) reads the audit trail; the platform admin manages organisations and users.\n", auditorOf(logins))
	fmt.Fprintf(w, "Anyone may report a tip at %s/report; demo.analyst triages them under Tips (synthetic tips are seeded).\n", url)
}

func auditorOf(logins []demo.Login) string {
	for _, l := range logins {
		for _, r := range l.Roles {
			if r == atip.RoleAuditor {
				return l.Login
			}
		}
	}
	return "none"
}

// demoKeys are the demo's master keyring and deconfliction tokenizer: from
// ATIP_MASTER_KEY(_FILE) and ATIP_DECONFLICT_KEY(_FILE) when set, else keys
// kept beside the demo database (created on first use), so that a demo kept
// with --db opens its records again on the next run.
func demoKeys(env *cmdEnv, dbURL string) (*seal.Keyring, *deconflict.Tokenizer, error) {
	var kr *seal.Keyring
	var tk *deconflict.Tokenizer
	var err error
	if env.getenv(seal.EnvKeyFile) != "" || env.getenv(seal.EnvKey) != "" {
		kr, err = seal.FromEnv(env.getenv)
	} else {
		var key string
		if key, err = demoSecret(env, dbURL, "master"); err == nil {
			kr, err = seal.ParseKeys(key)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if env.getenv(deconflict.EnvKeyFile) != "" || env.getenv(deconflict.EnvKey) != "" {
		tk, err = deconflict.TokenizerFromEnv(env.getenv)
	} else {
		var key string
		if key, err = demoSecret(env, dbURL, "deconflict"); err == nil {
			tk, err = deconflict.TokenizerFromEnv(func(name string) string {
				if name == deconflict.EnvKey {
					return key
				}
				return ""
			})
		}
	}
	return kr, tk, err
}

// demoSecret returns the demo's key named what, kept in a file beside the
// SQLite database and created on first use.
func demoSecret(env *cmdEnv, dbURL, what string) (string, error) {
	if strings.Contains(dbURL, "://") {
		return "", fmt.Errorf("a PostgreSQL demo needs ATIP_MASTER_KEY_FILE and ATIP_DECONFLICT_KEY_FILE")
	}
	path := dbURL + "." + what + ".key"
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		b = []byte(seal.GenerateKey() + "\n")
		err = writeFileAtomicallyMode(env, path, 0o600, func(w io.Writer) error { _, err := w.Write(b); return err })
	}
	if err != nil {
		return "", fmt.Errorf("demo %s key: %w", what, err)
	}
	return strings.TrimSpace(string(b)), nil
}
