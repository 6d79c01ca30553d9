package api

import (
	"context"
	"net/http"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// Operations of SOP checklists and deadlines, repatriation and hand-overs,
// care plans and follow-ups, and the legal track (issue 4). The care
// service decides visibility: a case the caller may not see, or sees only
// redacted, is 404.

// CaseStep is one step of a case's SOP checklist.
type CaseStep struct {
	ProcedureID string     `json:"procedure_id"`
	Version     int        `json:"version"`
	StepID      string     `json:"step_id"`
	Title       string     `json:"title" doc:"English wording from the procedure."`
	OwnerRole   string     `json:"owner_role"`
	OwnerOrg    string     `json:"owner_org_type,omitempty" doc:"The kind of organisation owning the step when it is not the case owner."`
	Needs       []string   `json:"evidence_needed" nullable:"false"`
	Source      string     `json:"source,omitempty" doc:"The law or guideline the step comes from."`
	Due         *time.Time `json:"due,omitempty"`
	Zone        string     `json:"zone,omitempty" doc:"IANA zone the deadline is counted in."`
	WaitingOn   string     `json:"waiting_on,omitempty" doc:"step:… or event:… the due time counts from, not yet reached."`
	Status      string     `json:"status" enum:"open,done,skipped"`
	Overdue     bool       `json:"overdue"`
	DoneAt      *time.Time `json:"done_at,omitempty"`
	DoneBy      string     `json:"done_by,omitempty"`
	Evidence    string     `json:"evidence,omitempty"`
	Note        string     `json:"note,omitempty"`
	CanComplete bool       `json:"can_complete"`
}

// Checklist is a case's SOP checklist.
type Checklist struct {
	CaseID  string     `json:"case_id"`
	CaseRef string     `json:"case_ref"`
	TLP     string     `json:"tlp"`
	Steps   []CaseStep `json:"steps" nullable:"false"`
}

type checklistOutput struct{ Body Checklist }

// StepDone marks a step done.
type StepDone struct {
	ProcedureID string `json:"procedure_id" maxLength:"100"`
	StepID      string `json:"step_id" maxLength:"100"`
	Evidence    string `json:"evidence,omitempty" maxLength:"500" doc:"A reference to what shows the step was done; no names."`
	Note        string `json:"note,omitempty" maxLength:"2000"`
}

type stepDoneInput struct {
	IDPath
	Body StepDone
}

// OverdueStep is one overdue step of the caller's organisation.
type OverdueStep struct {
	CaseID      string    `json:"case_id"`
	CaseRef     string    `json:"case_ref"`
	TLP         string    `json:"tlp"`
	ProcedureID string    `json:"procedure_id"`
	StepID      string    `json:"step_id"`
	Title       string    `json:"title"`
	OwnerRole   string    `json:"owner_role"`
	Due         time.Time `json:"due"`
	LateSeconds int64     `json:"late_seconds"`
}

// MissedFollowUp is a follow-up visit past due and its grace period.
type MissedFollowUp struct {
	CaseID      string    `json:"case_id"`
	CaseRef     string    `json:"case_ref"`
	TLP         string    `json:"tlp"`
	FollowUpID  string    `json:"follow_up_id"`
	Due         time.Time `json:"due"`
	LateSeconds int64     `json:"late_seconds"`
}

// Overdue is the overdue dashboard.
type Overdue struct {
	Steps           []OverdueStep    `json:"steps" nullable:"false"`
	MissedFollowUps []MissedFollowUp `json:"missed_follow_ups" nullable:"false"`
}

type overdueOutput struct{ Body Overdue }

// HandOver is a hand-over of a person between organisations.
type HandOver struct {
	ID             string     `json:"id"`
	CaseID         string     `json:"case_id"`
	CaseRef        string     `json:"case_ref"`
	TLP            string     `json:"tlp"`
	RepatriationID string     `json:"repatriation_id"`
	FromOrgID      string     `json:"from_org_id"`
	ToOrgID        string     `json:"to_org_id"`
	Place          string     `json:"place"`
	At             time.Time  `json:"at"`
	HandedBy       string     `json:"handed_by"`
	ReceivedBy     string     `json:"received_by,omitempty"`
	ConfirmedAt    *time.Time `json:"confirmed_at,omitempty"`
	Note           string     `json:"note,omitempty"`
	Incoming       bool       `json:"incoming" doc:"The caller's organisation is the receiver."`
	CanConfirm     bool       `json:"can_confirm"`
}

type handOverOutput struct{ Body HandOver }

// HandOverList is the hand-overs to or from the caller's organisation.
type HandOverList struct {
	Items []HandOver `json:"items" nullable:"false"`
}

type handOverListOutput struct{ Body HandOverList }

// NewHandOver records a hand-over from the case's owner.
type NewHandOver struct {
	RepatriationID string     `json:"repatriation_id" maxLength:"64"`
	ToOrgID        string     `json:"to_org_id" maxLength:"64"`
	Place          string     `json:"place" maxLength:"200"`
	At             *time.Time `json:"at,omitempty" doc:"Now when not given."`
	Note           string     `json:"note,omitempty" maxLength:"1000"`
}

type newHandOverInput struct {
	IDPath
	Body NewHandOver
}

// Repatriation is a repatriation of a case (protected fields only when
// the caller may see them).
type Repatriation struct {
	ID             string     `json:"id,omitempty" readOnly:"true"`
	Kind           string     `json:"kind" enum:"inter_state,cross_border"`
	ToOrgID        string     `json:"to_org_id" maxLength:"64"`
	ToDistrict     string     `json:"to_district,omitempty" maxLength:"200"`
	CrossingPoint  string     `json:"crossing_point,omitempty" maxLength:"200"`
	Escort         string     `json:"escort,omitempty" maxLength:"200"`
	TravelPlan     string     `json:"travel_plan,omitempty" maxLength:"4000"`
	HomeVerifiedAt *time.Time `json:"home_verified_at,omitempty"`
	HomeSafe       bool       `json:"home_safe,omitempty"`
	HomeReport     string     `json:"home_report,omitempty" maxLength:"8000"`
	Status         string     `json:"status,omitempty" enum:"planned,verified,in_transit,handed_over,received"`
	HandOverIDs    []string   `json:"hand_over_ids,omitempty" readOnly:"true"`
}

// Repatriations is a case's repatriations.
type Repatriations struct {
	CaseID  string         `json:"case_id"`
	CaseRef string         `json:"case_ref"`
	TLP     string         `json:"tlp"`
	Items   []Repatriation `json:"items" nullable:"false"`
	CanEdit bool           `json:"can_edit"`
}

type repatriationsOutput struct{ Body Repatriations }

type repatriationInput struct {
	IDPath
	Body Repatriation
}

type repatriationOutput struct{ Body Repatriation }

// Milestone is a dated target of a service.
type Milestone struct {
	Title  string     `json:"title" maxLength:"200"`
	Due    *time.Time `json:"due,omitempty"`
	DoneAt *time.Time `json:"done_at,omitempty"`
}

// Service is one service of a care plan.
type Service struct {
	Type       string      `json:"type" doc:"codelist support_type, e.g. medical, psychosocial, legal_aid, education, skills, livelihood, compensation."`
	ProviderID string      `json:"provider_org_id,omitempty" maxLength:"64"`
	Status     string      `json:"status,omitempty" doc:"codelist service_status; planned when not given."`
	Detail     string      `json:"detail,omitempty" maxLength:"4000" doc:"Health detail (health class)."`
	Milestones []Milestone `json:"milestones,omitempty"`
}

// CarePlan is a survivor's care plan.
type CarePlan struct {
	ID        string     `json:"id,omitempty" readOnly:"true"`
	PersonID  string     `json:"person_id,omitempty" maxLength:"64"`
	AgreedAt  *time.Time `json:"agreed_at,omitempty"`
	ReviewDue *time.Time `json:"review_due,omitempty"`
	Goals     string     `json:"goals,omitempty" maxLength:"4000"`
	Services  []Service  `json:"services" maxItems:"50"`
}

type carePlanInput struct {
	IDPath
	Body CarePlan
}

type carePlanOutput struct{ Body CarePlan }

// Risk is the short re-trafficking risk assessment of a visit.
type Risk struct {
	Level                    string `json:"level,omitempty" enum:"low,medium,high"`
	NoIncome                 bool   `json:"no_income,omitempty"`
	DebtPressure             bool   `json:"debt_pressure,omitempty"`
	FamilyRejection          bool   `json:"family_rejection,omitempty"`
	RecontactedByTraffickers bool   `json:"recontacted_by_traffickers,omitempty"`
	OfferToMigrate           bool   `json:"offer_to_migrate,omitempty"`
	OutOfSchool              bool   `json:"out_of_school,omitempty"`
	Unsafe                   bool   `json:"unsafe,omitempty"`
}

// FollowUp is a follow-up visit.
type FollowUp struct {
	ID       string     `json:"id"`
	PersonID string     `json:"person_id,omitempty"`
	Due      time.Time  `json:"due"`
	DoneAt   *time.Time `json:"done_at,omitempty"`
	ByUserID string     `json:"by_user_id,omitempty"`
	Missed   bool       `json:"missed" doc:"The visit was made but the person was not found."`
	Risk     Risk       `json:"risk"`
	Note     string     `json:"note,omitempty"`
}

// Care is a case's care plans and follow-ups.
type Care struct {
	CaseID    string     `json:"case_id"`
	CaseRef   string     `json:"case_ref"`
	TLP       string     `json:"tlp"`
	Plans     []CarePlan `json:"plans" nullable:"false"`
	FollowUps []FollowUp `json:"follow_ups" nullable:"false"`
	CanEdit   bool       `json:"can_edit"`
}

type careOutput struct{ Body Care }

// ScheduleFollowUps schedules visits after reintegration.
type ScheduleFollowUps struct {
	PersonID       string    `json:"person_id,omitempty" maxLength:"64"`
	ReintegratedAt time.Time `json:"reintegrated_at"`
	Months         []int     `json:"months,omitempty" maxItems:"24" doc:"Months after reintegration; 1, 3, 6 and 12 when not given."`
}

type scheduleInput struct {
	IDPath
	Body ScheduleFollowUps
}

// FollowUpList is the visits scheduled.
type FollowUpList struct {
	Items []FollowUp `json:"items" nullable:"false"`
}

type followUpListOutput struct{ Body FollowUpList }

// FollowUpVisit records a visit.
type FollowUpVisit struct {
	FollowUpID string     `json:"follow_up_id" maxLength:"64"`
	DoneAt     *time.Time `json:"done_at,omitempty" doc:"Now when not given."`
	Missed     bool       `json:"missed,omitempty"`
	Risk       Risk       `json:"risk"`
	Note       string     `json:"note,omitempty" maxLength:"4000"`
}

type visitInput struct {
	IDPath
	Body FollowUpVisit
}

// LawSection is a section of an act.
type LawSection struct {
	Act     string `json:"act" maxLength:"50"`
	Section string `json:"section" maxLength:"50"`
}

// Arrest is an arrest of a suspect of the case.
type Arrest struct {
	PersonID string    `json:"person_id" maxLength:"64"`
	At       time.Time `json:"at"`
	Bail     bool      `json:"bail,omitempty"`
}

// StageEntry is when the prosecution reached a stage.
type StageEntry struct {
	Stage string    `json:"stage"`
	At    time.Time `json:"at"`
}

// LegalTrack is the prosecution of a case.
type LegalTrack struct {
	ID                  string       `json:"id,omitempty" readOnly:"true"`
	PoliceStation       string       `json:"police_station,omitempty" maxLength:"200"`
	FIRNumber           string       `json:"fir_number,omitempty" maxLength:"100"`
	FIRAt               *time.Time   `json:"fir_at,omitempty"`
	Sections            []LawSection `json:"sections,omitempty" maxItems:"50"`
	Arrests             []Arrest     `json:"arrests,omitempty" maxItems:"200"`
	ChargeSheetDeadline string       `json:"charge_sheet_deadline,omitempty" maxLength:"100" doc:"Deadline table entry; in.bnss.s187.charge_sheet_60 when not given."`
	ChargeSheetDue      *time.Time   `json:"charge_sheet_due,omitempty" readOnly:"true"`
	ChargeSheetLaw      string       `json:"charge_sheet_law,omitempty" readOnly:"true"`
	ChargeSheetAt       *time.Time   `json:"charge_sheet_at,omitempty"`
	FinalReportAt       *time.Time   `json:"final_report_at,omitempty"`
	Court               string       `json:"court,omitempty" maxLength:"200"`
	CourtCaseNumber     string       `json:"court_case_number,omitempty" maxLength:"100"`
	Stage               string       `json:"stage,omitempty" doc:"codelist legal_stage"`
	Stages              []StageEntry `json:"stages,omitempty" maxItems:"50"`
	Outcome             string       `json:"outcome,omitempty" doc:"codelist trial_outcome"`
	OutcomeAt           *time.Time   `json:"outcome_at,omitempty"`
	Sentence            string       `json:"sentence,omitempty" maxLength:"500"`
	WitnessProtection   string       `json:"witness_protection,omitempty" maxLength:"8000" doc:"Statement class: shown only where permitted."`
}

// Legal is a case's legal track.
type Legal struct {
	CaseID  string      `json:"case_id"`
	CaseRef string      `json:"case_ref"`
	TLP     string      `json:"tlp"`
	Track   *LegalTrack `json:"track,omitempty"`
	CanEdit bool        `json:"can_edit"`
}

type legalOutput struct{ Body Legal }

type legalInput struct {
	IDPath
	Body LegalTrack
}

func (s *server) registerCare() {
	tags := []string{"care"}
	reg := func(sc string, act policy.Action, o huma.Operation) huma.Operation {
		o.Tags = tags
		if o.Errors == nil {
			o.Errors = []int{http.StatusNotFound}
		}
		return operation(access{sc, act}, o)
	}
	huma.Register(s.api, reg(ScopeRead, policy.RecordBrowse, huma.Operation{OperationID: "get-case-checklist", Method: http.MethodGet,
		Path: "/cases/{id}/checklist", Summary: "Get a case's SOP checklist"}), s.getChecklist)
	huma.Register(s.api, reg(ScopeWrite, policy.RecordWrite, huma.Operation{OperationID: "complete-case-step", Method: http.MethodPost,
		Path: "/cases/{id}/steps", Summary: "Mark a checklist step done",
		Description: "Only users of the step's owner role at the owning organisation, or its supervisors, may.",
		Errors:      []int{http.StatusNotFound, http.StatusForbidden, http.StatusConflict}}), s.completeStep)
	huma.Register(s.api, reg(ScopeRead, policy.RecordBrowse, huma.Operation{OperationID: "list-overdue", Method: http.MethodGet,
		Path: "/dashboard/overdue", Summary: "List my organisation's overdue steps and missed follow-ups", Errors: []int{}}), s.listOverdue)
	huma.Register(s.api, reg(ScopeRead, policy.RecordBrowse, huma.Operation{OperationID: "list-case-repatriations", Method: http.MethodGet,
		Path: "/cases/{id}/repatriations", Summary: "List a case's repatriations"}), s.listRepatriations)
	huma.Register(s.api, reg(ScopeWrite, policy.RecordWrite, huma.Operation{OperationID: "create-repatriation", Method: http.MethodPost,
		Path: "/cases/{id}/repatriations", Summary: "Plan a repatriation", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusForbidden}}), s.createRepatriation)
	huma.Register(s.api, reg(ScopeWrite, policy.RecordWrite, huma.Operation{OperationID: "create-hand-over", Method: http.MethodPost,
		Path: "/cases/{id}/hand-overs", Summary: "Record a hand-over to another organisation", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusForbidden}}), s.createHandOver)
	huma.Register(s.api, reg(ScopeRead, policy.RecordBrowse, huma.Operation{OperationID: "list-hand-overs", Method: http.MethodGet,
		Path: "/hand-overs", Summary: "List hand-overs to or from my organisation", Errors: []int{}}), s.listHandOvers)
	huma.Register(s.api, reg(ScopeRead, policy.RecordBrowse, huma.Operation{OperationID: "get-hand-over", Method: http.MethodGet,
		Path: "/hand-overs/{id}", Summary: "Get a hand-over"}), s.getHandOver)
	huma.Register(s.api, reg(ScopeWrite, policy.RecordWrite, huma.Operation{OperationID: "confirm-hand-over", Method: http.MethodPost,
		Path: "/hand-overs/{id}/confirm", Summary: "Confirm receipt of a hand-over",
		Description: "Only the receiving organisation confirms; confirming gives it the case by an accepted referral.",
		Errors:      []int{http.StatusNotFound, http.StatusForbidden, http.StatusConflict}}), s.confirmHandOver)
	huma.Register(s.api, reg(ScopeRead, policy.RecordBrowse, huma.Operation{OperationID: "get-case-care", Method: http.MethodGet,
		Path: "/cases/{id}/care", Summary: "Get a case's care plans and follow-up visits"}), s.getCare)
	huma.Register(s.api, reg(ScopeWrite, policy.RecordWrite, huma.Operation{OperationID: "create-care-plan", Method: http.MethodPost,
		Path: "/cases/{id}/care-plans", Summary: "Add a care plan", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusForbidden}}), s.createCarePlan)
	huma.Register(s.api, reg(ScopeWrite, policy.RecordWrite, huma.Operation{OperationID: "schedule-follow-ups", Method: http.MethodPost,
		Path: "/cases/{id}/follow-ups", Summary: "Schedule follow-up visits after reintegration", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusForbidden}}), s.scheduleFollowUps)
	huma.Register(s.api, reg(ScopeWrite, policy.RecordWrite, huma.Operation{OperationID: "record-follow-up", Method: http.MethodPost,
		Path: "/cases/{id}/follow-up-visits", Summary: "Record a follow-up visit with its risk assessment",
		Errors: []int{http.StatusNotFound, http.StatusForbidden, http.StatusConflict}}), s.recordFollowUp)
	huma.Register(s.api, reg(ScopeRead, policy.RecordBrowse, huma.Operation{OperationID: "get-legal-track", Method: http.MethodGet,
		Path: "/cases/{id}/legal", Summary: "Get a case's legal track"}), s.getLegal)
	huma.Register(s.api, reg(ScopeWrite, policy.RecordWrite, huma.Operation{OperationID: "save-legal-track", Method: http.MethodPut,
		Path: "/cases/{id}/legal", Summary: "Create or replace a case's legal track",
		Description: "The charge sheet's due date is computed from the first arrest and the statutory deadline table.",
		Errors:      []int{http.StatusNotFound, http.StatusForbidden}}), s.saveLegal)
}

var errNoCare = atip.Errorf(atip.ENOTFOUND, "care work is not served here")

func (s *server) care() (atip.CareService, error) {
	if s.Care == nil {
		return nil, errNoCare
	}
	return s.Care, nil
}

func tp(t time.Time) *time.Time { return timePtr(t) }

func tv(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func (s *server) getChecklist(ctx context.Context, in *IDPath) (*checklistOutput, error) {
	svc, err := s.care()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	cl, err := svc.Checklist(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	out := &checklistOutput{Body: Checklist{CaseID: cl.CaseID, CaseRef: cl.CaseRef, TLP: string(cl.TLP), Steps: []CaseStep{}}}
	for _, st := range cl.Steps {
		out.Body.Steps = append(out.Body.Steps, CaseStep{ProcedureID: st.ProcedureID, Version: st.Version, StepID: st.StepID, Title: st.Title,
			OwnerRole: string(st.Owner), OwnerOrg: string(st.OwnerOrg), Needs: nonNilStrings(st.Needs), Source: st.Source, Due: tp(st.Due), Zone: st.Zone,
			WaitingOn: st.WaitingOn, Status: st.Status, Overdue: st.Overdue, DoneAt: tp(st.DoneAt), DoneBy: st.DoneBy,
			Evidence: st.Evidence, Note: st.Note, CanComplete: st.CanComplete})
	}
	return out, nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *server) completeStep(ctx context.Context, in *stepDoneInput) (*checklistOutput, error) {
	svc, err := s.care()
	if err == nil {
		err = svc.CompleteStep(ctx, in.ID, in.Body.ProcedureID, in.Body.StepID, atip.StepDone{Evidence: in.Body.Evidence, Note: in.Body.Note})
	}
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return s.getChecklist(ctx, &in.IDPath)
}

func (s *server) listOverdue(ctx context.Context, _ *struct{}) (*overdueOutput, error) {
	svc, err := s.care()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	steps, err := svc.Overdue(ctx)
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	missed, err := svc.MissedFollowUps(ctx)
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &overdueOutput{Body: Overdue{Steps: []OverdueStep{}, MissedFollowUps: []MissedFollowUp{}}}
	for _, o := range steps {
		out.Body.Steps = append(out.Body.Steps, OverdueStep{CaseID: o.CaseID, CaseRef: o.CaseRef, TLP: string(o.TLP), ProcedureID: o.ProcedureID,
			StepID: o.StepID, Title: o.Title, OwnerRole: string(o.Owner), Due: o.Due, LateSeconds: int64(o.Late / time.Second)})
	}
	for _, m := range missed {
		out.Body.MissedFollowUps = append(out.Body.MissedFollowUps, MissedFollowUp{CaseID: m.CaseID, CaseRef: m.CaseRef, TLP: string(m.TLP),
			FollowUpID: m.FollowUpID, Due: m.Due, LateSeconds: int64(m.Late / time.Second)})
	}
	return out, nil
}

func repOut(r *atip.Repatriation) Repatriation {
	out := Repatriation{ID: r.ID, Kind: r.Kind, ToOrgID: r.ToOrgID, ToDistrict: r.ToDistrict, CrossingPoint: r.CrossingPt, Escort: r.Escort,
		TravelPlan: r.TravelPlan, HomeVerifiedAt: tp(r.HomeVerification.DoneAt), HomeSafe: r.HomeVerification.Safe,
		HomeReport: r.HomeVerification.Report, Status: r.Status}
	for _, h := range r.HandOvers {
		out.HandOverIDs = append(out.HandOverIDs, h.ID)
	}
	return out
}

func (s *server) listRepatriations(ctx context.Context, in *IDPath) (*repatriationsOutput, error) {
	svc, err := s.care()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	d, err := svc.Repatriations(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	out := &repatriationsOutput{Body: Repatriations{CaseID: d.CaseID, CaseRef: d.CaseRef, TLP: string(d.TLP), CanEdit: d.CanEdit, Items: []Repatriation{}}}
	for i := range d.Items {
		out.Body.Items = append(out.Body.Items, repOut(&d.Items[i]))
	}
	return out, nil
}

func (s *server) createRepatriation(ctx context.Context, in *repatriationInput) (*repatriationOutput, error) {
	svc, err := s.care()
	b := in.Body
	r := &atip.Repatriation{CaseID: in.ID, Kind: b.Kind, ToOrgID: b.ToOrgID, ToDistrict: b.ToDistrict, CrossingPt: b.CrossingPoint,
		Escort: b.Escort, TravelPlan: b.TravelPlan, Status: b.Status,
		HomeVerification: atip.HomeVerification{DoneAt: tv(b.HomeVerifiedAt), Safe: b.HomeSafe, Report: b.HomeReport}}
	if err == nil {
		err = svc.SaveRepatriation(ctx, r)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &repatriationOutput{Body: repOut(r)}, nil
}

func handOverOut(h *atip.HandOverInfo) HandOver {
	return HandOver{ID: h.ID, CaseID: h.CaseID, CaseRef: h.CaseRef, TLP: string(h.TLP), RepatriationID: h.RepatriationID,
		FromOrgID: h.FromOrgID, ToOrgID: h.ToOrgID, Place: h.Place, At: h.At, HandedBy: h.HandedBy, ReceivedBy: h.ReceivedBy,
		ConfirmedAt: tp(h.ConfirmedAt), Note: h.Note, Incoming: h.Incoming, CanConfirm: h.CanConfirm}
}

func (s *server) createHandOver(ctx context.Context, in *newHandOverInput) (*handOverOutput, error) {
	svc, err := s.care()
	h := &atip.HandOver{ToOrgID: in.Body.ToOrgID, Place: in.Body.Place, At: tv(in.Body.At), Note: in.Body.Note}
	if err == nil {
		err = svc.AddHandOver(ctx, in.ID, in.Body.RepatriationID, h)
	}
	var got *atip.HandOverInfo
	if err == nil {
		got, err = svc.HandOver(ctx, h.ID)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &handOverOutput{Body: handOverOut(got)}, nil
}

func (s *server) listHandOvers(ctx context.Context, _ *struct{}) (*handOverListOutput, error) {
	svc, err := s.care()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	hs, err := svc.HandOvers(ctx)
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &handOverListOutput{Body: HandOverList{Items: []HandOver{}}}
	for i := range hs {
		out.Body.Items = append(out.Body.Items, handOverOut(&hs[i]))
	}
	return out, nil
}

func (s *server) getHandOver(ctx context.Context, in *IDPath) (*handOverOutput, error) {
	svc, err := s.care()
	var h *atip.HandOverInfo
	if err == nil {
		h, err = svc.HandOver(ctx, in.ID)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &handOverOutput{Body: handOverOut(h)}, nil
}

func (s *server) confirmHandOver(ctx context.Context, in *IDPath) (*handOverOutput, error) {
	svc, err := s.care()
	if err == nil {
		err = svc.ConfirmHandOver(ctx, in.ID)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return s.getHandOver(ctx, in)
}

func planOut(p *atip.CarePlan) CarePlan {
	out := CarePlan{ID: p.ID, PersonID: p.PersonID, AgreedAt: tp(p.AgreedAt), ReviewDue: tp(p.ReviewDue), Goals: p.Goals, Services: []Service{}}
	for _, sv := range p.Services {
		o := Service{Type: sv.Type, ProviderID: sv.ProviderID, Status: sv.Status, Detail: sv.Detail}
		for _, m := range sv.Milestones {
			o.Milestones = append(o.Milestones, Milestone{Title: m.Title, Due: tp(m.Due), DoneAt: tp(m.DoneAt)})
		}
		out.Services = append(out.Services, o)
	}
	return out
}

func riskOut(r atip.RiskAssessment) Risk {
	return Risk{Level: r.Level, NoIncome: r.NoIncome, DebtPressure: r.DebtPressure, FamilyRejection: r.FamilyRejection,
		RecontactedByTraffickers: r.RecontactedByTraffickers, OfferToMigrate: r.OfferToMigrate, OutOfSchool: r.OutOfSchool, Unsafe: r.Unsafe}
}

func followUpOut(f *atip.FollowUp) FollowUp {
	return FollowUp{ID: f.ID, PersonID: f.PersonID, Due: f.Due, DoneAt: tp(f.DoneAt), ByUserID: f.ByUserID, Missed: f.Missed,
		Risk: riskOut(f.Risk), Note: f.Note}
}

func (s *server) getCare(ctx context.Context, in *IDPath) (*careOutput, error) {
	svc, err := s.care()
	var d *atip.CaseCare
	if err == nil {
		d, err = svc.Care(ctx, in.ID)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	out := &careOutput{Body: Care{CaseID: d.CaseID, CaseRef: d.CaseRef, TLP: string(d.TLP), CanEdit: d.CanEdit, Plans: []CarePlan{}, FollowUps: []FollowUp{}}}
	for i := range d.Plans {
		out.Body.Plans = append(out.Body.Plans, planOut(&d.Plans[i]))
	}
	for i := range d.FollowUps {
		out.Body.FollowUps = append(out.Body.FollowUps, followUpOut(&d.FollowUps[i]))
	}
	return out, nil
}

func (s *server) createCarePlan(ctx context.Context, in *carePlanInput) (*carePlanOutput, error) {
	svc, err := s.care()
	b := in.Body
	p := &atip.CarePlan{CaseID: in.ID, PersonID: b.PersonID, AgreedAt: tv(b.AgreedAt), ReviewDue: tv(b.ReviewDue), Goals: b.Goals}
	for _, sv := range b.Services {
		o := atip.Service{Type: sv.Type, ProviderID: sv.ProviderID, Status: sv.Status, Detail: sv.Detail}
		for _, m := range sv.Milestones {
			o.Milestones = append(o.Milestones, atip.Milestone{Title: m.Title, Due: tv(m.Due), DoneAt: tv(m.DoneAt)})
		}
		p.Services = append(p.Services, o)
	}
	if err == nil {
		err = svc.SaveCarePlan(ctx, p)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &carePlanOutput{Body: planOut(p)}, nil
}

func (s *server) scheduleFollowUps(ctx context.Context, in *scheduleInput) (*followUpListOutput, error) {
	svc, err := s.care()
	var fs []atip.FollowUp
	if err == nil {
		fs, err = svc.ScheduleFollowUps(ctx, in.ID, in.Body.PersonID, in.Body.ReintegratedAt, in.Body.Months)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	out := &followUpListOutput{Body: FollowUpList{Items: []FollowUp{}}}
	for i := range fs {
		out.Body.Items = append(out.Body.Items, followUpOut(&fs[i]))
	}
	return out, nil
}

func (s *server) recordFollowUp(ctx context.Context, in *visitInput) (*careOutput, error) {
	svc, err := s.care()
	b := in.Body
	r := b.Risk
	v := atip.FollowUp{DoneAt: tv(b.DoneAt), Missed: b.Missed, Note: b.Note, Risk: atip.RiskAssessment{Level: r.Level, NoIncome: r.NoIncome,
		DebtPressure: r.DebtPressure, FamilyRejection: r.FamilyRejection, RecontactedByTraffickers: r.RecontactedByTraffickers,
		OfferToMigrate: r.OfferToMigrate, OutOfSchool: r.OutOfSchool, Unsafe: r.Unsafe}}
	if err == nil {
		err = svc.RecordFollowUp(ctx, in.ID, b.FollowUpID, v)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return s.getCare(ctx, &in.IDPath)
}

func legalOut(l *atip.LegalTrack) *LegalTrack {
	if l == nil {
		return nil
	}
	out := &LegalTrack{ID: l.ID, PoliceStation: l.PoliceStation, FIRNumber: l.FIRNumber, FIRAt: tp(l.FIRAt),
		ChargeSheetDeadline: l.ChargeSheetDeadline, ChargeSheetDue: tp(l.ChargeSheetDue), ChargeSheetLaw: l.ChargeSheetLaw,
		ChargeSheetAt: tp(l.ChargeSheetAt), FinalReportAt: tp(l.FinalReportAt), Court: l.Court, CourtCaseNumber: l.CourtCaseNumber,
		Stage: l.Stage, Outcome: l.Outcome, OutcomeAt: tp(l.OutcomeAt), Sentence: l.Sentence, WitnessProtection: l.WitnessProtection}
	for _, x := range l.Sections {
		out.Sections = append(out.Sections, LawSection{Act: x.Act, Section: x.Section})
	}
	for _, a := range l.Arrests {
		out.Arrests = append(out.Arrests, Arrest{PersonID: a.PersonID, At: a.At, Bail: a.Bail})
	}
	for _, st := range l.Stages {
		out.Stages = append(out.Stages, StageEntry{Stage: st.Stage, At: st.At})
	}
	return out
}

func (s *server) getLegal(ctx context.Context, in *IDPath) (*legalOutput, error) {
	svc, err := s.care()
	var d *atip.CaseLegal
	if err == nil {
		d, err = svc.Legal(ctx, in.ID)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	return &legalOutput{Body: Legal{CaseID: d.CaseID, CaseRef: d.CaseRef, TLP: string(d.TLP), CanEdit: d.CanEdit, Track: legalOut(d.Track)}}, nil
}

func (s *server) saveLegal(ctx context.Context, in *legalInput) (*legalOutput, error) {
	svc, err := s.care()
	b := in.Body
	l := &atip.LegalTrack{CaseID: in.ID, PoliceStation: b.PoliceStation, FIRNumber: b.FIRNumber, FIRAt: tv(b.FIRAt),
		ChargeSheetDeadline: b.ChargeSheetDeadline, ChargeSheetAt: tv(b.ChargeSheetAt), FinalReportAt: tv(b.FinalReportAt),
		Court: b.Court, CourtCaseNumber: b.CourtCaseNumber, Stage: b.Stage, Outcome: b.Outcome, OutcomeAt: tv(b.OutcomeAt),
		Sentence: b.Sentence, WitnessProtection: b.WitnessProtection}
	for _, x := range b.Sections {
		l.Sections = append(l.Sections, atip.LawSection{Act: x.Act, Section: x.Section})
	}
	for _, a := range b.Arrests {
		l.Arrests = append(l.Arrests, atip.Arrest{PersonID: a.PersonID, At: a.At.UTC(), Bail: a.Bail})
	}
	for _, st := range b.Stages {
		l.Stages = append(l.Stages, atip.StageEntry{Stage: st.Stage, At: st.At.UTC()})
	}
	if err == nil {
		err = svc.SaveLegal(ctx, l)
	}
	if err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return s.getLegal(ctx, &in.IDPath)
}
