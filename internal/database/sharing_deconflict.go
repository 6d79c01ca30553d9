package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"atip"
	"atip/internal/deconflict"
	"atip/internal/policy"
)

// Deconfliction without disclosure: records' selectors are kept as keyed
// tokens only (selector_tokens); when a record is saved its tokens are
// compared with other organisations' records, and both organisations learn
// only that a match exists and whom to ask (deconfliction_matches,
// notifications). A partner may answer with a sighting.

// indexSelectors replaces the deconfliction tokens of the record with those
// of sels, finds the records of other organisations that hold the same
// tokens (leaving out those the actor already sees in full), records each
// new match for both organisations and tells both — the organisation to
// ask, never the other record's content or id. Without a tokenizer it
// stores nothing and returns nil. Selectors that do not normalise are left
// out.
func (tx *Tx) indexSelectors(ref atip.RecordRef, ownerOrgID string, sels []deconflict.Selector) ([]deconflict.Match, error) {
	tk := tx.db.tokenizer
	if tk == nil {
		return nil, nil
	}
	ctx := tx.ctx
	var tokens []deconflict.Token
	kinds := map[deconflict.Token]deconflict.Kind{}
	for _, s := range sels {
		tok, kind, err := tk.Token(s)
		if err != nil {
			continue
		}
		if _, dup := kinds[tok]; dup {
			continue
		}
		kinds[tok] = kind
		tokens = append(tokens, tok)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM selector_tokens WHERE record_id = $1`, ref.ID); err != nil {
		return nil, fmt.Errorf("database: selector tokens: %w", err)
	}
	for _, tok := range tokens {
		if _, err := tx.ExecContext(ctx, `INSERT INTO selector_tokens (token, kind, record_id, record_type, org_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, string(tok), string(kinds[tok]), ref.ID, string(ref.Type), ownerOrgID, tx.Now); err != nil {
			return nil, fmt.Errorf("database: selector tokens: %w", err)
		}
	}
	if len(tokens) == 0 {
		return nil, nil
	}
	strs := make([]string, len(tokens))
	for i, t := range tokens {
		strs[i] = string(t)
	}
	in, args := inList(strs, 2)
	rows, err := tx.QueryContext(ctx, `SELECT token, record_id, record_type, org_id FROM selector_tokens
		WHERE org_id <> $1 AND token IN (`+in+`) ORDER BY token, record_id`, append([]any{ownerOrgID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("database: match selectors: %w", err)
	}
	idx := deconflict.Index{}
	var holderIDs []string
	for rows.Next() {
		var tok, id, typ, org string
		if err := rows.Scan(&tok, &id, &typ, &org); err != nil {
			rows.Close()
			return nil, err
		}
		h := deconflict.Holder{OrgID: org, Record: atip.RecordRef{Type: atip.RecordType(typ), ID: id}}
		idx[deconflict.Token(tok)] = append(idx[deconflict.Token(tok)], h)
		holderIDs = append(holderIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(idx) == 0 {
		return nil, nil
	}
	// The actor's view of the holders' records: one subject, two queries.
	var skip func(deconflict.Holder) bool
	if a := atip.ActorFromContext(ctx); a != nil && a.User != nil {
		sub, err := tx.subject()
		if err != nil {
			return nil, err
		}
		recs, err := loadRecords(ctx, tx, slices.Compact(slices.Sorted(slices.Values(holderIDs))))
		if err != nil {
			return nil, err
		}
		full := map[string]bool{}
		for _, r := range recs {
			full[r.Meta.Ref.ID] = sub.View(&r.Meta).Level == policy.LevelFull
		}
		skip = func(h deconflict.Holder) bool { return full[h.Record.ID] }
	}
	matches := deconflict.Find(tokens, idx, ownerOrgID, skip)
	for _, m := range matches {
		tok := string(tokens[m.Selectors[0]])
		isNew, err := tx.addMatch(ownerOrgID, ref, m.OrgID, m.Record, tok, len(m.Selectors))
		if err != nil {
			return nil, err
		}
		if _, err := tx.addMatch(m.OrgID, m.Record, ownerOrgID, ref, tok, len(m.Selectors)); err != nil {
			return nil, err
		}
		if !isNew {
			continue
		}
		tx.Audit(atip.AuditEntry{Action: "deconflict.match", RecordType: string(ref.Type), RecordID: ref.ID,
			Detail: fmt.Sprintf("org=%s selectors=%d", m.OrgID, len(m.Selectors))})
		// Each organisation is told about its own record and whom to ask.
		if err := tx.notify(atip.Notification{OrgID: ownerOrgID, Kind: "sharing.notify.match", Record: ref,
			Args: map[string]string{"org": m.OrgID}}); err != nil {
			return nil, err
		}
		if err := tx.notify(atip.Notification{OrgID: m.OrgID, Kind: "sharing.notify.match", Record: m.Record,
			Args: map[string]string{"org": ownerOrgID}}); err != nil {
			return nil, err
		}
	}
	return matches, nil
}

// addMatch records that orgID's record matches other's record, once.
func (tx *Tx) addMatch(orgID string, rec atip.RecordRef, otherOrgID string, other atip.RecordRef, token string, n int) (bool, error) {
	var id string
	err := tx.QueryRowContext(tx.ctx, `SELECT id FROM deconfliction_matches WHERE record_id = $1 AND other_record_id = $2`, rec.ID, other.ID).Scan(&id)
	switch {
	case err == nil:
		_, err = tx.ExecContext(tx.ctx, `UPDATE deconfliction_matches SET selectors = $2, token = $3 WHERE id = $1`, id, n, token)
		return false, err
	case !errors.Is(err, sql.ErrNoRows):
		return false, err
	}
	_, err = tx.ExecContext(tx.ctx, `INSERT INTO deconfliction_matches (id, org_id, record_id, record_type, other_org_id,
		other_record_id, other_record_type, token, selectors, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		atip.NewID(), orgID, rec.ID, string(rec.Type), otherOrgID, other.ID, string(other.Type), token, n, tx.Now)
	if err != nil {
		return false, fmt.Errorf("database: record match: %w", err)
	}
	return true, nil
}

const matchCols = `m.id, m.org_id, m.record_id, m.record_type, m.other_org_id, m.other_record_id, m.other_record_type, m.token,
	m.selectors, m.created_at,
	(SELECT COUNT(*) FROM sightings s WHERE s.record_id = m.other_record_id AND s.from_org_id = m.org_id)`

type storedMatch struct {
	atip.DeconflictionMatch
	other atip.RecordRef
	token string
}

func scanMatch(s interface{ Scan(...any) error }) (*storedMatch, error) {
	var m storedMatch
	var typ, otherType string
	var sighted int
	if err := s.Scan(&m.ID, &m.OrgID, &m.Record.ID, &typ, &m.OtherOrgID, &m.other.ID, &otherType, &m.token,
		&m.Selectors, &m.CreatedAt, &sighted); err != nil {
		return nil, err
	}
	m.Record.Type, m.other.Type = atip.RecordType(typ), atip.RecordType(otherType)
	m.CreatedAt = m.CreatedAt.UTC()
	m.Sighted = sighted > 0
	return &m, nil
}

// orgMatches lists the matches of orgID (of one of its records when
// recordID is set), showing the other record only when sub may see it.
func (tx *Tx) orgMatches(sub *policy.Subject, orgID, recordID string) ([]*atip.DeconflictionMatch, error) {
	q := `SELECT ` + matchCols + ` FROM deconfliction_matches m WHERE m.org_id = $1`
	args := []any{orgID}
	if recordID != "" {
		q += ` AND m.record_id = $2`
		args = append(args, recordID)
	}
	rows, err := tx.QueryContext(tx.ctx, q+` ORDER BY m.id DESC LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("database: matches: %w", err)
	}
	var ms []*storedMatch
	var others []string
	for rows.Next() {
		m, err := scanMatch(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		ms = append(ms, m)
		others = append(others, m.other.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	recs, err := loadRecords(tx.ctx, tx, slices.Compact(slices.Sorted(slices.Values(others))))
	if err != nil {
		return nil, err
	}
	visible := map[string]bool{}
	for _, r := range recs {
		visible[r.Meta.Ref.ID] = sub.View(&r.Meta).Level != policy.LevelNone
	}
	out := make([]*atip.DeconflictionMatch, len(ms))
	for i, m := range ms {
		if visible[m.other.ID] {
			m.OtherRecord = m.other
		}
		out[i] = &m.DeconflictionMatch
	}
	return out, nil
}

// RecordSighting tells the other organisation of one of the actor's
// organisation's matches "we have seen this too".
func (s *SharingService) RecordSighting(ctx context.Context, matchID, note string) (*atip.Sighting, error) {
	a, err := userActor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.Sighting
	err = s.db.Write(ctx, func(tx *Tx) error {
		m, err := scanMatch(tx.QueryRowContext(ctx, `SELECT `+matchCols+` FROM deconfliction_matches m WHERE m.id = $1`, matchID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && m.OrgID != a.User.OrgID {
			return atip.Errorf(atip.ENOTFOUND, "match not found")
		}
		if err != nil {
			return err
		}
		if err := require(a, policy.RecordWrite, a.User.OrgID, "confirm sightings"); err != nil {
			return err
		}
		var v atip.Invalid
		note = cleanText(&v, "note", note, maxSharingNote)
		if err := v.Err(); err != nil {
			return err
		}
		if m.Sighted {
			return atip.Errorf(atip.ECONFLICT, "your organisation already confirmed this match")
		}
		sg := &atip.Sighting{ID: atip.NewID(), Record: m.other, FromOrgID: a.User.OrgID, ToOrgID: m.OtherOrgID,
			SelectorRef: m.token, Note: note, At: tx.Now, ByUserID: a.User.ID}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sightings (id, record_id, record_type, from_org_id, to_org_id, selector_ref, note, at, by_user_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, sg.ID, sg.Record.ID, string(sg.Record.Type), sg.FromOrgID, sg.ToOrgID,
			sg.SelectorRef, sg.Note, sg.At, sg.ByUserID); err != nil {
			return fmt.Errorf("database: insert sighting: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "sighting.create", RecordType: string(m.Record.Type), RecordID: m.Record.ID,
			Detail: fmt.Sprintf("sighting=%s match=%s to=%s", sg.ID, m.ID, sg.ToOrgID)})
		out = sg
		return tx.notify(atip.Notification{OrgID: sg.ToOrgID, Kind: "sharing.notify.sighting", Record: sg.Record,
			Args: map[string]string{"org": sg.FromOrgID}})
	})
	return out, err
}

// RequestAccessFromMatch asks the organisation on the other side of one of
// the actor's organisation's matches for classes of its record — a record
// the actor cannot see: the match is what lets them ask. The requester
// learns nothing of the record until the owner approves.
func (s *SharingService) RequestAccessFromMatch(ctx context.Context, matchID string, req *atip.AccessRequest) error {
	a, err := userActor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		m, err := scanMatch(tx.QueryRowContext(ctx, `SELECT `+matchCols+` FROM deconfliction_matches m WHERE m.id = $1`, matchID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && m.OrgID != a.User.OrgID {
			return atip.Errorf(atip.ENOTFOUND, "match not found")
		}
		if err != nil {
			return err
		}
		if err := require(a, policy.RecordWrite, a.User.OrgID, "ask for access"); err != nil {
			return err
		}
		rec, err := tx.loadRecord(m.other.Type, m.other.ID)
		if err != nil || !rec.ErasedAt.IsZero() {
			return atip.Errorf(atip.ENOTFOUND, "match not found")
		}
		sub, err := tx.subject()
		if err != nil {
			return err
		}
		var v atip.Invalid
		req.Reason = cleanText(&v, "reason", req.Reason, maxSharingNote)
		if err := v.Err(); err != nil {
			return err
		}
		if err := sub.CheckMatchRequest(req.Classes, req.Purpose, req.Reason); err != nil {
			return err
		}
		return tx.insertAccessRequest(a, rec, req)
	})
}
