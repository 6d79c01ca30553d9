package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"atip"
	"atip/internal/auditlog"
	"atip/internal/policy"
)

type auditRow struct {
	Entry   *atip.AuditEntry
	At      string
	Actor   string
	OrgName string
}

type auditPage struct {
	Filter    url.Values
	Orgs      []*atip.Org
	Rows      []auditRow
	NextURL   string
	ExportURL string
	CanExport bool
	Errors    map[string]string
	Zone      string
}

// auditQuery is the filter part of the query string, without the cursor,
// for the next-page and export links.
func auditQuery(q url.Values) url.Values {
	v := url.Values{}
	for _, k := range []string{"actor", "org", "action", "rtype", "record", "since", "until"} {
		if s := strings.TrimSpace(q.Get(k)); s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// resolveActor lets the auditor filter by login as well as by user id.
func (s *Server) resolveActor(r *http.Request, f *atip.AuditFilter) {
	if f.ActorID == "" || f.ActorID == atip.SystemActorID {
		return
	}
	if _, err := s.cfg.Users.FindUserByID(r.Context(), f.ActorID); err == nil {
		return
	}
	if u, err := s.cfg.Users.FindUserByLogin(r.Context(), strings.ToLower(f.ActorID)); err == nil {
		f.ActorID = u.ID
	}
}

// names resolves the users and organisations of a page of entries to the
// names a person recognises; ids the viewer may not resolve stay ids.
type names struct {
	s     *Server
	r     *http.Request
	users map[string]string
	orgs  map[string]string
}

func (n *names) user(id string) string {
	if id == "" || id == atip.SystemActorID {
		return id
	}
	if v, ok := n.users[id]; ok {
		return v
	}
	v := id
	if u, err := n.s.cfg.Users.FindUserByID(n.r.Context(), id); err == nil {
		v = u.Name + " (" + u.Login + ")"
	}
	n.users[id] = v
	return v
}

func (n *names) org(id string) string {
	if id == "" {
		return ""
	}
	if v, ok := n.orgs[id]; ok {
		return v
	}
	v := id
	if o, err := n.s.cfg.Orgs.FindOrgByID(n.r.Context(), id); err == nil {
		v = o.Name
	}
	n.orgs[id] = v
	return v
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	loc := zoneFor(st.actor)
	q := r.URL.Query()
	page := auditPage{Filter: q, CanExport: policy.CanSome(st.actor, policy.AuditExport), Zone: loc.String()}
	var err error
	if page.Orgs, err = s.orgChoices(r); err != nil {
		return err
	}
	f, err := parseAuditFilter(q, loc)
	if err != nil {
		page.Errors = fieldErrors(err)
		s.render(w, r, http.StatusUnprocessableEntity, "audit", page)
		return nil
	}
	s.resolveActor(r, &f)
	entries, next, err := s.cfg.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	n := &names{s: s, r: r, users: map[string]string{}, orgs: map[string]string{}}
	for _, e := range entries {
		page.Rows = append(page.Rows, auditRow{Entry: e, At: e.At.In(loc).Format("2006-01-02 15:04:05"), Actor: n.user(e.ActorID), OrgName: n.org(e.ActorOrgID)})
	}
	base := auditQuery(q)
	if next > 0 {
		v := auditQuery(q)
		v.Set("before", strconv.FormatInt(next, 10))
		page.NextURL = "/audit?" + v.Encode()
	}
	page.ExportURL = "/audit/export?" + base.Encode()
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "results" {
		s.renderBlock(w, r, http.StatusOK, "audit", "results", page)
		return nil
	}
	s.render(w, r, http.StatusOK, "audit", page)
	return nil
}

// auditExport streams every entry that matches the filters as CSV, oldest
// first, straight from the database to the client, so that an export of the
// whole trail never sits in memory. The export itself is audited.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) error {
	st := stateOf(r)
	f, err := parseAuditFilter(r.URL.Query(), zoneFor(st.actor))
	if err != nil {
		return err
	}
	s.resolveActor(r, &f)
	cw := csv.NewWriter(w)
	rows := -1 // -1: nothing sent yet, so an error can still get its page
	begin := func() {
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="atip-audit-`+time.Now().UTC().Format("20060102-150405")+`.csv"`)
		h.Set("Cache-Control", "no-store")
		cw.Write(auditlog.CSVHeader)
		rows = 0
	}
	err = s.cfg.Audit.ExportAuditEntries(r.Context(), f, func(e *atip.AuditEntry) error {
		if rows < 0 {
			begin()
		}
		cw.Write(auditlog.CSVRow(e))
		if rows++; rows%auditExportFlush == 0 {
			cw.Flush()
		}
		return cw.Error()
	})
	switch {
	case err != nil && rows < 0:
		return err
	case err != nil:
		// The status is sent: the client went away or the database failed.
		s.log.Error("audit export stopped part-way", "err", err)
		return nil
	case rows < 0:
		begin() // no entry matched: the header alone
	}
	cw.Flush()
	return nil
}
