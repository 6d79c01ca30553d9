package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"

	"atip"
	"atip/internal/policy"
)

// Pages of the selector side of tips: a selector's network (every tip of
// the organisation that carries it, and the tips reached from them).

func init() { routeAreas = append(routeAreas, (*Server).tipSelectorRoutes) }

func (s *Server) tipSelectorRoutes() []route {
	return []route{
		{pattern: "GET /tips/selector", action: policy.TipView, handle: s.tipSelectorNetwork},
	}
}

// selectorService returns the tip service's selector side, or an error
// when the configured service has none.
func (s *Server) selectorService() (atip.TipSelectorService, error) {
	ss, ok := s.cfg.Tips.(atip.TipSelectorService)
	if !ok {
		return nil, atip.Errorf(atip.ENOTFOUND, "selectors are not available")
	}
	return ss, nil
}

func (s *Server) tipSelectorNetwork(w http.ResponseWriter, r *http.Request) error {
	ss, err := s.selectorService()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	typ, norm := field(q, "type"), field(q, "value")
	n, err := ss.SelectorNetwork(r.Context(), typ, norm)
	if err != nil {
		return err
	}
	// The tips that carry the selector are the graph's roots.
	roots := map[string]bool{}
	for _, t := range n.Tips {
		if tipHasSelector(t, typ, norm) {
			roots[t.ID] = true
		}
	}
	p, err := s.networkPageOf(r, n, roots)
	if err != nil {
		return err
	}
	p.Selector = &selLink{Type: typ, Normalized: norm, Href: selectorHref(typ, norm)}
	s.render(w, r, http.StatusOK, "tips_network", p)
	return nil
}

// tipHasSelector reports whether t (as loaded for a network, without its
// selectors) is one of the tips that carry the selector: networkOf puts
// those first, so the caller marks them; this checks the loaded ones.
func tipHasSelector(t *atip.Tip, typ, norm string) bool {
	for _, s := range t.Selectors {
		if s.Type == typ && s.Normalized == norm {
			return true
		}
	}
	return false
}

// networkPageOf builds a network page of n; roots are the tips the page is
// about (starred in the timeline, ringed in the graph).
func (s *Server) networkPageOf(r *http.Request, n *atip.TipNetwork, roots map[string]bool) (networkPage, error) {
	loc := zoneFor(stateOf(r).actor)
	p := networkPage{Root: n.Tips[0], Links: n.Links, Refs: map[string]string{}}
	for _, t := range n.Tips {
		p.Refs[t.ID] = t.Ref
		m := networkMember{Tip: t, Score: scoreText(t.Score), Received: t.ReceivedAt.In(loc).Format("2006-01-02 15:04"),
			Indicators: labels(t.Indicators, 3), Root: roots[t.ID]}
		if !t.PostedAt.IsZero() {
			m.Posted = t.PostedAt.In(loc).Format("2006-01-02 15:04")
		}
		p.Members = append(p.Members, m)
	}
	// The timeline: when each member was posted (or received).
	sort.SliceStable(p.Members, func(i, j int) bool { return memberTime(p.Members[i]) < memberTime(p.Members[j]) })
	cases, err := s.networkCases(r, n)
	if err != nil {
		return p, err
	}
	p.Cases = casesOf(cases, p.Refs)
	var records []*atip.SelectorRecord
	if rs, ok := s.cfg.Tips.(atip.TipRecordService); ok {
		ids := make([]string, len(n.Tips))
		for i, t := range n.Tips {
			ids[i] = t.ID
		}
		if records, err = rs.SelectorRecords(r.Context(), ids); err != nil {
			return p, err
		}
	}
	p.Records = recordsOf(records, p.Refs)
	g := graphOf(n, roots, cases)
	addRecordNodes(&g, records)
	b, err := json.Marshal(g)
	p.Graph = string(b)
	return p, err
}

// networkRecord is a person or case of the platform holding a member's
// selector, as the network page lists it: a link and marking when the
// viewer may see it, else only the organisation to ask.
type networkRecord struct {
	Href, Ref string
	TLP       atip.TLP
	Org       string
	Types     []string
	Tips      []string
}

func recordsOf(rs []*atip.SelectorRecord, refs map[string]string) []networkRecord {
	var out []networkRecord
	at := map[string]int{}
	for _, r := range rs {
		key := "org:" + r.OrgID // hidden records of one organisation make one row
		if r.Visible {
			key = r.Record.ID
		}
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			nr := networkRecord{Org: r.OrgName}
			if r.Visible {
				nr.Href, nr.Ref, nr.TLP = recordHref(r.Record), r.Ref, r.TLP
			}
			out = append(out, nr)
		}
		c := &out[i]
		if !slices.Contains(c.Types, r.Type) {
			c.Types = append(c.Types, r.Type)
		}
		if ref := refs[r.TipID]; ref != "" && !slices.Contains(c.Tips, ref) {
			c.Tips = append(c.Tips, ref)
		}
	}
	return out
}

// recordHref is the page of a person, case, interception or missing report.
func recordHref(r atip.RecordRef) string {
	switch r.Type {
	case atip.RecordCase:
		return "/cases/" + url.PathEscape(r.ID)
	case atip.RecordInterception:
		return "/interceptions/" + url.PathEscape(r.ID)
	case atip.RecordMissing:
		return "/missing/" + url.PathEscape(r.ID)
	}
	return "/persons/" + url.PathEscape(r.ID)
}

// addRecordNodes adds the visible records to the graph, each linked to the
// tips whose selectors it holds.
func addRecordNodes(g *tipGraph, rs []*atip.SelectorRecord) {
	seen, edge := map[string]bool{}, map[string]bool{}
	for _, r := range rs {
		if !r.Visible {
			continue
		}
		node := "record:" + r.Record.ID
		if !seen[node] {
			seen[node] = true
			g.Nodes = append(g.Nodes, graphNode{ID: node, Label: r.Ref + " · TLP:" + string(r.TLP), Kind: "case", TLP: string(r.TLP), Href: recordHref(r.Record)})
		}
		if k := r.TipID + "\x00" + node; !edge[k] {
			edge[k] = true
			g.Edges = append(g.Edges, graphEdge{Source: r.TipID, Target: node, Reason: "record:" + r.Type})
		}
	}
}

// networkCases returns the links of the network's selectors to cases the
// viewer may see (none when the tip service cannot link).
func (s *Server) networkCases(r *http.Request, n *atip.TipNetwork) ([]*atip.SelectorCaseLink, error) {
	cl, ok := s.caseLinks()
	if !ok {
		return nil, nil
	}
	ids := make([]string, len(n.Tips))
	for i, t := range n.Tips {
		ids[i] = t.ID
	}
	return cl.SelectorCaseLinks(r.Context(), ids)
}

// networkCase is a linked case as the network page lists it.
type networkCase struct {
	Ref   string
	TLP   atip.TLP
	Types []string // the linked selectors' types
	Tips  []string // references of the member tips that carry them
}

func casesOf(links []*atip.SelectorCaseLink, refs map[string]string) []networkCase {
	var out []networkCase
	at := map[string]int{}
	for _, l := range links {
		i, ok := at[l.CaseID]
		if !ok {
			i = len(out)
			at[l.CaseID] = i
			out = append(out, networkCase{Ref: l.CaseRef, TLP: l.CaseTLP})
		}
		c := &out[i]
		if !slices.Contains(c.Types, l.Type) {
			c.Types = append(c.Types, l.Type)
		}
		if ref := refs[l.TipID]; ref != "" && !slices.Contains(c.Tips, ref) {
			c.Tips = append(c.Tips, ref)
		}
	}
	return out
}

// addCaseNodes adds the linked cases to a graph: one node per case,
// labelled by its reference and marking only, joined to each member tip
// that carries a linked selector.
func addCaseNodes(g *tipGraph, links []*atip.SelectorCaseLink) {
	seen := map[string]bool{}
	edge := map[string]bool{}
	for _, l := range links {
		node := "case:" + l.CaseID
		if !seen[node] {
			seen[node] = true
			g.Nodes = append(g.Nodes, graphNode{ID: node, Label: l.CaseRef + " · TLP:" + string(l.CaseTLP), Kind: "case", TLP: string(l.CaseTLP), Href: "/cases/" + url.PathEscape(l.CaseID)})
		}
		if k := l.TipID + "\x00" + node; !edge[k] {
			edge[k] = true
			g.Edges = append(g.Edges, graphEdge{Source: l.TipID, Target: node, Reason: "case:" + l.Type})
		}
	}
}
