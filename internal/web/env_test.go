package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// testPassword is every fixture user's password.
const testPassword = "correct horse battery staple"

// env is a web server on a real, freshly migrated database with two
// organisations and a user for each role that matters.
type env struct {
	t     testing.TB
	db    *database.DB
	srv   *Server
	ts    *httptest.Server
	orgs  atip.OrgService
	users atip.UserService
	auth  atip.AuthService
	orgA  *atip.Org // an AHTU in Bihar
	orgB  *atip.Org // a CWC in Nepal
	user  map[string]*atip.User
}

// fixtureUsers are created in every env: login → organisation ("A" or "B")
// and roles.
var fixtureUsers = []struct {
	login string
	org   string
	roles []atip.Role
}{
	{"padmin", "A", []atip.Role{atip.RolePlatformAdmin}},
	{"oadmin", "A", []atip.Role{atip.RoleOrgAdmin}},
	{"worker", "A", []atip.Role{atip.RoleCaseworker}},
	{"bworker", "B", []atip.Role{atip.RoleCaseworker}},
	{"auditor", "B", []atip.Role{atip.RoleAuditor}},
}

func newEnv(t testing.TB, engine database.Engine, opts ...func(*Config)) *env {
	t.Helper()
	db := dbtest.Open(t, engine)
	return newEnvOn(t, db, opts...)
}

func newEnvOn(t testing.TB, db *database.DB, opts ...func(*Config)) *env {
	t.Helper()
	e := &env{
		t: t, db: db,
		orgs:  database.NewOrgService(db),
		users: database.NewUserService(db),
		auth:  database.NewAuthService(db, database.AuthConfig{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}),
		user:  map[string]*atip.User{},
	}
	ctx := atip.OperatorContext(context.Background())
	e.orgA = &atip.Org{Name: "AHTU Sitamarhi", Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}
	e.orgB = &atip.Org{Name: "CWC Kathmandu", Type: atip.OrgCWC, Jurisdiction: "NP"}
	for _, o := range []*atip.Org{e.orgA, e.orgB} {
		if err := e.orgs.CreateOrg(ctx, o); err != nil {
			t.Fatalf("create org: %v", err)
		}
	}
	for _, fu := range fixtureUsers {
		u := &atip.User{OrgID: e.orgA.ID, Login: fu.login, Name: "Test " + fu.login, Roles: fu.roles, Lang: "en"}
		if fu.org == "B" {
			u.OrgID = e.orgB.ID
		}
		if err := e.users.CreateUser(ctx, u, testPassword); err != nil {
			t.Fatalf("create user %s: %v", fu.login, err)
		}
		e.user[fu.login] = u
	}
	cfg := Config{
		Orgs: e.orgs, Users: e.users, Auth: e.auth,
		Tokens: database.NewTokenService(db), Audit: database.NewAuditService(db),
		Places: Gazetteer{}, Tips: newTipService(t, db, e.orgA.ID),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	return e
}

// browser is a client with a cookie jar that does not follow redirects, so
// that tests see each redirect.
type browser struct {
	e   *env
	c   *http.Client
	jar http.CookieJar
}

func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &browser{e: e, jar: jar, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is what a test looks at: status, headers and the body as text.
type response struct {
	status int
	header http.Header
	body   string
}

func (r response) location() string { return r.header.Get("Location") }

func (b *browser) do(req *http.Request) response {
	b.e.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (b *browser) get(path string) response {
	b.e.t.Helper()
	req, err := http.NewRequest("GET", b.e.ts.URL+path, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form as a same-origin browser would.
func (b *browser) post(path string, form url.Values) response {
	b.e.t.Helper()
	req, err := http.NewRequest("POST", b.e.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// cookie returns the value of the named cookie the browser holds.
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.ts.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// signIn signs the browser in with the fixture password and expects the
// redirect that follows a password without a second factor.
func (b *browser) signIn(login string) {
	b.e.t.Helper()
	r := b.post("/login", url.Values{"login": {login}, "password": {testPassword}, "next": {"/"}})
	if r.status != http.StatusSeeOther || r.location() != "/" {
		b.e.t.Fatalf("sign in %s: status %d to %q\n%s", login, r.status, r.location(), r.body)
	}
}

// signedIn returns a new browser signed in as login.
func (e *env) signedIn(login string) *browser {
	b := e.browser()
	b.signIn(login)
	return b
}

// totp computes the RFC 6238 code (SHA-1, 30 s, 6 digits) for a base32
// secret at time t: the test's own implementation, independent of the
// store's, so that a mistake on either side shows.
func totp(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		t.Fatalf("TOTP secret %q: %v", secret, err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000)
}

// find returns the first submatch of pattern in s, failing the test when
// there is none.
func find(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s in:\n%s", pattern, s)
	}
	return m[1]
}
