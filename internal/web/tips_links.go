package web

import (
	"net/http"
	"net/url"
	"strings"

	"atip"
	"atip/internal/policy"
	"atip/internal/redact"
)

// Linking a selector seen in a tip to a case and one of its suspects, in
// two steps that need no script: the analyst picks the selector and types
// the case's reference; the page then offers the case's suspects (or the
// case alone) and the link is made.

func init() { routeAreas = append(routeAreas, (*Server).tipLinkRoutes) }

func (s *Server) tipLinkRoutes() []route {
	return []route{
		{pattern: "POST /tips/{id}/links", action: policy.TipTriage, handle: s.tipLink},
	}
}

// caseLinkView is a link of one of the tip's selectors to a case, as the
// tip page lists it: the case by reference and marking only.
type caseLinkView struct {
	CaseRef    string
	TLP        atip.TLP
	Type       string
	Normalized string
	SuspectRef string
}

// caseLinks returns the tip service's case-link side, if it has one.
func (s *Server) caseLinks() (atip.TipCaseLinkService, bool) {
	cl, ok := s.cfg.Tips.(atip.TipCaseLinkService)
	return cl, ok
}

// addCaseLinks fills the tip page's linked cases and whether it offers the
// link form.
func (s *Server) addCaseLinks(r *http.Request, p *tipPage) error {
	cl, ok := s.caseLinks()
	if !ok {
		return nil
	}
	p.CanLink = p.CanTriage && len(p.Sels) > 0
	links, err := cl.SelectorCaseLinks(r.Context(), []string{p.Tip.ID})
	if err != nil {
		return err
	}
	for _, l := range links {
		v := caseLinkView{CaseRef: l.CaseRef, TLP: l.CaseTLP, Type: l.Type, Normalized: l.Normalized}
		if l.SuspectID != "" {
			v.SuspectRef = redact.Ref(atip.RecordRef{Type: atip.RecordPerson, ID: l.SuspectID})
		}
		p.CaseLinks = append(p.CaseLinks, v)
	}
	return nil
}

func (s *Server) tipLink(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	cl, ok := s.caseLinks()
	if !ok {
		return atip.Errorf(atip.ENOTFOUND, "linking to cases is not available")
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	v := r.PostForm
	typ, norm, _ := strings.Cut(field(v, "selector"), ":")
	caseRef := field(v, "case")
	var err error
	var choice *atip.CaseLinkChoice
	if field(v, "step") == "find" {
		choice, err = cl.CaseForLink(r.Context(), caseRef)
	} else {
		err = cl.LinkSelectorToCase(r.Context(), &atip.SelectorCaseLink{TipID: id, Type: typ, Normalized: norm,
			CaseRef: caseRef, SuspectID: field(v, "suspect")})
		if err == nil {
			http.Redirect(w, r, "/tips/"+url.PathEscape(id)+"?saved=1#case-links", http.StatusSeeOther)
			return nil
		}
	}
	code, fields := http.StatusOK, map[string]string(nil)
	if err != nil {
		var ok bool
		switch code, fields, ok = formError(err); {
		case ok:
		case atip.ErrorCode(err) == atip.ENOTFOUND:
			// The tip itself is checked again below; a case that is not
			// the organisation's is not found, said on its field.
			code, fields = http.StatusNotFound, map[string]string{"case": "tips.case_not_found"}
		default:
			return err
		}
	}
	p, perr := s.tipPageFor(r, id)
	if perr != nil {
		return perr
	}
	p.Errors, p.Form, p.LinkChoice = fields, v, choice
	s.render(w, r, code, "tips_show", p)
	return nil
}
