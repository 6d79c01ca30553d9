package api

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// Operations of persons and cases (issue 4): list and search, get, create,
// update, notes, and the quick intake. What an answer holds is what the
// case service returns — the access policy's view of each record, with the
// fields the caller may not see left empty (and so left out).

// Access is what the caller may see and do with a record.
type Access struct {
	Full     bool     `json:"full" doc:"Protected fields (names, contacts, statements…) are shown."`
	Redacted bool     `json:"redacted" doc:"Only the redacted view is shown."`
	Relation string   `json:"relation" doc:"owner, referral, group, platform, …"`
	CanEdit  bool     `json:"can_edit"`
	Classes  []string `json:"classes" nullable:"false" doc:"The field classes shown."`
}

func accessOut(a atip.Access) *Access {
	out := &Access{Full: a.Full, Redacted: a.Redacted, Relation: a.Relation, CanEdit: a.CanEdit, Classes: []string{}}
	for _, c := range a.Shown {
		out.Classes = append(out.Classes, string(c))
	}
	return out
}

// PersonName is one name of a person in one script.
type PersonName struct {
	Full   string `json:"full" minLength:"1" maxLength:"200"`
	Script string `json:"script,omitempty" maxLength:"4" doc:"ISO 15924, e.g. Latn, Deva, Beng."`
	Kind   string `json:"kind,omitempty" enum:"name,alias,nickname,given_by_trafficker," doc:"Default name."`
}

// Person is a victim, suspect, witness or guardian. Protected fields are
// present only when the caller's view shows them.
type Person struct {
	ID           string       `json:"id,omitempty" readOnly:"true"`
	Ref          string       `json:"ref,omitempty" readOnly:"true"`
	TLP          string       `json:"tlp,omitempty" readOnly:"true"`
	Access       *Access      `json:"access,omitempty" readOnly:"true"`
	Roles        []string     `json:"roles" minItems:"1" doc:"Codes of the person_role list: victim, missing, suspect, witness, guardian."`
	Names        []PersonName `json:"names,omitempty" maxItems:"20"`
	Sex          string       `json:"sex" doc:"Code of the sex list; unknown allowed."`
	AgeYears     *int         `json:"age_years,omitempty" minimum:"0" maximum:"120" doc:"Stated or estimated age in years at age_as_of."`
	AgeAsOf      *time.Time   `json:"age_as_of,omitempty"`
	BirthDate    *time.Time   `json:"birth_date,omitempty"`
	AgeMethod    string       `json:"age_method,omitempty" doc:"Code of the age_estimation list."`
	AgeBand      string       `json:"age_band,omitempty" readOnly:"true"`
	Nationality  string       `json:"nationality,omitempty" pattern:"^[A-Z]{2}$"`
	Languages    []string     `json:"languages,omitempty" maxItems:"20"`
	HomeDistrict string       `json:"home_district,omitempty" maxLength:"64" doc:"Gazetteer code."`
	HomeVillage  string       `json:"home_village,omitempty" maxLength:"200"`
	Phones       []string     `json:"phones,omitempty" maxItems:"20"`
	Notes        string       `json:"notes,omitempty" maxLength:"20000"`
	CaseIDs      []string     `json:"case_ids,omitempty" readOnly:"true"`
}

func personIn(p *Person) *atip.Person {
	out := &atip.Person{ID: p.ID, Sex: p.Sex, AgeYears: -1, AgeMethod: p.AgeMethod, Nationality: p.Nationality, Languages: p.Languages,
		HomeDistrict: p.HomeDistrict, HomeVillage: p.HomeVillage, Phones: p.Phones, Notes: p.Notes}
	for _, r := range p.Roles {
		out.Roles = append(out.Roles, atip.PersonRole(r))
	}
	for _, n := range p.Names {
		k := n.Kind
		if k == "" {
			k = "name"
		}
		out.Names = append(out.Names, atip.PersonName{Full: n.Full, Script: n.Script, Kind: k})
	}
	if p.AgeYears != nil {
		out.AgeYears = *p.AgeYears
		out.AgeAsOf = time.Now().UTC()
		if p.AgeAsOf != nil {
			out.AgeAsOf = p.AgeAsOf.UTC()
		}
	}
	if p.BirthDate != nil {
		out.BirthDate = p.BirthDate.UTC()
	}
	return out
}

func personOut(v *atip.PersonView) Person {
	p := v.Person
	out := Person{ID: p.ID, Ref: v.Ref, TLP: string(v.TLP), Access: accessOut(v.Access), Sex: p.Sex, AgeMethod: p.AgeMethod,
		AgeBand: p.AgeBand, Nationality: p.Nationality, Languages: p.Languages, HomeDistrict: p.HomeDistrict, HomeVillage: p.HomeVillage,
		Phones: p.Phones, Notes: p.Notes, AgeAsOf: timePtr(p.AgeAsOf), BirthDate: timePtr(p.BirthDate), CaseIDs: v.CaseIDs, Roles: []string{}}
	for _, r := range p.Roles {
		out.Roles = append(out.Roles, string(r))
	}
	for _, n := range p.Names {
		out.Names = append(out.Names, PersonName{Full: n.Full, Script: n.Script, Kind: n.Kind})
	}
	if v.Access.Shows(atip.ClassIdentity) && p.AgeYears >= 0 {
		a := p.AgeYears
		out.AgeYears = &a
	}
	return out
}

// CaseVictim is what HTCDS records per victim of a case.
type CaseVictim struct {
	PersonID             string     `json:"person_id" doc:"A stored person's id, or new:N for the N-th of the request's people (from 0)."`
	TraffickingStatus    string     `json:"trafficking_status,omitempty"`
	StatusDecidedBy      string     `json:"status_decided_by,omitempty"`
	StatusDecidedAt      *time.Time `json:"status_decided_at,omitempty"`
	RelationToTrafficker string     `json:"relation_to_trafficker,omitempty"`
	MeansOfRecruitment   []string   `json:"means_of_recruitment,omitempty"`
	MeansOfControl       []string   `json:"means_of_control,omitempty"`
	ChildAtIntake        bool       `json:"child_at_intake,omitempty" readOnly:"true"`
}

// CaseSuspect is a suspect of a case with their roles.
type CaseSuspect struct {
	PersonID string   `json:"person_id" doc:"A stored person's id, or new:N."`
	Roles    []string `json:"roles,omitempty" doc:"Codes of the perpetrator_role list: recruiter, transporter, exploiter, financier, …"`
	Arrested bool     `json:"arrested,omitempty"`
}

// Incident is recruitment, movement and exploitation.
type Incident struct {
	ID                string     `json:"id,omitempty"`
	RecruitedAt       *time.Time `json:"recruited_at,omitempty"`
	RecruitedIn       string     `json:"recruited_in,omitempty"`
	RecruitmentMeans  []string   `json:"recruitment_means,omitempty"`
	RecruiterIDs      []string   `json:"recruiter_ids,omitempty"`
	OnlinePlatforms   []string   `json:"online_platforms,omitempty"`
	RecruitmentStory  string     `json:"recruitment_story,omitempty" maxLength:"20000"`
	Origin            string     `json:"origin,omitempty"`
	TransitPoints     []string   `json:"transit_points,omitempty"`
	Destination       string     `json:"destination,omitempty"`
	BorderPoint       string     `json:"border_point,omitempty"`
	Transport         []string   `json:"transport,omitempty"`
	ExploitationForm  string     `json:"exploitation_form,omitempty"`
	ExploitationPlace string     `json:"exploitation_place,omitempty"`
	ExploitationSite  string     `json:"exploitation_site,omitempty"`
	ExploitedFrom     *time.Time `json:"exploited_from,omitempty"`
	ExploitedUntil    *time.Time `json:"exploited_until,omitempty"`
}

// TimelineEvent is one entry of a case's timeline.
type TimelineEvent struct {
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`
	ByUser  string    `json:"by_user,omitempty"`
	Summary string    `json:"summary,omitempty"`
	Note    string    `json:"note,omitempty" doc:"Present only when the caller may see statements."`
}

// Case is a case as the API shows and takes it (HTCDS-aligned codes).
type Case struct {
	ID              string            `json:"id,omitempty" readOnly:"true"`
	Ref             string            `json:"ref,omitempty" readOnly:"true"`
	TLP             string            `json:"tlp,omitempty" readOnly:"true"`
	Access          *Access           `json:"access,omitempty" readOnly:"true"`
	Status          string            `json:"status,omitempty" doc:"Code of the case_status list; default open."`
	Stage           string            `json:"stage,omitempty" doc:"Code of the case_stage list; default first_response."`
	IntakeChannel   string            `json:"intake_channel"`
	IntakeAt        time.Time         `json:"intake_at"`
	IntakeDistrict  string            `json:"intake_district" maxLength:"64"`
	Exploitation    []string          `json:"exploitation,omitempty"`
	CrossBorder     bool              `json:"cross_border,omitempty"`
	Complete        bool              `json:"complete,omitempty"`
	AssignedTo      []string          `json:"assigned_to,omitempty"`
	ExternalRef     string            `json:"external_ref,omitempty" maxLength:"200"`
	Victims         []CaseVictim      `json:"victims,omitempty"`
	Suspects        []CaseSuspect     `json:"suspects,omitempty"`
	Incidents       []Incident        `json:"incidents,omitempty"`
	SignalID        string            `json:"signal_id,omitempty"`
	InterceptionID  string            `json:"interception_id,omitempty"`
	MissingReportID string            `json:"missing_report_id,omitempty"`
	Summary         string            `json:"summary,omitempty" maxLength:"20000"`
	ClosedAt        *time.Time        `json:"closed_at,omitempty"`
	ClosureReason   string            `json:"closure_reason,omitempty" maxLength:"200"`
	OverdueSteps    int               `json:"overdue_steps,omitempty" readOnly:"true"`
	People          map[string]Person `json:"people,omitempty" readOnly:"true" doc:"The case's people the caller may see, by id (get-case only)."`
	Timeline        []TimelineEvent   `json:"timeline,omitempty" readOnly:"true"`
	UpdatedAt       *time.Time        `json:"updated_at,omitempty" readOnly:"true"`
	NewPeople       []Person          `json:"new_people,omitempty" writeOnly:"true" doc:"People saved with the case in one transaction; the case names the N-th as new:N. A person with an id is updated."`
}

func caseIn(c *Case) (*atip.Case, []*atip.Person) {
	out := &atip.Case{ID: c.ID, Status: c.Status, Stage: c.Stage, IntakeChannel: c.IntakeChannel, IntakeAt: c.IntakeAt.UTC(),
		IntakeDistrict: c.IntakeDistrict, Exploitation: c.Exploitation, CrossBorder: c.CrossBorder, Complete: c.Complete,
		AssignedTo: c.AssignedTo, ExternalRef: c.ExternalRef, SignalID: c.SignalID, InterceptionID: c.InterceptionID,
		MissingReportID: c.MissingReportID, Summary: c.Summary, ClosedAt: tv(c.ClosedAt), ClosureReason: c.ClosureReason}
	for _, v := range c.Victims {
		out.Victims = append(out.Victims, atip.CaseVictim{PersonID: v.PersonID, TraffickingStatus: v.TraffickingStatus,
			StatusDecidedBy: v.StatusDecidedBy, StatusDecidedAt: tv(v.StatusDecidedAt), RelationToTrafficker: v.RelationToTrafficker,
			MeansOfRecruitment: v.MeansOfRecruitment, MeansOfControl: v.MeansOfControl})
	}
	for _, s := range c.Suspects {
		out.Suspects = append(out.Suspects, atip.CaseSuspect{PersonID: s.PersonID, Roles: s.Roles, Arrested: s.Arrested})
	}
	for _, in := range c.Incidents {
		id := in.ID
		if id == "" {
			id = atip.NewID()
		}
		out.Incidents = append(out.Incidents, atip.Incident{ID: id, RecruitedAt: tv(in.RecruitedAt), RecruitedIn: in.RecruitedIn,
			RecruitmentMeans: in.RecruitmentMeans, RecruiterIDs: in.RecruiterIDs, OnlinePlatforms: in.OnlinePlatforms,
			RecruitmentStory: in.RecruitmentStory, Origin: in.Origin, TransitPoints: in.TransitPoints, Destination: in.Destination,
			BorderPoint: in.BorderPoint, Transport: in.Transport, ExploitationForm: in.ExploitationForm,
			ExploitationPlace: in.ExploitationPlace, ExploitationSite: in.ExploitationSite, ExploitedFrom: tv(in.ExploitedFrom),
			ExploitedUntil: tv(in.ExploitedUntil)})
	}
	var people []*atip.Person
	for i := range c.NewPeople {
		people = append(people, personIn(&c.NewPeople[i]))
	}
	return out, people
}

func caseOut(v *atip.CaseView) Case {
	c := v.Case
	out := Case{ID: c.ID, Ref: v.Ref, TLP: string(v.TLP), Access: accessOut(v.Access), Status: c.Status, Stage: c.Stage,
		IntakeChannel: c.IntakeChannel, IntakeAt: c.IntakeAt, IntakeDistrict: c.IntakeDistrict, Exploitation: c.Exploitation,
		CrossBorder: c.CrossBorder, Complete: c.Complete, AssignedTo: c.AssignedTo, ExternalRef: c.ExternalRef,
		SignalID: c.SignalID, InterceptionID: c.InterceptionID, MissingReportID: c.MissingReportID, Summary: c.Summary,
		ClosedAt: timePtr(c.ClosedAt), ClosureReason: c.ClosureReason, OverdueSteps: v.Overdue, UpdatedAt: timePtr(v.UpdatedAt)}
	for _, x := range c.Victims {
		out.Victims = append(out.Victims, CaseVictim{PersonID: x.PersonID, TraffickingStatus: x.TraffickingStatus,
			StatusDecidedBy: x.StatusDecidedBy, StatusDecidedAt: timePtr(x.StatusDecidedAt), RelationToTrafficker: x.RelationToTrafficker,
			MeansOfRecruitment: x.MeansOfRecruitment, MeansOfControl: x.MeansOfControl, ChildAtIntake: x.ChildAtIntake})
	}
	for _, s := range c.Suspects {
		out.Suspects = append(out.Suspects, CaseSuspect{PersonID: s.PersonID, Roles: s.Roles, Arrested: s.Arrested})
	}
	for _, in := range c.Incidents {
		out.Incidents = append(out.Incidents, Incident{ID: in.ID, RecruitedAt: timePtr(in.RecruitedAt), RecruitedIn: in.RecruitedIn,
			RecruitmentMeans: in.RecruitmentMeans, RecruiterIDs: in.RecruiterIDs, OnlinePlatforms: in.OnlinePlatforms,
			RecruitmentStory: in.RecruitmentStory, Origin: in.Origin, TransitPoints: in.TransitPoints, Destination: in.Destination,
			BorderPoint: in.BorderPoint, Transport: in.Transport, ExploitationForm: in.ExploitationForm,
			ExploitationPlace: in.ExploitationPlace, ExploitationSite: in.ExploitationSite, ExploitedFrom: timePtr(in.ExploitedFrom),
			ExploitedUntil: timePtr(in.ExploitedUntil)})
	}
	if len(v.People) > 0 {
		out.People = map[string]Person{}
		for id, p := range v.People {
			out.People[id] = personOut(p)
		}
	}
	for _, e := range v.Timeline {
		out.Timeline = append(out.Timeline, TimelineEvent{At: e.At, Kind: e.Kind, ByUser: e.ByUser, Summary: e.Summary, Note: e.Note})
	}
	return out
}

type caseOutput struct {
	Body Case
}

type caseCreated struct {
	Location string `header:"Location"`
	Body     Case
}

type personOutput struct {
	Body Person
}

type personCreated struct {
	Location string `header:"Location"`
	Body     Person
}

// CasePage is one page of the case list.
type CasePage struct {
	Items []Case `json:"items" nullable:"false"`
	Next  string `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
}

type casePageOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body CasePage
}

type listCasesInput struct {
	Mine     bool   `query:"mine" doc:"Only cases assigned to the caller."`
	Overdue  bool   `query:"overdue" doc:"Only cases with an open checklist step past its deadline."`
	Stage    string `query:"stage" maxLength:"64" doc:"Code of the case_stage list."`
	Status   string `query:"status" maxLength:"64" doc:"Code of the case_status list."`
	District string `query:"district" maxLength:"64" doc:"Gazetteer code of the intake district."`
	Type     string `query:"type" maxLength:"64" doc:"Code of the exploitation list: the case type."`
	Complete string `query:"complete" enum:"yes,no," doc:"Only complete (yes) or incomplete (no) cases."`
	Q        string `query:"q" maxLength:"200" doc:"Search: reference, codes and places; names of the case's people where the caller may see them."`
	PageQuery
}

type caseBodyInput struct {
	Body Case
}

type updateCaseInput struct {
	IDPath
	Body Case
}

type personBodyInput struct {
	Body Person
}

type updatePersonInput struct {
	IDPath
	Body Person
}

// CaseNote is a note for a case's timeline.
type CaseNote struct {
	Note string `json:"note" minLength:"1" maxLength:"20000"`
}

type noteInput struct {
	IDPath
	Body CaseNote
}

// QuickIntake is a first responder's two-minute record.
type QuickIntake struct {
	ClientKey    string    `json:"client_key" minLength:"16" maxLength:"64" doc:"Made by the device when the form opens; a repeated send with the same key returns the case already made."`
	Channel      string    `json:"channel" doc:"Code of the intake_channel list."`
	At           time.Time `json:"at"`
	District     string    `json:"district" maxLength:"64"`
	Point        string    `json:"point,omitempty" maxLength:"200" doc:"Crossing or transit point; required for an interception."`
	Sex          string    `json:"sex"`
	AgeYears     *int      `json:"age_years,omitempty" minimum:"0" maximum:"120"`
	Nationality  string    `json:"nationality,omitempty" pattern:"^[A-Z]{2}$"`
	Name         string    `json:"name,omitempty" maxLength:"200"`
	Exploitation string    `json:"exploitation,omitempty"`
	Note         string    `json:"note,omitempty" maxLength:"2000"`
}

type quickInput struct {
	Body QuickIntake
}

// QuickIntakeResult says which case a quick intake made or found.
type QuickIntakeResult struct {
	CaseID  string `json:"case_id"`
	Ref     string `json:"ref"`
	Created bool   `json:"created" doc:"False when an earlier send with the same client key made the case."`
}

type quickOutput struct {
	Status   int
	Location string `header:"Location"`
	Body     QuickIntakeResult
}

// registerCases registers this area's operations.
func (s *server) registerCases() {
	read, write := access{ScopeRead, policy.RecordBrowse}, access{ScopeWrite, policy.RecordWrite}
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "list-cases", Method: http.MethodGet, Path: "/cases", Tags: []string{"cases"},
		Summary: "List and search cases", Description: "The cases the caller may see, newest first, with reference fields only.",
	}), s.listCases)
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "get-case", Method: http.MethodGet, Path: "/cases/{id}", Tags: []string{"cases"},
		Summary: "Get a case", Description: "The case with its people and timeline as the caller's view shows them; a read showing protected data is audited.",
		Errors: []int{http.StatusNotFound},
	}), s.getCase)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "create-case", Method: http.MethodPost, Path: "/cases", Tags: []string{"cases"},
		Summary: "Create a case", Description: "Owned by the caller's organisation, owner-only and TLP:AMBER until shared.",
		DefaultStatus: http.StatusCreated,
	}), s.createCase)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "update-case", Method: http.MethodPut, Path: "/cases/{id}", Tags: []string{"cases"},
		Summary: "Replace a case", Description: "Only the owning organisation edits; the marking stays.",
		Errors: []int{http.StatusNotFound, http.StatusForbidden},
	}), s.updateCase)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "add-case-note", Method: http.MethodPost, Path: "/cases/{id}/notes", Tags: []string{"cases"},
		Summary: "Add a note to a case's timeline", Description: "Sealed with the case.",
		DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusNotFound, http.StatusForbidden},
	}), s.addCaseNote)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "quick-intake", Method: http.MethodPost, Path: "/intake/quick", Tags: []string{"cases"},
		Summary: "Record a quick intake", Description: "Makes an incomplete case and its person; idempotent by client_key (201 when made, 200 when found).",
		DefaultStatus: http.StatusCreated,
	}), s.quickIntake)
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "get-person", Method: http.MethodGet, Path: "/persons/{id}", Tags: []string{"cases"},
		Summary: "Get a person", Description: "As the caller's view shows them; a read showing protected data is audited.",
		Errors: []int{http.StatusNotFound},
	}), s.getPerson)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "create-person", Method: http.MethodPost, Path: "/persons", Tags: []string{"cases"},
		Summary: "Create a person", DefaultStatus: http.StatusCreated,
	}), s.createPerson)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "update-person", Method: http.MethodPut, Path: "/persons/{id}", Tags: []string{"cases"},
		Summary: "Replace a person", Description: "Only the owning organisation edits.",
		Errors: []int{http.StatusNotFound, http.StatusForbidden},
	}), s.updatePerson)
}

var errNoCases = huma.Error404NotFound("cases are not served here")

func (s *server) listCases(ctx context.Context, in *listCasesInput) (*casePageOutput, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	after, err := decodeCursor("cases", in.Cursor)
	if err != nil {
		return nil, cursorProblem(err)
	}
	list, next, err := s.Cases.FindCases(ctx, atip.CaseFilter{Mine: in.Mine, Overdue: in.Overdue, Stage: in.Stage, Status: in.Status,
		District: in.District, Type: in.Type, Complete: in.Complete, Query: in.Q, After: after, Limit: in.Limit})
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &casePageOutput{Body: CasePage{Items: make([]Case, 0, len(list)), Next: encodeCursor("cases", next)}}
	for _, v := range list {
		out.Body.Items = append(out.Body.Items, caseOut(v))
	}
	out.Link = nextLink(requestURL(ctx), out.Body.Next)
	return out, nil
}

func (s *server) getCase(ctx context.Context, in *IDPath) (*caseOutput, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	v, err := s.Cases.FindCase(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &caseOutput{Body: caseOut(v)}, nil
}

func (s *server) createCase(ctx context.Context, in *caseBodyInput) (*caseCreated, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	c, people := caseIn(&in.Body)
	c.ID = ""
	if err := s.Cases.CreateCase(ctx, c, people...); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	v, err := s.Cases.FindCase(ctx, c.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &caseCreated{Location: "/api/v1/cases/" + url.PathEscape(c.ID), Body: caseOut(v)}, nil
}

func (s *server) updateCase(ctx context.Context, in *updateCaseInput) (*caseOutput, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	c, people := caseIn(&in.Body)
	c.ID = in.ID
	if err := s.Cases.UpdateCase(ctx, c, people...); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	v, err := s.Cases.FindCase(ctx, c.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &caseOutput{Body: caseOut(v)}, nil
}

func (s *server) addCaseNote(ctx context.Context, in *noteInput) (*noContent, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	if err := s.Cases.AddNote(ctx, in.ID, in.Body.Note); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &noContent{}, nil
}

func (s *server) quickIntake(ctx context.Context, in *quickInput) (*quickOutput, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	b := in.Body
	q := &atip.QuickIntake{ClientKey: b.ClientKey, Channel: b.Channel, At: b.At.UTC(), District: b.District, Point: b.Point, Sex: b.Sex,
		AgeYears: -1, Nationality: b.Nationality, Name: b.Name, Exploitation: b.Exploitation, Note: b.Note}
	if b.AgeYears != nil {
		q.AgeYears = *b.AgeYears
	}
	c, created, err := s.Cases.QuickIntake(ctx, q)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	out := &quickOutput{Status: http.StatusOK, Location: "/api/v1/cases/" + url.PathEscape(c.ID),
		Body: QuickIntakeResult{CaseID: c.ID, Ref: c.Ref, Created: created}}
	if created {
		out.Status = http.StatusCreated
	}
	return out, nil
}

func (s *server) getPerson(ctx context.Context, in *IDPath) (*personOutput, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	v, err := s.Cases.FindPerson(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &personOutput{Body: personOut(v)}, nil
}

func (s *server) createPerson(ctx context.Context, in *personBodyInput) (*personCreated, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	p := personIn(&in.Body)
	p.ID = ""
	if err := s.Cases.CreatePerson(ctx, p); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	v, err := s.Cases.FindPerson(ctx, p.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &personCreated{Location: "/api/v1/persons/" + url.PathEscape(p.ID), Body: personOut(v)}, nil
}

func (s *server) updatePerson(ctx context.Context, in *updatePersonInput) (*personOutput, error) {
	if s.Cases == nil {
		return nil, errNoCases
	}
	p := personIn(&in.Body)
	p.ID = in.ID
	if err := s.Cases.UpdatePerson(ctx, p); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	v, err := s.Cases.FindPerson(ctx, p.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &personOutput{Body: personOut(v)}, nil
}
