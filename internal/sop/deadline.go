package sop

import (
	"fmt"
	"sync"
	"time"
)

// Deadline is a statutory deadline: a length of time from an event, set by
// a named provision of law, counted in its jurisdiction's time zone. The
// table is data (procedures/deadlines.yaml) so a state or country with other
// rules changes the table, not the code.
type Deadline struct {
	ID      string
	Law     string // the act and section, e.g. "Juvenile Justice (Care and Protection of Children) Act 2015, s.31(1)"
	Country string
	Zone    string
	// From is what the time counts from unless the step says otherwise:
	// intake, step:ID or event:NAME.
	From   string
	Within Span
	// ExcludeJourney: the time needed for the journey to the authority is
	// not counted (JJ Act s.31, Constitution of India art. 22(2)).
	ExcludeJourney bool
	// EndOfDay moves the due time to the end of the local day it falls on,
	// as deadlines counted in days are read.
	EndOfDay bool
	Note     string
}

// ParseDeadlines reads and validates a deadline table document:
//
//	deadlines:
//	  - id: in.jja.s31.cwc_production
//	    law: Juvenile Justice (Care and Protection of Children) Act 2015, s.31(1)
//	    country: IN
//	    zone: Asia/Kolkata
//	    from: intake
//	    within: 24h
//	    exclude_journey: true
func ParseDeadlines(file string, data []byte) (map[string]Deadline, error) {
	r := &reader{file: file}
	root := r.document(data)
	if root == nil {
		return nil, r.errs
	}
	f := r.fields(root, "", "sources", "deadlines")
	out := map[string]Deadline{}
	lines := map[string]int{}
	for i, n := range r.items(f["deadlines"], "deadlines") {
		path := fmt.Sprintf("deadlines[%d]", i)
		df := r.fields(n, path, "id", "law", "country", "zone", "from", "within", "exclude_journey", "end_of_day", "note")
		d := Deadline{
			ID:      r.str(df["id"], path+".id"),
			Law:     r.str(df["law"], path+".law"),
			Country: r.str(df["country"], path+".country"),
			Zone:    r.zone(df["zone"], path+".zone"),
			From:    r.str(df["from"], path+".from"),
			Note:    r.str(df["note"], path+".note"),
		}
		if !idPattern.MatchString(d.ID) {
			r.add(orNode(df["id"], n), path+".id", "is required: lower-case letters, digits, '-', '_' or '.'")
		} else if l, dup := lines[d.ID]; dup {
			r.add(df["id"], path+".id", "%q is already defined on line %d", d.ID, l)
		}
		lines[d.ID] = n.Line
		if d.Law == "" {
			r.add(orNode(df["law"], n), path+".law", "name the act and section the deadline comes from")
		}
		if !isCountry(d.Country) {
			r.add(orNode(df["country"], n), path+".country", "is required: a two-letter country code")
		}
		if d.Zone == "" {
			r.add(orNode(df["zone"], n), path+".zone", "is required: the jurisdiction's time zone, e.g. Asia/Kathmandu")
		}
		if d.From != "" {
			if err := checkAnchor(d.From); err != nil {
				r.add(df["from"], path+".from", "%v", err)
			}
		}
		w := r.str(df["within"], path+".within")
		sp, err := ParseSpan(w)
		if err != nil {
			r.add(orNode(df["within"], n), path+".within", "%v", err)
		}
		d.Within = sp
		if b := r.boolean(df["exclude_journey"], path+".exclude_journey"); b != nil {
			d.ExcludeJourney = *b
		}
		if b := r.boolean(df["end_of_day"], path+".end_of_day"); b != nil {
			d.EndOfDay = *b
		}
		out[d.ID] = d
	}
	if f["deadlines"] == nil {
		r.add(root, "deadlines", "is required")
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	return out, nil
}

var zones sync.Map // zone name → *time.Location

// location loads a zone name that parsing has already checked. Loading
// reads the zone database, so every checklist recomputation would otherwise
// pay for it once per step.
func location(name string) *time.Location {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	zones.Store(name, loc)
	return loc
}
