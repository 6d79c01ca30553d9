package api

import (
	"context"
	"net/http"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// Operations of signals, interceptions at borders and transit points, and
// missing-person reports (issue 4). Lists answer each record's redacted
// view; a record read by id carries its protected fields when the policy
// shows them (Full), and the service audits that look.

// RecordMarking is a record's owner and marking on the wire.
type RecordMarking struct {
	OwnerOrgID   string    `json:"owner_org_id"`
	Distribution string    `json:"distribution" doc:"owner, groups or platform: who may know the record exists."`
	TLP          string    `json:"tlp" doc:"Traffic Light Protocol 2.0 marking."`
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func markingOut(i atip.RecordInfo) RecordMarking {
	return RecordMarking{OwnerOrgID: i.OwnerOrgID, Distribution: string(i.Distribution), TLP: string(i.TLP),
		CreatedAt: i.CreatedAt, CreatedBy: i.CreatedBy, UpdatedAt: i.UpdatedAt}
}

// MarkingIn is the marking asked for a new record; absent means owner-only
// and AMBER.
type MarkingIn struct {
	Distribution string `json:"distribution,omitempty" enum:"owner,groups,platform," doc:"Default owner."`
	TLP          string `json:"tlp,omitempty" enum:"CLEAR,GREEN,AMBER,AMBER+STRICT,RED," doc:"Default AMBER."`
}

func (m MarkingIn) info() atip.RecordInfo {
	return atip.RecordInfo{Distribution: atip.Distribution(m.Distribution), TLP: atip.TLP(m.TLP)}
}

// StoppedPerson is a person stopped at a point, or a missing person, as
// first recorded. Names, age and phone are protected: absent unless the
// caller may see them.
type StoppedPerson struct {
	Names       []string `json:"names,omitempty" maxItems:"10" doc:"Names and aliases in any script (protected)."`
	Sex         string   `json:"sex,omitempty" doc:"Code of the sex list."`
	Age         *int     `json:"age,omitempty" minimum:"0" maximum:"120" doc:"Age in years, stated or estimated (protected); absent when unknown."`
	AgeEstimate bool     `json:"age_estimate,omitempty"`
	AgeBand     string   `json:"age_band,omitempty" readOnly:"true" doc:"Age band, shown in the redacted view."`
	Nationality string   `json:"nationality,omitempty" maxLength:"2" doc:"ISO 3166-1 alpha-2."`
	Phone       string   `json:"phone,omitempty" maxLength:"40" doc:"Protected."`
}

func stoppedOut(p atip.StoppedPerson, full bool) StoppedPerson {
	out := StoppedPerson{Names: p.Names, Sex: p.Sex, AgeEstimate: p.AgeEstimate, AgeBand: p.AgeBand, Nationality: p.Nationality, Phone: p.Phone}
	if full && p.AgeYears >= 0 {
		age := p.AgeYears
		out.Age = &age
	}
	return out
}

func (p StoppedPerson) in() atip.StoppedPerson {
	age := -1
	if p.Age != nil {
		age = *p.Age
	}
	return atip.StoppedPerson{Names: p.Names, Sex: p.Sex, AgeYears: age, AgeEstimate: p.AgeEstimate, Nationality: p.Nationality, Phone: p.Phone}
}

// Companion is someone travelling with the people stopped.
type Companion struct {
	Name     string `json:"name,omitempty" maxLength:"300" doc:"Protected."`
	Relation string `json:"relation,omitempty" maxLength:"100" doc:"As stated: father, uncle, employer, agent, none."`
	Sex      string `json:"sex,omitempty"`
	Age      *int   `json:"age,omitempty" minimum:"0" maximum:"120" doc:"Protected; absent when unknown."`
	AgeBand  string `json:"age_band,omitempty" readOnly:"true"`
	Phone    string `json:"phone,omitempty" maxLength:"40" doc:"Protected."`
}

// Interception is a stop at a border crossing or transit point.
type Interception struct {
	ID   string `json:"id"`
	Ref  string `json:"ref" doc:"Pseudonymous reference, e.g. INT-7F3A-91C2."`
	Full bool   `json:"full" doc:"Protected fields are included."`
	RecordMarking
	At               time.Time       `json:"at"`
	Point            string          `json:"point"`
	District         string          `json:"district,omitempty" doc:"Gazetteer code."`
	Direction        string          `json:"direction,omitempty"`
	Transport        string          `json:"transport,omitempty"`
	Origin           string          `json:"origin,omitempty"`
	Destination      string          `json:"destination,omitempty"`
	StatedPurpose    string          `json:"stated_purpose,omitempty"`
	Stopped          []StoppedPerson `json:"stopped" nullable:"false"`
	Companions       []Companion     `json:"companions" nullable:"false"`
	CatalogueVersion int             `json:"catalogue_version" doc:"The red-flag catalogue version that computed the score."`
	Flags            []string        `json:"flags" nullable:"false"`
	Score            int             `json:"score"`
	Certainty        int             `json:"certainty" doc:"The officer's certainty, 1 to 5."`
	Prompted         bool            `json:"prompted" doc:"The score or the certainty crossed the thresholds: open a case."`
	Outcome          string          `json:"outcome,omitempty"`
	CaseID           string          `json:"case_id,omitempty"`
	Account          string          `json:"account,omitempty" doc:"What the people stopped said (protected)."`
	RecordedBy       string          `json:"recorded_by"`
	Verification     string          `json:"verification,omitempty" doc:"verified or rejected by a second person; absent while waiting."`
	VerifiedBy       string          `json:"verified_by,omitempty"`
	VerifiedAt       *time.Time      `json:"verified_at,omitempty"`
	VerifyNote       string          `json:"verify_note,omitempty"`
}

func interceptionOut(x *atip.Interception, full bool) Interception {
	out := Interception{ID: x.ID, Ref: x.Ref, Full: full, RecordMarking: markingOut(x.Info), At: x.At, Point: x.Point, District: x.District,
		Direction: x.Direction, Transport: x.Transport, Origin: x.Origin, Destination: x.Destination, StatedPurpose: x.StatedPurpose,
		Stopped: make([]StoppedPerson, 0, len(x.Stopped)), Companions: make([]Companion, 0, len(x.Companions)),
		CatalogueVersion: x.CatalogueVersion, Flags: append([]string{}, x.Flags...), Score: x.Score, Certainty: x.Certainty,
		Prompted: x.Prompted, Outcome: x.Outcome, CaseID: x.CaseID, Account: x.Account, RecordedBy: x.RecordedBy,
		Verification: x.Verification, VerifiedBy: x.VerifiedBy, VerifiedAt: timePtr(x.VerifiedAt), VerifyNote: x.VerifyNote}
	for _, p := range x.Stopped {
		out.Stopped = append(out.Stopped, stoppedOut(p, full))
	}
	for _, c := range x.Companions {
		cj := Companion{Name: c.Name, Relation: c.Relation, Sex: c.Sex, AgeBand: c.AgeBand, Phone: c.Phone}
		if full && c.AgeYears >= 0 {
			age := c.AgeYears
			cj.Age = &age
		}
		out.Companions = append(out.Companions, cj)
	}
	return out
}

// InterceptionCreate records a stop. The score is computed by the server
// from the current red-flag catalogue.
type InterceptionCreate struct {
	MarkingIn
	At            time.Time       `json:"at"`
	Point         string          `json:"point" minLength:"1" maxLength:"200"`
	District      string          `json:"district,omitempty" maxLength:"100"`
	Direction     string          `json:"direction,omitempty" enum:"outbound,inbound,"`
	Transport     string          `json:"transport,omitempty" maxLength:"50"`
	Origin        string          `json:"origin,omitempty" maxLength:"100"`
	Destination   string          `json:"destination,omitempty" maxLength:"100"`
	StatedPurpose string          `json:"stated_purpose,omitempty" maxLength:"500"`
	Stopped       []StoppedPerson `json:"stopped" minItems:"1" maxItems:"20"`
	Companions    []Companion     `json:"companions,omitempty" maxItems:"20"`
	Flags         []string        `json:"flags,omitempty" maxItems:"50" doc:"Flag ids of the current catalogue."`
	Certainty     int             `json:"certainty" minimum:"1" maximum:"5"`
	Account       string          `json:"account,omitempty" maxLength:"20000"`
}

// InterceptionVerify is a second person's verification.
type InterceptionVerify struct {
	Decision string `json:"decision" enum:"verify,reject"`
	Note     string `json:"note,omitempty" maxLength:"2000" doc:"Required to reject."`
}

// Signal is a helpline call, self-referral or partner's tip.
type Signal struct {
	ID   string `json:"id"`
	Ref  string `json:"ref"`
	Full bool   `json:"full"`
	RecordMarking
	Channel         string     `json:"channel"`
	Status          string     `json:"status" doc:"open, closed or converted (a case was opened from it)."`
	ReceivedAt      time.Time  `json:"received_at"`
	District        string     `json:"district,omitempty"`
	Concern         string     `json:"concern,omitempty"`
	Urgent          bool       `json:"urgent"`
	Summary         string     `json:"summary,omitempty"`
	CallerAnonymous bool       `json:"caller_anonymous"`
	CallerName      string     `json:"caller_name,omitempty" doc:"Protected."`
	CallerPhone     string     `json:"caller_phone,omitempty" doc:"Protected."`
	Account         string     `json:"account,omitempty" doc:"Protected."`
	CaseID          string     `json:"case_id,omitempty"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
	CloseNote       string     `json:"close_note,omitempty"`
}

func signalOut(s *atip.Signal, full bool) Signal {
	return Signal{ID: s.ID, Ref: s.Ref, Full: full, RecordMarking: markingOut(s.Info), Channel: s.Channel, Status: s.Status,
		ReceivedAt: s.ReceivedAt, District: s.District, Concern: s.Concern, Urgent: s.Urgent, Summary: s.Summary,
		CallerAnonymous: s.CallerAnonymous, CallerName: s.CallerName, CallerPhone: s.CallerPhone, Account: s.Account,
		CaseID: s.CaseID, ClosedAt: timePtr(s.DismissedAt), CloseNote: s.DismissNote}
}

// SignalCreate records a signal.
type SignalCreate struct {
	MarkingIn
	Channel         string    `json:"channel" enum:"helpline,self_referral,walk_in,partner_tip,public_tip,online"`
	ReceivedAt      time.Time `json:"received_at"`
	District        string    `json:"district,omitempty" maxLength:"100"`
	Concern         string    `json:"concern,omitempty" maxLength:"100" doc:"Code of the exploitation list; unknown when absent."`
	Urgent          bool      `json:"urgent,omitempty"`
	Summary         string    `json:"summary,omitempty" maxLength:"5000" doc:"Without names."`
	CallerAnonymous bool      `json:"caller_anonymous,omitempty"`
	CallerName      string    `json:"caller_name,omitempty" maxLength:"300"`
	CallerPhone     string    `json:"caller_phone,omitempty" maxLength:"40"`
	Account         string    `json:"account,omitempty" maxLength:"20000"`
}

// SignalStatus closes, reopens or converts a signal.
type SignalStatus struct {
	Status string `json:"status" enum:"open,closed,converted"`
	CaseID string `json:"case_id,omitempty" maxLength:"64" doc:"The case opened from the signal; required to convert."`
	Note   string `json:"note,omitempty" maxLength:"2000"`
}

// MissingReport is a missing-person report filed by a family.
type MissingReport struct {
	ID   string `json:"id"`
	Ref  string `json:"ref"`
	Full bool   `json:"full"`
	RecordMarking
	Status        string        `json:"status" doc:"open or found."`
	Missing       StoppedPerson `json:"missing"`
	Description   string        `json:"description,omitempty" doc:"Protected."`
	ReportedAt    time.Time     `json:"reported_at"`
	LastSeenAt    *time.Time    `json:"last_seen_at,omitempty"`
	LastSeenIn    string        `json:"last_seen_in,omitempty" doc:"Gazetteer code."`
	LastSeenPlace string        `json:"last_seen_place,omitempty" doc:"Below district level (protected)."`
	PoliceRef     string        `json:"police_ref,omitempty" doc:"FIR or GD number."`
	Relation      string        `json:"relation,omitempty" doc:"The reporter's relation to the missing person (protected)."`
	Reporter      string        `json:"reporter,omitempty" doc:"Protected."`
	ReporterPhone string        `json:"reporter_phone,omitempty" doc:"Protected."`
	Circumstance  string        `json:"circumstance,omitempty" doc:"Protected."`
	FoundAt       *time.Time    `json:"found_at,omitempty"`
	CaseID        string        `json:"case_id,omitempty"`
}

func missingOut(m *atip.MissingReport, full bool) MissingReport {
	return MissingReport{ID: m.ID, Ref: m.Ref, Full: full, RecordMarking: markingOut(m.Info), Status: m.Status,
		Missing: stoppedOut(m.Missing, full), Description: m.Description, ReportedAt: m.ReportedAt, LastSeenAt: timePtr(m.LastSeenAt),
		LastSeenIn: m.LastSeenIn, LastSeenPlace: m.LastSeenPlace, PoliceRef: m.PoliceRef, Relation: m.Relation,
		Reporter: m.Reporter, ReporterPhone: m.ReporterTel, Circumstance: m.Circumstance, FoundAt: timePtr(m.FoundAt), CaseID: m.CaseID}
}

// MissingCreate records a missing-person report.
type MissingCreate struct {
	MarkingIn
	Missing       StoppedPerson `json:"missing"`
	Description   string        `json:"description,omitempty" maxLength:"2000"`
	ReportedAt    *time.Time    `json:"reported_at,omitempty" doc:"Now when absent."`
	LastSeenAt    *time.Time    `json:"last_seen_at,omitempty"`
	LastSeenIn    string        `json:"last_seen_in,omitempty" maxLength:"100"`
	LastSeenPlace string        `json:"last_seen_place,omitempty" maxLength:"300"`
	PoliceRef     string        `json:"police_ref,omitempty" maxLength:"100"`
	Relation      string        `json:"relation,omitempty" maxLength:"100"`
	Reporter      string        `json:"reporter,omitempty" maxLength:"300"`
	ReporterPhone string        `json:"reporter_phone,omitempty" maxLength:"40"`
	Circumstance  string        `json:"circumstance,omitempty" maxLength:"20000"`
}

// Pages and bodies.
type (
	InterceptionPage struct {
		Items []Interception `json:"items" nullable:"false"`
		Next  string         `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	}
	SignalPage struct {
		Items []Signal `json:"items" nullable:"false"`
		Next  string   `json:"next,omitempty"`
	}
	MissingPage struct {
		Items []MissingReport `json:"items" nullable:"false"`
		Next  string          `json:"next,omitempty"`
	}
	interceptionPageOutput struct {
		Link string `header:"Link"`
		Body InterceptionPage
	}
	signalPageOutput struct {
		Link string `header:"Link"`
		Body SignalPage
	}
	missingPageOutput struct {
		Link string `header:"Link"`
		Body MissingPage
	}
	interceptionOutput struct {
		Location string `header:"Location"`
		Body     Interception
	}
	signalOutput struct {
		Location string `header:"Location"`
		Body     Signal
	}
	missingOutput struct {
		Location string `header:"Location"`
		Body     MissingReport
	}
	listInterceptionsInput struct {
		Unverified bool `query:"unverified" doc:"Only those waiting for a second person's verification."`
		PageQuery
	}
	listSignalsInput struct {
		Status string `query:"status" enum:"open,closed,converted," doc:"Only signals in this status."`
		PageQuery
	}
	listMissingInput struct {
		Status string `query:"status" enum:"open,found," doc:"Only reports in this status."`
		PageQuery
	}
	createInterceptionInput struct{ Body InterceptionCreate }
	verifyInterceptionInput struct {
		IDPath
		Body InterceptionVerify
	}
	createSignalInput struct{ Body SignalCreate }
	signalStatusInput struct {
		IDPath
		Body SignalStatus
	}
	createMissingInput struct{ Body MissingCreate }
	missingFoundInput  struct {
		IDPath
		Body MissingFoundBody
	}
)

// MissingFoundBody marks a missing person found.
type MissingFoundBody struct {
	FoundAt *time.Time `json:"found_at,omitempty" doc:"Now when absent."`
}

// registerIntake registers this area's operations.
func (s *server) registerIntake() {
	read, write := access{ScopeRead, policy.RecordBrowse}, access{ScopeWrite, policy.RecordWrite}
	tags := []string{"intake"}
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "list-interceptions", Method: http.MethodGet, Path: "/interceptions", Tags: tags,
		Summary: "List interceptions", Description: "Stops at border crossings and transit points the caller may see, newest first, in their redacted view.",
	}), s.listInterceptions)
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "get-interception", Method: http.MethodGet, Path: "/interceptions/{id}", Tags: tags,
		Summary: "Get an interception", Description: "With its protected fields when the caller may see them; that read is audited.",
		Errors: []int{http.StatusNotFound},
	}), s.getInterception)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "create-interception", Method: http.MethodPost, Path: "/interceptions", Tags: tags,
		Summary: "Record an interception", Description: "Scored against the current red-flag catalogue; the score and the catalogue version are stored.",
		DefaultStatus: http.StatusCreated,
	}), s.createInterception)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "verify-interception", Method: http.MethodPost, Path: "/interceptions/{id}/verify", Tags: tags,
		Summary: "Verify or reject an interception", Description: "By a second person of the owning organisation (supervisor or first responder), never the one who recorded it.",
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.verifyInterception)
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "list-signals", Method: http.MethodGet, Path: "/signals", Tags: tags,
		Summary: "List signals", Description: "Helpline calls, self-referrals and partners' tips, newest first, in their redacted view.",
	}), s.listSignals)
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "get-signal", Method: http.MethodGet, Path: "/signals/{id}", Tags: tags,
		Summary: "Get a signal", Errors: []int{http.StatusNotFound},
	}), s.getSignal)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "create-signal", Method: http.MethodPost, Path: "/signals", Tags: tags,
		Summary: "Record a signal", DefaultStatus: http.StatusCreated,
	}), s.createSignal)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "set-signal-status", Method: http.MethodPost, Path: "/signals/{id}/status", Tags: tags,
		Summary: "Close, reopen or convert a signal", Description: "Converting names the case opened from it.",
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.setSignalStatus)
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "list-missing-reports", Method: http.MethodGet, Path: "/missing-reports", Tags: tags,
		Summary: "List missing-person reports", Description: "Newest first, in their redacted view.",
	}), s.listMissing)
	huma.Register(s.api, operation(read, huma.Operation{
		OperationID: "get-missing-report", Method: http.MethodGet, Path: "/missing-reports/{id}", Tags: tags,
		Summary: "Get a missing-person report", Errors: []int{http.StatusNotFound},
	}), s.getMissing)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "create-missing-report", Method: http.MethodPost, Path: "/missing-reports", Tags: tags,
		Summary: "Record a missing-person report", DefaultStatus: http.StatusCreated,
	}), s.createMissing)
	huma.Register(s.api, operation(write, huma.Operation{
		OperationID: "set-missing-found", Method: http.MethodPost, Path: "/missing-reports/{id}/found", Tags: tags,
		Summary: "Mark a missing person found", Errors: []int{http.StatusNotFound, http.StatusConflict},
	}), s.missingFound)
}

var errNoIntake = atip.Errorf(atip.ENOTFOUND, "intake records are not served here")

func (s *server) intake() (atip.IntakeService, error) {
	if s.Intake == nil {
		return nil, errNoIntake
	}
	return s.Intake, nil
}

func (s *server) listInterceptions(ctx context.Context, in *listInterceptionsInput) (*interceptionPageOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	before, err := decodeCursor("interceptions", in.Cursor)
	if err != nil {
		return nil, cursorProblem(err)
	}
	list, next, err := svc.Interceptions(ctx, atip.InterceptionFilter{Unverified: in.Unverified, Before: before, Limit: in.Limit})
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &interceptionPageOutput{Body: InterceptionPage{Items: make([]Interception, 0, len(list)), Next: encodeCursor("interceptions", next)}}
	for _, x := range list {
		out.Body.Items = append(out.Body.Items, interceptionOut(x, false))
	}
	out.Link = nextLink(requestURL(ctx), out.Body.Next)
	return out, nil
}

func (s *server) getInterception(ctx context.Context, in *IDPath) (*interceptionOutput, error) {
	svc, err := s.intake()
	if err == nil {
		var x *atip.Interception
		var acc *atip.IntakeAccess
		if x, acc, err = svc.Interception(ctx, in.ID); err == nil {
			return &interceptionOutput{Body: interceptionOut(x, acc.Full)}, nil
		}
	}
	return nil, s.fail(ctx, err, "path")
}

func (s *server) createInterception(ctx context.Context, in *createInterceptionInput) (*interceptionOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	b := in.Body
	x := &atip.Interception{At: b.At, Point: b.Point, District: b.District, Direction: b.Direction, Transport: b.Transport,
		Origin: b.Origin, Destination: b.Destination, StatedPurpose: b.StatedPurpose, Flags: b.Flags, Certainty: b.Certainty,
		Account: b.Account, Info: b.info()}
	for _, p := range b.Stopped {
		x.Stopped = append(x.Stopped, p.in())
	}
	for _, c := range b.Companions {
		age := -1
		if c.Age != nil {
			age = *c.Age
		}
		x.Companions = append(x.Companions, atip.Companion{Name: c.Name, Relation: c.Relation, Sex: c.Sex, AgeYears: age, Phone: c.Phone})
	}
	if err := svc.CreateInterception(ctx, x); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &interceptionOutput{Location: Prefix + "/interceptions/" + x.ID, Body: interceptionOut(x, true)}, nil
}

func (s *server) verifyInterception(ctx context.Context, in *verifyInterceptionInput) (*interceptionOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	if _, err := svc.VerifyInterception(ctx, in.ID, in.Body.Decision == "verify", in.Body.Note); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return s.getInterception(ctx, &in.IDPath)
}

func (s *server) listSignals(ctx context.Context, in *listSignalsInput) (*signalPageOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	before, err := decodeCursor("signals", in.Cursor)
	if err != nil {
		return nil, cursorProblem(err)
	}
	list, next, err := svc.Signals(ctx, atip.SignalFilter{Status: in.Status, Before: before, Limit: in.Limit})
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &signalPageOutput{Body: SignalPage{Items: make([]Signal, 0, len(list)), Next: encodeCursor("signals", next)}}
	for _, sg := range list {
		out.Body.Items = append(out.Body.Items, signalOut(sg, false))
	}
	out.Link = nextLink(requestURL(ctx), out.Body.Next)
	return out, nil
}

func (s *server) getSignal(ctx context.Context, in *IDPath) (*signalOutput, error) {
	svc, err := s.intake()
	if err == nil {
		var sg *atip.Signal
		var acc *atip.IntakeAccess
		if sg, acc, err = svc.Signal(ctx, in.ID); err == nil {
			return &signalOutput{Body: signalOut(sg, acc.Full)}, nil
		}
	}
	return nil, s.fail(ctx, err, "path")
}

func (s *server) createSignal(ctx context.Context, in *createSignalInput) (*signalOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	b := in.Body
	sg := &atip.Signal{Channel: b.Channel, ReceivedAt: b.ReceivedAt, District: b.District, Concern: b.Concern, Urgent: b.Urgent,
		Summary: b.Summary, CallerAnonymous: b.CallerAnonymous, CallerName: b.CallerName, CallerPhone: b.CallerPhone,
		Account: b.Account, Info: b.info()}
	if err := svc.CreateSignal(ctx, sg); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &signalOutput{Location: Prefix + "/signals/" + sg.ID, Body: signalOut(sg, true)}, nil
}

func (s *server) setSignalStatus(ctx context.Context, in *signalStatusInput) (*signalOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	if _, err := svc.SetSignalStatus(ctx, in.ID, in.Body.Status, in.Body.CaseID, in.Body.Note); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return s.getSignal(ctx, &in.IDPath)
}

func (s *server) listMissing(ctx context.Context, in *listMissingInput) (*missingPageOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	before, err := decodeCursor("missing-reports", in.Cursor)
	if err != nil {
		return nil, cursorProblem(err)
	}
	list, next, err := svc.MissingReports(ctx, atip.MissingFilter{Status: in.Status, Before: before, Limit: in.Limit})
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &missingPageOutput{Body: MissingPage{Items: make([]MissingReport, 0, len(list)), Next: encodeCursor("missing-reports", next)}}
	for _, m := range list {
		out.Body.Items = append(out.Body.Items, missingOut(m, false))
	}
	out.Link = nextLink(requestURL(ctx), out.Body.Next)
	return out, nil
}

func (s *server) getMissing(ctx context.Context, in *IDPath) (*missingOutput, error) {
	svc, err := s.intake()
	if err == nil {
		var m *atip.MissingReport
		var acc *atip.IntakeAccess
		if m, acc, err = svc.Missing(ctx, in.ID); err == nil {
			return &missingOutput{Body: missingOut(m, acc.Full)}, nil
		}
	}
	return nil, s.fail(ctx, err, "path")
}

func (s *server) createMissing(ctx context.Context, in *createMissingInput) (*missingOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	b := in.Body
	m := &atip.MissingReport{Missing: b.Missing.in(), Description: b.Description, ReportedAt: time.Now().UTC(), LastSeenIn: b.LastSeenIn,
		LastSeenPlace: b.LastSeenPlace, PoliceRef: b.PoliceRef, Relation: b.Relation, Reporter: b.Reporter,
		ReporterTel: b.ReporterPhone, Circumstance: b.Circumstance, Info: b.info()}
	if b.ReportedAt != nil {
		m.ReportedAt = *b.ReportedAt
	}
	if b.LastSeenAt != nil {
		m.LastSeenAt = *b.LastSeenAt
	}
	if err := svc.CreateMissing(ctx, m); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return &missingOutput{Location: Prefix + "/missing-reports/" + m.ID, Body: missingOut(m, true)}, nil
}

func (s *server) missingFound(ctx context.Context, in *missingFoundInput) (*missingOutput, error) {
	svc, err := s.intake()
	if err != nil {
		return nil, s.fail(ctx, err, "path")
	}
	var at time.Time
	if in.Body.FoundAt != nil {
		at = *in.Body.FoundAt
	}
	if _, err := svc.MissingFound(ctx, in.ID, at); err != nil {
		return nil, s.fail(ctx, err, "body")
	}
	return s.getMissing(ctx, &in.IDPath)
}
