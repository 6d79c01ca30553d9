package web

import (
	"fmt"
	"net/http"
	"net/url"

	"atip"
	"atip/internal/policy"
)

// The identification review queue (issue 5): the organisation's candidate
// matches, and one match side by side with the engine's explanation. What
// is shown of the other record is the service's (the policy's) decision:
// a record the reviewer may not see is only "held by" its organisation,
// with a form that asks that organisation for access.

func init() { routeAreas = append(routeAreas, (*Server).reviewRoutes) }

func (s *Server) reviewRoutes() []route {
	return []route{
		{pattern: "GET /review", action: policy.RecordBrowse, handle: s.reviewList},
		{pattern: "GET /review/{id}", action: policy.RecordBrowse, handle: s.reviewShow},
		{pattern: "POST /review/{id}/decide", action: policy.RecordWrite, handle: s.reviewDecide},
		{pattern: "POST /review/{id}/access", action: policy.RecordWrite, handle: s.reviewAccess},
	}
}

func (s *Server) reviewService() (atip.ReviewService, error) {
	if s.cfg.Review == nil {
		return nil, atip.Errorf(atip.ENOTFOUND, "page not found")
	}
	return s.cfg.Review, nil
}

// reviewRow is a match as the pages show it.
type reviewRow struct {
	M        *atip.ReviewMatch
	Holder   string // the organisation holding the candidate
	Score    string // as a percentage
	Created  string
	Decided  string
	Evidence []reviewEvidence
}

type reviewEvidence struct {
	Field, Level, Weight string
	Positive             bool
}

type reviewListPage struct {
	Status string
	Rows   []reviewRow
}

type reviewShowPage struct {
	reviewRow
	Saved     string
	Errors    map[string]string
	Reason    string
	Requested bool
}

func reviewRowOf(r *http.Request, names *orgNames, m *atip.ReviewMatch) reviewRow {
	row := reviewRow{M: m, Holder: names.name(m.CandidateOrg), Score: "—", Created: intakeTime(r, m.CreatedAt), Decided: intakeTime(r, m.DecidedAt)}
	if m.Visible {
		row.Score = fmt.Sprintf("%.0f%%", m.Score*100)
	}
	for _, e := range m.Evidence {
		row.Evidence = append(row.Evidence, reviewEvidence{Field: e.Field, Level: e.Level, Weight: fmt.Sprintf("%+.1f", e.Weight), Positive: e.Weight > 0})
	}
	return row
}

func (s *Server) reviewList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.reviewService()
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	switch status {
	case "", atip.ReviewPending, atip.ReviewConfirmed, atip.ReviewRejected:
	default:
		status = ""
	}
	ms, err := svc.Queue(r.Context(), atip.ReviewFilter{Status: status})
	if err != nil {
		return err
	}
	if status == "" {
		status = atip.ReviewPending
	}
	names := &orgNames{s: s, r: r}
	page := reviewListPage{Status: status}
	for _, m := range ms {
		page.Rows = append(page.Rows, reviewRowOf(r, names, m))
	}
	s.render(w, r, http.StatusOK, "review_list", page)
	return nil
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, code int, page reviewShowPage) error {
	svc, err := s.reviewService()
	if err != nil {
		return err
	}
	m, err := svc.Match(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page.reviewRow = reviewRowOf(r, &orgNames{s: s, r: r}, m)
	s.render(w, r, code, "review_show", page)
	return nil
}

func (s *Server) reviewShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderReview(w, r, http.StatusOK, reviewShowPage{Saved: q.Get("saved"), Requested: q.Get("requested") == "1"})
}

func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.reviewService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	var confirm bool
	switch field(r.PostForm, "decision") {
	case "confirm":
		confirm = true
	case "reject":
	default:
		var inv atip.Invalid
		inv.Add("decision", "review.err.decision")
		return inv.Err()
	}
	id := r.PathValue("id")
	m, err := svc.Decide(r.Context(), id, confirm)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/review/"+url.PathEscape(id)+"?saved="+url.QueryEscape(m.Status), http.StatusSeeOther)
	return nil
}

func (s *Server) reviewAccess(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.reviewService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	id := r.PathValue("id")
	reason := field(r.PostForm, "reason")
	if _, err := svc.RequestAccess(r.Context(), id, reason); err != nil {
		if errs := fieldErrors(err); errs != nil {
			return s.renderReview(w, r, http.StatusUnprocessableEntity, reviewShowPage{Errors: errs, Reason: reason})
		}
		return err
	}
	http.Redirect(w, r, "/review/"+url.PathEscape(id)+"?requested=1", http.StatusSeeOther)
	return nil
}

// reviewLink is a confirmed match as a record's page lists it.
type reviewLink struct {
	L      *atip.RecordLink
	Href   string
	Holder string
}

// recordLinks lists the confirmed matches of a record for its page; none
// when the review queue is not wired or cannot say.
func (s *Server) recordLinks(r *http.Request, id string) []reviewLink {
	if s.cfg.Review == nil {
		return nil
	}
	ls, err := s.cfg.Review.Links(r.Context(), id)
	if err != nil {
		return nil
	}
	names := &orgNames{s: s, r: r}
	out := make([]reviewLink, len(ls))
	for i, l := range ls {
		href := ""
		switch l.Other.Type {
		case atip.RecordPerson:
			href = "/persons/" + url.PathEscape(l.Other.ID)
		case atip.RecordMissing:
			href = "/missing/" + url.PathEscape(l.Other.ID)
		case atip.RecordInterception:
			href = "/interceptions/" + url.PathEscape(l.Other.ID)
		}
		out[i] = reviewLink{L: l, Href: href, Holder: names.name(l.OtherOrg)}
	}
	return out
}

// caseRetrafficked reports whether a victim of the case is confirmed to be
// the victim of an earlier case.
func (s *Server) caseRetrafficked(r *http.Request, v *atip.CaseView) bool {
	if v == nil || v.Case == nil {
		return false
	}
	for _, x := range v.Case.Victims {
		if x.PersonID == "" {
			continue
		}
		for _, l := range s.recordLinks(r, x.PersonID) {
			if l.L.Retrafficked {
				return true
			}
		}
	}
	return false
}
