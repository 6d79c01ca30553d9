package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"atip"
	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// newIntakeEnv is the page env with the intake service wired, a first
// responder ("responder") and a supervisor ("super") of organisation A.
func newIntakeEnv(t *testing.T, engine database.Engine) *env {
	t.Helper()
	db := dbtest.Open(t, engine)
	e := newEnvOn(t, db, func(c *Config) { c.Intake = database.NewIntakeService(db) })
	for login, role := range map[string]atip.Role{"responder": atip.RoleFirstResponder, "super": atip.RoleSupervisor} {
		u := &atip.User{OrgID: e.orgA.ID, Login: login, Name: "Test " + login, Roles: []atip.Role{role}, Lang: "en"}
		if err := e.users.CreateUser(atip.OperatorContext(context.Background()), u, testPassword); err != nil {
			t.Fatal(err)
		}
		e.user[login] = u
	}
	return e
}

func TestIntakeRoutesAccess(t *testing.T) {
	testRoutesRefuseTheUnauthenticated(t, newIntakeEnv(t, database.SQLite))
	testRoutesRefuseTheWrongRole(t, newIntakeEnv(t, database.SQLite))
}

func interceptionValues(action string) url.Values {
	return url.Values{
		"at": {"2026-01-10T09:30"}, "point": {"raxaul-birgunj"}, "district": {"IN-BR-PURBI-CHAMPARAN"}, "direction": {"inbound"},
		"transport": {"bus"}, "origin": {"NP-P3-SINDHUPALCHOK"}, "destination": {"IN-DL"}, "purpose": {"job in a hotel"},
		"stopped_names_0": {"Sunmaya Quillfeather, Sunu"}, "stopped_sex_0": {"female"}, "stopped_age_0": {"15"}, "stopped_nationality_0": {"np"},
		"companion_name_0": {"Demo Agent"}, "companion_relation_0": {"uncle"}, "companion_age_0": {"34"},
		"flag":      {"job_does_not_exist", "companion_not_relative"},
		"certainty": {"3"}, "account": {"She says her uncle found her a job."},
		"tlp": {"GREEN"}, "distribution": {"platform"}, "action": {action},
	}
}

// A first responder scores an interception on the form without saving,
// saves it, and its page explains the score and prompts to open a case; the
// responder cannot verify it, the supervisor can; another organisation sees
// the redacted view, and a guessed id is not found.
func TestInterceptionPages(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			e := newIntakeEnv(t, engine)
			fr, sup, other := e.signedIn("responder"), e.signedIn("super"), e.signedIn("bworker")

			r := fr.get("/interceptions/new")
			if r.status != http.StatusOK || !strings.Contains(r.body, `value="minor_with_unrelated_adult"`) ||
				!strings.Contains(r.body, "No identity or travel documents") || !strings.Contains(r.body, `id="certainty-5" name="certainty" value="5"`) {
				t.Fatalf("new interception form: %d\n%s", r.status, r.body)
			}
			// Show the score: computed on the server, nothing saved. The
			// critical flag for a minor prompts whatever the score.
			form := interceptionValues("score")
			form["flag"] = append(form["flag"], "minor_with_unrelated_adult")
			r = fr.post("/interceptions", form)
			if r.status != http.StatusOK || !strings.Contains(r.body, `id="preview-score">11<`) || !strings.Contains(r.body, `id="preview-prompt"`) ||
				!strings.Contains(r.body, `value="minor_with_unrelated_adult" checked`) {
				t.Fatalf("score preview: %d\n%s", r.status, r.body)
			}
			if r := fr.get("/interceptions"); !strings.Contains(r.body, "Nothing found") {
				t.Fatal("the preview saved the interception")
			}
			bad := interceptionValues("save")
			bad.Del("stopped_names_0")
			bad.Del("stopped_age_0")
			bad.Set("certainty", "")
			if r := fr.post("/interceptions", bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "choose from 1 (unsure) to 5 (certain)") {
				t.Fatalf("bad form: %d\n%s", r.status, r.body)
			}

			r = fr.post("/interceptions", interceptionValues("save"))
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/interceptions/") {
				t.Fatalf("save: %d\n%s", r.status, r.body)
			}
			path := strings.TrimSuffix(r.location(), "?saved=1")
			id := strings.TrimPrefix(path, "/interceptions/")
			r = fr.get(path)
			for _, want := range []string{`TLP:GREEN`, `id="score-value">6<`, "The companion claims to be a relative", "+3",
				`/cases/new?from=interception&amp;id=` + id, "Sunmaya Quillfeather", `id="open-case-prompt"`} {
				if !strings.Contains(r.body, want) {
					t.Errorf("interception page lacks %q", want)
				}
			}
			if strings.Contains(r.body, `id="verify-form"`) {
				t.Error("the responder who recorded it is offered to verify it")
			}

			r = sup.get(path)
			if !strings.Contains(r.body, `id="verify-form"`) {
				t.Fatalf("the supervisor is not offered to verify:\n%s", r.body)
			}
			if r := sup.post(path+"/verify", url.Values{"decision": {"reject"}, "note": {""}}); r.status != http.StatusUnprocessableEntity {
				t.Fatalf("reject without a note: %d", r.status)
			}
			if r := fr.post(path+"/verify", url.Values{"decision": {"verify"}}); r.status != http.StatusForbidden {
				t.Fatalf("the recorder verifies: %d", r.status)
			}
			if r := sup.post(path+"/verify", url.Values{"decision": {"verify"}, "note": {"family called"}}); r.status != http.StatusSeeOther {
				t.Fatalf("verify: %d\n%s", r.status, r.body)
			}
			if r := sup.get(path); !strings.Contains(r.body, `id="verification-status">Verified`) {
				t.Fatalf("after verification:\n%s", r.body)
			}
			if r := sup.get("/interceptions?unverified=1"); strings.Contains(r.body, id) {
				t.Error("a verified interception is listed as waiting")
			}

			r = other.get(path)
			if r.status != http.StatusOK || strings.Contains(r.body, "Quillfeather") || strings.Contains(r.body, "her uncle") ||
				!strings.Contains(r.body, `id="redacted-note"`) || !strings.Contains(r.body, "TLP:GREEN") {
				t.Fatalf("another organisation's view: %d\n%s", r.status, r.body)
			}
			if r := other.get("/interceptions"); !strings.Contains(r.body, id) || strings.Contains(r.body, "Quillfeather") {
				t.Fatalf("another organisation's list:\n%s", r.body)
			}
			if r := fr.get("/interceptions/" + atip.NewID()); r.status != http.StatusNotFound {
				t.Fatalf("guessed id: %d", r.status)
			}
		})
	}
}

// A signal stays a signal, with an "open a case" link, until closed; a
// missing-person report lists without the child's name.
func TestSignalAndMissingPages(t *testing.T) {
	e := newIntakeEnv(t, database.SQLite)
	w, other := e.signedIn("worker"), e.signedIn("bworker")
	r := w.post("/signals", url.Values{"channel": {"helpline"}, "received": {"2026-01-10T10:00"}, "district": {"IN-BR-SITAMARHI"},
		"concern": {"forced_labour"}, "summary": {"Boys taken to a kiln"}, "caller_name": {"Demo Caller Ramkali"}, "caller_phone": {"+919990000003"},
		"urgent": {"1"}, "tlp": {"AMBER"}, "distribution": {"owner"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("signal: %d\n%s", r.status, r.body)
	}
	path := strings.TrimSuffix(r.location(), "?saved=1")
	id := strings.TrimPrefix(path, "/signals/")
	r = w.get(path)
	if !strings.Contains(r.body, "Demo Caller Ramkali") || !strings.Contains(r.body, "/cases/new?from=signal&amp;id="+id) || !strings.Contains(r.body, "TLP:AMBER") {
		t.Fatalf("signal page:\n%s", r.body)
	}
	if r := other.get(path); r.status != http.StatusNotFound {
		t.Fatalf("another organisation sees an owner-only signal: %d", r.status)
	}
	if r := w.get("/signals"); !strings.Contains(r.body, id) || strings.Contains(r.body, "Ramkali") {
		t.Fatalf("signal list:\n%s", r.body)
	}
	if r := w.post(path+"/status", url.Values{"status": {"closed"}, "note": {"duplicate call"}}); r.status != http.StatusSeeOther {
		t.Fatalf("close: %d\n%s", r.status, r.body)
	}
	if r := w.get("/signals"); strings.Contains(r.body, id) {
		t.Error("a closed signal is in the open list")
	}
	if r := w.get("/signals?status=closed"); !strings.Contains(r.body, id) {
		t.Error("a closed signal is not in the closed list")
	}

	if r := w.post("/missing", url.Values{"names": {""}, "age": {"200"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="names-err"`) {
		t.Fatalf("bad missing report: %d\n%s", r.status, r.body)
	}
	r = w.post("/missing", url.Values{"names": {"Demo Daughter Phoolmati"}, "sex": {"female"}, "age": {"14"}, "last_seen": {"2026-01-08T17:00"},
		"last_seen_in": {"IN-BR-SITAMARHI"}, "police_ref": {"GD 17/2026"}, "relation": {"mother"}, "reporter": {"Demo Mother"},
		"circumstance": {"Left with a neighbour for work"}, "tlp": {"AMBER"}, "distribution": {"owner"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("missing report: %d\n%s", r.status, r.body)
	}
	path = strings.TrimSuffix(r.location(), "?saved=1")
	if r := w.get(path); !strings.Contains(r.body, "Phoolmati") || !strings.Contains(r.body, "GD 17/2026") || !strings.Contains(r.body, "from=missing") {
		t.Fatalf("missing page:\n%s", r.body)
	}
	if r := w.get("/missing"); !strings.Contains(r.body, strings.TrimPrefix(path, "/missing/")) || strings.Contains(r.body, "Phoolmati") {
		t.Fatalf("missing list:\n%s", r.body)
	}
	if r := w.post(path+"/found", url.Values{"found_at": {""}}); r.status != http.StatusSeeOther {
		t.Fatalf("found: %d\n%s", r.status, r.body)
	}
	if r := w.get("/missing"); strings.Contains(r.body, strings.TrimPrefix(path, "/missing/")) {
		t.Error("a found person is in the list of open reports")
	}
}

// Below every threshold the record page does not prompt to open a case.
func TestInterceptionBelowThresholdsDoesNotPrompt(t *testing.T) {
	e := newIntakeEnv(t, database.SQLite)
	fr := e.signedIn("responder")
	form := interceptionValues("save")
	form["flag"] = []string{"first_time_away"}
	form.Set("certainty", "1")
	form.Set("stopped_age_0", "30")
	r := fr.post("/interceptions", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	r = fr.get(strings.TrimSuffix(r.location(), "?saved=1"))
	if r.status != http.StatusOK || strings.Contains(r.body, `id="open-case-prompt"`) || !strings.Contains(r.body, `id="score-value">1<`) {
		t.Fatalf("below thresholds: %d\n%s", r.status, r.body)
	}
}
