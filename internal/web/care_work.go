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
)

// Pages of repatriation and hand-overs, the care plan and follow-ups, and
// the legal track of a case (issue 4, sections 5-7). The care service
// decides who sees and changes what; these pages offer its forms.

func init() { routeAreas = append(routeAreas, (*Server).careWorkRoutes) }

func (s *Server) careWorkRoutes() []route {
	return []route{
		{pattern: "GET /cases/{id}/repatriation", action: policy.RecordBrowse, handle: s.careRepatriation},
		{pattern: "POST /cases/{id}/repatriation", action: policy.RecordWrite, handle: s.careRepatriationSave},
		{pattern: "POST /cases/{id}/repatriation/{rid}/handovers", action: policy.RecordWrite, handle: s.careHandOverAdd},
		{pattern: "GET /handovers", action: policy.RecordBrowse, handle: s.careHandOvers},
		{pattern: "GET /handovers/{id}", action: policy.RecordBrowse, handle: s.careHandOver},
		{pattern: "POST /handovers/{id}/confirm", action: policy.RecordWrite, handle: s.careHandOverConfirm},
		{pattern: "GET /cases/{id}/care", action: policy.RecordBrowse, handle: s.careCare},
		{pattern: "POST /cases/{id}/care/plans", action: policy.RecordWrite, handle: s.careCarePlanAdd},
		{pattern: "POST /cases/{id}/care/followups", action: policy.RecordWrite, handle: s.careFollowUpsSchedule},
		{pattern: "POST /cases/{id}/care/followups/{fid}", action: policy.RecordWrite, handle: s.careFollowUpRecord},
		{pattern: "GET /cases/{id}/legal", action: policy.RecordBrowse, handle: s.careLegal},
		{pattern: "POST /cases/{id}/legal", action: policy.RecordWrite, handle: s.careLegalSave},
	}
}

// careDate reads a date (YYYY-MM-DD) in the actor's zone; empty is zero.
func careDate(r *http.Request, inv *atip.Invalid, name string) time.Time {
	v := field(r.PostForm, name)
	if v == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation("2006-01-02", v, zoneFor(stateOf(r).actor))
	if err != nil || d.Year() < 2000 || d.Year() > 9000 {
		inv.Add(name, "give a date as YYYY-MM-DD")
		return time.Time{}
	}
	return d
}

// careDateTime reads a date and time (YYYY-MM-DDTHH:MM) in the actor's zone.
func careDateTime(r *http.Request, inv *atip.Invalid, name string) time.Time {
	v := field(r.PostForm, name)
	if v == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation("2006-01-02T15:04", v, zoneFor(stateOf(r).actor))
	if err != nil || d.Year() < 2000 || d.Year() > 9000 {
		inv.Add(name, "give a date and time")
		return time.Time{}
	}
	return d
}

func (s *Server) localDate(r *http.Request, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneFor(stateOf(r).actor)).Format("2006-01-02")
}

func (s *Server) localTime(r *http.Request, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneFor(stateOf(r).actor)).Format("2006-01-02 15:04 MST")
}

// orgChoice is an organisation in a select.
type careOrg struct{ ID, Name string }

func (s *Server) careOrgChoices(r *http.Request) []careOrg {
	os, _, err := s.cfg.Orgs.FindOrgs(r.Context(), atip.OrgFilter{Limit: 200})
	if err != nil {
		return nil
	}
	out := make([]careOrg, 0, len(os))
	for _, o := range os {
		if !o.Disabled {
			out = append(out, careOrg{ID: o.ID, Name: o.Name})
		}
	}
	return out
}

// careFail puts a form's errors back on the page, or returns the error.
func careFail(err error) (int, map[string]string, error) {
	code, fields, ok := formError(err)
	if !ok {
		return 0, nil, err
	}
	return code, fields, nil
}

// --- repatriation and hand-overs

type careRepatriationPage struct {
	Data      *atip.CaseRepatriations
	Items     []careRepRow
	Orgs      []careOrg
	OrgName   map[string]string
	Saved     bool
	Errors    map[string]string
	FormFor   string // the repatriation whose hand-over form has Errors, "new" for the new one
	Districts string
}

type careRepRow struct {
	atip.Repatriation
	Verified  string
	HandOvers []careHandOverRow
}

type careHandOverRow struct {
	atip.HandOver
	AtText, ConfirmedText string
}

func (s *Server) careRepatriation(w http.ResponseWriter, r *http.Request) error {
	return s.renderRepatriation(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderRepatriation(w http.ResponseWriter, r *http.Request, code int, formFor string, errs map[string]string) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	d, err := svc.Repatriations(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := careRepatriationPage{Data: d, Saved: r.URL.Query().Get("saved") == "1", Errors: errs, FormFor: formFor, OrgName: map[string]string{}}
	page.Orgs = s.careOrgChoices(r)
	for _, o := range page.Orgs {
		page.OrgName[o.ID] = o.Name
	}
	for _, it := range d.Items {
		row := careRepRow{Repatriation: it, Verified: s.localDate(r, it.HomeVerification.DoneAt)}
		for _, h := range it.HandOvers {
			row.HandOvers = append(row.HandOvers, careHandOverRow{HandOver: h, AtText: s.localTime(r, h.At), ConfirmedText: s.localTime(r, h.ConfirmedAt)})
		}
		page.Items = append(page.Items, row)
	}
	s.render(w, r, code, "care_repatriation", page)
	return nil
}

func (s *Server) careRepatriationSave(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	var inv atip.Invalid
	id := r.PathValue("id")
	rep := &atip.Repatriation{ID: field(r.PostForm, "rid"), CaseID: id, Kind: field(r.PostForm, "kind"), ToOrgID: field(r.PostForm, "to_org_id"),
		ToDistrict: field(r.PostForm, "to_district"), CrossingPt: field(r.PostForm, "crossing_point"), Escort: field(r.PostForm, "escort"),
		TravelPlan: strings.TrimSpace(r.PostForm.Get("travel_plan")), Status: field(r.PostForm, "status")}
	rep.HomeVerification.DoneAt = careDate(r, &inv, "verified_on")
	rep.HomeVerification.Safe = r.PostForm.Get("safe") == "on"
	rep.HomeVerification.Report = strings.TrimSpace(r.PostForm.Get("report"))
	for _, f := range []string{"to_district", "crossing_point", "escort"} {
		checkLen(&inv, f, field(r.PostForm, f), false)
	}
	if rep.Status != "" && !strings.Contains(" planned verified in_transit handed_over ", " "+rep.Status+" ") {
		inv.Add("status", "choose a status")
	}
	err = inv.Err()
	if err == nil {
		err = svc.SaveRepatriation(r.Context(), rep)
	}
	if err != nil {
		code, fields, err := careFail(err)
		if err != nil {
			return err
		}
		return s.renderRepatriation(w, r, code, "new", fields)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(id)+"/repatriation?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) careHandOverAdd(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	var inv atip.Invalid
	id, rid := r.PathValue("id"), r.PathValue("rid")
	h := &atip.HandOver{ToOrgID: field(r.PostForm, "to_org_id"), Place: field(r.PostForm, "place"), Note: field(r.PostForm, "note")}
	h.At = careDateTime(r, &inv, "at")
	err = inv.Err()
	if err == nil {
		err = svc.AddHandOver(r.Context(), id, rid, h)
	}
	if err != nil {
		code, fields, err := careFail(err)
		if err != nil {
			return err
		}
		return s.renderRepatriation(w, r, code, rid, fields)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(id)+"/repatriation?saved=1", http.StatusSeeOther)
	return nil
}

type careHandOverRowInfo struct {
	atip.HandOverInfo
	From, To              string
	AtText, ConfirmedText string
}

type careHandOversPage struct {
	Rows   []careHandOverRowInfo
	One    *careHandOverRowInfo
	Saved  bool
	Errors map[string]string
}

func (s *Server) handOverRow(r *http.Request, names *orgNames, h atip.HandOverInfo) careHandOverRowInfo {
	return careHandOverRowInfo{HandOverInfo: h, From: names.name(h.FromOrgID), To: names.name(h.ToOrgID),
		AtText: s.localTime(r, h.At), ConfirmedText: s.localTime(r, h.ConfirmedAt)}
}

func (s *Server) careHandOvers(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	hs, err := svc.HandOvers(r.Context())
	if err != nil {
		return err
	}
	names := &orgNames{s: s, r: r}
	page := careHandOversPage{}
	for _, h := range hs {
		page.Rows = append(page.Rows, s.handOverRow(r, names, h))
	}
	s.render(w, r, http.StatusOK, "care_handovers", page)
	return nil
}

func (s *Server) careHandOver(w http.ResponseWriter, r *http.Request) error {
	return s.renderHandOver(w, r, http.StatusOK, nil)
}

func (s *Server) renderHandOver(w http.ResponseWriter, r *http.Request, code int, errs map[string]string) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	h, err := svc.HandOver(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	row := s.handOverRow(r, &orgNames{s: s, r: r}, *h)
	s.render(w, r, code, "care_handover", careHandOversPage{One: &row, Saved: r.URL.Query().Get("saved") == "1", Errors: errs})
	return nil
}

func (s *Server) careHandOverConfirm(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := svc.ConfirmHandOver(r.Context(), id); err != nil {
		code, fields, err := careFail(err)
		if err != nil {
			return err
		}
		return s.renderHandOver(w, r, code, fields)
	}
	http.Redirect(w, r, "/handovers/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	return nil
}

// --- care plan and follow-ups

type careCarePage struct {
	Data         *atip.CaseCare
	Plans        []careCarePlanRow
	FollowUps    []careFollowUpRow
	ServiceTypes []string
	RiskLevels   []string
	Saved        bool
	Errors       map[string]string
	FormFor      string
}

type careCarePlanRow struct {
	atip.CarePlan
	Agreed string
}

type careFollowUpRow struct {
	atip.FollowUp
	DueText, DoneText string
	Missed            bool // past the grace period and not done
}

// careServiceTypes are the services a care plan offers (issue 4, s.6).
var careServiceTypes = []string{"medical", "psychosocial", "legal_aid", "education", "skills", "livelihood", "compensation", "shelter", "other"}

func (s *Server) careCare(w http.ResponseWriter, r *http.Request) error {
	return s.renderCare(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderCare(w http.ResponseWriter, r *http.Request, code int, formFor string, errs map[string]string) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	d, err := svc.Care(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := careCarePage{Data: d, ServiceTypes: careServiceTypes, Saved: r.URL.Query().Get("saved") == "1", Errors: errs, FormFor: formFor}
	for _, c := range codelist.Codes(codelist.RiskLevel) {
		page.RiskLevels = append(page.RiskLevels, c.Code)
	}
	for _, p := range d.Plans {
		page.Plans = append(page.Plans, careCarePlanRow{CarePlan: p, Agreed: s.localDate(r, p.AgreedAt)})
	}
	now := time.Now()
	for _, f := range d.FollowUps {
		page.FollowUps = append(page.FollowUps, careFollowUpRow{FollowUp: f, DueText: s.localDate(r, f.Due), DoneText: s.localDate(r, f.DoneAt),
			Missed: f.FollowUpMissed(now, atip.FollowUpGrace)})
	}
	s.render(w, r, code, "care_care", page)
	return nil
}

func (s *Server) careCarePlanAdd(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	var inv atip.Invalid
	id := r.PathValue("id")
	p := &atip.CarePlan{CaseID: id, Goals: strings.TrimSpace(r.PostForm.Get("goals"))}
	p.AgreedAt = careDate(r, &inv, "agreed_on")
	p.ReviewDue = careDate(r, &inv, "review_on")
	for _, t := range r.PostForm["service"] {
		sv := atip.Service{Type: t, Status: "planned"}
		if m := field(r.PostForm, "milestone_"+t); m != "" {
			sv.Milestones = []atip.Milestone{{Title: m, Due: careDate(r, &inv, "milestone_due_"+t)}}
		}
		p.Services = append(p.Services, sv)
	}
	if len(p.Services) == 0 {
		inv.Add("service", "choose at least one service")
	}
	err = inv.Err()
	if err == nil {
		err = svc.SaveCarePlan(r.Context(), p)
	}
	if err != nil {
		code, fields, err := careFail(err)
		if err != nil {
			return err
		}
		return s.renderCare(w, r, code, "plan", fields)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(id)+"/care?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) careFollowUpsSchedule(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	var inv atip.Invalid
	id := r.PathValue("id")
	reint := careDate(r, &inv, "reintegrated_on")
	if reint.IsZero() {
		inv.Add("reintegrated_on", "is required")
	}
	var months []int
	for part := range strings.SplitSeq(field(r.PostForm, "months"), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		m, err := strconv.Atoi(part)
		if err != nil {
			inv.Add("months", "give whole months separated by commas, e.g. 1, 3, 6, 12")
			break
		}
		months = append(months, m)
	}
	err = inv.Err()
	if err == nil {
		_, err = svc.ScheduleFollowUps(r.Context(), id, "", reint, months)
	}
	if err != nil {
		code, fields, err := careFail(err)
		if err != nil {
			return err
		}
		if v, ok := fields["reintegrated_at"]; ok {
			fields["reintegrated_on"] = v
		}
		return s.renderCare(w, r, code, "schedule", fields)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(id)+"/care?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) careFollowUpRecord(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	id, fid := r.PathValue("id"), r.PathValue("fid")
	on := func(n string) bool { return r.PostForm.Get(n) == "on" }
	v := atip.FollowUp{Missed: on("missed"), Note: strings.TrimSpace(r.PostForm.Get("note")), Risk: atip.RiskAssessment{
		Level: field(r.PostForm, "level"), NoIncome: on("no_income"), DebtPressure: on("debt_pressure"), FamilyRejection: on("family_rejection"),
		RecontactedByTraffickers: on("recontacted"), OfferToMigrate: on("offer_to_migrate"), OutOfSchool: on("out_of_school"), Unsafe: on("unsafe")}}
	if err := svc.RecordFollowUp(r.Context(), id, fid, v); err != nil {
		code, fields, err := careFail(err)
		if err != nil {
			return err
		}
		if m, ok := fields["risk.level"]; ok {
			fields["level"] = m
		}
		return s.renderCare(w, r, code, fid, fields)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(id)+"/care?saved=1", http.StatusSeeOther)
	return nil
}

// --- legal track

type careLegalPage struct {
	Data      *atip.CaseLegal
	Track     *atip.LegalTrack
	Sections  string
	Arrests   []careArrestRow
	Stages    []string
	Outcomes  []string
	Due       string
	Saved     bool
	Errors    map[string]string
	FIRDate   string
	FiledDate string
	Outcome   string
	// SuspectNumbers are 1…n for the case's n suspects.
	SuspectNumbers []int
}

type careArrestRow struct {
	Suspect int
	At      string
	Bail    bool
}

func (s *Server) careLegal(w http.ResponseWriter, r *http.Request) error {
	return s.renderLegal(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderLegal(w http.ResponseWriter, r *http.Request, code int, typed *atip.LegalTrack, errs map[string]string) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	d, err := svc.Legal(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := careLegalPage{Data: d, Track: d.Track, Saved: r.URL.Query().Get("saved") == "1", Errors: errs}
	if typed != nil {
		page.Track = typed
	}
	if page.Track == nil {
		page.Track = &atip.LegalTrack{}
	}
	for _, c := range codelist.Codes(codelist.LegalStage) {
		page.Stages = append(page.Stages, c.Code)
	}
	for _, c := range codelist.Codes(codelist.TrialOutcome) {
		page.Outcomes = append(page.Outcomes, c.Code)
	}
	var secs []string
	for _, sec := range page.Track.Sections {
		secs = append(secs, sec.Act+" "+sec.Section)
	}
	page.Sections = strings.Join(secs, "\n")
	for _, a := range page.Track.Arrests {
		n := 0
		for i, p := range d.Suspects {
			if p == a.PersonID {
				n = i + 1
			}
		}
		page.Arrests = append(page.Arrests, careArrestRow{Suspect: n, At: s.localTime(r, a.At), Bail: a.Bail})
	}
	for i := range d.Suspects {
		page.SuspectNumbers = append(page.SuspectNumbers, i+1)
	}
	page.Due = s.localDate(r, page.Track.ChargeSheetDue)
	page.FIRDate, page.FiledDate, page.Outcome = s.localDate(r, page.Track.FIRAt), s.localDate(r, page.Track.ChargeSheetAt), s.localDate(r, page.Track.OutcomeAt)
	s.render(w, r, code, "care_legal", page)
	return nil
}

func (s *Server) careLegalSave(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	id := r.PathValue("id")
	cur, err := svc.Legal(r.Context(), id)
	if err != nil {
		return err
	}
	var inv atip.Invalid
	l := &atip.LegalTrack{CaseID: id}
	if cur.Track != nil {
		c := *cur.Track
		l = &c
	}
	l.PoliceStation, l.FIRNumber = field(r.PostForm, "police_station"), field(r.PostForm, "fir_number")
	l.FIRAt = careDate(r, &inv, "fir_on")
	l.ChargeSheetAt = careDate(r, &inv, "charge_sheet_on")
	l.ChargeSheetDeadline = field(r.PostForm, "charge_sheet_deadline")
	l.Court, l.CourtCaseNumber = field(r.PostForm, "court"), field(r.PostForm, "court_case_number")
	l.Outcome, l.Sentence = field(r.PostForm, "outcome"), field(r.PostForm, "sentence")
	l.OutcomeAt = careDate(r, &inv, "outcome_on")
	l.WitnessProtection = strings.TrimSpace(r.PostForm.Get("witness_protection"))
	for _, f := range []string{"police_station", "fir_number", "court", "court_case_number", "sentence"} {
		checkLen(&inv, f, field(r.PostForm, f), false)
	}
	l.Sections = nil
	for line := range strings.SplitSeq(r.PostForm.Get("sections"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		act, sec, ok := strings.Cut(line, " ")
		if !ok {
			inv.Add("sections", "write one act and section a line, e.g. BNS 143")
			break
		}
		l.Sections = append(l.Sections, atip.LawSection{Act: strings.TrimSpace(act), Section: strings.TrimSpace(sec)})
	}
	if st := field(r.PostForm, "stage"); st != "" && st != l.Stage {
		l.Stage = st
		l.Stages = append(l.Stages, atip.StageEntry{Stage: st, At: time.Now().UTC()})
	}
	if n, _ := strconv.Atoi(field(r.PostForm, "arrest_suspect")); n > 0 {
		at := careDateTime(r, &inv, "arrest_at")
		switch {
		case n > len(cur.Suspects):
			inv.Add("arrest_suspect", "choose a suspect of the case")
		case at.IsZero():
			inv.Add("arrest_at", "is required with an arrest")
		default:
			l.Arrests = append(l.Arrests, atip.Arrest{PersonID: cur.Suspects[n-1], At: at.UTC(), Bail: r.PostForm.Get("arrest_bail") == "on"})
		}
	}
	err = inv.Err()
	if err == nil {
		err = svc.SaveLegal(r.Context(), l)
	}
	if err != nil {
		code, fields, err := careFail(err)
		if err != nil {
			return err
		}
		for from, to := range map[string]string{"fir_at": "fir_on", "outcome_at": "outcome_on"} {
			if v, ok := fields[from]; ok {
				fields[to] = v
			}
		}
		return s.renderLegal(w, r, code, l, fields)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(id)+"/legal?saved=1", http.StatusSeeOther)
	return nil
}
