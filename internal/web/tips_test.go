package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

func newTipService(t testing.TB, db *database.DB, desk string) *database.TipService {
	t.Helper()
	s, err := database.NewTipService(db, desk)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const recruitText = "Urgent! Girls only age 18-25 needed for hotel job in Dubai. Free visa, salary 80000, no experience needed. Call 98301 23456"

// report submits the public form as a person would: it reads the form
// first, for its signed start time.
func (b *browser) report(form url.Values) response {
	b.e.t.Helper()
	page := b.get("/report")
	form.Set("started", find(b.e.t.(*testing.T), page.body, `name="started" value="([^"]+)"`))
	return b.post("/report", form)
}

func TestPublicReportToTriage(t *testing.T) {
	e := newEnv(t, database.SQLite)
	e.srv.desk.minFill = 0
	anon := e.browser()
	r := anon.report(url.Values{"text": {recruitText}, "platform": {"Facebook"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/report/thanks?ref=TIP-") {
		t.Fatalf("submit: status %d to %q\n%s", r.status, r.location(), r.body)
	}
	thanks := anon.get(r.location())
	ref := find(t, thanks.body, `id="tip-ref">(TIP-[A-Z0-9-]+)<`)
	if strings.Contains(thanks.body, "Dubai") {
		t.Error("the thank-you page echoes the report's text")
	}

	// An analyst of the desk organisation sees it in the queue, opens it
	// and finds the indicators highlighted.
	analyst := &atip.User{OrgID: e.orgA.ID, Login: "analyst", Name: "Test analyst", Roles: []atip.Role{atip.RoleAnalyst}, Lang: "en"}
	if err := e.users.CreateUser(atip.OperatorContext(t.Context()), analyst, testPassword); err != nil {
		t.Fatal(err)
	}
	b := e.signedIn("analyst")
	q := b.get("/tips")
	if q.status != http.StatusOK || !strings.Contains(q.body, ref) || !strings.Contains(q.body, `href="/tips"`) {
		t.Fatalf("queue: status %d, ref %s or nav missing\n%s", q.status, ref, q.body)
	}
	id := find(t, q.body, `data-tip="([^"]+)"`)
	page := b.get("/tips/" + id)
	if page.status != http.StatusOK || strings.Count(page.body, "<mark title=") < 2 || !strings.Contains(page.body, "919830123456") {
		t.Fatalf("tip page: status %d, want marks and the phone\n%s", page.status, page.body)
	}
	// Triage through the forms.
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/assign", url.Values{"user": {"me"}}},
		{"/feedback", url.Values{"relevant": {"yes"}}},
		{"/actions", url.Values{"kind": {"takedown_requested"}, "reference": {"FB-TAKEDOWN-42"}}},
	} {
		if r := b.post("/tips/"+id+step.path, step.form); r.status != http.StatusSeeOther {
			t.Fatalf("%s: status %d\n%s", step.path, r.status, r.body)
		}
	}
	if r := b.post("/tips/"+id+"/actions", url.Values{"kind": {"takedown_requested"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("takedown without reference: status %d, want 422", r.status)
	}
	page = b.get("/tips/" + id)
	if !strings.Contains(page.body, "FB-TAKEDOWN-42") || !strings.Contains(page.body, "Action taken") || !strings.Contains(page.body, "Test analyst") {
		t.Errorf("tip page after triage lacks the action, status or assignee\n%s", page.body)
	}
	net := b.get("/tips/" + id + "/network.json")
	if net.status != http.StatusOK || !strings.Contains(net.body, `"nodes":[{"id":"`+id) {
		t.Errorf("network JSON: %d %s", net.status, net.body)
	}
	if r := b.get("/tips/" + id + "/network"); r.status != http.StatusOK || !strings.Contains(r.body, "cytoscape.min.js") {
		t.Errorf("network page: %d", r.status)
	}
	// The caseworker of org B may not open org A's tip.
	if r := e.signedIn("bworker").get("/tips/" + id); r.status != http.StatusNotFound {
		t.Errorf("another organisation's tip: status %d, want 404", r.status)
	}
	// The auditor has no tips at all.
	if r := e.signedIn("auditor").get("/tips"); r.status != http.StatusForbidden {
		t.Errorf("auditor on /tips: status %d, want 403", r.status)
	}
}

func TestPublicReportRefusesAndEscapes(t *testing.T) {
	e := newEnv(t, database.SQLite)
	e.srv.desk.minFill = 0
	e.srv.desk.limit = newRateLimiter(100, time.Minute)
	anon := e.browser()
	payload := `<script>alert("x")</script>`
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
	}{
		{"text too long", url.Values{"text": {payload + strings.Repeat("a", 5001)}}, http.StatusUnprocessableEntity},
		{"bad link", url.Values{"text": {payload}, "url": {`javascript:alert(1)`}, "contact": {payload}}, http.StatusUnprocessableEntity},
		{"body too large", url.Values{"text": {strings.Repeat("ক", 30000)}}, http.StatusRequestEntityTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := anon.report(tc.form)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d", r.status, tc.status)
			}
			if strings.Contains(r.body, "<script>alert") {
				t.Errorf("the page shows the payload unescaped")
			}
			if tc.status == http.StatusUnprocessableEntity && !strings.Contains(r.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
				t.Errorf("the form does not give the text back, escaped:\n%s", r.body)
			}
		})
	}
	// A machine that fills the hidden field is thanked and ignored.
	r := anon.report(url.Values{"text": {recruitText}, "website": {"http://spam.example"}})
	if r.status != http.StatusOK || strings.Contains(r.body, "TIP-") {
		t.Errorf("honeypot: status %d", r.status)
	}
	list, _, err := newTipService(t, e.db, "").FindTips(atip.OperatorContext(t.Context()), atip.TipFilter{})
	if err != nil || len(list) != 0 {
		t.Errorf("%d tips stored from refused submissions (%v)", len(list), err)
	}
	// Sending faster than a person can type is refused.
	e.srv.desk.minFill = time.Minute
	if r := anon.report(url.Values{"text": {recruitText}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("instant submission: status %d, want 422", r.status)
	}
	// A forged start time is refused too.
	e.srv.desk.minFill = 0
	if r := anon.post("/report", url.Values{"text": {recruitText}, "started": {"1.abcd"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("forged start time: status %d, want 422", r.status)
	}
}

func TestPublicReportRateLimit(t *testing.T) {
	e := newEnv(t, database.SQLite)
	e.srv.desk.minFill = 0
	anon := e.browser()
	got := map[int]int{}
	for range 7 {
		got[anon.report(url.Values{"text": {"a job offer that looks wrong"}}).status]++
	}
	if got[http.StatusSeeOther] != 5 || got[http.StatusTooManyRequests] != 2 {
		t.Fatalf("statuses %v, want 5 accepted and then 429", got)
	}
}

func TestPublicReportClosedWithoutDesk(t *testing.T) {
	db := dbtest.Open(t, database.SQLite)
	e := newEnvOn(t, db, func(c *Config) { c.Tips = newTipService(t, db, "") })
	e.srv.desk.minFill = 0
	anon := e.browser()
	if r := anon.get("/report"); r.status != http.StatusOK || !strings.Contains(r.body, "not being accepted") || strings.Contains(r.body, `name="text"`) {
		t.Errorf("closed report page: status %d\n%s", r.status, r.body)
	}
	if r := anon.post("/report", url.Values{"text": {recruitText}}); r.status != http.StatusServiceUnavailable {
		t.Errorf("report to a closed desk: status %d, want 503", r.status)
	}
}

func TestHighlight(t *testing.T) {
	ind := func(a, b int, label string) atip.TipIndicator {
		return atip.TipIndicator{ID: label, Label: label, Start: a, End: b}
	}
	for _, tc := range []struct {
		name string
		text string
		inds []atip.TipIndicator
		want string // marks in [label:text], plain text as is
	}{
		{"none", "hello", nil, "hello"},
		{"one", "free visa now", []atip.TipIndicator{ind(0, 9, "visa")}, "[visa:free visa] now"},
		{"unsorted", "a b c", []atip.TipIndicator{ind(4, 5, "c"), ind(0, 1, "a")}, "[a:a] b [c:c]"},
		{"overlap joins", "girls only job", []atip.TipIndicator{ind(0, 10, "girls"), ind(6, 14, "job")}, "[girls; job:girls only job]"},
		{"out of range ignored", "abc", []atip.TipIndicator{ind(2, 9, "x"), ind(-1, 1, "y")}, "abc"},
		{"inside a character ignored", "नौकरी", []atip.TipIndicator{ind(1, 3, "x"), ind(0, 6, "naukri")}, "[naukri:नौ]करी"},
		{"whole text", "<b>", []atip.TipIndicator{ind(0, 3, "tag")}, "[tag:<b>]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			for _, s := range highlight(tc.text, tc.inds, nil) {
				if s.Mark {
					b.WriteString("[" + s.Label + ":" + s.Text + "]")
				} else {
					b.WriteString(s.Text)
				}
			}
			if b.String() != tc.want {
				t.Errorf("got %q, want %q", b.String(), tc.want)
			}
		})
	}
}

// The tip page escapes the text around and inside the marks.
func TestTipPageEscapesText(t *testing.T) {
	e := newEnv(t, database.SQLite)
	ts := newTipService(t, e.db, e.orgA.ID)
	tip := &atip.Tip{Text: `<img src=x onerror=alert(1)> girls only, free visa, call 98301 23456`}
	if err := ts.CreateTip(atip.OperatorContext(t.Context()), func() *atip.Tip { tip.OrgID = e.orgA.ID; return tip }()); err != nil {
		t.Fatal(err)
	}
	analyst := &atip.User{OrgID: e.orgA.ID, Login: "analyst", Name: "Test analyst", Roles: []atip.Role{atip.RoleAnalyst}, Lang: "en"}
	if err := e.users.CreateUser(atip.OperatorContext(t.Context()), analyst, testPassword); err != nil {
		t.Fatal(err)
	}
	r := e.signedIn("analyst").get("/tips/" + tip.ID)
	if r.status != http.StatusOK || strings.Contains(r.body, "<img src=x") || !strings.Contains(r.body, "&lt;img src=x onerror=") {
		t.Fatalf("status %d; text not escaped:\n%s", r.status, r.body)
	}
}

// An officer reports a post through the form; a supervisor merges a
// duplicate and dismisses another through the tip page.
func TestOfficerFormMergeAndDismiss(t *testing.T) {
	e := newEnv(t, database.SQLite)
	worker := e.signedIn("worker")
	if r := worker.get("/tips/new"); r.status != http.StatusOK {
		t.Fatalf("officer form: %d", r.status)
	}
	r := worker.post("/tips", url.Values{"text": {""}, "posted_at": {"yesterday"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="text-err"`) || !strings.Contains(r.body, `id="posted-err"`) {
		t.Fatalf("bad officer form: status %d\n%s", r.status, r.body)
	}
	var ids []string
	for _, text := range []string{recruitText, recruitText + " today"} {
		r := worker.post("/tips", url.Values{"text": {text}, "platform": {"Facebook"}, "author": {"@agent_x"}, "posted_at": {"2026-03-01T10:00"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/tips/") {
			t.Fatalf("officer tip: status %d to %q\n%s", r.status, r.location(), r.body)
		}
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(r.location(), "/tips/"), "?saved=1"))
	}
	// The caseworker sees the tip but has no triage forms.
	if r := worker.get("/tips/" + ids[0]); r.status != http.StatusOK || strings.Contains(r.body, "/merge") || !strings.Contains(r.body, "@agent_x") {
		t.Errorf("caseworker's tip page: status %d", r.status)
	}
	sup := &atip.User{OrgID: e.orgA.ID, Login: "sup", Name: "Test sup", Roles: []atip.Role{atip.RoleSupervisor}, Lang: "en"}
	if err := e.users.CreateUser(atip.OperatorContext(t.Context()), sup, testPassword); err != nil {
		t.Fatal(err)
	}
	b := e.signedIn("sup")
	if r := b.post("/tips/"+ids[1]+"/merge", url.Values{"into": {ids[1]}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "merged into itself") {
		t.Errorf("merge into itself: status %d", r.status)
	}
	if r := b.post("/tips/"+ids[1]+"/merge", url.Values{"into": {ids[0]}}); r.status != http.StatusSeeOther {
		t.Fatalf("merge: status %d\n%s", r.status, r.body)
	}
	if r := b.get("/tips/" + ids[1]); !strings.Contains(r.body, "Merged") || !strings.Contains(r.body, `href="/tips/`+ids[0]+`"`) {
		t.Errorf("merged tip page does not say so")
	}
	if r := b.post("/tips/"+ids[0]+"/dismiss", nil); r.status != http.StatusSeeOther {
		t.Fatalf("dismiss: status %d", r.status)
	}
	if r := b.get("/tips?status=dismissed"); !strings.Contains(r.body, ids[0]) || strings.Contains(r.body, ids[1]) {
		t.Errorf("status filter: dismissed list wrong")
	}
}
