package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
	"atip/internal/policy"
)

// The sharing-group pages: the groups of the user's organisation and its
// invitations, a group with its agreement and members, and the forms that
// create, invite, answer, leave and renew. Who may do what is the group
// service's (and so the policy's) decision; these handlers only offer the
// buttons the policy would allow and pass the answers on.

// groupRow is a group as the list shows it.
type groupRow struct {
	Group    *atip.SharingGroup
	Owner    string // the name of the organisation that runs it
	Expires  string
	Expired  bool
	Accepted int // accepted members, the owner included
}

type groupListPage struct {
	Invitations []groupRow
	Groups      []groupRow
	CanCreate   bool
}

// orgNames looks organisation names up once per page.
type orgNames struct {
	s     *Server
	r     *http.Request
	names map[string]string
}

func (n *orgNames) name(id string) string {
	if v, ok := n.names[id]; ok {
		return v
	}
	v := id
	if o, err := n.s.cfg.Orgs.FindOrgByID(n.r.Context(), id); err == nil {
		v = o.Name
	}
	if n.names == nil {
		n.names = map[string]string{}
	}
	n.names[id] = v
	return v
}

// groupDate shows a time as a date in the actor's zone.
func groupDate(r *http.Request, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zoneFor(stateOf(r).actor)).Format("2006-01-02")
}

func (s *Server) groupsService() (atip.GroupService, error) {
	if s.cfg.Groups == nil {
		return nil, atip.Errorf(atip.ENOTFOUND, "page not found")
	}
	return s.cfg.Groups, nil
}

func (s *Server) groupList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.groupsService()
	if err != nil {
		return err
	}
	gs, err := svc.FindGroups(r.Context())
	if err != nil {
		return err
	}
	a := stateOf(r).actor
	page := groupListPage{}
	if a.User != nil {
		page.CanCreate = policy.Can(a, policy.GroupManage, a.User.OrgID)
	}
	names := &orgNames{s: s, r: r}
	now := time.Now()
	for _, g := range gs {
		row := groupRow{Group: g, Owner: names.name(g.OwnerOrgID), Expires: groupDate(r, g.ExpiresAt), Expired: !now.Before(g.ExpiresAt)}
		for _, m := range g.Members {
			if m.Status == atip.MemberAccepted {
				row.Accepted++
			}
		}
		if m := g.Member(a.User.OrgID); m != nil && m.Status == atip.MemberInvited {
			page.Invitations = append(page.Invitations, row)
		} else {
			page.Groups = append(page.Groups, row)
		}
	}
	s.render(w, r, http.StatusOK, "groups", page)
	return nil
}

// groupForm is the new-group form as typed.
type groupForm struct {
	Name, Purpose, Agreement, Expires string
}

type groupNewPage struct {
	Form   groupForm
	Errors map[string]string
	Min    string
	Max    string
}

func (s *Server) groupNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.groupsService(); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "groups_new", s.groupNewPage(r, groupForm{Expires: groupDate(r, time.Now().AddDate(1, 0, 0))}, nil))
	return nil
}

func (s *Server) groupNewPage(r *http.Request, f groupForm, errs map[string]string) groupNewPage {
	now := time.Now()
	return groupNewPage{Form: f, Errors: errs, Min: groupDate(r, now.AddDate(0, 0, 1)), Max: groupDate(r, now.Add(policy.GroupMaxDuration))}
}

// maxAgreement is the longest agreement text the form accepts, in bytes;
// the service limits it in characters as well.
const maxAgreement = 200 << 10

// parseExpiry reads a date (YYYY-MM-DD) as the end of that day in loc, the
// actor's zone: a group "until 31 March" runs through 31 March.
func parseExpiry(loc *time.Location, inv *atip.Invalid, name, value string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", value, loc)
	if err != nil || d.Year() < 2000 || d.Year() > 9000 {
		inv.Add(name, "give a date as YYYY-MM-DD")
		return time.Time{}
	}
	return d.AddDate(0, 0, 1)
}

// groupErrors maps the service's field names to the form's.
func groupErrors(fields map[string]string) map[string]string {
	if v, ok := fields["days"]; ok { // expires_at, renamed for the token form
		fields["expires"] = v
	}
	if v, ok := fields["org_ids"]; ok {
		fields["orgs"] = v
	}
	return fields
}

func (s *Server) groupCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.groupsService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	f := groupForm{Name: field(r.PostForm, "name"), Purpose: field(r.PostForm, "purpose"),
		Agreement: strings.TrimSpace(r.PostForm.Get("agreement")), Expires: field(r.PostForm, "expires")}
	var inv atip.Invalid
	checkLen(&inv, "name", f.Name, true)
	if len(f.Agreement) > maxAgreement || !utf8.ValidString(f.Agreement) || !utf8.ValidString(f.Purpose) {
		inv.Add("agreement", "is too long or not valid text")
	}
	expires := parseExpiry(zoneFor(stateOf(r).actor), &inv, "expires", f.Expires)
	err = inv.Err()
	g := &atip.SharingGroup{Name: f.Name, Purpose: f.Purpose, Agreement: f.Agreement, ExpiresAt: expires}
	if err == nil {
		err = svc.CreateGroup(r.Context(), g)
	}
	if err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		s.render(w, r, code, "groups_new", s.groupNewPage(r, f, groupErrors(fields)))
		return nil
	}
	http.Redirect(w, r, "/groups/"+url.PathEscape(g.ID)+"?saved=1", http.StatusSeeOther)
	return nil
}

// memberRow is a member as the group page shows it.
type memberRow struct {
	OrgID, Name string
	Status      atip.MemberStatus
	Invited     string
	Answered    string
	Owner       bool
}

type groupPage struct {
	Group      *atip.SharingGroup
	Owner      string
	Agreement  []string // paragraphs
	Expires    string
	Expired    bool
	Members    []memberRow
	MyStatus   atip.MemberStatus
	IsOwner    bool
	CanManage  bool // an admin of the actor's organisation
	CanAnswer  bool // invited, and an admin
	CanLeave   bool // an accepted member other than the owner, and an admin
	Query      string
	Candidates []*atip.Org // organisations the owner may invite, matching Query
	Errors     map[string]string
	Saved      bool
}

func (s *Server) groupPageFor(r *http.Request, g *atip.SharingGroup, query string) groupPage {
	a := stateOf(r).actor
	names := &orgNames{s: s, r: r}
	p := groupPage{Group: g, Owner: names.name(g.OwnerOrgID), Expires: groupDate(r, g.ExpiresAt),
		Expired: !time.Now().Before(g.ExpiresAt), Query: query}
	for _, para := range strings.Split(g.Agreement, "\n") {
		if para = strings.TrimSpace(para); para != "" {
			p.Agreement = append(p.Agreement, para)
		}
	}
	for _, m := range g.Members {
		p.Members = append(p.Members, memberRow{OrgID: m.OrgID, Name: names.name(m.OrgID), Status: m.Status,
			Invited: groupDate(r, m.InvitedAt), Answered: groupDate(r, m.AnsweredAt), Owner: m.OrgID == g.OwnerOrgID})
	}
	if a.User == nil {
		return p
	}
	org := a.User.OrgID
	if m := g.Member(org); m != nil {
		p.MyStatus = m.Status
	}
	p.IsOwner = g.OwnerOrgID == org
	p.CanManage = policy.Can(a, policy.GroupManage, org)
	p.CanAnswer = p.CanManage && p.MyStatus == atip.MemberInvited && !p.Expired
	p.CanLeave = p.CanManage && p.MyStatus == atip.MemberAccepted && !p.IsOwner
	if p.IsOwner && p.CanManage && !p.Expired {
		orgs, _, err := s.cfg.Orgs.FindOrgs(r.Context(), atip.OrgFilter{Query: query, Limit: pageSize})
		if err == nil {
			for _, o := range orgs {
				if m := g.Member(o.ID); o.Disabled || m != nil && (m.Status == atip.MemberInvited || m.Status == atip.MemberAccepted) {
					continue
				}
				p.Candidates = append(p.Candidates, o)
			}
		}
	}
	return p
}

func (s *Server) groupShow(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.groupsService()
	if err != nil {
		return err
	}
	g, err := svc.FindGroupByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := s.groupPageFor(r, g, field(r.URL.Query(), "q"))
	page.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "groups_show", page)
	return nil
}

// groupChange runs a change from the group page and shows the page again
// with the service's answer: a redirect when it went through, the page with
// the message when it did not.
func (s *Server) groupChange(w http.ResponseWriter, r *http.Request, change func(svc atip.GroupService, id string) error) error {
	svc, err := s.groupsService()
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	if err := change(svc, id); err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		g, gerr := svc.FindGroupByID(r.Context(), id)
		if gerr != nil {
			return gerr
		}
		page := s.groupPageFor(r, g, field(r.PostForm, "q"))
		page.Errors = groupErrors(fields)
		s.render(w, r, code, "groups_show", page)
		return nil
	}
	if _, err := svc.FindGroupByID(r.Context(), id); err != nil {
		// Declined or left: the group is gone for this organisation.
		http.Redirect(w, r, "/groups", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/groups/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) groupInvite(w http.ResponseWriter, r *http.Request) error {
	return s.groupChange(w, r, func(svc atip.GroupService, id string) error {
		_, err := svc.InviteOrgs(r.Context(), id, r.PostForm["orgs"])
		return err
	})
}

func (s *Server) groupAnswer(w http.ResponseWriter, r *http.Request) error {
	return s.groupChange(w, r, func(svc atip.GroupService, id string) error {
		_, err := svc.AnswerGroup(r.Context(), id, atip.MemberStatus(field(r.PostForm, "status")))
		return err
	})
}

func (s *Server) groupExpiry(w http.ResponseWriter, r *http.Request) error {
	return s.groupChange(w, r, func(svc atip.GroupService, id string) error {
		var inv atip.Invalid
		t := parseExpiry(zoneFor(stateOf(r).actor), &inv, "expires", field(r.PostForm, "expires"))
		if err := inv.Err(); err != nil {
			return err
		}
		_, err := svc.SetGroupExpiry(r.Context(), id, t)
		return err
	})
}
