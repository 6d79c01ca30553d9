package web

import (
	"net/http"
	"net/url"

	"atip"
	"atip/internal/policy"
)

const pageSize = 50

type orgRow struct {
	Org   *atip.Org
	Place string
}

type orgListPage struct {
	Type      string
	Query     string
	Types     []atip.OrgType
	Rows      []orgRow
	NextURL   string
	CanCreate bool
}

func (s *Server) placeName(code string) string {
	if s.cfg.Places != nil {
		if n := s.cfg.Places.PlaceName(code); n != "" {
			return n
		}
	}
	return code
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := atip.OrgFilter{Type: atip.OrgType(field(q, "type")), Query: field(q, "q"), After: field(q, "after"), Limit: pageSize}
	if f.Type != "" && !f.Type.Valid() {
		f.Type = ""
	}
	orgs, next, err := s.cfg.Orgs.FindOrgs(r.Context(), f)
	if err != nil {
		return err
	}
	page := orgListPage{Type: string(f.Type), Query: f.Query, Types: atip.OrgTypes, CanCreate: policy.CanSome(stateOf(r).actor, policy.OrgCreate)}
	for _, o := range orgs {
		page.Rows = append(page.Rows, orgRow{Org: o, Place: s.placeName(o.Jurisdiction)})
	}
	if next != "" {
		page.NextURL = "/orgs?" + url.Values{"type": {page.Type}, "q": {page.Query}, "after": {next}}.Encode()
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "results" {
		s.renderBlock(w, r, http.StatusOK, "orgs", "results", page)
		return nil
	}
	s.render(w, r, http.StatusOK, "orgs", page)
	return nil
}

// orgPage is the organisation form, for a new one or an existing one.
type orgPage struct {
	Org         *atip.Org // nil when new
	Form        orgForm
	Types       []atip.OrgType
	Place       string
	Places      []Place
	Errors      map[string]string
	CanEdit     bool
	CanDisable  bool
	CanSecurity bool
	CanUsers    bool
	Saved       bool
}

func (s *Server) orgNew(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "org", orgPage{Types: atip.OrgTypes, CanEdit: true})
	return nil
}

// resolvePlace accepts a place code or, without JavaScript, a name typed
// in full: a name that matches exactly one place becomes its code.
func (s *Server) resolvePlace(f *orgForm) error {
	if s.cfg.Places == nil || f.Jurisdiction == "" || s.cfg.Places.PlaceName(f.Jurisdiction) != "" {
		return nil
	}
	matches := s.cfg.Places.FindPlaces(f.Jurisdiction, 2)
	if len(matches) == 1 {
		f.Jurisdiction = matches[0].Code
		return nil
	}
	var inv atip.Invalid
	if len(matches) == 0 {
		inv.Add("jurisdiction", "no place of that name")
	} else {
		inv.Add("jurisdiction", "several places match: type more of the name")
	}
	return inv.Err()
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	f, err := parseOrgForm(r.PostForm)
	if err == nil {
		err = s.resolvePlace(&f)
	}
	o := &atip.Org{Name: f.Name, Type: f.Type, Jurisdiction: f.Jurisdiction}
	if err == nil {
		err = s.cfg.Orgs.CreateOrg(r.Context(), o)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		s.render(w, r, code, "org", orgPage{Form: f, Types: atip.OrgTypes, Errors: fields, CanEdit: true, Places: s.suggest(f.Jurisdiction)})
		return nil
	}
	http.Redirect(w, r, "/orgs/"+url.PathEscape(o.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) suggest(prefix string) []Place {
	if s.cfg.Places == nil || prefix == "" {
		return nil
	}
	return s.cfg.Places.FindPlaces(prefix, 10)
}

func (s *Server) orgPageFor(r *http.Request, o *atip.Org) orgPage {
	a := stateOf(r).actor
	return orgPage{
		Org:         o,
		Form:        orgForm{Name: o.Name, Type: o.Type, Jurisdiction: o.Jurisdiction, Disabled: o.Disabled},
		Types:       atip.OrgTypes,
		Place:       s.placeName(o.Jurisdiction),
		CanEdit:     policy.Can(a, policy.OrgUpdate, o.ID),
		CanDisable:  policy.Can(a, policy.OrgCreate, ""),
		CanSecurity: policy.Can(a, policy.SettingsEdit, o.ID),
		CanUsers:    policy.Can(a, policy.UserView, o.ID),
	}
}

func (s *Server) orgShow(w http.ResponseWriter, r *http.Request) error {
	o, err := s.cfg.Orgs.FindOrgByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := s.orgPageFor(r, o)
	page.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "org", page)
	return nil
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	a := stateOf(r).actor
	if !policy.Can(a, policy.OrgUpdate, id) {
		return atip.Errorf(atip.EFORBIDDEN, "you may not change this organisation")
	}
	o, err := s.cfg.Orgs.FindOrgByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	f, err := parseOrgForm(r.PostForm)
	if err == nil {
		err = s.resolvePlace(&f)
	}
	if err == nil {
		upd := atip.OrgUpdate{Name: &f.Name, Type: &f.Type, Jurisdiction: &f.Jurisdiction}
		if policy.Can(a, policy.OrgCreate, "") {
			upd.Disabled = &f.Disabled
		}
		_, err = s.cfg.Orgs.UpdateOrg(r.Context(), id, upd)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		page := s.orgPageFor(r, o)
		page.Form, page.Errors, page.Places = f, fields, s.suggest(f.Jurisdiction)
		s.render(w, r, code, "org", page)
		return nil
	}
	http.Redirect(w, r, "/orgs/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	return nil
}

type securityPage struct {
	Org      *atip.Org
	Roles    []atip.Role
	Required []atip.Role
	Errors   map[string]string
	Saved    bool
}

func (s *Server) orgSecurity(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !policy.Can(stateOf(r).actor, policy.SettingsEdit, id) {
		return atip.Errorf(atip.EFORBIDDEN, "you may not change this organisation's settings")
	}
	o, err := s.cfg.Orgs.FindOrgByID(r.Context(), id)
	if err != nil {
		return err
	}
	req, err := s.cfg.Auth.TOTPRequiredRoles(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "security", securityPage{Org: o, Roles: atip.Roles, Required: req, Saved: r.URL.Query().Get("saved") == "1"})
	return nil
}

func (s *Server) orgSecuritySave(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !policy.Can(stateOf(r).actor, policy.SettingsEdit, id) {
		return atip.Errorf(atip.EFORBIDDEN, "you may not change this organisation's settings")
	}
	o, err := s.cfg.Orgs.FindOrgByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	roles, err := parseRoles(r.PostForm, "roles")
	if err == nil {
		err = s.cfg.Auth.SetTOTPRequiredRoles(r.Context(), id, roles)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		s.render(w, r, code, "security", securityPage{Org: o, Roles: atip.Roles, Required: roles, Errors: fields})
		return nil
	}
	http.Redirect(w, r, "/orgs/"+url.PathEscape(id)+"/security?saved=1", http.StatusSeeOther)
	return nil
}

// placeSearch answers the jurisdiction picker as the user types (htmx).
func (s *Server) placeSearch(w http.ResponseWriter, r *http.Request) error {
	q := field(r.URL.Query(), "jurisdiction")
	if q == "" {
		q = field(r.URL.Query(), "q")
	}
	s.renderBlock(w, r, http.StatusOK, "org", "places", orgPage{Places: s.suggest(q)})
	return nil
}
