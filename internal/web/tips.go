package web

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"atip"
	"atip/internal/policy"
)

// The analyst's side of tips: the triage queue, a tip's page with its
// indicators highlighted, the actions of triage, and the network page.
// Every handler goes through the tip service, which checks the policy
// again and audits each view of a tip's text.

type tipRow struct {
	Tip        *atip.Tip
	Score      string
	High       bool
	Received   string
	Indicators []string
}

type tipListPage struct {
	Statuses  []atip.TipStatus
	Status    string
	MinScore  string
	Platform  string
	Rows      []tipRow
	NextURL   string
	CanCreate bool
}

func scoreText(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// labels returns the distinct indicator labels of a tip, in text order.
func labels(inds []atip.TipIndicator, max int) []string {
	var out []string
	seen := map[string]bool{}
	for _, in := range inds {
		if !seen[in.Label] && len(out) < max {
			seen[in.Label] = true
			out = append(out, in.Label)
		}
	}
	return out
}

func (s *Server) tipList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page := tipListPage{Statuses: atip.TipStatuses, Status: field(q, "status"), MinScore: field(q, "min"), Platform: strings.ToLower(field(q, "platform")),
		CanCreate: policy.CanSome(stateOf(r).actor, policy.TipCreate)}
	f := atip.TipFilter{Status: atip.TipStatus(page.Status), Platform: page.Platform, After: field(q, "after"), Limit: pageSize}
	if !f.Status.Valid() {
		f.Status, page.Status = "", ""
	}
	if v, err := strconv.ParseFloat(page.MinScore, 64); err == nil && v >= 0 && v <= 1 && !math.IsNaN(v) {
		f.MinScore = v
	} else {
		page.MinScore = ""
	}
	if len(f.Platform) > 50 {
		f.Platform, page.Platform = "", ""
	}
	list, next, err := s.cfg.Tips.FindTips(r.Context(), f)
	if err != nil {
		return err
	}
	loc := zoneFor(stateOf(r).actor)
	for _, t := range list {
		page.Rows = append(page.Rows, tipRow{Tip: t, Score: scoreText(t.Score), High: t.Score >= 0.5,
			Received: t.ReceivedAt.In(loc).Format("2006-01-02 15:04"), Indicators: labels(t.Indicators, 4)})
	}
	if next != "" {
		page.NextURL = "/tips?" + url.Values{"status": {page.Status}, "min": {page.MinScore}, "platform": {page.Platform}, "after": {next}}.Encode()
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "results" {
		s.renderBlock(w, r, http.StatusOK, "tips", "results", page)
		return nil
	}
	s.render(w, r, http.StatusOK, "tips", page)
	return nil
}

type explainRow struct {
	Term    string
	LogOdds string
	Up      bool
}

type tipPage struct {
	Tip        *atip.Tip
	Score      string
	High       bool
	Segments   []segment
	Legend     []string // selector types present in the text, for the legend
	Sels       []selView
	CaseLinks  []caseLinkView
	CanLink    bool                 // the link form is offered
	LinkChoice *atip.CaseLinkChoice // the case found in the link form's first step
	Explain    []explainRow
	Actions    []*atip.TipAction
	Received   string
	Posted     string
	Merged     string
	Assignee   string
	Colleagues []*atip.User
	Kinds      []atip.TipActionKind
	CanTriage  bool
	Saved      bool
	Errors     map[string]string
	Form       url.Values
}

func (s *Server) tipPageFor(r *http.Request, id string) (*tipPage, error) {
	ctx := r.Context()
	t, err := s.cfg.Tips.FindTipByID(ctx, id)
	if err != nil {
		return nil, err
	}
	acts, err := s.cfg.Tips.FindTipActions(ctx, id)
	if err != nil {
		return nil, err
	}
	a := stateOf(r).actor
	loc := zoneFor(a)
	p := &tipPage{Tip: t, Score: scoreText(t.Score), High: t.Score >= 0.5, Segments: highlight(t.Text, t.Indicators, t.Selectors), Legend: legendOf(t),
		Actions: acts, Received: t.ReceivedAt.In(loc).Format("2006-01-02 15:04"), Kinds: atip.TipActionKinds,
		CanTriage: policy.Can(a, policy.TipTriage, t.OrgID), Form: url.Values{}}
	if !t.PostedAt.IsZero() {
		p.Posted = t.PostedAt.In(loc).Format("2006-01-02 15:04")
	}
	ex := append([]atip.TipContribution(nil), t.Explain...)
	sort.SliceStable(ex, func(i, j int) bool { return math.Abs(ex[i].LogOdds) > math.Abs(ex[j].LogOdds) })
	for _, c := range ex {
		if c.LogOdds == 0 {
			continue
		}
		p.Explain = append(p.Explain, explainRow{Term: c.Term, LogOdds: strconv.FormatFloat(c.LogOdds, 'f', 2, 64), Up: c.LogOdds > 0})
	}
	if p.CanTriage {
		// Colleagues to assign to, when the role may list them; otherwise
		// only "assign to me" is offered.
		if us, _, err := s.cfg.Users.FindUsers(ctx, atip.UserFilter{OrgID: t.OrgID, Limit: 100}); err == nil {
			for _, u := range us {
				if !u.Disabled && policy.Can(&atip.Actor{User: u}, policy.TipTriage, t.OrgID) {
					p.Colleagues = append(p.Colleagues, u)
				}
			}
		}
	}
	if t.AssignedTo != "" {
		p.Assignee = t.AssignedTo
		if a.User != nil && a.User.ID == t.AssignedTo {
			p.Assignee = a.User.Name
		} else if u, err := s.cfg.Users.FindUserByID(ctx, t.AssignedTo); err == nil {
			p.Assignee = u.Name
		}
	}
	p.Merged = t.MergedInto
	seen := map[string]bool{}
	for _, sel := range t.Selectors {
		if k := sel.Type + ":" + sel.Normalized; !seen[k] {
			seen[k] = true
			p.Sels = append(p.Sels, selView{TipSelector: sel, Href: selectorHref(sel.Type, sel.Normalized)})
		}
	}
	if err := s.addCaseLinks(r, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) tipShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.tipPageFor(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	p.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "tips_show", p)
	return nil
}

// tipTriage runs one triage change from a form on the tip page, then
// returns to the page; bad input shows the page again with the message.
func (s *Server) tipTriage(change func(r *http.Request, id string) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		if err := r.ParseForm(); err != nil {
			return parseError(err)
		}
		err := change(r, id)
		if err == nil {
			http.Redirect(w, r, "/tips/"+url.PathEscape(id)+"?saved=1", http.StatusSeeOther)
			return nil
		}
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		p, perr := s.tipPageFor(r, id)
		if perr != nil {
			return perr
		}
		p.Errors, p.Form = fields, r.PostForm
		s.render(w, r, code, "tips_show", p)
		return nil
	}
}

func (s *Server) tipAssign(r *http.Request, id string) error {
	to := field(r.PostForm, "user")
	if to == "" || to == "me" {
		to = stateOf(r).actor.UserID()
	}
	return s.cfg.Tips.AssignTip(r.Context(), id, to)
}

func (s *Server) tipFeedback(r *http.Request, id string) error {
	switch field(r.PostForm, "relevant") {
	case "yes":
		return s.cfg.Tips.SetTipFeedback(r.Context(), id, true)
	case "no":
		return s.cfg.Tips.SetTipFeedback(r.Context(), id, false)
	}
	return &atip.Error{Code: atip.EINVALID, Message: "choose relevant or not relevant", Fields: []atip.FieldError{{Field: "relevant", Message: "choose relevant or not relevant"}}}
}

func (s *Server) tipAction(r *http.Request, id string) error {
	return s.cfg.Tips.AddTipAction(r.Context(), &atip.TipAction{TipID: id, Kind: atip.TipActionKind(field(r.PostForm, "kind")),
		Reference: field(r.PostForm, "reference"), Note: field(r.PostForm, "note")})
}

func (s *Server) tipMerge(r *http.Request, id string) error {
	return s.cfg.Tips.MergeTip(r.Context(), id, field(r.PostForm, "into"))
}

func (s *Server) tipDismiss(r *http.Request, id string) error {
	return s.cfg.Tips.DismissTip(r.Context(), id)
}

type networkMember struct {
	Tip        *atip.Tip
	Score      string
	Received   string
	Posted     string
	Indicators []string
	Root       bool
}

type networkPage struct {
	Root    *atip.Tip
	Members []networkMember
	Links   []atip.TipLink
	Refs    map[string]string
	Graph   string // tipGraph as JSON, for the page's script (an escaped attribute, not inline script)
	// Selector is set on a selector's network page.
	Selector *selLink
	// Cases are the cases linked to the members' selectors that the
	// viewer may see: reference and marking only.
	Cases []networkCase
	// Records are the persons and cases of the platform holding the
	// members' selectors (matched by deconfliction token).
	Records []networkRecord
}

func (s *Server) tipNetwork(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	n, err := s.cfg.Tips.TipNetwork(r.Context(), id)
	if err != nil {
		return err
	}
	roots := map[string]bool{id: true}
	p, err := s.networkPageOf(r, n, roots)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "tips_network", p)
	return nil
}

func memberTime(m networkMember) string {
	if !m.Tip.PostedAt.IsZero() {
		return m.Tip.PostedAt.UTC().Format("2006-01-02T15:04:05.000000")
	}
	return m.Tip.ReceivedAt.UTC().Format("2006-01-02T15:04:05.000000")
}

// tipGraph is what the network graph draws: nodes are tips (labelled by
// reference, not by text), edges the shared selectors or near-duplicate texts.
type tipGraph struct {
	Nodes []graphNode `json:"nodes"`
	Edges []graphEdge `json:"edges"`
}

type graphNode struct {
	ID    string  `json:"id"`
	Label string  `json:"label"`
	Score float64 `json:"score"`
	Root  bool    `json:"root"`
	Href  string  `json:"href"`
	Kind  string  `json:"kind,omitempty"` // "case" for a linked case; a tip otherwise
	TLP   string  `json:"tlp,omitempty"`
}

type graphEdge struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Reason string `json:"reason"`
}

func graphOf(n *atip.TipNetwork, roots map[string]bool, cases []*atip.SelectorCaseLink) tipGraph {
	g := tipGraph{Nodes: []graphNode{}, Edges: []graphEdge{}}
	for _, t := range n.Tips {
		g.Nodes = append(g.Nodes, graphNode{ID: t.ID, Label: t.Ref, Score: t.Score, Root: roots[t.ID], Href: "/tips/" + url.PathEscape(t.ID)})
	}
	for _, l := range n.Links {
		g.Edges = append(g.Edges, graphEdge{Source: l.A, Target: l.B, Reason: l.Reason})
	}
	addCaseNodes(&g, cases)
	return g
}

// tipNetworkJSON serves the graph alone, for other tools; the network page
// carries the same graph in its markup, so a page view computes the
// network (and audits the look) once.
func (s *Server) tipNetworkJSON(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	n, err := s.cfg.Tips.TipNetwork(r.Context(), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	cases, err := s.networkCases(r, n)
	if err != nil {
		return err
	}
	return json.NewEncoder(w).Encode(graphOf(n, map[string]bool{id: true}, cases))
}
