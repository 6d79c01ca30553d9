package web

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// newSharingEnv is the page env with the sharing and group services wired,
// and a supervisor of organisation A ("asup").
func newSharingEnv(t *testing.T, engine database.Engine) *env {
	t.Helper()
	db := dbtest.Open(t, engine)
	e := newEnvOn(t, db, func(c *Config) {
		c.Groups = database.NewGroupService(db)
		c.Sharing = database.NewSharingService(db)
	})
	u := &atip.User{OrgID: e.orgA.ID, Login: "asup", Name: "Test asup", Roles: []atip.Role{atip.RoleSupervisor}, Lang: "en"}
	if err := e.users.CreateUser(atip.OperatorContext(context.Background()), u, testPassword); err != nil {
		t.Fatal(err)
	}
	e.user["asup"] = u
	return e
}

// putRegistryRow stores a record's registry row directly, as a record
// store would, with no personal data (so no data key): the sharing pages
// never decode a record's content. It returns the record's id and its
// pseudonymous reference.
func putRegistryRow(t *testing.T, e *env, ownerOrgID string, dist atip.Distribution, tlp atip.TLP) (string, string) {
	t.Helper()
	var db *sql.DB
	var err error
	target := e.db.Target()
	if target.Engine == database.SQLite {
		db, err = sql.Open("sqlite", target.Path)
	} else {
		db, err = sql.Open("pgx", target.URL)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id := atip.NewID()
	ref := "PER-" + strings.ToUpper(id[len(id)-8:])
	now := time.Now().UTC()
	if _, err := db.Exec(`INSERT INTO records (id, type, ref, owner_org_id, distribution, tlp, data, created_at, created_by, updated_at, updated_by)
		VALUES ($1, 'person', $2, $3, $4, $5, '{}', $6, '', $6, '')`, id, ref, ownerOrgID, string(dist), string(tlp), now); err != nil {
		t.Fatal(err)
	}
	return id, ref
}

// The generated route tests, run again with the sharing pages wired to the
// real service, so that their handlers are what answers.
func TestSharingRoutesAccess(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			testRoutesRefuseTheUnauthenticated(t, newSharingEnv(t, engine))
			testRoutesRefuseTheWrongRole(t, newSharingEnv(t, engine))
		})
	}
}

// A partner sees a shared record's redacted reference with its TLP badge
// and asks for access; the owner's supervisor approves from the inbox; the
// requester is told. A record the partner may not see, or a guessed id, is
// a 404 page.
func TestSharingAccessRequestPages(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			e := newSharingEnv(t, engine)
			shared, ref := putRegistryRow(t, e, e.orgA.ID, atip.DistPlatform, atip.TLPGreen)
			private, _ := putRegistryRow(t, e, e.orgA.ID, atip.DistOwner, atip.TLPAmber)
			worker, bworker, asup := e.signedIn("worker"), e.signedIn("bworker"), e.signedIn("asup")

			r := bworker.get("/records/" + shared + "/sharing")
			if r.status != http.StatusOK || !strings.Contains(r.body, ref) || !strings.Contains(r.body, `data-tlp="GREEN">TLP:GREEN`) ||
				!strings.Contains(r.body, `id="request"`) || strings.Contains(r.body, `id="marking"`) || strings.Contains(r.body, `id="refer"`) {
				t.Fatalf("partner's view of a shared record: %d\n%s", r.status, r.body)
			}
			for _, id := range []string{private, atip.NewID()} {
				if r := bworker.get("/records/" + id + "/sharing"); r.status != http.StatusNotFound {
					t.Fatalf("a record the partner may not see: %d", r.status)
				}
			}
			if r := worker.get("/records/" + shared + "/sharing"); r.status != http.StatusOK || !strings.Contains(r.body, `id="marking"`) ||
				!strings.Contains(r.body, `id="refer"`) || !strings.Contains(r.body, `id="consent-new"`) {
				t.Fatalf("owner's page: %d\n%s", r.status, r.body)
			}

			form := url.Values{"classes": {"identity"}, "purpose": {"investigation"}, "reason": {"too short"}}
			if r := bworker.post("/records/"+shared+"/access-requests", form); r.status != http.StatusUnprocessableEntity ||
				!strings.Contains(r.body, `role="alert"`) {
				t.Fatalf("short reason: %d\n%s", r.status, r.body)
			}
			form.Set("reason", "the same victim appears in our FIR 112/2026")
			if r := bworker.post("/records/"+shared+"/access-requests", form); r.status != http.StatusSeeOther {
				t.Fatalf("request: %d\n%s", r.status, r.body)
			}
			r = asup.get("/sharing/inbox")
			i := strings.Index(r.body, `id="request-`)
			if r.status != http.StatusOK || i < 0 || !strings.Contains(r.body, "TLP:GREEN") {
				t.Fatalf("supervisor's inbox: %d\n%s", r.status, r.body)
			}
			reqID := r.body[i+len(`id="request-`):]
			reqID = reqID[:strings.IndexByte(reqID, '"')]
			decide := url.Values{"answer": {"approve"}, "expires": {time.Now().AddDate(0, 0, 7).Format("2006-01-02")}}
			if r := worker.post("/sharing/requests/"+reqID+"/decide", decide); r.status != http.StatusForbidden {
				t.Fatalf("a caseworker approved: %d", r.status)
			}
			if r := asup.post("/sharing/requests/"+reqID+"/decide", decide); r.status != http.StatusUnprocessableEntity ||
				!strings.Contains(r.body, "consent does not cover") {
				t.Fatalf("approved without consent: %d", r.status)
			}
			consent := url.Values{"purposes": {"investigation"}, "org_ids": {e.orgB.ID}, "method": {"written"}, "given_by": {"guardian"}}
			if r := worker.post("/records/"+shared+"/consents", consent); r.status != http.StatusUnprocessableEntity ||
				!strings.Contains(r.body, "Guardian&#39;s relation:") {
				t.Fatalf("guardian without relation: %d\n%s", r.status, r.body)
			}
			consent.Set("given_by", "person")
			if r := worker.post("/records/"+shared+"/consents", consent); r.status != http.StatusSeeOther {
				t.Fatalf("consent: %d\n%s", r.status, r.body)
			}
			if r := worker.get("/records/" + shared + "/sharing"); !strings.Contains(r.body, "In force") || !strings.Contains(r.body, "CWC Kathmandu") {
				t.Fatalf("consent not on the owner's page:\n%s", r.body)
			}
			if r := asup.post("/sharing/requests/"+reqID+"/decide", decide); r.status != http.StatusSeeOther {
				t.Fatalf("approve: %d\n%s", r.status, r.body)
			}
			if r := bworker.get("/sharing/inbox"); !strings.Contains(r.body, `<span class="count">1</span>`) {
				t.Fatalf("the navigation does not count the unread notification:\n%s", r.body)
			}
			if r := bworker.get("/notifications"); r.status != http.StatusOK || !strings.Contains(r.body, "Your access request was approved.") ||
				!strings.Contains(r.body, "1 unread notification.") {
				t.Fatalf("requester's notifications: %d\n%s", r.status, r.body)
			}

			// The owner's marking form refuses what the TLP does not allow.
			if r := worker.post("/records/"+shared+"/marking", url.Values{"tlp": {"RED"}, "distribution": {"platform"}}); r.status != http.StatusUnprocessableEntity ||
				!strings.Contains(r.body, "Distribution:") {
				t.Fatalf("RED platform-wide: %d\n%s", r.status, r.body)
			}
			if r := worker.post("/records/"+shared+"/marking", url.Values{"tlp": {"AMBER"}, "distribution": {"owner"}}); r.status != http.StatusSeeOther {
				t.Fatalf("narrowing: %d\n%s", r.status, r.body)
			}
			// The requester keeps their personal grant; the rest of their
			// organisation no longer sees the record at all.
			if r := bworker.get("/records/" + shared + "/sharing"); r.status != http.StatusOK {
				t.Fatalf("after narrowing, the grant holder: %d", r.status)
			}
			if r := e.signedIn("auditor").get("/records/" + shared + "/sharing"); r.status != http.StatusNotFound {
				t.Fatalf("after narrowing to owner-only, a partner without a grant sees: %d", r.status)
			}
		})
	}
}

// A referral is answered from the receiver's inbox; under it the record
// offers break-glass with its warning; opening it tells the owner's
// supervisor at once.
func TestSharingReferralAndBreakGlassPages(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			e := newSharingEnv(t, engine)
			id, ref := putRegistryRow(t, e, e.orgA.ID, atip.DistOwner, atip.TLPAmber)
			worker, bworker, asup := e.signedIn("worker"), e.signedIn("bworker"), e.signedIn("asup")
			refer := url.Values{"to_org_id": {e.orgB.ID}, "classes": {"operational"}, "purpose": {"investigation"},
				"expires": {time.Now().AddDate(0, 1, 0).Format("2006-01-02")}, "note": {"joint operation"}}
			if r := worker.post("/records/"+id+"/referrals", refer); r.status != http.StatusSeeOther {
				t.Fatalf("refer: %d\n%s", r.status, r.body)
			}
			r := bworker.get("/sharing/inbox")
			i := strings.Index(r.body, `id="referral-`)
			if r.status != http.StatusOK || i < 0 || !strings.Contains(r.body, ref) || !strings.Contains(r.body, "TLP:AMBER") {
				t.Fatalf("receiver's inbox: %d\n%s", r.status, r.body)
			}
			rid := r.body[i+len(`id="referral-`):]
			rid = rid[:strings.IndexByte(rid, '"')]
			if r := bworker.post("/sharing/referrals/"+rid+"/answer", url.Values{"answer": {"accept"}}); r.status != http.StatusSeeOther {
				t.Fatalf("accept: %d\n%s", r.status, r.body)
			}
			r = bworker.get("/records/" + id + "/sharing")
			if r.status != http.StatusOK || !strings.Contains(r.body, `id="break-glass"`) || !strings.Contains(r.body, "told at once") {
				t.Fatalf("referral holder's page: %d\n%s", r.status, r.body)
			}
			glass := url.Values{"classes": {"identity"}, "minutes": {"30"}, "reason": {"a child is at the border post now"}}
			if r := bworker.post("/records/"+id+"/break-glass", glass); r.status != http.StatusSeeOther {
				t.Fatalf("break-glass: %d\n%s", r.status, r.body)
			}
			if r := asup.get("/notifications"); !strings.Contains(r.body, "Emergency access was opened on one of your records") {
				t.Fatalf("the owner's supervisor was not told: %d\n%s", r.status, r.body)
			}
			if r := asup.get("/sharing/inbox"); !strings.Contains(r.body, `id="glass-`) {
				t.Fatalf("break-glass not in the owner's inbox: %d", r.status)
			}
			if r := worker.get("/records/" + id + "/sharing"); !strings.Contains(r.body, `id="glass-uses"`) || !strings.Contains(r.body, "border post") {
				t.Fatalf("break-glass not on the owner's page: %d", r.status)
			}
			if r := asup.get("/sharing/shared"); r.status != http.StatusOK || !strings.Contains(r.body, ref) {
				t.Fatalf("shared by us: %d\n%s", r.status, r.body)
			}
		})
	}
}

// Settings are the organisation admin's: defaults per type and retention.
func TestSharingSettingsPage(t *testing.T) {
	e := newSharingEnv(t, database.SQLite)
	admin, worker := e.signedIn("oadmin"), e.signedIn("worker")
	if r := worker.get("/sharing/settings"); r.status == http.StatusOK {
		t.Fatal("a caseworker reached the settings")
	}
	if r := admin.post("/sharing/settings/defaults", url.Values{"record_type": {"tip"}, "tlp": {"AMBER"}, "distribution": {"platform"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("AMBER platform-wide default: %d", r.status)
	}
	if r := admin.post("/sharing/settings/defaults", url.Values{"record_type": {"tip"}, "tlp": {"GREEN"}, "distribution": {"platform"}}); r.status != http.StatusSeeOther {
		t.Fatalf("default: %d\n%s", r.status, r.body)
	}
	if r := admin.post("/sharing/settings/retention", url.Values{"record_type": {"case"}, "keep_days": {"3650"}}); r.status != http.StatusSeeOther {
		t.Fatalf("retention: %d\n%s", r.status, r.body)
	}
	r := admin.get("/sharing/settings")
	if r.status != http.StatusOK || !strings.Contains(r.body, `value="3650"`) || !strings.Contains(r.body, `data-tlp="GREEN">TLP:GREEN`) {
		t.Fatalf("settings page: %d\n%s", r.status, r.body)
	}
}
