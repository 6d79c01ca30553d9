package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"atip"
	"atip/internal/codelist"
	"atip/internal/policy"
	"atip/internal/redflags"
)

// Pages of signals, interceptions at borders and transit points, and
// missing-person reports (issue 4). Lists show each record's redacted view;
// a record's page shows what the policy lets the actor see, and the service
// audits each look at protected fields. The interception form scores its red
// flags on the server ("Show the score" re-renders the form without saving),
// so it works without JavaScript on a phone at a border post.

func init() { routeAreas = append(routeAreas, (*Server).intakeRoutes) }

// intakeRoutes lists the pages of this area; see routeTable.
func (s *Server) intakeRoutes() []route {
	return []route{
		{pattern: "GET /interceptions", action: policy.RecordBrowse, handle: s.interceptionList},
		{pattern: "GET /interceptions/new", action: policy.RecordWrite, handle: s.interceptionNew},
		{pattern: "POST /interceptions", action: policy.RecordWrite, handle: s.interceptionCreate},
		{pattern: "GET /interceptions/{id}", action: policy.RecordBrowse, handle: s.interceptionShow},
		{pattern: "POST /interceptions/{id}/verify", action: policy.RecordWrite, handle: s.interceptionVerify},
		{pattern: "GET /signals", action: policy.RecordBrowse, handle: s.signalList},
		{pattern: "GET /signals/new", action: policy.RecordWrite, handle: s.signalNew},
		{pattern: "POST /signals", action: policy.RecordWrite, handle: s.signalCreate},
		{pattern: "GET /signals/{id}", action: policy.RecordBrowse, handle: s.signalShow},
		{pattern: "POST /signals/{id}/status", action: policy.RecordWrite, handle: s.signalStatus},
		{pattern: "GET /missing", action: policy.RecordBrowse, handle: s.missingList},
		{pattern: "GET /missing/new", action: policy.RecordWrite, handle: s.missingNew},
		{pattern: "POST /missing", action: policy.RecordWrite, handle: s.missingCreate},
		{pattern: "GET /missing/{id}", action: policy.RecordBrowse, handle: s.missingShow},
		{pattern: "POST /missing/{id}/found", action: policy.RecordWrite, handle: s.missingFound},
	}
}

func (s *Server) intakeService() (atip.IntakeService, error) {
	if s.cfg.Intake == nil {
		return nil, atip.Errorf(atip.ENOTFOUND, "page not found")
	}
	return s.cfg.Intake, nil
}

// catalogued is implemented by an intake service that scores with a
// catalogue other than the shipped one.
type catalogued interface{ Catalogue() *redflags.Catalogue }

func (s *Server) redflagCatalogue() *redflags.Catalogue {
	if c, ok := s.cfg.Intake.(catalogued); ok && c.Catalogue() != nil {
		return c.Catalogue()
	}
	return redflags.Default()
}

// intakeTime shows a time in the actor's zone.
func intakeTime(r *http.Request, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneFor(stateOf(r).actor)).Format("2006-01-02 15:04")
}

// intakePlace is a gazetteer code with its name when the gazetteer knows it.
func (s *Server) intakePlace(code string) string {
	if code == "" || s.cfg.Places == nil {
		return code
	}
	if n := s.cfg.Places.PlaceName(code); n != "" {
		return n + " (" + code + ")"
	}
	return code
}

// ageField reads an age in years; empty is unknown (-1).
func ageField(inv *atip.Invalid, name, v string) int {
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 120 {
		inv.Add(name, "intake.err.age")
		return -1
	}
	return n
}

// splitNames reads "name, alias" as names.
func splitNames(v string) []string {
	var out []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// markingForm reads the TLP and distribution selects.
func markingForm(v url.Values) atip.RecordInfo {
	return atip.RecordInfo{TLP: atip.TLP(field(v, "tlp")), Distribution: atip.Distribution(field(v, "distribution"))}
}

// intakeDists are the distributions a new record may be given; the
// service refuses one wider than its TLP marking allows.
var intakeDists = []atip.Distribution{atip.DistOwner, atip.DistGroups, atip.DistPlatform}

// codeOption is an option of a select.
type codeOption struct{ Code, Label string }

func (s *Server) codeOptions(r *http.Request, list string) []codeOption {
	lang := stateOf(r).lang
	var out []codeOption
	for _, c := range codelist.Codes(list) {
		out = append(out, codeOption{Code: c.Code, Label: codelist.Label(list, c.Code, func(k string) (string, bool) {
			t := s.cat.T(lang, k)
			return t, t != k
		})})
	}
	return out
}

// ---- interceptions ----

type interceptionRow struct {
	X        *atip.Interception
	At       string
	District string
	People   string // sex and age band of those stopped
}

type interceptionListPage struct {
	Rows       []interceptionRow
	Unverified bool
	NextURL    string
	CanCreate  bool
}

// peopleSummary says who was stopped without naming anyone.
func (s *Server) peopleSummary(r *http.Request, ps []atip.StoppedPerson) string {
	lang := stateOf(r).lang
	var parts []string
	for _, p := range ps {
		parts = append(parts, s.cat.T(lang, "intake.sex."+p.Sex)+" "+p.AgeBand)
	}
	return strings.Join(parts, "; ")
}

func (s *Server) interceptionList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page := interceptionListPage{Unverified: q.Get("unverified") == "1", CanCreate: policy.CanSome(stateOf(r).actor, policy.RecordWrite)}
	list, next, err := svc.Interceptions(r.Context(), atip.InterceptionFilter{Unverified: page.Unverified, Before: field(q, "before"), Limit: pageSize})
	if err != nil {
		return err
	}
	for _, x := range list {
		page.Rows = append(page.Rows, interceptionRow{X: x, At: intakeTime(r, x.At), District: s.intakePlace(x.District), People: s.peopleSummary(r, x.Stopped)})
	}
	if next != "" {
		v := url.Values{"before": {next}}
		if page.Unverified {
			v.Set("unverified", "1")
		}
		page.NextURL = "/interceptions?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, "intake_interceptions", page)
	return nil
}

// flagOption is a red flag as the form and the record page show it.
type flagOption struct {
	ID, Label string
	Weight    int
	MinorOnly bool
	Checked   bool
}

// interceptionForm is the form as typed.
type interceptionForm struct {
	At, Point, District, Direction, Transport, Origin, Destination, Purpose, Account string
	Stopped                                                                          [2]stoppedForm
	Companions                                                                       [2]companionForm
	Flags                                                                            []string
	Certainty                                                                        string
	TLP, Distribution                                                                string
}

type stoppedForm struct{ Names, Sex, Age, Nationality, Phone string }

type companionForm struct{ Name, Relation, Age, Phone string }

type interceptionNewPage struct {
	Form        interceptionForm
	Errors      map[string]string
	Flags       []flagOption
	Version     int
	Sexes       []codeOption
	Transports  []codeOption
	TLPs        []atip.TLP
	Dists       []atip.Distribution
	Certainties []int
	// Scored is set after "Show the score": the result, without saving.
	Scored *redflags.Result
}

func (s *Server) flagOptions(r *http.Request, c *redflags.Catalogue, checked []string) []flagOption {
	lang := stateOf(r).lang
	var out []flagOption
	for _, f := range c.Flags {
		label := s.cat.T(lang, f.TitleKey())
		if label == f.TitleKey() {
			label = f.En
		}
		ok := false
		for _, id := range checked {
			ok = ok || id == f.ID
		}
		out = append(out, flagOption{ID: f.ID, Label: label, Weight: f.Weight, MinorOnly: f.MinorOnly, Checked: ok})
	}
	return out
}

func (s *Server) interceptionNewPage(r *http.Request, f interceptionForm, errs map[string]string, scored *redflags.Result) interceptionNewPage {
	c := s.redflagCatalogue()
	return interceptionNewPage{Form: f, Errors: errs, Flags: s.flagOptions(r, c, f.Flags), Version: c.Version,
		Sexes: s.codeOptions(r, codelist.Sex), Transports: s.codeOptions(r, codelist.Transport), TLPs: atip.TLPs, Dists: intakeDists,
		Certainties: []int{1, 2, 3, 4, 5}, Scored: scored}
}

func (s *Server) interceptionNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.intakeService(); err != nil {
		return err
	}
	f := interceptionForm{At: time.Now().In(zoneFor(stateOf(r).actor)).Format("2006-01-02T15:04"), Certainty: "3",
		TLP: string(atip.TLPAmber), Distribution: string(atip.DistOwner), Direction: "outbound"}
	s.render(w, r, http.StatusOK, "intake_interception_new", s.interceptionNewPage(r, f, nil, nil))
	return nil
}

func readInterceptionForm(v url.Values) interceptionForm {
	f := interceptionForm{At: field(v, "at"), Point: field(v, "point"), District: field(v, "district"), Direction: field(v, "direction"),
		Transport: field(v, "transport"), Origin: field(v, "origin"), Destination: field(v, "destination"),
		Purpose: field(v, "purpose"), Account: strings.TrimSpace(v.Get("account")), Flags: v["flag"], Certainty: field(v, "certainty"),
		TLP: field(v, "tlp"), Distribution: field(v, "distribution")}
	for i := range f.Stopped {
		n := strconv.Itoa(i)
		f.Stopped[i] = stoppedForm{Names: field(v, "stopped_names_"+n), Sex: field(v, "stopped_sex_"+n), Age: field(v, "stopped_age_"+n),
			Nationality: strings.ToUpper(field(v, "stopped_nationality_"+n)), Phone: field(v, "stopped_phone_"+n)}
	}
	for i := range f.Companions {
		n := strconv.Itoa(i)
		f.Companions[i] = companionForm{Name: field(v, "companion_name_"+n), Relation: field(v, "companion_relation_"+n),
			Age: field(v, "companion_age_"+n), Phone: field(v, "companion_phone_"+n)}
	}
	return f
}

// interception builds the record from the form, collecting form errors.
func (f *interceptionForm) interception(r *http.Request, inv *atip.Invalid) *atip.Interception {
	x := &atip.Interception{At: parseLocal(r, inv, "at", f.At, true), Point: f.Point, District: f.District, Direction: f.Direction,
		Transport: f.Transport, Origin: f.Origin, Destination: f.Destination, StatedPurpose: f.Purpose, Account: f.Account,
		Flags: f.Flags, Info: markingForm(url.Values{"tlp": {f.TLP}, "distribution": {f.Distribution}})}
	for _, v := range []string{f.Point, f.District, f.Origin, f.Destination, f.Purpose} {
		checkLen(inv, "point", v, false)
	}
	for i, p := range f.Stopped {
		n := strconv.Itoa(i)
		if p.Names == "" && p.Age == "" && p.Phone == "" {
			continue
		}
		x.Stopped = append(x.Stopped, atip.StoppedPerson{Names: splitNames(p.Names), Sex: p.Sex,
			AgeYears: ageField(inv, "stopped_age_"+n, p.Age), AgeEstimate: true, Nationality: p.Nationality, Phone: p.Phone})
		checkLen(inv, "stopped_names_"+n, p.Names, false)
	}
	for i, c := range f.Companions {
		n := strconv.Itoa(i)
		if c.Name == "" && c.Relation == "" && c.Age == "" {
			continue
		}
		x.Companions = append(x.Companions, atip.Companion{Name: c.Name, Relation: c.Relation, AgeYears: ageField(inv, "companion_age_"+n, c.Age), Phone: c.Phone})
		checkLen(inv, "companion_name_"+n, c.Name, false)
	}
	if c, err := strconv.Atoi(f.Certainty); err == nil {
		x.Certainty = c
	} else {
		inv.Add("certainty", "intake.err.certainty")
	}
	return x
}

// interceptionErrors maps the service's field names to the form's.
func interceptionErrors(fields map[string]string) map[string]string {
	for k, v := range fields {
		switch {
		case k == "stopped" || k == "person_ids":
			fields["stopped_names_0"] = v
		case strings.HasPrefix(k, "stopped[") && strings.HasSuffix(k, "].age"):
			fields["stopped_age_"+k[8:9]] = v
		case strings.HasPrefix(k, "companions[") && strings.HasSuffix(k, "].age"):
			fields["companion_age_"+k[11:12]] = v
		}
	}
	return fields
}

func (s *Server) interceptionCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	f := readInterceptionForm(r.PostForm)
	var inv atip.Invalid
	x := f.interception(r, &inv)
	err = inv.Err()
	if err == nil && r.PostForm.Get("action") == "score" {
		res, err := s.redflagCatalogue().Score(x.Flags, x.Certainty, x.Minor())
		if err == nil {
			s.render(w, r, http.StatusOK, "intake_interception_new", s.interceptionNewPage(r, f, nil, &res))
			return nil
		}
		code, fields, _ := formError(err)
		s.render(w, r, code, "intake_interception_new", s.interceptionNewPage(r, f, interceptionErrors(fields), nil))
		return nil
	}
	if err == nil {
		err = svc.CreateInterception(r.Context(), x)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		s.render(w, r, code, "intake_interception_new", s.interceptionNewPage(r, f, interceptionErrors(fields), nil))
		return nil
	}
	http.Redirect(w, r, "/interceptions/"+url.PathEscape(x.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

type interceptionPage struct {
	X          *atip.Interception
	Access     *atip.IntakeAccess
	At         string
	District   string
	Origin     string
	Dest       string
	VerifiedAt string
	Flags      []flagOption // the ticked flags with their weights
	Catalogue  int
	Known      bool // the catalogue version is known: the flags are explained
	Thresholds redflags.Thresholds
	Saved      bool
	Errors     map[string]string
	CaseURL    string
}

func (s *Server) interceptionPage(w http.ResponseWriter, r *http.Request, code int, x *atip.Interception, acc *atip.IntakeAccess, errs map[string]string) {
	page := interceptionPage{X: x, Access: acc, At: intakeTime(r, x.At), District: s.intakePlace(x.District), Origin: s.intakePlace(x.Origin),
		Dest: s.intakePlace(x.Destination), VerifiedAt: intakeTime(r, x.VerifiedAt), Catalogue: x.CatalogueVersion,
		Saved: r.URL.Query().Get("saved") == "1", Errors: errs,
		CaseURL: "/cases/new?" + url.Values{"from": {"interception"}, "id": {x.ID}}.Encode()}
	c := s.redflagCatalogue()
	if c.Version != x.CatalogueVersion {
		c = redflags.Version(x.CatalogueVersion)
	}
	if c != nil {
		page.Known, page.Thresholds = true, c.Thresholds
		ticked, _ := c.Contributions(x.Flags)
		var ids []string
		for _, f := range ticked {
			ids = append(ids, f.ID)
		}
		for _, f := range s.flagOptions(r, c, ids) {
			if f.Checked {
				page.Flags = append(page.Flags, f)
			}
		}
	}
	s.render(w, r, code, "intake_interception_show", page)
}

func (s *Server) interceptionShow(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	x, acc, err := svc.Interception(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.interceptionPage(w, r, http.StatusOK, x, acc, nil)
	return nil
}

func (s *Server) interceptionVerify(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	id := r.PathValue("id")
	accept := r.PostForm.Get("decision") == "verify"
	if !accept && r.PostForm.Get("decision") != "reject" {
		return atip.Errorf(atip.EINVALID, "choose verify or reject")
	}
	if _, err := svc.VerifyInterception(r.Context(), id, accept, r.PostForm.Get("note")); err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		x, acc, gerr := svc.Interception(r.Context(), id)
		if gerr != nil {
			return gerr
		}
		s.interceptionPage(w, r, code, x, acc, fields)
		return nil
	}
	http.Redirect(w, r, "/interceptions/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	return nil
}

// ---- signals ----

type signalRow struct {
	S        *atip.Signal
	Received string
	District string
}

type signalListPage struct {
	Rows      []signalRow
	Status    string
	Statuses  []string
	NextURL   string
	CanCreate bool
}

var signalStatuses = []string{atip.SignalOpen, atip.SignalClosed, atip.SignalConverted}

func (s *Server) signalList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page := signalListPage{Status: field(q, "status"), Statuses: signalStatuses, CanCreate: policy.CanSome(stateOf(r).actor, policy.RecordWrite)}
	if q["status"] == nil {
		page.Status = atip.SignalOpen // the work waiting: open signals first
	}
	valid := page.Status == ""
	for _, st := range signalStatuses {
		valid = valid || st == page.Status
	}
	if !valid {
		page.Status = ""
	}
	list, next, err := svc.Signals(r.Context(), atip.SignalFilter{Status: page.Status, Before: field(q, "before"), Limit: pageSize})
	if err != nil {
		return err
	}
	for _, sg := range list {
		page.Rows = append(page.Rows, signalRow{S: sg, Received: intakeTime(r, sg.ReceivedAt), District: s.intakePlace(sg.District)})
	}
	if next != "" {
		page.NextURL = "/signals?" + url.Values{"before": {next}, "status": {page.Status}}.Encode()
	}
	s.render(w, r, http.StatusOK, "intake_signals", page)
	return nil
}

type signalForm struct {
	Channel, Received, District, Concern, Summary, CallerName, CallerPhone, Account, TLP, Distribution string
	Urgent, Anonymous                                                                                  bool
}

type signalNewPage struct {
	Form     signalForm
	Errors   map[string]string
	Channels []string
	Concerns []codeOption
	TLPs     []atip.TLP
	Dists    []atip.Distribution
}

func (s *Server) signalNewPage(r *http.Request, f signalForm, errs map[string]string) signalNewPage {
	return signalNewPage{Form: f, Errors: errs, Channels: atip.SignalChannels, Concerns: s.codeOptions(r, codelist.Exploitation), TLPs: atip.TLPs, Dists: intakeDists}
}

func (s *Server) signalNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.intakeService(); err != nil {
		return err
	}
	f := signalForm{Channel: "helpline", Received: time.Now().In(zoneFor(stateOf(r).actor)).Format("2006-01-02T15:04"), Concern: "unknown",
		TLP: string(atip.TLPAmber), Distribution: string(atip.DistOwner)}
	s.render(w, r, http.StatusOK, "intake_signal_new", s.signalNewPage(r, f, nil))
	return nil
}

func (s *Server) signalCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	v := r.PostForm
	f := signalForm{Channel: field(v, "channel"), Received: field(v, "received"), District: field(v, "district"), Concern: field(v, "concern"),
		Summary: strings.TrimSpace(v.Get("summary")), CallerName: field(v, "caller_name"), CallerPhone: field(v, "caller_phone"),
		Account: strings.TrimSpace(v.Get("account")), Urgent: v.Get("urgent") == "1", Anonymous: v.Get("anonymous") == "1",
		TLP: field(v, "tlp"), Distribution: field(v, "distribution")}
	var inv atip.Invalid
	sg := &atip.Signal{Channel: f.Channel, ReceivedAt: parseLocal(r, &inv, "received", f.Received, true), District: f.District,
		Concern: f.Concern, Summary: f.Summary, CallerAnonymous: f.Anonymous, CallerName: f.CallerName, CallerPhone: f.CallerPhone,
		Account: f.Account, Urgent: f.Urgent, Info: markingForm(v)}
	checkLen(&inv, "district", f.District, false)
	checkLen(&inv, "caller_name", f.CallerName, false)
	checkLen(&inv, "caller_phone", f.CallerPhone, false)
	err = inv.Err()
	if err == nil {
		err = svc.CreateSignal(r.Context(), sg)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		if msg, ok := fields["received_at"]; ok {
			fields["received"] = msg
		}
		s.render(w, r, code, "intake_signal_new", s.signalNewPage(r, f, fields))
		return nil
	}
	http.Redirect(w, r, "/signals/"+url.PathEscape(sg.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

type signalPage struct {
	S        *atip.Signal
	Access   *atip.IntakeAccess
	Received string
	District string
	Closed   string
	Saved    bool
	Errors   map[string]string
	CaseURL  string
}

func (s *Server) signalPage(w http.ResponseWriter, r *http.Request, code int, sg *atip.Signal, acc *atip.IntakeAccess, errs map[string]string) {
	s.render(w, r, code, "intake_signal_show", signalPage{S: sg, Access: acc, Received: intakeTime(r, sg.ReceivedAt),
		District: s.intakePlace(sg.District), Closed: intakeTime(r, sg.DismissedAt), Saved: r.URL.Query().Get("saved") == "1", Errors: errs,
		CaseURL: "/cases/new?" + url.Values{"from": {"signal"}, "id": {sg.ID}}.Encode()})
}

func (s *Server) signalShow(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	sg, acc, err := svc.Signal(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.signalPage(w, r, http.StatusOK, sg, acc, nil)
	return nil
}

func (s *Server) signalStatus(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	id := r.PathValue("id")
	status := field(r.PostForm, "status")
	if status != atip.SignalOpen && status != atip.SignalClosed {
		// Converting is the case form's work: it opens the case, then
		// marks the signal with it.
		return atip.Errorf(atip.EINVALID, "choose open or closed")
	}
	if _, err := svc.SetSignalStatus(r.Context(), id, status, "", r.PostForm.Get("note")); err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		sg, acc, gerr := svc.Signal(r.Context(), id)
		if gerr != nil {
			return gerr
		}
		s.signalPage(w, r, code, sg, acc, fields)
		return nil
	}
	http.Redirect(w, r, "/signals/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	return nil
}

// ---- missing-person reports ----

type missingRow struct {
	M        *atip.MissingReport
	Reported string
	LastSeen string
	Place    string
	Person   string
}

type missingListPage struct {
	Rows      []missingRow
	Status    string
	NextURL   string
	CanCreate bool
}

func (s *Server) missingList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page := missingListPage{Status: field(q, "status"), CanCreate: policy.CanSome(stateOf(r).actor, policy.RecordWrite)}
	if q["status"] == nil {
		page.Status = atip.MissingOpen
	}
	if page.Status != atip.MissingOpen && page.Status != atip.MissingFound {
		page.Status = ""
	}
	list, next, err := svc.MissingReports(r.Context(), atip.MissingFilter{Status: page.Status, Before: field(q, "before"), Limit: pageSize})
	if err != nil {
		return err
	}
	for _, m := range list {
		page.Rows = append(page.Rows, missingRow{M: m, Reported: intakeTime(r, m.ReportedAt), LastSeen: intakeTime(r, m.LastSeenAt),
			Place: s.intakePlace(m.LastSeenIn), Person: s.peopleSummary(r, []atip.StoppedPerson{m.Missing})})
	}
	if next != "" {
		page.NextURL = "/missing?" + url.Values{"before": {next}, "status": {page.Status}}.Encode()
	}
	s.render(w, r, http.StatusOK, "intake_missing", page)
	return nil
}

type missingForm struct {
	Names, Sex, Age, Nationality, Description, LastSeen, LastSeenIn, LastSeenPlace string
	PoliceRef, Relation, Reporter, ReporterTel, Circumstance, TLP, Distribution    string
}

type missingNewPage struct {
	Form   missingForm
	Errors map[string]string
	Sexes  []codeOption
	TLPs   []atip.TLP
	Dists  []atip.Distribution
}

func (s *Server) missingNewPage(r *http.Request, f missingForm, errs map[string]string) missingNewPage {
	return missingNewPage{Form: f, Errors: errs, Sexes: s.codeOptions(r, codelist.Sex), TLPs: atip.TLPs, Dists: intakeDists}
}

func (s *Server) missingNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.intakeService(); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "intake_missing_new", s.missingNewPage(r, missingForm{TLP: string(atip.TLPAmber), Distribution: string(atip.DistOwner)}, nil))
	return nil
}

func (s *Server) missingCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	v := r.PostForm
	f := missingForm{Names: field(v, "names"), Sex: field(v, "sex"), Age: field(v, "age"), Nationality: strings.ToUpper(field(v, "nationality")),
		Description: strings.TrimSpace(v.Get("description")), LastSeen: field(v, "last_seen"), LastSeenIn: field(v, "last_seen_in"),
		LastSeenPlace: field(v, "last_seen_place"), PoliceRef: field(v, "police_ref"), Relation: field(v, "relation"),
		Reporter: field(v, "reporter"), ReporterTel: field(v, "reporter_tel"), Circumstance: strings.TrimSpace(v.Get("circumstance")),
		TLP: field(v, "tlp"), Distribution: field(v, "distribution")}
	var inv atip.Invalid
	for name, val := range map[string]string{"names": f.Names, "last_seen_in": f.LastSeenIn, "last_seen_place": f.LastSeenPlace,
		"police_ref": f.PoliceRef, "relation": f.Relation, "reporter": f.Reporter, "reporter_tel": f.ReporterTel} {
		checkLen(&inv, name, val, false)
	}
	if len(splitNames(f.Names)) == 0 {
		inv.Add("names", "is required")
	}
	m := &atip.MissingReport{ReportedAt: time.Now().UTC(), LastSeenAt: parseLocal(r, &inv, "last_seen", f.LastSeen, false),
		LastSeenIn: f.LastSeenIn, LastSeenPlace: f.LastSeenPlace, PoliceRef: f.PoliceRef, Relation: f.Relation,
		Reporter: f.Reporter, ReporterTel: f.ReporterTel, Circumstance: f.Circumstance, Description: f.Description,
		Missing: atip.StoppedPerson{Names: splitNames(f.Names), Sex: f.Sex, AgeYears: ageField(&inv, "age", f.Age), Nationality: f.Nationality},
		Info:    markingForm(v)}
	err = inv.Err()
	if err == nil {
		err = svc.CreateMissing(r.Context(), m)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		for from, to := range map[string]string{"missing_name": "names", "missing_age": "age", "missing_sex": "sex", "last_seen_at": "last_seen"} {
			if msg, ok := fields[from]; ok {
				fields[to] = msg
			}
		}
		s.render(w, r, code, "intake_missing_new", s.missingNewPage(r, f, fields))
		return nil
	}
	http.Redirect(w, r, "/missing/"+url.PathEscape(m.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

type missingPage struct {
	M        *atip.MissingReport
	Access   *atip.IntakeAccess
	Reported string
	LastSeen string
	Place    string
	Found    string
	Saved    bool
	CaseURL  string
}

func (s *Server) missingShow(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	m, acc, err := svc.Missing(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "intake_missing_show", missingPage{M: m, Access: acc, Reported: intakeTime(r, m.ReportedAt),
		LastSeen: intakeTime(r, m.LastSeenAt), Place: s.intakePlace(m.LastSeenIn), Found: intakeTime(r, m.FoundAt),
		Saved: r.URL.Query().Get("saved") == "1", CaseURL: "/cases/new?" + url.Values{"from": {"missing"}, "id": {m.ID}}.Encode()})
	return nil
}

func (s *Server) missingFound(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.intakeService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	var inv atip.Invalid
	at := parseLocal(r, &inv, "found_at", field(r.PostForm, "found_at"), false)
	if err := inv.Err(); err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := svc.MissingFound(r.Context(), id, at); err != nil {
		return err
	}
	http.Redirect(w, r, "/missing/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	return nil
}
