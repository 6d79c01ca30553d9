package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// newGroupEnv is the page env with the sharing-group service wired, and an
// admin of organisation B ("badmin", who reads Hindi).
func newGroupEnv(t *testing.T, engine database.Engine) *env {
	t.Helper()
	db := dbtest.Open(t, engine)
	e := newEnvOn(t, db, func(c *Config) { c.Groups = database.NewGroupService(db) })
	u := &atip.User{OrgID: e.orgB.ID, Login: "badmin", Name: "Test badmin", Roles: []atip.Role{atip.RoleOrgAdmin}, Lang: "hi"}
	if err := e.users.CreateUser(atip.OperatorContext(context.Background()), u, testPassword); err != nil {
		t.Fatal(err)
	}
	e.user["badmin"] = u
	return e
}

// The generated route tests, run again with the group pages wired to the
// real service, so that their handlers are what answers.
func TestGroupRoutesAccess(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			// Each on its own env: the first makes two-factor mandatory.
			testRoutesRefuseTheUnauthenticated(t, newGroupEnv(t, engine))
			testRoutesRefuseTheWrongRole(t, newGroupEnv(t, engine))
		})
	}
}

func TestGroupInvitationAcceptedOnItsPage(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			e := newGroupEnv(t, engine)
			owner, badmin, bworker := e.signedIn("oadmin"), e.signedIn("badmin"), e.signedIn("bworker")
			if r := owner.get("/groups"); r.status != http.StatusOK || !strings.Contains(r.body, `href="/groups/new"`) ||
				!strings.Contains(r.body, `href="/groups"`) {
				t.Fatalf("groups page for an org admin: %d\n%s", r.status, r.body)
			}
			if r := bworker.get("/groups"); r.status != http.StatusOK || strings.Contains(r.body, `href="/groups/new"`) {
				t.Fatalf("a caseworker is offered to create groups: %d", r.status)
			}

			expires := time.Now().AddDate(0, 6, 0).Format("2006-01-02")
			form := url.Values{"name": {"India–Nepal border task force"}, "purpose": {"Rescue coordination"},
				"agreement": {"Members use shared records only to coordinate rescues.\r\nNo onward sharing."}, "expires": {expires}}
			bad := url.Values{"name": form["name"], "purpose": form["purpose"], "agreement": {" "}, "expires": {"31/12/2026"}}
			if r := owner.post("/groups", bad); r.status != http.StatusUnprocessableEntity ||
				!strings.Contains(r.body, `id="expires-err"`) {
				t.Fatalf("a bad group form: %d\n%s", r.status, r.body)
			}
			r := owner.post("/groups", form)
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/groups/") {
				t.Fatalf("create: %d to %q\n%s", r.status, r.location(), r.body)
			}
			path := strings.TrimSuffix(r.location(), "?saved=1")

			// Not invited yet: the group does not exist for B.
			if r := badmin.get(path); r.status != http.StatusNotFound {
				t.Fatalf("B before the invitation: %d", r.status)
			}
			r = owner.get(path + "?q=kathmandu")
			if r.status != http.StatusOK || !strings.Contains(r.body, `value="`+e.orgB.ID+`"`) || !strings.Contains(r.body, "No onward sharing.") {
				t.Fatalf("the owner's group page does not offer B:\n%s", r.body)
			}
			if r := owner.post(path+"/invite", url.Values{"orgs": {e.orgB.ID}}); r.status != http.StatusSeeOther {
				t.Fatalf("invite: %d\n%s", r.status, r.body)
			}

			// B's admin finds the invitation in the list and on the page,
			// in Hindi, with the agreement and the buttons to answer.
			r = badmin.get("/groups")
			if r.status != http.StatusOK || !strings.Contains(r.body, `id="invitations"`) || !strings.Contains(r.body, `href="`+path+`"`) ||
				!strings.Contains(r.body, "उत्तर देने हेतु आमंत्रण") {
				t.Fatalf("B's admin does not see the invitation:\n%s", r.body)
			}
			r = badmin.get(path)
			if r.status != http.StatusOK || !strings.Contains(r.body, `value="accepted"`) || !strings.Contains(r.body, "No onward sharing.") {
				t.Fatalf("B's admin has no accept button:\n%s", r.body)
			}
			// A caseworker of B reads it but cannot answer.
			if r := bworker.get(path); r.status != http.StatusOK || strings.Contains(r.body, `value="accepted"`) {
				t.Fatalf("B's caseworker: %d, offered to answer: %v", r.status, strings.Contains(r.body, `value="accepted"`))
			}
			if r := bworker.post(path+"/answer", url.Values{"status": {"accepted"}}); r.status != http.StatusForbidden {
				t.Fatalf("B's caseworker accepts: %d", r.status)
			}

			r = badmin.post(path+"/answer", url.Values{"status": {"accepted"}})
			if r.status != http.StatusSeeOther || r.location() != path+"?saved=1" {
				t.Fatalf("accept: %d to %q\n%s", r.status, r.location(), r.body)
			}
			r = badmin.get(path)
			if strings.Contains(r.body, `value="accepted"`) || !strings.Contains(r.body, `id="leave"`) {
				t.Fatalf("after accepting, B still answers or cannot leave:\n%s", r.body)
			}
			if r := owner.get(path); strings.Count(r.body, ">Member</td>") != 2 {
				t.Fatalf("the owner does not see two members:\n%s", r.body)
			}
			// Accepting twice is refused on the page, with the reason.
			if r := badmin.post(path+"/answer", url.Values{"status": {"accepted"}}); r.status != http.StatusConflict {
				t.Fatalf("accepting twice: %d", r.status)
			}

			// Leaving ends it at once.
			if r := badmin.post(path+"/answer", url.Values{"status": {"left"}}); r.status != http.StatusSeeOther || r.location() != "/groups" {
				t.Fatalf("leave: %d to %q", r.status, r.location())
			}
			if r := bworker.get(path); r.status != http.StatusNotFound {
				t.Fatalf("B's caseworker after leaving: %d", r.status)
			}
		})
	}
}

func TestParseExpiry(t *testing.T) {
	kathmandu, err := time.LoadLocation("Asia/Kathmandu")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		want string // RFC 3339 in UTC; "" for an error
	}{
		{"2027-03-31", "2027-03-31T18:15:00Z"}, // the end of 31 March in Nepal (UTC+5:45)
		{"2027-02-29", ""},
		{"31/03/2027", ""},
		{"२०२७-०३-३१", ""}, // the form sends ASCII digits; anything else is refused, not guessed
		{"", ""},
		{"0001-01-01", ""},
	} {
		var inv atip.Invalid
		got := parseExpiry(kathmandu, &inv, "expires", tc.in)
		if tc.want == "" {
			if inv.Err() == nil {
				t.Errorf("%q: no error", tc.in)
			}
			continue
		}
		if inv.Err() != nil || got.UTC().Format(time.RFC3339) != tc.want {
			t.Errorf("%q: %v %v, want %s", tc.in, got.UTC(), inv.Err(), tc.want)
		}
	}
}

func FuzzParseExpiry(f *testing.F) {
	for _, s := range []string{"2027-03-31", "2027-13-01", "", "9999-12-31", "2027-03-31T00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var inv atip.Invalid
		got := parseExpiry(time.UTC, &inv, "expires", s)
		if err := inv.Err(); err != nil {
			if !got.IsZero() {
				t.Fatalf("%q: error with a time %v", s, got)
			}
			return
		}
		// A parsed date is the midnight that ends it, in the 2000s to 9000s.
		if got.Hour() != 0 || got.Minute() != 0 || got.Year() < 2000 || got.Year() > 9001 || got.AddDate(0, 0, -1).Format("2006-01-02") != s {
			t.Fatalf("%q parsed as %v", s, got)
		}
	})
}
