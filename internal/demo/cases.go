package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"atip"
	"atip/internal/casegen"
	"atip/internal/database"
)

// CasesPerOrg is how many synthetic cases each demo organisation that
// records cases gets.
const CasesPerOrg = 8

// caseWriters are the demo users cases are recorded as, one per
// organisation that records cases (first responders, caseworkers,
// supervisors).
var caseWriters = []string{"demo.responder", "demo.supervisor", "demo.caseworker", "demo.cwc", "demo.nepal"}

// SeedCases records synthetic cases from the case generator for each
// organisation of caseWriters, as that organisation's user (so the cases go
// through the same path, policy and audit as a user's), unless the
// organisation has cases already: seeding is idempotent. Every name the
// generator makes is clearly synthetic.
func SeedCases(ctx context.Context, db *database.DB) error {
	op := atip.OperatorContext(ctx)
	usvc, orgs := database.NewUserService(db), database.NewOrgService(db)
	svc := database.NewCaseService(db)
	now := db.Now()
	for i, login := range caseWriters {
		u, err := usvc.FindUserByLogin(op, login)
		if err != nil {
			return fmt.Errorf("demo cases: user %s: %w", login, err)
		}
		o, err := orgs.FindOrgByID(op, u.OrgID)
		if err != nil {
			return err
		}
		uctx := atip.NewContextWithActor(ctx, &atip.Actor{User: u, Org: o, Via: atip.ViaCLI})
		have, _, err := svc.FindCases(uctx, atip.CaseFilter{Limit: 1})
		if err != nil {
			return err
		}
		if len(have) > 0 {
			continue
		}
		g := casegen.New(casegen.Options{Seed: uint64(2026 + i), OrgIDs: []string{o.ID}, UserIDs: []string{u.ID},
			From: now.AddDate(0, -6, 0), To: now.Add(-time.Hour)})
		for range CasesPerOrg {
			c, people := caseWithPeople(g.Next())
			if err := svc.CreateCase(uctx, c, people...); err != nil {
				return fmt.Errorf("demo case for %s: %w", o.Name, err)
			}
		}
	}
	return nil
}

// caseWithPeople turns a generated record into a new case and the people to
// create with it, its references to them rewritten as atip.NewPersonRef.
func caseWithPeople(r *casegen.Record) (*atip.Case, []*atip.Person) {
	c := r.Case
	c.ID, c.Ref, c.Info = "", "", atip.RecordInfo{}
	var people []*atip.Person
	ref := map[string]string{}
	add := func(p atip.Person) {
		ref[p.ID] = atip.NewPersonRef(len(people))
		p.ID, p.Ref, p.Info = "", "", atip.RecordInfo{}
		// Demo data must never pass for a real person's record.
		p.Names = append([]atip.PersonName(nil), p.Names...)
		for i := range p.Names {
			if !strings.HasPrefix(p.Names[i].Full, Prefix) {
				p.Names[i].Full = Prefix + p.Names[i].Full
			}
		}
		people = append(people, &p)
	}
	for _, p := range r.Victims {
		add(p)
	}
	for _, p := range r.Suspects {
		add(p)
	}
	fix := func(id string) string {
		if v, ok := ref[id]; ok {
			return v
		}
		return id
	}
	c.Victims = append([]atip.CaseVictim(nil), c.Victims...)
	for i := range c.Victims {
		c.Victims[i].PersonID = fix(c.Victims[i].PersonID)
	}
	c.Suspects = append([]atip.CaseSuspect(nil), c.Suspects...)
	for i := range c.Suspects {
		c.Suspects[i].PersonID = fix(c.Suspects[i].PersonID)
	}
	c.Incidents = append([]atip.Incident(nil), c.Incidents...)
	for i := range c.Incidents {
		ids := append([]string(nil), c.Incidents[i].RecruiterIDs...)
		for j := range ids {
			ids[j] = fix(ids[j])
		}
		c.Incidents[i].RecruiterIDs = ids
	}
	// The interception, legal track and checklist a record may carry belong
	// to the intake and care areas; the demo case keeps no link to them.
	c.InterceptionID, c.SignalID, c.MissingReportID, c.Witnesses = "", "", "", nil
	return &c, people
}
