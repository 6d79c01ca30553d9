package app

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
	"atip/internal/password"
)

// The leak test: records with distinctive victim names and phones in one
// organisation (A, a shelter), and users of every other relation asking
// every GET page of the web route table and every GET operation of the API,
// with every record id, guessed ids, and the names and phones as search
// queries. No name or phone may appear in a body, a header or the server
// log, and a record a user may not see answers like a guessed id does.

const leakPassword = "a long leak-test password"

// secret is one thing that must not leak: what is stored, and the forms in
// which a page could show it.
var leakSecrets = []string{
	"Zorbalina", "Quixtavarna", // person + owner-only AMBER case
	"Vexmirael", "Dunthorpe", // groups AMBER case
	"Kwelsandra", "Fopperwick", // platform GREEN case
	"Ysmerelda", "Plonkhurst", // platform GREEN interception
	"Trevanique", "Holmsworth", // groups AMBER missing report
	"Gribbleton", // the reporter of the missing report
	"9812340001", "9812340002", "9812340003", "9812340004", "9812340005", "9812340006",
}

// syncBuffer is the server log, written by request goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type leakWorld struct {
	ids   map[string]string // what → record id
	users map[string]string // login → description of the relation
}

func leakSeed(w *leakWorld) func(ctx context.Context, db *database.DB) error {
	return func(ctx context.Context, db *database.DB) error {
		op := atip.OperatorContext(ctx)
		orgs, users := database.NewOrgService(db), database.NewUserService(db)
		mk := map[string]*atip.Org{}
		for _, o := range []struct {
			tag string
			org *atip.Org
		}{
			{"A", &atip.Org{Name: "Shelter A (owner)", Type: atip.OrgShelterNGO, Jurisdiction: "IN-BR"}},
			{"D", &atip.Org{Name: "AHTU D (platform member)", Type: atip.OrgAHTU, Jurisdiction: "IN-BR"}},
			{"G", &atip.Org{Name: "Police G (group member)", Type: atip.OrgPolice, Jurisdiction: "IN-BR"}},
			{"F", &atip.Org{Name: "Mission F (foreign counterpart)", Type: atip.OrgForeignCounterpart, Jurisdiction: "NP"}},
			{"R", &atip.Org{Name: "CWC R (referral holder)", Type: atip.OrgCWC, Jurisdiction: "IN-BR"}},
			{"X", &atip.Org{Name: "Police X (holds the same phone)", Type: atip.OrgPolice, Jurisdiction: "IN-BR"}},
		} {
			if err := orgs.CreateOrg(op, o.org); err != nil {
				return err
			}
			mk[o.tag] = o.org
		}
		as := map[string]context.Context{}
		add := func(tag, login, what string, roles ...atip.Role) error {
			u := &atip.User{OrgID: mk[tag].ID, Login: login, Name: "User " + login, Roles: roles, Lang: "en"}
			if err := users.CreateUser(op, u, leakPassword); err != nil {
				return err
			}
			as[login] = atip.NewContextWithActor(ctx, &atip.Actor{User: u, Org: mk[tag], Via: atip.ViaCLI})
			if what != "" {
				w.users[login] = what
			}
			return nil
		}
		for _, u := range []struct {
			tag, login, what string
			role             atip.Role
		}{
			{"A", "a.worker", "", atip.RoleCaseworker},
			{"A", "a.sup", "", atip.RoleSupervisor},
			{"A", "a.admin", "", atip.RoleOrgAdmin},
			{"A", "a.analyst", "owner's analyst (no identities)", atip.RoleAnalyst},
			{"A", "a.auditor", "owner's auditor", atip.RoleAuditor},
			{"G", "g.admin", "group member admin", atip.RoleOrgAdmin},
			{"G", "g.worker", "group member caseworker", atip.RoleCaseworker},
			{"F", "f.worker", "foreign counterpart", atip.RoleCaseworker},
			{"F", "f.sup", "foreign counterpart supervisor", atip.RoleSupervisor},
			{"R", "r.worker", "referral holder without consent", atip.RoleCaseworker},
			{"R", "r.sup", "referral holder supervisor", atip.RoleSupervisor},
			{"X", "x.worker", "", atip.RoleCaseworker},
		} {
			if err := add(u.tag, u.login, u.what, u.role); err != nil {
				return err
			}
		}
		for _, r := range atip.Roles {
			if err := add("D", "d."+string(r), "platform member "+string(r), r); err != nil {
				return err
			}
		}

		// A sharing group run by A, accepted by G.
		groups := database.NewGroupService(db)
		g := &atip.SharingGroup{Name: "Bihar task force", Purpose: "Rescue coordination",
			Agreement: "Members use shared records only to coordinate rescues.", ExpiresAt: db.Now().Add(90 * 24 * time.Hour)}
		if err := groups.CreateGroup(as["a.admin"], g); err != nil {
			return fmt.Errorf("group: %w", err)
		}
		if _, err := groups.InviteOrgs(as["a.admin"], g.ID, []string{mk["G"].ID}); err != nil {
			return err
		}
		if _, err := groups.AnswerGroup(as["g.admin"], g.ID, atip.MemberAccepted); err != nil {
			return err
		}

		cases, intake, sharing := database.NewCaseService(db), database.NewIntakeService(db), database.NewSharingService(db)
		cw := as["a.worker"]
		now := db.Now()
		person := func(key, name, phone string) (*atip.Person, error) {
			p := &atip.Person{Roles: []atip.PersonRole{atip.PersonVictim}, Sex: "female", AgeYears: 17, AgeAsOf: now,
				AgeMethod: "officer_estimate", Nationality: "NP", HomeDistrict: "NP-P3-SINDHUPALCHOK", HomeVillage: "Thangpalkot",
				Names: []atip.PersonName{{Full: name, Script: "Latn", Kind: "name"}}, Phones: []string{phone}}
			if err := cases.CreatePerson(cw, p); err != nil {
				return nil, fmt.Errorf("person %s: %w", key, err)
			}
			w.ids["person "+key] = p.ID
			return p, nil
		}
		caseOf := func(key string, p *atip.Person, m atip.MarkingChange) error {
			c := &atip.Case{IntakeChannel: "interception", IntakeAt: now.Add(-time.Hour), IntakeDistrict: "IN-BR-SITAMARHI",
				Exploitation: []string{"sexual_exploitation"}, Complete: true, Summary: "Met at the bus stand with " + p.Names[0].Full,
				Victims: []atip.CaseVictim{{PersonID: p.ID, TraffickingStatus: "presumed_victim", StatusDecidedBy: "border_unit"}}}
			if err := cases.CreateCase(cw, c); err != nil {
				return fmt.Errorf("case %s: %w", key, err)
			}
			w.ids["case "+key] = c.ID
			for _, id := range []string{p.ID, c.ID} {
				if err := sharing.SetMarking(as["a.sup"], id, m); err != nil {
					return fmt.Errorf("marking %s: %w", key, err)
				}
			}
			return nil
		}
		p1, err := person("owner-amber", "Zorbalina Quixtavarna", "+9779812340001")
		if err != nil {
			return err
		}
		if err := caseOf("owner-amber", p1, atip.MarkingChange{Distribution: atip.DistOwner, TLP: atip.TLPAmber}); err != nil {
			return err
		}
		if err := cases.AddNote(cw, w.ids["case owner-amber"], "Her uncle Zorbalina Quixtavarna called from 9812340001"); err != nil {
			return err
		}
		p2, err := person("groups-amber", "Vexmirael Dunthorpe", "+9779812340002")
		if err != nil {
			return err
		}
		if err := caseOf("groups-amber", p2, atip.MarkingChange{Distribution: atip.DistGroups, TLP: atip.TLPAmber, GroupIDs: []string{g.ID}}); err != nil {
			return err
		}
		if err := cases.AddNote(cw, w.ids["case groups-amber"], "Vexmirael Dunthorpe phoned 9812340002 again"); err != nil {
			return err
		}
		p3, err := person("platform-green", "Kwelsandra Fopperwick", "+9779812340003")
		if err != nil {
			return err
		}
		if err := caseOf("platform-green", p3, atip.MarkingChange{Distribution: atip.DistPlatform, TLP: atip.TLPGreen}); err != nil {
			return err
		}
		x := &atip.Interception{At: now.Add(-26 * time.Hour), Point: "raxaul-birgunj", District: "IN-BR-EAST_CHAMPARAN", Direction: "inbound", Transport: "bus",
			Origin: "NP-P3-SINDHUPALCHOK", Destination: "IN-DL", StatedPurpose: "work in a hotel",
			Stopped:    []atip.StoppedPerson{{Names: []string{"Ysmerelda Plonkhurst"}, Sex: "female", AgeYears: 15, AgeEstimate: true, Nationality: "NP", Phone: "+9779812340004"}},
			Companions: []atip.Companion{{Name: "Companion of Ysmerelda", Relation: "uncle", Sex: "male", AgeYears: 36, Phone: "+919812340005"}},
			Flags:      []string{"minor_with_unrelated_adult"}, Certainty: 4,
			Account: "Ysmerelda Plonkhurst says an uncle arranged a job.",
			Info:    atip.RecordInfo{Distribution: atip.DistPlatform, TLP: atip.TLPGreen}}
		if err := intake.CreateInterception(cw, x); err != nil {
			return fmt.Errorf("interception: %w", err)
		}
		w.ids["interception platform-green"] = x.ID
		m := &atip.MissingReport{ReportedAt: now.Add(-50 * time.Hour), LastSeenAt: now.Add(-74 * time.Hour), LastSeenIn: "IN-BR-SITAMARHI",
			LastSeenPlace: "bus stand", PoliceRef: "GD 0042/2026", Relation: "mother", Reporter: "Mother Gribbleton",
			ReporterTel: "+919812340006", Missing: atip.StoppedPerson{Names: []string{"Trevanique Holmsworth"}, Sex: "female", AgeYears: 16, Nationality: "IN"},
			Description: "red school bag", Circumstance: "Trevanique left for a job interview.",
			Info: atip.RecordInfo{Distribution: atip.DistGroups, TLP: atip.TLPAmber, GroupIDs: []string{g.ID}}}
		if err := intake.CreateMissing(as["a.sup"], m); err != nil {
			return fmt.Errorf("missing: %w", err)
		}
		w.ids["missing groups-amber"] = m.ID

		// Another organisation records someone with the owner-only victim's
		// phone: deconfliction tells both whom to ask, and nothing more.
		xp := &atip.Person{Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: "male", AgeYears: 40, AgeAsOf: now, AgeMethod: "officer_estimate",
			Names: []atip.PersonName{{Full: "Other Holder", Script: "Latn", Kind: "name"}}, Phones: []string{"+9779812340001"}}
		if err := cases.CreatePerson(as["x.worker"], xp); err != nil {
			return fmt.Errorf("X's person: %w", err)
		}

		// A tip that names nobody: its id is one more to try everywhere.
		tips, err := database.NewTipService(db, "")
		if err != nil {
			return err
		}
		tip := &atip.Tip{Text: "Job in Mumbai dance bar, advance 5000 rupees, passport will be kept by agent", Platform: "Facebook"}
		if err := tips.CreateTip(cw, tip); err != nil {
			return fmt.Errorf("tip: %w", err)
		}
		w.ids["tip"] = tip.ID

		// R holds an accepted referral of the owner-only case and its
		// person, without consent: the operational class only.
		for _, ref := range []atip.RecordRef{{Type: atip.RecordCase, ID: w.ids["case owner-amber"]}, {Type: atip.RecordPerson, ID: p1.ID}} {
			r := &atip.Referral{Record: ref, ToOrgID: mk["R"].ID, Classes: []atip.FieldClass{atip.ClassOperational},
				Purpose: atip.PurposeCare, Note: "shelter placement", ExpiresAt: now.Add(24 * time.Hour)}
			if err := sharing.Refer(cw, r); err != nil {
				return fmt.Errorf("referral: %w", err)
			}
			if _, err := sharing.AnswerReferral(as["r.sup"], r.ID, true, ""); err != nil {
				return fmt.Errorf("accept referral: %w", err)
			}
		}
		return nil
	}
}

type leakClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newLeakClient(t *testing.T, base, login string) *leakClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	lc := &leakClient{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"login": {login}, "password": {leakPassword}, "next": {"/"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := lc.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("sign in %s: status %d to %q", login, resp.StatusCode, resp.Header.Get("Location"))
	}
	return lc
}

// get returns the status and everything the response says: headers and
// body, with the files of a zipped body (an XLSX export) unpacked. htmx
// asks for the fragment a page updates itself with.
func (c *leakClient) get(path string, htmx bool) (int, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var h strings.Builder
	for k, vs := range resp.Header {
		fmt.Fprintf(&h, "%s: %s\n", k, strings.Join(vs, ", "))
	}
	h.WriteString("\n")
	h.Write(body)
	zr, zerr := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if strings.Contains(resp.Header.Get("Content-Type"), "spreadsheet") && zerr != nil {
		c.t.Fatalf("%s: %v", path, zerr)
	}
	if zerr == nil {
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				c.t.Fatalf("%s: %s in the zip: %v", path, f.Name, err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			h.Write(b)
		}
	}
	return resp.StatusCode, h.String()
}

// leaked returns the first secret s shows, leaving out those the user
// typed into the request (a search box shows what was searched for).
func leaked(s, asked string) string {
	low, asked := strings.ToLower(s), strings.ToLower(asked)
	for _, x := range leakSecrets {
		if x := strings.ToLower(x); strings.Contains(low, x) && !strings.Contains(asked, x) {
			return x
		}
	}
	return ""
}

// webGetRoutes reads the GET patterns of the web route table from the
// package's source, so that a route added later is checked too.
func webGetRoutes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`pattern:\s*"GET (/[^"]*)"`)
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			seen[strings.ReplaceAll(m[1], "{$}", "")] = true
		}
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	if len(out) < 50 {
		t.Fatalf("only %d GET routes found in the web package: the route table is not where this test looks", len(out))
	}
	return out
}

// apiGetPaths lists the GET operations of the served OpenAPI document.
func apiGetPaths(t *testing.T, c *leakClient) []string {
	t.Helper()
	status, _ := c.get("/api/v1/openapi.json", false)
	if status != http.StatusOK {
		t.Fatalf("openapi.json: %d", status)
	}
	resp, err := c.c.Get(c.base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
		Paths   map[string]map[string]json.RawMessage
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	prefix := "/api/v1"
	var out []string
	for p, ops := range doc.Paths {
		if _, ok := ops["get"]; ok {
			if !strings.HasPrefix(p, prefix) {
				p = prefix + p
			}
			out = append(out, p)
		}
	}
	sort.Strings(out)
	if len(out) < 15 {
		t.Fatalf("only %d GET operations in the OpenAPI document", len(out))
	}
	return out
}

// mustSee names records each relation sees (redacted).
var mustSee = map[string][]string{
	"g.worker":          {"case groups-amber", "person groups-amber", "missing groups-amber", "case platform-green"},
	"d.caseworker":      {"case platform-green", "person platform-green", "interception platform-green"},
	"r.worker":          {"case owner-amber", "person owner-amber"},
	"a.analyst":         {"case owner-amber", "person owner-amber", "case groups-amber", "missing groups-amber"},
	"d.first_responder": {"interception platform-green"},
}

func sup0(t *testing.T, base string) *leakClient { return newLeakClient(t, base, "a.sup") }

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// On both engines: the name search and the lists take different SQL on each.
func TestNoPersonalDataLeaksToOtherOrganisations(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) { testNoPersonalDataLeaks(t, e) })
	}
}

func testNoPersonalDataLeaks(t *testing.T, engine database.Engine) {
	start := time.Now()
	dbURL, keyFile := dbtest.NewURL(t, engine)
	logs := &syncBuffer{}
	w := &leakWorld{ids: map[string]string{}, users: map[string]string{}}
	m := New(Config{
		Addr: "127.0.0.1:0", DBURL: dbURL,
		DBOptions: []database.Option{database.WithPasswordParams(password.Cheap), database.WithAuditKeyFile(keyFile),
			database.WithKeyring(dbtest.Keyring(t)), database.WithTokenizer(dbtest.Tokenizer(t))},
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Seed:   leakSeed(w),
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	base := m.URL()

	// Positive control: the owner's caseworker sees the name on the person
	// page, in the case list search and in the export, so the checks below
	// can fail.
	owner := newLeakClient(t, base, "a.worker")
	for _, c := range []struct{ path, want string }{
		{"/persons/" + w.ids["person owner-amber"], "Zorbalina"},
		{"/cases/" + w.ids["case groups-amber"], "Vexmirael"},
		{"/interceptions/" + w.ids["interception platform-green"], "Plonkhurst"},
		{"/missing/" + w.ids["missing groups-amber"], "Holmsworth"},
		{"/cases?q=Quixtavarna", "Quixtavarna"},
	} {
		if status, body := owner.get(c.path, false); status != http.StatusOK || !strings.Contains(body, c.want) {
			t.Fatalf("positive control: the owner's caseworker at %s: status %d, %q shown: %v", c.path, status, c.want, strings.Contains(body, c.want))
		}
	}

	// The deconfliction match reached the owner's inbox.
	if status, body := sup0(t, base).get("/sharing/inbox", false); status != http.StatusOK || !strings.Contains(body, `id="match-`) {
		t.Fatalf("positive control: no deconfliction match in the owner's inbox (status %d)", status)
	}

	// Exports are a supervisor's (or analyst's): ids and list columns, the
	// XLSX unzipped.
	sup := newLeakClient(t, base, "a.sup")
	for _, p := range []string{"/cases/export.xlsx", "/cases/export.csv"} {
		if status, body := sup.get(p, false); status != http.StatusOK || !strings.Contains(body, w.ids["case owner-amber"]) {
			t.Fatalf("positive control: the owner's supervisor's %s: status %d, the owner-only case in it: %v", p, status, strings.Contains(body, w.ids["case owner-amber"]))
		}
	}

	webRoutes := webGetRoutes(t)
	apiPaths := apiGetPaths(t, owner)
	guessed := []string{atip.NewID(), atip.NewID(), "1", "00000000-0000-0000-0000-000000000000"}
	var recordIDs []string
	for _, id := range w.ids {
		recordIDs = append(recordIDs, id)
	}
	sort.Strings(recordIDs)
	queries := []string{"", "?q=Zorbalina", "?q=Quixtavarna", "?q=Vexmirael+Dunthorpe", "?q=Kwelsandra", "?q=Plonkhurst", "?q=Trevanique",
		"?q=9812340001", "?q=%2B9779812340004", "?selector=phone:%2B9779812340001", "?selector=phone:%2B9779812340004",
		"?type=phone&value=%2B9779812340001", "?type=phone&value=%2B9779812340004"}

	logins := make([]string, 0, len(w.users))
	for l := range w.users {
		logins = append(logins, l)
	}
	sort.Strings(logins)
	requests := 0
	for _, login := range logins {
		c := newLeakClient(t, base, login)
		what := w.users[login]
		// A record the user sees somewhere may refuse an action with 403
		// (editing a shared case); one it may not see must answer as a
		// guessed id does.
		visible := map[string]bool{}
		var odd, oddID []string
		// Nor may anything name the id of an owner-only record it holds no
		// referral for (lists, exports, notifications), unless it was asked.
		// Auditors are the exception the policy makes: they read the whole
		// platform's trail, which names records by id (and only by id).
		var hiddenIDs []string
		if !strings.HasPrefix(login, "a.") && !strings.HasPrefix(login, "r.") && !strings.HasSuffix(login, "auditor") {
			hiddenIDs = []string{w.ids["case owner-amber"], w.ids["person owner-amber"]}
		}
		check := func(path string) int {
			status, out := c.get(path, false)
			requests++
			if s := leaked(out, path); s != "" {
				t.Errorf("%s (%s) GET %s: status %d shows %q", login, what, path, status, s)
			}
			for _, id := range hiddenIDs {
				if strings.Contains(out, id) && !strings.Contains(path, id) {
					t.Errorf("%s (%s) GET %s: status %d names the owner-only record %s", login, what, path, status, id)
				}
			}
			return status
		}
		for _, paths := range [][]string{webRoutes, apiPaths} {
			for _, p := range paths {
				if !pathParam.MatchString(p) {
					for _, q := range queries {
						check(p + q)
					}
					// The list fragment htmx swaps in as the user types.
					if status, out := c.get(p+"?q=Quixtavarna", true); leaked(out, "Quixtavarna") != "" {
						t.Errorf("%s (%s) htmx GET %s?q=Quixtavarna: status %d shows %q", login, what, p, status, leaked(out, "Quixtavarna"))
					}
					continue
				}
				// A guessed id answers 404 (or the role's refusal of the
				// whole route); a real record the user may not see
				// answers exactly as a guessed one.
				want := 0
				for i, g := range guessed {
					st := check(pathParam.ReplaceAllString(p, url.PathEscape(g)))
					if i >= 2 {
						continue // malformed ids: only looked at for leaks
					}
					if want == 0 {
						want = st
					}
					if st != want || st == http.StatusOK {
						t.Errorf("%s (%s) GET %s with guessed ids: status %d and %d", login, what, p, want, st)
					}
				}
				for _, id := range recordIDs {
					st := check(pathParam.ReplaceAllString(p, id))
					if st == http.StatusOK {
						visible[id] = true
					} else if st != want {
						odd = append(odd, fmt.Sprintf("GET %s for record %s: status %d where a guessed id answers %d", p, id, st, want))
						oddID = append(oddID, id)
					}
				}
			}
		}
		// Each relation sees what it should (redacted), so the absence of
		// names above is the redaction's doing, not an empty page.
		for _, key := range mustSee[login] {
			if !visible[w.ids[key]] {
				t.Errorf("%s (%s) does not see %s at all", login, what, key)
			}
		}
		for i, o := range odd {
			if !visible[oddID[i]] {
				t.Errorf("%s (%s) %s", login, what, o)
			}
		}
	}
	if requests < 1000 {
		t.Fatalf("only %d requests made", requests)
	}
	if s := leaked(logs.String(), ""); s != "" {
		i := strings.Index(strings.ToLower(logs.String()), strings.ToLower(s))
		t.Errorf("the server log shows %q: …%s…", s, logs.String()[max(0, i-200):min(len(logs.String()), i+100)])
	}
	t.Logf("%d users × %d web routes + %d API operations: %d requests in %s", len(logins), len(webRoutes), len(apiPaths), requests, time.Since(start).Round(time.Millisecond))
}
