package database

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
	"atip/internal/policy"
	"atip/internal/textnorm"
	"atip/internal/tips"
)

// TipService implements atip.TipService. Scoring and selector extraction
// happen once, at intake, with the pure tips engine; the stored score keeps
// the version of the lexicon and model that gave it.
type TipService struct {
	db     *DB
	scorer *tips.Scorer
	desk   string // organisation receiving public tips; "" refuses them
	limit  *ReportLimiter
}

var _ atip.TipService = (*TipService)(nil)

// NewTipService returns the tip service on db. deskOrg is the id of the
// organisation that receives tips from the public page ("" when public
// tips are not accepted).
func NewTipService(db *DB, deskOrg string) (*TipService, error) {
	sc, err := tips.Default()
	if err != nil {
		return nil, err
	}
	return &TipService{db: db, scorer: sc, desk: deskOrg, limit: NewReportLimiter(db, ReportBurst, ReportEvery)}, nil
}

// MaxTipText is the longest tip text, in characters.
const MaxTipText = atip.MaxTipText

const maxTipField = atip.MaxTipField

var errTipNotFound = atip.Errorf(atip.ENOTFOUND, "tip not found")

// ValidateTip normalises a tip's text (NFC) and checks its fields.
func ValidateTip(t *atip.Tip) error {
	if utf8.ValidString(t.Text) {
		t.Text = textnorm.NFC(t.Text)
	}
	return t.Validate()
}

// assess scores the text and fills the tip's indicators, explanation and
// selectors.
func (s *TipService) assess(t *atip.Tip) {
	a := s.scorer.Assess(t.Text)
	t.Score, t.Version = a.Score, a.Version
	t.Indicators = make([]atip.TipIndicator, 0, len(a.Hits))
	for _, h := range a.Hits {
		t.Indicators = append(t.Indicators, atip.TipIndicator{ID: h.ID, Label: h.Label, Category: h.Category, Start: h.Start, End: h.End})
	}
	t.Explain = make([]atip.TipContribution, 0, len(a.Contributions))
	for _, c := range a.Contributions {
		t.Explain = append(t.Explain, atip.TipContribution{Term: c.Term, LogOdds: c.LogOdds})
	}
	t.Selectors = make([]atip.TipSelector, 0, len(a.Selectors))
	for _, sel := range a.Selectors {
		typ, norm, _ := strings.Cut(sel.Key(), ":")
		t.Selectors = append(t.Selectors, atip.TipSelector{Type: typ, Value: sel.Value, Normalized: norm, Start: sel.Start, End: sel.End})
	}
}

// newRef returns a short random reference a reporter can quote: it tells
// nothing about the tip or how many there are.
func newRef() string {
	var b [5]byte
	rand.Read(b[:])
	s := base32.StdEncoding.EncodeToString(b[:])
	return "TIP-" + s[:4] + "-" + s[4:]
}

func (s *TipService) insert(ctx context.Context, tx *Tx, t *atip.Tip, by string) error {
	t.ID = atip.NewID()
	t.Ref = newRef()
	t.ReceivedAt = tx.Now
	t.Status = atip.TipNew
	t.Stamp = atip.Stamp{CreatedAt: tx.Now, CreatedBy: by, UpdatedAt: tx.Now, UpdatedBy: by}
	if t.Images == nil {
		t.Images = []string{}
	}
	images, _ := json.Marshal(t.Images)
	inds, _ := json.Marshal(t.Indicators)
	expl, _ := json.Marshal(t.Explain)
	var posted any
	if !t.PostedAt.IsZero() {
		posted = t.PostedAt
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tips (id, org_id, ref, source, platform, url, author, contact, text, images,
		posted_at, received_at, score_bp, score_version, indicators, explain, status, created_at, created_by, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
		t.ID, t.OrgID, t.Ref, string(t.Source), t.Platform, t.URL, t.Author, t.Contact, t.Text, string(images),
		posted, t.ReceivedAt, scoreBP(t.Score), t.Version, string(inds), string(expl), string(t.Status),
		t.CreatedAt, t.CreatedBy, t.UpdatedAt, t.UpdatedBy); err != nil {
		return fmt.Errorf("insert tip: %w", err)
	}
	seen := map[string]bool{}
	for _, sel := range t.Selectors {
		k := fmt.Sprintf("%s\x00%s\x00%d", sel.Type, sel.Normalized, sel.Start)
		if seen[k] {
			continue
		}
		seen[k] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO tip_selectors (tip_id, type, value, normalized, start_at, end_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, t.ID, sel.Type, sel.Value, sel.Normalized, sel.Start, sel.End); err != nil {
			return fmt.Errorf("insert tip selector: %w", err)
		}
	}
	e := atip.AuditEntry{Action: "tip.create", RecordType: "tip", RecordID: t.ID, ActorOrgID: t.OrgID,
		Detail: "source=" + string(t.Source)}
	if by == PublicActorID {
		e.ActorID = by
	}
	tx.Audit(e)
	return nil
}

func scoreBP(f float64) int64 { return int64(f*10000 + 0.5) }

// CreateTip stores an officer's, an imported or an API tip in the actor's
// organisation.
func (s *TipService) CreateTip(ctx context.Context, t *atip.Tip) error {
	return s.ImportTips(ctx, []*atip.Tip{t})
}

// ImportTips stores every tip in one transaction, or none when any is
// invalid (the error names the first bad one by its position, from 1).
func (s *TipService) ImportTips(ctx context.Context, list []*atip.Tip) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	org := ""
	if a.User != nil {
		org = a.User.OrgID
	}
	for i, t := range list {
		if a.User != nil {
			t.OrgID = org
		}
		if t.OrgID == "" {
			return atip.Errorf(atip.EINVALID, "tip %d: no organisation", i+1)
		}
		if err := require(a, policy.TipCreate, t.OrgID, "report tips"); err != nil {
			return err
		}
		switch t.Source {
		case atip.TipOfficer, atip.TipImport, atip.TipAPI:
		case "":
			t.Source = atip.TipOfficer
		default:
			return atip.Errorf(atip.EINVALID, "tip %d: source must be officer, import or api", i+1)
		}
		if err := ValidateTip(t); err != nil {
			if len(list) > 1 {
				e := err.(*atip.Error)
				return &atip.Error{Code: e.Code, Message: fmt.Sprintf("tip %d is not valid", i+1), Fields: e.Fields}
			}
			return err
		}
		s.assess(t)
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		for _, t := range list {
			if err := s.insert(ctx, tx, t, a.UserID()); err != nil {
				return err
			}
		}
		return nil
	})
}

// The public page's limit per client: five reports at once, then one
// every ten minutes.
const (
	ReportBurst = 5
	ReportEvery = 10 * time.Minute
)

// AllowReport takes one public report of the client at addr against the
// limit shared by every server process on the database.
func (s *TipService) AllowReport(ctx context.Context, addr string) (bool, error) {
	return s.limit.Allow(ctx, addr)
}

// AcceptsPublicTips reports whether a tip desk is configured.
func (s *TipService) AcceptsPublicTips() bool { return s.desk != "" }

// PublicActorID stamps the rows a member of the public creates.
const PublicActorID = "public"

// SubmitPublicTip stores a tip from the public page in the tip desk
// organisation. Nobody is signed in. The audit entry records the source
// but not the address the request came from: a reporter may be at risk,
// and anonymous must mean anonymous (the rate limiter keeps only a keyed
// hash of the address, under a key deleted after two days).
func (s *TipService) SubmitPublicTip(ctx context.Context, t *atip.Tip) (string, error) {
	ctx = atip.NewContextWithActor(ctx, &atip.Actor{Via: atip.ViaWeb})
	if s.desk == "" {
		return "", atip.Errorf(atip.EFORBIDDEN, "reports are not being accepted here")
	}
	t.OrgID, t.Source, t.Images = s.desk, atip.TipPublic, nil
	if err := ValidateTip(t); err != nil {
		return "", err
	}
	s.assess(t)
	err := s.db.Write(ctx, func(tx *Tx) error { return s.insert(ctx, tx, t, PublicActorID) })
	if err != nil {
		return "", err
	}
	return t.Ref, nil
}

const tipCols = `id, org_id, ref, source, platform, url, author, contact, text, images, posted_at, received_at,
	score_bp, score_version, indicators, explain, status, assigned_to, merged_into, created_at, created_by, updated_at, updated_by`

func scanTip(r interface{ Scan(...any) error }) (*atip.Tip, error) {
	var t atip.Tip
	var src, status, images, inds, expl string
	var posted sql.NullTime
	var assigned, merged sql.NullString
	var bp int64
	if err := r.Scan(&t.ID, &t.OrgID, &t.Ref, &src, &t.Platform, &t.URL, &t.Author, &t.Contact, &t.Text, &images,
		&posted, &t.ReceivedAt, &bp, &t.Version, &inds, &expl, &status, &assigned, &merged,
		&t.CreatedAt, &t.CreatedBy, &t.UpdatedAt, &t.UpdatedBy); err != nil {
		return nil, err
	}
	t.Source, t.Status = atip.TipSource(src), atip.TipStatus(status)
	t.Score = float64(bp) / 10000
	t.AssignedTo, t.MergedInto = assigned.String, merged.String
	if posted.Valid {
		t.PostedAt = posted.Time.UTC()
	}
	t.ReceivedAt, t.CreatedAt, t.UpdatedAt = t.ReceivedAt.UTC(), t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	if err := errors.Join(json.Unmarshal([]byte(images), &t.Images), json.Unmarshal([]byte(inds), &t.Indicators),
		json.Unmarshal([]byte(expl), &t.Explain)); err != nil {
		return nil, fmt.Errorf("tip %s: stored JSON: %w", t.ID, err)
	}
	return &t, nil
}

func findTip(ctx context.Context, q querier, id string) (*atip.Tip, error) {
	t, err := scanTip(q.QueryRowContext(ctx, `SELECT `+tipCols+` FROM tips WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTipNotFound
	} else if err != nil {
		return nil, fmt.Errorf("find tip: %w", err)
	}
	return t, nil
}

func loadSelectors(ctx context.Context, q querier, t *atip.Tip) error {
	rows, err := q.QueryContext(ctx, `SELECT type, value, normalized, start_at, end_at FROM tip_selectors
		WHERE tip_id = $1 ORDER BY start_at, type`, t.ID)
	if err != nil {
		return fmt.Errorf("tip selectors: %w", err)
	}
	defer rows.Close()
	t.Selectors = []atip.TipSelector{}
	for rows.Next() {
		var s atip.TipSelector
		if err := rows.Scan(&s.Type, &s.Value, &s.Normalized, &s.Start, &s.End); err != nil {
			return err
		}
		t.Selectors = append(t.Selectors, s)
	}
	return rows.Err()
}

// visibleTip returns the tip when the actor may do action to it; another
// organisation's tip is ENOTFOUND.
func visibleTip(ctx context.Context, q querier, a *atip.Actor, id string, action policy.Action) (*atip.Tip, error) {
	if !policy.CanSome(a, policy.TipView) {
		return nil, atip.Errorf(atip.EFORBIDDEN, "your role may not see tips")
	}
	t, err := findTip(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if !policy.Can(a, policy.TipView, t.OrgID) {
		return nil, errTipNotFound
	}
	if err := require(a, action, t.OrgID, "do this to tips"); err != nil {
		return nil, err
	}
	return t, nil
}

// FindTipByID returns a tip with its text and selectors. The text may hold
// personal data, so the view is audited before the tip is returned.
func (s *TipService) FindTipByID(ctx context.Context, id string) (*atip.Tip, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := visibleTip(ctx, s.db.r, a, id, policy.TipView)
	if err != nil {
		return nil, err
	}
	if err := loadSelectors(ctx, s.db.r, t); err != nil {
		return nil, err
	}
	if err := s.db.Audit(ctx, atip.AuditEntry{Action: "tip.view", RecordType: "tip", RecordID: t.ID}); err != nil {
		return nil, err
	}
	return t, nil
}

// FindTips returns a page of the actor's organisation's tips, best score
// first, then the newest. Texts are included (the queue shows none of them;
// the API's list leaves them out).
func (s *TipService) FindTips(ctx context.Context, f atip.TipFilter) ([]*atip.Tip, string, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	if !policy.CanSome(a, policy.TipView) {
		return nil, "", atip.Errorf(atip.EFORBIDDEN, "your role may not see tips")
	}
	var (
		where []string
		args  []any
	)
	addArgs := func(cond string, vs ...any) {
		for _, v := range vs {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where = append(where, cond)
	}
	if a.User != nil {
		addArgs("org_id = ?", a.User.OrgID)
	}
	if f.Status != "" {
		addArgs("status = ?", string(f.Status))
	}
	if f.MinScore > 0 {
		addArgs("score_bp >= ?", scoreBP(f.MinScore))
	}
	if f.Platform != "" {
		addArgs("platform = ?", strings.ToLower(f.Platform))
	}
	if f.After != "" {
		bp, id, ok := parseTipCursor(f.After)
		if !ok {
			return nil, "", &atip.Error{Code: atip.EINVALID, Message: "bad cursor", Fields: []atip.FieldError{{Field: "after", Message: "is not a cursor this list gave"}}}
		}
		addArgs("(score_bp < ? OR (score_bp = ? AND id < ?))", bp, bp, id)
	}
	limit := pageSize(f.Limit)
	q := `SELECT ` + tipCols + ` FROM tips`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += fmt.Sprintf(` ORDER BY score_bp DESC, id DESC LIMIT %d`, limit+1)
	rows, err := s.db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("find tips: %w", err)
	}
	defer rows.Close()
	var out []*atip.Tip
	for rows.Next() {
		t, err := scanTip(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = fmt.Sprintf("%d.%s", scoreBP(last.Score), last.ID)
	}
	return out, next, nil
}

func parseTipCursor(c string) (int64, string, bool) {
	n, id, ok := strings.Cut(c, ".")
	var bp int64
	if _, err := fmt.Sscanf(n, "%d", &bp); err != nil || !ok || id == "" || len(id) > 64 {
		return 0, "", false
	}
	return bp, id, true
}

// triage runs fn on a tip the actor may triage, in one transaction.
func (s *TipService) triage(ctx context.Context, id string, fn func(tx *Tx, a *atip.Actor, t *atip.Tip) error) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		t, err := visibleTip(ctx, tx, a, id, policy.TipTriage)
		if err != nil {
			return err
		}
		return fn(tx, a, t)
	})
}

func setStatus(ctx context.Context, tx *Tx, a *atip.Actor, t *atip.Tip) error {
	_, err := tx.ExecContext(ctx, `UPDATE tips SET status = $1, assigned_to = $2, merged_into = $3, updated_at = $4, updated_by = $5
		WHERE id = $6`, string(t.Status), nullIfEmpty(t.AssignedTo), nullIfEmpty(t.MergedInto), tx.Now, a.UserID(), t.ID)
	if err != nil {
		return fmt.Errorf("update tip: %w", err)
	}
	return nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AssignTip gives the tip to a user of its organisation who may triage tips.
func (s *TipService) AssignTip(ctx context.Context, id, userID string) error {
	return s.triage(ctx, id, func(tx *Tx, a *atip.Actor, t *atip.Tip) error {
		u, err := findUser(ctx, tx, "id", userID)
		if err != nil || u.OrgID != t.OrgID || u.Disabled ||
			!policy.Can(&atip.Actor{User: u, Via: a.Via}, policy.TipTriage, t.OrgID) {
			return &atip.Error{Code: atip.EINVALID, Message: "cannot assign to that user",
				Fields: []atip.FieldError{{Field: "user", Message: "must be an analyst or supervisor of the tip's organisation"}}}
		}
		t.AssignedTo = u.ID
		if t.Status == atip.TipNew {
			t.Status = atip.TipAssigned
		}
		tx.Audit(atip.AuditEntry{Action: "tip.assign", RecordType: "tip", RecordID: t.ID, Detail: "to=" + u.ID})
		return setStatus(ctx, tx, a, t)
	})
}

// SetTipFeedback stores the actor's judgement, replacing an earlier one.
func (s *TipService) SetTipFeedback(ctx context.Context, id string, relevant bool) error {
	return s.triage(ctx, id, func(tx *Tx, a *atip.Actor, t *atip.Tip) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM tip_feedback WHERE tip_id = $1 AND user_id = $2`, t.ID, a.UserID()); err != nil {
			return err
		}
		if a.User == nil {
			return atip.Errorf(atip.EINVALID, "feedback needs a signed-in user")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tip_feedback (tip_id, user_id, relevant, at) VALUES ($1, $2, $3, $4)`,
			t.ID, a.UserID(), relevant, tx.Now); err != nil {
			return fmt.Errorf("tip feedback: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "tip.feedback", RecordType: "tip", RecordID: t.ID, Detail: fmt.Sprintf("relevant=%t", relevant)})
		return nil
	})
}

// TipFeedbackOf returns the stored judgements of a tip (for tuning and tests).
func (s *TipService) TipFeedbackOf(ctx context.Context, id string) ([]atip.TipFeedback, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := visibleTip(ctx, s.db.r, a, id, policy.TipView); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT tip_id, user_id, relevant, at FROM tip_feedback WHERE tip_id = $1 ORDER BY at`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []atip.TipFeedback
	for rows.Next() {
		var f atip.TipFeedback
		if err := rows.Scan(&f.TipID, &f.UserID, &f.Relevant, &f.At); err != nil {
			return nil, err
		}
		f.At = f.At.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

// AddTipAction records an action taken. A takedown request needs the
// platform's reference and a case link the case reference; any action but
// a note marks the tip actioned.
func (s *TipService) AddTipAction(ctx context.Context, act *atip.TipAction) error {
	act.Reference, act.Note = strings.TrimSpace(act.Reference), strings.TrimSpace(act.Note)
	var v atip.Invalid
	switch act.Kind {
	case atip.TipTakedown, atip.TipLinkedCase:
		if act.Reference == "" {
			v.Add("reference", "is required for this action")
		}
	case atip.TipNote:
		if act.Note == "" {
			v.Add("note", "is required")
		}
	case atip.TipReferredCyberCell:
	default:
		v.Add("kind", "must be one of the action kinds")
	}
	if utf8.RuneCountInString(act.Reference) > maxTipField || !utf8.ValidString(act.Reference) {
		v.Add("reference", "must be valid text of at most %d characters", maxTipField)
	}
	if utf8.RuneCountInString(act.Note) > MaxTipText || !utf8.ValidString(act.Note) {
		v.Add("note", "must be valid text of at most %d characters", MaxTipText)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.triage(ctx, act.TipID, func(tx *Tx, a *atip.Actor, t *atip.Tip) error {
		act.ID, act.By, act.At = atip.NewID(), a.UserID(), tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO tip_actions (id, tip_id, kind, reference, note, by_user, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, act.ID, t.ID, string(act.Kind), act.Reference, act.Note, act.By, act.At); err != nil {
			return fmt.Errorf("tip action: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "tip.action", RecordType: "tip", RecordID: t.ID, Detail: "kind=" + string(act.Kind)})
		if act.Kind != atip.TipNote && t.Status != atip.TipMerged {
			t.Status = atip.TipActioned
			return setStatus(ctx, tx, a, t)
		}
		return nil
	})
}

// FindTipActions returns the actions taken on a tip, oldest first.
func (s *TipService) FindTipActions(ctx context.Context, id string) ([]*atip.TipAction, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := visibleTip(ctx, s.db.r, a, id, policy.TipView); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT id, tip_id, kind, reference, note, by_user, at FROM tip_actions
		WHERE tip_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, fmt.Errorf("tip actions: %w", err)
	}
	defer rows.Close()
	var out []*atip.TipAction
	for rows.Next() {
		var x atip.TipAction
		var kind string
		if err := rows.Scan(&x.ID, &x.TipID, &kind, &x.Reference, &x.Note, &x.By, &x.At); err != nil {
			return nil, err
		}
		x.Kind, x.At = atip.TipActionKind(kind), x.At.UTC()
		out = append(out, &x)
	}
	return out, rows.Err()
}

// DismissTip marks a tip as needing nothing more.
func (s *TipService) DismissTip(ctx context.Context, id string) error {
	return s.triage(ctx, id, func(tx *Tx, a *atip.Actor, t *atip.Tip) error {
		t.Status = atip.TipDismissed
		tx.Audit(atip.AuditEntry{Action: "tip.dismiss", RecordType: "tip", RecordID: t.ID})
		return setStatus(ctx, tx, a, t)
	})
}

// MergeTip marks id a duplicate of into. Both must be the same
// organisation's, and into must not itself be merged away.
func (s *TipService) MergeTip(ctx context.Context, id, into string) error {
	into = strings.TrimSpace(into)
	return s.triage(ctx, id, func(tx *Tx, a *atip.Actor, t *atip.Tip) error {
		bad := func(msg string) error {
			return &atip.Error{Code: atip.EINVALID, Message: "cannot merge", Fields: []atip.FieldError{{Field: "into", Message: msg}}}
		}
		if into == t.ID {
			return bad("a tip cannot be merged into itself")
		}
		other, err := findTipByIDOrRef(ctx, tx, into)
		if err != nil || !policy.Can(a, policy.TipView, other.OrgID) || other.OrgID != t.OrgID {
			return bad("no such tip in your organisation")
		}
		if other.Status == atip.TipMerged {
			return bad("that tip is itself merged; merge into the tip it was merged into")
		}
		t.Status, t.MergedInto = atip.TipMerged, other.ID
		tx.Audit(atip.AuditEntry{Action: "tip.merge", RecordType: "tip", RecordID: t.ID, Detail: "into=" + other.ID})
		return setStatus(ctx, tx, a, t)
	})
}

func findTipByIDOrRef(ctx context.Context, q querier, s string) (*atip.Tip, error) {
	if strings.HasPrefix(strings.ToUpper(s), "TIP-") {
		t, err := scanTip(q.QueryRowContext(ctx, `SELECT `+tipCols+` FROM tips WHERE ref = $1`, strings.ToUpper(s)))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errTipNotFound
		}
		return t, err
	}
	return findTip(ctx, q, s)
}
