package web

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
	"atip/internal/redact"
)

// insertCase writes a case's registry row straight into the SQLite file, as
// the case pages (another area) will: the web tests have no case service.
// The operational fields are in the clear JSON, which is all the link form
// reads.
func insertCase(t *testing.T, path, orgID string, tlp atip.TLP, dist atip.Distribution, suspects ...string) (id, ref string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	c := atip.Case{ID: atip.NewID()}
	for _, s := range suspects {
		c.Suspects = append(c.Suspects, atip.CaseSuspect{PersonID: s})
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	ref = redact.Ref(atip.RecordRef{Type: atip.RecordCase, ID: c.ID})
	now := time.Now().UTC()
	if _, err := raw.Exec(`INSERT INTO records (id, type, ref, owner_org_id, distribution, tlp, data, created_at, created_by, updated_at, updated_by)
		VALUES (?, 'case', ?, ?, ?, ?, ?, ?, 'test', ?, 'test')`, c.ID, ref, orgID, string(dist), string(tlp), string(data), now, now); err != nil {
		t.Fatal(err)
	}
	return c.ID, ref
}

// An analyst links the phone of a tip to a suspect of a case in two steps
// (find the case, choose the suspect); the tip page lists the link and the
// network page shows the case as a node, by reference and TLP only.
func TestLinkSelectorToCaseFromTipPage(t *testing.T) {
	path, keyFile := dbtest.NewURL(t, database.SQLite)
	db, err := database.Open(t.Context(), path, database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(keyFile),
		database.WithKeyring(dbtest.Keyring(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := newEnvOn(t, db)
	ts := newTipService(t, db, e.orgA.ID)
	op := atip.OperatorContext(t.Context())
	tip := &atip.Tip{OrgID: e.orgA.ID, Text: recruitText}
	other := &atip.Tip{OrgID: e.orgA.ID, Text: "Driver wanted in Doha, call 98301 23456"}
	for _, x := range []*atip.Tip{tip, other} {
		if err := ts.CreateTip(op, x); err != nil {
			t.Fatal(err)
		}
	}
	suspect := atip.NewID()
	_, caseRef := insertCase(t, path, e.orgA.ID, atip.TLPAmber, atip.DistOwner, suspect)
	_, theirRef := insertCase(t, path, e.orgB.ID, atip.TLPGreen, atip.DistPlatform)
	analyst := &atip.User{OrgID: e.orgA.ID, Login: "analyst", Name: "Test analyst", Roles: []atip.Role{atip.RoleAnalyst}, Lang: "en"}
	if err := e.users.CreateUser(op, analyst, testPassword); err != nil {
		t.Fatal(err)
	}
	b := e.signedIn("analyst")
	page := b.get("/tips/" + tip.ID)
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="link-find"`) || !strings.Contains(page.body, `value="phone:&#43;919830123456"`) {
		t.Fatalf("tip page has no link form: %d\n%s", page.status, page.body)
	}
	// Another organisation's case is not found, and the form says so.
	r := b.post("/tips/"+tip.ID+"/links", url.Values{"selector": {"phone:+919830123456"}, "case": {theirRef}, "step": {"find"}})
	if r.status != http.StatusNotFound || !strings.Contains(r.body, `id="link-case-err"`) {
		t.Fatalf("another organisation's case: status %d\n%s", r.status, r.body)
	}
	// Step one: the case's suspects are offered.
	r = b.post("/tips/"+tip.ID+"/links", url.Values{"selector": {"phone:+919830123456"}, "case": {strings.ToLower(caseRef)}, "step": {"find"}})
	suspectRef := redact.Ref(atip.RecordRef{Type: atip.RecordPerson, ID: suspect})
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="link-confirm"`) || !strings.Contains(r.body, `value="`+suspect+`"> <label for="suspect-`+suspect+`">`+suspectRef) ||
		!strings.Contains(r.body, `data-tlp="AMBER"`) {
		t.Fatalf("step one: status %d\n%s", r.status, r.body)
	}
	// A person who is not a suspect of the case is refused.
	r = b.post("/tips/"+tip.ID+"/links", url.Values{"selector": {"phone:+919830123456"}, "case": {caseRef}, "suspect": {atip.NewID()}, "step": {"link"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("not a suspect: status %d", r.status)
	}
	// Step two: linked.
	r = b.post("/tips/"+tip.ID+"/links", url.Values{"selector": {"phone:+919830123456"}, "case": {caseRef}, "suspect": {suspect}, "step": {"link"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("link: status %d\n%s", r.status, r.body)
	}
	page = b.get("/tips/" + tip.ID)
	if !strings.Contains(page.body, `id="tip-case-links"`) || !strings.Contains(page.body, "<strong>"+caseRef+"</strong>") || !strings.Contains(page.body, suspectRef) {
		t.Errorf("tip page lacks the link\n%s", page.body)
	}
	// The network of the other tip (it shares the phone) shows the case.
	net := b.get("/tips/" + other.ID + "/network")
	if net.status != http.StatusOK || !strings.Contains(net.body, `id="network-cases"`) || !strings.Contains(net.body, `&#34;kind&#34;:&#34;case&#34;`) ||
		!strings.Contains(net.body, caseRef+" · TLP:AMBER") {
		t.Fatalf("network page: status %d\n%s", net.status, net.body)
	}
	// The graph shows no more of the case than its reference and marking,
	// and opens its page (which the policy decides on).
	var g tipGraph
	j := b.get("/tips/" + other.ID + "/network.json")
	if err := json.Unmarshal([]byte(j.body), &g); err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, n := range g.Nodes {
		if n.Kind == "case" {
			cases++
			if n.Label != caseRef+" · TLP:AMBER" || n.Href != "/cases/"+strings.TrimPrefix(n.ID, "case:") || strings.Contains(n.Label, suspect) {
				t.Errorf("case node %+v", n)
			}
		}
	}
	if cases != 1 || len(g.Edges) < 3 {
		t.Errorf("graph: %d case nodes, %d edges", cases, len(g.Edges))
	}
	// A caseworker of the organisation sees the tip but cannot link.
	if r := e.signedIn("worker").post("/tips/"+tip.ID+"/links", url.Values{"selector": {"phone:+919830123456"}, "case": {caseRef}, "step": {"link"}}); r.status != http.StatusForbidden {
		t.Errorf("caseworker links: status %d, want 403", r.status)
	}
}
