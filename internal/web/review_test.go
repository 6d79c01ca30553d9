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

func newReviewEnv(t *testing.T) *env {
	t.Helper()
	db := dbtest.Open(t, database.SQLite)
	return newEnvOn(t, db, func(c *Config) {
		c.Intake, c.Cases, c.Sharing, c.Review = database.NewIntakeService(db), database.NewCaseService(db), database.NewSharingService(db), database.NewReviewService(db)
	})
}

func TestReviewRoutesAccess(t *testing.T) {
	testRoutesRefuseTheUnauthenticated(t, newReviewEnv(t))
	testRoutesRefuseTheWrongRole(t, newReviewEnv(t))
}

// Org A's Devanagari missing report matches org B's Latin-spelled rescued
// girl: B's queue names only the organisation holding the report, with no
// name and no explanation, refuses a blind confirmation and sends an access
// request; A's queue is empty; B's own match of two of its records is
// shown side by side with the explanation and can be rejected.
func TestReviewPagesHideWhatThePolicyHides(t *testing.T) {
	e := newReviewEnv(t)
	a, b := e.signedIn("worker"), e.signedIn("bworker")
	r := a.post("/missing", url.Values{"names": {"रीना कुमारी"}, "sex": {"female"}, "age": {"14"}, "last_seen": {"2026-01-08T17:00"},
		"last_seen_in": {"IN-BR-SITAMARHI"}, "relation": {"father"}, "reporter": {"रमेश साह"}, "tlp": {"AMBER"}, "distribution": {"owner"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("missing report: %d\n%s", r.status, r.body)
	}
	bctx := atip.NewContextWithActor(context.Background(), &atip.Actor{User: e.user["bworker"], Org: e.orgB, Via: atip.ViaWeb})
	cases := database.NewCaseService(e.db)
	p := &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: 14, AgeAsOf: e.db.Now(), AgeMethod: "officer_estimate",
		HomeDistrict: "IN-BR-SITAMARHI", Names: []atip.PersonName{{Full: "Reena Kumari", Script: "Latn", Kind: "name"}}}
	if err := cases.CreatePerson(bctx, p); err != nil {
		t.Fatal(err)
	}
	r = b.get("/review")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Possible match with a record held by AHTU Sitamarhi") ||
		!strings.Contains(r.body, "Reena Kumari") || strings.Contains(r.body, "रीना") || strings.Contains(r.body, "रमेश") {
		t.Fatalf("B's queue: %d\n%s", r.status, r.body)
	}
	id := find(t, r.body, `data-match="([^"]+)"`)
	if r := b.get("/notifications"); !strings.Contains(r.body, "A possible match of one of your records waits for review") {
		t.Fatalf("B's notifications:\n%s", r.body)
	}
	r = b.get("/review/" + id)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="held-by"`) || !strings.Contains(r.body, `id="access-form"`) ||
		strings.Contains(r.body, `id="explanation"`) || strings.Contains(r.body, `id="confirm"`) || strings.Contains(r.body, "रीना") ||
		!strings.Contains(r.body, "TLP:AMBER") {
		t.Fatalf("B's match page: %d\n%s", r.status, r.body)
	}
	if r := b.post("/review/"+id+"/decide", url.Values{"decision": {"confirm"}}); r.status != http.StatusForbidden {
		t.Fatalf("blind confirmation: %d", r.status)
	}
	if r := b.post("/review/"+id+"/access", url.Values{"reason": {"too short"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="reason-err"`) {
		t.Fatalf("short reason: %d\n%s", r.status, r.body)
	}
	r = b.post("/review/"+id+"/access", url.Values{"reason": {"Rescued girl from Sitamarhi may be the one reported missing"}})
	if r.status != http.StatusSeeOther || !strings.HasSuffix(r.location(), "?requested=1") {
		t.Fatalf("access request: %d\n%s", r.status, r.body)
	}
	if r := b.get(r.location()); !strings.Contains(r.body, `id="requested"`) || strings.Contains(r.body, `id="access-form"`) {
		t.Fatalf("after the request:\n%s", r.body)
	}
	// The request reaches A's sharing inbox as any other.
	if r := a.get("/sharing/inbox"); !strings.Contains(r.body, "Rescued girl from Sitamarhi") {
		t.Fatalf("A's inbox:\n%s", r.body)
	}
	if r := a.get("/review"); strings.Contains(r.body, "data-match") {
		t.Fatalf("A's queue holds B's match:\n%s", r.body)
	}
	if r := a.get("/review/" + id); r.status != http.StatusNotFound {
		t.Fatalf("A opens B's match: %d", r.status)
	}

	// Two records of B: side by side with the explanation, rejected.
	q := &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: 15, AgeAsOf: e.db.Now(), AgeMethod: "officer_estimate",
		HomeDistrict: "IN-BR-SITAMARHI", Names: []atip.PersonName{{Full: "Rina Kumari", Script: "Latn", Kind: "name"}}}
	if err := cases.CreatePerson(bctx, q); err != nil {
		t.Fatal(err)
	}
	r = b.get("/review")
	var own string
	for _, m := range strings.Split(r.body, `data-match="`)[1:] {
		if mid := m[:strings.Index(m, `"`)]; mid != id {
			own = mid
		}
	}
	if own == "" {
		t.Fatalf("no match of B's two records:\n%s", r.body)
	}
	r = b.get("/review/" + own)
	if !strings.Contains(r.body, `id="explanation"`) || !strings.Contains(r.body, `data-field="name"`) || !strings.Contains(r.body, "Rina Kumari") ||
		!strings.Contains(r.body, "Reena Kumari") || !strings.Contains(r.body, `id="confirm"`) {
		t.Fatalf("side by side:\n%s", r.body)
	}
	r = b.post("/review/"+own+"/decide", url.Values{"decision": {"reject"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("reject: %d\n%s", r.status, r.body)
	}
	if r := b.get(r.location()); !strings.Contains(r.body, "Match rejected.") || strings.Contains(r.body, `id="decide-form"`) {
		t.Fatalf("after reject:\n%s", r.body)
	}
	if r := b.get("/review?status=rejected"); !strings.Contains(r.body, own) {
		t.Fatalf("rejected list:\n%s", r.body)
	}
}

// Confirming that the victim of a new case is the victim of an earlier one
// flags the new case (not the earlier one) as a possible re-trafficking.
func TestReviewConfirmFlagsRetrafficking(t *testing.T) {
	e := newReviewEnv(t)
	b := e.signedIn("bworker")
	bctx := atip.NewContextWithActor(context.Background(), &atip.Actor{User: e.user["bworker"], Org: e.orgB, Via: atip.ViaWeb})
	cases := database.NewCaseService(e.db)
	newCase := func(name, district string) *atip.Case {
		p := &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: 17, AgeAsOf: e.db.Now(), AgeMethod: "officer_estimate",
			HomeDistrict: "NP-P3-SINDHUPALCHOK", Names: []atip.PersonName{{Full: name, Script: "Latn", Kind: "name"}}}
		if err := cases.CreatePerson(bctx, p); err != nil {
			t.Fatal(err)
		}
		c := &atip.Case{IntakeChannel: "rescue", IntakeAt: e.db.Now().Add(-time.Hour), IntakeDistrict: district, Exploitation: []string{"sexual_exploitation"},
			Complete: true, Victims: []atip.CaseVictim{{PersonID: p.ID, TraffickingStatus: "presumed_victim", StatusDecidedBy: "border_unit"}}}
		if err := cases.CreateCase(bctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	old := newCase("Puspa Tamang", "NP-P3-KATHMANDU")
	cur := newCase("Pushpa Tamang", "IN-WB-DARJEELING")
	r := b.get("/review")
	id := find(t, r.body, `data-match="([^"]+)"`)
	if r := b.post("/review/"+id+"/decide", url.Values{"decision": {"confirm"}}); r.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", r.status, r.body)
	}
	if r := b.get("/review/" + id); !strings.Contains(r.body, `id="retrafficked"`) {
		t.Fatalf("match page lacks the flag:\n%s", r.body)
	}
	if r := b.get("/cases/" + cur.ID); !strings.Contains(r.body, `id="retrafficked"`) || !strings.Contains(r.body, `data-kind="match"`) {
		t.Fatalf("new case lacks the flag:\n%s", r.body)
	}
	if r := b.get("/cases/" + old.ID); strings.Contains(r.body, `id="retrafficked"`) {
		t.Fatalf("the earlier case is flagged:\n%s", r.body)
	}
}
