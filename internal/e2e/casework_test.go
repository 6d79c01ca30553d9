package e2e

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
	"atip/internal/web/app"
)

// The casework fixture: an Indian border outpost on the Nepal border, a
// shelter in another Indian state, and a Nepal counterpart agency.
const (
	outpostName   = "SSB Border Outpost Raxaul (E2E)"
	shelterName   = "Shelter Home Kolkata (E2E)"
	nepalName     = "Nepal Counterpart Kathmandu (E2E)"
	responder     = "responder@outpost.e2e.example"
	supervisor    = "supervisor@outpost.e2e.example"
	shelterWorker = "caseworker@shelter.e2e.example"
	nepalOfficer  = "officer@nepal.e2e.example"
	girlName      = "Demo Sita Tamang"
	crossing      = "Raxaul–Birgunj crossing"
)

func seedCasework(ctx context.Context, db *database.DB) error {
	orgs := database.NewOrgService(db)
	users := database.NewUserService(db)
	for _, o := range []struct {
		org   atip.Org
		users []atip.User
	}{
		{atip.Org{Name: outpostName, Type: atip.OrgBorderUnit, Jurisdiction: "IN-BR-EAST_CHAMPARAN"}, []atip.User{
			{Login: responder, Name: "Ravi Responder", Roles: []atip.Role{atip.RoleFirstResponder}},
			{Login: supervisor, Name: "Sunil Supervisor", Roles: []atip.Role{atip.RoleSupervisor}},
		}},
		{atip.Org{Name: shelterName, Type: atip.OrgShelterNGO, Jurisdiction: "IN-WB-KOLKATA"}, []atip.User{
			{Login: shelterWorker, Name: "Mitali Caseworker", Roles: []atip.Role{atip.RoleCaseworker}},
		}},
		{atip.Org{Name: nepalName, Type: atip.OrgForeignCounterpart, Jurisdiction: "NP-P3-KATHMANDU"}, []atip.User{
			{Login: nepalOfficer, Name: "Nirmala Officer", Roles: []atip.Role{atip.RoleCaseworker}},
		}},
	} {
		org := o.org
		if err := orgs.CreateOrg(ctx, &org); err != nil {
			return err
		}
		for _, u := range o.users {
			u.OrgID, u.Lang = org.ID, "en"
			if err := users.CreateUser(ctx, &u, fixturePass); err != nil {
				return err
			}
		}
	}
	return nil
}

// netCmd runs one DevTools command, ignoring its result.
func netCmd[P, R any](cmd cdp.Command[P, R], p P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, p)
		return err
	})
}

// offline drops every request of the page (true) or lets them through.
func offline(on bool) chromedp.Action[chromedp.Void] {
	conds := []*network.Conditions{}
	if on {
		conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	return netCmd(network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds})
}

// submit clicks a form's button and waits for the page the form leads to
// (a WaitVisible alone could match the page being left).
func submit(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__leaving = true`)); err != nil {
			return err
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			return err
		}
		for {
			done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__leaving && document.readyState === "complete"`))
			if err == nil && done {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func wantText(t *testing.T, ctx context.Context, sel string, want ...string) string {
	t.Helper()
	got := text(t, ctx, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not say %q:\n%s", sel, w, got)
		}
	}
	return got
}

// A border-outpost officer intercepts a 15-year-old girl from Nepal and
// records a quick intake on a phone (surviving a dropped connection); the
// child procedure puts the CWC production due in 24 hours on the case; the
// case is referred, with the guardian's consent, to a shelter in another
// state, which accepts; she is handed over to the Nepal counterpart, who
// confirms receipt; a follow-up visit with its risk assessment is recorded.
func TestCasework(t *testing.T) {
	dir := t.TempDir()
	m := app.New(app.Config{
		Addr:  "127.0.0.1:0",
		DBURL: filepath.Join(dir, "atip.db"),
		DBOptions: []database.Option{database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(filepath.Join(dir, "audit.key")),
			database.WithKeyring(dbtest.Keyring(t)), database.WithTokenizer(dbtest.Tokenizer(t))},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Seed:   seedCasework,
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	base := m.URL()
	ctx := browser(t)
	started := time.Now()

	// 1. The interception at the crossing, red flags ticked: the record
	// prompts the officer to open a case.
	signIn(t, ctx, base, responder, fixturePass)
	run(t, ctx, "interception form",
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/interceptions"]`)),
	)
	wantText(t, ctx, "header nav", "Cases", "Interceptions", "Signals", "Missing persons")
	run(t, ctx, "interception form",
		submit(`nav a[href="/interceptions"]`),
		chromedp.Navigate(base+"/interceptions/new"),
		chromedp.WaitVisible(chromedp.CSS("#interception-form")),
		chromedp.SetValue(chromedp.CSS("#at"), time.Now().In(kolkata(t)).Add(-30*time.Minute).Format("2006-01-02T15:04")),
		chromedp.SendKeys(chromedp.CSS("#point"), crossing),
		chromedp.SetValue(chromedp.CSS("#district"), "IN-BR-EAST_CHAMPARAN"),
		chromedp.SetValue(chromedp.CSS("#direction"), "inbound"),
		chromedp.SetValue(chromedp.CSS("#origin"), "NP-P3-KATHMANDU"),
		chromedp.SetValue(chromedp.CSS("#destination"), "IN-DL"),
		chromedp.SendKeys(chromedp.CSS("#stopped_names_0"), girlName),
		chromedp.SetValue(chromedp.CSS("#stopped_sex_0"), "female"),
		chromedp.SendKeys(chromedp.CSS("#stopped_age_0"), "15"),
		chromedp.SendKeys(chromedp.CSS("#stopped_nationality_0"), "NP"),
		chromedp.SendKeys(chromedp.CSS("#companion_name_0"), "Demo Companion"),
		chromedp.SendKeys(chromedp.CSS("#companion_relation_0"), "says he is an uncle"),
		chromedp.SendKeys(chromedp.CSS("#companion_age_0"), "34"),
		chromedp.Click(chromedp.CSS(`input[name=flag][value=minor_with_unrelated_adult]`)),
		chromedp.Click(chromedp.CSS(`input[name=flag][value=job_does_not_exist]`)),
		chromedp.Click(chromedp.CSS(`input[name=flag][value=family_unaware]`)),
		chromedp.Click(chromedp.CSS(`input[name=flag][value=no_documents]`)),
		chromedp.Click(chromedp.CSS(`#certainty-4`)),
		submit(`#save`),
		chromedp.WaitVisible(chromedp.CSS(`#open-case-prompt`)),
	)
	wantText(t, ctx, "#open-case-prompt", "open a case")
	wantText(t, ctx, "#flags", "not a parent or guardian", "No identity or travel documents")
	wantText(t, ctx, "#score-value", "13")
	wantText(t, ctx, "#stopped", girlName, "15")
	interceptionURL := strings.SplitN(location(t, ctx), "?", 2)[0]

	// 2. On a phone, the quick intake. The connection drops as she sends
	// it: the form says so and keeps the draft; back online, the page
	// re-sends it and exactly one case is made.
	run(t, ctx, "quick intake on a phone",
		chromedp.EmulateViewport(phoneWidth, phoneHeight),
		chromedp.Navigate(interceptionURL),
		chromedp.WaitVisible(chromedp.CSS("#quick-case")),
		submit(`#quick-case`),
		chromedp.WaitVisible(chromedp.CSS("#quick-intake")),
		chromedp.SetValue(chromedp.CSS("#district"), "IN-BR-EAST_CHAMPARAN"),
		chromedp.SendKeys(chromedp.CSS("#point"), crossing),
		chromedp.SetValue(chromedp.CSS("#sex"), "female"),
		chromedp.SendKeys(chromedp.CSS("#age"), "15"),
		chromedp.SendKeys(chromedp.CSS("#nationality"), "NP"),
		chromedp.SendKeys(chromedp.CSS("#name"), girlName),
		chromedp.SendKeys(chromedp.CSS("#note"), "Stopped with an unrelated man; says she was promised a job in Delhi"),
	)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("quick intake is %d px wide on a %d px phone", w, phoneWidth)
	}
	intakeAt := eval[string](t, ctx, `document.getElementById("at").value`)
	clientKey := eval[string](t, ctx, `document.getElementById("client_key").value`)
	run(t, ctx, "send while offline",
		netCmd(network.Enable, network.EnableParams{}),
		offline(true),
		chromedp.Click(chromedp.CSS(`#quick-intake button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#quick-offline")),
	)
	wantText(t, ctx, "#quick-offline", "connection")
	if d := eval[string](t, ctx, `localStorage.getItem("atip.quick-intake") || ""`); !strings.Contains(d, girlName) || !strings.Contains(d, `"pending":true`) {
		t.Fatalf("the draft is not kept on the phone: %q", d)
	}
	// Back online; the page is opened again (as after a restart of the
	// browser): the draft is restored and sent by itself.
	run(t, ctx, "back online",
		offline(false),
		chromedp.Navigate(base+"/intake/quick"),
	)
	waitJS(t, ctx, "the draft is re-sent", `location.pathname.startsWith("/cases/")`)
	caseURL := strings.SplitN(location(t, ctx), "?", 2)[0]
	caseID := strings.TrimPrefix(caseURL, base+"/cases/")
	run(t, ctx, "case page", chromedp.WaitVisible(chromedp.CSS("main h1")))
	caseRef := text(t, ctx, "main h1")
	wantText(t, ctx, "main", "Interception at a border or transit point", crossing)
	interceptionID := strings.TrimPrefix(interceptionURL, base+"/interceptions/")
	if n := eval[int](t, ctx, `document.querySelectorAll('main a[href="/interceptions/`+interceptionID+`"]').length`); n == 0 {
		t.Error("the case page does not link to the interception it came from")
	}
	if d := eval[string](t, ctx, `localStorage.getItem("atip.quick-intake") || ""`); d != "" {
		t.Errorf("the draft stays on the phone after the case was made: %q", d)
	}
	// A second send of the same intake (a retry whose answer was lost)
	// finds the same case.
	again, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const b = new URLSearchParams({client_key: "`+clientKey+`", channel: "interception", at: "`+intakeAt+`",
			district: "IN-BR-EAST_CHAMPARAN", point: "`+crossing+`", sex: "female", age: "15", nationality: "NP", name: "`+girlName+`"});
		const r = await fetch("/intake/quick", {method: "POST", body: b, credentials: "same-origin"});
		return new URL(r.url).pathname;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("re-send: %v", err)
	}
	if again != "/cases/"+caseID {
		t.Errorf("re-sending the intake went to %q, want the same case /cases/%s", again, caseID)
	}
	// The interception names the case now, and no longer prompts.
	run(t, ctx, "interception names the case", chromedp.Navigate(interceptionURL), chromedp.WaitVisible(chromedp.CSS("#stopped")))
	if n := eval[int](t, ctx, `document.querySelectorAll('main a[href="/cases/`+caseID+`"]').length`); n != 1 {
		t.Errorf("the interception does not link to its case:\n%s", text(t, ctx, "main"))
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#open-case-prompt").length`); n != 0 {
		t.Error("the interception still prompts to open a case")
	}
	run(t, ctx, "case list", chromedp.Navigate(base+"/cases"), chromedp.WaitVisible(chromedp.CSS("main")))
	if n := eval[int](t, ctx, `document.querySelectorAll("main tbody tr a[href^='/cases/']").length`); n != 1 {
		t.Errorf("the case list shows %d cases, want exactly one:\n%s", n, text(t, ctx, "main"))
	}
	screenshot(t, ctx, "casework-case-list-phone")

	// 3. The child procedure is on the case: CWC production due 24 hours
	// after the intake (no journey time recorded), in India's time.
	run(t, ctx, "checklist",
		chromedp.Navigate(caseURL+"/checklist"),
		chromedp.WaitVisible(chromedp.CSS("#step-in-child-rescue-cwc_production")),
	)
	at, err := time.ParseInLocation("2006-01-02T15:04", intakeAt, kolkata(t))
	if err != nil {
		t.Fatalf("intake time %q: %v", intakeAt, err)
	}
	wantText(t, ctx, "#step-in-child-rescue-cwc_production", "Child Welfare Committee", at.Add(24*time.Hour).Format("2006-01-02 15:04")+" IST")
	wantText(t, ctx, "main", "Separate the child from the suspects")
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("checklist is %d px wide on a %d px phone", w, phoneWidth)
	}
	screenshot(t, ctx, "casework-checklist-phone")
	// She marks the first step done, with its evidence; the case's
	// timeline records it.
	const sep = "#step-in-child-rescue-separate_from_suspects"
	run(t, ctx, "step done",
		chromedp.SendKeys(chromedp.CSS(sep+" input[name=evidence]"), "GD entry 114/2026: kept at the outpost's women's room"),
		submit(sep+" button[type=submit]"),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
	)
	wantText(t, ctx, sep, "Done", "GD entry 114/2026")
	run(t, ctx, "timeline", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("#case-timeline")))
	wantText(t, ctx, "#case-timeline", "in-child-rescue/separate_from_suspects done")
	run(t, ctx, "desktop", chromedp.EmulateViewport(desktopWidth, desktopHeight))
	signOut(t, ctx)

	// 4. The supervisor records the guardian's consent, then refers the
	// case to the shelter for care.
	signIn(t, ctx, base, supervisor, fixturePass)
	run(t, ctx, "sharing page",
		chromedp.WaitVisible(chromedp.CSS(`nav`)),
		chromedp.Navigate(base+"/records/"+caseID+"/sharing"),
		chromedp.WaitVisible(chromedp.CSS("#consent-new")),
	)
	shelterID := eval[string](t, ctx, `[...document.querySelectorAll("#consent-new input[name=org_ids]")].find(i => i.parentElement.textContent.includes("`+shelterName+`")).value`)
	nepalID := eval[string](t, ctx, `[...document.querySelectorAll("#consent-new input[name=org_ids]")].find(i => i.parentElement.textContent.includes("`+nepalName+`")).value`)
	run(t, ctx, "record consent",
		chromedp.Click(chromedp.CSS(`#consent-new input[name=purposes][value=care]`)),
		chromedp.Click(chromedp.CSS(`#consent-new input[name=purposes][value=repatriation]`)),
		chromedp.Click(chromedp.CSS(`#consent-new input[name=org_ids][value="`+shelterID+`"]`)),
		chromedp.Click(chromedp.CSS(`#consent-new input[name=org_ids][value="`+nepalID+`"]`)),
		chromedp.SetValue(chromedp.CSS("#given_by"), "guardian"),
		chromedp.SendKeys(chromedp.CSS("#guardian_relation"), "mother"),
		chromedp.Click(chromedp.CSS(`#consent-new input[name=child_assent]`)),
		submit(`#consent-new button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS("#refer")),
	)
	wantText(t, ctx, "#consents", shelterName, nepalName, "mother")
	run(t, ctx, "refer to the shelter",
		chromedp.SetValue(chromedp.CSS("#to_org_id"), shelterID),
		chromedp.Click(chromedp.CSS(`#refer input[name=classes][value=operational]`)),
		chromedp.Click(chromedp.CSS(`#refer input[name=classes][value=identity]`)),
		chromedp.SetValue(chromedp.CSS("#ref-purpose"), "care"),
		chromedp.SetValue(chromedp.CSS("#ref-expires"), time.Now().AddDate(0, 3, 0).Format("2006-01-02")),
		chromedp.SendKeys(chromedp.CSS("#ref-note"), "Shelter placement pending the CWC order"),
		submit(`#refer button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS("#referrals")),
	)
	wantText(t, ctx, "#referrals", shelterName, "Waiting for an answer")
	signOut(t, ctx)

	// 5. The shelter accepts it from its inbox, and then sees the case.
	signIn(t, ctx, base, shelterWorker, fixturePass)
	run(t, ctx, "inbox",
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/sharing/inbox"]`)),
		chromedp.Navigate(base+"/sharing/inbox"),
		chromedp.WaitVisible(chromedp.CSS(`[id^="referral-"]`)),
	)
	wantText(t, ctx, `[id^="referral-"]`, outpostName)
	run(t, ctx, "accept",
		submit(`[id^="referral-"] button[value=accept]`),
		chromedp.WaitVisible(chromedp.CSS("main")),
	)
	run(t, ctx, "shelter sees the case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS("main h1")))
	// The referral covers the case; the girl's person record was not
	// referred, so the shelter sees her as a child by reference only.
	wantText(t, ctx, "main h1", caseRef)
	wantText(t, ctx, "#victims", "PER-", "Child")
	if strings.Contains(text(t, ctx, "main"), girlName) {
		t.Error("the shelter sees the name from a person record that was not referred to it")
	}
	signOut(t, ctx)

	// 6. Repatriation to Nepal: the outpost's supervisor plans it and
	// records the hand-over at the crossing to the Nepal counterpart.
	signIn(t, ctx, base, supervisor, fixturePass)
	run(t, ctx, "plan repatriation",
		chromedp.WaitVisible(chromedp.CSS(`nav`)),
		chromedp.Navigate(caseURL+"/repatriation"),
		chromedp.WaitVisible(chromedp.CSS("#rep-new")),
		chromedp.SetValue(chromedp.CSS("#kind"), "cross_border"),
		chromedp.SetValue(chromedp.CSS("#to_org_id"), nepalID),
		chromedp.SendKeys(chromedp.CSS("#to_district"), "NP-P3-KATHMANDU"),
		chromedp.SendKeys(chromedp.CSS("#crossing_point"), crossing),
		chromedp.SendKeys(chromedp.CSS("#escort"), "Woman constable, Demo Escort"),
		chromedp.SetValue(chromedp.CSS("#verified_on"), time.Now().Format("2006-01-02")),
		chromedp.Click(chromedp.CSS(`#rep-new input[name=safe]`)),
		submit(`#rep-new button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[id^="ho-form-"]`)),
	)
	run(t, ctx, "hand over",
		chromedp.SetValue(chromedp.CSS(`[id^="ho-form-"] select[name=to_org_id]`), nepalID),
		chromedp.SetValue(chromedp.CSS(`[id^="ho-form-"] input[name=at]`), time.Now().In(kolkata(t)).Format("2006-01-02T15:04")),
		chromedp.SendKeys(chromedp.CSS(`[id^="ho-form-"] input[name=note]`), "Handed over at the crossing"),
		submit(`[id^="ho-form-"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[id^="rep-"]`)),
	)
	wantText(t, ctx, `[id^="rep-"]`, nepalName)
	signOut(t, ctx)

	// 7. The Nepal officer confirms receipt on the hand-over's page.
	signIn(t, ctx, base, nepalOfficer, fixturePass)
	run(t, ctx, "hand-overs",
		chromedp.WaitVisible(chromedp.CSS(`nav a[href="/handovers"]`)),
		chromedp.Click(chromedp.CSS(`nav a[href="/handovers"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main a[href^="/handovers/"]`)),
		chromedp.Click(chromedp.CSS(`main a[href^="/handovers/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/confirm"]`)),
	)
	wantText(t, ctx, "main", outpostName, crossing)
	run(t, ctx, "confirm receipt",
		submit(`form[action$="/confirm"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS("main")),
	)
	waitJS(t, ctx, "receipt confirmed", `!document.querySelector('form[action$="/confirm"]') && document.querySelector("main").innerText.includes("onfirmed")`)
	signOut(t, ctx)

	// 8. Back home, the follow-ups are scheduled and the first visit is
	// recorded with its re-trafficking risk assessment.
	signIn(t, ctx, base, supervisor, fixturePass)
	run(t, ctx, "schedule follow-ups",
		chromedp.WaitVisible(chromedp.CSS(`nav`)),
		chromedp.Navigate(caseURL+"/repatriation"),
		chromedp.WaitVisible(chromedp.CSS(`[id^="rep-"]`)),
	)
	wantText(t, ctx, `[id^="rep-"]`, "eceived")
	run(t, ctx, "care page",
		chromedp.Navigate(caseURL+"/care"),
		chromedp.WaitVisible(chromedp.CSS("#schedule-form")),
		chromedp.SetValue(chromedp.CSS("#reintegrated_on"), time.Now().AddDate(0, -1, -1).Format("2006-01-02")),
		chromedp.SetValue(chromedp.CSS("#months"), "1, 3, 6, 12"),
		submit(`#schedule-form button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`#followups tbody tr:first-child summary`)),
		chromedp.Click(chromedp.CSS(`#followups tbody tr:first-child summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#followups tbody tr:first-child form`)),
		chromedp.SetValue(chromedp.CSS(`#followups tbody tr:first-child select[name=level]`), "medium"),
		chromedp.Click(chromedp.CSS(`#followups tbody tr:first-child input[name=no_income]`)),
		chromedp.SendKeys(chromedp.CSS(`#followups tbody tr:first-child textarea[name=note]`), "Back in school; the family has no steady income"),
		submit(`#followups tbody tr:first-child button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS("#followups")),
	)
	wantText(t, ctx, "#followups tbody tr:first-child", "Visited", "Medium (1 factors)", "no steady income")
	if n := eval[int](t, ctx, `document.querySelectorAll("#followups tbody tr").length`); n != 4 {
		t.Errorf("%d follow-ups scheduled, want 4 (1, 3, 6 and 12 months)", n)
	}
	t.Logf("interception %s, case %s (%s): the flow took %s", interceptionURL, caseRef, caseID, time.Since(started).Round(time.Millisecond))
}

func kolkata(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
