package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"atip/internal/database"
)

func TestCrossOriginPostIsRefused(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.signedIn("padmin")
	form := url.Values{"name": {"Forged org"}, "type": {"ahtu"}, "jurisdiction": {"IN"}}
	tests := []struct {
		name    string
		headers map[string]string
	}{
		{"cross-site fetch metadata", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
		{"foreign origin only", map[string]string{"Origin": "https://evil.example"}},
		{"same-site but other origin", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "https://sub.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.ts.URL+"/orgs", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			r := b.do(req)
			if r.status != http.StatusForbidden {
				t.Errorf("status %d, want 403", r.status)
			}
		})
	}
	if r := b.get("/orgs?q=Forged"); strings.Contains(r.body, "Forged org") {
		t.Error("a cross-origin post created an organisation")
	}
	// The same post from the site itself works.
	if r := b.post("/orgs", form); r.status != http.StatusSeeOther {
		t.Errorf("same-origin post: status %d\n%s", r.status, r.body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.browser()
	for _, path := range []string{"/login", "/nowhere", "/static/style.css"} {
		r := b.get(path)
		want := map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Frame-Options":         "DENY",
		}
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
		if r.header.Get("Permissions-Policy") == "" {
			t.Errorf("%s: no Permissions-Policy", path)
		}
		if r.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
	// Pages carry no inline script or style for the CSP to block.
	r := b.get("/login")
	for _, bad := range []string{"<script>", "style=", "<style", " onclick=", " onload="} {
		if strings.Contains(r.body, bad) {
			t.Errorf("login page contains %q", bad)
		}
	}
}

func TestSessionCookie(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.browser()
	r := b.post("/login", url.Values{"login": {"worker"}, "password": {testPassword}})
	c := cookieIn(r, "atip_session")
	if c == nil {
		t.Fatalf("no session cookie: %v", r.header)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, not Secure over HTTP, path /", c)
	}
}

// Behind a trusted TLS-terminating proxy the cookie is Secure with the
// __Host- prefix and HSTS is sent; an untrusted X-Forwarded-Proto is
// ignored.
func TestTrustProxy(t *testing.T) {
	for _, trust := range []bool{true, false} {
		e := newEnv(t, database.SQLite, func(c *Config) { c.TrustProxy = trust })
		b := e.browser()
		req, _ := http.NewRequest("POST", e.ts.URL+"/login", strings.NewReader(url.Values{"login": {"worker"}, "password": {testPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https")
		r := b.do(req)
		secure := cookieIn(r, "__Host-atip_session")
		plain := cookieIn(r, "atip_session")
		hsts := r.header.Get("Strict-Transport-Security") != ""
		if trust && (secure == nil || !secure.Secure || !hsts) {
			t.Errorf("trusted proxy: cookie %+v, HSTS %v", secure, hsts)
		}
		if !trust && (plain == nil || plain.Secure || hsts) {
			t.Errorf("untrusted header believed: cookie %+v, HSTS %v", plain, hsts)
		}
	}
}

func cookieIn(r response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t, database.SQLite, func(c *Config) { c.MaxBodyBytes = 4096 })
	b := e.signedIn("padmin")
	big := url.Values{"name": {strings.Repeat("x", 10000)}, "type": {"ahtu"}, "jurisdiction": {"IN"}}
	if r := b.post("/orgs", big); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("declared large body: status %d, want 413", r.status)
	}
	// A body without a declared length is cut off while reading.
	req, _ := http.NewRequest("POST", e.ts.URL+"/orgs", struct{ *strings.Reader }{strings.NewReader(big.Encode())})
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := b.do(req); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("streamed large body: status %d, want 413", r.status)
	}
}

func TestSignInRotatesTheSession(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.signedIn("worker")
	first := b.cookie("atip_session")
	b.signIn("worker")
	second := b.cookie("atip_session")
	if first == "" || first == second {
		t.Fatalf("session not rotated: %q then %q", first, second)
	}
	// The first token is dead.
	old := e.browser()
	u, _ := url.Parse(e.ts.URL)
	old.jar.SetCookies(u, []*http.Cookie{{Name: "atip_session", Value: first, Path: "/"}})
	if r := old.get("/account"); r.status != http.StatusSeeOther {
		t.Errorf("old session still works: status %d", r.status)
	}
}

func TestWrongPasswordShowsTheForm(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.browser()
	r := b.post("/login", url.Values{"login": {"worker"}, "password": {"not the password"}})
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "The login or password is wrong.") {
		t.Errorf("status %d\n%s", r.status, r.body)
	}
	if strings.Contains(r.body, "not the password") {
		t.Error("the page echoes the password")
	}
	if b.cookie("atip_session") != "" {
		t.Error("a failed sign-in set a session")
	}
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.browser()
	r := b.post("/login", url.Values{"login": {"worker"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if r.location() != "/" {
		t.Errorf("redirected to %q", r.location())
	}
	r = b.get("/orgs?type=cwc")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	anon := e.browser()
	r = anon.get("/orgs?type=cwc")
	if r.location() != "/login?next=%2Forgs%3Ftype%3Dcwc" {
		t.Errorf("sign-in redirect %q does not bring the user back", r.location())
	}
}

func TestFriendlyErrorPages(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.signedIn("worker")
	r := b.get("/no/such/page")
	if r.status != http.StatusNotFound || !strings.Contains(r.body, "Page not found") || !strings.Contains(r.body, `href="/orgs"`) {
		t.Errorf("404: status %d\n%s", r.status, r.body)
	}
	r = b.get("/audit")
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "Not allowed") {
		t.Errorf("403: status %d\n%s", r.status, r.body)
	}
	r = b.get("/orgs/00000000-0000-0000-0000-000000000000")
	if r.status != http.StatusNotFound {
		t.Errorf("unknown org: status %d", r.status)
	}
}

// The sign-in page with everything it loads stays far under 200 KB on the
// wire; the Indic fonts are fetched only for text in their script, so an
// English page loads none of them.
func TestFirstPageWeight(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.browser()
	get := func(path string) int {
		req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		r := b.do(req)
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, r.status)
		}
		return len(r.body)
	}
	page := b.get("/login")
	total := get("/login")
	assets := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page.body, -1)
	if len(assets) < 2 {
		t.Fatalf("found %d assets on the page", len(assets))
	}
	for _, m := range assets {
		p := strings.ReplaceAll(m[1], "&amp;", "&")
		if strings.Contains(p, "fonts/") {
			t.Errorf("English page loads a font directly: %s", p)
		}
		total += get(p)
	}
	if total > 200<<10 {
		t.Errorf("first page weighs %d bytes, want under 200 KB", total)
	}
	t.Logf("first page: %d bytes with %d assets", total, len(assets))
}

// Repeated failures lock the account for a while; the page says so with
// 429 and does not tell whether the password was right.
func TestRepeatedFailuresAreThrottled(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.browser()
	var r response
	for range 8 {
		r = b.post("/login", url.Values{"login": {"worker"}, "password": {"guess"}})
	}
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Too many failed attempts") {
		t.Errorf("after repeated failures: status %d", r.status)
	}
	r = b.post("/login", url.Values{"login": {"worker"}, "password": {testPassword}})
	if r.status != http.StatusTooManyRequests {
		t.Errorf("locked account with the right password: status %d", r.status)
	}
}

// A fault of ours is a generic 500 page; the detail goes to the log only.
func TestInternalErrorsShowAGenericPage(t *testing.T) {
	var logged strings.Builder
	e := newEnv(t, database.SQLite, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logged, nil)) })
	b := e.signedIn("padmin")
	e.db.Close()
	r := b.get("/orgs")
	if r.status != http.StatusInternalServerError || !strings.Contains(r.body, "Something went wrong on our side") {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	if strings.Contains(strings.ToLower(r.body), "sql") || strings.Contains(r.body, "closed") {
		t.Errorf("the page shows the internal error:\n%s", r.body)
	}
	if !strings.Contains(logged.String(), "level=ERROR") {
		t.Errorf("the fault was not logged:\n%s", logged.String())
	}
}
