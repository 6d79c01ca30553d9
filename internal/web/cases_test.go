package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

func newCasesEnv(t *testing.T, engine database.Engine) *env {
	db := dbtest.Open(t, engine)
	e := newEnvOn(t, db, func(c *Config) { c.Cases, c.Intake = database.NewCaseService(db), database.NewIntakeService(db) })
	u := &atip.User{OrgID: e.orgA.ID, Login: "super", Name: "Test super", Roles: []atip.Role{atip.RoleSupervisor}, Lang: "en"}
	if err := e.users.CreateUser(atip.OperatorContext(context.Background()), u, testPassword); err != nil {
		t.Fatal(err)
	}
	e.user["super"] = u
	return e
}

const webVictim = "Devkumari Zanzibaria"

func quickValues(key string) url.Values {
	return url.Values{"client_key": {key}, "channel": {"interception"}, "at": {time.Now().Add(-time.Hour).In(time.FixedZone("IST", 19800)).Format("2006-01-02T15:04")},
		"district": {"IN-BR-SITAMARHI"}, "point": {"Bhitthamore crossing"}, "sex": {"female"}, "age": {"15"}, "nationality": {"np"},
		"name": {webVictim}, "exploitation": {""}, "note": {"with an unrelated man"}}
}

// A first responder's quick intake, sent twice as a phone would after a
// dropped connection, makes one case; the owner sees the victim's name, the
// TLP badge and the links to the other case pages; another organisation
// does not learn the case exists; a caseworker completes it in the full form.
func TestCasePagesQuickIntakeToCompleteCase(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			e := newCasesEnv(t, engine)
			b := e.signedIn("worker")

			r := b.get("/intake/quick")
			if r.status != http.StatusOK || !strings.Contains(r.body, `name="client_key"`) || !strings.Contains(r.body, "cases_quick") {
				t.Fatalf("quick intake form: %d\n%s", r.status, r.body)
			}
			key := find(t, r.body, `id="client_key" value="([0-9a-f]{32})"`)

			// Without JavaScript: a missing district comes back with its message.
			bad := quickValues(key)
			bad.Set("district", "")
			if r := b.post("/intake/quick", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "is required") {
				t.Fatalf("bad intake: %d", r.status)
			}
			r1 := b.post("/intake/quick", quickValues(key))
			r2 := b.post("/intake/quick", quickValues(key))
			if r1.status != http.StatusSeeOther || r1.location() == "" || r2.location() != r1.location() {
				t.Fatalf("two sends: %d %q and %q", r1.status, r1.location(), r2.location())
			}
			casePath := strings.TrimSuffix(r1.location(), "?intake=1")
			id := strings.TrimPrefix(casePath, "/cases/")

			r = b.get("/cases")
			if n := strings.Count(r.body, `data-case="`); r.status != http.StatusOK || n != 1 || !strings.Contains(r.body, "TLP:AMBER") ||
				!strings.Contains(r.body, "To complete") {
				t.Fatalf("case list: %d, %d rows\n%s", r.status, n, r.body)
			}
			r = b.get("/cases?complete=yes")
			if strings.Contains(r.body, `data-case="`) {
				t.Error("an incomplete case is listed as completed")
			}
			r = b.get("/cases?q=zanzibaria")
			if !strings.Contains(r.body, `data-case="`+id+`"`) {
				t.Errorf("owner's name search does not find the case")
			}

			r = b.get(r1.location())
			for _, want := range []string{webVictim, "TLP:AMBER", "Intake saved", "/cases/" + id + "/checklist", "/cases/" + id + "/care",
				"/cases/" + id + "/legal", "/cases/" + id + "/repatriation", "/records/" + id + "/sharing", "Bhitthamore crossing",
				`id="incomplete"`, "Complete the intake"} {
				if !strings.Contains(r.body, want) {
					t.Errorf("case page lacks %q", want)
				}
			}
			personID := find(t, r.body, `href="/persons/([0-9a-f-]+)"`)
			if r := b.get("/persons/" + personID); r.status != http.StatusOK || !strings.Contains(r.body, webVictim) ||
				!strings.Contains(r.body, "with an unrelated man") {
				t.Errorf("person page: %d", r.status)
			}

			// Another organisation: not found, not forbidden.
			other := e.signedIn("bworker")
			for _, p := range []string{casePath, casePath + "/print", casePath + "/edit", "/persons/" + personID} {
				if r := other.get(p); r.status != http.StatusNotFound {
					t.Errorf("other organisation GET %s: %d", p, r.status)
				}
			}
			if r := other.get("/cases"); strings.Contains(r.body, `data-case="`) {
				t.Error("other organisation lists an owner-only case")
			}
			if r := other.post(casePath+"/notes", url.Values{"note": {"x"}}); r.status != http.StatusNotFound {
				t.Errorf("other organisation adds a note: %d", r.status)
			}

			// The caseworker completes the case in the full form.
			r = b.get(casePath + "/edit")
			if r.status != http.StatusOK || !strings.Contains(r.body, webVictim) {
				t.Fatalf("edit form: %d", r.status)
			}
			f := url.Values{"intake_channel": {"interception"}, "intake_at": {"2026-01-10T09:30"}, "intake_district": {"IN-BR-SITAMARHI"},
				"status": {"active"}, "stage": {"care"}, "exploitation": {"sexual_exploitation"}, "cross_border": {"on"}, "complete": {"on"},
				"assign_me": {"on"}, "summary": {"Promised a job in Mumbai"}, "victim_id": {personID}, "v_name": {webVictim},
				"v_aliases": {"Devi"}, "v_sex": {"female"}, "v_age": {"15"}, "v_age_method": {"school_certificate"}, "v_nationality": {"NP"},
				"v_home_district": {"NP-P3-SINDHUPALCHOK"}, "v_status": {"presumed_victim"}, "v_decided_by": {"border_unit"},
				"v_relation": {"acquaintance"}, "v_recruitment": {"job_offer"}, "i_origin": {"NP-P3-SINDHUPALCHOK"},
				"i_destination": {"IN-MH-MUMBAI"}, "i_border_point": {"Bhitthamore crossing"}, "i_transport": {"bus"},
				"i_platforms": {"facebook"}, "i_form": {"sexual_exploitation"},
				"s0_name": {"Suspectkumar Quasar"}, "s0_sex": {"male"}, "s0_roles": {"recruiter", "transporter"}, "s1_name": {""}}
			r = b.post(casePath, f)
			if r.status != http.StatusSeeOther {
				t.Fatalf("complete the case: %d\n%s", r.status, r.body)
			}
			r = b.get(casePath)
			for _, want := range []string{"Suspectkumar Quasar", "Recruiter", "Transporter", "Promised a job in Mumbai", "Presumed",
				"Care and rehabilitation", "Devi"} {
				if !strings.Contains(r.body, want) {
					t.Errorf("completed case page lacks %q", want)
				}
			}
			if strings.Contains(r.body, `id="incomplete"`) {
				t.Error("completed case still says incomplete")
			}
			if r := b.get("/cases?mine=1&stage=care"); !strings.Contains(r.body, `data-case="`+id+`"`) {
				t.Error("mine + stage filter does not find the assigned case")
			}

			// A note goes on the timeline; an empty one is refused with a message.
			if r := b.post(casePath+"/notes", url.Values{"note": {"Called the family"}}); r.status != http.StatusSeeOther {
				t.Fatalf("note: %d", r.status)
			}
			if r := b.post(casePath+"/notes", url.Values{"note": {"  "}}); r.status != http.StatusUnprocessableEntity {
				t.Errorf("empty note: %d", r.status)
			}
			r = b.get(casePath + "/print")
			if r.status != http.StatusOK || !strings.Contains(r.body, "Case summary") || !strings.Contains(r.body, "Called the family") ||
				!strings.Contains(r.body, "TLP:AMBER") || strings.Contains(r.body, `id="note-form"`) {
				t.Errorf("print page: %d", r.status)
			}

			// A bad field comes back in the form with its message.
			f.Set("intake_at", "yesterday")
			if r := b.post(casePath, f); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "give a date and time") {
				t.Errorf("bad date: %d", r.status)
			}
		})
	}
}

// A case opened from an interception links to it; the export carries the
// TLP column and only what the policy lets the user export (a caseworker:
// nothing; a supervisor: the reference fields, never a name).
func TestCaseNewFromOriginAndExport(t *testing.T) {
	e := newCasesEnv(t, database.SQLite)
	b := e.signedIn("worker")
	xi := &atip.Interception{At: e.db.Now().Add(-time.Hour), Point: "Bhitthamore crossing", District: "IN-BR-SITAMARHI", Direction: "inbound",
		Stopped: []atip.StoppedPerson{{Sex: "male", AgeYears: 30, Nationality: "NP"}}, Flags: []string{"job_does_not_exist"}, Certainty: 3}
	wctx := atip.NewContextWithActor(context.Background(), &atip.Actor{User: e.user["worker"], Org: e.orgA, Via: atip.ViaWeb})
	if err := database.NewIntakeService(e.db).CreateInterception(wctx, xi); err != nil {
		t.Fatal(err)
	}
	r := b.get("/cases/new?from=interception&id=" + xi.ID)
	if r.status != http.StatusOK || !strings.Contains(r.body, `name="from_id" value="`+xi.ID+`"`) {
		t.Fatalf("new case form from an interception: %d", r.status)
	}
	f := url.Values{"from": {"interception"}, "from_id": {"0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000"}, "intake_channel": {"interception"},
		"intake_at": {"2026-01-10T09:30"}, "intake_district": {"IN-BR-SITAMARHI"}, "status": {"open"}, "stage": {"first_response"},
		"exploitation": {"forced_labour"}, "complete": {"on"}, "v_name": {webVictim}, "v_sex": {"male"}, "v_age": {"30"},
		"v_status": {"unknown"}, "s0_name": {""}}
	// An origin that is not a record the user may open a case from is
	// refused: the case would point to nothing.
	if r := b.post("/cases", f); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("case from an unknown interception: %d", r.status)
	}
	f.Set("from_id", xi.ID)
	r = b.post("/cases", f)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	page := b.get(r.location())
	if !strings.Contains(page.body, `href="/interceptions/`+xi.ID+`"`) {
		t.Error("case page does not link to the interception it came from")
	}
	caseID := strings.TrimPrefix(strings.SplitN(r.location(), "?", 2)[0], "/cases/")
	if xp := b.get("/interceptions/" + xi.ID); !strings.Contains(xp.body, `href="/cases/`+caseID+`"`) {
		t.Error("the interception does not link to the case opened from it")
	}
	ref := find(t, page.body, `<h1>(CAS-[0-9A-F-]+)`)

	if r := b.get("/cases/export.csv"); r.status != http.StatusOK || strings.Contains(r.body, ref) {
		t.Errorf("a caseworker's export holds cases the policy does not let them export: %d", r.status)
	}
	s := e.signedIn("super")
	r = s.get("/cases/export.csv?type=forced_labour")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("supervisor's export: %d", r.status)
	}
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][2] != "tlp" || rows[1][0] != ref || rows[1][2] != "AMBER" || strings.Contains(r.body, "Zanzibaria") {
		t.Fatalf("export rows: %v", rows)
	}
	x := s.get("/cases/export.xlsx")
	if x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") {
		t.Errorf("xlsx export: %d", x.status)
	}
	entries, _, err := database.NewAuditService(e.db).FindAuditEntries(atip.OperatorContext(context.Background()), atip.AuditFilter{Action: "case.export"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("export audit entries: %d, want 3", len(entries))
	}
}

// postFile sends a multipart form with one file, as a browser would.
func (b *browser) postFile(path, field, name string, data []byte, extra url.Values) response {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range extra {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if field != "" {
		fw, err := mw.CreateFormFile(field, name)
		if err != nil {
			b.e.t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", b.e.ts.URL+path, &buf)
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// importStep posts the mapping form of an import page with step.
func importStep(t *testing.T, b *browser, page, step string) response {
	t.Helper()
	v := url.Values{"step": {step}, "data": {html.UnescapeString(find(t, page, `name="data" value="([^"]+)"`))}, "name": {"register.csv"}}
	sel := regexp.MustCompile(`(?s)<select id="(map_[a-z_]+)"[^>]*>(.*?)</select>`)
	opt := regexp.MustCompile(`<option value="([^"]*)" selected>`)
	for _, m := range sel.FindAllStringSubmatch(page, -1) {
		if o := opt.FindStringSubmatch(m[2]); o != nil {
			v.Set(m[1], html.UnescapeString(o[1]))
		}
	}
	return b.postFile("/cases/import", "", "", nil, v)
}

// Importing a legacy register: the mapping is proposed from the headers, a
// dry run of a file with bad rows reports each by line and imports nothing,
// a good file imports every row at once, as incomplete cases to review.
func TestCaseImportDryRunAndAllOrNothing(t *testing.T) {
	e := newCasesEnv(t, database.SQLite)
	s := e.signedIn("super")
	if r := e.signedIn("worker").get("/cases/import"); r.status != http.StatusForbidden {
		t.Errorf("a caseworker reaches the import: %d", r.status)
	}
	bad, err := os.ReadFile("../importer/testdata/register-bad.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := s.postFile("/cases/import", "file", "register-bad.csv", bad, nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="import-map"`) {
		t.Fatalf("upload: %d\n%s", r.status, r.body)
	}
	r = importStep(t, s, r.body, "import")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="import-problems"`) || strings.Contains(r.body, `value="import"`) {
		t.Fatalf("bad register: %d", r.status)
	}
	for _, line := range []string{"<td data-label=\"Line\">2</td>", "<td data-label=\"Line\">3</td>", "<td data-label=\"Line\">4</td>"} {
		if !strings.Contains(r.body, line) {
			t.Errorf("report lacks %s", line)
		}
	}
	if strings.Contains(r.body, "Synthetic A") {
		t.Error("the report repeats a cell's content")
	}
	if r := s.get("/cases"); strings.Contains(r.body, `data-case="`) {
		t.Fatal("a register with bad rows imported something")
	}

	good, err := os.ReadFile("../importer/testdata/register-good.csv")
	if err != nil {
		t.Fatal(err)
	}
	r = s.postFile("/cases/import", "file", "register-good.csv", good, nil)
	r = importStep(t, s, r.body, "dry_run")
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="import-ok"`) || !strings.Contains(r.body, `value="import"`) {
		t.Fatalf("dry run of a good register: %d\n%s", r.status, r.body)
	}
	if r := s.get("/cases"); strings.Contains(r.body, `data-case="`) {
		t.Fatal("a dry run stored cases")
	}
	r = importStep(t, s, r.body, "import")
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="import-done"`) {
		t.Fatalf("import: %d\n%s", r.status, r.body)
	}
	list := s.get("/cases?complete=no")
	if n := strings.Count(list.body, `data-case="`); n != 3 {
		t.Errorf("imported cases listed: %d, want 3", n)
	}
	if r := s.get("/cases?q=tamang"); strings.Count(r.body, `data-case="`) != 1 {
		t.Error("an imported victim's name is not found by the owner's search")
	}
}
