package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
)

// Two `atip serve` processes behind one proxy, on one database: a client
// sending reports to either gets one limit between them, five at once
// then refused, on both engines.
func TestPublicReportRateLimitSharedByTwoServers(t *testing.T) {
	for _, eng := range dbtest.Engines {
		t.Run(string(eng), func(t *testing.T) {
			u, keyFile := dbtest.NewURL(t, eng)
			open := func() *database.DB {
				db, err := database.Open(t.Context(), u, database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(keyFile),
					database.WithKeyring(dbtest.Keyring(t)))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			one := newEnvOn(t, open())
			one.srv.desk.minFill = 0
			// The second process: its own database handle, services and
			// server, on the same database.
			dbTwo := open()
			cfg := one.srv.cfg
			cfg.Orgs, cfg.Users = database.NewOrgService(dbTwo), database.NewUserService(dbTwo)
			cfg.Auth = database.NewAuthService(dbTwo, database.AuthConfig{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			cfg.Tokens, cfg.Audit = database.NewTokenService(dbTwo), database.NewAuditService(dbTwo)
			cfg.Tips = newTipService(t, dbTwo, one.orgA.ID)
			srv, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			srv.desk.minFill = 0
			two := &env{t: t, db: dbTwo, srv: srv, ts: httptest.NewServer(srv), orgA: one.orgA, orgB: one.orgB, user: one.user}
			t.Cleanup(two.ts.Close)

			browsers := []*browser{one.browser(), two.browser()}
			got := map[int]int{}
			for i := range 7 {
				got[browsers[i%2].report(url.Values{"text": {"a job offer that looks wrong"}}).status]++
			}
			if got[http.StatusSeeOther] != 5 || got[http.StatusTooManyRequests] != 2 {
				t.Fatalf("statuses over two servers %v, want 5 accepted and then 429", got)
			}
		})
	}
}
