package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"atip"
	"atip/internal/policy"

	"github.com/danielgtaylor/huma/v2"
)

// AuditEntry is one line of the audit trail. It holds ids and action names,
// never personal data.
type AuditEntry struct {
	Seq        int64     `json:"seq" doc:"Position in the log, from 0, without gaps."`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id" doc:"User id, or \"system\"."`
	ActorOrgID string    `json:"actor_org_id,omitempty"`
	Via        string    `json:"via" enum:"web,api,cli"`
	RemoteAddr string    `json:"remote_addr,omitempty"`
	Action     string    `json:"action" doc:"e.g. auth.login, org.create, person.view"`
	RecordType string    `json:"record_type,omitempty"`
	RecordID   string    `json:"record_id,omitempty"`
	Outcome    string    `json:"outcome" doc:"ok, denied or failed"`
	Detail     string    `json:"detail,omitempty"`
	BreakGlass bool      `json:"break_glass"`
}

// AuditPage is one page of the trail, newest first.
type AuditPage struct {
	Items []AuditEntry `json:"items" nullable:"false"`
	Next  string       `json:"next,omitempty" doc:"Cursor of the next (older) page; absent on the last page."`
}

type auditPageOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body AuditPage
}

type listAuditInput struct {
	ActorID    string    `query:"actor_id" maxLength:"64"`
	ActorOrgID string    `query:"actor_org_id" maxLength:"64"`
	Action     string    `query:"action" maxLength:"100" doc:"An exact action, or a prefix ending in a dot such as auth."`
	RecordType string    `query:"record_type" maxLength:"50"`
	RecordID   string    `query:"record_id" maxLength:"64"`
	Since      time.Time `query:"since" doc:"Entries at or after this time (RFC 3339)."`
	Until      time.Time `query:"until" doc:"Entries before this time (RFC 3339)."`
	PageQuery
}

func (s *server) registerAudit() {
	huma.Register(s.api, operation(access{ScopeRead, policy.AuditView}, huma.Operation{
		OperationID: "list-audit-entries", Method: http.MethodGet, Path: "/audit", Tags: []string{"audit"},
		Summary: "Read the audit trail", Description: "Entries newest first, filtered and paginated. Auditors only.",
	}), s.listAudit)
}

func (s *server) listAudit(ctx context.Context, in *listAuditInput) (*auditPageOutput, error) {
	before, err := decodeSeqCursor("audit", in.Cursor)
	if err != nil {
		return nil, cursorProblem(err)
	}
	entries, next, err := s.Audit.FindAuditEntries(ctx, atip.AuditFilter{
		ActorID: in.ActorID, ActorOrgID: in.ActorOrgID, Action: in.Action, RecordType: in.RecordType, RecordID: in.RecordID,
		Since: in.Since, Until: in.Until, Before: before, Limit: in.Limit,
	})
	if err != nil {
		return nil, s.fail(ctx, err, "query")
	}
	out := &auditPageOutput{Body: AuditPage{Items: make([]AuditEntry, 0, len(entries))}}
	if next > 0 {
		out.Body.Next = encodeCursor("audit", strconv.FormatInt(next, 10))
	}
	for _, e := range entries {
		out.Body.Items = append(out.Body.Items, AuditEntry{
			Seq: e.Seq, At: e.At, ActorID: e.ActorID, ActorOrgID: e.ActorOrgID, Via: string(e.Via), RemoteAddr: e.RemoteAddr,
			Action: e.Action, RecordType: e.RecordType, RecordID: e.RecordID, Outcome: e.Outcome, Detail: e.Detail, BreakGlass: e.BreakGlass,
		})
	}
	out.Link = nextLink(requestURL(ctx), out.Body.Next)
	return out, nil
}
