package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"atip"
	"atip/internal/codelist"
	"atip/internal/policy"
	"atip/internal/redact"
)

// The case pages (issue 4): the case list with filters, search and paging;
// the full case form (HTCDS-aligned, with the main victim, one incident and
// the suspects); the case page with its people, incidents and timeline; the
// printable summary; a person's page; and the quick intake a first
// responder fills on a phone. What a page shows is what the case service
// returns — the policy's view, already redacted — so a template never
// decides visibility; it only leaves out what is blank.

func init() { routeAreas = append(routeAreas, (*Server).casesRoutes) }

// casesRoutes lists the pages of this area; see routeTable.
func (s *Server) casesRoutes() []route {
	return []route{
		{pattern: "GET /cases", action: policy.RecordBrowse, handle: s.caseList},
		{pattern: "GET /cases/new", action: policy.RecordWrite, handle: s.caseNew},
		{pattern: "POST /cases", action: policy.RecordWrite, handle: s.caseCreate},
		{pattern: "GET /cases/{id}", action: policy.RecordBrowse, handle: s.caseShow},
		{pattern: "GET /cases/{id}/edit", action: policy.RecordWrite, handle: s.caseEdit},
		{pattern: "POST /cases/{id}", action: policy.RecordWrite, handle: s.caseUpdate},
		{pattern: "POST /cases/{id}/notes", action: policy.RecordWrite, handle: s.caseNote},
		{pattern: "GET /cases/{id}/print", action: policy.RecordBrowse, handle: s.casePrint},
		{pattern: "GET /cases/export.csv", action: policy.RecordBrowse, handle: s.caseExportCSV},
		{pattern: "GET /cases/export.xlsx", action: policy.RecordBrowse, handle: s.caseExportXLSX},
		{pattern: "GET /persons/{id}", action: policy.RecordBrowse, handle: s.personShow},
		{pattern: "GET /intake/quick", action: policy.RecordWrite, handle: s.quickIntakeForm},
		{pattern: "POST /intake/quick", action: policy.RecordWrite, handle: s.quickIntakeSubmit},
	}
}

func (s *Server) casesService() (atip.CaseService, error) {
	if s.cfg.Cases == nil {
		return nil, atip.Errorf(atip.ENOTFOUND, "page not found")
	}
	return s.cfg.Cases, nil
}

// option is one choice of a select or a set of check boxes.
type option struct {
	Code, Label string
}

// codeLabel is a code's label in the user's language (English when the
// catalogue has none).
func (s *Server) codeLabel(r *http.Request, list, code string) string {
	if code == "" {
		return ""
	}
	lang := stateOf(r).lang
	return codelist.Label(list, code, func(key string) (string, bool) {
		if s.cat.Has(lang, key) {
			return s.cat.T(lang, key), true
		}
		return "", false
	})
}

func (s *Server) codeLabels(r *http.Request, list string, codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		out = append(out, s.codeLabel(r, list, c))
	}
	return out
}

// options lists a code list's codes with their labels.
func (s *Server) options(r *http.Request, list string) []option {
	var out []option
	for _, c := range codelist.Codes(list) {
		out = append(out, option{Code: c.Code, Label: s.codeLabel(r, list, c.Code)})
	}
	return out
}

// localTime shows a time in the actor's zone.
func localTime(r *http.Request, t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneFor(stateOf(r).actor)).Format(layout)
}

// ---- the list ----

type caseRow struct {
	ID, Ref, Intake, District, Type, Status, Stage string
	TLP                                            atip.TLP
	Complete                                       bool
	Overdue                                        int
}

type caseListPage struct {
	Filter               atip.CaseFilter
	Rows                 []caseRow
	NextURL              string
	Stages, Statuses     []option
	Types                []option
	CanCreate, CanImport bool
	Query                string // the filter as a query string, for the export links
}

// caseFilterOf reads the list's filter from a query; codes that are not in
// their list are dropped rather than refused, so an old bookmark still works.
func caseFilterOf(q url.Values) atip.CaseFilter {
	f := atip.CaseFilter{Mine: q.Get("mine") == "1", Overdue: q.Get("overdue") == "1", Stage: field(q, "stage"),
		Status: field(q, "status"), District: field(q, "district"), Type: field(q, "type"), Complete: field(q, "complete"),
		Query: field(q, "q"), After: field(q, "after")}
	if !codelist.Valid(codelist.CaseStage, f.Stage) {
		f.Stage = ""
	}
	if !codelist.Valid(codelist.CaseStatus, f.Status) {
		f.Status = ""
	}
	if !codelist.Valid(codelist.Exploitation, f.Type) {
		f.Type = ""
	}
	if f.Complete != "yes" && f.Complete != "no" {
		f.Complete = ""
	}
	if len(f.District) > 64 {
		f.District = ""
	}
	if len([]rune(f.Query)) > 200 {
		f.Query = ""
	}
	if len(f.After) > 64 {
		f.After = ""
	}
	return f
}

func caseFilterQuery(f atip.CaseFilter) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	if f.Mine {
		v.Set("mine", "1")
	}
	if f.Overdue {
		v.Set("overdue", "1")
	}
	set("stage", f.Stage)
	set("status", f.Status)
	set("district", f.District)
	set("type", f.Type)
	set("complete", f.Complete)
	set("q", f.Query)
	return v
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.casesService()
	if err != nil {
		return err
	}
	f := caseFilterOf(r.URL.Query())
	f.Limit = pageSize
	list, next, err := svc.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	a := stateOf(r).actor
	page := caseListPage{Filter: f, Stages: s.options(r, codelist.CaseStage), Statuses: s.options(r, codelist.CaseStatus),
		Types:     s.options(r, codelist.Exploitation),
		CanCreate: policy.CanSome(a, policy.RecordWrite), CanImport: policy.CanSome(a, policy.RecordImport),
		Query: caseFilterQuery(f).Encode()}
	for _, v := range list {
		page.Rows = append(page.Rows, s.caseRowOf(r, v))
	}
	if next != "" {
		q := caseFilterQuery(f)
		q.Set("after", next)
		page.NextURL = "/cases?" + q.Encode()
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "results" {
		s.renderBlock(w, r, http.StatusOK, "cases_list", "results", page)
		return nil
	}
	s.render(w, r, http.StatusOK, "cases_list", page)
	return nil
}

func (s *Server) caseRowOf(r *http.Request, v *atip.CaseView) caseRow {
	c := v.Case
	return caseRow{ID: c.ID, Ref: v.Ref, TLP: v.TLP, Intake: localTime(r, c.IntakeAt, "2006-01-02 15:04"),
		District: s.placeName(c.IntakeDistrict), Type: s.codeLabel(r, codelist.Exploitation, c.CaseType()),
		Status: s.codeLabel(r, codelist.CaseStatus, c.Status), Stage: s.codeLabel(r, codelist.CaseStage, c.Stage),
		Complete: c.Complete, Overdue: v.Overdue}
}

// ---- the case page ----

type personRow struct {
	ID, Ref, Name, Sex, AgeBand, Nationality string
	Names                                    []string
	Visible                                  bool // the actor may open the person's page
	Child                                    bool
	// Victims.
	Status, DecidedBy, Relation string
	Recruitment, Control        []string
	// Suspects.
	Roles    []string
	Arrested bool
}

type incidentRow struct {
	RecruitedIn, RecruitedAt, Origin, Destination, BorderPoint, ExploitationForm, ExploitationPlace, ExploitationSite string
	Transit, Transport, Platforms, Means                                                                              []string
	From, Until, Story                                                                                                string
	Days                                                                                                              int
}

type eventRow struct {
	At, Kind, Summary, Note, By string
}

type caseShowPage struct {
	V                                      *atip.CaseView
	Intake, District, Channel              string
	Status, Stage, Types                   string
	Victims, Suspects                      []personRow
	Incidents                              []incidentRow
	Timeline                               []eventRow
	Errors                                 map[string]string
	Note                                   string
	Saved, NewIntake, CanEdit, Redacted    bool
	CreatedAt, UpdatedAt, ClosedAt, Origin string
	OriginHref                             string
	PrintedAt                              string
	Retrafficked                           bool // a victim is confirmed to be a victim of an earlier case (review.go)
}

func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) error {
	page, err := s.caseShowPage(r)
	if err != nil {
		return err
	}
	page.Saved, page.NewIntake = r.URL.Query().Get("saved") == "1", r.URL.Query().Get("intake") == "1"
	page.Retrafficked = s.caseRetrafficked(r, page.V)
	s.render(w, r, http.StatusOK, "cases_show", page)
	return nil
}

func (s *Server) casePrint(w http.ResponseWriter, r *http.Request) error {
	page, err := s.caseShowPage(r)
	if err != nil {
		return err
	}
	page.PrintedAt = localTime(r, time.Now(), "2006-01-02 15:04 MST")
	s.render(w, r, http.StatusOK, "cases_print", page)
	return nil
}

func (s *Server) caseShowPage(r *http.Request) (*caseShowPage, error) {
	svc, err := s.casesService()
	if err != nil {
		return nil, err
	}
	v, err := svc.FindCase(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	c := v.Case
	page := &caseShowPage{V: v, Intake: localTime(r, c.IntakeAt, "2006-01-02 15:04"), District: s.placeName(c.IntakeDistrict),
		Channel: s.codeLabel(r, codelist.IntakeChannel, c.IntakeChannel), Status: s.codeLabel(r, codelist.CaseStatus, c.Status),
		Stage: s.codeLabel(r, codelist.CaseStage, c.Stage), Types: strings.Join(s.codeLabels(r, codelist.Exploitation, c.Exploitation), ", "),
		CanEdit: v.Access.CanEdit, Redacted: !v.Access.Full,
		CreatedAt: localTime(r, c.Info.CreatedAt, "2006-01-02 15:04"), UpdatedAt: localTime(r, v.UpdatedAt, "2006-01-02 15:04"),
		ClosedAt: localTime(r, c.ClosedAt, "2006-01-02")}
	switch {
	case c.SignalID != "":
		page.Origin, page.OriginHref = "signal", "/signals/"+url.PathEscape(c.SignalID)
	case c.InterceptionID != "":
		page.Origin, page.OriginHref = "interception", "/interceptions/"+url.PathEscape(c.InterceptionID)
	case c.MissingReportID != "":
		page.Origin, page.OriginHref = "missing", "/missing/"+url.PathEscape(c.MissingReportID)
	}
	for _, x := range c.Victims {
		row := s.personRowOf(r, v.People[x.PersonID], x.PersonID)
		row.Child = x.ChildAtIntake
		row.Status = s.codeLabel(r, codelist.TraffickingStatus, x.TraffickingStatus)
		row.DecidedBy = s.codeLabel(r, codelist.StatusDecidedBy, x.StatusDecidedBy)
		row.Relation = s.codeLabel(r, codelist.RelationToTrafficker, x.RelationToTrafficker)
		row.Recruitment = s.codeLabels(r, codelist.MeansOfRecruitment, x.MeansOfRecruitment)
		row.Control = s.codeLabels(r, codelist.MeansOfControl, x.MeansOfControl)
		page.Victims = append(page.Victims, row)
	}
	for _, x := range c.Suspects {
		row := s.personRowOf(r, v.People[x.PersonID], x.PersonID)
		row.Roles = s.codeLabels(r, codelist.PerpetratorRole, x.Roles)
		row.Arrested = x.Arrested
		page.Suspects = append(page.Suspects, row)
	}
	for i := range c.Incidents {
		in := &c.Incidents[i]
		row := incidentRow{RecruitedIn: s.placeName(in.RecruitedIn), RecruitedAt: localTime(r, in.RecruitedAt, "2006-01-02"),
			Origin: s.placeName(in.Origin), Destination: s.placeName(in.Destination), BorderPoint: in.BorderPoint,
			ExploitationForm:  s.codeLabel(r, codelist.Exploitation, in.ExploitationForm),
			ExploitationPlace: s.placeName(in.ExploitationPlace), ExploitationSite: in.ExploitationSite,
			Transport: s.codeLabels(r, codelist.Transport, in.Transport), Platforms: s.codeLabels(r, codelist.OnlinePlatform, in.OnlinePlatforms),
			Means: s.codeLabels(r, codelist.MeansOfRecruitment, in.RecruitmentMeans),
			From:  localTime(r, in.ExploitedFrom, "2006-01-02"), Until: localTime(r, in.ExploitedUntil, "2006-01-02"),
			Story: in.RecruitmentStory, Days: in.ExploitationDays()}
		for _, t := range in.TransitPoints {
			row.Transit = append(row.Transit, s.placeName(t))
		}
		page.Incidents = append(page.Incidents, row)
	}
	users := map[string]string{}
	for i := len(v.Timeline) - 1; i >= 0; i-- { // newest first
		e := v.Timeline[i]
		by, ok := users[e.ByUser]
		if !ok {
			by = ""
			if e.ByUser != "" && s.cfg.Users != nil {
				if u, err := s.cfg.Users.FindUserByID(r.Context(), e.ByUser); err == nil {
					by = u.Name
				}
			}
			users[e.ByUser] = by
		}
		page.Timeline = append(page.Timeline, eventRow{At: localTime(r, e.At, "2006-01-02 15:04"), Kind: e.Kind, Summary: e.Summary, Note: e.Note, By: by})
	}
	return page, nil
}

func (s *Server) personRowOf(r *http.Request, pv *atip.PersonView, id string) personRow {
	row := personRow{ID: id}
	if pv == nil {
		row.Ref = redact.Ref(atip.RecordRef{Type: atip.RecordPerson, ID: id})
		return row
	}
	p := pv.Person
	row.Ref, row.Visible = pv.Ref, true
	for _, n := range p.Names {
		row.Names = append(row.Names, n.Full)
	}
	if len(row.Names) > 0 {
		row.Name = row.Names[0]
	}
	row.Sex = s.codeLabel(r, codelist.Sex, p.Sex)
	row.AgeBand = p.AgeBand
	if a := p.AgeAt(time.Now()); a >= 0 && pv.Access.Shows(atip.ClassIdentity) {
		row.AgeBand = strconv.Itoa(a)
	} else if row.AgeBand == "" {
		row.AgeBand = redact.Unknown
	}
	row.Nationality = p.Nationality
	return row
}

// ---- notes ----

func (s *Server) caseNote(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.casesService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return atip.Errorf(atip.EINVALID, "bad form")
	}
	id := r.PathValue("id")
	note := strings.TrimSpace(r.PostForm.Get("note"))
	if err := svc.AddNote(r.Context(), id, note); err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		page, perr := s.caseShowPage(r)
		if perr != nil {
			return perr
		}
		page.Errors, page.Note = fields, note
		s.render(w, r, code, "cases_show", page)
		return nil
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(id)+"#timeline", http.StatusSeeOther)
	return nil
}

// ---- a person ----

type personShowPage struct {
	V                                  *atip.PersonView
	Row                                personRow
	Roles, Languages, Phones, Handles  []string
	HomeDistrict, AgeMethod, BirthDate string
	Documents                          []string
	Cases                              []string
	Redacted                           bool
	AgeAsOf                            string
	Links                              []reviewLink // confirmed identification matches (review.go)
}

func (s *Server) personShow(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.casesService()
	if err != nil {
		return err
	}
	pv, err := svc.FindPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	p := pv.Person
	page := personShowPage{V: pv, Row: s.personRowOf(r, pv, p.ID), HomeDistrict: s.placeName(p.HomeDistrict),
		AgeMethod: s.codeLabel(r, codelist.AgeEstimation, p.AgeMethod), BirthDate: localTime(r, p.BirthDate, "2006-01-02"),
		Languages: p.Languages, Phones: p.Phones, Handles: p.Handles, Cases: pv.CaseIDs, Redacted: !pv.Access.Full}
	for _, x := range p.Roles {
		page.Roles = append(page.Roles, s.codeLabel(r, codelist.PersonRole, string(x)))
	}
	for _, d := range p.Documents {
		page.Documents = append(page.Documents, s.codeLabel(r, codelist.DocumentType, d.Type)+" "+d.Number)
	}
	page.Links = s.recordLinks(r, p.ID)
	s.render(w, r, http.StatusOK, "cases_person", page)
	return nil
}

// ---- quick intake ----

type quickForm struct {
	ClientKey, Channel, At, District, Point, Sex, Age, Nationality, Name, Exploitation, Note string
	From, FromID                                                                             string // the intake record it comes from
}

type quickPage struct {
	Form                   quickForm
	Errors                 map[string]string
	Channels, Sexes, Types []option
	Places                 []Place
}

// newClientKey makes the client key a form without JavaScript carries: a
// browser re-sending the same page re-sends the same key.
func newClientKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) quickPage(r *http.Request, f quickForm, errs map[string]string) quickPage {
	return quickPage{Form: f, Errors: errs, Channels: s.options(r, codelist.IntakeChannel), Sexes: s.options(r, codelist.Sex),
		Types: s.options(r, codelist.Exploitation)}
}

func (s *Server) quickIntakeForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.casesService(); err != nil {
		return err
	}
	a := stateOf(r).actor
	f := quickForm{ClientKey: newClientKey(), Channel: "interception", At: localTime(r, time.Now(), "2006-01-02T15:04"), Sex: "female"}
	if a != nil && a.Org != nil {
		f.District = a.Org.Jurisdiction
	}
	// Opened from an interception's (signal's, report's) prompt: the case
	// will be linked to it.
	if q := r.URL.Query(); originChannel(q.Get("from")) != "" && q.Get("id") != "" && len(q.Get("id")) <= 64 {
		f.From, f.FromID, f.Channel = q.Get("from"), q.Get("id"), originChannel(q.Get("from"))
	}
	s.render(w, r, http.StatusOK, "cases_quick", s.quickPage(r, f, nil))
	return nil
}

func (s *Server) quickIntakeSubmit(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.casesService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return atip.Errorf(atip.EINVALID, "bad form")
	}
	v := r.PostForm
	f := quickForm{ClientKey: field(v, "client_key"), Channel: field(v, "channel"), At: field(v, "at"), District: field(v, "district"),
		Point: field(v, "point"), Sex: field(v, "sex"), Age: field(v, "age"), Nationality: strings.ToUpper(field(v, "nationality")),
		Name: field(v, "name"), Exploitation: field(v, "exploitation"), Note: field(v, "note"), From: field(v, "from"), FromID: field(v, "from_id")}
	var inv atip.Invalid
	for _, x := range []struct{ name, val string }{{"point", f.Point}, {"name", f.Name}, {"district", f.District}} {
		checkLen(&inv, x.name, x.val, false)
	}
	if len(f.Note) > 2000 {
		inv.Add("note", "cases.err.note_long")
	}
	q := &atip.QuickIntake{ClientKey: f.ClientKey, Channel: f.Channel, District: f.District, Point: f.Point, Sex: f.Sex,
		AgeYears: -1, Nationality: f.Nationality, Name: f.Name, Exploitation: f.Exploitation, Note: f.Note,
		From: atip.RecordRef{Type: atip.RecordType(f.From), ID: f.FromID}}
	q.At = parseLocal(r, &inv, "at", f.At, true)
	if f.Age != "" {
		n, err := strconv.Atoi(f.Age)
		if err != nil {
			inv.Add("age", "cases.err.age")
		} else {
			q.AgeYears = n
		}
	}
	if err := inv.Err(); err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, "cases_quick", s.quickPage(r, f, fieldErrors(err)))
		return nil
	}
	c, _, err := svc.QuickIntake(r.Context(), q)
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		if m, ok := fields["age_years"]; ok {
			fields["age"] = m
		}
		s.render(w, r, code, "cases_quick", s.quickPage(r, f, fields))
		return nil
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.ID)+"?intake=1", http.StatusSeeOther)
	return nil
}
