package e2e

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
	"atip/internal/web/app"
)

const reviewPass = "review e2e long password"

// seedReview makes the two organisations of the story: a police unit in
// Sitamarhi where the family reports their daughter missing, and a shelter
// in Siliguri that meets her at the bus stand.
func seedReview(ctx context.Context, db *database.DB) error {
	a := &atip.Org{Name: "AHTU Sitamarhi (E2E)", Type: atip.OrgAHTU, Jurisdiction: "IN-BR-SITAMARHI"}
	b := &atip.Org{Name: "Siliguri Shelter (E2E)", Type: atip.OrgShelterNGO, Jurisdiction: "IN-WB-DARJEELING"}
	orgs, users := database.NewOrgService(db), database.NewUserService(db)
	for _, o := range []*atip.Org{a, b} {
		if err := orgs.CreateOrg(ctx, o); err != nil {
			return err
		}
	}
	for _, u := range []*atip.User{
		{OrgID: a.ID, Login: "a.worker", Name: "Anita Worker", Roles: []atip.Role{atip.RoleCaseworker}, Lang: "en"},
		{OrgID: a.ID, Login: "a.super", Name: "Amar Supervisor", Roles: []atip.Role{atip.RoleSupervisor}, Lang: "en"},
		{OrgID: b.ID, Login: "b.worker", Name: "Bina Worker", Roles: []atip.Role{atip.RoleCaseworker}, Lang: "en"},
	} {
		if err := users.CreateUser(ctx, u, reviewPass); err != nil {
			return err
		}
	}
	return nil
}

// A family's report of a girl missing from Sitamarhi, filed in Devanagari by
// org A; a rescue at the Siliguri bus stand recorded by org B under a Latin
// spelling. B's reviewer sees only "held by AHTU Sitamarhi" and asks for
// access; A (which recorded the family's consent) approves; B then sees both
// records side by side with the explanation, confirms, and the case shows
// the link.
func TestReviewQueueEndToEnd(t *testing.T) {
	start := time.Now()
	dir := t.TempDir()
	m := app.New(app.Config{
		Addr:  "127.0.0.1:0",
		DBURL: filepath.Join(dir, "atip.db"),
		DBOptions: []database.Option{database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(filepath.Join(dir, "audit.key")),
			database.WithKeyring(dbtest.Keyring(t)), database.WithTokenizer(dbtest.Tokenizer(t))},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Seed:   seedReview,
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	base := m.URL()
	ctx := browser(t)
	now := time.Now().UTC()

	// 1. Org A files the family's report, and records their consent to
	// share it with the shelter to trace her.
	signIn(t, ctx, base, "a.worker", reviewPass)
	run(t, ctx, "file missing report",
		chromedp.WaitVisible(chromedp.CSS(`nav`)),
		chromedp.Navigate(base+"/missing/new"),
		chromedp.WaitVisible(chromedp.CSS("#missing-form")),
		chromedp.SendKeys(chromedp.CSS("#names"), "रीना कुमारी"),
		chromedp.SetValue(chromedp.CSS("#sex"), "female"),
		chromedp.SendKeys(chromedp.CSS("#age"), "14"),
		chromedp.SetValue(chromedp.CSS("#last_seen"), now.AddDate(0, -3, 0).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#last_seen_in"), "IN-BR-SITAMARHI"),
		chromedp.SendKeys(chromedp.CSS("#relation"), "father"),
		chromedp.SendKeys(chromedp.CSS("#reporter"), "रमेश साह"),
		chromedp.SetValue(chromedp.CSS("#tlp"), "AMBER"),
		chromedp.SetValue(chromedp.CSS("#distribution"), "owner"),
		chromedp.Submit(chromedp.CSS("#missing-form")),
		chromedp.WaitVisible(chromedp.CSS("#missing-person")),
	)
	missingURL := eval[string](t, ctx, `location.pathname`)
	missingID := strings.TrimPrefix(missingURL, "/missing/")
	missingRef := strings.TrimSpace(text(t, ctx, ".head h1"))
	run(t, ctx, "record the family's consent",
		chromedp.Navigate(base+"/records/"+missingID+"/sharing"),
		chromedp.WaitVisible(chromedp.CSS("#consent-new")),
		chromedp.Click(chromedp.CSS(`#consent-new input[name=purposes][value=family_tracing]`)),
	)
	eval[bool](t, ctx, `(() => { const l = [...document.querySelectorAll('#consent-new label.check')].find(l => l.textContent.includes("Siliguri Shelter")); l.querySelector('input').click(); return true })()`)
	run(t, ctx, "save consent",
		chromedp.SetValue(chromedp.CSS("#given_by"), "guardian"),
		chromedp.SendKeys(chromedp.CSS("#guardian_relation"), "father"),
		chromedp.Submit(chromedp.CSS("#consent-new")),
		chromedp.WaitVisible(chromedp.CSS("#consents")),
	)
	if c := waitText(t, ctx, "#consents", "Siliguri Shelter"); !strings.Contains(c, "Siliguri Shelter") {
		t.Fatalf("consent not recorded: %q", c)
	}
	signOut(t, ctx)

	// 2. Org B records the rescue at the bus stand, as a case with its victim.
	signIn(t, ctx, base, "b.worker", reviewPass)
	run(t, ctx, "record the rescue",
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/review"]`)),
		chromedp.Navigate(base+"/cases/new"),
		chromedp.WaitVisible(chromedp.CSS("#case-form")),
		chromedp.SetValue(chromedp.CSS("#intake_channel"), "rescue"),
		chromedp.SetValue(chromedp.CSS("#intake_at"), now.Add(-2*time.Hour).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.CSS("#intake_district"), "IN-WB-DARJEELING"),
		chromedp.SendKeys(chromedp.CSS("#summary"), "Met at the Siliguri bus stand"),
		chromedp.Click(chromedp.CSS(`input[name=exploitation][value=unknown]`)),
		chromedp.SendKeys(chromedp.CSS("#v_name"), "Reena Kumari"),
		chromedp.SetValue(chromedp.CSS("#v_sex"), "female"),
		chromedp.SendKeys(chromedp.CSS("#v_age"), "14"),
		chromedp.SetValue(chromedp.CSS("#v_home_district"), "IN-BR-SITAMARHI"),
		chromedp.Submit(chromedp.CSS("#case-form")),
		chromedp.WaitVisible(chromedp.CSS("#case-timeline")),
	)
	caseURL := eval[string](t, ctx, `location.pathname`)
	if !strings.HasPrefix(caseURL, "/cases/") {
		t.Fatalf("after the case form: %s", caseURL)
	}

	// 3. B's queue: the report is A's and hidden, so only who holds it.
	run(t, ctx, "review queue", chromedp.Navigate(base+"/review"), chromedp.WaitVisible(chromedp.CSS("#review-queue")))
	queue := text(t, ctx, "#review-queue")
	if !strings.Contains(queue, "Possible match with a record held by AHTU Sitamarhi (E2E)") || strings.Contains(queue, "रीना") {
		t.Fatalf("queue %q", queue)
	}
	screenshot(t, ctx, "review-queue")
	matchURL := eval[string](t, ctx, `document.querySelector('#review-queue a').getAttribute('href')`)
	run(t, ctx, "ask for access",
		chromedp.Navigate(base+matchURL),
		chromedp.WaitVisible(chromedp.CSS("#held-by")),
		chromedp.SendKeys(chromedp.CSS("#reason"), "The girl we met at the bus stand may be the one reported missing"),
		chromedp.Click(chromedp.CSS("#request-access")),
		chromedp.WaitVisible(chromedp.CSS("#requested")),
	)
	if n := eval[int](t, ctx, `document.querySelectorAll('#explanation, #confirm').length`); n != 0 {
		t.Fatalf("explanation or confirm shown before access")
	}
	signOut(t, ctx)

	// 4. A's supervisor approves the request in the sharing inbox.
	signIn(t, ctx, base, "a.super", reviewPass)
	run(t, ctx, "approve", chromedp.WaitVisible(chromedp.CSS(`nav`)), chromedp.Navigate(base+"/sharing/inbox"),
		chromedp.WaitVisible(chromedp.CSS(`form[action^="/sharing/requests/"] button[value=approve]`)))
	eval[bool](t, ctx, `(() => { const f = document.querySelector('form[action^="/sharing/requests/"]'); f.querySelector('input[type=date]').value = "`+now.AddDate(0, 0, 30).Format("2006-01-02")+`"; return true })()`)
	run(t, ctx, "approve click", chromedp.Click(chromedp.CSS(`form[action^="/sharing/requests/"] button[value=approve]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form[action^="/sharing/requests/"]`)))
	signOut(t, ctx)

	// 5. B sees both side by side with the explanation, and confirms.
	signIn(t, ctx, base, "b.worker", reviewPass)
	run(t, ctx, "side by side", chromedp.WaitVisible(chromedp.CSS(`nav`)), chromedp.Navigate(base+matchURL), chromedp.WaitVisible(chromedp.CSS("#explanation")))
	if theirs := text(t, ctx, "#theirs"); !strings.Contains(theirs, "रीना कुमारी") || !strings.Contains(theirs, "Sitamarhi") {
		t.Fatalf("candidate side %q", theirs)
	}
	if ours := text(t, ctx, "#ours"); !strings.Contains(ours, "Reena Kumari") {
		t.Fatalf("our side %q", ours)
	}
	name := eval[string](t, ctx, `document.querySelector('#explanation tr[data-field=name]').innerText`)
	if !strings.Contains(name, "Name") || !strings.Contains(name, "+") {
		t.Fatalf("name evidence %q", name)
	}
	run(t, ctx, "phone", chromedp.EmulateViewport(phoneWidth, phoneHeight), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#explanation")))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("match page is %d px wide on a %d px phone", w, phoneWidth)
	}
	screenshot(t, ctx, "review-match-phone")
	run(t, ctx, "desktop", chromedp.EmulateViewport(desktopWidth, desktopHeight))
	run(t, ctx, "confirm", chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#saved")))
	if s := text(t, ctx, "#saved"); !strings.Contains(s, "linked") {
		t.Fatalf("after confirm %q", s)
	}

	// The person's page lists the linked report.
	personURL := eval[string](t, ctx, `document.querySelector('#ours a').getAttribute('href')`)
	run(t, ctx, "person", chromedp.Navigate(base+personURL), chromedp.WaitVisible(chromedp.CSS("#person-links")))
	if l := text(t, ctx, "#person-links"); !strings.Contains(l, "Missing-person report "+missingRef) {
		t.Fatalf("person links %q", l)
	}

	// 6. The case shows the link on its timeline.
	run(t, ctx, "case", chromedp.Navigate(base+caseURL), chromedp.WaitVisible(chromedp.CSS("#case-timeline")))
	tl := eval[string](t, ctx, `[...document.querySelectorAll('#case-timeline li[data-kind=match]')].map(l => l.innerText).join("\n")`)
	if !strings.Contains(tl, "Match confirmed") || !strings.Contains(tl, "match confirmed with "+missingRef) {
		t.Fatalf("case timeline lacks the link: %q", tl)
	}
	t.Logf("review end to end in %s", time.Since(start).Round(time.Millisecond))
}

// waitText waits up to 10 s for the element's text to contain want (a
// form posted and the page reloaded) and returns the text it last read.
func waitText(t *testing.T, ctx context.Context, sel, want string) string {
	t.Helper()
	var got string
	for range 50 {
		got = eval[string](t, ctx, `(document.querySelector(`+"`"+sel+"`"+`) || {}).innerText || ""`)
		if strings.Contains(got, want) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return got
}
