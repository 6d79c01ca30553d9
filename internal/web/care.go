package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"atip"
	"atip/internal/policy"
)

// Pages of SOP checklists and deadlines (issue 4): a case's checklist with
// the form that marks a step done, the organisation's overdue dashboard,
// and the organisation admin's own versions of the procedures. Who sees and
// does what is the care service's (and so the policy's) decision; these
// handlers offer the buttons it would allow and pass the answers on.

func init() { routeAreas = append(routeAreas, (*Server).careRoutes) }

// careRoutes lists the pages of this area; see routeTable.
func (s *Server) careRoutes() []route {
	return []route{
		{pattern: "GET /cases/{id}/checklist", action: policy.RecordBrowse, handle: s.careChecklist},
		{pattern: "POST /cases/{id}/steps/{procedure}/{step}", action: policy.RecordWrite, handle: s.careStepDone},
		{pattern: "GET /dashboard/overdue", action: policy.RecordBrowse, handle: s.careOverdue},
		{pattern: "GET /sop", action: policy.SOPEdit, handle: s.careProcedures},
		{pattern: "GET /sop/{id}", action: policy.SOPEdit, handle: s.careProcedure},
		{pattern: "POST /sop", action: policy.SOPEdit, handle: s.careProcedureSave},
	}
}

func (s *Server) careService() (atip.CareService, error) {
	if s.cfg.Care == nil {
		return nil, atip.Errorf(atip.ENOTFOUND, "page not found")
	}
	return s.cfg.Care, nil
}

// careTime shows a due time in its deadline's zone, with the zone's
// abbreviation, so a Nepali officer reading an Indian deadline is not misled.
func careTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04 MST")
}

// careLate says how late a step is in days, hours and minutes.
func careLate(d time.Duration) string {
	d = d.Truncate(time.Minute)
	days := int(d / (24 * time.Hour))
	d -= time.Duration(days) * 24 * time.Hour
	h, m := int(d/time.Hour), int((d%time.Hour)/time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		return fmt.Sprintf("%dh %02dmin", h, m)
	}
	return fmt.Sprintf("%dmin", m)
}

type careStepRow struct {
	atip.CaseStep
	DueText, DoneText string
	Errors            map[string]string
	Form              atip.StepDone
}

type careChecklistPage struct {
	List   *atip.Checklist
	Steps  []careStepRow
	Open   int
	Late   int
	Saved  bool
	Errors map[string]string
}

func (s *Server) careChecklist(w http.ResponseWriter, r *http.Request) error {
	return s.renderChecklist(w, r, http.StatusOK, "", "", nil, atip.StepDone{})
}

// renderChecklist shows the checklist, with the errors of the step form
// just sent (procedure/step) when there are any.
func (s *Server) renderChecklist(w http.ResponseWriter, r *http.Request, code int, proc, step string, errs map[string]string, form atip.StepDone) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	cl, err := svc.Checklist(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := careChecklistPage{List: cl, Saved: r.URL.Query().Get("saved") == "1"}
	for _, st := range cl.Steps {
		row := careStepRow{CaseStep: st, DueText: careTime(st.DueLocal()), DoneText: careTime(inZone(st.DoneAt, st.Zone))}
		if st.ProcedureID == proc && st.StepID == step {
			row.Errors, row.Form = errs, form
		}
		if st.Status == "open" {
			page.Open++
		}
		if st.Overdue {
			page.Late++
		}
		page.Steps = append(page.Steps, row)
	}
	s.render(w, r, code, "care_checklist", page)
	return nil
}

func inZone(t time.Time, zone string) time.Time {
	if t.IsZero() {
		return t
	}
	if loc, err := time.LoadLocation(zone); err == nil && zone != "" {
		return t.In(loc)
	}
	return t
}

func (s *Server) careStepDone(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	id, proc, step := r.PathValue("id"), r.PathValue("procedure"), r.PathValue("step")
	in := atip.StepDone{Evidence: field(r.PostForm, "evidence"), Note: strings.TrimSpace(r.PostForm.Get("note"))}
	if err := svc.CompleteStep(r.Context(), id, proc, step, in); err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		return s.renderChecklist(w, r, code, proc, step, fields, in)
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(id)+"/checklist?saved=1#step-"+url.QueryEscape(proc+"-"+step), http.StatusSeeOther)
	return nil
}

type careOverdueRow struct {
	atip.OverdueStep
	DueText, LateText string
}

type careOverduePage struct {
	Rows   []careOverdueRow
	Role   string // "" for every role, else the role filtered on
	Roles  []string
	Missed []careMissedRow
}

type careMissedRow struct {
	atip.MissedFollowUp
	DueText, LateText string
}

func (s *Server) careOverdue(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	steps, err := svc.Overdue(r.Context())
	if err != nil {
		return err
	}
	page := careOverduePage{Role: r.URL.Query().Get("role"),
		Roles: []string{string(atip.RoleFirstResponder), string(atip.RoleCaseworker), string(atip.RoleSupervisor)}}
	for _, o := range steps {
		if page.Role != "" && string(o.Owner) != page.Role {
			continue
		}
		page.Rows = append(page.Rows, careOverdueRow{OverdueStep: o, DueText: careTime(o.DueLocal()), LateText: careLate(o.Late)})
	}
	missed, err := svc.MissedFollowUps(r.Context())
	if err != nil {
		return err
	}
	for _, m := range missed {
		page.Missed = append(page.Missed, careMissedRow{MissedFollowUp: m, DueText: s.localDate(r, m.Due), LateText: careLate(m.Late)})
	}
	s.render(w, r, http.StatusOK, "care_overdue", page)
	return nil
}

type careProceduresPage struct {
	Procedures []atip.ProcedureInfo
}

func (s *Server) careProcedures(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	ps, err := svc.Procedures(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "care_sop", careProceduresPage{Procedures: ps})
	return nil
}

type careProcedurePage struct {
	Procedure *atip.ProcedureInfo
	Source    string
	Saved     bool
	Errors    []string
}

// maxProcedure is the longest procedure text the form accepts; internal/sop
// refuses anything longer too.
const maxProcedure = 256 << 10

func (s *Server) careProcedure(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	p, err := svc.Procedure(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "care_sop_edit", careProcedurePage{Procedure: p, Source: p.Source, Saved: r.URL.Query().Get("saved") == "1"})
	return nil
}

func (s *Server) careProcedureSave(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.careService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	src := strings.ReplaceAll(r.PostForm.Get("source"), "\r\n", "\n")
	var p *atip.ProcedureInfo
	if len(src) > maxProcedure {
		err = atip.Errorf(atip.EINVALID, "the procedure is too long")
	} else {
		p, err = svc.SaveProcedure(r.Context(), src)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		page := careProcedurePage{Procedure: &atip.ProcedureInfo{ID: field(r.PostForm, "id")}, Source: src}
		for _, msg := range fields {
			page.Errors = append(page.Errors, strings.Split(msg, "\n")...)
		}
		if len(page.Errors) == 0 {
			page.Errors = []string{err.Error()}
		}
		s.render(w, r, code, "care_sop_edit", page)
		return nil
	}
	http.Redirect(w, r, "/sop/"+url.PathEscape(p.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}
