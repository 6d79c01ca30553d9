package web

import (
	"crypto/rand"
	"net/http"
	"net/url"

	"atip"
	"atip/internal/policy"
)

// otherOrg is an organisation id no user belongs to: asking the policy about
// it tells whether a permission reaches beyond the user's own organisation.
const otherOrg = "\x00another-organisation"

func reachesAllOrgs(a *atip.Actor, action policy.Action) bool {
	return policy.Can(a, action, otherOrg)
}

type userRow struct {
	User    *atip.User
	OrgName string
}

type userListPage struct {
	Query     string
	Role      string
	OrgID     string
	Roles     []atip.Role
	Orgs      []*atip.Org // for the filter; empty when the viewer sees one organisation
	Rows      []userRow
	NextURL   string
	CanCreate bool
}

// orgChoices lists organisations for a picker. Pickers show the first
// maxChoices; beyond that an admin filters the organisations page first.
const maxChoices = 500

func (s *Server) orgChoices(r *http.Request) ([]*atip.Org, error) {
	orgs, _, err := s.cfg.Orgs.FindOrgs(r.Context(), atip.OrgFilter{Limit: maxChoices})
	return orgs, err
}

func (s *Server) orgNames(r *http.Request, ids map[string]bool) map[string]string {
	names := map[string]string{}
	for id := range ids {
		if id == "" {
			continue
		}
		if o, err := s.cfg.Orgs.FindOrgByID(r.Context(), id); err == nil {
			names[id] = o.Name
		}
	}
	return names
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	a := stateOf(r).actor
	q := r.URL.Query()
	f := atip.UserFilter{OrgID: field(q, "org"), Role: atip.Role(field(q, "role")), Query: field(q, "q"), After: field(q, "after"), Limit: pageSize}
	if f.Role != "" && !f.Role.Valid() {
		f.Role = ""
	}
	all := reachesAllOrgs(a, policy.UserView)
	if !all {
		f.OrgID = a.User.OrgID
	}
	users, next, err := s.cfg.Users.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	page := userListPage{Query: f.Query, Role: string(f.Role), OrgID: f.OrgID, Roles: atip.Roles, CanCreate: policy.CanSome(a, policy.UserCreate)}
	if all {
		if page.Orgs, err = s.orgChoices(r); err != nil {
			return err
		}
	}
	ids := map[string]bool{}
	for _, u := range users {
		ids[u.OrgID] = true
	}
	names := s.orgNames(r, ids)
	for _, u := range users {
		page.Rows = append(page.Rows, userRow{User: u, OrgName: names[u.OrgID]})
	}
	if next != "" {
		v := url.Values{"q": {f.Query}, "role": {page.Role}, "after": {next}}
		if all {
			v.Set("org", f.OrgID)
		}
		page.NextURL = "/users?" + v.Encode()
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "results" {
		s.renderBlock(w, r, http.StatusOK, "users", "results", page)
		return nil
	}
	s.render(w, r, http.StatusOK, "users", page)
	return nil
}

type userPage struct {
	User      *atip.User // nil when new
	OrgName   string
	Form      userForm
	Orgs      []*atip.Org
	Roles     []atip.Role
	Langs     []string
	Errors    map[string]string
	CanEdit   bool
	CanReset  bool
	Saved     bool
	Password  string // a new password, shown once after a reset
	ChooseOrg bool
	Self      bool // the page is the viewer's own: no disabling oneself
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request) error {
	a := stateOf(r).actor
	page := userPage{Roles: atip.Roles, Langs: atip.Languages, CanEdit: true, Form: userForm{Lang: "en", OrgID: r.URL.Query().Get("org")}}
	if reachesAllOrgs(a, policy.UserCreate) {
		page.ChooseOrg = true
		var err error
		if page.Orgs, err = s.orgChoices(r); err != nil {
			return err
		}
	} else {
		page.Form.OrgID, page.OrgName = a.Org.ID, a.Org.Name
	}
	s.render(w, r, http.StatusOK, "user", page)
	return nil
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	a := stateOf(r).actor
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	f, err := parseUserForm(r.PostForm, true)
	all := reachesAllOrgs(a, policy.UserCreate)
	if !all {
		f.OrgID = a.User.OrgID
	}
	if err == nil && !policy.Can(a, policy.UserCreate, f.OrgID) {
		return atip.Errorf(atip.EFORBIDDEN, "you may not add users to this organisation")
	}
	u := &atip.User{OrgID: f.OrgID, Login: f.Login, Name: f.Name, Roles: f.Roles, Lang: f.Lang}
	if err == nil {
		err = s.cfg.Users.CreateUser(r.Context(), u, f.Password)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		f.Password = ""
		page := userPage{Form: f, Roles: atip.Roles, Langs: atip.Languages, Errors: fields, CanEdit: true, ChooseOrg: all}
		if all {
			if page.Orgs, err = s.orgChoices(r); err != nil {
				return err
			}
		} else {
			page.OrgName = a.Org.Name
		}
		s.render(w, r, code, "user", page)
		return nil
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) userPageFor(r *http.Request, u *atip.User) userPage {
	a := stateOf(r).actor
	page := userPage{
		User: u, Roles: atip.Roles, Langs: atip.Languages,
		Form:     userForm{Login: u.Login, Name: u.Name, OrgID: u.OrgID, Roles: u.Roles, Lang: u.Lang},
		CanEdit:  policy.Can(a, policy.UserUpdate, u.OrgID),
		CanReset: policy.Can(a, policy.UserResetPass, u.OrgID),
		Self:     a.User != nil && a.User.ID == u.ID,
	}
	if o, err := s.cfg.Orgs.FindOrgByID(r.Context(), u.OrgID); err == nil {
		page.OrgName = o.Name
	}
	return page
}

// findUser returns the user of the path when the actor may see them; a user
// of an organisation out of reach is "not found", not "forbidden", so that
// ids cannot be probed.
func (s *Server) findUser(r *http.Request, action policy.Action) (*atip.User, error) {
	u, err := s.cfg.Users.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !policy.Can(stateOf(r).actor, action, u.OrgID) {
		return nil, atip.Errorf(atip.ENOTFOUND, "user not found")
	}
	return u, nil
}

func (s *Server) userShow(w http.ResponseWriter, r *http.Request) error {
	u, err := s.findUser(r, policy.UserView)
	if err != nil {
		return err
	}
	page := s.userPageFor(r, u)
	page.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "user", page)
	return nil
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	u, err := s.findUser(r, policy.UserUpdate)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	f, err := parseUserForm(r.PostForm, false)
	if err == nil {
		_, err = s.cfg.Users.UpdateUser(r.Context(), u.ID, atip.UserUpdate{Name: &f.Name, Roles: &f.Roles, Lang: &f.Lang})
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		page := s.userPageFor(r, u)
		f.Login, f.OrgID = u.Login, u.OrgID
		page.Form, page.Errors = f, fields
		s.render(w, r, code, "user", page)
		return nil
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	u, err := s.findUser(r, policy.UserUpdate)
	if err != nil {
		return err
	}
	if u.ID == stateOf(r).user.ID && disabled {
		return &atip.Error{Code: atip.EINVALID, Message: "you cannot disable yourself"}
	}
	if _, err := s.cfg.Users.UpdateUser(r.Context(), u.ID, atip.UserUpdate{Disabled: &disabled}); err != nil {
		return err
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, true)
}

func (s *Server) userEnable(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, false)
}

// userResetPassword gives the user a new random password, shown once to
// the admin, who hands it over; the service ends the user's sessions.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.findUser(r, policy.UserResetPass)
	if err != nil {
		return err
	}
	password := rand.Text()
	if err := s.cfg.Users.SetPassword(r.Context(), u.ID, password); err != nil {
		return err
	}
	page := s.userPageFor(r, u)
	page.Password = password
	s.render(w, r, http.StatusOK, "user", page)
	return nil
}
