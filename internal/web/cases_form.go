package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"atip"
	"atip/internal/codelist"
)

// The full case form: the case's HTCDS fields, its main victim (the
// person's own record and what HTCDS records per victim), its first
// incident (recruitment, movement, exploitation) and its suspects with
// their roles. A case with more victims or incidents keeps the others as
// they are; a caseworker completes a quick intake here.

// maxSuspectRows is how many suspect rows the form offers beyond those
// already on the case.
const maxSuspectRows = 2

type suspectForm struct {
	ID, Name, Sex string
	Roles         []string
	Arrested      bool
}

// caseForm is the form as typed.
type caseForm struct {
	Status, Stage, Channel, IntakeAt, District, ExternalRef, Summary, ClosureReason string
	Exploitation                                                                    []string
	CrossBorder, Complete, AssignMe                                                 bool

	// The main victim.
	VictimID, VName, VAliases, VSex, VAge, VAgeMethod, VNationality, VLanguages string
	VHomeDistrict, VHomeVillage, VPhones                                        string
	VStatus, VDecidedBy, VRelation                                              string
	VRecruitment, VControl                                                      []string

	// The first incident.
	IRecruitedIn, IRecruitedAt, IOrigin, ITransit, IDestination, IBorderPoint string
	IForm, IPlace, ISite, IFrom, IUntil, IStory                               string
	IMeans, IPlatforms, ITransport                                            []string

	Suspects []suspectForm

	// Where the case comes from (new cases only).
	From, FromID string
}

type caseFormPage struct {
	ID, Ref                                           string
	TLP                                               atip.TLP
	Form                                              caseForm
	Errors                                            map[string]string
	Statuses, Stages, Channels, Types, Sexes          []option
	AgeMethods, TStatuses, DecidedBy, Relations       []option
	Recruitment, Control, Roles, Platforms, Transport []option
}

func (s *Server) caseFormPage(r *http.Request, id, ref string, tlp atip.TLP, f caseForm, errs map[string]string) caseFormPage {
	return caseFormPage{ID: id, Ref: ref, TLP: tlp, Form: f, Errors: errs,
		Statuses: s.options(r, codelist.CaseStatus), Stages: s.options(r, codelist.CaseStage),
		Channels: s.options(r, codelist.IntakeChannel), Types: s.options(r, codelist.Exploitation), Sexes: s.options(r, codelist.Sex),
		AgeMethods: s.options(r, codelist.AgeEstimation), TStatuses: s.options(r, codelist.TraffickingStatus),
		DecidedBy: s.options(r, codelist.StatusDecidedBy), Relations: s.options(r, codelist.RelationToTrafficker),
		Recruitment: s.options(r, codelist.MeansOfRecruitment), Control: s.options(r, codelist.MeansOfControl),
		Roles: s.options(r, codelist.PerpetratorRole), Platforms: s.options(r, codelist.OnlinePlatform),
		Transport: s.options(r, codelist.Transport)}
}

// originChannel is the intake channel of a case opened from a record of
// the from= parameter of /cases/new, "" for an unknown kind.
func originChannel(from string) string {
	switch from {
	case "signal":
		return "helpline"
	case "interception":
		return "interception"
	case "missing":
		return "missing_report"
	}
	return ""
}

func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.casesService(); err != nil {
		return err
	}
	q := r.URL.Query()
	f := caseForm{Status: "open", Stage: "first_response", Channel: "rescue", IntakeAt: localTime(r, time.Now(), "2006-01-02T15:04"),
		VSex: "unknown", VStatus: "unknown", Complete: true, AssignMe: true}
	if a := stateOf(r).actor; a != nil && a.Org != nil {
		f.District = a.Org.Jurisdiction
	}
	if ch := originChannel(q.Get("from")); ch != "" && q.Get("id") != "" && len(q.Get("id")) <= 64 {
		f.From, f.FromID, f.Channel = q.Get("from"), q.Get("id"), ch
	}
	f.Suspects = make([]suspectForm, maxSuspectRows)
	s.render(w, r, http.StatusOK, "cases_form", s.caseFormPage(r, "", "", "", f, nil))
	return nil
}

func (s *Server) caseEdit(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.casesService()
	if err != nil {
		return err
	}
	v, err := svc.FindCase(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !v.Access.CanEdit {
		return atip.Errorf(atip.EFORBIDDEN, "only the owning organisation edits this case")
	}
	f := s.caseFormOf(r, v)
	s.render(w, r, http.StatusOK, "cases_form", s.caseFormPage(r, v.Case.ID, v.Ref, v.TLP, f, nil))
	return nil
}

// caseFormOf fills the form from a stored case.
func (s *Server) caseFormOf(r *http.Request, v *atip.CaseView) caseForm {
	c := v.Case
	a := stateOf(r).actor
	f := caseForm{Status: c.Status, Stage: c.Stage, Channel: c.IntakeChannel, IntakeAt: localTime(r, c.IntakeAt, "2006-01-02T15:04"),
		District: c.IntakeDistrict, ExternalRef: c.ExternalRef, Summary: c.Summary, ClosureReason: c.ClosureReason,
		Exploitation: c.Exploitation, CrossBorder: c.CrossBorder, Complete: c.Complete}
	for _, u := range c.AssignedTo {
		f.AssignMe = f.AssignMe || (a != nil && a.UserID() == u)
	}
	if len(c.Victims) > 0 {
		x := c.Victims[0]
		f.VictimID, f.VStatus, f.VDecidedBy, f.VRelation = x.PersonID, x.TraffickingStatus, x.StatusDecidedBy, x.RelationToTrafficker
		f.VRecruitment, f.VControl = x.MeansOfRecruitment, x.MeansOfControl
		if pv := v.People[x.PersonID]; pv != nil {
			p := pv.Person
			var aliases []string
			for i, n := range p.Names {
				if i == 0 {
					f.VName = n.Full
				} else {
					aliases = append(aliases, n.Full)
				}
			}
			f.VAliases = strings.Join(aliases, "\n")
			f.VSex, f.VAgeMethod, f.VNationality = p.Sex, p.AgeMethod, p.Nationality
			if age := p.AgeAt(time.Now()); age >= 0 {
				f.VAge = strconv.Itoa(age)
			}
			f.VLanguages, f.VHomeDistrict, f.VHomeVillage = strings.Join(p.Languages, " "), p.HomeDistrict, p.HomeVillage
			f.VPhones = strings.Join(p.Phones, " ")
		}
	}
	if len(c.Incidents) > 0 {
		in := c.Incidents[0]
		f.IRecruitedIn, f.IRecruitedAt, f.IOrigin, f.ITransit = in.RecruitedIn, localTime(r, in.RecruitedAt, "2006-01-02"), in.Origin, strings.Join(in.TransitPoints, " ")
		f.IDestination, f.IBorderPoint, f.IForm, f.IPlace, f.ISite = in.Destination, in.BorderPoint, in.ExploitationForm, in.ExploitationPlace, in.ExploitationSite
		f.IFrom, f.IUntil, f.IStory = localTime(r, in.ExploitedFrom, "2006-01-02"), localTime(r, in.ExploitedUntil, "2006-01-02"), in.RecruitmentStory
		f.IMeans, f.IPlatforms, f.ITransport = in.RecruitmentMeans, in.OnlinePlatforms, in.Transport
	}
	for _, x := range c.Suspects {
		sf := suspectForm{ID: x.PersonID, Roles: x.Roles, Arrested: x.Arrested}
		if pv := v.People[x.PersonID]; pv != nil {
			sf.Sex = pv.Person.Sex
			if len(pv.Person.Names) > 0 {
				sf.Name = pv.Person.Names[0].Full
			}
		}
		f.Suspects = append(f.Suspects, sf)
	}
	for range maxSuspectRows {
		f.Suspects = append(f.Suspects, suspectForm{})
	}
	return f
}

// parseCaseForm reads the posted form.
func parseCaseForm(v url.Values) caseForm {
	f := caseForm{Status: field(v, "status"), Stage: field(v, "stage"), Channel: field(v, "intake_channel"), IntakeAt: field(v, "intake_at"),
		District: field(v, "intake_district"), ExternalRef: field(v, "external_ref"), Summary: strings.TrimSpace(v.Get("summary")),
		ClosureReason: field(v, "closure_reason"), Exploitation: v["exploitation"], CrossBorder: v.Get("cross_border") == "on",
		Complete: v.Get("complete") == "on", AssignMe: v.Get("assign_me") == "on",
		VictimID: field(v, "victim_id"), VName: field(v, "v_name"), VAliases: strings.TrimSpace(v.Get("v_aliases")), VSex: field(v, "v_sex"),
		VAge: field(v, "v_age"), VAgeMethod: field(v, "v_age_method"), VNationality: strings.ToUpper(field(v, "v_nationality")),
		VLanguages: field(v, "v_languages"), VHomeDistrict: field(v, "v_home_district"), VHomeVillage: field(v, "v_home_village"),
		VPhones: field(v, "v_phones"), VStatus: field(v, "v_status"), VDecidedBy: field(v, "v_decided_by"), VRelation: field(v, "v_relation"),
		VRecruitment: v["v_recruitment"], VControl: v["v_control"],
		IRecruitedIn: field(v, "i_recruited_in"), IRecruitedAt: field(v, "i_recruited_at"), IOrigin: field(v, "i_origin"),
		ITransit: field(v, "i_transit"), IDestination: field(v, "i_destination"), IBorderPoint: field(v, "i_border_point"),
		IForm: field(v, "i_form"), IPlace: field(v, "i_place"), ISite: field(v, "i_site"), IFrom: field(v, "i_from"), IUntil: field(v, "i_until"),
		IStory: strings.TrimSpace(v.Get("i_story")), IMeans: v["i_means"], IPlatforms: v["i_platforms"], ITransport: v["i_transport"],
		From: field(v, "from"), FromID: field(v, "from_id")}
	for i := 0; i < 50; i++ {
		p := "s" + strconv.Itoa(i) + "_"
		if _, ok := v[p+"name"]; !ok {
			break
		}
		f.Suspects = append(f.Suspects, suspectForm{ID: field(v, p+"id"), Name: field(v, p+"name"), Sex: field(v, p+"sex"),
			Roles: v[p+"roles"], Arrested: v.Get(p+"arrested") == "on"})
	}
	return f
}

// words splits a field of space- or comma-separated values.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\r' || r == ';' })
}

// build turns the form into the case and the people to save with it. old is
// the stored case when editing (its other victims and incidents are kept).
func (f *caseForm) build(r *http.Request, old *atip.CaseView) (*atip.Case, []*atip.Person, error) {
	var inv atip.Invalid
	for _, x := range []struct{ name, val string }{{"intake_district", f.District}, {"external_ref", f.ExternalRef},
		{"closure_reason", f.ClosureReason}, {"v_name", f.VName}, {"v_home_district", f.VHomeDistrict},
		{"v_home_village", f.VHomeVillage}, {"v_phones", f.VPhones}, {"v_languages", f.VLanguages}, {"i_transit", f.ITransit},
		{"i_border_point", f.IBorderPoint}, {"i_site", f.ISite}} {
		checkLen(&inv, x.name, x.val, false)
	}
	for _, x := range []struct{ name, val string }{{"summary", f.Summary}, {"i_story", f.IStory}, {"v_aliases", f.VAliases}} {
		if len(x.val) > 20000 {
			inv.Add(x.name, "cases.err.too_long")
		}
	}
	c := &atip.Case{Status: f.Status, Stage: f.Stage, IntakeChannel: f.Channel, IntakeDistrict: f.District, ExternalRef: f.ExternalRef,
		Summary: f.Summary, ClosureReason: f.ClosureReason, Exploitation: f.Exploitation, CrossBorder: f.CrossBorder, Complete: f.Complete}
	c.IntakeAt = parseLocal(r, &inv, "intake_at", f.IntakeAt, true)
	if a := stateOf(r).actor; f.AssignMe && a != nil {
		c.AssignedTo = []string{a.UserID()}
	}
	if old != nil {
		c.ID = old.Case.ID
		for _, u := range old.Case.AssignedTo {
			if a := stateOf(r).actor; a == nil || u != a.UserID() {
				c.AssignedTo = append(c.AssignedTo, u)
			}
		}
		if c.Status == "closed" {
			c.ClosedAt = old.Case.ClosedAt
		}
	} else {
		switch f.From {
		case "signal":
			c.SignalID = f.FromID
		case "interception":
			c.InterceptionID = f.FromID
		case "missing":
			c.MissingReportID = f.FromID
		}
	}
	if c.Status == "closed" && c.ClosedAt.IsZero() {
		c.ClosedAt = time.Now().UTC()
	}

	// The main victim: a new person, or the stored one updated.
	var people []*atip.Person
	p := &atip.Person{ID: f.VictimID, Roles: []atip.PersonRole{atip.PersonVictim}, Sex: f.VSex, AgeYears: -1, AgeMethod: f.VAgeMethod,
		Nationality: f.VNationality, Languages: words(f.VLanguages), HomeDistrict: f.VHomeDistrict, HomeVillage: f.VHomeVillage,
		Phones: words(f.VPhones)}
	var oldP *atip.Person
	if old != nil && f.VictimID != "" {
		if pv := old.People[f.VictimID]; pv != nil {
			oldP = pv.Person
		} else {
			inv.Add("victim_id", "cases.err.not_victim")
		}
	}
	if oldP != nil {
		// Fields the form does not show are kept.
		keep := *oldP
		keep.Names, keep.Sex, keep.AgeMethod, keep.Nationality, keep.Languages = nil, p.Sex, p.AgeMethod, p.Nationality, p.Languages
		keep.HomeDistrict, keep.HomeVillage, keep.Phones = p.HomeDistrict, p.HomeVillage, p.Phones
		p = &keep
		p.ID = f.VictimID
	}
	if f.VName != "" {
		p.Names = append(p.Names, atip.PersonName{Full: f.VName, Kind: "name"})
	}
	for _, line := range strings.Split(f.VAliases, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Names = append(p.Names, atip.PersonName{Full: line, Kind: "alias"})
		}
	}
	if f.VAge != "" {
		n, err := strconv.Atoi(f.VAge)
		if err != nil {
			inv.Add("v_age", "cases.err.age")
		} else if oldP == nil || oldP.AgeAt(time.Now()) != n {
			p.AgeYears, p.AgeAsOf, p.BirthDate = n, time.Now().UTC(), time.Time{}
		}
	} else {
		p.AgeYears, p.BirthDate = -1, time.Time{}
	}
	if p.AgeYears >= 0 && p.AgeMethod == "" {
		p.AgeMethod = "officer_estimate"
	}
	victim := atip.CaseVictim{PersonID: atip.NewPersonRef(0), TraffickingStatus: f.VStatus, StatusDecidedBy: f.VDecidedBy,
		RelationToTrafficker: f.VRelation, MeansOfRecruitment: f.VRecruitment, MeansOfControl: f.VControl}
	people = append(people, p)
	c.Victims = []atip.CaseVictim{victim}
	if old != nil && len(old.Case.Victims) > 1 {
		c.Victims = append(c.Victims, old.Case.Victims[1:]...)
	}

	// Suspects: a row with a name or roles is a suspect; a stored suspect
	// whose row was emptied is dropped from the case (the person stays).
	for i, sf := range f.Suspects {
		if sf.Name == "" && len(sf.Roles) == 0 {
			continue
		}
		checkLen(&inv, "s"+strconv.Itoa(i)+"_name", sf.Name, false)
		sp := &atip.Person{ID: sf.ID, Roles: []atip.PersonRole{atip.PersonSuspect}, Sex: sf.Sex, AgeYears: -1}
		if sf.ID != "" {
			pv := (*atip.PersonView)(nil)
			if old != nil {
				pv = old.People[sf.ID]
			}
			if pv == nil {
				inv.Add("s"+strconv.Itoa(i)+"_name", "cases.err.not_suspect")
				continue
			}
			keep := *pv.Person
			keep.Sex = sf.Sex
			keep.Names = nil
			sp = &keep
		}
		if sp.Sex == "" {
			sp.Sex = "unknown"
		}
		if sf.Name != "" {
			sp.Names = []atip.PersonName{{Full: sf.Name, Kind: "name"}}
		}
		people = append(people, sp)
		c.Suspects = append(c.Suspects, atip.CaseSuspect{PersonID: atip.NewPersonRef(len(people) - 1), Roles: sf.Roles, Arrested: sf.Arrested})
	}

	// The first incident.
	in := atip.Incident{RecruitedIn: f.IRecruitedIn, Origin: f.IOrigin, TransitPoints: words(f.ITransit), Destination: f.IDestination,
		BorderPoint: f.IBorderPoint, ExploitationForm: f.IForm, ExploitationPlace: f.IPlace, ExploitationSite: f.ISite,
		RecruitmentStory: f.IStory, RecruitmentMeans: f.IMeans, OnlinePlatforms: f.IPlatforms, Transport: f.ITransport}
	in.RecruitedAt = parseLocal(r, &inv, "i_recruited_at", f.IRecruitedAt, false)
	in.ExploitedFrom = parseLocal(r, &inv, "i_from", f.IFrom, false)
	in.ExploitedUntil = parseLocal(r, &inv, "i_until", f.IUntil, false)
	if old != nil && len(old.Case.Incidents) > 0 {
		prev := old.Case.Incidents[0]
		in.ID, in.Legs, in.RecruiterIDs = prev.ID, prev.Legs, prev.RecruiterIDs
	}
	for i, sf := range c.Suspects {
		for _, role := range sf.Roles {
			if role == "recruiter" {
				in.RecruiterIDs = append(in.RecruiterIDs, c.Suspects[i].PersonID)
			}
		}
	}
	if in.ID == "" {
		in.ID = atip.NewID()
	}
	if !in.Empty() {
		c.Incidents = []atip.Incident{in}
	}
	if old != nil && len(old.Case.Incidents) > 1 {
		c.Incidents = append(c.Incidents, old.Case.Incidents[1:]...)
	}
	return c, people, inv.Err()
}

// caseFieldOf maps the service's field names to the form's.
func caseFieldOf(fields map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range fields {
		name := k
		switch {
		case strings.HasPrefix(k, "victims[0]."):
			name = "v_" + strings.TrimPrefix(k, "victims[0].")
			name = strings.NewReplacer("v_trafficking_status", "v_status", "v_status_decided_by", "v_decided_by",
				"v_relation_to_trafficker", "v_relation", "v_means_of_recruitment", "v_recruitment", "v_means_of_control", "v_control").Replace(name)
		case strings.HasPrefix(k, "people[0]."):
			name = "v_" + strings.TrimPrefix(k, "people[0].")
			name = strings.NewReplacer("v_age_years", "v_age", "v_names", "v_name").Replace(name)
		case strings.HasPrefix(k, "incidents[0]."):
			name = "i_" + strings.TrimPrefix(k, "incidents[0].")
			name = strings.NewReplacer("i_online_platforms", "i_platforms", "i_exploitation_form", "i_form", "i_exploited_until", "i_until").Replace(name)
		case strings.HasPrefix(k, "suspects["):
			rest := strings.TrimPrefix(k, "suspects[")
			if n, after, ok := strings.Cut(rest, "]."); ok {
				name = "s" + n + "_" + after
			}
		case strings.HasPrefix(k, "exploitation["):
			name = "exploitation"
		}
		if strings.HasPrefix(name, "v_names[") {
			name = "v_name"
		}
		if out[name] == "" {
			out[name] = v
		}
	}
	return out
}

func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) error {
	return s.caseSave(w, r, nil)
}

func (s *Server) caseUpdate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.casesService()
	if err != nil {
		return err
	}
	old, err := svc.FindCase(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !old.Access.CanEdit {
		return atip.Errorf(atip.EFORBIDDEN, "only the owning organisation edits this case")
	}
	return s.caseSave(w, r, old)
}

func (s *Server) caseSave(w http.ResponseWriter, r *http.Request, old *atip.CaseView) error {
	svc, err := s.casesService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return atip.Errorf(atip.EINVALID, "bad form")
	}
	f := parseCaseForm(r.PostForm)
	id, ref, tlp := "", "", atip.TLP("")
	if old != nil {
		id, ref, tlp = old.Case.ID, old.Ref, old.TLP
	}
	again := func(code int, errs map[string]string) error {
		for len(f.Suspects) < maxSuspectRows {
			f.Suspects = append(f.Suspects, suspectForm{})
		}
		s.render(w, r, code, "cases_form", s.caseFormPage(r, id, ref, tlp, f, errs))
		return nil
	}
	c, people, err := f.build(r, old)
	if err != nil {
		return again(http.StatusUnprocessableEntity, fieldErrors(err))
	}
	if old == nil {
		err = svc.CreateCase(r.Context(), c, people...)
	} else {
		err = svc.UpdateCase(r.Context(), c, people...)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		return again(code, caseFieldOf(fields))
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}
