package sop

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"atip"
)

// Status is where a checklist step stands. Whether it is overdue is not a
// status: it follows from the due time and the clock (see Overdue).
type Status string

const (
	StatusPending Status = "pending"
	StatusDone    Status = "done"
	// StatusSkipped is a step that does not apply after all (e.g. no
	// interpreter needed); it needs a reason and counts as finished.
	StatusSkipped Status = "skipped"
)

// Checklist is the procedures of one case as steps with due times. It holds
// everything needed to recompute the due times — copies of the steps'
// deadlines, the intake time, the journey time and the events — so a case
// keeps its rules when the procedures or the table change later. Storage
// keeps it as one JSON document with the case.
type Checklist struct {
	Procedures []atip.ProcedureRef
	IntakeAt   time.Time // UTC
	Journey    time.Duration
	// Events are facts of the case that steps count from, e.g. "arrest",
	// "first_production", "reintegration".
	Events map[string]time.Time
	Items  []Item
}

// Item is one step of a case's checklist.
type Item struct {
	Key       string // "procedure/step", unique in the checklist
	Procedure atip.ProcedureRef
	StepID    string
	Title     Text
	Owner     atip.Role
	OwnerOrg  atip.OrgType // empty: the case owner's organisation
	Evidence  []string
	Source    string // the step's source, or the deadline's law
	Note      string // the procedure's note on the step

	// The deadline, copied from the procedure and the table at instantiation.
	HasDue         bool
	DeadlineID     string // the statutory deadline, when the step names one
	Law            string
	After          string // "intake", "step:KEY" or "event:NAME"
	Within         Span
	ExcludeJourney bool
	EndOfDay       bool
	Zone           string

	// Due is when the step must be done, UTC; zero when the step has no
	// deadline or waits for the step or event it counts from (WaitingOn).
	Due       time.Time
	WaitingOn string

	Status     Status
	DoneAt     time.Time
	DoneBy     string // user id
	SkipReason string
}

// DueLocal returns the due time in the deadline's jurisdiction, for display.
func (it *Item) DueLocal() time.Time { return it.Due.In(location(it.Zone)) }

// Finished reports whether the step is done or skipped.
func (it *Item) Finished() bool { return it.Status == StatusDone || it.Status == StatusSkipped }

func instantiate(procs []*Procedure, table map[string]Deadline, f Facts, intakeAt time.Time, journey time.Duration) (*Checklist, error) {
	if intakeAt.IsZero() {
		return nil, fmt.Errorf("sop: the intake time is required")
	}
	if journey < 0 {
		return nil, fmt.Errorf("sop: the journey time cannot be negative")
	}
	c := &Checklist{IntakeAt: intakeAt.UTC(), Journey: journey, Events: map[string]time.Time{}}
	n := 0
	for _, p := range procs {
		n += len(p.Steps)
	}
	c.Items = make([]Item, 0, n)
	seen := map[string]bool{}
	for _, p := range procs {
		if seen[p.ID] {
			return nil, fmt.Errorf("sop: procedure %s given twice", p.ID)
		}
		seen[p.ID] = true
		c.Procedures = append(c.Procedures, p.Ref())
		for _, s := range p.Steps {
			if !anyMatch(s.When, f) {
				continue
			}
			it := Item{
				Key: p.ID + "/" + s.ID, Procedure: p.Ref(), StepID: s.ID, Title: s.Title, Owner: s.Owner, OwnerOrg: s.OwnerOrg,
				Evidence: slices.Clone(s.Evidence), Source: s.Source, Note: s.Note, Zone: p.Zone, Status: StatusPending,
			}
			if d := s.Due; d != nil {
				it.HasDue = true
				if d.Deadline != "" {
					dl, ok := table[d.Deadline]
					if !ok {
						return nil, fmt.Errorf("sop: %s: deadline %q is not in the table", it.Key, d.Deadline)
					}
					it.DeadlineID, it.Law, it.Zone = dl.ID, dl.Law, dl.Zone
					it.Within, it.ExcludeJourney, it.EndOfDay = dl.Within, dl.ExcludeJourney, dl.EndOfDay
					it.After = dl.From
					if it.Source == "" {
						it.Source = dl.Law
					}
				} else {
					sp, err := ParseSpan(d.Within)
					if err != nil {
						return nil, fmt.Errorf("sop: %s: %w", it.Key, err)
					}
					it.Within, it.ExcludeJourney, it.EndOfDay = sp, d.ExcludeJourney, d.EndOfDay
				}
				if d.After != "" {
					it.After = d.After
				}
				// Steps name steps of their own procedure; the checklist
				// qualifies the name, since two procedures may share step ids.
				if id, ok := strings.CutPrefix(it.After, "step:"); ok {
					it.After = "step:" + p.ID + "/" + id
				}
			}
			c.Items = append(c.Items, it)
		}
	}
	// A step counting from a step its conditions left off the checklist
	// would wait for ever: that is a mistake in the procedure, said now.
	for _, it := range c.Items {
		if key, ok := strings.CutPrefix(it.After, "step:"); ok && c.Item(key) == nil {
			return nil, fmt.Errorf("sop: %s counts from %s, which does not apply to this case; give the two steps the same conditions", it.Key, key)
		}
	}
	c.Recompute()
	return c, nil
}

// Recompute computes every step's due time from the intake, the journey
// time, the events and the completion of the steps they count from.
func (c *Checklist) Recompute() {
	idx := make(map[string]int, len(c.Items))
	for i := range c.Items {
		idx[c.Items[i].Key] = i
	}
	for i := range c.Items {
		it := &c.Items[i]
		it.Due, it.WaitingOn = time.Time{}, ""
		if !it.HasDue {
			continue
		}
		var from time.Time
		switch {
		case it.After == "intake":
			from = c.IntakeAt
		case strings.HasPrefix(it.After, "step:"):
			j, ok := idx[strings.TrimPrefix(it.After, "step:")]
			if ok && c.Items[j].Finished() {
				from = c.Items[j].DoneAt
			}
		case strings.HasPrefix(it.After, "event:"):
			from = c.Events[strings.TrimPrefix(it.After, "event:")]
		}
		if from.IsZero() {
			it.WaitingOn = it.After
			continue
		}
		loc := location(it.Zone)
		due := it.Within.AddTo(from, loc)
		if it.ExcludeJourney {
			due = due.Add(c.Journey)
		}
		if it.EndOfDay {
			l := due.In(loc)
			due = time.Date(l.Year(), l.Month(), l.Day(), 23, 59, 59, 0, loc)
		}
		it.Due = due.UTC()
	}
}

// Item returns the step with the given key, or nil.
func (c *Checklist) Item(key string) *Item {
	for i := range c.Items {
		if c.Items[i].Key == key {
			return &c.Items[i]
		}
	}
	return nil
}

// Complete marks a step done at a time by a user and recomputes the steps
// that count from it.
func (c *Checklist) Complete(key string, at time.Time, by string) error {
	it := c.Item(key)
	switch {
	case it == nil:
		return atip.Errorf(atip.ENOTFOUND, "no step %q on this checklist", key)
	case it.Finished():
		return atip.Errorf(atip.ECONFLICT, "step %q is already %s", key, it.Status)
	case at.IsZero():
		return atip.Errorf(atip.EINVALID, "the time the step was done is required")
	case at.Before(c.IntakeAt):
		return atip.Errorf(atip.EINVALID, "step %q cannot be done before the intake", key)
	}
	it.Status, it.DoneAt, it.DoneBy = StatusDone, at.UTC(), by
	c.Recompute()
	return nil
}

// Skip marks a step as not applying, with a reason. Steps that count from it
// count from the time it was skipped.
func (c *Checklist) Skip(key, reason string, at time.Time, by string) error {
	it := c.Item(key)
	switch {
	case it == nil:
		return atip.Errorf(atip.ENOTFOUND, "no step %q on this checklist", key)
	case it.Finished():
		return atip.Errorf(atip.ECONFLICT, "step %q is already %s", key, it.Status)
	case strings.TrimSpace(reason) == "":
		return &atip.Error{Code: atip.EINVALID, Message: "a skipped step needs a reason",
			Fields: []atip.FieldError{{Field: "reason", Message: "is required"}}}
	}
	it.Status, it.DoneAt, it.DoneBy, it.SkipReason = StatusSkipped, at.UTC(), by, reason
	c.Recompute()
	return nil
}

// Reopen returns a finished step to pending, e.g. after a mistaken tick.
func (c *Checklist) Reopen(key string) error {
	it := c.Item(key)
	if it == nil {
		return atip.Errorf(atip.ENOTFOUND, "no step %q on this checklist", key)
	}
	it.Status, it.DoneAt, it.DoneBy, it.SkipReason = StatusPending, time.Time{}, "", ""
	c.Recompute()
	return nil
}

// SetEvent records a fact steps count from (e.g. "arrest") and recomputes.
func (c *Checklist) SetEvent(name string, at time.Time) {
	if c.Events == nil {
		c.Events = map[string]time.Time{}
	}
	c.Events[name] = at.UTC()
	c.Recompute()
}

// SetJourney records the journey time to the authority and recomputes.
func (c *Checklist) SetJourney(d time.Duration) error {
	if d < 0 {
		return atip.Errorf(atip.EINVALID, "the journey time cannot be negative")
	}
	c.Journey = d
	c.Recompute()
	return nil
}

// Overdue is a step past its due time.
type Overdue struct {
	Key      string
	Title    Text
	Owner    atip.Role
	OwnerOrg atip.OrgType
	Due      time.Time // UTC
	Zone     string
	Law      string
	Late     time.Duration
}

// Overdue lists the pending steps whose due time has passed at now, the
// longest overdue first, which is how a dashboard sorts them.
func (c *Checklist) Overdue(now time.Time) []Overdue {
	var out []Overdue
	for _, it := range c.Items {
		if it.Status != StatusPending || it.Due.IsZero() || !now.After(it.Due) {
			continue
		}
		out = append(out, Overdue{Key: it.Key, Title: it.Title, Owner: it.Owner, OwnerOrg: it.OwnerOrg, Due: it.Due, Zone: it.Zone,
			Law: it.Law, Late: now.Sub(it.Due)})
	}
	slices.SortFunc(out, func(a, b Overdue) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// NextDue returns the pending step due soonest, or nil when none has a due
// time; a case list shows it as the case's next deadline.
func (c *Checklist) NextDue() *Item {
	var next *Item
	for i := range c.Items {
		it := &c.Items[i]
		if it.Status == StatusPending && !it.Due.IsZero() && (next == nil || it.Due.Before(next.Due)) {
			next = it
		}
	}
	return next
}
