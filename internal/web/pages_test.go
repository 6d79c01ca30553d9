package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// The main flows run on both engines: what a user sees must not depend on
// the database behind it.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) { fn(t, newEnv(t, engine)) })
	}
}

func TestTwoFactorEnrolmentAndSignIn(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := atip.OperatorContext(context.Background())
		if err := e.auth.SetTOTPRequiredRoles(ctx, e.orgA.ID, []atip.Role{atip.RoleCaseworker}); err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		r := b.post("/login", url.Values{"login": {"worker"}, "password": {testPassword}})
		if r.location() != "/login/enrol" {
			t.Fatalf("forced enrolment: redirected to %q", r.location())
		}
		r = b.get("/login/enrol")
		secret := find(t, r.body, `id="totp-secret"[^>]*>([A-Z2-7=]+)<`)
		if !strings.Contains(r.body, "<svg class=\"qr\"") {
			t.Error("no QR code on the enrolment page")
		}
		// A wrong code keeps the user on the page with a message.
		r = b.post("/login/enrol", url.Values{"secret": {secret}, "code": {"000000"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "That code was not accepted") {
			t.Errorf("wrong code: status %d", r.status)
		}
		if left := 30 - time.Now().Unix()%30; left < 3 {
			time.Sleep(time.Duration(left)*time.Second + 200*time.Millisecond)
		}
		enrolled := time.Now()
		r = b.post("/login/enrol", url.Values{"secret": {secret}, "code": {totp(t, secret, enrolled)}})
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="recovery-codes"`) {
			t.Fatalf("confirm: status %d\n%s", r.status, r.body)
		}
		recovery := find(t, r.body, `<li><code>([^<]+)</code></li>`)
		if r := b.get("/"); r.status != http.StatusOK {
			t.Fatalf("home after enrolment: status %d", r.status)
		}

		// Next sign-in asks for a code; the session changes when it is given.
		b2 := e.browser()
		r = b2.post("/login", url.Values{"login": {"worker"}, "password": {testPassword}, "next": {"/account"}})
		if !strings.HasPrefix(r.location(), "/login/code") {
			t.Fatalf("second factor: redirected to %q", r.location())
		}
		half := b2.cookie("atip_session")
		if r := b2.get("/account"); r.location() != "/login/code" {
			t.Errorf("half-signed-in session reached /account: %d %q", r.status, r.location())
		}
		r = b2.post("/login/code", url.Values{"code": {"123"}, "next": {"/account"}})
		if r.status != http.StatusUnauthorized {
			t.Errorf("bad code: status %d", r.status)
		}
		r = b2.post("/login/code", url.Values{"code": {recovery}, "next": {"/account"}})
		if r.status != http.StatusSeeOther || r.location() != "/account" {
			t.Fatalf("recovery code: status %d to %q\n%s", r.status, r.location(), r.body)
		}
		if full := b2.cookie("atip_session"); full == half || full == "" {
			t.Error("session not rotated after the second factor")
		}
		if r := b2.get("/account"); r.status != http.StatusOK || !strings.Contains(r.body, "Two-step sign-in") {
			t.Errorf("account after second factor: status %d", r.status)
		}
		// A recovery code works once.
		b3 := e.browser()
		b3.post("/login", url.Values{"login": {"worker"}, "password": {testPassword}})
		if r := b3.post("/login/code", url.Values{"code": {recovery}}); r.status != http.StatusUnauthorized {
			t.Errorf("reused recovery code: status %d", r.status)
		}
	})
}

func TestOrganisationPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		b := e.signedIn("padmin")
		// Missing fields come back in the form, each beside its input.
		r := b.post("/orgs", url.Values{"name": {""}, "type": {"army"}, "jurisdiction": {"IN-BR"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid org: status %d", r.status)
		}
		for _, want := range []string{`id="name-err"`, `id="type-err"`, `aria-invalid="true"`, `value="IN-BR"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("invalid form lacks %s", want)
			}
		}
		r = b.post("/orgs", url.Values{"name": {"Shakti Vahini Shelter"}, "type": {"shelter_ngo"}, "jurisdiction": {"IN-BR"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/orgs/") {
			t.Fatalf("create: status %d\n%s", r.status, r.body)
		}
		id := strings.TrimPrefix(strings.SplitN(r.location(), "?", 2)[0], "/orgs/")
		r = b.get(r.location())
		if !strings.Contains(r.body, "Saved.") || !strings.Contains(r.body, `value="Shakti Vahini Shelter"`) {
			t.Errorf("org page after create:\n%s", r.body)
		}
		// Filters: by type, by name, and as an htmx partial.
		r = b.get("/orgs?type=shelter_ngo")
		if !strings.Contains(r.body, "Shakti Vahini Shelter") || strings.Contains(r.body, "CWC Kathmandu") {
			t.Error("type filter")
		}
		r = b.get("/orgs?q=kathm")
		if !strings.Contains(r.body, "CWC Kathmandu") || strings.Contains(r.body, "Shakti Vahini") {
			t.Error("name search")
		}
		req, _ := http.NewRequest("GET", e.ts.URL+"/orgs?q=shakti", nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "results")
		r = b.do(req)
		if !strings.HasPrefix(strings.TrimSpace(r.body), `<div id="results">`) || strings.Contains(r.body, "<html") || !strings.Contains(r.body, "Shakti Vahini Shelter") {
			t.Errorf("htmx partial:\n%s", r.body)
		}
		// Edit.
		r = b.post("/orgs/"+id, url.Values{"name": {"Shakti Vahini Shelter Home"}, "type": {"shelter_ngo"}, "jurisdiction": {"IN-BR"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("update: status %d\n%s", r.status, r.body)
		}
		if o, err := e.orgs.FindOrgByID(atip.OperatorContext(context.Background()), id); err != nil || o.Name != "Shakti Vahini Shelter Home" {
			t.Errorf("after update: %+v, %v", o, err)
		}
		// A caseworker sees organisations but no form to change them.
		w := e.signedIn("worker")
		r = w.get("/orgs/" + id)
		if r.status != http.StatusOK || strings.Contains(r.body, `<form method="post" action="/orgs/`) {
			t.Errorf("caseworker's view of an org: status %d", r.status)
		}
		if strings.Contains(w.get("/orgs").body, "/orgs/new") {
			t.Error("caseworker is offered to create organisations")
		}
	})
}

func TestUserPages(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.signedIn("oadmin")
		r := admin.post("/users", url.Values{"login": {"meena"}, "name": {"Meena"}, "roles": {"caseworker"}, "lang": {"hi"}, "password": {"short"}, "org": {e.orgB.ID}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="password-err"`) {
			t.Fatalf("short password: status %d", r.status)
		}
		// The org admin's new user lands in their own organisation whatever
		// the form says.
		r = admin.post("/users", url.Values{"login": {"Meena"}, "name": {"Meena"}, "roles": {"caseworker"}, "lang": {"hi"}, "password": {"a fine long password"}, "org": {e.orgB.ID}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: status %d\n%s", r.status, r.body)
		}
		id := strings.TrimPrefix(strings.SplitN(r.location(), "?", 2)[0], "/users/")
		u, err := e.users.FindUserByID(atip.OperatorContext(context.Background()), id)
		if err != nil || u.OrgID != e.orgA.ID || u.Login != "meena" || u.Lang != "hi" {
			t.Fatalf("created %+v, %v", u, err)
		}
		// A duplicate login is refused in the form.
		r = admin.post("/users", url.Values{"login": {"meena"}, "name": {"Meena 2"}, "roles": {"caseworker"}, "lang": {"en"}, "password": {"a fine long password"}})
		if r.status != http.StatusConflict && r.status != http.StatusUnprocessableEntity {
			t.Errorf("duplicate login: status %d", r.status)
		}
		// The new user signs in and sees Hindi, their language.
		m := e.browser()
		if r := m.post("/login", url.Values{"login": {"meena"}, "password": {"a fine long password"}}); r.status != http.StatusSeeOther {
			t.Fatalf("new user signs in: status %d", r.status)
		}
		if r := m.get("/"); !strings.Contains(r.body, `<html lang="hi">`) || !strings.Contains(r.body, "स्वागत है, Meena") {
			t.Errorf("new user's home is not in Hindi:\n%s", r.body)
		}
		// Reset password: a new one is shown once, works, and ends the
		// user's sessions.
		r = admin.post("/users/"+id+"/password", nil)
		newPass := find(t, r.body, `id="new-password">([^<]+)<`)
		if r := m.get("/"); r.status != http.StatusSeeOther {
			t.Errorf("session survived a password reset: status %d", r.status)
		}
		m2 := e.browser()
		if r := m2.post("/login", url.Values{"login": {"meena"}, "password": {newPass}}); r.status != http.StatusSeeOther || r.location() != "/" {
			t.Errorf("new password: status %d to %q", r.status, r.location())
		}
		// Disable: the user is signed out and cannot sign in.
		if r := admin.post("/users/"+id+"/disable", nil); r.status != http.StatusSeeOther {
			t.Fatalf("disable: status %d", r.status)
		}
		if r := m2.get("/"); r.status != http.StatusSeeOther {
			t.Errorf("disabled user still signed in: status %d", r.status)
		}
		if r := e.browser().post("/login", url.Values{"login": {"meena"}, "password": {newPass}}); r.status == http.StatusSeeOther {
			t.Error("disabled user signed in")
		}
		// Edit roles.
		r = admin.post("/users/"+id, url.Values{"name": {"Meena K"}, "roles": {"supervisor"}, "lang": {"en"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("edit: status %d\n%s", r.status, r.body)
		}
		if r := admin.get("/users?q=meena"); !strings.Contains(r.body, "Meena K") || !strings.Contains(r.body, "Supervisor") {
			t.Errorf("list after edit:\n%s", r.body)
		}
	})
}

func TestAccountPage(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.signedIn("worker")
	// Language sticks on the user, so it follows them to another browser.
	if r := b.post("/lang", url.Values{"lang": {"hi"}, "next": {"/account"}}); r.location() != "/account" {
		t.Fatalf("language: %d %q", r.status, r.location())
	}
	if r := b.get("/account"); !strings.Contains(r.body, `<html lang="hi">`) || !strings.Contains(r.body, "मेरा खाता") {
		t.Error("account page not in Hindi")
	}
	if r := e.signedIn("worker").get("/"); !strings.Contains(r.body, `<html lang="hi">`) {
		t.Error("language did not stick on the user")
	}
	// Password change needs the current password.
	r := b.post("/account/password", url.Values{"current": {"wrong"}, "new": {"a brand new password"}, "confirm": {"a brand new password"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="current-err"`) {
		t.Errorf("wrong current password: status %d", r.status)
	}
	r = b.post("/account/password", url.Values{"current": {testPassword}, "new": {"a brand new password"}, "confirm": {"a brand new password"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change password: status %d\n%s", r.status, r.body)
	}
	if r := e.browser().post("/login", url.Values{"login": {"worker"}, "password": {"a brand new password"}}); r.status != http.StatusSeeOther {
		t.Errorf("new password refused: %d", r.status)
	}
	// API tokens: the secret is shown once, the list shows the token, and
	// revoking it marks it revoked.
	r = b.post("/account/tokens", url.Values{"name": {"district sync"}, "scopes": {"read"}, "days": {"30"}})
	secret := find(t, r.body, `id="token-secret">([^<]+)<`)
	if len(secret) < 20 {
		t.Errorf("token secret %q", secret)
	}
	r = b.get("/account")
	if strings.Contains(r.body, secret) || !strings.Contains(r.body, "district sync") {
		t.Error("token list shows the secret or misses the token")
	}
	tokID := find(t, r.body, `action="/account/tokens/([^/]+)/revoke"`)
	if r := b.post("/account/tokens/"+tokID+"/revoke", nil); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: status %d", r.status)
	}
	if r := b.get("/account"); strings.Contains(r.body, "/account/tokens/"+tokID+"/revoke") {
		t.Error("revoked token still offers revoke")
	}
	// Another user's token id is not found (an admin of the owner could
	// revoke it; a caseworker of another organisation cannot).
	other := e.signedIn("bworker")
	if r := other.post("/account/tokens/"+tokID+"/revoke", nil); r.status != http.StatusNotFound {
		t.Errorf("revoking another's token: status %d", r.status)
	}
}

func TestAuditViewPagesAndExports(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		// Make a trail longer than several pages: failed sign-ins are
		// audited like everything else.
		ctx := atip.OperatorContext(context.Background())
		for i := range 130 {
			if err := e.orgs.CreateOrg(ctx, &atip.Org{Name: fmt.Sprintf("Unit %03d", i), Type: atip.OrgBorderUnit, Jurisdiction: "IN-BR"}); err != nil {
				t.Fatal(err)
			}
		}
		b := e.signedIn("auditor")
		seen := map[string]bool{}
		pages := 0
		for next := "/audit?action=org.create"; next != ""; pages++ {
			r := b.get(next)
			if r.status != http.StatusOK {
				t.Fatalf("%s: status %d", next, r.status)
			}
			for _, row := range strings.Split(r.body, "<tr>")[2:] {
				seq := find(t, row, `<td data-label="#">(\d+)</td>`)
				if seen[seq] {
					t.Fatalf("entry %s on two pages", seq)
				}
				seen[seq] = true
				if !strings.Contains(row, "org.create") {
					t.Errorf("filter let through: %s", row)
				}
			}
			next = ""
			if m := strings.Index(r.body, `id="audit-older"`); m >= 0 {
				next = strings.ReplaceAll(find(t, r.body, `<a href="([^"]+)" class="button" id="audit-older"`), "&amp;", "&")
			}
			if pages > 10 {
				t.Fatal("paging does not end")
			}
		}
		if len(seen) != 132 || pages != 3 {
			t.Errorf("walked %d entries in %d pages, want 132 in 3", len(seen), pages)
		}
		// Filter by the acting user's login and by date.
		today := time.Now().UTC().Format("2006-01-02")
		r := b.get("/audit?actor=auditor&action=auth.&since=" + today)
		if !strings.Contains(r.body, "auth.login") {
			t.Errorf("auditor's own sign-in not found:\n%s", r.body)
		}
		if r := b.get("/audit?since=2026-13-01"); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="since-err"`) {
			t.Errorf("bad date: status %d", r.status)
		}
		// The export has every matching entry.
		req, _ := http.NewRequest("GET", e.ts.URL+"/audit/export?action=org.create", nil)
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		recs, err := csv.NewReader(resp.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 133 || recs[0][0] != "seq" {
			t.Errorf("export has %d lines, want header + 132", len(recs))
		}
		// …and the export itself is in the trail, with its filter.
		if r := b.get("/audit?action=audit.export"); !strings.Contains(r.body, "action=org.create") {
			t.Errorf("the export is not audited:\n%s", r.body)
		}
	})
}

// The jurisdiction picker suggests places as the user types (htmx), and
// without JavaScript a place name typed in full is taken when it names one
// place only.
func TestJurisdictionPicker(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.signedIn("padmin")
	r := b.get("/places?jurisdiction=sitam")
	if !strings.Contains(r.body, `<datalist id="places">`) || !strings.Contains(r.body, `value="IN-BR-SITAMARHI"`) || !strings.Contains(r.body, "Sitamarhi, Bihar, India") {
		t.Errorf("suggestions:\n%s", r.body)
	}
	// Alternate spellings find the place too.
	if r := b.get("/places?jurisdiction=Sindhupalchowk"); !strings.Contains(r.body, "Sindhupalchok") {
		t.Errorf("alternate spelling:\n%s", r.body)
	}
	r = b.post("/orgs", url.Values{"name": {"AHTU Sitamarhi 2"}, "type": {"ahtu"}, "jurisdiction": {"Sitamarhi"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("org by place name: status %d\n%s", r.status, r.body)
	}
	r = b.get(r.location())
	if !strings.Contains(r.body, "Sitamarhi, Bihar, India") {
		t.Errorf("org page does not name its place:\n%s", r.body)
	}
	r = b.post("/orgs", url.Values{"name": {"Nowhere unit"}, "type": {"ahtu"}, "jurisdiction": {"Atlantis"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="jurisdiction-err"`) {
		t.Errorf("unknown place: status %d", r.status)
	}
}

func TestOrganisationTwoFactorSettings(t *testing.T) {
	e := newEnv(t, database.SQLite)
	admin := e.signedIn("oadmin")
	r := admin.get("/orgs/" + e.orgA.ID + "/security")
	if r.status != http.StatusOK || !strings.Contains(r.body, `value="caseworker"`) {
		t.Fatalf("settings page: status %d", r.status)
	}
	if r := admin.post("/orgs/"+e.orgA.ID+"/security", url.Values{"roles": {"caseworker", "org_admin"}}); r.status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.status, r.body)
	}
	got, err := e.auth.TOTPRequiredRoles(atip.OperatorContext(context.Background()), e.orgA.ID)
	if err != nil || len(got) != 2 {
		t.Errorf("required roles %v, %v", got, err)
	}
	if r := admin.get("/orgs/" + e.orgA.ID + "/security?saved=1"); strings.Count(r.body, " checked>") != 2 {
		t.Errorf("page does not show the two required roles checked")
	}
	if r := admin.post("/orgs/"+e.orgA.ID+"/security", url.Values{"roles": {"emperor"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown role: status %d", r.status)
	}
	// The caseworker must now enrol at the next sign-in.
	w := e.browser()
	if r := w.post("/login", url.Values{"login": {"worker"}, "password": {testPassword}}); r.location() != "/login/enrol" {
		t.Errorf("caseworker after the setting: redirected to %q", r.location())
	}
}

func TestChosenTwoFactorFromTheAccountPage(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.signedIn("worker")
	r := b.get("/account/totp")
	secret := find(t, r.body, `id="totp-secret"[^>]*>([A-Z2-7=]+)<`)
	if left := 30 - time.Now().Unix()%30; left < 3 {
		time.Sleep(time.Duration(left)*time.Second + 200*time.Millisecond)
	}
	r = b.post("/account/totp", url.Values{"secret": {secret}, "code": {totp(t, secret, time.Now())}})
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="recovery-codes"`) {
		t.Fatalf("confirm: status %d", r.status)
	}
	if r := b.get("/account"); !strings.Contains(r.body, "<p>On</p>") {
		t.Error("account page does not show two-step sign-in on")
	}
	// Signing in now asks for the code.
	if r := e.browser().post("/login", url.Values{"login": {"worker"}, "password": {testPassword}}); !strings.HasPrefix(r.location(), "/login/code") {
		t.Errorf("sign-in after enrolling: redirected to %q", r.location())
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	e := newEnv(t, database.SQLite)
	b := e.signedIn("worker")
	token := b.cookie("atip_session")
	if r := b.post("/logout", nil); r.status != http.StatusSeeOther || r.location() != "/login" {
		t.Fatalf("sign out: %d %q", r.status, r.location())
	}
	if b.cookie("atip_session") != "" {
		t.Error("cookie kept after sign-out")
	}
	if _, _, err := e.auth.Session(context.Background(), token); atip.ErrorCode(err) != atip.ENOTFOUND {
		t.Errorf("session still live after sign-out: %v", err)
	}
}

// A change the service refuses for this user (an org admin granting the
// platform admin role) comes back in the form with the service's reason.
func TestRefusedChangeShowsInTheForm(t *testing.T) {
	e := newEnv(t, database.SQLite)
	admin := e.signedIn("oadmin")
	r := admin.post("/users/"+e.user["worker"].ID, url.Values{"name": {"Test worker"}, "roles": {"platform_admin"}, "lang": {"en"}})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, `class="alert"`) || !strings.Contains(r.body, `id="name"`) {
		t.Errorf("status %d\n%s", r.status, r.body)
	}
	if u, _ := e.users.FindUserByID(atip.OperatorContext(context.Background()), e.user["worker"].ID); u.HasRole(atip.RolePlatformAdmin) {
		t.Fatal("an org admin made a platform admin")
	}
}
