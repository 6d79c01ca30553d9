// Package sop turns standard operating procedures for first responders into
// checklists with deadlines. Procedures and the statutory deadlines they
// refer to are data — YAML documents embedded from procedures/ and, later,
// uploaded by an organisation admin — so that a state or country with other
// rules edits data, not code. The package is pure: no database, no HTTP.
//
// A procedure applies to a case by its conditions (child or adult, domestic
// or cross-border, foreign national, form of exploitation, sex, country);
// Instantiate makes a Checklist from the procedures that apply, with every
// step's due time computed in its deadline's jurisdiction and stored in UTC;
// Complete and SetEvent recompute the steps that count from other steps or
// events; Overdue lists what the dashboard shows.
package sop

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // due times need the South Asian zones even where the OS has no zoneinfo

	"go.yaml.in/yaml/v3"

	"atip"
	"atip/internal/codelist"
)

// Text is a translatable text: a catalogue key and the English wording used
// when the catalogue has no translation.
type Text struct {
	Key string `yaml:"key"`
	En  string `yaml:"en"`
}

// Procedure is one version of a standard operating procedure.
type Procedure struct {
	ID      string `yaml:"id"`
	Version int    `yaml:"version"`
	Title   Text   `yaml:"title"`
	// Country is the ISO 3166-1 code of the jurisdiction whose law the
	// procedure follows; Zone is the IANA zone its due times are shown in
	// unless a step's deadline names another.
	Country string `yaml:"country"`
	Zone    string `yaml:"zone"`
	// Sources cite the public documents the procedure is written from.
	Sources []string `yaml:"sources"`
	// AppliesWhen lists alternatives: the procedure applies when any one
	// condition matches the case (and always when the list is empty).
	AppliesWhen []Condition `yaml:"applies_when"`
	Steps       []Step      `yaml:"steps"`

	// File names the document the procedure was read from, for messages.
	File string `yaml:"-"`
}

// Ref returns the procedure's id and version as a case records them.
func (p *Procedure) Ref() atip.ProcedureRef { return atip.ProcedureRef{ID: p.ID, Version: p.Version} }

// Condition matches case facts. Every field given must match; a list matches
// when any of its values does.
type Condition struct {
	Child           *bool    `yaml:"child"`
	CrossBorder     *bool    `yaml:"cross_border"`
	ForeignNational *bool    `yaml:"foreign_national"`
	Sex             []string `yaml:"sex"`
	// Exploitation codes match themselves and their narrower codes:
	// forced_labour matches forced_labour_brick_kiln.
	Exploitation []string `yaml:"exploitation"`
	Country      []string `yaml:"country"`
}

// Step is one step of a procedure.
type Step struct {
	ID    string    `yaml:"id"`
	Title Text      `yaml:"title"`
	Owner atip.Role `yaml:"owner"`
	// OwnerOrg is the kind of organisation the owner role belongs to, when
	// the step is not the case owner's (e.g. the CWC passes the final order).
	OwnerOrg atip.OrgType `yaml:"org"`
	// Due says when the step must be done; a step without one has no
	// deadline but stays on the checklist.
	Due      *Due     `yaml:"due"`
	Evidence []string `yaml:"evidence"`
	// Source cites the law or guideline the step comes from.
	Source string `yaml:"source"`
	// When limits the step to cases matching any of these conditions, e.g.
	// "arrange an interpreter" for foreign nationals only.
	When []Condition `yaml:"when"`
	Note string      `yaml:"note"`
}

// Due is a step's deadline: either a statutory deadline from the table
// (Deadline) or a length of time written in the procedure (Within), counted
// from After: "intake", "step:ID" (that step's completion) or "event:NAME"
// (a fact of the case such as event:arrest).
type Due struct {
	Deadline       string `yaml:"deadline"`
	After          string `yaml:"after"`
	Within         string `yaml:"within"`
	ExcludeJourney bool   `yaml:"exclude_journey"`
	EndOfDay       bool   `yaml:"end_of_day"`
}

// Facts are what the conditions look at.
type Facts struct {
	Country         string // ISO 3166-1 code of where the case is handled
	Child           bool
	CrossBorder     bool
	ForeignNational bool
	Sex             string
	Exploitation    []string
}

// Match reports whether the facts satisfy the condition.
func (c *Condition) Match(f Facts) bool {
	if c.Child != nil && *c.Child != f.Child {
		return false
	}
	if c.CrossBorder != nil && *c.CrossBorder != f.CrossBorder {
		return false
	}
	if c.ForeignNational != nil && *c.ForeignNational != f.ForeignNational {
		return false
	}
	if len(c.Sex) > 0 && !slices.Contains(c.Sex, f.Sex) {
		return false
	}
	if len(c.Country) > 0 && !slices.Contains(c.Country, f.Country) {
		return false
	}
	if len(c.Exploitation) > 0 {
		found := false
		for _, want := range c.Exploitation {
			for _, have := range f.Exploitation {
				found = found || codelist.Is(codelist.Exploitation, have, want)
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func anyMatch(cs []Condition, f Facts) bool {
	if len(cs) == 0 {
		return true
	}
	for i := range cs {
		if cs[i].Match(f) {
			return true
		}
	}
	return false
}

// Applies reports whether the procedure applies to a case with these facts.
func (p *Procedure) Applies(f Facts) bool { return anyMatch(p.AppliesWhen, f) }

// ParseError is one problem in a procedure or deadline document.
type ParseError struct {
	File  string
	Line  int
	Field string // e.g. "steps[2].due.after"
	Msg   string
}

func (e ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// ParseErrors is every problem found in a document; Parse reports them all
// at once, so that an admin fixing an upload sees the whole list.
type ParseErrors []ParseError

func (es ParseErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// maxDocument bounds an uploaded document; the longest shipped procedure is a
// few kilobytes.
const maxDocument = 256 << 10

// node wraps a YAML node with the path used in messages.
type reader struct {
	file string
	errs ParseErrors
}

func (r *reader) add(n *yaml.Node, field, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	r.errs = append(r.errs, ParseError{File: r.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// document reads YAML into a single document node, rejecting aliases (an
// upload could otherwise expand a few bytes into gigabytes).
func (r *reader) document(data []byte) *yaml.Node {
	if len(data) > maxDocument {
		r.add(nil, "", "document is larger than %d KiB", maxDocument>>10)
		return nil
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		r.errs = append(r.errs, yamlError(r.file, err))
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		r.add(&extra, "", "only one document per file")
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		r.add(&doc, "", "the document must be a mapping of fields")
		return nil
	}
	ok := true
	walkNodes(&doc, func(n *yaml.Node) {
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			r.add(n, "", "anchors and aliases are not allowed")
			ok = false
		}
	})
	if !ok {
		return nil
	}
	return doc.Content[0]
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

func yamlError(file string, err error) ParseError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[1], &line)
		msg = strings.Replace(msg, m[0], "", 1)
	}
	return ParseError{File: file, Line: line, Msg: msg}
}

func walkNodes(n *yaml.Node, f func(*yaml.Node)) {
	f(n)
	for _, c := range n.Content {
		walkNodes(c, f)
	}
}

// fields checks a mapping's keys against the allowed ones and returns the
// value node of each key.
func (r *reader) fields(n *yaml.Node, path string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		r.add(n, path, "must be a mapping of fields")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := join(path, k.Value)
		switch {
		case !slices.Contains(allowed, k.Value):
			r.add(k, name, "unknown field (allowed: %s)", strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			r.add(k, name, "given twice")
		default:
			out[k.Value] = v
		}
	}
	return out
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func (r *reader) str(n *yaml.Node, path string) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		r.add(n, path, "must be text")
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func (r *reader) integer(n *yaml.Node, path string) int {
	var v int
	if n == nil {
		return 0
	}
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
		r.add(n, path, "must be a whole number")
	}
	return v
}

func (r *reader) boolean(n *yaml.Node, path string) *bool {
	if n == nil {
		return nil
	}
	var v bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&v) != nil {
		r.add(n, path, "must be true or false")
		return nil
	}
	return &v
}

func (r *reader) strs(n *yaml.Node, path string) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		// A single value reads as a list of one, as people write it.
		if s := r.str(n, path); s != "" {
			return []string{s}
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.add(n, path, "must be a list")
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for i, c := range n.Content {
		if s := r.str(c, fmt.Sprintf("%s[%d]", path, i)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) items(n *yaml.Node, path string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.add(n, path, "must be a list")
		return nil
	}
	return n.Content
}

func (r *reader) text(n *yaml.Node, path, defKey string) (Text, *yaml.Node) {
	if n == nil {
		return Text{Key: defKey}, nil
	}
	if n.Kind == yaml.ScalarNode {
		return Text{Key: defKey, En: r.str(n, path)}, n
	}
	f := r.fields(n, path, "key", "en")
	t := Text{Key: r.str(f["key"], path+".key"), En: r.str(f["en"], path+".en")}
	if t.Key == "" {
		t.Key = defKey
	}
	return t, n
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

func (r *reader) conditions(n *yaml.Node, path string) []Condition {
	var out []Condition
	for i, c := range r.items(n, path) {
		p := fmt.Sprintf("%s[%d]", path, i)
		f := r.fields(c, p, "child", "cross_border", "foreign_national", "sex", "exploitation", "country")
		cond := Condition{
			Child:           r.boolean(f["child"], p+".child"),
			CrossBorder:     r.boolean(f["cross_border"], p+".cross_border"),
			ForeignNational: r.boolean(f["foreign_national"], p+".foreign_national"),
			Sex:             r.strs(f["sex"], p+".sex"),
			Exploitation:    r.strs(f["exploitation"], p+".exploitation"),
			Country:         r.strs(f["country"], p+".country"),
		}
		for _, s := range cond.Sex {
			if err := codelist.Check(codelist.Sex, s); err != nil {
				r.add(f["sex"], p+".sex", "%v", err)
			}
		}
		for _, e := range cond.Exploitation {
			if err := codelist.Check(codelist.Exploitation, e); err != nil {
				r.add(f["exploitation"], p+".exploitation", "%v", err)
			}
		}
		for _, s := range cond.Country {
			if !isCountry(s) {
				r.add(f["country"], p+".country", "%q is not a two-letter country code", s)
			}
		}
		out = append(out, cond)
	}
	return out
}

func isCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func (r *reader) zone(n *yaml.Node, path string) string {
	z := r.str(n, path)
	if z == "" {
		return ""
	}
	if _, err := time.LoadLocation(z); err != nil || z == "Local" {
		r.add(n, path, "%q is not a time zone name such as Asia/Kolkata", z)
	}
	return z
}

// ParseProcedure reads and validates one procedure document. The error, when
// not nil, is a ParseErrors listing every problem with its file, line and
// field. Deadlines named by steps are checked later, by Set.Add, against the
// deadline table in force.
func ParseProcedure(file string, data []byte) (*Procedure, error) {
	r := &reader{file: file}
	root := r.document(data)
	if root == nil {
		return nil, r.errs
	}
	f := r.fields(root, "", "id", "version", "title", "country", "zone", "sources", "applies_when", "steps")
	p := &Procedure{File: file}
	p.ID = r.str(f["id"], "id")
	if !idPattern.MatchString(p.ID) {
		r.add(orNode(f["id"], root), "id", "is required: lower-case letters, digits, '-', '_' or '.'")
	}
	p.Version = r.integer(f["version"], "version")
	if p.Version < 1 {
		r.add(orNode(f["version"], root), "version", "is required: a whole number from 1, raised with every change")
	}
	var tn *yaml.Node
	p.Title, tn = r.text(f["title"], "title", "sop."+p.ID+".title")
	if p.Title.En == "" {
		r.add(orNode(tn, root), "title", "an English title is required")
	}
	p.Country = r.str(f["country"], "country")
	if !isCountry(p.Country) {
		r.add(orNode(f["country"], root), "country", "is required: a two-letter country code such as IN or NP")
	}
	p.Zone = r.zone(f["zone"], "zone")
	if p.Zone == "" {
		r.add(orNode(f["zone"], root), "zone", "is required: the time zone due times are counted in, e.g. Asia/Kolkata")
	}
	p.Sources = r.strs(f["sources"], "sources")
	if len(p.Sources) == 0 {
		r.add(orNode(f["sources"], root), "sources", "cite at least one public source the procedure is written from")
	}
	p.AppliesWhen = r.conditions(f["applies_when"], "applies_when")

	lines := map[string]*yaml.Node{}
	for i, sn := range r.items(f["steps"], "steps") {
		path := fmt.Sprintf("steps[%d]", i)
		sf := r.fields(sn, path, "id", "title", "owner", "org", "due", "evidence", "source", "when", "note")
		s := Step{ID: r.str(sf["id"], path+".id")}
		if !idPattern.MatchString(s.ID) {
			r.add(orNode(sf["id"], sn), path+".id", "is required: lower-case letters, digits, '-', '_' or '.'")
		} else if lines[s.ID] != nil {
			r.add(sf["id"], path+".id", "%q is used by another step (line %d)", s.ID, lines[s.ID].Line)
		} else {
			lines[s.ID] = sn
		}
		s.Title, tn = r.text(sf["title"], path+".title", "sop."+p.ID+"."+s.ID)
		if s.Title.En == "" {
			r.add(orNode(tn, sn), path+".title", "an English title is required")
		}
		s.Owner = atip.Role(r.str(sf["owner"], path+".owner"))
		if !s.Owner.Valid() {
			r.add(orNode(sf["owner"], sn), path+".owner", "must be one of the roles %v", atip.Roles)
		}
		s.OwnerOrg = atip.OrgType(r.str(sf["org"], path+".org"))
		if s.OwnerOrg != "" && !s.OwnerOrg.Valid() {
			r.add(sf["org"], path+".org", "must be one of the organisation types %v", atip.OrgTypes)
		}
		s.Evidence = r.strs(sf["evidence"], path+".evidence")
		s.Source = r.str(sf["source"], path+".source")
		s.Note = r.str(sf["note"], path+".note")
		s.When = r.conditions(sf["when"], path+".when")
		if dn := sf["due"]; dn != nil {
			s.Due = r.due(dn, path+".due")
		}
		p.Steps = append(p.Steps, s)
	}
	if len(p.Steps) == 0 {
		r.add(orNode(f["steps"], root), "steps", "a procedure needs at least one step")
	}
	// Steps counted from other steps must name steps of this procedure,
	// without a cycle.
	for i, s := range p.Steps {
		if s.Due == nil {
			continue
		}
		if id, ok := strings.CutPrefix(s.Due.After, "step:"); ok {
			if lines[id] == nil {
				r.add(lines[s.ID], fmt.Sprintf("steps[%d].due.after", i), "names no step of this procedure: %q", id)
			} else if cyclic(p, s.ID) {
				r.add(lines[s.ID], fmt.Sprintf("steps[%d].due.after", i), "steps count from each other in a circle")
			}
		}
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	return p, nil
}

func orNode(n, def *yaml.Node) *yaml.Node {
	if n != nil {
		return n
	}
	return def
}

func (r *reader) due(n *yaml.Node, path string) *Due {
	f := r.fields(n, path, "deadline", "after", "within", "exclude_journey", "end_of_day")
	d := &Due{
		Deadline: r.str(f["deadline"], path+".deadline"),
		After:    r.str(f["after"], path+".after"),
		Within:   r.str(f["within"], path+".within"),
	}
	if b := r.boolean(f["exclude_journey"], path+".exclude_journey"); b != nil {
		d.ExcludeJourney = *b
	}
	if b := r.boolean(f["end_of_day"], path+".end_of_day"); b != nil {
		d.EndOfDay = *b
	}
	switch {
	case d.Deadline == "" && d.Within == "":
		r.add(n, path, "give either deadline (from the statutory table) or within (a length of time)")
	case d.Deadline != "" && (d.Within != "" || f["exclude_journey"] != nil || f["end_of_day"] != nil):
		r.add(n, path, "a statutory deadline sets its own length; do not give within, exclude_journey or end_of_day with it")
	}
	if d.Within != "" {
		if _, err := ParseSpan(d.Within); err != nil {
			r.add(f["within"], path+".within", "%v", err)
		}
	}
	if d.After != "" {
		if err := checkAnchor(d.After); err != nil {
			r.add(f["after"], path+".after", "%v", err)
		}
	} else if d.Deadline == "" {
		r.add(n, path+".after", "say what the time counts from: intake, step:ID or event:NAME")
	}
	return d
}

func checkAnchor(a string) error {
	if a == "intake" {
		return nil
	}
	if id, ok := strings.CutPrefix(a, "step:"); ok && idPattern.MatchString(id) {
		return nil
	}
	if id, ok := strings.CutPrefix(a, "event:"); ok && idPattern.MatchString(id) {
		return nil
	}
	return fmt.Errorf("%q: must be intake, step:ID or event:NAME", a)
}

// cyclic reports whether following "step:" anchors from step id comes back
// to it.
func cyclic(p *Procedure, id string) bool {
	by := map[string]string{}
	for _, s := range p.Steps {
		if s.Due != nil {
			if a, ok := strings.CutPrefix(s.Due.After, "step:"); ok {
				by[s.ID] = a
			}
		}
	}
	cur := id
	for range len(p.Steps) + 1 {
		next, ok := by[cur]
		if !ok {
			return false
		}
		if next == id {
			return true
		}
		cur = next
	}
	return true
}
