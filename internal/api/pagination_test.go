package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atip"
	"atip/internal/api"
)

// pageOf fetches one page and checks that the Link header agrees with the
// body's next cursor.
func pageOf[T any](t *testing.T, e *env, path, token string, next func(T) string) T {
	t.Helper()
	w := e.do("GET", path, token, "")
	p := decode[T](t, w, http.StatusOK)
	link := w.Header().Get("Link")
	if n := next(p); n == "" {
		if link != "" {
			t.Errorf("last page has a Link header %q", link)
		}
	} else if !strings.Contains(link, "cursor="+url.QueryEscape(n)) || !strings.HasSuffix(link, `rel="next"`) {
		t.Errorf("Link %q does not point at the next cursor %q", link, n)
	}
	return p
}

// TestPaginationWhileInserting walks lists page by page while new records
// are added between pages: every record that existed at the start must be
// seen exactly once, and nothing twice.
func TestPaginationWhileInserting(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		admin := e.rw["A"][atip.RolePlatformAdmin]
		// Organisations: 2 from the fixture plus 23.
		for i := range 23 {
			e.org(fmt.Sprintf("Test Org %02d", i), atip.OrgShelterNGO, "IN-WB")
		}
		before := map[string]bool{}
		for _, o := range listAll[api.OrgPage](t, e, "/orgs?limit=200", admin, func(p api.OrgPage) ([]string, string) { return orgIDs(p), p.Next }) {
			before[o] = true
		}
		seen := map[string]int{}
		path := "/orgs?limit=4&type=shelter_ngo"
		for pages := 0; ; pages++ {
			p := pageOf(t, e, api.Prefix+path, admin, func(p api.OrgPage) string { return p.Next })
			for _, o := range p.Items {
				seen[o.ID]++
				if o.Type != api.OrgType(atip.OrgShelterNGO) {
					t.Errorf("organisation %s of type %s on a page filtered by type", o.ID, o.Type)
				}
			}
			// Someone adds an organisation while the client pages.
			e.org(fmt.Sprintf("Test Late Org %02d", pages), atip.OrgShelterNGO, "IN-WB")
			if p.Next == "" {
				break
			}
			if pages > 50 {
				t.Fatal("pagination does not end")
			}
			path = "/orgs?limit=4&type=shelter_ngo&cursor=" + url.QueryEscape(p.Next)
		}
		shelters := 0
		for id := range before {
			o, err := e.svc.Orgs.FindOrgByID(e.op, id)
			if err != nil {
				t.Fatal(err)
			}
			if o.Type == atip.OrgShelterNGO {
				shelters++
				if seen[id] != 1 {
					t.Errorf("organisation %s seen %d times, want once", id, seen[id])
				}
			}
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("organisation %s seen %d times", id, n)
			}
		}
		if shelters != 24 {
			t.Fatalf("%d shelters existed at the start, want 24", shelters)
		}

		// Users of organisation A, as its admin, while users are added.
		initial := len(e.users["A"])
		seenUsers := map[string]int{}
		cursor := ""
		for pages := 0; pages < 50; pages++ {
			path := fmt.Sprintf("%s/users?org_id=%s&limit=3", api.Prefix, e.orgA.ID)
			if cursor != "" {
				path += "&cursor=" + url.QueryEscape(cursor)
			}
			p := pageOf(t, e, path, e.rw["A"][atip.RoleOrgAdmin], func(p api.UserPage) string { return p.Next })
			for _, u := range p.Items {
				seenUsers[u.ID]++
			}
			e.user(e.orgA, fmt.Sprintf("late-user-%02d", pages), atip.RoleCaseworker)
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		for _, u := range e.users["A"] {
			if seenUsers[u.ID] != 1 {
				t.Errorf("user %s seen %d times, want once", u.Login, seenUsers[u.ID])
			}
		}
		if len(seenUsers) < initial {
			t.Errorf("saw %d users, want at least %d", len(seenUsers), initial)
		}

		// The audit trail, newest first: entries appended while paging are
		// newer than the first page and must not push old entries twice.
		auditor := e.rw["B"][atip.RoleAuditor]
		seenSeq := map[int64]int{}
		var last int64 = -1
		cursor = ""
		for pages := 0; pages < 200; pages++ {
			path := api.Prefix + "/audit?limit=7"
			if cursor != "" {
				path += "&cursor=" + url.QueryEscape(cursor)
			}
			p := pageOf(t, e, path, auditor, func(p api.AuditPage) string { return p.Next })
			for _, a := range p.Items {
				seenSeq[a.Seq]++
				if last >= 0 && a.Seq >= last {
					t.Errorf("audit seq %d after %d: want strictly newest first", a.Seq, last)
				}
				last = a.Seq
			}
			e.org(fmt.Sprintf("Test Audit Org %03d", pages), atip.OrgPolice, "IN-BR")
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		if last != 0 {
			t.Errorf("audit paging ended at seq %d, want 0 (the first entry)", last)
		}
		for seq, n := range seenSeq {
			if n != 1 {
				t.Errorf("audit seq %d seen %d times", seq, n)
			}
		}
	})
}

func orgIDs(p api.OrgPage) []string {
	var ids []string
	for _, o := range p.Items {
		ids = append(ids, o.ID)
	}
	return ids
}

// listAll follows next cursors to the end and returns every id.
func listAll[T any](t *testing.T, e *env, path, token string, ids func(T) ([]string, string)) []string {
	t.Helper()
	var all []string
	for range 1000 {
		p := decode[T](t, e.do("GET", api.Prefix+path, token, ""), http.StatusOK)
		got, next := ids(p)
		all = append(all, got...)
		if next == "" {
			return all
		}
		path = strings.Split(path, "&cursor=")[0] + "&cursor=" + url.QueryEscape(next)
	}
	t.Fatal("list does not end")
	return nil
}
