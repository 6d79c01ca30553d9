// Package e2e drives the whole of ATIP — database, services, web pages —
// through a real browser: Debian's chromium, headless, started by chromedp.
// It asserts what a person sees on the screen.
package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atip"
	"atip/internal/database"
	"atip/internal/password"
	"atip/internal/web/app"
)

const chromiumPath = "/usr/bin/chromium"

// Fixture accounts: a platform admin whose role requires two-factor, and an
// auditor who reads the trail.
const (
	adminLogin    = "admin@e2e.example"
	auditorLogin  = "auditor@e2e.example"
	fixturePass   = "a long e2e password"
	newOrgName    = "Maiti Shelter Birgunj (E2E)"
	newUserLogin  = "caseworker@e2e.example"
	newUserName   = "Sunita E2E"
	newUserPass   = "another long password"
	phoneWidth    = 360
	phoneHeight   = 740
	desktopWidth  = 1280
	desktopHeight = 900
)

func seed(ctx context.Context, db *database.DB) error {
	org := &atip.Org{Name: "Platform Operations (E2E)", Type: atip.OrgGovernment, Jurisdiction: "IN"}
	if err := database.NewOrgService(db).CreateOrg(ctx, org); err != nil {
		return err
	}
	users := database.NewUserService(db)
	for _, u := range []*atip.User{
		{OrgID: org.ID, Login: adminLogin, Name: "Asha Admin", Roles: []atip.Role{atip.RolePlatformAdmin}, Lang: "en"},
		{OrgID: org.ID, Login: auditorLogin, Name: "Arjun Auditor", Roles: []atip.Role{atip.RoleAuditor}, Lang: "en"},
	} {
		if err := users.CreateUser(ctx, u, fixturePass); err != nil {
			return err
		}
	}
	return database.NewAuthService(db, database.AuthConfig{}).SetTOTPRequiredRoles(ctx, org.ID, []atip.Role{atip.RolePlatformAdmin})
}

// browser starts chromium, or skips the test when it is absent (and fails
// under CI, which must not pass by testing less).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is required under CI=true: %v", err)
		}
		t.Skipf("chromium not installed at %s", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(desktopWidth, desktopHeight),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// run runs browser steps, each with a time limit, failing the test with a
// screenshot path to look at when one fails.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		t.Fatalf("%s: %v\npage:\n%s", what, err, html)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// totpCode computes the RFC 6238 code for a base32 secret at time at.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(strings.TrimSpace(secret), "=")))
	if err != nil {
		t.Fatalf("TOTP secret: %v", err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:off+4])&0x7fffffff)%1_000_000)
}

// waitClearOfStepEnd waits out the last seconds of a 30-second TOTP step,
// so that a code computed now is still current when the server checks it.
func waitClearOfStepEnd() {
	if left := 30 - time.Now().Unix()%30; left < 4 {
		time.Sleep(time.Duration(left)*time.Second + 200*time.Millisecond)
	}
}

// screenshot saves the viewport to dir (ATIP_E2E_SCREENSHOTS, or the test's
// temporary directory) for a person to look at; it is never committed.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ATIP_E2E_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	// Web fonts load after the page; wait for them, or Indic text shows as
	// the fallback's empty boxes in the picture.
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	const loaded = `(() => {
		const want = ['400 16px "Noto Sans Devanagari"', '700 16px "Noto Sans Devanagari"'];
		want.forEach(f => document.fonts.load(f, "क"));
		return document.fonts.status === "loaded" && want.every(f => document.fonts.check(f, "क"));
	})()`
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](loaded)); err != nil {
		t.Fatalf("fonts did not load: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func signIn(t *testing.T, ctx context.Context, base, login, pass string) {
	t.Helper()
	run(t, ctx, "sign in as "+login,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), pass),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
	)
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "sign out",
		chromedp.Click(chromedp.CSS(".logout button")),
		chromedp.WaitVisible(chromedp.CSS("#login")),
	)
}

func TestSignInAdministerAndAudit(t *testing.T) {
	dir := t.TempDir()
	m := app.New(app.Config{
		Addr:      "127.0.0.1:0",
		DBURL:     filepath.Join(dir, "atip.db"),
		DBOptions: []database.Option{database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(filepath.Join(dir, "audit.key"))},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Seed:      seed,
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	base := m.URL()
	ctx := browser(t)

	// 1. The platform admin's role requires two-factor: the first sign-in
	// leads to enrolment, with a QR code and the key in text.
	signIn(t, ctx, base, adminLogin, fixturePass)
	run(t, ctx, "enrolment page", chromedp.WaitVisible(chromedp.CSS("#totp-secret")), chromedp.WaitVisible(chromedp.CSS("svg.qr")))
	secret := text(t, ctx, "#totp-secret")
	waitClearOfStepEnd()
	enrolledAt := time.Now()
	run(t, ctx, "confirm enrolment",
		chromedp.SendKeys(chromedp.CSS("#code"), totpCode(t, secret, enrolledAt)),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#recovery-codes")),
	)
	if codes := text(t, ctx, "#recovery-codes"); len(strings.Fields(codes)) < 8 {
		t.Errorf("recovery codes shown: %q", codes)
	}
	run(t, ctx, "continue home", chromedp.Click(chromedp.CSS("main a.button")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if h := text(t, ctx, "main h1"); h != "Welcome, Asha Admin" {
		t.Errorf("home heading %q", h)
	}
	signOut(t, ctx)

	// 2. Sign in again with a TOTP code, computed here. A code is good once,
	// so wait for the next 30-second step after the enrolment's.
	if next := time.Unix((enrolledAt.Unix()/30+1)*30, 0); time.Now().Before(next) {
		time.Sleep(time.Until(next) + 200*time.Millisecond)
	}
	signIn(t, ctx, base, adminLogin, fixturePass)
	run(t, ctx, "code page", chromedp.WaitVisible(chromedp.CSS("#code")))
	run(t, ctx, "enter code",
		chromedp.SendKeys(chromedp.CSS("#code"), totpCode(t, secret, time.Now())),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/orgs"]`)),
	)

	// 3. Create an organisation.
	run(t, ctx, "create organisation",
		chromedp.Navigate(base+"/orgs/new"),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), newOrgName),
		chromedp.SetValue(chromedp.CSS("#type"), string(atip.OrgShelterNGO)),
		chromedp.SendKeys(chromedp.CSS("#jurisdiction"), "NP-P2-PARSA"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.ok[role=status]`)),
	)
	if h := text(t, ctx, "main h1"); h != newOrgName {
		t.Errorf("organisation page heading %q", h)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	orgID := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], base+"/orgs/")

	// The list finds it by name, filtered as the user types (htmx).
	run(t, ctx, "filter organisations",
		chromedp.Navigate(base+"/orgs"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "Maiti"),
	)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.querySelectorAll("#results tbody tr").length === 1`)); err != nil {
		t.Fatalf("the list did not narrow to the new organisation: %v", err)
	}
	if row := text(t, ctx, "#results tbody tr"); !strings.Contains(row, newOrgName) || !strings.Contains(row, "Shelter or NGO") {
		t.Errorf("filtered row %q", row)
	}

	// 4. Create a user in it.
	run(t, ctx, "create user",
		chromedp.Navigate(base+"/users/new?org="+orgID),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#login"), newUserLogin),
		chromedp.SendKeys(chromedp.CSS("#name"), newUserName),
		chromedp.Click(chromedp.CSS(`input[name=roles][value=caseworker]`)),
		chromedp.SendKeys(chromedp.CSS("#password"), newUserPass),
		chromedp.Click(chromedp.CSS(`main form.card button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.ok[role=status]`)),
	)
	if h := text(t, ctx, "main h1"); h != newUserName {
		t.Errorf("user page heading %q", h)
	}
	if facts := text(t, ctx, "dl.facts"); !strings.Contains(facts, newOrgName) || !strings.Contains(facts, newUserLogin) {
		t.Errorf("user facts %q", facts)
	}

	// 5. Switch to Hindi with the picker in the header: the page and the
	// menu speak Hindi, and the choice sticks across pages.
	run(t, ctx, "switch to Hindi",
		chromedp.SetValue(chromedp.CSS("#lang-pick"), "hi"),
		chromedp.Click(chromedp.CSS(".lang button")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang=hi]`)),
	)
	run(t, ctx, "home in Hindi", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`html[lang=hi]`)))
	if nav := text(t, ctx, "header nav"); !strings.Contains(nav, "संगठन") || !strings.Contains(nav, "उपयोगकर्ता") {
		t.Errorf("menu in Hindi: %q", nav)
	}
	if h := text(t, ctx, "main h1"); h != "स्वागत है, Asha Admin" {
		t.Errorf("Hindi home heading %q", h)
	}
	// The Devanagari font is the embedded one, not a box-drawing fallback.
	if ok := eval[bool](t, ctx, `document.fonts.check('16px "Noto Sans Devanagari"', "संगठन")`); !ok {
		t.Error("Noto Sans Devanagari is not loaded for Hindi text")
	}
	run(t, ctx, "phone width", chromedp.EmulateViewport(phoneWidth, phoneHeight), chromedp.Navigate(base+"/orgs"), chromedp.WaitVisible(chromedp.CSS("#results")))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("organisations page is %d px wide on a %d px phone", w, phoneWidth)
	}
	screenshot(t, ctx, "orgs-hi-phone")
	run(t, ctx, "desktop width", chromedp.EmulateViewport(desktopWidth, desktopHeight))
	signOut(t, ctx)

	// 6. The auditor signs in with the keyboard alone (the login field has
	// the focus; Tab moves to the password; Enter submits) and finds both
	// actions in the audit trail, with who did them and to which record.
	run(t, ctx, "sign in by keyboard",
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.KeyEvent(auditorLogin+"\t"+fixturePass+"\r"),
	)
	run(t, ctx, "audit view", chromedp.WaitVisible(chromedp.CSS(`nav a[href="/audit"]`)), chromedp.Navigate(base+"/audit?action=org."), chromedp.WaitVisible(chromedp.CSS("#results")))
	rows := text(t, ctx, "#results tbody")
	if !strings.Contains(rows, "org.create") || !strings.Contains(rows, orgID) {
		t.Errorf("organisation creation not in the trail:\n%s", rows)
	}
	run(t, ctx, "audit users", chromedp.Navigate(base+"/audit?action=user.create"), chromedp.WaitVisible(chromedp.CSS("#results")))
	rows = text(t, ctx, "#results tbody")
	if n := strings.Count(rows, "user.create"); n != 3 { // two seeded, one made in the browser
		t.Errorf("user creations in the trail: %d\n%s", n, rows)
	}
	run(t, ctx, "audit sign-ins", chromedp.Navigate(base+"/audit?action=auth."), chromedp.WaitVisible(chromedp.CSS("#results")))
	if rows := text(t, ctx, "#results tbody"); !strings.Contains(rows, "auth.login") {
		t.Errorf("sign-ins not in the trail:\n%s", rows)
	}
	run(t, ctx, "audit on a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight), chromedp.Navigate(base+"/audit"), chromedp.WaitVisible(chromedp.CSS("#results")))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("audit page is %d px wide on a %d px phone", w, phoneWidth)
	}
	screenshot(t, ctx, "audit-en-phone")
}

func waitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	// A navigation ends a running poll; poll again on the new page.
	deadline := time.Now().Add(15 * time.Second)
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Until(deadline))
		_, err := chromedp.Run(pctx, chromedp.Poll[bool](js))
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
			t.Fatalf("%s: %v\npage:\n%s", what, err, html)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
