package api_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// newSharingEnv is the API env with the sharing service wired.
func newSharingEnv(t *testing.T, engine database.Engine) *env {
	e := newEnv(t, engine)
	e.svc.Sharing = database.NewSharingService(e.db)
	e.h = api.New(api.Config{Services: e.svc, Version: "test", SessionCookie: sessionCookie})
	return e
}

// putRegistryRow stores a record's registry row as a record store would,
// with no personal data: the sharing operations never decode content.
func putRegistryRow(t *testing.T, e *env, ownerOrgID string, dist atip.Distribution, tlp atip.TLP) string {
	t.Helper()
	target := e.db.Target()
	driver, dsn := "pgx", target.URL
	if target.Engine == database.SQLite {
		driver, dsn = "sqlite", target.Path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id := atip.NewID()
	now := time.Now().UTC()
	if _, err := db.Exec(`INSERT INTO records (id, type, ref, owner_org_id, distribution, tlp, data, created_at, created_by, updated_at, updated_by)
		VALUES ($1, 'person', $2, $3, $4, $5, '{}', $6, '', $6, '')`, id, "PER-"+strings.ToUpper(id[len(id)-8:]), ownerOrgID, string(dist), string(tlp), now); err != nil {
		t.Fatal(err)
	}
	return id
}

// A partner asks for access over the API; the owner's supervisor approves;
// the requester is told, and the owner can revoke the grant. Every answer
// naming the record carries its TLP; a record the partner may not see is 404.
func TestSharingOverTheAPI(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			e := newSharingEnv(t, engine)
			shared := putRegistryRow(t, e, e.orgA.ID, atip.DistPlatform, atip.TLPGreen)
			private := putRegistryRow(t, e, e.orgA.ID, atip.DistOwner, atip.TLPAmber)
			workerA, supA, workerB := e.rw["A"][atip.RoleCaseworker], e.rw["A"][atip.RoleSupervisor], e.rw["B"][atip.RoleCaseworker]

			rs := decode[api.RecordSharing](t, e.do("GET", api.Prefix+"/records/"+shared+"/sharing", workerB, ""), http.StatusOK)
			if rs.Owner || rs.Record.TLP != "GREEN" || !slices.Contains(rs.Requestable, "identity") || len(rs.Consents) != 0 || rs.Distribution != "" {
				t.Fatalf("partner's sharing state: %+v", rs)
			}
			for _, id := range []string{private, atip.NewID()} {
				wantProblem(t, e.do("GET", api.Prefix+"/records/"+id+"/sharing", workerB, ""), http.StatusNotFound)
				wantProblem(t, e.do("POST", api.Prefix+"/records/"+id+"/break-glass", workerB,
					`{"classes":["identity"],"reason":"a child is at the border post now"}`), http.StatusNotFound)
			}

			given := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
			c := decode[api.Consent](t, e.do("POST", api.Prefix+"/records/"+shared+"/consents", workerA,
				fmt.Sprintf(`{"purposes":["investigation"],"org_ids":[%q],"method":"written","given_by":"person","given_at":%q}`, e.orgB.ID, given)),
				http.StatusCreated)
			if c.ID == "" || c.RecordedBy != e.users["A"][atip.RoleCaseworker].ID {
				t.Fatalf("consent: %+v", c)
			}
			wantProblem(t, e.do("POST", api.Prefix+"/records/"+shared+"/access-requests", workerB,
				`{"classes":["identity"],"purpose":"investigation","reason":"short"}`), http.StatusUnprocessableEntity)
			req := decode[api.AccessRequest](t, e.do("POST", api.Prefix+"/records/"+shared+"/access-requests", workerB,
				`{"classes":["identity"],"purpose":"investigation","reason":"the same victim appears in our FIR 112/2026"}`), http.StatusCreated)
			in := decode[api.Inbox](t, e.do("GET", api.Prefix+"/sharing/inbox", supA, ""), http.StatusOK)
			if len(in.Requests) != 1 || len(in.Records) != 1 || in.Records[0].TLP != "GREEN" {
				t.Fatalf("owner's inbox: %+v", in)
			}
			until := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
			wantProblem(t, e.do("POST", api.Prefix+"/access-requests/"+req.ID+"/decide", workerA,
				fmt.Sprintf(`{"approve":true,"expires_at":%q}`, until)), http.StatusForbidden)
			got := decode[api.AccessRequest](t, e.do("POST", api.Prefix+"/access-requests/"+req.ID+"/decide", supA,
				fmt.Sprintf(`{"approve":true,"expires_at":%q}`, until)), http.StatusOK)
			if got.Status != "approved" || got.GrantID == "" {
				t.Fatalf("decided: %+v", got)
			}
			rs = decode[api.RecordSharing](t, e.do("GET", api.Prefix+"/records/"+shared+"/sharing", workerB, ""), http.StatusOK)
			if !slices.Contains(rs.Shown, "identity") {
				t.Fatalf("after approval the requester is shown %v", rs.Shown)
			}

			ns := decode[api.NotificationList](t, e.do("GET", api.Prefix+"/notifications", workerB, ""), http.StatusOK)
			if ns.Unread != 1 || len(ns.Items) != 1 || ns.Items[0].Kind != "sharing.notify.access_approved" || ns.Items[0].Args["tlp"] != "GREEN" {
				t.Fatalf("requester's notifications: %+v", ns)
			}
			wantProblem(t, e.do("POST", api.Prefix+"/notifications/"+ns.Items[0].ID+"/read", workerA, ""), http.StatusNotFound)
			if w := e.do("POST", api.Prefix+"/notifications/"+ns.Items[0].ID+"/read", workerB, ""); w.Code != http.StatusNoContent {
				t.Fatalf("mark read: %d %s", w.Code, w.Body)
			}
			wantProblem(t, e.do("POST", api.Prefix+"/referrals/"+got.GrantID+"/revoke", workerB, ""), http.StatusNotFound)
			if w := e.do("POST", api.Prefix+"/referrals/"+got.GrantID+"/revoke", workerA, ""); w.Code != http.StatusNoContent {
				t.Fatalf("revoke: %d %s", w.Code, w.Body)
			}
			rs = decode[api.RecordSharing](t, e.do("GET", api.Prefix+"/records/"+shared+"/sharing", workerB, ""), http.StatusOK)
			if slices.Contains(rs.Shown, "identity") {
				t.Fatalf("after revocation the requester is shown %v", rs.Shown)
			}
		})
	}
}
