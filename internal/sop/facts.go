package sop

import (
	"slices"
	"strings"
	"time"

	"atip"
)

// FactsFor derives the facts procedures are selected by from a case and its
// victims' person records, for a case handled in country (ISO 3166-1). The
// case counts as a child's when any victim was a child at intake (an unknown
// age counts as a child, as atip.Person.ChildAt says), and as a foreign
// national's when any victim's nationality is another country's.
func FactsFor(c *atip.Case, victims []atip.Person, country string) Facts {
	f := Facts{Country: country, CrossBorder: c.CrossBorder, Exploitation: slices.Clone(c.Exploitation), Sex: "unknown"}
	for i := range victims {
		v := &victims[i]
		if v.ChildAt(c.IntakeAt) {
			f.Child = true
		}
		if v.Nationality != "" && v.Nationality != country {
			f.ForeignNational, f.CrossBorder = true, true
		}
		if i == 0 && v.Sex != "" {
			f.Sex = v.Sex
		}
	}
	if len(victims) == 0 {
		f.Child = true // nobody recorded yet: the protective default
	}
	return f
}

// DueFrom computes a statutory deadline outside a checklist, e.g. the
// charge-sheet date of a legal track from the first arrest.
func (s *Set) DueFrom(deadlineID string, from time.Time, journey time.Duration) (time.Time, error) {
	d, ok := s.deadlines[deadlineID]
	if !ok {
		return time.Time{}, atip.Errorf(atip.ENOTFOUND, "no deadline %q in the table", deadlineID)
	}
	c := &Checklist{IntakeAt: from.UTC(), Journey: journey, Items: []Item{{
		HasDue: true, After: "intake", Within: d.Within, ExcludeJourney: d.ExcludeJourney, EndOfDay: d.EndOfDay, Zone: d.Zone,
	}}}
	c.Recompute()
	return c.Items[0].Due, nil
}

// CaseOverdue is one overdue step of one case.
type CaseOverdue struct {
	CaseID string
	Overdue
}

// OverdueByRole groups the overdue steps of many cases' checklists by the
// role that owns them, longest overdue first: the dashboard's lists and the
// notifications to each owner role.
func OverdueByRole(lists map[string]*Checklist, now time.Time) map[atip.Role][]CaseOverdue {
	var all []CaseOverdue
	for id, c := range lists {
		for _, o := range c.Overdue(now) {
			all = append(all, CaseOverdue{CaseID: id, Overdue: o})
		}
	}
	// Ties on the due time break by case and step, so the lists are the
	// same on every call whatever the map's order.
	slices.SortFunc(all, func(a, b CaseOverdue) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if a.CaseID != b.CaseID {
			return strings.Compare(a.CaseID, b.CaseID)
		}
		return strings.Compare(a.Key, b.Key)
	})
	count := map[atip.Role]int{}
	for i := range all {
		count[all[i].Owner]++
	}
	out := make(map[atip.Role][]CaseOverdue, len(count))
	for r, n := range count {
		out[r] = make([]CaseOverdue, 0, n)
	}
	for i := range all {
		out[all[i].Owner] = append(out[all[i].Owner], all[i])
	}
	return out
}
