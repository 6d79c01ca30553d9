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

// The victim's name, distinctive enough that finding it on a screen means
// the screen shows protected data.
const sharedVictim = "Rupmaya Thokarnelli"

const (
	ngoWorker    = "ngo.worker@e2e.example"
	ngoSup       = "ngo.sup@e2e.example"
	policeUser   = "si.sharma@e2e.example"
	policeSecond = "asi.yadav@e2e.example"
	platformAud  = "aud@e2e.example"
)

// sharingSeed makes a shelter NGO and a police AHTU, a sharing group run by
// the NGO that the AHTU has accepted, and their users.
func sharingSeed(ctx context.Context, db *database.DB) error {
	op := atip.OperatorContext(ctx)
	orgs, users := database.NewOrgService(db), database.NewUserService(db)
	ngo := &atip.Org{Name: "Shakti Shelter Sitamarhi (E2E)", Type: atip.OrgShelterNGO, Jurisdiction: "IN-BR"}
	police := &atip.Org{Name: "AHTU Sitamarhi (E2E)", Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}
	for _, o := range []*atip.Org{ngo, police} {
		if err := orgs.CreateOrg(op, o); err != nil {
			return err
		}
	}
	as := map[string]context.Context{}
	for _, u := range []struct {
		org   *atip.Org
		login string
		name  string
		role  atip.Role
	}{
		{ngo, ngoWorker, "Meena Caseworker", atip.RoleCaseworker},
		{ngo, ngoSup, "Kavita Supervisor", atip.RoleSupervisor},
		{ngo, "ngo.admin@e2e.example", "Nisha Admin", atip.RoleOrgAdmin},
		{ngo, platformAud, "Arun Auditor", atip.RoleAuditor},
		{police, policeUser, "SI Sharma", atip.RoleCaseworker},
		{police, policeSecond, "ASI Yadav", atip.RoleCaseworker},
		{police, "police.admin@e2e.example", "DSP Admin", atip.RoleOrgAdmin},
	} {
		usr := &atip.User{OrgID: u.org.ID, Login: u.login, Name: u.name, Roles: []atip.Role{u.role}, Lang: "en"}
		if err := users.CreateUser(op, usr, fixturePass); err != nil {
			return err
		}
		as[u.login] = atip.NewContextWithActor(ctx, &atip.Actor{User: usr, Org: u.org, Via: atip.ViaCLI})
	}
	groups := database.NewGroupService(db)
	g := &atip.SharingGroup{Name: "Sitamarhi anti-trafficking network", Purpose: "Rescue and investigation coordination",
		Agreement: "Members use shared records only to coordinate rescues and investigations.", ExpiresAt: db.Now().Add(180 * 24 * time.Hour)}
	if err := groups.CreateGroup(as["ngo.admin@e2e.example"], g); err != nil {
		return err
	}
	if _, err := groups.InviteOrgs(as["ngo.admin@e2e.example"], g.ID, []string{police.ID}); err != nil {
		return err
	}
	_, err := groups.AnswerGroup(as["police.admin@e2e.example"], g.ID, atip.MemberAccepted)
	return err
}

// An NGO caseworker records a case; the NGO's supervisor shares it (and its
// victim) with a sharing group at AMBER, recording the victim's consent to
// the group for investigation; a police officer of the group sees the
// redacted view, asks for access, is approved for a limited time, sees the
// name, and after the grant expires sees the redacted view again. A second
// officer's break-glass is marked in the audit trail and the NGO's
// supervisor is told.
func TestSharingCaseWithPoliceThroughGroup(t *testing.T) {
	dir := t.TempDir()
	clock := dbtest.NewClock(time.Now().UTC().Truncate(time.Second))
	m := app.New(app.Config{
		Addr:  "127.0.0.1:0",
		DBURL: filepath.Join(dir, "atip.db"),
		DBOptions: []database.Option{database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(filepath.Join(dir, "audit.key")),
			database.WithKeyring(dbtest.Keyring(t)), database.WithTokenizer(dbtest.Tokenizer(t)), database.WithClock(clock.Now)},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Seed:   sharingSeed,
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	base := m.URL()
	ctx := browser(t)
	pageText := func() string { return text(t, ctx, "main") }

	// 1. The NGO caseworker records the case with the quick intake.
	signIn(t, ctx, base, ngoWorker, fixturePass)
	run(t, ctx, "quick intake",
		chromedp.WaitVisible(chromedp.CSS(`.logout button`)),
		chromedp.Navigate(base+"/intake/quick"),
		chromedp.WaitVisible(chromedp.CSS("#quick-intake")),
		chromedp.SetValue(chromedp.CSS("#district"), "IN-BR-SITAMARHI"),
		chromedp.SendKeys(chromedp.CSS("#point"), "Raxaul bus stand"),
		chromedp.SendKeys(chromedp.CSS("#age"), "24"),
		chromedp.SendKeys(chromedp.CSS("#nationality"), "NP"),
		chromedp.SendKeys(chromedp.CSS("#name"), sharedVictim),
		chromedp.Click(chromedp.CSS(`#quick-intake button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#victims")),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	caseID := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], base+"/cases/")
	if v := text(t, ctx, "#victims"); !strings.Contains(v, sharedVictim) {
		t.Fatalf("the caseworker's case page does not show the victim: %q", v)
	}
	personHref := eval[string](t, ctx, `document.querySelector('#victims a[href^="/persons/"]').getAttribute("href")`)
	personID := strings.TrimPrefix(personHref, "/persons/")
	caseRef := text(t, ctx, "main h1")
	signOut(t, ctx)

	// 2. The NGO supervisor shares the case and the victim's record with
	// the group at AMBER, their operational part too, and records the
	// victim's written consent to the group for investigation.
	signIn(t, ctx, base, ngoSup, fixturePass)
	run(t, ctx, "home", chromedp.WaitVisible(chromedp.CSS(`.logout button`)))
	for _, id := range []string{caseID, personID} {
		run(t, ctx, "mark "+id,
			chromedp.Navigate(base+"/records/"+id+"/sharing"),
			chromedp.WaitVisible(chromedp.CSS("#marking")),
			chromedp.SetValue(chromedp.CSS("#tlp"), "AMBER"),
			chromedp.SetValue(chromedp.CSS("#distribution"), "groups"),
			chromedp.SetAttributeValue(chromedp.CSS(`#marking input[name=group_ids]`), "checked", "checked"),
			chromedp.SetAttributeValue(chromedp.CSS(`#marking input[name=operational]`), "checked", "checked"),
			chromedp.Click(chromedp.CSS(`#marking button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`p.ok[role=status]`)),
		)
		if f := text(t, ctx, "#facts"); !strings.Contains(f, "AMBER") || !strings.Contains(strings.ToLower(f), "group") {
			t.Errorf("marking of %s after saving: %q", id, f)
		}
	}
	run(t, ctx, "record consent",
		chromedp.WaitVisible(chromedp.CSS("#consent-new")),
		chromedp.SetAttributeValue(chromedp.CSS(`#consent-new input[name=purposes][value=investigation]`), "checked", "checked"),
		chromedp.SetAttributeValue(chromedp.CSS(`#consent-new input[name=group_ids]`), "checked", "checked"),
		chromedp.SetValue(chromedp.CSS("#method"), "written"),
		chromedp.SetValue(chromedp.CSS("#given_by"), "person"),
		chromedp.Click(chromedp.CSS(`#consent-new button[type=submit]`)),
	)
	// The page before has a "saved" line too: wait for the consent itself.
	waitJS(t, ctx, "the consent shown in force", `(() => { const c = document.querySelector("#consents"); return !!c && c.innerText.includes("In force"); })()`)
	signOut(t, ctx)

	// 3. The police officer opens the case: the redacted view, the
	// pseudonymous reference, no name; and asks for access to the victim.
	signIn(t, ctx, base, policeUser, fixturePass)
	run(t, ctx, "police opens the case", chromedp.WaitVisible(chromedp.CSS(`.logout button`)), chromedp.Navigate(base+"/cases/"+caseID), chromedp.WaitVisible(chromedp.CSS("#redacted")))
	if h := text(t, ctx, "main h1"); !strings.Contains(h, strings.Fields(caseRef)[0]) || !strings.Contains(h, "AMBER") {
		t.Errorf("police case heading %q, want the reference %q and its AMBER badge", h, caseRef)
	}
	if body := pageText(); strings.Contains(body, sharedVictim) || strings.Contains(body, "Thokarnelli") {
		t.Fatalf("the police officer sees the victim's name before any grant:\n%s", body)
	}
	run(t, ctx, "police opens the person", chromedp.Navigate(base+"/persons/"+personID), chromedp.WaitVisible(chromedp.CSS("#redacted")))
	if body := pageText(); strings.Contains(body, "Thokarnelli") {
		t.Fatalf("the police officer sees the victim's name on the person page:\n%s", body)
	}
	run(t, ctx, "request access",
		chromedp.Click(chromedp.CSS(`#redacted a.button`)),
		chromedp.WaitVisible(chromedp.CSS("#request")),
		chromedp.SetAttributeValue(chromedp.CSS(`#request input[name=classes][value=identity]`), "checked", "checked"),
		chromedp.SetValue(chromedp.CSS("#rq-purpose"), "investigation"),
		chromedp.SendKeys(chromedp.CSS("#rq-reason"), "Needed to record her statement under section 161 CrPC for the FIR"),
		chromedp.Click(chromedp.CSS(`#request button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#my-requests")),
	)
	if r := text(t, ctx, "#my-requests"); !strings.Contains(r, "Waiting for the owner") {
		t.Errorf("the officer's request: %q", r)
	}
	signOut(t, ctx)

	// 4. The NGO supervisor approves it until today's end.
	signIn(t, ctx, base, ngoSup, fixturePass)
	run(t, ctx, "inbox", chromedp.WaitVisible(chromedp.CSS(`.logout button`)), chromedp.Navigate(base+"/sharing/inbox"), chromedp.WaitVisible(chromedp.CSS(`[id^="request-"]`)))
	if r := text(t, ctx, `[id^="request-"]`); !strings.Contains(r, "AHTU Sitamarhi (E2E)") || !strings.Contains(r, "161 CrPC") {
		t.Errorf("request in the inbox: %q", r)
	}
	today := eval[string](t, ctx, `document.querySelector('[id^="request-"] input[name=expires]').getAttribute("min")`)
	run(t, ctx, "approve",
		chromedp.SetValue(chromedp.CSS(`[id^="request-"] input[name=expires]`), today),
		chromedp.Click(chromedp.CSS(`[id^="request-"] button[value=approve]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.ok[role=status]`)),
	)
	signOut(t, ctx)

	// 5. The officer now sees the name, on the person page and the case.
	signIn(t, ctx, base, policeUser, fixturePass)
	run(t, ctx, "person with grant", chromedp.WaitVisible(chromedp.CSS(`.logout button`)), chromedp.Navigate(base+"/persons/"+personID), chromedp.WaitVisible(chromedp.CSS("#person-facts")))
	if f := text(t, ctx, "#person-facts"); !strings.Contains(f, sharedVictim) {
		t.Fatalf("the officer does not see the name with the grant: %q", f)
	}
	run(t, ctx, "case with grant", chromedp.Navigate(base+"/cases/"+caseID), chromedp.WaitVisible(chromedp.CSS("#victims")))
	if v := text(t, ctx, "#victims"); !strings.Contains(v, sharedVictim) {
		t.Errorf("the case's victims with the grant: %q", v)
	}
	run(t, ctx, "notifications", chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.CSS("#notifications")))
	if n := text(t, ctx, "#notifications"); !strings.Contains(n, "Your access request was approved.") {
		t.Errorf("the officer is not told of the approval: %q", n)
	}
	signOut(t, ctx)

	// 6. Two days later the grant has expired: the redacted view again.
	clock.Advance(48 * time.Hour)
	signIn(t, ctx, base, policeUser, fixturePass)
	run(t, ctx, "person after expiry", chromedp.WaitVisible(chromedp.CSS(`.logout button`)), chromedp.Navigate(base+"/persons/"+personID), chromedp.WaitVisible(chromedp.CSS("#redacted")))
	if body := pageText(); strings.Contains(body, "Thokarnelli") {
		t.Fatalf("the officer still sees the name after the grant expired:\n%s", body)
	}
	signOut(t, ctx)

	// 7. Another officer breaks the glass.
	signIn(t, ctx, base, policeSecond, fixturePass)
	run(t, ctx, "break glass",
		chromedp.WaitVisible(chromedp.CSS(`.logout button`)),
		chromedp.Navigate(base+"/records/"+personID+"/sharing"),
		chromedp.WaitVisible(chromedp.CSS("#break-glass")),
		chromedp.SetAttributeValue(chromedp.CSS(`#break-glass input[name=classes][value=identity]`), "checked", "checked"),
		chromedp.SetValue(chromedp.CSS("#bg-minutes"), "15"),
		chromedp.SendKeys(chromedp.CSS("#bg-reason"), "She is reported in danger at a hotel tonight; we must identify her now"),
		chromedp.Click(chromedp.CSS(`#break-glass button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.ok[role=status]`)),
	)
	if body := pageText(); !strings.Contains(body, "Emergency access open until") {
		t.Errorf("after breaking the glass: %q", body)
	}
	run(t, ctx, "person under break-glass", chromedp.Navigate(base+"/persons/"+personID), chromedp.WaitVisible(chromedp.CSS("#person-facts")))
	if f := text(t, ctx, "#person-facts"); !strings.Contains(f, sharedVictim) {
		t.Errorf("break-glass does not open the name: %q", f)
	}
	signOut(t, ctx)

	// 8. The audit view marks it; the NGO supervisor has a notification.
	signIn(t, ctx, base, platformAud, fixturePass)
	run(t, ctx, "audit", chromedp.WaitVisible(chromedp.CSS(`.logout button`)), chromedp.Navigate(base+"/audit"), chromedp.WaitVisible(chromedp.CSS("#results")))
	marked := eval[[]string](t, ctx, `[...document.querySelectorAll("#results tbody tr")].filter(r => [...r.querySelectorAll("strong")].some(s => s.textContent === "break-glass")).map(r => r.innerText)`)
	if len(marked) == 0 {
		t.Fatalf("no audit row carries the break-glass mark:\n%s", text(t, ctx, "#results tbody"))
	}
	found := false
	for _, r := range marked {
		if strings.Contains(r, "ASI Yadav") && strings.Contains(r, personID) {
			found = true
		}
		if strings.Contains(r, "Thokarnelli") {
			t.Errorf("an audit row names the victim: %q", r)
		}
	}
	if !found {
		t.Errorf("no break-glass row by the second officer on the person:\n%s", strings.Join(marked, "\n"))
	}
	if body := text(t, ctx, "#results"); strings.Contains(body, "Thokarnelli") {
		t.Error("the audit view shows the victim's name")
	}
	signOut(t, ctx)
	signIn(t, ctx, base, ngoSup, fixturePass)
	run(t, ctx, "supervisor notifications", chromedp.WaitVisible(chromedp.CSS(`.logout button`)), chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.CSS("#notifications")))
	if n := text(t, ctx, "#notifications"); !strings.Contains(n, "Emergency access was opened on one of your records") {
		t.Errorf("the NGO supervisor is not told of the break-glass: %q", n)
	}
	run(t, ctx, "inbox review", chromedp.Navigate(base+"/sharing/inbox"), chromedp.WaitVisible(chromedp.CSS(`[id^="glass-"]`)))
	if g := text(t, ctx, `[id^="glass-"]`); !strings.Contains(g, "AHTU Sitamarhi (E2E)") || !strings.Contains(g, "in danger") {
		t.Errorf("break-glass in the supervisor's inbox: %q", g)
	}
}
