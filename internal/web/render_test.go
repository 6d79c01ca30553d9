package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/i18n"
)

// TestEveryPageRendersInEveryLanguage executes each template with the data
// its handler gives it, in each language, and checks what every page must
// have: the language attribute, a title, a main landmark, and no template
// error or untranslated key showing.
func TestEveryPageRendersInEveryLanguage(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadPages(cat)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cat: cat, pages: p, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	org := &atip.Org{ID: "o1", Name: "AHTU Sitamarhi", Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}
	user := &atip.User{ID: "u1", OrgID: "o1", Login: "asha", Name: "Asha", Roles: []atip.Role{atip.RoleOrgAdmin, atip.RoleAuditor}, Lang: "en"}
	actor := &atip.Actor{User: user, Org: org, Via: atip.ViaWeb}
	qr, err := qrSVG("otpauth://totp/ATIP:asha?secret=JBSWY3DPEHPK3PXP&issuer=ATIP")
	if err != nil {
		t.Fatal(err)
	}
	token := &atip.APIToken{ID: "t1", Name: "sync", Scopes: []string{"read"}, ExpiresAt: now.AddDate(0, 1, 0)}
	entry := &atip.AuditEntry{Seq: 7, At: now, ActorID: "u1", ActorOrgID: "o1", Via: atip.ViaWeb, RemoteAddr: "10.0.0.1", Action: "org.create", RecordType: "org", RecordID: "o1", Outcome: "ok", Detail: "type=ahtu"}
	pages := []struct {
		page   string
		signed bool
		data   any
	}{
		{"login", false, loginPage{Next: "/", Errors: map[string]string{"": "login.failed"}}},
		{"code", false, codePage{Next: "/", Errors: map[string]string{"code": "code.failed"}}},
		{"enrol", false, enrolPage{Forced: true, Action: "/login/enrol", Secret: "JBSWY3DPEHPK3PXP", QR: qr}},
		{"enrol", true, enrolPage{Recovery: []string{"abcd-efgh", "ijkl-mnop"}}},
		{"home", true, homePage{Modules: nav(actor, "/")[1:], Planned: plannedModules}},
		{"orgs", true, orgListPage{Types: atip.OrgTypes, Rows: []orgRow{{Org: org, Place: "Bihar, India"}}, NextURL: "/orgs?after=o1", CanCreate: true}},
		{"org", true, orgPage{Types: atip.OrgTypes, CanEdit: true, Errors: map[string]string{"name": "is required"}, Places: []Place{{Code: "IN-BR", Name: "Bihar, India"}}}},
		{"org", true, orgPage{Org: org, Form: orgForm{Name: org.Name, Type: org.Type}, Types: atip.OrgTypes, Place: "Bihar, India", CanEdit: true, CanDisable: true, CanSecurity: true, CanUsers: true, Saved: true}},
		{"org", true, orgPage{Org: org, Types: atip.OrgTypes, Place: "Bihar, India"}},
		{"security", true, securityPage{Org: org, Roles: atip.Roles, Required: []atip.Role{atip.RoleCaseworker}, Saved: true}},
		{"users", true, userListPage{Roles: atip.Roles, Orgs: []*atip.Org{org}, Rows: []userRow{{User: user, OrgName: org.Name}}, CanCreate: true}},
		{"user", true, userPage{Roles: atip.Roles, Langs: atip.Languages, CanEdit: true, ChooseOrg: true, Orgs: []*atip.Org{org}, Errors: map[string]string{"password": "must be at least 12 characters"}}},
		{"user", true, userPage{User: user, OrgName: org.Name, Form: userForm{Name: user.Name, Roles: user.Roles, Lang: "en"}, Roles: atip.Roles, Langs: atip.Languages, CanEdit: true, CanReset: true, Password: "NEWPASSWORD"}},
		{"account", true, accountPage{User: user, Org: org, Tokens: []*atip.APIToken{token}, Scopes: tokenScopes, NewSecret: "secret-token", TokenDays: "90"}},
		{"audit", true, auditPage{Orgs: []*atip.Org{org}, Rows: []auditRow{{Entry: entry, At: "2026-05-01 15:30:00", Actor: "Asha (asha)", OrgName: org.Name}}, NextURL: "/audit?before=7", ExportURL: "/audit/export", CanExport: true, Zone: "Asia/Kolkata"}},
		{"error", false, errorPage{Status: 404, Key: "error.notfound"}},
		{"error", true, errorPage{Status: 500, Key: "error.internal"}},
	}
	for _, lang := range i18n.Languages {
		for _, pg := range pages {
			req := httptest.NewRequest("GET", "/x", nil)
			st := &state{lang: lang}
			if pg.signed {
				st.actor, st.user = actor, user
			}
			req = req.WithContext(context.WithValue(req.Context(), stateKey{}, st))
			rec := httptest.NewRecorder()
			s.render(rec, req, http.StatusOK, pg.page, pg.data)
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Errorf("%s %s: status %d: %s", lang, pg.page, rec.Code, body)
				continue
			}
			for _, want := range []string{`<html lang="` + lang + `">`, "<title>", `<main id="main">`, "</html>"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s: lacks %s", lang, pg.page, want)
				}
			}
			// An untranslated key shows as itself: a dotted lower-case word.
			for _, bad := range []string{"orgtype.", "role.", "nav.", "error.", "common.", "audit.", "login.", "code.", "enrol.", "tokens.", "users.", "orgs.", "account.", "home."} {
				if i := strings.Index(body, ">"+bad); i >= 0 {
					t.Errorf("%s %s: untranslated key near %q", lang, pg.page, body[i:min(len(body), i+40)])
				}
			}
			if pg.signed && !strings.Contains(body, `action="/logout"`) {
				t.Errorf("%s %s: no sign-out", lang, pg.page)
			}
		}
	}
}

// Every form input on every page has a label tied to it (or is hidden).
func TestInputsHaveLabels(t *testing.T) {
	// The templates are checked as text: every id'd input, select and
	// textarea must have a <label for> with that id in the same file or
	// the layout.
	files := map[string]string{}
	entries, _ := templateFS.ReadDir("templates")
	for _, e := range entries {
		b, _ := templateFS.ReadFile("templates/" + e.Name())
		files[e.Name()] = string(b)
	}
	for name, src := range files {
		for _, tag := range []string{"<input ", "<select ", "<textarea "} {
			for _, part := range strings.Split(src, tag)[1:] {
				el := part[:strings.Index(part, ">")]
				if strings.Contains(el, `type="hidden"`) {
					continue
				}
				if strings.Contains(el, `type="checkbox"`) {
					continue // wrapped in its <label class="check">
				}
				m := regexp.MustCompile(`id="([^"]+)"`).FindStringSubmatch(el)
				if m == nil {
					t.Errorf("%s: %s without an id: %s", name, tag, el)
					continue
				}
				id := m[1]
				if !strings.Contains(src, `<label for="`+id+`"`) {
					t.Errorf("%s: %s%s has no <label for=%q>", name, tag, id, id)
				}
			}
		}
	}
}
