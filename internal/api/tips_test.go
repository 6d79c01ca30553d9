package api_test

import (
	"net/http"
	"strings"
	"testing"

	"atip"
	"atip/internal/api"
	"atip/internal/database"
)

// withTips gives the env's API a tip service.
func withTips(t *testing.T, e *env) {
	t.Helper()
	ts, err := database.NewTipService(e.db, "")
	if err != nil {
		t.Fatal(err)
	}
	svc := e.svc
	svc.Tips = ts
	e.h = api.New(api.Config{Services: svc, Version: "test", SessionCookie: sessionCookie})
}

func TestTipsThroughTheAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		withTips(t, e)
		worker := e.rw["A"][atip.RoleCaseworker]
		analyst := e.rw["A"][atip.RoleAnalyst]
		body := `{"text":"Girls only, hotel job in Dubai, free visa, call 98301 23456","platform":"Facebook","images":["post-17.jpg"],"posted_at":"2026-03-01T10:00:00Z"}`
		created := decode[api.Tip](t, e.do("POST", api.Prefix+"/tips", worker, body), http.StatusCreated)
		if created.Source != "api" || created.OrgID != e.orgA.ID || created.Score < 0.5 || len(created.Indicators) == 0 ||
			len(created.Images) != 1 || created.PostedAt == nil || len(created.Selectors) == 0 {
			t.Fatalf("created tip: %+v", created)
		}
		wantProblem(t, e.do("POST", api.Prefix+"/tips", worker, `{"text":""}`), http.StatusUnprocessableEntity)
		wantProblem(t, e.do("POST", api.Prefix+"/tips", worker, `{"text":"`+strings.Repeat("a", 5001)+`"}`), http.StatusUnprocessableEntity)

		// The list leaves the text out; the single read has it.
		page := decode[api.TipPage](t, e.do("GET", api.Prefix+"/tips?min_score=0.5", analyst, ""), http.StatusOK)
		if len(page.Items) != 1 || page.Items[0].Text != "" || page.Items[0].ID != created.ID {
			t.Fatalf("list: %+v", page.Items)
		}
		got := decode[api.Tip](t, e.do("GET", api.Prefix+"/tips/"+created.ID, analyst, ""), http.StatusOK)
		if !strings.Contains(got.Text, "Dubai") {
			t.Errorf("single read lacks the text: %+v", got)
		}
		// Feedback: the analyst may, the caseworker may not; another
		// organisation does not find the tip.
		if w := e.do("PUT", api.Prefix+"/tips/"+created.ID+"/feedback", analyst, `{"relevant":true}`); w.Code != http.StatusNoContent {
			t.Fatalf("feedback: %d %s", w.Code, w.Body)
		}
		wantProblem(t, e.do("PUT", api.Prefix+"/tips/"+created.ID+"/feedback", worker, `{"relevant":true}`), http.StatusForbidden)
		wantProblem(t, e.do("GET", api.Prefix+"/tips/"+created.ID, e.rw["B"][atip.RoleAnalyst], ""), http.StatusNotFound)
		if p := decode[api.TipPage](t, e.do("GET", api.Prefix+"/tips", e.rw["B"][atip.RoleAnalyst], ""), http.StatusOK); len(p.Items) != 0 {
			t.Errorf("B's analyst lists %d of A's tips", len(p.Items))
		}
		// Paging with the cursor covers every tip once.
		for range 3 {
			decode[api.Tip](t, e.do("POST", api.Prefix+"/tips", worker, `{"text":"an ordinary post"}`), http.StatusCreated)
		}
		seen, cursor := 0, ""
		for {
			p := decode[api.TipPage](t, e.do("GET", api.Prefix+"/tips?limit=2&cursor="+cursor, analyst, ""), http.StatusOK)
			seen += len(p.Items)
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if seen != 4 {
			t.Errorf("paged through %d tips, want 4", seen)
		}
	})
}
